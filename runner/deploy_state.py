"""Whether the local lakehouse already holds what a deploy would create, so a run can skip it.

A deploy's statements are all safe to repeat, but there are hundreds of them and at the seed's daily
scale they are a large share of a run that loads little. After each local deploy the lakehouse keeps a
fingerprint of what was deployed (every statement, the landing folder, DuckDB's version and the code
that creates the state tables) and the objects the catalog then held. A run skips the deploy when the
fingerprint is the same and every one of those objects is still there; anything else (a changed SQL
file, an upgrade, a table dropped by hand) deploys again.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from pathlib import Path

import duckdb

from runner.steps import Step
from streaming import declared, file_state, tables

STATE_TABLE = "bronze._deploy_state"
_OBJECTS = {
    "table": "SELECT 'table', schema_name, table_name FROM duckdb_tables() WHERE NOT internal",
    "view": "SELECT 'view', schema_name, view_name FROM duckdb_views() WHERE NOT internal",
    # duckdb_functions() lists every built-in function too: it is asked only when a macro is to be found.
    "macro": "SELECT 'macro', schema_name, function_name FROM duckdb_functions() "
    "WHERE NOT internal AND function_type IN ('macro', 'table_macro')",
}


def fingerprint(steps: list[Step], landing_root: str | Path, streaming_specs: list[object]) -> str:
    digest = hashlib.sha256()
    for part in (duckdb.__version__, str(landing_root), *map(repr, streaming_specs)):
        digest.update(part.encode("utf-8") + b"\0")
    for step in steps:
        digest.update((step.sql or "").encode("utf-8") + b"\0" + repr(step.params).encode("utf-8") + b"\0")
    for module in (declared, file_state, tables):  # what deploy does beyond its statements
        digest.update(Path(module.__file__ or "").read_bytes())
    return digest.hexdigest()


def _objects(connection: duckdb.DuckDBPyConnection, kinds: Iterable[str] = tuple(_OBJECTS)) -> list[list[str]]:
    union = " UNION ".join(f"{_OBJECTS[kind]} AND database_name = current_database()" for kind in sorted(kinds))
    return [list(row) for row in connection.execute(f"{union} ORDER BY ALL").fetchall()] if union else []


def unchanged(connection: duckdb.DuckDBPyConnection, current: str) -> bool:
    """True if the last deploy had this fingerprint and its objects all still exist."""
    try:
        row = connection.execute(f"SELECT fingerprint, objects FROM {STATE_TABLE}").fetchone()
    except duckdb.CatalogException:  # never deployed
        return False
    if row is None or row[0] != current:
        return False
    recorded = json.loads(row[1])
    present = {tuple(o) for o in _objects(connection, {o[0] for o in recorded})}
    return all(tuple(o) in present for o in recorded)


def record(connection: duckdb.DuckDBPyConnection, current: str) -> None:
    connection.execute(
        f"CREATE TABLE IF NOT EXISTS {STATE_TABLE} (fingerprint VARCHAR NOT NULL, objects VARCHAR NOT NULL, "
        "deployed_at TIMESTAMP NOT NULL)"
    )
    objects = json.dumps(_objects(connection))
    if connection.execute(f"SELECT fingerprint, objects FROM {STATE_TABLE}").fetchall() == [(current, objects)]:
        return  # a deploy that changed nothing leaves no trace
    connection.execute("BEGIN TRANSACTION")
    try:
        connection.execute(f"DELETE FROM {STATE_TABLE}")
        connection.execute(f"INSERT INTO {STATE_TABLE} VALUES (?, ?, current_timestamp)", [current, objects])
        connection.execute("COMMIT")
    except Exception:
        connection.execute("ROLLBACK")
        raise
