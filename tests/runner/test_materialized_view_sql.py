"""Gold files hold the Databricks materialized view statement; the local target reads it and keeps a
table beside the view of its definition, refilled by REFRESH MATERIALIZED VIEW."""

from __future__ import annotations

import pytest

from runner.config import load_target
from runner.engines.duckdb_engine import DuckDBEngine
from runner.errors import LakehouseError
from runner.materialized_view_sql import parse_materialized_view
from runner.project import compile_project
from runner.steps import run_steps
from scripting.errors import ScriptError

STATEMENT = """-- a label
CREATE OR REPLACE MATERIALIZED VIEW main.counts (
    kind STRING COMMENT 'What was counted; it\\'s a kind.',
    price DECIMAL(10, 2) COMMENT 'Highest price.',
    things BIGINT COMMENT 'How many.'
)
COMMENT 'Things per kind.'  -- noqa: LT05
AS WITH things AS (
    SELECT kind, price FROM main.things
)

SELECT kind, max(price) AS price, count(*) AS things FROM things GROUP BY kind"""


def test_every_materialized_view_file_holds_the_literal_statement():
    for target in (load_target("local", data_dir="data"), load_target("databricks")):
        views = [obj for obj in compile_project(target, "gold") if obj.file.name.startswith("mv_")]
        assert len(views) == 3
        for obj in views:
            assert "CREATE OR REPLACE MATERIALIZED VIEW {{ this }} (" in obj.file.path.read_text()
            assert obj.materialized_views == [target.qualify("gold", obj.file.name)]
            (statement,) = obj.deploy
            view = parse_materialized_view(statement.sql)
            assert view.name == obj.materialized_views[0] and view.comment and view.query.startswith("WITH ")
            assert all(view.columns.values()), "every column has a comment"
            # Every run refreshes it, in the documented form for the kind.
            (step,) = [step for step in run_steps(target, [obj])]
            assert step.sql == f"REFRESH MATERIALIZED VIEW {view.name}"


def test_the_statement_is_read_whole():
    view = parse_materialized_view(STATEMENT)
    assert view.name == "main.counts"
    assert view.columns == {"kind": "What was counted; it's a kind.", "price": "Highest price.", "things": "How many."}
    assert view.comment == "Things per kind."
    assert view.query.startswith("WITH things AS (") and view.query.endswith("GROUP BY kind")


def test_the_local_target_keeps_a_table_refilled_from_its_definition(tmp_path):
    engine = DuckDBEngine(load_target("local", data_dir=tmp_path))
    try:
        engine.execute("CREATE SCHEMA main_data")
        engine.execute("CREATE TABLE main_data.things (kind VARCHAR, price DECIMAL(10, 2))")
        engine.execute("INSERT INTO main_data.things VALUES ('a', 1.5), ('a', 2), ('b', 3)")
        engine.execute(STATEMENT.replace("main.", "main_data."))
        assert engine.execute("SELECT count(*) FROM main_data.counts").rows == [(0,)]
        comments = engine.execute(
            "SELECT column_name, comment FROM duckdb_columns() WHERE table_name = 'counts' ORDER BY column_index"
        ).rows
        assert comments == [
            ("kind", "What was counted; it's a kind."),
            ("price", "Highest price."),
            ("things", "How many."),
        ]
        table = engine.execute("SELECT comment FROM duckdb_tables() WHERE table_name = 'counts'").rows
        assert table == [("Things per kind.",)]

        refreshed = engine.execute("REFRESH MATERIALIZED VIEW main_data.counts")
        assert refreshed.rowcount == 2
        engine.execute("INSERT INTO main_data.things VALUES ('c', 4)")
        engine.execute("REFRESH MATERIALIZED VIEW main_data.counts")
        rows = engine.execute("SELECT kind, CAST(price AS VARCHAR), things FROM main_data.counts ORDER BY kind").rows
        assert rows == [("a", "2.00", 2), ("b", "3.00", 1), ("c", "4.00", 1)]
    finally:
        engine.close()


@pytest.mark.parametrize(
    ("statement", "message"),
    [
        ("CREATE OR REPLACE MATERIALIZED VIEW v (a STRING) AS SELECT 1 AS a", "name TYPE COMMENT"),
        ("CREATE OR REPLACE MATERIALIZED VIEW v (a STRUCT<b: INT> COMMENT 'x') AS SELECT 1", "name TYPE COMMENT"),
        ("CREATE OR REPLACE MATERIALIZED VIEW v (a INT COMMENT 'x') TBLPROPERTIES ('k' = 'v') AS SELECT 1", "AS <"),
    ],
)
def test_other_shapes_are_refused_with_what_is_read(statement, message):
    with pytest.raises(LakehouseError, match=message):
        parse_materialized_view(statement)


def test_a_value_bound_to_an_emulated_statement_is_refused_not_lost(tmp_path):
    engine = DuckDBEngine(load_target("local", data_dir=tmp_path))
    try:
        engine.execute("CREATE TABLE things (kind VARCHAR)")
        with pytest.raises(LakehouseError, match="bound parameters are not supported"):
            engine.execute(STATEMENT.replace("main.", ""), ["a"])
        with pytest.raises(LakehouseError, match="bound parameters are not supported"):
            engine.execute("BEGIN SELECT ?; END", [1])
        assert engine.execute("SELECT ? AS bound", ["kept"]).rows == [("kept",)]  # plain SQL binds as ever
    finally:
        engine.close()


def test_a_call_binds_values_to_whole_arguments(tmp_path):
    engine = DuckDBEngine(load_target("local", data_dir=tmp_path))
    procedure = """CREATE OR REPLACE PROCEDURE main.picked(IN label STRING, IN wanted ARRAY<STRING> DEFAULT NULL)
    LANGUAGE SQL SQL SECURITY INVOKER AS BEGIN
        SELECT label, kind FROM main.things
        WHERE wanted IS NULL OR array_contains(wanted, kind) ORDER BY kind;
    END"""
    try:
        engine.execute("CREATE TABLE main.things (kind VARCHAR)")
        engine.execute("INSERT INTO main.things VALUES ('a'), ('b'), ('c')")
        engine.execute(procedure)
        # a value with a quote or a marker in it stays a value
        picked = engine.execute("CALL main.picked(wanted => ?, label => ?)", [["a", "c"], "it's ?"])
        assert picked.rows == [("it's ?", "a"), ("it's ?", "c")]
        assert engine.execute("CALL main.picked('all')").rows == [("all", "a"), ("all", "b"), ("all", "c")]
        with pytest.raises(ScriptError, match="whole argument"):
            engine.execute("CALL main.picked(label => 'x' || ?)", ["y"])
        with pytest.raises(ScriptError, match="without a \\? marker"):
            engine.execute("CALL main.picked(label => ?)", ["x", "y"])
        with pytest.raises(ScriptError, match="more \\? markers"):
            engine.execute("CALL main.picked(label => ?, wanted => ?)", ["x"])
    finally:
        engine.close()
