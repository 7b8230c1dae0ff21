"""Small parts: rate limiter, redaction, fake API protocol details, CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime, timedelta, timezone

import pytest
import requests

from fakes.discovery_api import FakeDataset, FakeDiscoveryAPI
from ingest.__main__ import main
from ingest.config import IngestSettings, MissingApiKey, Scope
from ingest.ratelimit import RateLimiter
from ingest.redact import Redactor

UTC = timezone(timedelta(0))


def test_rate_limiter_spaces_requests_evenly():
    now = [0.0]
    sent = []

    def sleep(seconds: float) -> None:
        now[0] += seconds

    limiter = RateLimiter(5, margin_s=0.001, clock=lambda: now[0], sleep=sleep)
    for _ in range(20):
        limiter.acquire()
        sent.append(now[0])
    gaps = [b - a for a, b in zip(sent, sent[1:], strict=False)]
    assert min(gaps) == pytest.approx(0.201)
    assert all(sum(1 for t in sent if start <= t < start + 1) <= 5 for start in sent)
    limiter.defer(3.0)
    before = now[0]
    limiter.acquire()
    assert now[0] - before == pytest.approx(3.0)


def test_redactor_masks_plain_encoded_and_query_forms():
    redact = Redactor("a+b/c=")
    text = "GET /events?apikey=a%2Bb%2Fc%3D&size=1 Identifier : a+b/c= other apikey=zzz"
    out = redact(text)
    assert "a+b/c=" not in out and "a%2Bb%2Fc%3D" not in out and "zzz" not in out
    assert "apikey=***" in out


def test_missing_key_is_reported_before_any_request(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("TICKETMASTER_API_KEY", raising=False)
    with pytest.raises(MissingApiKey):
        IngestSettings().resolved_api_key()


def test_base_url_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("TICKETMASTER_BASE_URL", "http://127.0.0.1:9/discovery/v2")
    assert IngestSettings().base_url == "http://127.0.0.1:9/discovery/v2"
    monkeypatch.delenv("TICKETMASTER_BASE_URL")
    assert IngestSettings().base_url == "https://app.ticketmaster.com/discovery/v2"


def test_scope_normalises_dates_and_params():
    scope = Scope(start="2025-03-01", end="2025-03-02T10:00:00Z", country_code="US", dma_id="213")
    assert scope.start_dt == datetime(2025, 3, 1, tzinfo=UTC)
    assert scope.filter_params() == {"countryCode": "US", "dmaId": "213"}
    assert (
        scope.key()
        == Scope(start="2025-03-01T00:00:00Z", end="2025-03-02T10:00:00Z", country_code="US", dma_id="213").key()
    )
    with pytest.raises(ValueError):
        Scope(start="2025-03-02", end="2025-03-01")


@pytest.fixture(scope="module")
def api():
    day = datetime(2025, 3, 1, tzinfo=UTC)
    with FakeDiscoveryAPI(
        FakeDataset.generated(450, day, day + timedelta(hours=20), undated_share=0),
        api_key="k",
        rate_limit=1000,
        daily_quota=10**6,
    ) as fake:
        yield fake


def _get(api: FakeDiscoveryAPI, resource: str, **params: object) -> requests.Response:
    return requests.get(f"{api.base_url}/{resource}", params={"apikey": "k", **params}, timeout=5)


def test_fake_api_paginates_with_hal_links(api: FakeDiscoveryAPI):
    first = _get(api, "events", size=200)
    assert first.status_code == 200 and first.headers["Content-Type"].startswith("application/hal+json")
    assert {"Rate-Limit", "Rate-Limit-Available", "Rate-Limit-Over", "Rate-Limit-Reset"} <= set(first.headers)
    body = first.json()
    assert body["page"] == {"size": 200, "totalElements": 450, "totalPages": 3, "number": 0}
    assert "next" in body["_links"] and "prev" not in body["_links"]
    assert "apikey" not in body["_links"]["next"]["href"]
    last = _get(api, "events.json", size=200, page=2).json()
    assert len(last["_embedded"]["events"]) == 50 and "next" not in last["_links"]
    empty = _get(api, "events", startDateTime="2000-01-01T00:00:00Z", endDateTime="2000-01-02T00:00:00Z").json()
    assert "_embedded" not in empty and empty["page"]["totalPages"] == 0


def test_fake_api_rejects_what_the_real_one_rejects(api: FakeDiscoveryAPI):
    deep = _get(api, "events", size=200, page=5)
    assert deep.status_code == 400 and deep.json()["errors"][0]["code"] == "DIS1035"
    assert _get(api, "events", size=201).json()["errors"][0]["code"] == "DIS1036"
    bad = _get(api, "events", startDateTime="2025-03-01T00:00:00.000Z")
    assert bad.status_code == 400 and bad.json()["errors"][0]["code"] == "DIS1015"
    wrong = requests.get(f"{api.base_url}/events", params={"apikey": "nope"}, timeout=5)
    assert wrong.status_code == 401 and "Rate-Limit" not in wrong.headers
    assert wrong.json()["fault"]["detail"]["errorcode"] == "oauth.v2.InvalidApiKey"
    assert _get(api, "venues/nope").json()["errors"][0]["code"] == "DIS1004"


def test_fake_api_limits_per_second_and_per_day():
    day = datetime(2025, 3, 1, tzinfo=UTC)
    with FakeDiscoveryAPI(FakeDataset.generated(5, day, day), api_key="sekret", rate_limit=2, daily_quota=3) as fake:
        codes = [_get_key(fake, "sekret").status_code for _ in range(3)]
        assert codes[:2] == [200, 200] and codes[2] == 429
        spike = _get_key(fake, "sekret")
        assert spike.json()["fault"]["detail"]["errorcode"] == "policies.ratelimit.SpikeArrestViolation"
        fake._recent.clear()
        _get_key(fake, "sekret")
        fake._recent.clear()
        quota = _get_key(fake, "sekret")
        assert quota.status_code == 429
        assert quota.json()["fault"]["detail"]["errorcode"] == "policies.ratelimit.QuotaViolation"
        assert "sekret" in quota.json()["fault"]["faultstring"]  # as the real body does
        assert quota.headers["Rate-Limit-Available"] == "0" and int(quota.headers["Rate-Limit-Reset"]) > 0


def _get_key(api: FakeDiscoveryAPI, key: str) -> requests.Response:
    return requests.get(f"{api.base_url}/events", params={"apikey": key}, timeout=5)


def test_cli_help():
    with pytest.raises(SystemExit) as info:
        main(["--help"])
    assert info.value.code == 0
    out = subprocess.run([sys.executable, "-m", "ingest", "--help"], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0
    for option in (
        "--landing",
        "--start",
        "--end",
        "--country-code",
        "--state-code",
        "--city",
        "--dma-id",
        "--classification-name",
        "--keyword",
        "TICKETMASTER_API_KEY",
    ):
        assert option in out.stdout


def test_cli_without_key_exits_2(tmp_path, monkeypatch: pytest.MonkeyPatch, capsys):
    monkeypatch.delenv("TICKETMASTER_API_KEY", raising=False)
    assert main(["--landing", str(tmp_path), "--start", "2025-03-01"]) == 2
    assert "TICKETMASTER_API_KEY" in capsys.readouterr().err


def test_cli_runs_against_the_fake(tmp_path, monkeypatch: pytest.MonkeyPatch, capsys, api: FakeDiscoveryAPI):
    monkeypatch.setenv("TICKETMASTER_API_KEY", "k")
    monkeypatch.setenv("TICKETMASTER_BASE_URL", api.base_url)
    code = main(
        ["--landing", str(tmp_path), "--start", "2025-03-01", "--end", "2025-03-01T23:59:59Z", "--rate-limit", "50"]
    )
    assert code == 0
    out = capsys.readouterr()
    assert "complete: 450 events" in out.out and out.err == ""


def test_a_batch_begun_in_the_same_second_as_another_gets_its_own_id(tmp_path):
    from ingest.landing import LocalLanding
    from ingest.manifest import ManifestStore

    landing = LocalLanding(tmp_path)
    store = ManifestStore(
        landing,
        Scope(start=datetime(2025, 3, 1, tzinfo=UTC), end=datetime(2025, 3, 2, tzinfo=UTC)),
    )
    moment = datetime(2025, 3, 1, 23, 59, 59, tzinfo=UTC)
    first, _ = store.open(resume=False, settings={}, now=moment)
    store.save(first, pointer=True)
    second, resumed = store.open(resume=False, settings={}, now=moment)
    assert not resumed and second.batch_id != first.batch_id
    assert second.batch_date == first.batch_date  # the day it began, even where the next second is tomorrow
    store.save(second, pointer=True)
    landed = landing.read(store.path(first.batch_id))
    assert landed is not None and json.loads(landed)["batch_id"] == first.batch_id  # not written over
