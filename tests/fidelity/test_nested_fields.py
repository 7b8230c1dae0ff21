"""Fields of a table's structs and arrays (bronze's shape), typed by the column's own type, as on Databricks."""

from __future__ import annotations

import pytest

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


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT id, priceRanges[0].min * 2.5 FROM nested_events ORDER BY id",
        "SELECT id, size(_embedded.attractions), size(priceRanges) FROM nested_events ORDER BY id",
        "SELECT id, _embedded.venues[0].name, upper(_embedded.venues[0].city.name) FROM nested_events ORDER BY id",
        "SELECT e.id, date_add(e.dates.start.localDate, 1) FROM nested_events e ORDER BY e.id",
        "SELECT id, concat(dates.start.localDate, '!'), e.priceRanges[0].currency FROM nested_events AS e ORDER BY id",
        "SELECT count(*) FROM nested_events WHERE _embedded.venues[0].city.name = 'Austin'",
    ],
)
def test_nested_fields_answer_as_on_databricks(nested, sql):
    spark, user = nested
    assert user.query(sql).rows == [tuple(row) for row in spark.sql(sql).collect()]


def test_a_string_field_in_integer_arithmetic_fails_as_on_databricks(nested):
    spark, user = nested
    sql = "SELECT priceRanges[0].min + 1 FROM nested_events"
    with pytest.raises(Exception, match="CAST_INVALID_INPUT"):
        spark.sql(sql).collect()
    with pytest.raises(Exception, match="CAST_INVALID_INPUT"):
        user.query(sql)
