"""Overlapping requests: the rate limit is kept busy, never exceeded, and every event lands once.

Nothing here is timed: the assertions are on what the fake API recorded on arrival and on what landed.
"""

from __future__ import annotations

import functools
import json
import os
import signal
import subprocess
import sys
import threading
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from fakes.discovery_api import FakeDataset, FakeDiscoveryAPI, FakeDiscoveryAPIProcess
from ingest import IngestSettings, Scope, ingest
from ingest.errors import IngestError
from ingest.ratelimit import RateLimiter

UTC = timezone(timedelta(0))
DAY = datetime(2025, 3, 1, tzinfo=UTC)
DAY_END = datetime(2025, 3, 1, 23, 59, 59, tzinfo=UTC)
KEY = "concurrency-key"
REPO = Path(__file__).resolve().parents[2]
LATENCY = 1.0


def landed_ids(root: Path) -> list[str]:
    return [
        json.loads(line)["id"]
        for path in sorted((root / "events").rglob("*.json"))
        for line in path.read_text(encoding="utf-8").splitlines()
    ]


def manifest(root: Path) -> dict:
    [path] = [p for p in (root / "_manifests").rglob("*.json") if p.name != "latest.json"]
    return json.loads(path.read_text())


def test_concurrent_pull_against_a_slow_api_lands_once_and_keeps_to_the_limit(tmp_path: Path):
    """The fake answers in 1 s, runs in its own process and arrests a 6th request in any rolling second."""
    dataset = {"events": 1500, "start": DAY, "end": DAY_END, "undated_share": 0.0, "seed": 5}
    with FakeDiscoveryAPIProcess(dataset, api_key=KEY, rate_limit=5, latency_s=LATENCY) as api:
        settings = IngestSettings(base_url=api.base_url, api_key=KEY, progress=False)  # the real limits
        report = ingest(str(tmp_path), Scope(start=DAY, end=DAY_END), settings=settings)
    log = api.requests
    assert report.complete, report.summary()
    ids = landed_ids(tmp_path)
    assert len(ids) == len(set(ids)) == 1500
    # Measured by the fake server's own log: never more than 5 requests in any rolling second...
    assert api.max_requests_in_any_second() <= 5
    assert all(r.status == 200 for r in log)
    # ...while requests overlapped: most left before the answer to the one before had come back.
    arrivals = sorted(r.at for r in log)
    overlapping = sum(1 for a, b in zip(arrivals, arrivals[1:], strict=False) if b - a < LATENCY)
    assert overlapping >= 0.8 * (len(arrivals) - 1)
    # The day was split into windows read side by side, and a window's later pages did not wait for
    # each other's answers: they left as soon as its first page had told how many there are.
    by_window: dict[str, list[float]] = {}
    for r in log:
        if r.path.endswith("/events"):
            by_window.setdefault(r.params["startDateTime"], []).append(r.at)
    spans = sorted((min(times), max(times)) for times in by_window.values() if len(times) > 1)
    assert len(spans) >= 2 and any(later[0] < earlier[1] for earlier, later in zip(spans, spans[1:], strict=False))
    assert any(len(t) >= 3 and sorted(t)[2] - sorted(t)[1] < LATENCY for t in by_window.values())
    assert report.rate_limited == 0 and report.requests == len(log)


def test_limiter_spaces_callers_from_many_threads():
    limiter = RateLimiter(50, margin_s=0.001)
    sent: list[float] = []
    lock = threading.Lock()

    def worker() -> None:
        for _ in range(6):
            limiter.wait_turn()
            with lock:
                sent.append(time.monotonic())  # "sending", while holding the turn
            limiter.sent()

    threads = [threading.Thread(target=worker) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    sent.sort()
    assert len(sent) == 30
    assert min(b - a for a, b in zip(sent, sent[1:], strict=False)) >= limiter.interval


def test_limiter_measures_from_when_a_late_caller_actually_left():
    now = [0.0]
    late = [0.0]

    def sleep(seconds: float) -> None:
        now[0] += seconds + late[0]  # a busy machine wakes the caller late

    limiter = RateLimiter(5, clock=lambda: now[0], sleep=sleep)
    limiter.acquire()
    late[0] = 0.15
    limiter.acquire()  # due at 0.2, leaves at 0.35
    assert now[0] == pytest.approx(0.35)
    late[0] = 0.0
    limiter.acquire()  # 0.2 after the late one, not after its slot
    assert now[0] == pytest.approx(0.55)


@functools.cache
def _busy_day() -> FakeDataset:
    return FakeDataset.generated(2400, DAY, DAY_END, seed=11, venue_pool=400, attraction_pool=900, undated_share=0)


@pytest.fixture
def busy_day() -> FakeDataset:
    """Built once per process, not per module: the tests using it may run on different workers side by side."""
    return _busy_day()


@functools.cache
def _deep_day() -> FakeDataset:
    """The day of the two stopped-run tests: deep enough that it is split, built once per process."""
    return FakeDataset.generated(2500, DAY, DAY_END, seed=8, undated_share=0)


@pytest.mark.parametrize("kill_after", [0.6, 1.5, 2.5])
def test_kill_9_mid_pull_then_resume_lands_every_event_once(tmp_path: Path, busy_day: FakeDataset, kill_after: float):
    env = {**os.environ, "TICKETMASTER_API_KEY": KEY}
    command = [sys.executable, "-m", "ingest", "--landing", str(tmp_path), "--start", "2025-03-01",
               "--end", "2025-03-01", "--rate-limit", "25", "--page-size", "100", "--progress", "off"]  # fmt: skip
    with FakeDiscoveryAPI(busy_day, api_key=KEY, rate_limit=30, latency_s=0.15) as api:
        env["TICKETMASTER_BASE_URL"] = api.base_url
        victim = subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(kill_after)
        victim.send_signal(signal.SIGKILL)
        victim.wait()
        done = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    ids = landed_ids(tmp_path)
    assert len(ids) == len(set(ids)) == 2400
    m = manifest(tmp_path)
    assert m["status"] == "complete" and m["counts"]["events"] == 2400
    listed = {f for files in m["files"].values() for f in files}
    on_disk = {str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*.json") if "_manifests" not in p.parts}
    assert listed == on_disk
    assert not list(tmp_path.rglob(".*.tmp"))
    venues = [
        json.loads(line)["id"] for p in (tmp_path / "venues").rglob("*.json") for line in p.read_text().splitlines()
    ]
    assert len(venues) == len(set(venues)) == len(busy_day.venues)


def _forget_landed_pages(root: Path) -> int:
    """Make the manifest look as if a run stopped after landing pages but before recording them."""
    [path] = [p for p in (root / "_manifests").rglob("*.json") if p.name != "latest.json"]
    data = json.loads(path.read_text())
    window = next(w for w in data["windows"] if w["status"] == "done" and w.get("pages", 0) >= 3)
    forgotten = [p for p in window["pages_done"] if p != 0]
    window["pages_done"] = [0]
    window["status"] = "pending"
    names = {f"-events-{window['id']}-p{p:02d}.json" for p in forgotten}
    kept = [f for f in data["files"]["events"] if not any(f.endswith(n) for n in names)]
    for rel in set(data["files"]["events"]) - set(kept):
        data["counts"]["events"] -= len((root / rel).read_text(encoding="utf-8").splitlines())
    data["files"]["events"] = kept
    data["status"] = "quota_exhausted"
    path.write_text(json.dumps(data))
    (path.parent / "latest.json").write_text(json.dumps({"batch_id": data["batch_id"], "status": "quota_exhausted"}))
    return len(forgotten)


def test_resume_takes_in_pages_landed_but_not_recorded(tmp_path: Path, busy_day: FakeDataset):
    def settings(api: FakeDiscoveryAPI) -> IngestSettings:
        return IngestSettings(base_url=api.base_url, api_key=KEY, rate_limit=200, page_size=100, progress=False)

    scope = Scope(start=DAY, end=DAY_END)
    with FakeDiscoveryAPI(busy_day, api_key=KEY, rate_limit=1000) as api:
        ingest(str(tmp_path), scope, settings=settings(api))
        forgotten = _forget_landed_pages(tmp_path)
        before = {str(p): p.stat().st_mtime_ns for p in tmp_path.rglob("*.json") if "_manifests" not in p.parts}
        served = len(api.requests)
        report = ingest(str(tmp_path), scope, settings=settings(api))
        again = api.requests[served:]
    assert forgotten >= 2 and report.resumed and report.complete
    assert not [r for r in again if r.path.endswith("/events")]  # the pages were on disk: nothing to fetch
    after = {str(p): p.stat().st_mtime_ns for p in tmp_path.rglob("*.json") if "_manifests" not in p.parts}
    assert after == before
    ids = landed_ids(tmp_path)
    assert len(ids) == len(set(ids)) == 2400 == report.counts["events"]


def test_a_batch_begun_by_the_sequential_version_resumes_its_venue_batches(tmp_path: Path, busy_day: FakeDataset):
    """Earlier versions numbered venue batches over the sorted ids of all events, after all had landed."""
    scope = Scope(start=DAY, end=DAY_END)
    with FakeDiscoveryAPI(busy_day, api_key=KEY, rate_limit=1000) as api:
        settings = IngestSettings(base_url=api.base_url, api_key=KEY, rate_limit=200, progress=False)
        ingest(str(tmp_path), scope, settings=settings)
        [path] = [p for p in (tmp_path / "_manifests").rglob("*.json") if p.name != "latest.json"]
        data = json.loads(path.read_text())
        # Rewrite the venues as the old version left them when the quota ran out after batch 0.
        for rel in data["files"]["venues"]:
            (tmp_path / rel).unlink()
        ordered = sorted(v["id"] for v in busy_day.venues)
        by_id = {v["id"]: v for v in busy_day.venues}
        first = data["files"]["venues"][0].rsplit("-", 1)[0] + "-0000.json"
        (tmp_path / first).write_text("".join(json.dumps(by_id[i]) + "\n" for i in ordered[:50]))
        data["files"]["venues"] = [first]
        data["counts"]["venues"] = 50
        data["venues"] = {"batches_done": [0], "missing": [], "referenced": len(ordered)}
        data["status"] = "quota_exhausted"
        path.write_text(json.dumps(data))
        (path.parent / "latest.json").write_text(json.dumps({"batch_id": data["batch_id"], "status": "x"}))
        report = ingest(str(tmp_path), scope, settings=settings)
    assert report.complete and report.counts["venues"] == len(ordered)
    venues = [
        json.loads(line)["id"] for p in (tmp_path / "venues").rglob("*.json") for line in p.read_text().splitlines()
    ]
    assert sorted(venues) == ordered  # each once


def test_limiter_widens_the_spacing_after_a_refusal_and_eases_back():
    now = [0.0]

    def sleep(seconds: float) -> None:
        now[0] += seconds

    limiter = RateLimiter(5, clock=lambda: now[0], sleep=sleep)
    limiter.acquire()
    limiter.arrested()
    assert limiter.interval == pytest.approx(0.25)
    before = now[0]
    limiter.acquire()
    assert now[0] - before == pytest.approx(0.5)  # everyone held for two of the wider slots
    for _ in range(20):
        limiter.accepted()
    assert limiter.interval == pytest.approx(0.2)
    for _ in range(30):
        limiter.arrested()
    assert limiter.interval == pytest.approx(1.0)  # never slower than one request a second


def test_many_faults_under_overlap_land_what_a_clean_pull_lands(tmp_path: Path):
    """40% of answers fail at random (5xx with an HTML body, cut-off bodies, dropped connections, stalls)."""
    import random

    dataset = FakeDataset.generated(1200, DAY, DAY_END, seed=13, venue_pool=120, attraction_pool=300, undated_share=0)
    chance = random.Random(4)
    kinds = ["500", "502", "503", "truncate", "truncate_nolength", "reset", "timeout"]

    def faults(number: int, path: str, params: dict[str, str]) -> str | None:
        return chance.choice(kinds) if chance.random() < 0.4 else None

    def settings(api: FakeDiscoveryAPI) -> IngestSettings:
        return IngestSettings(
            base_url=api.base_url, api_key=KEY, rate_limit=50, page_size=100, timeout_s=0.3, max_retries=12,
            backoff_base_s=0.01, backoff_cap_s=0.05, progress=False,
        )  # fmt: skip

    scope = Scope(start=DAY, end=DAY_END)
    with FakeDiscoveryAPI(dataset, api_key=KEY, rate_limit=60, faults=faults, slow_response_s=0.5) as api:
        report = ingest(str(tmp_path / "faulty"), scope, settings=settings(api))
        failed = sum(1 for r in api.requests if r.fault)
    with FakeDiscoveryAPI(dataset, api_key=KEY, rate_limit=60) as clean_api:
        clean = ingest(str(tmp_path / "clean"), scope, settings=settings(clean_api))
    assert report.complete and failed >= 10 and report.retries >= failed
    for entity in ("events", "venues", "attractions", "classifications"):
        got = sorted(p.read_text() for p in (tmp_path / "faulty" / entity).rglob("*.json"))
        want = sorted(p.read_text() for p in (tmp_path / "clean" / entity).rglob("*.json"))
        got_objects = sorted(line for text in got for line in text.splitlines())
        want_objects = sorted(line for text in want for line in text.splitlines())
        assert got_objects == want_objects, entity
    assert report.counts == clean.counts
    ids = landed_ids(tmp_path / "faulty")
    assert len(ids) == len(set(ids)) == 1200


def _pace(limiter: RateLimiter, now: list[float], late: float, count: int) -> list[float]:
    """Departure times of ``count`` requests when every caller wakes ``late`` after its slot."""
    sent = []
    for _ in range(count):
        limiter.wait_turn()
        now[0] += late  # a busy machine: the request leaves a little after its turn
        sent.append(now[0])
        limiter.sent()
    return sent


def test_catch_up_makes_up_for_late_departures_within_the_rolling_second():
    def limiter(catch_up: bool) -> tuple[RateLimiter, list[float]]:
        now = [0.0]

        def sleep(seconds: float) -> None:
            now[0] += seconds

        return RateLimiter(5, catch_up=catch_up, clock=lambda: now[0], sleep=sleep), now

    strict, strict_now = limiter(False)
    spaced = _pace(strict, strict_now, 0.01, 26)
    assert spaced[-1] == pytest.approx(0.01 + 25 * 0.21)  # every late departure is lost for good
    caught, caught_now = limiter(True)
    sent = _pace(caught, caught_now, 0.01, 26)
    assert sent[-1] < 0.01 + 25 * 0.2 + 0.1  # nearly all of it made up
    assert all(sum(1 for t in sent if start <= t < start + 1.0) <= 5 for start in sent)
    assert min(b - a for a, b in zip(sent, sent[1:], strict=False)) >= 0.1  # never closer than half the spacing

    caught.arrested()  # an API that wants the spacing between any two requests: keep it from now on
    assert not caught.catch_up
    after = _pace(caught, caught_now, 0.01, 6)
    assert min(b - a for a, b in zip(after, after[1:], strict=False)) >= caught.base_interval


def _events_requests(api: FakeDiscoveryAPI) -> list:
    return [r for r in api.requests if r.path.endswith("/events")]


def test_probes_fill_the_first_wait_and_are_dropped_when_the_day_fits(tmp_path: Path):
    dataset = FakeDataset.generated(600, DAY, DAY_END, seed=4, undated_share=0)
    with FakeDiscoveryAPI(dataset, api_key=KEY, rate_limit=10, latency_s=0.5) as api:
        settings = IngestSettings(base_url=api.base_url, api_key=KEY, rate_limit=10, progress=False)
        report = ingest(str(tmp_path), Scope(start=DAY, end=DAY_END), settings=settings)
    assert report.complete, report.summary()
    ids = landed_ids(tmp_path)
    assert len(ids) == len(set(ids)) == 600
    requests = sorted(_events_requests(api), key=lambda r: r.at)
    first = requests[0]
    whole_day = [r for r in requests if r.params["endDateTime"] == first.params["endDateTime"]]
    probes = [r for r in requests if r.params["endDateTime"] != first.params["endDateTime"]]
    # Probes left while the first answer was awaited; once it was in, the day's own pages went first
    # (one probe may already have been waiting for its turn).
    later = whole_day[1].at
    assert probes and sum(1 for r in probes if r.at > later) <= 1
    m = manifest(tmp_path)
    kept = [w for w in m["windows"] if w["status"] != "dropped"]
    assert [w["id"] for w in kept] == ["w0"] and report.windows == 1
    assert all("-events-w0-p" in f for f in m["files"]["events"])


def test_probes_become_the_first_sub_windows_of_a_deep_day(tmp_path: Path):
    dataset = FakeDataset.generated(3000, DAY, DAY_END, seed=6, undated_share=0)
    with FakeDiscoveryAPI(dataset, api_key=KEY, rate_limit=10, latency_s=0.5) as api:
        settings = IngestSettings(base_url=api.base_url, api_key=KEY, rate_limit=10, progress=False)
        report = ingest(str(tmp_path), Scope(start=DAY, end=DAY_END), settings=settings)
    assert report.complete, report.summary()
    ids = landed_ids(tmp_path)
    assert len(ids) == len(set(ids)) == 3000
    m = manifest(tmp_path)
    day = next(w for w in m["windows"] if w["id"] == "w0")
    assert day["status"] == "split" and day["probes"] and set(day["probes"]) <= set(day["children"])
    children = [next(w for w in m["windows"] if w["id"] == c) for c in day["children"]]
    assert not any("probe_of" in c or c["status"] == "dropped" for c in children)
    # The sub-windows cover the day end to end, each second once.
    assert children[0]["start"] == day["start"] and children[-1]["end"] == day["end"]
    for before, after in zip(children, children[1:], strict=False):
        gap = datetime.strptime(after["start"], "%Y-%m-%dT%H:%M:%SZ") - datetime.strptime(
            before["end"], "%Y-%m-%dT%H:%M:%SZ"
        )
        assert gap == timedelta(seconds=1)
    # Probing cost at most the probes themselves: no more event pages than a split by the count needs.
    pages = len(_events_requests(api))
    assert pages <= 1 + len(day["probes"]) + sum(max(1, -(-c.get("total", 0) // 200)) for c in children)


def test_a_run_stopped_before_the_first_answer_resumes_without_its_probes(tmp_path: Path):
    dataset = _deep_day()
    whole_day = {"startDateTime": "2025-03-01T00:00:00Z", "endDateTime": "2025-03-01T23:59:59Z", "page": "0"}

    def refuse_the_first_page(number: int, path: str, params: dict[str, str]) -> str | None:
        return "404" if all(params.get(k) == v for k, v in whole_day.items()) else None

    scope = Scope(start=DAY, end=DAY_END)
    # The refusal takes 2 s to come back: time for the probes to go out even on a loaded machine.
    with FakeDiscoveryAPI(dataset, api_key=KEY, rate_limit=10, latency_s=2.0, faults=refuse_the_first_page) as api:
        settings = IngestSettings(base_url=api.base_url, api_key=KEY, rate_limit=10, progress=False)
        with pytest.raises(IngestError):
            ingest(str(tmp_path), scope, settings=settings)
    stopped = manifest(tmp_path)
    assert any(w.get("probe_of") for w in stopped["windows"])  # probes under way when it stopped
    assert not landed_ids(tmp_path)  # their answers were held, not landed
    with FakeDiscoveryAPI(dataset, api_key=KEY, rate_limit=10, latency_s=0.5) as api:
        settings = IngestSettings(base_url=api.base_url, api_key=KEY, rate_limit=10, progress=False)
        report = ingest(str(tmp_path), scope, settings=settings)
    assert report.complete and report.resumed
    ids = landed_ids(tmp_path)
    assert len(ids) == len(set(ids)) == 2500
    assert not any(w.get("probe_of") for w in manifest(tmp_path)["windows"])


def test_a_run_stopped_after_its_window_split_keeps_the_probes_as_sub_windows(tmp_path: Path):
    dataset = _deep_day()
    scope = Scope(start=DAY, end=DAY_END)
    with FakeDiscoveryAPI(dataset, api_key=KEY, rate_limit=10, latency_s=0.4) as api:
        settings = IngestSettings(base_url=api.base_url, api_key=KEY, rate_limit=10, progress=False)
        assert ingest(str(tmp_path), scope, settings=settings).complete
    # Rewind to the moment after the day was split, before its probes were taken on as sub-windows.
    [path] = [p for p in (tmp_path / "_manifests").rglob("*.json") if p.name != "latest.json"]
    data = json.loads(path.read_text())
    day = next(w for w in data["windows"] if w["id"] == "w0")
    probe = next(w for w in data["windows"] if w["id"] == day["probes"][0])
    probe.update(status="pending", pages_done=[], probe_of="w0", landed=0)
    probe.pop("pages", None)
    forgotten = [f for f in data["files"]["events"] if f"-events-{probe['id']}-" in f]
    assert forgotten
    for rel in forgotten:
        data["counts"]["events"] -= len((tmp_path / rel).read_text(encoding="utf-8").splitlines())
        (tmp_path / rel).unlink()
    data["files"]["events"] = [f for f in data["files"]["events"] if f not in forgotten]
    data["status"] = "quota_exhausted"
    path.write_text(json.dumps(data))
    (path.parent / "latest.json").write_text(json.dumps({"batch_id": data["batch_id"], "status": "quota_exhausted"}))
    with FakeDiscoveryAPI(dataset, api_key=KEY, rate_limit=10, latency_s=0.4) as api:
        settings = IngestSettings(base_url=api.base_url, api_key=KEY, rate_limit=10, progress=False)
        report = ingest(str(tmp_path), scope, settings=settings)
    assert report.complete and report.resumed
    ids = landed_ids(tmp_path)
    assert len(ids) == len(set(ids)) == 2500
