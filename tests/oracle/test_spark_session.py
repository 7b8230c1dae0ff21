"""The oracle answers as the Databricks Runtime documents, not as DuckDB does."""

from __future__ import annotations

from datetime import date


def test_the_oracle_follows_databricks_semantics(spark):
    row = spark.sql(
        "SELECT concat('a', NULL, 'b') AS joined, CAST(-2.5 AS INT) AS truncated, "
        "dayofweek(DATE'2025-01-05') AS sunday, DATE'2025-01-31' + INTERVAL 1 MONTH AS next_month"
    ).collect()[0]
    assert row.joined is None
    assert row.truncated == -2
    assert row.sunday == 1
    assert row.next_month == date(2025, 2, 28)


def test_the_oracle_runs_sql_scripting(spark):
    rows = spark.sql("BEGIN DECLARE x INT DEFAULT 0; WHILE x < 3 DO SET x = x + 1; END WHILE; SELECT x; END").collect()
    assert [tuple(r) for r in rows] == [(3,)]
