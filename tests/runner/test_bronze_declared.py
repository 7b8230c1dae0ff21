"""Local bronze holds the keys its read_files schema declares as typed columns, as Databricks does."""

from __future__ import annotations

from datetime import date

import duckdb
import pytest

from runner.errors import LakehouseError
from runner.streaming_sql import StreamingTableSpec
from streaming.declared import declared_columns
from streaming.tables import LocalStreamingTable
from tests.runner.conftest import rows

SCHEMA = "`id` STRING, `dates` STRUCT<`start`: STRUCT<`localDate`: STRING>>, `tags` ARRAY<STRUCT<`name`: STRING>>"


def event(event_id: str, **extra: object) -> dict:
    return {"id": event_id, "dates": {"start": {"localDate": "2026-12-01", "localTime": "20:00:00"}}, **extra}


def test_a_schema_reads_as_typed_columns():
    columns = declared_columns(SCHEMA, "bronze.things_raw")
    assert [(c.name, c.duckdb_type) for c in columns] == [
        ("id", "VARCHAR"),
        ("dates", 'STRUCT("start" STRUCT("localDate" VARCHAR))'),
        ("tags", 'STRUCT("name" VARCHAR)[]'),
    ]
    assert declared_columns("", "bronze.things_raw") == []


@pytest.mark.parametrize(
    ("schema", "message"),
    [
        ("`n` INT", "STRING, STRUCT and ARRAY only; found INT"),
        ("`a` STRING,", "needs a name where it has the end"),
        ("`a` STRING `b` STRING", "has `b` where ',' belongs"),
        ("`a` ARRAY<STRING", "has the end where '>' belongs"),
        ("`a` STRING, `A` STRING", "declares a column twice"),
    ],
)
def test_a_schema_the_local_target_cannot_hold_is_refused_clearly(schema, message):
    with pytest.raises(LakehouseError, match=message) as caught:
        declared_columns(schema, "bronze.things_raw")
    assert str(caught.value).startswith("bronze.things_raw: ")


def test_declared_keys_are_parsed_once_into_their_shape(runner, land, data_dir):
    land("events", "a.json", [event("1", dates="not an object"), event("2", dates={"start": {"localDate": 20261201}})])
    assert runner("run", "--skip-ingest", "--select", "bronze.events_raw") == 0
    # A value that does not fit its declared shape reads as NULL fields; a number leaf reads as its text.
    assert rows(data_dir, "SELECT id, dates.start.localDate FROM bronze.events_raw ORDER BY id") == [
        ("1", None),
        ("2", "20261201"),
    ]
    kinds = dict(rows(data_dir, "SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = 'events_raw'"))
    assert kinds["id"] == "VARCHAR" and kinds["dates"].startswith("STRUCT(")


def test_a_lakehouse_whose_bronze_kept_json_columns_is_converted_in_place(runner, land, data_dir):
    land("events", "a.json", [event("1")])
    assert runner("run", "--skip-ingest", "--select", "bronze.events_raw") == 0
    with duckdb.connect(str(data_dir / "lakehouse.duckdb")) as connection:  # as an older version left it
        for column in ("id", "dates"):
            connection.execute(
                f"ALTER TABLE bronze.events_raw ALTER {column} SET DATA TYPE JSON USING to_json({column})"
            )
    land("events", "b.json", [event("2")])
    assert runner("run", "--skip-ingest") == 0
    assert rows(data_dir, "SELECT id, dates.start.localDate FROM bronze.events_raw ORDER BY id") == [
        ("1", "2026-12-01"),
        ("2", "2026-12-01"),
    ]
    assert rows(data_dir, "SELECT event_id, start_local_date FROM silver.events ORDER BY 1") == [
        ("1", date(2026, 12, 1)),
        ("2", date(2026, 12, 1)),
    ]


def test_a_field_added_to_the_schema_is_null_in_rows_read_before(tmp_path):
    """As on Databricks, a changed schema applies to files read from then on; a full refresh reads all again."""
    folder = tmp_path / "landing" / "things"
    folder.mkdir(parents=True)
    (folder / "a.json").write_text('{"id": "1", "p": {"a": "x", "b": "y"}}\n')
    connection = duckdb.connect(str(tmp_path / "lakehouse.duckdb"))
    connection.execute("CREATE SCHEMA bronze")

    def table(schema: str) -> LocalStreamingTable:
        spec = StreamingTableSpec("bronze.things_raw", str(folder), "", {"format": "json", "schema": schema})
        return LocalStreamingTable(connection, spec, tmp_path / "landing")

    table("`id` STRING, `p` STRUCT<`a`: STRING>").create()
    table("`id` STRING, `p` STRUCT<`a`: STRING>").refresh()
    (folder / "b.json").write_text('{"id": "2", "p": {"a": "x", "b": "y"}}\n')
    wider = table("`id` STRING, `p` STRUCT<`a`: STRING, `b`: STRING>")
    wider.create()
    wider.refresh()
    read = "SELECT id, p FROM bronze.things_raw ORDER BY id"
    assert connection.execute(read).fetchall() == [("1", {"a": "x", "b": None}), ("2", {"a": "x", "b": "y"})]
    wider.refresh(full=True)
    assert connection.execute(read).fetchall() == [("1", {"a": "x", "b": "y"}), ("2", {"a": "x", "b": "y"})]
    connection.close()
