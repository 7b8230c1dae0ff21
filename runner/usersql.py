"""SQL typed by a user (`query`, `exec`, `ask`) on the local target: Databricks SQL, Databricks' answers.

The project's own SQL is rendered per engine through macros and runs as rendered. What a user types
is Databricks SQL, pasted from the Databricks documentation or written for the warehouse; on the
local target each statement is translated by `dialect` (sqlglot with checked rewrites) and refused
with a one-line reason where its DuckDB answer could differ. The `databricks` target sends it as is.
"""

from __future__ import annotations

from pathlib import Path

from dialect import NotSupportedLocally, install, translate
from runner.config import read_settings
from runner.engines.base import ROW_RETURNING, Engine, QueryResult
from runner.errors import LakehouseError
from runner.splitter import first_keyword

DEFAULT_CATALOG = "main"


def configured_catalog(config_path: Path | None = None) -> str:
    """The catalog users write in three-part names: [workspace] catalog of lakehouse.toml, else main."""
    try:
        settings = read_settings(config_path, required=False)
    except LakehouseError:
        return DEFAULT_CATALOG
    catalog = settings.get("workspace", {}).get("catalog") or DEFAULT_CATALOG
    return str(catalog)


class UserSql:
    """Runs users' Databricks SQL on one engine: translated on DuckDB, as written on Databricks."""

    def __init__(self, engine: Engine, catalog: str = DEFAULT_CATALOG):
        self.engine = engine
        self.catalog = catalog
        self.local = engine.dialect == "duckdb"
        if self.local:
            connection = engine.connection  # type: ignore[attr-defined]
            # A Databricks SQL warehouse runs in UTC unless told otherwise; so does users' SQL here,
            # whatever this machine's zone (current_timestamp(), casts of TIMESTAMP WITH TIME ZONE).
            connection.execute("SET TimeZone = 'UTC'")
            install(connection)
            scripting = engine.scripting  # type: ignore[attr-defined]
            scripting.use_databricks_dialect(self.translate_statement, self.translate_expression, catalog)
            self._columns: dict[str, str | None] | None = None

    # -- translation ---------------------------------------------------------------------------------
    def column_types(self) -> dict[str, str | None]:
        """Lower-case column name -> DuckDB type over the lakehouse's tables (None where names disagree)."""
        rows = self.engine.connection.execute(  # type: ignore[attr-defined]
            "SELECT lower(column_name), data_type FROM duckdb_columns() WHERE NOT internal"
        ).fetchall()
        types: dict[str, str | None] = {}
        for name, data_type in rows:
            kind = _kind(str(data_type))
            if name in types and types[name] != kind:
                types[name] = None
            else:
                types[name] = kind
        return types

    def translate_statement(self, sql: str, variables: dict[str, str] | None = None) -> str:
        columns = self.column_types()
        lookup = {**columns, **(variables or {})}
        return translate(sql, catalog=self.catalog, column_type=lookup.get)

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
            return self.translate_statement(sql)
        except NotSupportedLocally as exc:
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
        """One read statement (already checked by runner.readonly), run with Databricks' meaning."""
        if not self.local:
            return self.engine.execute(statement)
        translated = self.prepare(statement)
        # A check of the translated statement's kind by DuckDB's own parser belongs here.
        return self._run(translated, first_keyword(statement))

    def _run(self, translated: str, keyword: str) -> QueryResult:
        """Run translated DuckDB SQL; `keyword` is the first word of the Databricks statement."""
        cursor = self.engine.connection.execute(translated)  # type: ignore[attr-defined]
        if cursor.description is None:
            return QueryResult()
        if keyword not in ROW_RETURNING:
            counted = cursor.fetchone()
            return QueryResult(rowcount=int(counted[0]) if counted and isinstance(counted[0], int) else None)
        return QueryResult([d[0] for d in cursor.description], cursor.fetchall())


def _is_scripting(sql: str) -> bool:
    # Lazily, as in DuckDBEngine.scripting: the interpreter loads only when a statement needs it.
    from scripting import is_scripting_statement

    return is_scripting_statement(sql)


def _kind(data_type: str) -> str | None:
    upper = data_type.upper()
    if upper in ("INTEGER", "BIGINT", "SMALLINT", "TINYINT", "HUGEINT", "DOUBLE", "FLOAT", "VARCHAR", "DATE",
                 "BOOLEAN", "BLOB"):  # fmt: skip
        return upper
    if upper.startswith("DECIMAL"):
        return upper.replace(" ", "")
    if upper.startswith("TIMESTAMP"):
        return "TIMESTAMP"
    if upper.endswith("[]"):
        return "LIST"
    if upper.startswith("MAP"):
        return "MAP"
    if upper.startswith("STRUCT"):
        return "STRUCT"
    return None


__all__ = ["UserSql", "configured_catalog", "first_keyword"]
