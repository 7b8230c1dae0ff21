"""bronze_records_kept_aside on Databricks, where there is no bronze._quarantine: the rule as the
databricks target registers it, run by Spark (the Databricks-semantics oracle) over bronze tables
shaped as read_files leaves them."""

from __future__ import annotations

import pytest

from runner.config import load_target
from runner.project import compile_project

RULE = "bronze_records_kept_aside"


@pytest.fixture
def databricks_rule(monkeypatch: pytest.MonkeyPatch) -> str:
    # spark_catalog is the oracle's own catalog; schemas of their own keep other tests' tables apart
    monkeypatch.setenv("LAKEHOUSE_CATALOG", "spark_catalog")
    monkeypatch.setenv("LAKEHOUSE_BRONZE_SCHEMA", "kept_bronze")
    monkeypatch.setenv("LAKEHOUSE_GOLD_SCHEMA", "kept_gold")
    (rule,) = [o.rule for o in compile_project(load_target("databricks")) if o.rule and o.file.name == RULE]
    return rule.sql


def test_records_silver_skips_since_the_previous_check_are_reported_with_their_file(spark, databricks_rule):
    spark.sql("CREATE SCHEMA IF NOT EXISTS spark_catalog.kept_bronze")
    spark.sql("CREATE SCHEMA IF NOT EXISTS spark_catalog.kept_gold")
    spark.sql("DROP TABLE IF EXISTS spark_catalog.kept_gold.etl_log")
    spark.sql(
        "CREATE TABLE spark_catalog.kept_gold.etl_log (run_id STRING, step_name STRING, started_at TIMESTAMP) "
        "USING parquet"
    )
    # the previous check of this rule; a later call that ran other rules only does not count
    spark.sql(
        "INSERT INTO spark_catalog.kept_gold.etl_log VALUES "
        "('r1', 'sp_data_quality_checks', TIMESTAMP '2026-11-20 10:00:00'), "
        "('r2', 'run', TIMESTAMP '2026-11-21 09:00:00'), "
        "('r3', 'sp_data_quality_checks', TIMESTAMP '2026-11-22 10:00:00')"
    )
    spark.sql("DROP TABLE IF EXISTS spark_catalog.kept_gold.data_quality_results")
    spark.sql(
        "CREATE TABLE spark_catalog.kept_gold.data_quality_results (run_id STRING, rule_name STRING) USING parquet"
    )
    spark.sql(f"INSERT INTO spark_catalog.kept_gold.data_quality_results VALUES ('r1', '{RULE}'), ('r3', 'fact_grain')")
    volume = "dbfs:/Volumes/main/bronze/landing"
    for table in ("events_raw", "venues_raw", "attractions_raw"):
        spark.sql(f"DROP TABLE IF EXISTS spark_catalog.kept_bronze.{table}")
        spark.sql(
            f"CREATE TABLE spark_catalog.kept_bronze.{table} (id STRING, name STRING, _rescued_data STRING, "
            "_source_file STRING, _ingestion_timestamp TIMESTAMP) USING parquet"
        )
    before, after = "TIMESTAMP '2026-11-20 09:00:00'", "TIMESTAMP '2026-11-21 09:05:00'"
    spark.sql(
        "INSERT INTO spark_catalog.kept_bronze.events_raw VALUES "
        f"('1', 'kept before the previous check', NULL, '{volume}/events/old.json', {before}), "
        f"(NULL, 'no id, before the previous check', NULL, '{volume}/events/old.json', {before}), "
        f"('2', 'loaded', NULL, '{volume}/events/new.json', {after}), "
        f"('3', 'odd fields rescued, still loaded', '{{\"ID\": 3}}', '{volume}/events/new.json', {after}), "
        f"(NULL, NULL, NULL, '{volume}/events/new.json', {after}), "
        f"('', 'empty id', NULL, '{volume}/events/empty.json', {after})"
    )
    spark.sql(
        "INSERT INTO spark_catalog.kept_bronze.venues_raw VALUES "
        f"(NULL, 'no id', NULL, '{volume}/venues/v.json', {after})"
    )
    found = sorted((r.failing_key, r.table_name) for r in spark.sql(databricks_rule).collect())
    assert found == [
        (f"{volume}/events/empty.json", "spark_catalog.kept_bronze.events_raw"),
        (f"{volume}/events/new.json", "spark_catalog.kept_bronze.events_raw"),
        (f"{volume}/venues/v.json", "spark_catalog.kept_bronze.venues_raw"),
    ]
