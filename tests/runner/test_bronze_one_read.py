"""Local bronze reads a batch of landed files once when its keys are known, with the rows a survey gives."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lakehouse.cli import main
from streaming import tables as local_streaming
from tests.runner.conftest import rows
from tests.runner.test_bronze_local import event

# Every column but when the row was loaded, with the file named relative to the data directory.
CONTENT = (
    "SELECT * EXCLUDE (_source_file, _ingestion_timestamp, ingestion_date), "
    "regexp_extract(_source_file, 'landing/.*') AS landed FROM bronze.events_raw ORDER BY landed, id, _source_line"
)


def varied_events(batch: int) -> list[list[dict]]:
    """Files whose values exercise how a JSON value is kept: nested, null, numbers, text, lists."""
    return [
        [
            event(f"{batch}-{n}-a", priceRanges=[{"min": 1.50, "max": 10, "currency": "USD"}], test=False),
            event(f"{batch}-{n}-b", name=None, info="Caf\u00e9 \u201cquoted\u201d \\ / \n", sales={}),
            event(f"{batch}-{n}-c", _embedded={"venues": [{"id": "V1", "name": None}], "attractions": []}),
        ]
        for n in range(3)
    ]


@pytest.fixture
def small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(local_streaming, "FILES_PER_BATCH", 2)
    monkeypatch.setattr(local_streaming, "DISCOVERY_FILES", 1)


def test_one_read_gives_the_rows_and_file_records_of_a_survey(land, data_dir, tmp_path, small_batches, monkeypatch):
    for batch in range(2):
        for n, records in enumerate(varied_events(batch)):
            land("events", f"b{batch}-{n}.json", records)
    surveyed = tmp_path / "surveyed"
    surveyed.mkdir()
    for path in (data_dir / "landing").rglob("*.json"):
        target = surveyed / "landing" / path.relative_to(data_dir / "landing")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(path.read_bytes())

    surveys = []
    survey = local_streaming.LocalStreamingTable._load_batch
    monkeypatch.setattr(
        local_streaming.LocalStreamingTable,
        "_load_batch",
        lambda self, files, *rest: surveys.append(len(files)) or survey(self, files, *rest),
    )
    assert main(["run", "--skip-ingest", "--select", "bronze.events_raw", "--data-dir", str(data_dir)]) == 0
    assert surveys == []  # every batch read once

    monkeypatch.setattr(local_streaming.LocalStreamingTable, "_load_known_keys", lambda *args: False)
    assert main(["run", "--skip-ingest", "--select", "bronze.events_raw", "--data-dir", str(surveyed)]) == 0
    assert surveys == [2, 2, 2]

    once = rows(data_dir, CONTENT)
    assert len(once) == 18
    assert once == rows(surveyed, CONTENT)
    files = (
        "SELECT source_file, content_sha256, records, quarantined_records, same_content_as "
        "FROM bronze._ingested_files ORDER BY source_file"
    )
    assert rows(data_dir, files) == rows(surveyed, files)


def test_a_later_batch_with_an_id_twice_numbers_its_lines(runner, land, data_dir, small_batches):
    land("events", "a.json", [event("1"), event("2")])
    assert runner("run", "--skip-ingest", "--select", "bronze.events_raw") == 0
    land("events", "b.json", [event("3", name="first"), event("3", name="second")])
    assert runner("run", "--skip-ingest", "--select", "bronze.events_raw") == 0
    later = "SELECT name, _source_line FROM bronze.events_raw WHERE _source_file LIKE '%b.json' ORDER BY 2"
    assert rows(data_dir, later) == [("first", 1), ("second", 2)]


def test_a_later_batch_with_a_bad_line_or_a_missing_id_keeps_them_aside(runner, land, data_dir, small_batches):
    land("events", "a.json", [event("1")])
    assert runner("run", "--skip-ingest", "--select", "bronze.events_raw") == 0
    land("events", "b.json", [event("2"), "not json", {"name": "no id"}, event("3")])
    land("events", "c.json", [event("4"), "", event("5")])
    assert runner("run", "--skip-ingest", "--select", "bronze.events_raw") == 0
    assert rows(data_dir, "SELECT id FROM bronze.events_raw ORDER BY 1") == [(str(n),) for n in range(1, 6)]
    assert rows(data_dir, "SELECT source_file, line_number FROM bronze._quarantine ORDER BY 2") == [
        ("events/2026/11/20/b.json", 2),
        ("events/2026/11/20/b.json", 3),
    ]


def test_a_key_seen_in_no_file_before_still_becomes_a_column(runner, land, data_dir, small_batches):
    land("events", "a.json", [event("1")])
    land("events", "b.json", [event("2")])
    land("events", "c.json", [event("3", seatmap={"staticUrl": "https://example.test/map.png"})])
    assert runner("run", "--skip-ingest", "--select", "bronze.events_raw") == 0
    assert rows(data_dir, "SELECT id, seatmap ->> '$.staticUrl' FROM bronze.events_raw ORDER BY 1") == [
        ("1", None),
        ("2", None),
        ("3", "https://example.test/map.png"),
    ]


def test_a_file_that_vanishes_before_its_batch_is_read_is_tried_again(
    runner, land, data_dir, small_batches, monkeypatch
):
    land("events", "a.json", [event("1")])
    assert runner("run", "--skip-ingest", "--select", "bronze.events_raw") == 0
    gone: Path = land("events", "b.json", [event("2")])
    land("events", "c.json", [event("3")])
    original = local_streaming.LocalStreamingTable._load_known_keys

    def vanish_first(self, files, *rest):
        if gone.exists():
            gone.unlink()
        return original(self, files, *rest)

    monkeypatch.setattr(local_streaming.LocalStreamingTable, "_load_known_keys", vanish_first)
    assert runner("run", "--skip-ingest", "--select", "bronze.events_raw") == 0
    monkeypatch.setattr(local_streaming.LocalStreamingTable, "_load_known_keys", original)
    assert rows(data_dir, "SELECT id FROM bronze.events_raw ORDER BY 1") == [("1",), ("3",)]
    land("events", "b.json", [event("2")])
    assert runner("run", "--skip-ingest", "--select", "bronze.events_raw") == 0
    assert rows(data_dir, "SELECT id FROM bronze.events_raw ORDER BY 1") == [("1",), ("2",), ("3",)]


def test_a_json_null_is_sql_null_whichever_way_the_file_is_read(runner, land, data_dir):
    # a.json is read whole; b.json has a bad line, so its good lines are read one by one.
    land("events", "a.json", [event("1", name=None, info="kept")])
    land("events", "b.json", [event("2", name=None, info="kept"), "not json"])
    assert runner("run", "--skip-ingest", "--select", "bronze.events_raw") == 0
    assert rows(data_dir, "SELECT id, name IS NULL, info FROM bronze.events_raw ORDER BY id") == [
        ("1", True, '"kept"'),
        ("2", True, '"kept"'),
    ]


@pytest.mark.parametrize("checkpoint_bytes", [0, 1 << 40])
def test_a_batch_past_the_checkpoint_threshold_is_written_once(tmp_path, monkeypatch, checkpoint_bytes):
    """A batch as large as DuckDB's checkpoint threshold commits as a checkpoint: its rows are in the
    database file, none in the log; a smaller one is logged as before. Either way the threshold stays."""
    import duckdb

    from runner.streaming_sql import StreamingTableSpec

    monkeypatch.setattr(local_streaming, "CHECKPOINT_BYTES", checkpoint_bytes)
    folder = tmp_path / "landing" / "events" / "2026" / "11" / "20"
    folder.mkdir(parents=True)
    (folder / "a.json").write_text("\n".join(json.dumps(event(str(n), info="x" * 500)) for n in range(2000)) + "\n")
    database = tmp_path / "lakehouse.duckdb"
    wal = Path(f"{database}.wal")
    with duckdb.connect(str(database)) as connection:
        before = connection.execute("SELECT current_setting('checkpoint_threshold')").fetchone()
        connection.execute("CREATE SCHEMA bronze")
        connection.execute("CHECKPOINT")
        spec = StreamingTableSpec("bronze.events_raw", str(tmp_path / "landing" / "events"), "events")
        table = local_streaming.LocalStreamingTable(connection, spec, tmp_path / "landing")
        table.create()
        report = table.refresh()
        assert report.rows == 2000
        logged = wal.exists() and wal.stat().st_size > 100_000
        assert logged == (checkpoint_bytes > 0)
        assert connection.execute("SELECT current_setting('checkpoint_threshold')").fetchone() == before
        assert connection.execute("SELECT count(*) FROM bronze.events_raw").fetchone() == (2000,)
