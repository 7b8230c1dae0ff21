"""land_sample lands the offline sample per the landing contract, once."""

from __future__ import annotations

import json
from pathlib import Path

from ingest import land_sample
from ingest.landing import ENTITIES


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_sample_lands_contract_layout(tmp_path: Path):
    report = land_sample(tmp_path, events=450, seed=7)
    assert report.counts["events"] == 450
    assert report.counts["venues"] > 0 and report.counts["attractions"] > 0
    assert report.counts["classifications"] >= 5
    assert not report.files_present
    files = _files(tmp_path)
    assert set(files) == {str(p.relative_to(tmp_path)) for p in report.files_written}
    for rel in files:
        entity, yyyy, mm, dd, name = rel.split("/")
        assert entity in ENTITIES and (yyyy, mm, dd) == ("2025", "01", "15")
        assert name.endswith(".json") and not name.startswith(".")
    event_files = sorted(r for r in files if r.startswith("events/"))
    assert len(event_files) == 3  # 200 + 200 + 50, like API pages
    events = [json.loads(line) for r in event_files for line in files[r].decode().splitlines()]
    assert len(events) == 450 and len({e["id"] for e in events}) == 450
    venue_ids = {
        json.loads(line)["id"] for r in files if r.startswith("venues/") for line in files[r].decode().splitlines()
    }
    # Every venue an event points at is landed as a venue.
    assert {e["_embedded"]["venues"][0]["id"] for e in events} <= venue_ids
    assert "sample landed" in report.summary()


def test_sample_is_deterministic_and_idempotent(tmp_path: Path):
    first = land_sample(tmp_path / "a", events=250, seed=3)
    land_sample(tmp_path / "b", events=250, seed=3)
    assert _files(tmp_path / "a") == _files(tmp_path / "b")
    before = {p: p.stat().st_mtime_ns for p in (tmp_path / "a").rglob("*") if p.is_file()}
    again = land_sample(tmp_path / "a", events=250, seed=3)
    assert again.nothing_new and not again.files_written
    assert len(again.files_present) == len(first.files_written)
    assert {p: p.stat().st_mtime_ns for p in (tmp_path / "a").rglob("*") if p.is_file()} == before
    assert "nothing new" in again.summary()
    other = land_sample(tmp_path / "c", events=250, seed=4)
    assert _files(tmp_path / "c") != _files(tmp_path / "a")
    assert other.counts["events"] == 250


def test_sample_average_event_size(tmp_path: Path):
    land_sample(tmp_path, events=500)
    event_files = list((tmp_path / "events").rglob("*.json"))
    total = sum(p.stat().st_size for p in event_files)
    assert 11_000 <= total / 500 <= 14_500
    assert not list(tmp_path.rglob(".*"))  # no temporary files left behind
