"""`runner run` when ingest cannot finish: a spent daily quota is not a success (exit code 3), unless asked.

An unwritable or full landing folder (exit code 4) is in tests/ingest/test_landing_errors.py."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from fakes.discovery_api import FakeDataset, FakeDiscoveryAPI
from tests.runner.conftest import rows

KEY = "quota-test-key"


@pytest.fixture(scope="module")
def dataset() -> FakeDataset:
    today = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    return FakeDataset.generated(600, today + timedelta(hours=1), today + timedelta(days=3), undated_share=0)


def _latest_run(data_dir: Path) -> dict[str, tuple[str, str | None]]:
    """step name -> (status, error) of the most recent run in gold.etl_log."""
    found = rows(
        data_dir,
        "SELECT step_name, status, error_message FROM gold.etl_log "
        "WHERE run_id = (SELECT max(run_id) FROM gold.etl_log WHERE step_name = 'run') AND logged_by = 'runner'",
    )
    return {name: (status, error) for name, status, error in found}


def _with_api(monkeypatch: pytest.MonkeyPatch, api: FakeDiscoveryAPI) -> None:
    monkeypatch.setenv("TICKETMASTER_API_KEY", KEY)
    monkeypatch.setenv("TICKETMASTER_BASE_URL", api.base_url)
    monkeypatch.setenv("LAKEHOUSE_INGEST_DAYS", "4")


def test_a_spent_quota_fails_the_run_with_exit_code_3(runner, data_dir, monkeypatch, capsys, dataset):
    assert runner("run") == 0  # the offline sample: the lakehouse and its log exist
    with FakeDiscoveryAPI(dataset, api_key=KEY, rate_limit=100, daily_quota=3) as api:
        _with_api(monkeypatch, api)
        assert runner("run") == 3
    err = capsys.readouterr().err
    assert "daily API quota exhausted" in err and "resets at" in err and KEY not in err
    steps = _latest_run(data_dir)
    assert steps["run"][0] == "failed"
    assert steps["ingest"][0] == "failed" and "quota" in steps["ingest"][1]
    assert "quality" not in steps  # nothing after ingest ran


def test_continue_on_ingest_error_refreshes_with_what_landed(runner, data_dir, monkeypatch, capsys, dataset):
    with FakeDiscoveryAPI(dataset, api_key=KEY, rate_limit=100, daily_quota=3) as api:
        _with_api(monkeypatch, api)
        assert runner("run", "--continue-on-ingest-error") == 0
    out = capsys.readouterr().out
    assert "continuing with what has landed" in out
    steps = _latest_run(data_dir)
    assert steps["ingest"][0] == "failed" and "quota" in steps["ingest"][1]
    assert steps["run"][0] == "succeeded" and steps["quality"][0] == "succeeded"
    # The pages that landed before the quota ran out were loaded.
    [(loaded,)] = rows(data_dir, "SELECT count(DISTINCT id) FROM bronze.events_raw")
    assert 0 < loaded < len(dataset.events)


def test_the_next_run_after_the_reset_completes_the_batch(runner, data_dir, monkeypatch, dataset):
    with FakeDiscoveryAPI(dataset, api_key=KEY, rate_limit=100, daily_quota=3) as api:
        _with_api(monkeypatch, api)
        assert runner("run") == 3
        api.reset_quota()
        api.daily_quota = 1000
        assert runner("run") == 0
    assert rows(data_dir, "SELECT count(*), count(DISTINCT id) FROM bronze.events_raw") == [
        (len(dataset.events), len(dataset.events))
    ]
    assert _latest_run(data_dir)["ingest"][0] == "succeeded"
