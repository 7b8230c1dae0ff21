"""Bronze files hold the Databricks streaming table statement; the local target reads it and emulates it."""

from __future__ import annotations

import pytest

from runner.config import load_target
from runner.engines.duckdb_engine import DuckDBEngine
from runner.errors import LakehouseError
from runner.project import compile_project
from runner.streaming_sql import is_streaming_table, parse_streaming_table

STATEMENT = """-- a label
CREATE OR REFRESH STREAMING TABLE bronze.things_raw
CLUSTER BY (ingestion_date)
COMMENT 'Things as landed, each file read once; it\\'s raw.'
AS SELECT
    *,
    _metadata.file_path AS _source_file,
    current_timestamp() AS _ingestion_timestamp,
    current_date() AS ingestion_date
FROM STREAM read_files(
    '{folder}',
    format => 'json',
    schema => '`id` STRING',
    rescuedDataColumn => '_rescued_data'
)"""


def test_every_bronze_file_holds_the_literal_statement():
    for target in (load_target("local", data_dir="data"), load_target("databricks")):
        bronze = [obj for obj in compile_project(target, "bronze") if obj.file.name.endswith("_raw")]
        assert len(bronze) == 4
        for obj in bronze:
            source = obj.file.path.read_text()
            assert "CREATE OR REFRESH STREAMING TABLE {{ this }}" in source and "FROM STREAM read_files(" in source
            (spec,) = obj.streaming_tables
            assert spec.name == target.qualify("bronze", obj.file.name)
            assert spec.source.endswith("/" + obj.file.name.removesuffix("_raw"))
            assert spec.options["format"] == "json" and spec.schema.startswith("`")


def test_the_statement_is_read_for_its_table_folder_and_options():
    spec = parse_streaming_table(STATEMENT.format(folder="/landing/things"))
    assert (spec.name, spec.source) == ("bronze.things_raw", "/landing/things")
    assert spec.comment == "Things as landed, each file read once; it's raw."
    assert spec.options == {"format": "json", "schema": "`id` STRING", "rescuedDataColumn": "_rescued_data"}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("format => 'json'", "format => 'csv'"), "format => 'json' only"),
        (("    *,\n", "    id,\n"), "select list"),
        (("format => 'json'", "format => json"), "string options"),
    ],
)
def test_a_shape_the_local_target_cannot_emulate_is_refused(change, message):
    sql = STATEMENT.format(folder="/landing/things").replace(*change)
    assert is_streaming_table(sql)
    with pytest.raises(LakehouseError, match=message):
        parse_streaming_table(sql)


def test_the_local_engine_creates_the_table_and_its_folder(tmp_path):
    target = load_target("local", data_dir=tmp_path)
    engine = DuckDBEngine(target)
    try:
        engine.execute("CREATE SCHEMA IF NOT EXISTS bronze")
        folder = tmp_path / "landing" / "things"
        engine.execute(STATEMENT.format(folder=folder))
        columns = [r[:2] for r in engine.connection.execute("DESCRIBE bronze.things_raw").fetchall()]
        (comment,) = engine.connection.execute(
            "SELECT comment FROM duckdb_tables() WHERE table_name = 'things_raw'"
        ).fetchone()
    finally:
        engine.close()
    assert folder.is_dir()
    # the declared schema's columns exist from the start, typed, as read_files with a schema gives them
    assert columns == [
        ("_rescued_data", "JSON"),
        ("_source_file", "VARCHAR"),
        ("_ingestion_timestamp", "TIMESTAMP WITH TIME ZONE"),
        ("ingestion_date", "DATE"),
        ("_source_line", "BIGINT"),
        ("id", "VARCHAR"),
    ]
    assert comment == "Things as landed, each file read once; it's raw."
