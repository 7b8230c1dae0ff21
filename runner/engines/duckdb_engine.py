"""The local engine: one DuckDB database file in the data directory."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path

import duckdb

from runner.config import Target
from runner.engines.base import ROW_RETURNING, Params, QueryResult
from runner.errors import LakehouseError
from runner.identifiers import quote_identifier
from runner.macros import duckdb_string
from runner.materialized_view_sql import (
    is_materialized_view,
    local_create,
    local_refresh,
    parse_materialized_view,
    refreshed_view,
)
from runner.splitter import first_keyword
from runner.streaming_sql import is_streaming_table, parse_streaming_table

MEMORY_LIMIT_ENV = "LAKEHOUSE_DUCKDB_MEMORY_LIMIT"
# DuckDB writes a committed append straight to the database file only in whole row groups (122,880
# rows by default); anything smaller goes through the WAL and is written a second time at the next
# checkpoint. A bronze batch is ~40K large rows, so smaller row groups halve what a load writes. 8K
# rows would spare a 10K-event first run 0.3 s, but at 1M they saved bronze 7 s and cost
# silver.events 11 s. The size is a property of the attachment, not of the file, so every
# writer attaches with it.
ROW_GROUP_SIZE = 16_384


# DuckDB would take 80% of RAM and keep what it read cached up to that; a bounded buffer pool makes
# it spill to disk instead. 1GB keeps a 1M-event run under 1.5 GB resident (python -m bench) at a
# modest cost in time; raise it on a big machine for speed.
DEFAULT_MEMORY_LIMIT = "1GB"

# At each checkpoint DuckDB tries every compression method on every changed column; FSST's trial (a
# symbol table per string column) was 42% of the checkpoint that ends a small run. Without FSST
# (python -m bench, one run each way): the close of a 120-event run 0.23 -> 0.12 s of CPU, a 100K full
# run 21.3 -> 19.2 s, 1M full 170 -> 155 s and +1% 11.1 -> 9.3 s. The cost is disk: the 1M database
# 10 -> 14 GB. Repeated strings still get dictionary compression. DuckDB ignores this option in
# connect()'s config, so it is SET.
DISABLED_COMPRESSION = "fsst"


def _engine_config(path: Path) -> dict[str, str]:
    return {
        "memory_limit": os.environ.get(MEMORY_LIMIT_ENV) or DEFAULT_MEMORY_LIMIT,
        # where DuckDB spills; it would pick ./.tmp for a connection that attaches its database
        "temp_directory": f"{path}.tmp",
        # ORDER BY without NULLS FIRST/LAST puts NULLs where Databricks does: first ascending, last descending
        "default_null_order": "nulls_first_on_asc_last_on_desc",
    }


@contextlib.contextmanager
def without_pandas() -> Iterator[None]:
    """DuckDB as it runs where pandas is not installed, for the length of a command.

    DuckDB imports pandas (about half a second) the first time a value is bound, to recognise pandas'
    missing values; the local target never hands it a pandas object. pandas is installed because the
    Databricks connector needs it, so within this block `import pandas` fails, which DuckDB takes for
    "not installed". A process that had imported pandas already keeps it."""
    if "pandas" in sys.modules:
        yield
        return
    sys.modules["pandas"] = None  # type: ignore[assignment]
    try:
        yield
    finally:
        if "pandas" in sys.modules and sys.modules["pandas"] is None:
            del sys.modules["pandas"]


class DuckDBEngine:
    dialect = "duckdb"

    def __init__(self, target: Target, *, read_only: bool = False):
        self.target = target
        path = target.database_path
        if read_only and not path.exists():
            raise LakehouseError(f"No local lakehouse at {path} yet. Run `lakehouse run` first.")
        path.parent.mkdir(parents=True, exist_ok=True)
        self.connection = duckdb.connect(config=_engine_config(path))
        try:
            options = f"ROW_GROUP_SIZE {ROW_GROUP_SIZE}" + (", READ_ONLY" if read_only else "")
            self.connection.execute(f"ATTACH {duckdb_string(str(path))} AS {quote_identifier(path.stem)} ({options})")
            self.connection.execute(f"USE {quote_identifier(path.stem)}")
            self.connection.execute(f"SET disabled_compression_methods = '{DISABLED_COMPRESSION}'")
            # A Databricks SQL warehouse runs in UTC; DuckDB would take this machine's zone for every
            # moment it turns into a TIMESTAMP or a date (load times, watermarks, current_date()).
            self.connection.execute("SET TimeZone = 'UTC'")
            if read_only:
                # Read-only paths reach nothing but the attached file (see duckdb_readonly.py).
                self.connection.execute("SET enable_external_access = false")
        except duckdb.IOException as exc:
            self.connection.close()
            if "lock" in str(exc).lower():
                raise LakehouseError(
                    f"Another process is using {path} (DuckDB allows one writer at a time). Wait for the "
                    "other run to finish, then try again; nothing was changed."
                ) from exc
            raise LakehouseError(f"Cannot open {path}: {exc}") from exc
        self._scripting = None
        self.read_only = read_only
        self._locked = False

    def lock(self) -> None:
        """Lock a read-only connection's configuration: no SET can reopen file access afterwards.

        Called before the first statement; session settings (a time zone) must come before it."""
        if self.read_only and not self._locked:
            from runner.engines.duckdb_readonly import lock_down  # with sqlglot: read-only paths only

            lock_down(self.connection)
            self._locked = True

    @property
    def scripting(self):
        """The SQL-scripting interpreter that runs procedures on this connection."""
        if self._scripting is None:
            # Lazily: DuckDB has no SQL scripting, so procedures need the interpreter, a package of its own
            # beside runner; it (and sqlglot under it) loads only when a statement needs it.
            try:
                from scripting import ScriptingSession
            except ImportError as exc:  # pragma: no cover - only while the interpreter is absent
                raise LakehouseError("Procedures need the SQL-scripting interpreter (the scripting package).") from exc
            self._scripting = ScriptingSession(self.connection)
        return self._scripting

    def execute(
        self, sql: str, params: Params = None, *, origin: str | None = None, line: int = 1, user: bool = False
    ) -> QueryResult:
        """Run one statement; procedures, CALL and compound blocks go to the SQL-scripting interpreter,
        a streaming table over read_files to the local loader, a materialized view to a table beside
        the view of its definition.

        `user`: a scripting statement a user wrote in Databricks SQL (see usersql.session)."""
        self.lock()
        scripting = _is_scripting(sql)
        if params and (is_streaming_table(sql) or is_materialized_view(sql) or (scripting and not _is_call(sql))):
            # These are emulated, not sent to DuckDB: a value bound to them would be lost.
            raise LakehouseError(
                f"{origin or 'statement'}, line {line}: bound parameters are not supported here "
                "(streaming tables, materialized views, procedures, compound statements); pass the values as "
                "literals. A CALL takes them as whole arguments: `CALL p(name => ?)`."
            )
        if is_streaming_table(sql):
            # Bronze: the Databricks statement, emulated by the local loader (streaming/tables.py).
            from streaming.tables import LocalStreamingTable

            spec = parse_streaming_table(sql)
            LocalStreamingTable(self.connection, spec, self.target.landing_root).create()
            return QueryResult()
        if is_materialized_view(sql):
            for statement in local_create(parse_materialized_view(sql)):
                self.connection.execute(statement)
            return QueryResult()
        if refreshed := refreshed_view(sql):
            result = QueryResult()
            for statement in local_refresh(refreshed):
                result = self.execute(statement, params, origin=origin, line=line)
            return result
        if scripting:
            if isinstance(params, Mapping):
                raise LakehouseError(f"{origin or 'statement'}, line {line}: a CALL binds ? markers, not named ones.")
            bound = list(params) if params else None
            result = self.scripting.execute(sql, first_line=line, origin=origin, user=user, params=bound)
            return QueryResult(list(result.columns), list(result.rows), result.rowcount)
        cursor = self.connection.execute(sql, params)
        if cursor.description is None:
            return QueryResult()
        if first_keyword(sql) not in ROW_RETURNING:
            # DuckDB reports a changed-row count as a one-row result; keep it as a count.
            counted = cursor.fetchone()
            return QueryResult(rowcount=int(counted[0]) if counted and isinstance(counted[0], int) else None)
        return QueryResult([d[0] for d in cursor.description], cursor.fetchall())

    def close(self) -> None:
        self.connection.close()


def _is_call(sql: str) -> bool:
    return first_keyword(sql) == "CALL"


def _is_scripting(sql: str) -> bool:
    # Lazily, for the reason given in DuckDBEngine.scripting.
    try:
        from scripting import is_scripting_statement
    except ImportError:
        return False
    return is_scripting_statement(sql)
