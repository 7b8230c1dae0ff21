"""Generated SQL runs only as one read-only query over gold tables, with a row limit."""

from __future__ import annotations

import pytest

from assistant.validate import AllowedTables, RefusedSql, extract_sql, validate_query

GOLD = AllowedTables("gold", frozenset({"fact_events", "dim_venue"}))


def test_a_query_over_gold_gets_a_row_limit():
    assert validate_query("SELECT count(*) FROM gold.fact_events;", GOLD, 50) == (
        "SELECT count(*) FROM gold.fact_events\nLIMIT 50"
    )


def test_a_query_with_its_own_limit_is_capped_from_outside():
    sql = "SELECT venue_name FROM gold.dim_venue ORDER BY venue_name LIMIT 1000"
    assert validate_query(sql, GOLD, 50) == f"SELECT * FROM (\n{sql}\n) AS answer\nLIMIT 50"


def test_ctes_and_subqueries_over_gold_are_allowed():
    sql = (
        "WITH v AS (SELECT venue_sk FROM gold.dim_venue) "
        "SELECT count(*) FROM gold.fact_events WHERE venue_sk IN (SELECT venue_sk FROM v)"
    )
    assert validate_query(sql, GOLD).startswith(sql)


@pytest.mark.parametrize(
    ("sql", "reason"),
    [
        ("DELETE FROM gold.fact_events", "not a DELETE"),
        ("INSERT INTO gold.fact_events SELECT * FROM gold.fact_events", "not a INSERT"),
        ("DROP TABLE gold.fact_events", "not a DROP"),
        ("COPY (SELECT 1) TO 'out.csv'", "not a COPY"),
        ("SELECT 1; DROP TABLE gold.fact_events", "the SQL has 2"),
        ("SELECT 1 FROM gold.fact_events; SELECT 2 FROM gold.fact_events", "the SQL has 2"),
        ("SELECT * FROM silver.events", "reads silver.events"),
        ("SELECT * FROM gold.fact_events UNION ALL SELECT * FROM bronze.events_raw", "reads bronze.events_raw"),
        ("SELECT * FROM gold.fact_events f JOIN gold._runner_state s ON true", "reads gold._runner_state"),
        ("SELECT * FROM read_csv('/etc/passwd')", "reads read_csv()"),
        ("SELECT * FROM '/etc/passwd'", "reads /etc/passwd"),
        ("SELECT * FROM other.gold.fact_events", "reads other.gold.fact_events"),
        ("SELECT * FROM fact_events", "reads fact_events"),
        ("SELECT * FROM read_files('/Volumes/main/landing/events')", "reads read_files()"),
        ("SELECT * FROM parquet.`/tmp/events`", "reads parquet./tmp/events"),
        ("SELECT * FROM IDENTIFIER('gold.fact_events')", "reads identifier()"),
        ("SELECT * FROM range(10)", "reads range()"),
    ],
)
def test_writes_second_statements_and_other_tables_are_refused(sql, reason):
    with pytest.raises(RefusedSql, match="refused") as refused:
        validate_query(sql, GOLD)
    assert reason in str(refused.value)


def test_databricks_names_carry_the_catalog():
    allowed = AllowedTables("main.gold", frozenset({"fact_events"}))
    assert validate_query("SELECT * FROM main.gold.fact_events", allowed)
    with pytest.raises(RefusedSql):
        validate_query("SELECT * FROM hive_metastore.gold.fact_events", allowed)


def test_sql_is_taken_from_a_fenced_block():
    assert extract_sql("Here you go:\n```sql\nSELECT 1\n```\nEnjoy.") == "SELECT 1"
    assert extract_sql("SELECT 2") == "SELECT 2"


def test_databricks_sql_is_read_as_databricks_sql():
    # Backticks, `:` JSON paths and QUALIFY are Databricks syntax a model writes; DuckDB's parser refused them.
    sql = (
        "SELECT `v`.`venue_name`, d.doc:name AS name FROM gold.dim_venue AS `v` "
        "JOIN gold.event_documents AS d ON true QUALIFY row_number() OVER (ORDER BY `v`.venue_name) = 1"
    )
    allowed = AllowedTables("gold", frozenset({"dim_venue", "event_documents"}))
    assert validate_query(sql, allowed, 10) == f"{sql}\nLIMIT 10"


def test_a_limit_of_a_union_is_capped_from_outside():
    sql = "SELECT 1 AS x FROM gold.fact_events UNION ALL SELECT 2 FROM gold.dim_venue LIMIT 5"
    assert validate_query(sql, GOLD, 3).startswith("SELECT * FROM (")
