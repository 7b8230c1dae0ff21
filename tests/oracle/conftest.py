"""The lakehouse both engines share, built once per test session for the oracle tests."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from runner.config import Target
from runner.engines.duckdb_engine import DuckDBEngine


@pytest.fixture(scope="session")
def quiet_spark(spark):
    """The Spark session, without pyspark logging every error a test provokes on purpose."""
    logging.getLogger("SQLQueryContextLogger").setLevel(logging.CRITICAL)
    return spark


@dataclass
class SharedLakehouse:
    local: Target
    databricks: Target
    duckdb: DuckDBEngine
    spark: Any
    landed: dict[str, list[tuple]]
    export_dir: Any


@pytest.fixture(scope="session")
def shared_lakehouse(quiet_spark, sample_lakehouse, tmp_path_factory) -> Iterator[SharedLakehouse]:
    from tests.conftest import copy_sample_lakehouse
    from tests.oracle.lakehouse import databricks_target, first_load_of, load_into_spark

    root = tmp_path_factory.mktemp("oracle")
    local = first_load_of(copy_sample_lakehouse(sample_lakehouse, root / "data"))
    databricks = databricks_target()
    landed = load_into_spark(quiet_spark, local, databricks, root / "export")
    engine = DuckDBEngine(local, read_only=True)
    try:
        yield SharedLakehouse(local, databricks, engine, quiet_spark, landed, root / "export")
    finally:
        engine.close()
