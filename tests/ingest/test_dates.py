"""Scope dates: a bare date is a whole day, and a bad date is one clear line."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from fakes.discovery_api import FakeDataset, FakeDiscoveryAPI
from ingest.__main__ import main
from ingest.config import Scope

UTC = timezone(timedelta(0))
DAY = datetime(2025, 3, 1, tzinfo=UTC)


def test_a_bare_end_date_includes_that_whole_day():
    scope = Scope(start="2025-03-01", end="2025-03-01")
    assert scope.start_dt == datetime(2025, 3, 1, 0, 0, 0, tzinfo=UTC)
    assert scope.end_dt == datetime(2025, 3, 1, 23, 59, 59, tzinfo=UTC)
    assert Scope(start=date(2025, 3, 1), end=date(2025, 3, 2)).end_dt == datetime(2025, 3, 2, 23, 59, 59, tzinfo=UTC)
    # A time is taken as given (UTC when it names no zone).
    assert Scope(start="2025-03-01T10:00:00", end="2025-03-01T12:00:00+02:00").end_dt == datetime(
        2025, 3, 1, 10, 0, 0, tzinfo=UTC
    )


def test_bad_dates_say_what_to_type():
    with pytest.raises(ValueError, match=r"start '2025-13-01' is not a valid date.*YYYY-MM-DD"):
        Scope(start="2025-13-01", end="2025-03-01")
    with pytest.raises(ValueError, match="before start"):
        Scope(start="2025-03-02", end="2025-03-01")


@pytest.mark.parametrize(
    ("args", "wanted"),
    [
        (["--start", "2025-13-01"], "error: --start '2025-13-01' is not a valid date or time"),
        (["--start", "2025-03-01", "--end", "tomorrow"], "error: --end 'tomorrow' is not a valid date or time"),
        (["--start", "2025-03-02", "--end", "2025-03-01"], "error: end 2025-03-01T23:59:59Z is before start"),
    ],
)
def test_cli_bad_dates_are_one_line_and_exit_1(tmp_path, monkeypatch, capsys, args, wanted):
    monkeypatch.setenv("TICKETMASTER_API_KEY", "k")
    assert main(["--landing", str(tmp_path), *args]) == 1
    err = capsys.readouterr().err
    assert err.startswith(wanted) and err.count("\n") == 1, err
    assert not list(tmp_path.iterdir())  # nothing was started


def test_cli_end_date_pulls_the_events_of_that_whole_day(tmp_path: Path, monkeypatch, capsys):
    # Events spread over the day and the next; the last ones of the day start after 23:00.
    dataset = FakeDataset.generated(300, DAY, DAY + timedelta(days=2) - timedelta(seconds=1), undated_share=0)
    starts = {e["id"]: e["dates"]["start"]["dateTime"] for e in dataset.events}
    in_day = {i for i, s in starts.items() if s.startswith("2025-03-01")}
    assert any(starts[i] >= "2025-03-01T23:00:00Z" for i in in_day)
    with FakeDiscoveryAPI(dataset, api_key="k", rate_limit=100) as api:
        monkeypatch.setenv("TICKETMASTER_API_KEY", "k")
        monkeypatch.setenv("TICKETMASTER_BASE_URL", api.base_url)
        code = main(["--landing", str(tmp_path), "--start", "2025-03-01", "--end", "2025-03-01", "--rate-limit", "50"])
    assert code == 0, capsys.readouterr().err
    landed = {
        json.loads(line)["id"]
        for path in (tmp_path / "events").rglob("*.json")
        for line in path.read_text(encoding="utf-8").splitlines()
    }
    assert landed == in_day
