"""Spark's bronze reads the landed files as read_files would, schema hints included."""

from __future__ import annotations

import json

from tests.oracle.lakehouse import databricks_target, parse_hints, read_landed_json, silver_shape_hints


def test_hints_are_split_on_top_level_commas_only():
    assert parse_hints("a STRING, b.c STRUCT<x: INT, y: STRING>, `d` ARRAY<STRING>") == [
        (["a"], "STRING"),
        (["b", "c"], "STRUCT<x: INT, y: STRING>"),
        (["d"], "ARRAY<STRING>"),
    ]


def test_a_hinted_field_no_file_carried_reads_as_null(quiet_spark, tmp_path):
    landed = tmp_path / "venues.json"
    landed.write_text(json.dumps({"id": "V1", "address": {"line1": "1 Main St"}, "dmas": [{"id": 501}]}) + "\n")
    options = {"schemaHints": "address STRUCT<line1: STRING, line2: STRING>, dmas.element.id STRING, url STRING"}

    inferred = read_landed_json(quiet_spark, [str(landed)], {})
    assert "line2" not in inferred.schema["address"].dataType.fieldNames()
    row = read_landed_json(quiet_spark, [str(landed)], options).collect()[0]
    assert row.address.line1 == "1 Main St" and row.address.line2 is None
    assert row.dmas[0].id == "501" and row.url is None


def test_the_shapes_silver_reads_are_hints_spark_accepts(quiet_spark, tmp_path):
    landed = tmp_path / "events.json"
    landed.write_text(json.dumps({"id": "E1", "name": "A show"}) + "\n")
    hints = silver_shape_hints(databricks_target())
    assert set(hints) == {"events_raw", "venues_raw", "attractions_raw", "classifications_raw"}
    frame = read_landed_json(quiet_spark, [str(landed)], hints["events_raw"])
    assert {"priceRanges", "_embedded", "dates"} <= set(frame.columns)
