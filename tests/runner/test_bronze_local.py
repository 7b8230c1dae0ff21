"""Local bronze keeps the meaning of a Databricks streaming table over read_files."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from streaming import tables as local_streaming
from tests.runner.conftest import rows


def event(event_id: str, **extra: object) -> dict:
    return {"id": event_id, "name": f"Event {event_id}", "dates": {"start": {"localDate": "2026-12-01"}}, **extra}


def test_run_twice_over_the_same_files_reads_each_file_once(runner, land, data_dir):
    land("events", "a.json", [event("1"), event("2")])
    land("venues", "v.json", [{"id": "V1", "name": "Hall"}])
    assert runner("run", "--skip-ingest", "--select", "bronze") == 0
    assert runner("run", "--skip-ingest", "--select", "bronze") == 0
    assert rows(data_dir, "SELECT count(*) FROM bronze.events_raw") == [(2,)]
    assert rows(data_dir, "SELECT count(*) FROM bronze.venues_raw") == [(1,)]
    land("events", "b.json", [event("3")])
    assert runner("run", "--skip-ingest", "--select", "bronze") == 0
    assert rows(data_dir, "SELECT id, _source_file LIKE '%b.json' FROM bronze.events_raw ORDER BY 1") == [
        ("1", False),
        ("2", False),
        ("3", True),
    ]


def test_metadata_columns_name_the_file_and_the_day(runner, land, data_dir):
    path = land("events", "a.json", [event("1")])
    runner("run", "--skip-ingest", "--select", "bronze")
    [(source, stamp_day, day)] = rows(
        data_dir, "SELECT _source_file, _ingestion_timestamp::DATE, ingestion_date FROM bronze.events_raw"
    )
    assert source == str(path)
    assert day == stamp_day


def test_a_new_field_adds_a_column_and_older_rows_keep_null(runner, land, data_dir):
    land("events", "a.json", [event("1"), event("2")])
    runner("run", "--skip-ingest", "--select", "bronze")
    before = rows(data_dir, "SELECT id, name, dates, _source_file FROM bronze.events_raw ORDER BY id")
    land("events", "b.json", [event("3", accessibility={"ticketLimit": 4})])
    runner("run", "--skip-ingest", "--select", "bronze")
    assert (
        rows(data_dir, "SELECT id, name, dates, _source_file FROM bronze.events_raw WHERE id <> '3' ORDER BY id")
        == before
    )
    assert rows(data_dir, "SELECT id, accessibility ->> '$.ticketLimit' FROM bronze.events_raw ORDER BY 1") == [
        ("1", None),
        ("2", None),
        ("3", "4"),
    ]


def test_a_malformed_line_is_kept_aside_and_the_rest_is_ingested(runner, land, data_dir, capsys):
    land("events", "good.json", [event("1")])
    land("events", "bad.json", [event("2"), '{"id": "3", "name": ', "[1, 2]", event("4")])
    assert runner("run", "--skip-ingest", "--select", "bronze") == 0
    assert rows(data_dir, "SELECT id FROM bronze.events_raw ORDER BY 1") == [("1",), ("2",), ("4",)]
    quarantined = rows(
        data_dir, "SELECT table_name, source_file, line_number, raw_text, error FROM bronze._quarantine ORDER BY 3"
    )
    bad = "events/2026/11/20/bad.json"  # relative to the landing root
    assert [(q[0], q[1], q[2], q[3]) for q in quarantined] == [
        ("bronze.events_raw", bad, 2, '{"id": "3", "name": '),
        ("bronze.events_raw", bad, 3, "[1, 2]"),
    ]
    assert quarantined[0][4].startswith("malformed JSON")
    assert quarantined[1][4] == "expected a JSON object, found an array"
    out = capsys.readouterr().out
    assert "2 record(s) from 1 file(s) kept aside" in out
    assert f"kept aside: {bad}: 2 record(s)" in out and "line 2: malformed JSON" in out
    # The bad file counts as read: a second run neither re-reads it nor quarantines it again.
    runner("run", "--skip-ingest", "--select", "bronze")
    assert rows(data_dir, "SELECT count(*) FROM bronze._quarantine") == [(2,)]
    assert rows(data_dir, "SELECT count(*) FROM bronze.events_raw") == [(3,)]
    counted = "SELECT records, quarantined_records FROM bronze._ingested_files WHERE source_file = ?"
    assert rows(data_dir, counted, [bad]) == [(2, 2)]


def test_an_invalid_utf8_line_is_kept_aside_and_the_rest_of_the_batch_loads(runner, land, data_dir, capsys):
    land("events", "a.json", [event("1")])
    path = land("events", "b.json", [event("2"), event("3"), event("4")])
    lines = path.read_bytes().split(b"\n")
    lines[1] = lines[1].replace(b"Event 3", b"Event \xff3")  # one byte that is not UTF-8, inside a string
    path.write_bytes(b"\n".join(lines))
    land("events", "c.json", [event("5")])
    assert runner("run", "--skip-ingest", "--select", "bronze") == 0
    # b.json is read line by line, so its rows know their lines; a.json and c.json are read whole
    assert rows(data_dir, "SELECT id, _source_line FROM bronze.events_raw ORDER BY 1") == [
        ("1", None),
        ("2", 1),
        ("4", 3),
        ("5", None),
    ]
    [(line, raw, error)] = rows(data_dir, "SELECT line_number, raw_text, error FROM bronze._quarantine")
    assert line == 2 and "Event \\xff3" in raw
    assert error.startswith("not valid UTF-8: byte 0xff")
    assert "kept aside: events/2026/11/20/b.json: 1 record(s)" in capsys.readouterr().out
    # The next run does not trip on it again: nothing new, nothing kept aside twice.
    assert runner("run", "--skip-ingest", "--select", "bronze") == 0
    assert re.search(r"\d+/\d+\s+bronze\.events_raw\s+OK\s+0 rows", capsys.readouterr().out)
    assert rows(data_dir, "SELECT count(*) FROM bronze._quarantine") == [(1,)]
    assert rows(data_dir, "SELECT count(*) FROM bronze.events_raw") == [(4,)]


def test_a_file_that_is_not_text_is_kept_aside_whole(runner, land, data_dir):
    land("events", "good.json", [event("1")])
    folder = data_dir / "landing" / "events" / "2026/11/20"
    (folder / "binary.json").write_bytes(b"\x00\xff\xfe garbage \x00\n\x01\x02\n")
    assert runner("run", "--skip-ingest", "--select", "bronze") == 0
    assert rows(data_dir, "SELECT count(*) FROM bronze.events_raw") == [(1,)]
    assert rows(data_dir, "SELECT source_file, line_number, error FROM bronze._quarantine") == [
        (
            "events/2026/11/20/binary.json",
            None,
            "the file is not text (it holds NUL bytes), not newline-delimited JSON: one object per line is expected",
        )
    ]


def test_temporary_and_hidden_files_are_not_read(runner, land, data_dir):
    land("events", "a.json", [event("1")])
    land("events", ".a.json.tmp", [event("2")])
    land("events", "_manifest.json", [event("3")])
    runner("run", "--skip-ingest", "--select", "bronze")
    assert rows(data_dir, "SELECT id FROM bronze.events_raw") == [("1",)]


def test_a_crash_before_commit_leaves_nothing_half_read(runner, land, data_dir, monkeypatch):
    for n in range(6):
        land("events", f"f{n}.json", [event(f"{n}a"), event(f"{n}b")])
    monkeypatch.setattr(local_streaming, "FILES_PER_BATCH", 2)
    original = local_streaming.LocalStreamingTable._record
    calls = {"n": 0}

    def crash_on_second_batch(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt  # what a Ctrl-C between insert and commit looks like
        return original(self, *args, **kwargs)

    monkeypatch.setattr(local_streaming.LocalStreamingTable, "_record", crash_on_second_batch)
    assert runner("run", "--skip-ingest", "--select", "bronze.events_raw") == 130
    assert rows(data_dir, "SELECT count(*), count(DISTINCT _source_file) FROM bronze.events_raw") == [(4, 2)]
    monkeypatch.setattr(local_streaming.LocalStreamingTable, "_record", original)
    assert runner("run", "--skip-ingest", "--select", "bronze") == 0
    assert rows(data_dir, "SELECT count(*), count(DISTINCT id) FROM bronze.events_raw") == [(12, 12)]
    assert rows(data_dir, "SELECT count(*) FROM bronze._ingested_files WHERE table_name = 'bronze.events_raw'") == [
        (6,)
    ]


def test_full_refresh_rereads_everything_once(runner, land, data_dir):
    land("events", "a.json", [event("1", extra={"x": 1})])
    land("events", "b.json", [event("2")])
    runner("run", "--skip-ingest", "--select", "bronze")
    assert runner("run", "--skip-ingest", "--select", "bronze", "--full-refresh") == 0
    assert rows(data_dir, "SELECT count(*) FROM bronze.events_raw") == [(2,)]
    (data_dir / "landing/events/2026/11/20/a.json").unlink()
    runner("run", "--skip-ingest", "--select", "bronze", "--full-refresh")
    # Columns are re-inferred from what is landed now, like a Databricks full refresh.
    columns = [r[0] for r in rows(data_dir, "SELECT column_name FROM duckdb_columns() WHERE table_name = 'events_raw'")]
    assert "extra" not in columns
    assert rows(data_dir, "SELECT id FROM bronze.events_raw") == [("2",)]


def test_keys_that_cannot_be_columns_are_rescued(runner, land, data_dir):
    land("events", "a.json", [{"id": "1", "ID": "upper", "_source_file": "spoof", "": 5}])
    runner("run", "--skip-ingest", "--select", "bronze")
    [(rescued, source)] = rows(data_dir, "SELECT _rescued_data, _source_file FROM bronze.events_raw")
    assert json.loads(rescued) == {"ID": "upper", "_source_file": "spoof", "": 5}
    assert source.endswith("a.json")


@pytest.mark.parametrize("entity", ["events", "venues", "attractions", "classifications"])
def test_the_offline_sample_lands_and_loads_every_entity(runner, data_dir, entity, capsys):
    assert runner("run", "--select", "bronze") == 0
    assert "offline sample" in capsys.readouterr().out
    landed = sum(
        1 for p in (data_dir / "landing" / entity).rglob("*.json") for line in p.read_text().splitlines() if line
    )
    assert landed > 0
    assert rows(data_dir, f"SELECT count(*) FROM bronze.{entity}_raw") == [(landed,)]


def test_a_second_writer_is_refused_with_a_clear_message(runner, land, data_dir, capsys):
    import subprocess
    import sys
    import time

    land("events", "a.json", [event("1")])
    runner("run", "--skip-ingest", "--select", "bronze")
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb,sys,time; c=duckdb.connect(sys.argv[1]); print('ready', flush=True); time.sleep(30)",
            str(data_dir / "lakehouse.duckdb"),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ready"
        land("events", "b.json", [event("2")])
        assert runner("run", "--skip-ingest", "--select", "bronze") == 1
        assert "Another process is using" in capsys.readouterr().err
    finally:
        holder.kill()
        holder.wait()
    time.sleep(0.1)
    assert runner("run", "--skip-ingest", "--select", "bronze") == 0
    assert rows(data_dir, "SELECT count(*) FROM bronze.events_raw") == [(2,)]


def test_files_are_found_in_dated_folders(land, data_dir):
    land("events", "a.json", [event("1")], day="2026/01/02")
    land("events", "b.json", [event("2")], day="2026/11/20")
    found = local_streaming.landed_files(Path(data_dir / "landing" / "events"))
    assert [p.name for p in found] == ["a.json", "b.json"]


def test_landed_files_skip_what_read_files_skips_and_sort_as_paths(tmp_path):
    folder = tmp_path / "events"
    for name in (
        "2026/01/10/b.json",
        "2026/01/02/a.json",
        "2026/1/c.json",
        "2026/01/02/d.json.partial",
        "2026/01/02/e.json.tmp",
        "_checkpoints/f.json",
        ".staging/g.json",
        "2026/_h/i.json",
        "j-k/l.json",
    ):
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text("{}\n")
    (folder / "linked").symlink_to(folder / "2026", target_is_directory=True)  # a link to a folder is not followed
    found = local_streaming.landed_files(folder)
    assert [p.relative_to(folder).as_posix() for p in found] == [
        "2026/01/02/a.json", "2026/01/10/b.json", "2026/1/c.json", "j-k/l.json",
    ]  # fmt: skip
    assert local_streaming.landed_files(tmp_path / "missing") == []


def test_empty_objects_and_nulls_are_rows_too(runner, land, data_dir):
    land("classifications", "empty.json", [{}, {}])
    land("events", "nulls.json", [{"id": "9", "name": None}])
    assert runner("run", "--skip-ingest", "--select", "bronze") == 0
    assert rows(data_dir, "SELECT count(*) FROM bronze.classifications_raw") == [(2,)]
    assert rows(data_dir, "SELECT id, name FROM bronze.events_raw") == [("9", None)]
    assert rows(data_dir, "SELECT count(*) FROM bronze._quarantine") == [(0,)]
