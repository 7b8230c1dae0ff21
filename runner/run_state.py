"""Whether every layer is current with bronze, so that a run which lands nothing can stop after bronze.

A run of the whole project that ends with no CRITICAL rule failed leaves a mark: its run id and how far
each silver table had read (silver.load_state). The next run takes the mark away before it reads a
landed file, and a deploy that runs its statements and `exec` remove it, so a run that stops half-way (a crash,
an error, Ctrl-C), a run of some objects only, and a changed deploy all leave none. A run that finds
the mark, with load_state as the mark saw it (a row deleted by hand asks for a reload), deploys nothing
and reads no new landed file has nothing to do in silver, gold or the quality rules: what the marked
run computed from the same data stands. Local target only.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable

import duckdb

from runner.config import Target
from runner.engines.base import Engine
from runner.quality.rules import RESULTS_TABLE

STATE_TABLE = "bronze._run_state"
_CREATE = (
    f"CREATE TABLE IF NOT EXISTS {STATE_TABLE} (run_id VARCHAR NOT NULL, completed_at TIMESTAMP NOT NULL, "
    "load_state VARCHAR NOT NULL)"
)
# A rule that reads the clock can change its verdict while the data stays the same.
_CLOCK = re.compile(r"\b(?:current_timestamp|current_date|current_time|localtimestamp|now\s*\(|getdate\s*\()", re.I)
_RESULT_COLUMNS = (
    "rule_name, severity, rows_failing, rows_checked, max_failing_share, status, failing_sample, error_message, "
    "checked_at"
)


def _load_state(connection: duckdb.DuckDBPyConnection, target: Target) -> str:
    rows = connection.execute(
        "SELECT object_name, source_table, CAST(high_watermark AS VARCHAR) "
        f"FROM {target.qualify('silver', 'load_state')} ORDER BY ALL"
    ).fetchall()
    return json.dumps([list(row) for row in rows])


def take(connection: duckdb.DuckDBPyConnection, target: Target) -> str | None:
    """The run id of the mark if silver.load_state is as the mark saw it, and the mark removed
    (committed before the caller reads a landed file)."""
    connection.execute(_CREATE)
    try:
        rows = connection.execute(f"DELETE FROM {STATE_TABLE} RETURNING run_id, load_state").fetchall()
    except duckdb.BinderException:  # a table of another shape: no mark to trust, start it again
        connection.execute(f"DROP TABLE {STATE_TABLE}")
        connection.execute(_CREATE)
        return None
    if len(rows) != 1:
        return None
    try:
        current = _load_state(connection, target)
    except duckdb.Error:
        return None
    return str(rows[0][0]) if rows[0][1] == current else None


def forget(connection: duckdb.DuckDBPyConnection) -> None:
    """Remove the mark, if this lakehouse has one (a lakehouse never run has no bronze schema)."""
    schema, _, table = STATE_TABLE.partition(".")
    found = connection.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE schema_name = ? AND table_name = ?", [schema, table]
    ).fetchone()
    if found and found[0]:
        connection.execute(f"DELETE FROM {STATE_TABLE}")


def mark(connection: duckdb.DuckDBPyConnection, target: Target, run_id: str) -> None:
    """Record that run `run_id` refreshed every object from everything landed, and its rules passed."""
    connection.execute(_CREATE)
    load_state = _load_state(connection, target)
    connection.execute("BEGIN TRANSACTION")
    try:
        connection.execute(f"DELETE FROM {STATE_TABLE}")
        connection.execute(f"INSERT INTO {STATE_TABLE} VALUES (?, current_timestamp, ?)", [run_id, load_state])
        connection.execute("COMMIT")
    except Exception:
        connection.execute("ROLLBACK")
        raise


def reads_clock(rule_sql: str) -> bool:
    return bool(_CLOCK.search(rule_sql))


def carry_results(engine: Engine, target: Target, from_run: str, to_run: str, except_rules: Iterable[str]) -> int:
    """Store the quality results of `from_run` under `to_run` as well (the data they checked is the same),
    keeping when each was checked; the rules in `except_rules` are left for the caller to check again."""
    skipped = sorted(except_rules)
    table = target.qualify("gold", RESULTS_TABLE)
    markers = "".join(", ?" for _ in skipped)
    result = engine.execute(
        f"INSERT INTO {table} (run_id, {_RESULT_COLUMNS}) SELECT ?, {_RESULT_COLUMNS} FROM {table} "
        f"WHERE run_id = ? AND rule_name NOT IN (''{markers})",
        [to_run, from_run, *skipped],
    )
    return max(result.rowcount or 0, 0)
