"""What the fidelity tests share: a local session that runs users' Databricks SQL."""

from __future__ import annotations

import pytest

from runner.config import load_target
from runner.engines.duckdb_engine import DuckDBEngine
from usersql.session import UserSql


@pytest.fixture
def user(tmp_path):
    """The code path of `lakehouse query` and `exec` on a fresh local lakehouse."""
    engine = DuckDBEngine(load_target("local", data_dir=tmp_path))
    yield UserSql(engine)
    engine.close()
