"""The project's own read queries give the same answers on Spark (the databricks rendering) and on DuckDB
(the local rendering) over the same data: the rows every quality rule finds (and, in one statement
with every rule, how many rows each checks), every materialized view and view, the source of every
silver and gold MERGE and INSERT, every query inside the procedures, the certified Genie questions,
and what `status`, `report` and the run's quality summary read. How results are compared (multisets,
floating-point tolerance) is in tests/oracle/compare.py; how the shared data is built, in
tests/oracle/lakehouse.py.

Left out of the comparison, by design: the `record_hash` column of the venue and attraction MERGE
sources. It is a per-engine hash (xxhash64 on Databricks, DuckDB's hash() locally) used only as the
last key to order candidates of one id landed in the same file; it is never stored. An
engine-independent key (md5 of to_json of the record) measured 2x slower in that window on DuckDB.
The rows each ranking picks are compared: every other column must agree.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest

from tests.oracle.differential import compare_tools, run_pair
from tests.oracle.lakehouse import databricks_target, load_bronze, read_files_options, silver_shape_hints
from tests.oracle.queries import (
    bound_values,
    compiled_objects,
    genie_queries,
    procedure_queries,
    project_queries,
    within_variables,
)


def test_the_project_queries_agree_on_both_engines(shared_lakehouse, capsys):
    lake = shared_lakehouse
    started = datetime.now(UTC).replace(tzinfo=None)
    values = bound_values(lake.duckdb.connection)
    queries = project_queries(lake.databricks, lake.local, values) + genie_queries(lake.databricks, lake.local)
    outcomes = {q.name: run_pair(lake.spark, lake.duckdb, q, started) for q in queries}
    tools = compare_tools(lake.spark, lake.duckdb, lake.databricks, lake.local, started)
    outcomes.update({o.name: o for o in tools})

    # Silver reads bronze's declared fields: over an inferred schema a field no landed file carried has
    # no column, and silver would not bind (tests/conformance keeps the schemas declared).
    assert all("schema" in o for o in read_files_options(lake.databricks).values())
    different = [o for o in outcomes.values() if not o.equal]
    with capsys.disabled():
        print(f"\ndifferential: {len(outcomes)} queries compared, {len(outcomes) - len(different)} equal")
    assert not different, "\n\n".join(f"{o.name}:\n{o.detail}" for o in different)


@pytest.mark.parametrize("months", ["all months", "busiest month"])
def test_event_summary_shares_are_not_rounded(shared_lakehouse, months):
    # Regression: avg() over 1.0/0.0 is a DECIMAL average on Databricks, rounded to five places
    # (0.02434), while DuckDB gave 0.0243407707...; the shares now average integers on both.
    lake = shared_lakehouse
    values = bound_values(lake.duckdb.connection)
    query = next(
        q
        for q in project_queries(lake.databricks, lake.local, values)
        if q.name.startswith(f"sp_generate_event_summary ({months})") and "totals.cancelled_share" in q.databricks
    )
    row = lake.spark.sql(query.databricks).collect()[0]
    event_count, cancelled_share = row[2], row[6]
    assert isinstance(cancelled_share, float)
    assert round(cancelled_share * event_count) == pytest.approx(cancelled_share * event_count, abs=1e-9)


def test_an_ordered_list_hashes_the_same_on_both_engines(quiet_spark):
    # Regression: the fact's attraction list hash was sum(hash(id, order)), DuckDB's hash locally and
    # Murmur3 on Databricks. It is md5 of the list joined in order, by the ordered_string_agg macro.
    import duckdb

    from runner.config import load_target
    from runner.project import Renderer

    renderer = Renderer(load_target("databricks"))

    def sql(engine: str, rows: str) -> str:
        joined = renderer.macros(engine)["ordered_string_agg"]("CAST(pos AS STRING) || ':' || id", "','", "pos")
        return f"SELECT md5({joined}) FROM (VALUES {rows}) AS t(pos, id)"

    listed = "(2, 'K2'), (1, 'K1'), (3, 'K3')"
    reordered = "(1, 'K2'), (2, 'K1'), (3, 'K3')"
    spark = [quiet_spark.sql(sql("databricks", rows)).collect()[0][0] for rows in (listed, reordered)]
    local = [duckdb.sql(sql("duckdb", rows)).fetchone()[0] for rows in (listed, reordered)]
    assert spark == local
    assert spark[0] != spark[1]


def test_an_ordered_list_puts_null_positions_first_and_skips_null_values(quiet_spark):
    # The local form sorts a list per group instead of an ordered aggregate: it must join the same
    # values in the same order as Databricks' listagg, NULL positions first, NULL values left out.
    import duckdb

    from runner.config import load_target
    from runner.project import Renderer

    renderer = Renderer(load_target("databricks"))
    rows = "(1, 3, 'c'), (1, NULL, 'n'), (1, 1, 'a'), (1, 2, NULL), (2, 5, NULL), (3, 10, 'ten'), (3, 9, 'nine')"

    def sql(engine: str) -> str:
        joined = renderer.macros(engine)["ordered_string_agg"]("id", "','", "pos")
        return f"SELECT g, {joined} FROM (VALUES {rows}) AS t(g, pos, id) GROUP BY g ORDER BY g"

    spark = [tuple(r) for r in quiet_spark.sql(sql("databricks")).collect()]
    local = duckdb.connect()
    local.execute("SET default_null_order = 'nulls_first_on_asc_last_on_desc'")
    assert local.sql(sql("duckdb")).fetchall() == spark == [(1, "n,a,c"), (2, None), (3, "nine,ten")]


def test_nulls_sort_where_databricks_puts_them(quiet_spark, tmp_path):
    # Regression: DuckDB sorts NULLs last by default; Databricks first when ascending, last descending.
    from runner.config import load_target
    from runner.engines.duckdb_engine import DuckDBEngine

    engine = DuckDBEngine(load_target("local", data_dir=tmp_path))
    try:
        for direction in ("ASC", "DESC"):
            query = f"SELECT x FROM (VALUES (2), (NULL), (1)) AS t(x) ORDER BY x {direction}"
            assert engine.execute(query).rows == [tuple(r) for r in quiet_spark.sql(query).collect()]
    finally:
        engine.close()


def test_an_empty_list_loads_as_null_on_databricks(shared_lakehouse, tmp_path):
    # Databricks' list[0] raises INVALID_ARRAY_INDEX on an empty list (ANSI mode): a venue with no
    # market or DMA and an attraction with no classification must load with NULLs there, as locally.
    lake = shared_lakehouse
    landing = tmp_path / "landing"
    landing.mkdir()
    records = {
        "venues": {"id": "KovZempty", "name": "Empty Lists Hall", "markets": [], "dmas": []},
        "attractions": {"id": "K8vZempty", "name": "Nobody Classified", "classifications": []},
        # silver.venues and silver.attractions read the venues and attractions embedded in events too
        "events": {"id": "G5vZempty", "name": "Nothing Embedded"},
    }
    files = {}
    for entity, record in records.items():
        path = landing / f"{entity}.json"
        path.write_text(json.dumps(record) + "\n", encoding="utf-8")
        files[entity] = [(str(path), datetime(2026, 1, 2), date(2026, 1, 2))]
    edge = databricks_target("bronze_empty_lists")
    load_bronze(lake.spark, edge, files, tmp_path / "export", silver_shape_hints(edge))
    values = bound_values(lake.duckdb.connection)
    queries = {q.name: q.databricks for q in project_queries(edge, lake.local, values)}

    venues = lake.spark.sql(queries["silver.venues MERGE 1 source"]).where("venue_id = 'KovZempty'").collect()
    attractions = (
        lake.spark.sql(queries["silver.attractions MERGE 1 source"]).where("attraction_id = 'K8vZempty'").collect()
    )
    assert [(r.market_id, r.dma_id) for r in venues] == [(None, None)]
    assert [(r.segment_id, r.genre_id, r.subgenre_id) for r in attractions] == [(None, None, None)]


def test_every_rule_at_once_counts_what_each_rule_counts_alone(shared_lakehouse):
    # sp_data_quality_checks builds one statement from the registered rules (SET rule_counts_sql) and runs
    # every rule in it. Built from each target's rendering of the rules, it must run on Spark and count
    # there what it counts locally; the rules alone are compared above.
    lake = shared_lakehouse
    built = {}
    for side, target in (("databricks", lake.databricks), ("local", lake.local)):
        objects = compiled_objects(target)
        procedure = objects["procedures.sp_data_quality_checks"]
        [build] = [query for what, query in procedure_queries(procedure) if what == "SET rule_counts_sql"]
        rules = [(o.rule.name, o.rule.sql, o.rule.checked_sql, True) for o in objects.values() if o.rule is not None]
        assert len(rules) > 10
        # The registered rules of this target, where the procedure reads them.
        build = build.replace(target.qualify("gold", "data_quality_rules"), "oracle_rules")
        build = within_variables(build, {"rule_names": ("ARRAY<STRING>", "NULL")}, {})
        if side == "databricks":
            schema = "rule_name STRING, rule_sql STRING, checked_sql STRING, is_active BOOLEAN"
            lake.spark.createDataFrame(rules, schema).createOrReplaceTempView("oracle_rules")
            text = lake.spark.sql(build).collect()[0][0]
            counted = lake.spark.sql(text).collect()
        else:
            connection = lake.duckdb.connection
            connection.execute(
                "CREATE OR REPLACE TEMP TABLE oracle_rules "
                "(rule_name VARCHAR, rule_sql VARCHAR, checked_sql VARCHAR, is_active BOOLEAN)"
            )
            connection.executemany("INSERT INTO oracle_rules VALUES (?, ?, ?, ?)", rules)
            try:
                text = lake.duckdb.execute(build).rows[0][0]
                counted = lake.duckdb.execute(text).rows
            finally:
                connection.execute("DROP TABLE oracle_rules")
        built[side] = sorted(tuple(row) for row in counted)
    assert [name for name, _, _ in built["local"]] == sorted(r[0] for r in rules)
    assert built["databricks"] == built["local"]
