"""Bronze under the faults a user meets: a data directory moved, copied or upgraded, records without an
id, files that are not one object per line, duplicates within one file, floods of bad lines."""

from __future__ import annotations

import json
import os
import re
import shutil
import time
from pathlib import Path

import duckdb
import pytest

from lakehouse.cli import main
from streaming import file_state as bronze_state
from streaming import tables as local_streaming
from tests.runner.conftest import rows


def event(event_id: str | None, name: str = "", **extra: object) -> dict:
    record = {"name": name or f"Event {event_id}", "dates": {"start": {"localDate": "2026-12-01"}}, **extra}
    if event_id is not None:
        record["id"] = event_id
    return record


def bronze_counts(data_dir: Path) -> tuple[list[tuple], list[tuple]]:
    return (
        rows(data_dir, "SELECT table_name, count(*) FROM bronze._ingested_files GROUP BY ALL ORDER BY ALL"),
        rows(data_dir, "SELECT 'events', count(*) FROM bronze.events_raw UNION ALL SELECT 'venues', count(*) "
             "FROM bronze.venues_raw ORDER BY 1"),
    )  # fmt: skip


# ---------------------------------------------------------------- where the data directory lives


def test_a_moved_data_dir_reloads_nothing(runner, land, data_dir, tmp_path, capsys):
    land("events", "a.json", [event("1"), event("2")])
    land("venues", "v.json", [{"id": "V1", "name": "Hall"}])
    assert runner("run", "--skip-ingest", "--select", "bronze") == 0
    before = bronze_counts(data_dir)
    moved = tmp_path / "elsewhere" / "data"
    shutil.move(str(data_dir), moved)
    capsys.readouterr()
    assert main(["run", "--skip-ingest", "--select", "bronze", "--data-dir", str(moved)]) == 0
    assert bronze_counts(moved) == before
    assert re.search(r"\d+/\d+\s+bronze\.events_raw\s+OK\s+0 rows", capsys.readouterr().out)
    # Files recorded by their place in the landing zone, not by where the zone was
    assert rows(moved, "SELECT source_file FROM bronze._ingested_files ORDER BY 1") == [
        ("events/2026/11/20/a.json",),
        ("venues/2026/11/20/v.json",),
    ]


def test_a_copy_with_new_file_times_is_recognised_by_content(runner, land, data_dir, tmp_path, capsys):
    land("events", "a.json", [event("1")])
    assert runner("run", "--skip-ingest", "--select", "bronze") == 0
    copy = tmp_path / "copy" / "data"
    shutil.copytree(data_dir, copy)
    later = time.time() + 3600
    for path in (copy / "landing").rglob("*.json"):
        os.utime(path, (later, later))  # what `cp -r` without -p does to every file
    capsys.readouterr()
    assert main(["run", "--skip-ingest", "--select", "bronze", "--data-dir", str(copy)]) == 0
    out = capsys.readouterr().out
    assert "bronze.events_raw: 0 new file(s), 0 row(s); 1 file(s) already read" in out
    assert rows(copy, "SELECT count(*) FROM bronze.events_raw") == [(1,)]
    # recognised once: the next run finds the new time recorded and does not even hash the file
    assert main(["run", "--skip-ingest", "--select", "bronze", "--data-dir", str(copy)]) == 0
    assert "already read" not in capsys.readouterr().out


def test_the_same_content_moved_within_the_landing_zone_is_not_read_again(runner, land, data_dir):
    first = land("events", "a.json", [event("1"), event("2")], day="2026/11/20")
    assert runner("run", "--skip-ingest", "--select", "bronze") == 0
    moved = data_dir / "landing" / "events" / "2026" / "11" / "21" / "renamed.json"
    moved.parent.mkdir(parents=True)
    first.rename(moved)
    assert runner("run", "--skip-ingest", "--select", "bronze") == 0
    assert rows(data_dir, "SELECT count(*) FROM bronze.events_raw") == [(2,)]
    assert rows(
        data_dir, "SELECT records, same_content_as FROM bronze._ingested_files WHERE source_file LIKE '%renamed.json'"
    ) == [(0, "events/2026/11/20/a.json")]


def test_two_new_files_with_the_same_content_are_read_once(runner, land, data_dir):
    land("events", "a.json", [event("1")])
    land("events", "b.json", [event("1")])
    assert runner("run", "--skip-ingest", "--select", "bronze") == 0
    assert rows(data_dir, "SELECT count(*) FROM bronze.events_raw") == [(1,)]
    assert rows(data_dir, "SELECT source_file, records, same_content_as FROM bronze._ingested_files ORDER BY 1") == [
        ("events/2026/11/20/a.json", 1, None),
        ("events/2026/11/20/b.json", 0, "events/2026/11/20/a.json"),
    ]


def test_new_content_at_a_known_path_is_read_as_a_new_file(runner, land, data_dir):
    land("events", "a.json", [event("1")])
    assert runner("run", "--skip-ingest", "--select", "bronze") == 0
    land("events", "a.json", [event("1", name="Renamed"), event("2")])  # rewritten in place, same name
    assert runner("run", "--skip-ingest", "--select", "bronze") == 0
    assert rows(data_dir, "SELECT name FROM bronze.events_raw ORDER BY 1") == [
        ("Event 1",),
        ("Event 2",),
        ("Renamed",),
    ]


def _as_an_older_version_left_it(data_dir: Path) -> None:
    """Rewrite the state tables as the version that remembered files by absolute path kept them."""
    with duckdb.connect(str(data_dir / "lakehouse.duckdb")) as connection:
        landing = str(data_dir / "landing")
        connection.execute(
            "CREATE TABLE bronze.old_files AS SELECT table_name, ? || '/' || source_file AS source_file, file_size, "
            "records, quarantined_records, ingested_at FROM bronze._ingested_files",
            [landing],
        )
        connection.execute("DROP TABLE bronze._ingested_files")
        connection.execute(
            "CREATE TABLE bronze._ingested_files (table_name VARCHAR NOT NULL, source_file VARCHAR NOT NULL, "
            "file_size BIGINT NOT NULL, records BIGINT NOT NULL, quarantined_records BIGINT NOT NULL, "
            "ingested_at TIMESTAMP WITH TIME ZONE NOT NULL, PRIMARY KEY (table_name, source_file))"
        )
        connection.execute("INSERT INTO bronze._ingested_files SELECT * FROM bronze.old_files")
        connection.execute("DROP TABLE bronze.old_files")
        connection.execute("UPDATE bronze._quarantine SET source_file = ? || '/' || source_file", [landing])
        for table in ("events_raw", "venues_raw", "attractions_raw", "classifications_raw"):
            connection.execute(f"ALTER TABLE bronze.{table} DROP COLUMN _source_line")


@pytest.mark.parametrize("moved_first", [False, True], ids=["in-place", "moved-then-upgraded"])
def test_upgrading_a_lakehouse_that_kept_absolute_paths_reloads_nothing(runner, land, data_dir, tmp_path, moved_first):
    land("events", "a.json", [event("1"), "not json"])
    land("venues", "v.json", [{"id": "V1", "name": "Hall"}])
    assert runner("run", "--skip-ingest", "--select", "bronze") == 0
    before = bronze_counts(data_dir)
    _as_an_older_version_left_it(data_dir)
    if moved_first:
        target = tmp_path / "restored" / "data"
        shutil.move(str(data_dir), target)
        data_dir = target
    assert main(["run", "--skip-ingest", "--select", "bronze", "--data-dir", str(data_dir)]) == 0
    assert bronze_counts(data_dir) == before
    assert rows(
        data_dir,
        "SELECT source_file, content_sha256 IS NOT NULL, file_modified_at IS NOT NULL FROM bronze._ingested_files "
        "ORDER BY 1",
    ) == [("events/2026/11/20/a.json", True, True), ("venues/2026/11/20/v.json", True, True)]
    assert rows(data_dir, "SELECT source_file, line_number FROM bronze._quarantine") == [
        ("events/2026/11/20/a.json", 2)
    ]
    # rows loaded before the upgrade have no line; silver still reads them
    assert rows(data_dir, "SELECT count(*) FROM bronze.events_raw WHERE _source_line IS NULL") == [(1,)]


def test_a_file_that_cannot_be_read_is_tried_again_by_the_next_run(runner, land, data_dir, monkeypatch, capsys):
    land("events", "a.json", [event("1")])
    land("events", "b.json", [event("2")])
    real = bronze_state.fingerprint

    def denied_for_b(path: Path):
        if path.name == "b.json":
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(bronze_state, "fingerprint", denied_for_b)
    assert runner("run", "--skip-ingest", "--select", "bronze") == 0
    out = capsys.readouterr().out
    assert "1 row(s); 1 file(s) could not be read and will be tried again" in out
    assert "could not read events/2026/11/20/b.json: [Errno 13] Permission denied" in out
    assert rows(data_dir, "SELECT source_file FROM bronze._ingested_files") == [("events/2026/11/20/a.json",)]
    monkeypatch.setattr(bronze_state, "fingerprint", real)
    assert runner("run", "--skip-ingest", "--select", "bronze") == 0
    assert rows(data_dir, "SELECT id FROM bronze.events_raw ORDER BY 1") == [("1",), ("2",)]


# ---------------------------------------------------------------- records that cannot be loaded


def test_records_without_a_usable_id_are_kept_aside_and_reported_by_the_quality_rule(runner, land, data_dir):
    # a.json lacks an id key on one line (read line by line); every line of b.json has one (one typed read)
    land("events", "a.json", [event("1"), event(None), event("3")])
    land("events", "b.json", [event("", name="Empty id"), event("5"), {"id": None, "name": "Null id"}])
    land("venues", "v.json", [{"id": "V1", "name": "Hall"}, {"name": "Nameless venue"}])
    land("attractions", "t.json", [{"id": "", "name": "Band"}, {"id": "A1", "name": "Band"}])
    assert runner("run", "--skip-ingest") == 0
    assert rows(data_dir, "SELECT id, _source_line FROM bronze.events_raw ORDER BY 1") == [
        ("1", 1),
        ("3", 3),
        ("5", 2),
    ]
    assert rows(data_dir, "SELECT event_id FROM silver.events ORDER BY 1") == [("1",), ("3",), ("5",)]
    quarantined = "SELECT table_name, source_file, line_number, error FROM bronze._quarantine ORDER BY ALL"
    reasons = ("field is missing", "is empty", "is null")
    missing, empty, null = (f"no usable id: the id {why} (silver keys records by id)" for why in reasons)
    assert rows(data_dir, quarantined) == [
        ("bronze.attractions_raw", "attractions/2026/11/20/t.json", 1, empty),
        ("bronze.events_raw", "events/2026/11/20/a.json", 2, missing),
        ("bronze.events_raw", "events/2026/11/20/b.json", 1, empty),
        ("bronze.events_raw", "events/2026/11/20/b.json", 3, null),
        ("bronze.venues_raw", "venues/2026/11/20/v.json", 2, missing),
    ]
    assert rows(data_dir, "SELECT raw_text FROM bronze._quarantine WHERE line_number = 3") == [
        ('{"id": null, "name": "Null id"}',)
    ]
    counted = "SELECT source_file, records, quarantined_records FROM bronze._ingested_files WHERE table_name = ?"
    assert rows(data_dir, counted + " ORDER BY 1", ["bronze.events_raw"]) == [
        ("events/2026/11/20/a.json", 2, 1),
        ("events/2026/11/20/b.json", 1, 2),
    ]
    rule = "SELECT status, rows_failing, failing_sample FROM gold.data_quality_results WHERE rule_name = ?"
    [(status, failing, sample)] = rows(data_dir, rule, ["bronze_records_kept_aside"])
    assert (status, failing) == ("failed", 5)
    assert "events/2026/11/20/b.json:3" in sample and "venues/2026/11/20/v.json:2" in sample
    # Growth per run: a run that keeps nothing aside passes, though the quarantine still holds five.
    land("events", "b.json", [event("6")])
    assert runner("run", "--skip-ingest") == 0
    results = rows(data_dir, rule + " ORDER BY checked_at", ["bronze_records_kept_aside"])
    assert results[-1][:2] == ("passed", 0)


def test_a_json_array_file_gets_one_reason_and_one_console_line(runner, data_dir, land, capsys):
    folder = data_dir / "landing" / "events" / "2026" / "11" / "20"
    folder.mkdir(parents=True)
    (folder / "array.json").write_text(json.dumps([event(str(n)) for n in range(300)], indent=2))
    (folder / "pretty.json").write_text(json.dumps(event("p"), indent=2) + "\n")
    land("events", "good.json", [event("1")])
    assert runner("run", "--skip-ingest", "--select", "bronze") == 0
    assert rows(data_dir, "SELECT source_file, line_number, raw_text, error FROM bronze._quarantine ORDER BY 1") == [
        (
            "events/2026/11/20/array.json",
            None,
            None,
            "the file is a JSON array (300 element(s) over 2702 line(s)), "
            "not newline-delimited JSON: one object per line is expected",
        ),
        (
            "events/2026/11/20/pretty.json",
            None,
            None,
            "the file is pretty-printed JSON (1 value(s) over 9 lines), "
            "not newline-delimited JSON: one object per line is expected",
        ),
    ]
    assert rows(data_dir, "SELECT id FROM bronze.events_raw") == [("1",)]
    printed = [line for line in capsys.readouterr().out.splitlines() if "array.json" in line]
    assert printed == [
        "  kept aside: events/2026/11/20/array.json (whole file): the file is a JSON array (300 element(s) over "
        "2702 line(s)), not newline-delimited JSON: one object per line is expected"
    ]


def test_a_flood_of_bad_lines_prints_a_bounded_summary(runner, land, data_dir, capsys):
    for n in range(12):
        land("events", f"f{n:02d}.json", [event(f"{n}"), *[f"broken {k}" for k in range(50)]])
    assert runner("run", "--skip-ingest", "--select", "bronze") == 0
    out = capsys.readouterr().out
    assert rows(data_dir, "SELECT count(*) FROM bronze._quarantine") == [(600,)]
    assert rows(data_dir, "SELECT count(*) FROM bronze.events_raw") == [(12,)]
    assert "600 record(s) from 12 file(s) kept aside in bronze._quarantine" in out
    lines = out.splitlines()
    first = next(n for n, line in enumerate(lines) if line.startswith("  kept aside"))
    last = next(n for n, line in enumerate(lines) if re.match(r"\s*\d+/\d+\s+bronze\.events_raw\s+OK", line))
    detail = lines[first:last]
    assert len(detail) <= 5 * 5 + 1
    assert detail[-1] == (
        "  ... and 350 record(s) from 7 more file(s); every one is in bronze._quarantine "
        "(table_name = 'bronze.events_raw')"
    )


# ---------------------------------------------------------------- line order


@pytest.mark.parametrize("order", ["old-then-new", "new-then-old"])
def test_within_one_file_the_later_line_wins_in_silver(runner, land, data_dir, order):
    versions = [event("1", name="First version"), event("2"), event("1", name="Second version")]
    if order == "new-then-old":
        versions = [versions[2], versions[1], versions[0]]
    land("events", "a.json", versions)
    assert runner("run", "--skip-ingest") == 0
    expected = "Second version" if order == "old-then-new" else "First version"
    assert rows(data_dir, "SELECT event_name FROM silver.events WHERE event_id = '1'") == [(expected,)]
    assert rows(data_dir, "SELECT event_name FROM gold.fact_events WHERE event_id = '1'") == [(expected,)]


def test_lines_are_numbered_exactly_wherever_the_order_within_a_file_decides(runner, data_dir, monkeypatch):
    """Files with an id on several lines are read in one pass that counts rows in DuckDB's read order:
    several files, one read in many buffers (small buffers here) by several threads, lines of
    different lengths. A file read line by line is numbered too; a file of distinct ids is not."""
    monkeypatch.setattr(local_streaming, "MAX_OBJECT_BYTES", 256 * 1024)
    folder = data_dir / "landing" / "events" / "2026" / "11" / "20"
    folder.mkdir(parents=True)
    expected = {}
    padding = "x" * 900
    for name, count in (("a.json", 7), ("big.json", 40_000), ("c.json", 3)):
        with open(folder / name, "w") as handle:
            for line in range(1, count + 1):
                event_id = f"{name}-{line}"
                handle.write(json.dumps({"id": event_id, "pad": padding[: line % 900]}) + "\n")
                expected[(event_id, line)] = 1
            handle.write(json.dumps({"id": f"{name}-1", "pad": "again"}) + "\n")  # an id on two lines
            expected[(f"{name}-1", count + 1)] = 1
    (folder / "d.json").write_text('{"id": "d.json-1"}\n\n{"id": "d.json-3"}\nnot json\n{"id": "d.json-5"}\n')
    expected.update({("d.json-1", 1): 1, ("d.json-3", 3): 1, ("d.json-5", 5): 1})
    (folder / "e.json").write_text('{"id": "e.json-1"}\n{"id": "e.json-2"}\n')
    expected.update({("e.json-1", None): 1, ("e.json-2", None): 1})
    assert runner("run", "--skip-ingest", "--select", "bronze") == 0
    numbered = rows(data_dir, "SELECT id, _source_line FROM bronze.events_raw")
    assert len(numbered) == len(expected) and set(numbered) == set(expected)
