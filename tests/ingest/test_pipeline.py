"""End-to-end ingest against the local fake Discovery API, through the real requests client."""

from __future__ import annotations

import errno
import json
import logging
import threading
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from filelock import FileLock

from fakes.discovery_api import FakeDataset, FakeDiscoveryAPI
from ingest import ApiKeyRejected, IngestSettings, LandingError, Scope, ingest

UTC = timezone(timedelta(0))
DAY = datetime(2025, 3, 1, tzinfo=UTC)
DAY_END = datetime(2025, 3, 1, 23, 59, 59, tzinfo=UTC)
KEY = "k3y-SECRET-4242"


def settings(api: FakeDiscoveryAPI, **overrides: object) -> IngestSettings:
    base: dict[str, object] = dict(
        base_url=api.base_url,
        api_key=KEY,
        rate_limit=40.0,
        backoff_base_s=0.01,
        backoff_cap_s=0.05,
        timeout_s=2.0,
        progress=False,
    )
    base.update(overrides)
    return IngestSettings(**base)  # type: ignore[arg-type]


def landed(root: Path, entity: str) -> list[dict]:
    return [
        json.loads(line)
        for path in sorted((root / entity).rglob("*.json"))
        for line in path.read_text(encoding="utf-8").splitlines()
    ]


def manifest(root: Path) -> dict:
    paths = [p for p in (root / "_manifests").rglob("*.json") if p.name != "latest.json"]
    assert len(paths) == 1
    return json.loads(paths[0].read_text())


def snapshot(root: Path) -> dict[str, int]:
    return {str(p): p.stat().st_mtime_ns for p in root.rglob("*.json") if "_manifests" not in p.parts}


@pytest.fixture(scope="module")
def day_of_5000() -> FakeDataset:
    return FakeDataset.generated(5000, DAY, DAY_END, undated_share=0)


@pytest.fixture(scope="module")
def small() -> FakeDataset:
    return FakeDataset.generated(420, DAY, DAY_END + timedelta(days=2), seed=3, venue_pool=30, attraction_pool=80)


def test_5000_events_in_one_day_land_once_with_window_splitting(tmp_path: Path, day_of_5000: FakeDataset):
    with FakeDiscoveryAPI(day_of_5000, api_key=KEY, rate_limit=50) as api:
        report = ingest(str(tmp_path), Scope(start=DAY, end=DAY_END), settings=settings(api))
        statuses = {r.status for r in api.requests}
    assert report.complete, report.summary()
    assert statuses == {200}  # in particular no 400 DIS1035: we never page too deep
    events = landed(tmp_path, "events")
    ids = [e["id"] for e in events]
    assert len(ids) == len(set(ids)) == 5000
    assert set(ids) == {e["id"] for e in day_of_5000.events}
    m = manifest(tmp_path)
    assert m["status"] == "complete" and m["counts"]["events"] == 5000
    root = m["windows"][0]
    assert root["status"] == "split" and root["total"] == 5000 and len(root["children"]) >= 5
    leaves = [w for w in m["windows"] if w["status"] == "done"]
    assert all(w["total"] <= 1000 for w in leaves)
    assert sum(w["landed"] for w in leaves) == 5000
    # Venues and attractions of every landed event are landed too, once.
    venue_ids = [v["id"] for v in landed(tmp_path, "venues")]
    assert len(venue_ids) == len(set(venue_ids))
    assert {e["_embedded"]["venues"][0]["id"] for e in events} <= set(venue_ids)
    attraction_ids = {a["id"] for a in landed(tmp_path, "attractions")}
    assert {a["id"] for e in events for a in e["_embedded"].get("attractions", [])} <= attraction_ids
    assert {c["segment"]["name"] for c in landed(tmp_path, "classifications")} >= {"Music", "Sports"}


def test_request_rate_never_above_the_limit(tmp_path: Path, small: FakeDataset):
    with FakeDiscoveryAPI(small, api_key=KEY, rate_limit=5) as api:
        report = ingest(
            str(tmp_path),
            Scope(start=DAY, end=DAY_END + timedelta(days=2)),
            settings=settings(api, rate_limit=5.0, page_size=50, id_batch_size=20),
        )
        assert report.complete
        assert len(api.requests) >= 12
        assert api.max_requests_in_any_second() <= 5
        # Spaced out, never bursts: a request after a late one may close up to half the spacing.
        assert api.min_gap() >= 0.09
        assert all(r.status == 200 for r in api.requests)


def test_spike_arrest_429_is_retried(tmp_path: Path, small: FakeDataset):
    # The client is configured faster than the server allows, as when another process shares the key.
    with FakeDiscoveryAPI(small, api_key=KEY, rate_limit=5) as api:
        report = ingest(
            str(tmp_path),
            Scope(start=DAY, end=DAY_END + timedelta(days=2)),
            settings=settings(api, rate_limit=20.0, page_size=100, backoff_base_s=0.1),
        )
        spikes = [r for r in api.requests if r.status == 429]
    assert report.complete and spikes
    assert report.retries >= len(spikes)
    ids = [e["id"] for e in landed(tmp_path, "events")]
    assert len(ids) == len(set(ids)) == report.counts["events"]
    assert {e["id"] for e in small.events if "dateTime" in e["dates"]["start"]} <= set(ids)


def test_quota_stop_keeps_landing_and_resume_lands_nothing_twice(tmp_path: Path, small: FakeDataset):
    scope = Scope(start=DAY, end=DAY_END + timedelta(days=2))
    with FakeDiscoveryAPI(small, api_key=KEY, rate_limit=50, daily_quota=4) as api:
        first = ingest(str(tmp_path), scope, settings=settings(api, page_size=100))
        assert first.status == "quota_exhausted"
        assert first.quota_reset_at is not None and first.quota_reset_at > datetime.now(UTC)
        assert "resets at" in first.message
        partial = snapshot(tmp_path)
        assert partial
        assert manifest(tmp_path)["status"] == "quota_exhausted"
        api.reset_quota()
        api.daily_quota = 1000
        second = ingest(str(tmp_path), scope, settings=settings(api, page_size=100))
    assert second.resumed and second.complete and second.batch_id == first.batch_id
    # Files from the first run are untouched; none lands twice.
    assert {p: t for p, t in snapshot(tmp_path).items() if p in partial} == partial
    ids = [e["id"] for e in landed(tmp_path, "events")]
    assert len(ids) == len(set(ids)) == second.counts["events"]
    served = {e["id"] for e in small.events if "dateTime" in e["dates"]["start"]}
    assert served <= set(ids)
    m = manifest(tmp_path)
    assert m["status"] == "complete" and m["resumed"] == 1


def test_a_batch_killed_in_its_first_save_leaves_no_temporary_file_after_the_next_run(
    tmp_path: Path, small: FakeDataset
):
    scope = Scope(start=DAY, end=DAY_END + timedelta(days=2))
    folder = tmp_path / "_manifests" / scope.key()
    folder.mkdir(parents=True)
    # What a SIGKILL while the manifest or the pointer to it was written leaves: a batch nothing points to.
    left = [folder / ".20250301T000000Z-killed.json.0f3c.tmp", folder / ".latest.json.9a1b.tmp"]
    for path in left:
        path.write_text('{"batch_id": "20250301T000000Z-kil')
    with FakeDiscoveryAPI(small, api_key=KEY, rate_limit=50) as api:
        report = ingest(str(tmp_path), scope, settings=settings(api, page_size=100))
    assert report.complete and not report.resumed
    assert not [path for path in left if path.exists()]
    assert not list(tmp_path.rglob("*.tmp"))
    assert manifest(tmp_path)["status"] == "complete"


def test_a_new_batch_after_an_unfinished_one_clears_the_files_it_left_half_written(tmp_path: Path, small: FakeDataset):
    scope = Scope(start=DAY, end=DAY_END + timedelta(days=2))
    with FakeDiscoveryAPI(small, api_key=KEY, rate_limit=50, daily_quota=4) as api:
        first = ingest(str(tmp_path), scope, settings=settings(api, page_size=100))
        assert first.status == "quota_exhausted"
        # What a SIGKILL while that batch wrote a page leaves beside its landed files.
        [page, *_] = sorted((tmp_path / "events").rglob(f"{first.batch_id}-*.json"))
        half_written = page.with_name(f".{page.name}.5e1d.tmp")
        half_written.write_text('{"id": "half')
        api.reset_quota()
        api.daily_quota = 1000
        second = ingest(str(tmp_path), scope, settings=settings(api, page_size=100, resume=False))
    assert second.complete and not second.resumed and second.batch_id != first.batch_id
    assert not half_written.exists()
    assert not list(tmp_path.rglob("*.tmp"))


def test_a_second_run_of_the_same_dates_at_once_is_refused_and_lands_nothing(tmp_path: Path, small: FakeDataset):
    scope = Scope(start=DAY, end=DAY_END + timedelta(days=2))
    reports = []
    with FakeDiscoveryAPI(small, api_key=KEY, rate_limit=50, latency_s=0.2) as api:
        first = threading.Thread(
            target=lambda: reports.append(ingest(str(tmp_path), scope, settings=settings(api, page_size=100)))
        )
        first.start()
        deadline = time.monotonic() + 30
        while not list((tmp_path / "_manifests").rglob("latest.json")) and time.monotonic() < deadline:
            time.sleep(0.01)  # the first run has saved its batch: it holds the folder
        with pytest.raises(LandingError, match="another ingest run of the same dates and filters") as refused:
            ingest(str(tmp_path), scope, settings=settings(api, page_size=100))
        first.join()
    assert "wait for it to finish, then run again" in str(refused.value)
    [report] = reports
    assert report.complete
    ids = [e["id"] for e in landed(tmp_path, "events")]
    assert len(ids) == len(set(ids)) == report.counts["events"]
    assert manifest(tmp_path)["status"] == "complete"  # one batch: the refused run began none


def test_a_landing_folder_without_locks_lands_as_one_with_them(
    tmp_path: Path, small: FakeDataset, monkeypatch: pytest.MonkeyPatch
):
    def no_locks(*_args: object, **_kwargs: object) -> None:
        raise OSError(errno.ENOSYS, "Function not implemented")  # what flock answers on such a filesystem

    monkeypatch.setattr(FileLock, "acquire", no_locks)
    scope = Scope(start=DAY, end=DAY_END + timedelta(days=2))
    with FakeDiscoveryAPI(small, api_key=KEY, rate_limit=50) as api:
        report = ingest(str(tmp_path), scope, settings=settings(api, page_size=100))
    assert report.complete
    ids = [e["id"] for e in landed(tmp_path, "events")]
    assert len(ids) == len(set(ids)) == report.counts["events"] > 0


def test_5xx_timeouts_and_truncated_bodies_are_retried(tmp_path: Path, small: FakeDataset):
    faults = {2: "500", 3: "503", 5: "timeout", 7: "truncate", 9: "truncate_nolength", 11: "reset", 14: "502"}
    scope = Scope(start=DAY, end=DAY_END + timedelta(days=2))
    with FakeDiscoveryAPI(small, api_key=KEY, rate_limit=50, faults=faults, slow_response_s=0.6) as api:
        report = ingest(str(tmp_path), scope, settings=settings(api, page_size=100, timeout_s=0.3))
    with FakeDiscoveryAPI(small, api_key=KEY, rate_limit=50) as clean_api:
        reference = ingest(str(tmp_path / "clean"), scope, settings=settings(clean_api, page_size=100))
    assert report.complete and report.retries >= len(faults)
    for entity in ("events", "venues", "attractions", "classifications"):
        got = sorted(json.dumps(o, sort_keys=True) for o in landed(tmp_path, entity))
        want = sorted(json.dumps(o, sort_keys=True) for o in landed(tmp_path / "clean", entity))
        assert got == want, entity
    assert reference.counts == report.counts


def test_401_fails_at_once_and_writes_nothing(tmp_path: Path, small: FakeDataset):
    with FakeDiscoveryAPI(small, api_key="the-right-key", rate_limit=50) as api:
        with pytest.raises(ApiKeyRejected) as info:
            # One request a second: the probes that fill the wait for the first answer would go 25 ms
            # after it at the usual rate, sooner than a loaded machine may take to read the 401.
            ingest(str(tmp_path), Scope(start=DAY, end=DAY_END), settings=settings(api, rate_limit=1.0))
        assert len(api.requests) == 1
    assert "TICKETMASTER_API_KEY" in str(info.value)
    assert not [p for p in tmp_path.rglob("*") if p.is_file() and "_manifests" not in p.parts]
    assert not list(tmp_path.rglob(".*.tmp"))
    assert manifest(tmp_path)["status"] == "failed"


def test_api_key_appears_in_no_log_error_or_file(tmp_path: Path, small: FakeDataset, caplog, capsys):
    caplog.set_level(logging.DEBUG)
    scope = Scope(start=DAY, end=DAY_END + timedelta(days=2))
    messages = []
    faults = {1: "timeout", 3: "truncate", 4: "500"}
    with FakeDiscoveryAPI(small, api_key=KEY, rate_limit=50, daily_quota=6, faults=faults, slow_response_s=0.5) as api:
        report = ingest(str(tmp_path), scope, settings=settings(api, page_size=100, timeout_s=0.25))
        messages += [report.summary(), report.message, repr(report)]
        quota_bodies = [r for r in api.requests if r.status == 429]
        assert quota_bodies, "the quota 429 (whose body echoes the key) must have been exercised"
        # max_retries=0 turns the next timeout into an error whose text would carry the URL.
        api.reset_quota()
        api.daily_quota = 10**6  # so that the timeout, not the quota, ends the requests under way
        api._faults = {len(api.requests) + 1: "timeout"}
        from ingest import IngestError

        with pytest.raises(IngestError) as info:
            ingest(str(tmp_path), scope, settings=settings(api, page_size=100, timeout_s=0.25, max_retries=0))
        messages += [str(info.value), repr(info.value)]
    out = capsys.readouterr()
    everything = "\n".join(messages + [caplog.text, out.out, out.err])
    assert "apikey=***" in caplog.text  # urllib3 logged the request URLs, redacted
    assert KEY not in everything
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert KEY.encode() not in path.read_bytes(), path


def test_undated_events_are_pulled_when_asked(tmp_path: Path):
    dataset = FakeDataset.generated(600, DAY, DAY_END, seed=9, undated_share=0.3)
    tba = {e["id"] for e in dataset.events if e["dates"]["start"]["dateTBA"]}
    assert tba
    with FakeDiscoveryAPI(dataset, api_key=KEY, rate_limit=50) as api:
        report = ingest(
            str(tmp_path),
            Scope(start=DAY - timedelta(days=1), end=DAY_END + timedelta(days=1), include_undated=True),
            settings=settings(api),
        )
    ids = [e["id"] for e in landed(tmp_path, "events")]
    assert report.complete and len(ids) == len(set(ids)) == 600
    assert tba <= set(ids)


def test_referenced_venue_missing_from_search_is_fetched_by_id(tmp_path: Path, small: FakeDataset):
    with FakeDiscoveryAPI(small, api_key=KEY, rate_limit=50) as api:
        hidden = api.venues.pop(0)  # the search index lacks it...
        original_route = api._route

        def route(path: str, params: dict[str, str]):
            if path.endswith("/venues/" + hidden.obj["id"]):  # ...but the detail endpoint has it
                return 200, hidden.raw
            return original_route(path, params)

        api._route = route  # type: ignore[method-assign]
        report = ingest(str(tmp_path), Scope(start=DAY, end=DAY_END + timedelta(days=2)), settings=settings(api))
    assert report.complete
    assert hidden.obj["id"] in {v["id"] for v in landed(tmp_path, "venues")}
