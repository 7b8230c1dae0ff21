"""Landing into a Unity Catalog volume goes through databricks-sdk against a local fake Files API."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta, timezone

import pytest

from fakes.discovery_api import FakeDataset, FakeDiscoveryAPI
from fakes.files_api import FakeFilesAPI
from ingest import IngestSettings, Scope, ingest
from ingest.landing import open_landing
from ingest.volume import VolumeLanding

UTC = timezone(timedelta(0))
ROOT = "/Volumes/main/ticketmaster/landing"


@pytest.fixture
def files_api(monkeypatch: pytest.MonkeyPatch):
    with FakeFilesAPI(token="dapi-test") as api:
        monkeypatch.setenv("DATABRICKS_HOST", api.host)
        monkeypatch.setenv("DATABRICKS_TOKEN", "dapi-test")
        monkeypatch.setenv("DATABRICKS_CONFIG_FILE", "/nonexistent/databrickscfg")
        yield api


def test_volume_put_new_is_create_if_absent(files_api: FakeFilesAPI):
    landing = open_landing(ROOT)
    assert isinstance(landing, VolumeLanding)
    rel = "events/2025/03/01/a.json"
    assert landing.put_new(rel, b'{"id":"1"}\n')
    assert not landing.put_new(rel, b'{"id":"2"}\n')
    assert landing.read(rel) == b'{"id":"1"}\n'
    assert landing.exists(rel) and not landing.exists("events/nope.json")
    assert landing.read("events/nope.json") is None
    uploads = [path for method, path in files_api.requests if method == "PUT" and "/fs/files/" in path]
    assert uploads == [f"/api/2.0/fs/files{ROOT}/{rel}"] * 2


def test_volume_path_must_name_a_volume():
    with pytest.raises(ValueError):
        VolumeLanding("/Volumes/main")


def test_ingest_into_a_volume(files_api: FakeFilesAPI):
    day = datetime(2025, 3, 1, tzinfo=UTC)
    dataset = FakeDataset.generated(
        300, day, day + timedelta(hours=23), undated_share=0, venue_pool=20, attraction_pool=40
    )
    with FakeDiscoveryAPI(dataset, api_key="k", rate_limit=50) as api:
        settings = IngestSettings(base_url=api.base_url, api_key="k", rate_limit=40, progress=False)
        report = ingest(ROOT, Scope(start=day, end=day + timedelta(hours=23)), settings=settings)
    assert report.complete
    assert report.manifest.startswith(f"{ROOT}/_manifests/")
    event_files = {p: b for p, b in files_api.files.items() if p.startswith(f"{ROOT}/events/")}
    assert event_files
    assert all(re.fullmatch(rf"{ROOT}/events/\d{{4}}/\d{{2}}/\d{{2}}/[^/.][^/]*\.json", p) for p in event_files)
    ids = [json.loads(line)["id"] for body in event_files.values() for line in body.decode().splitlines()]
    assert sorted(ids) == sorted(e["id"] for e in dataset.events)
    for entity in ("venues", "attractions", "classifications"):
        assert any(p.startswith(f"{ROOT}/{entity}/") for p in files_api.files)
