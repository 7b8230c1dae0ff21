"""SQL typed by a user (`query`, `exec`, `ask`) on the local target: Databricks SQL, Databricks' answers.

The project's own SQL is rendered per engine through macros and runs as rendered. What a user types
is Databricks SQL, pasted from the Databricks documentation or written for the warehouse; on the
local target each statement is translated by `dialect` (sqlglot with checked rewrites) and refused
with a one-line reason where its DuckDB answer could differ. The `databricks` target sends it as is.
"""

from __future__ import annotations

import math
import os
from pathlib import Path

import duckdb
from sqlglot.errors import ParseError, TokenError

from dialect import NotSupportedLocally, install, translate
from dialect.errors import without_udf_wrapping
from dialect.fields import field_paths
from dialect.types import column_kind
from runner.config import read_settings
from runner.engines.base import ROW_RETURNING, Engine, QueryResult
from runner.errors import LakehouseError
from runner.splitter import first_keyword
from runner.sqlerrors import parse_error_message
from usersql.readonly import check_read_only

DEFAULT_CATALOG = "main"
# How long one statement of `query`, `ask` or `search` may run, in seconds; 0 means no limit.
DEFAULT_STATEMENT_TIMEOUT = 300
STATEMENT_TIMEOUT_ENV = "LAKEHOUSE_STATEMENT_TIMEOUT"
# Databricks accepts STATEMENT_TIMEOUT from 0 to 172800 seconds (two days).
MAX_STATEMENT_TIMEOUT = 172_800


def configured_catalog(config_path: Path | None = None) -> str:
    """The catalog users write in three-part names: [workspace] catalog of lakehouse.toml, else main."""
    try:
        settings = read_settings(config_path, required=False)
    except LakehouseError:
        return DEFAULT_CATALOG
    catalog = settings.get("workspace", {}).get("catalog") or DEFAULT_CATALOG
    return str(catalog)


def configured_timeout(config_path: Path | None = None, override: float | None = None) -> float:
    """Seconds a read-only statement may run: the flag, else $LAKEHOUSE_STATEMENT_TIMEOUT, else
    statement_timeout in the [query] section of lakehouse.toml, else 300."""
    if override is not None:
        return _valid_timeout(override, "--timeout")
    if os.environ.get(STATEMENT_TIMEOUT_ENV):
        return _valid_timeout(os.environ[STATEMENT_TIMEOUT_ENV], STATEMENT_TIMEOUT_ENV)
    try:
        settings = read_settings(config_path, required=False)
    except LakehouseError:
        return DEFAULT_STATEMENT_TIMEOUT
    value = settings.get("query", {}).get("statement_timeout", DEFAULT_STATEMENT_TIMEOUT)
    return _valid_timeout(value, "[query] statement_timeout")


def _valid_timeout(value: object, where: str) -> float:
    try:
        seconds = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        seconds = -1.0
    if not 0 <= seconds <= MAX_STATEMENT_TIMEOUT or isinstance(value, bool):
        raise LakehouseError(
            f"{where} must be a number of seconds from 0 (no limit) to {MAX_STATEMENT_TIMEOUT}; got {value!r}."
        )
    return seconds


class UserSql:
    """Runs users' Databricks SQL on one engine: translated on DuckDB, as written on Databricks.

    `timeout`: seconds one statement of `query` may run (None: the configured statement timeout)."""

    def __init__(self, engine: Engine, catalog: str = DEFAULT_CATALOG, *, timeout: float | None = None):
        self.engine = engine
        self.catalog = catalog
        self.timeout = configured_timeout() if timeout is None else timeout
        self._timeout_sent = False
        self.local = engine.dialect == "duckdb"
        if self.local:
            connection = engine.connection  # type: ignore[attr-defined]
            install(connection)
            scripting = engine.scripting  # type: ignore[attr-defined]
            scripting.use_databricks_dialect(self.translate_statement, self.translate_expression, catalog)

    # -- translation ---------------------------------------------------------------------------------
    def column_types(self) -> dict[str, str | None]:
        """Lower-case column name (and path of a nested field, dialect.fields) -> DuckDB type over the
        lakehouse's tables (None where they disagree)."""
        rows = self.engine.connection.execute(  # type: ignore[attr-defined]
            "SELECT lower(column_name), data_type FROM duckdb_columns() WHERE NOT internal"
        ).fetchall()
        types: dict[str, str | None] = {}
        for name, data_type in rows:
            # The column, then its nested fields' paths (`dates.start.localdate`, `priceranges[].min`).
            for path, kind in [(name, column_kind(str(data_type))), *field_paths(name, str(data_type))]:
                types[path] = None if path in types and types[path] != kind else kind
        return types

    def translate_statement(
        self, sql: str, variables: dict[str, str] | None = None, *, variant_outputs: bool = False
    ) -> str:
        columns = self.column_types()
        lookup = {**columns, **(variables or {})}
        known: dict[tuple[str | None, str], list[tuple[str, str]] | None] = {}

        def table_columns(schema: str | None, table: str) -> list[tuple[str, str]] | None:
            # Asked once per column a query reads: each table is looked up once per statement.
            key = (schema.lower() if schema else None, table.lower())
            if key not in known:
                known[key] = self.table_columns(schema, table)
            return known[key]

        return translate(sql, catalog=self.catalog, column_type=lookup.get, has_column=columns.__contains__,
                         variables=frozenset(variables or ()), table_columns=table_columns,
                         variant_outputs=variant_outputs)  # fmt: skip

    def table_columns(self, schema: str | None, table: str) -> list[tuple[str, str]] | None:
        """A local table's columns in order, with their DuckDB types (schema None: the current schema)."""
        rows = self.engine.connection.execute(  # type: ignore[attr-defined]
            "SELECT column_name, data_type FROM duckdb_columns() WHERE NOT internal AND database_name = "
            "current_database() AND lower(schema_name) = lower(coalesce(?, current_schema())) "
            "AND lower(table_name) = lower(?) ORDER BY column_index",
            [schema, table],
        ).fetchall()
        return [(name, str(kind)) for name, kind in rows] or None

    def translate_expression(self, sql: str, variables: dict[str, str] | None = None) -> str:
        from dialect import translate_expression

        columns = self.column_types()
        lookup = {**columns, **(variables or {})}
        return translate_expression(sql, catalog=self.catalog, column_type=lookup.get)

    # -- running -------------------------------------------------------------------------------------
    def prepare(self, sql: str) -> str:
        """The statement as the engine will run it (translated locally); raises LakehouseError."""
        if not self.local:
            return sql
        try:
            # The result goes to the user: a VARIANT column is written as its JSON, as Databricks returns it.
            return self.translate_statement(sql, variant_outputs=True)
        except NotSupportedLocally as exc:
            if isinstance(exc.__cause__, (ParseError, TokenError)):
                raise LakehouseError(parse_error_message(exc.__cause__)) from exc
            raise LakehouseError(str(exc)) from exc

    def execute(self, sql: str, *, origin: str | None = None, line: int = 1) -> QueryResult:
        """One statement of a user's file or query: scripting goes to the interpreter in Databricks dialect."""
        if self.local:
            if _is_scripting(sql):
                return self.engine.execute(sql, origin=origin, line=line, user=True)  # type: ignore[call-arg]
            scripting = self.engine.scripting  # type: ignore[attr-defined]
            if scripting.session_scope.vars:
                # Session variables declared earlier in the file may be read (`SELECT area, acc`).
                result = scripting.run_statement(sql, first_line=line, origin=origin)
                return QueryResult(list(result.columns), list(result.rows), result.rowcount)
        if self.local:
            return self._run(self.prepare(sql), first_keyword(sql))
        return self.engine.execute(sql, origin=origin, line=line)

    def query(self, statement: str) -> QueryResult:
        """One statement that only reads, run with Databricks' meaning within the statement timeout.

        The single path of every read-only use (query, ask): the text is parsed as Databricks SQL
        and refused unless it is one query; locally the translated statement is checked again by
        DuckDB's parser and runs on a connection that cannot write or reach files."""
        statement = check_read_only(statement)
        if not self.local:
            if not self._timeout_sent:
                # The documented session parameter; the warehouse stops the statement and says so.
                # Whole seconds; 0 is no limit there too, so a fraction of a second rounds up to one.
                seconds = math.ceil(self.timeout) if self.timeout else 0
                self.engine.execute(f"SET STATEMENT_TIMEOUT = {seconds}")
                self._timeout_sent = True
            return self.engine.execute(statement)
        from runner.engines.duckdb_readonly import check_statement, statement_timeout

        translated = self.prepare(statement)
        connection = self.engine.connection  # type: ignore[attr-defined]
        check_statement(connection, translated)
        self.engine.lock()  # type: ignore[attr-defined]
        with statement_timeout(connection, self.timeout):
            return self._run(translated, first_keyword(statement))

    def _run(self, translated: str, keyword: str) -> QueryResult:
        """Run translated DuckDB SQL; `keyword` is the first word of the Databricks statement."""
        try:
            cursor = self.engine.connection.execute(translated)  # type: ignore[attr-defined]
            if cursor.description is None:
                return QueryResult()
            if keyword not in ROW_RETURNING:
                counted = cursor.fetchone()
                return QueryResult(rowcount=int(counted[0]) if counted and isinstance(counted[0], int) else None)
            return QueryResult([d[0] for d in cursor.description], cursor.fetchall())
        except duckdb.Error as exc:
            # A refusal raised inside one of the dialect's Python functions reads as the refusal alone.
            message = without_udf_wrapping(str(exc))
            if message == str(exc):
                raise
            raise type(exc)(message) from None


def _is_scripting(sql: str) -> bool:
    # Lazily, as in DuckDBEngine.scripting: the interpreter loads only when a statement needs it.
    from scripting import is_scripting_statement

    return is_scripting_statement(sql)


__all__ = ["UserSql", "configured_catalog", "configured_timeout", "first_keyword"]
