"""Every recorded real response parses, and its entities land unchanged (skips without ../shared)."""

from __future__ import annotations

from pathlib import Path

from fakes.discovery_api import FakeDataset, FakeDiscoveryAPI
from ingest import IngestSettings, Scope, ingest, ndjson
from tests.recorded import recorded_entities as _entities
from tests.recorded import responses as _responses


def test_every_recorded_response_parses(fixtures_dir: Path):
    files = sorted(fixtures_dir.glob("*.json"))
    assert len(files) >= 30
    for path in files:
        for body in _responses(path):
            assert isinstance(body, dict)
            # NDJSON encoding round-trips every object exactly.
            assert ndjson.decode(ndjson.encode([body])) == [body]


def test_recorded_entities_land_unchanged(fixtures_dir: Path, tmp_path: Path):
    found = _entities(fixtures_dir)
    assert len(found["events"]) >= 200
    dataset = FakeDataset.from_objects(
        found["events"].values(),
        found["venues"].values(),
        found["attractions"].values(),
        found["classifications"].values(),
    )
    with FakeDiscoveryAPI(dataset, api_key="k", rate_limit=100) as api:
        settings = IngestSettings(base_url=api.base_url, api_key="k", rate_limit=80, progress=False)
        report = ingest(
            str(tmp_path),
            Scope(start="2000-01-01", end="2030-12-31T23:59:59Z", include_undated=True),
            settings=settings,
        )
    assert report.complete, report.summary()
    landed = {
        entity: {
            (o.get("id") or o["segment"]["id"]): o
            for p in sorted((tmp_path / entity).rglob("*.json"))
            for o in ndjson.decode(p.read_bytes())
        }
        for entity in ("events", "venues", "attractions", "classifications")
    }
    served = {
        "events": {e["id"]: e for e in dataset.events},
        "venues": {v["id"]: v for v in dataset.venues},
        "attractions": {a["id"]: a for a in dataset.attractions},
    }
    # Every recorded event that has a date (or TBA/TBD flags) is reachable and lands byte-for-byte equal.
    reachable = {
        i: e
        for i, e in served["events"].items()
        if e.get("dates", {}).get("start", {}).get("dateTime")
        or e.get("dates", {}).get("start", {}).get("localDate")
        or e.get("dates", {}).get("start", {}).get("dateTBA")
        or e.get("dates", {}).get("start", {}).get("dateTBD")
    }
    assert len(reachable) >= 200
    for event_id, event in reachable.items():
        assert landed["events"][event_id] == event
    for entity in ("venues", "attractions"):
        assert landed[entity], entity
        for obj_id, obj in landed[entity].items():
            assert obj == served[entity][obj_id]
    assert {c["segment"]["name"] for c in landed["classifications"].values()} >= {"Music", "Sports"}
