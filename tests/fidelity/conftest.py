"""What the fidelity tests share: a local session that runs users' Databricks SQL, and a table of bronze's shape."""

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


# Bronze-like columns: leaves are strings, as the landed JSON's are.
_SPARK_SCHEMA = (
    "id string, dates struct<start: struct<localDate: string>>, "
    "priceRanges array<struct<currency: string, min: string>>, "
    "_embedded struct<venues: array<struct<name: string, city: struct<name: string>>>, "
    "attractions: array<struct<id: string>>>"
)
_DUCKDB_TABLE = """
CREATE TABLE nested_events (
    id VARCHAR,
    dates STRUCT("start" STRUCT(localDate VARCHAR)),
    priceRanges STRUCT(currency VARCHAR, "min" VARCHAR)[],
    _embedded STRUCT(venues STRUCT("name" VARCHAR, city STRUCT("name" VARCHAR))[], attractions STRUCT(id VARCHAR)[])
)
"""
_ROWS = [
    ("E1", {"start": {"localDate": "2025-01-31"}}, [{"currency": "USD", "min": "66.42"}],
     {"venues": [{"name": "Quiet Orchard Arena", "city": {"name": "Seattle"}}],
      "attractions": [{"id": "A1"}, {"id": "A2"}]}),
    ("E2", {"start": {"localDate": "2025-04-08"}}, [{"currency": "EUR", "min": "12"}],
     {"venues": [{"name": "Velvet Wolf Theatre", "city": {"name": "Austin"}}], "attractions": []}),
]  # fmt: skip


@pytest.fixture
def nested(spark, user):
    """The same two rows in Spark (a view) and in the local lakehouse, beside a table whose columns share
    the fields' last names with other types (`min`, `name` as integers)."""
    spark.createDataFrame(_ROWS, _SPARK_SCHEMA).createOrReplaceTempView("nested_events")
    connection = user.engine.connection
    connection.execute(_DUCKDB_TABLE)
    connection.execute('CREATE TABLE decoys ("min" INTEGER, "name" INTEGER, localDate INTEGER)')
    for row in _ROWS:
        connection.execute("INSERT INTO nested_events VALUES (?, ?, ?, ?)", list(row))
    return spark, user
