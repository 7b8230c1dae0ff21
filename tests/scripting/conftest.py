"""Fixtures for the SQL-scripting interpreter tests: an in-memory lakehouse with a small table."""

from __future__ import annotations

from collections.abc import Iterator

import duckdb
import pytest

from scripting import ScriptingSession

SETUP = """
CREATE TABLE events (id INTEGER, name VARCHAR, status VARCHAR, price DECIMAL(10, 2));
INSERT INTO events VALUES
  (1, 'Opera night', 'onsale', 45.00),
  (2, 'Rock show', 'onsale', 80.50),
  (3, 'Jazz brunch', 'cancelled', 25.00),
  (4, 'Ballet', 'offsale', NULL);
CREATE TABLE audit_log (step INTEGER, note VARCHAR);
"""


@pytest.fixture
def conn() -> Iterator[duckdb.DuckDBPyConnection]:
    connection = duckdb.connect()
    connection.execute(SETUP)
    yield connection
    connection.close()


@pytest.fixture
def session(conn: duckdb.DuckDBPyConnection) -> ScriptingSession:
    return ScriptingSession(conn)
