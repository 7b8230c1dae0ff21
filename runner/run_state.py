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
from runner.project import Renderer

# A rule that reads the clock can change its verdict while the data stays the same.
_CLOCK = re.compile(r"\b(?:current_timestamp|current_date|current_time|localtimestamp|now\s*\(|getdate\s*\()", re.I)


def _statement(target: Target, name: str, **variables: object) -> str:
    return Renderer(target).render_statement(f"runner/{name}.sql", **variables)


def _load_state(connection: duckdb.DuckDBPyConnection, target: Target) -> str:
    rows = connection.execute(_statement(target, "run_mark_load_state")).fetchall()
    return json.dumps([list(row) for row in rows])


def take(connection: duckdb.DuckDBPyConnection, target: Target) -> str | None:
    """The run id of the mark if silver.load_state is as the mark saw it, and the mark removed
    (committed before the caller reads a landed file)."""
    try:
        rows = connection.execute(_statement(target, "run_mark_take")).fetchall()
    except (duckdb.CatalogException, duckdb.BinderException):  # no mark, or one of another shape
        return None
    if len(rows) != 1:
        return None
    try:
        current = _load_state(connection, target)
    except duckdb.Error:
        return None
    return str(rows[0][0]) if rows[0][1] == current else None


def forget(connection: duckdb.DuckDBPyConnection, target: Target) -> None:
    """Remove the mark, if this lakehouse has one."""
    connection.execute(_statement(target, "run_mark_forget"))


def mark(connection: duckdb.DuckDBPyConnection, target: Target, run_id: str) -> None:
    """Record that run `run_id` refreshed every object from everything landed, and its rules passed."""
    load_state = _load_state(connection, target)
    connection.execute(_statement(target, "run_mark_record"), [run_id, load_state])


def reads_clock(rule_sql: str) -> bool:
    return bool(_CLOCK.search(rule_sql))


def carry_results(engine: Engine, target: Target, from_run: str, to_run: str, except_rules: Iterable[str]) -> int:
    """Store the quality results of `from_run` under `to_run` as well (the data they checked is the same),
    keeping when each was checked; the rules in `except_rules` are left for the caller to check again."""
    sql = _statement(target, "quality_carry_results")
    result = engine.execute(sql, [to_run, from_run, sorted(except_rules)])
    return max(result.rowcount or 0, 0)
