"""An unreachable workspace answers in seconds with one line naming the host and the setting to fix.

For real, on 127.0.0.1: a closed port and a server that accepts and never answers, with the real CLI,
databricks-sdk and databricks-sql-connector, each case in its own process (so a regression that hangs
fails the test at its timeout instead of hanging the suite). The cases run side by side. How many
seconds each takes with the default limits is measured by `python -m bench.fail_fast`, not here: these
tests check what the user reads and that the limits are the ones set, with the workspace timeout set to
a few seconds (LAKEHOUSE_WORKSPACE_TIMEOUT) so that each case waits for them that long.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest

from bench.fail_fast import (
    CONNECTOR_CASE,
    SDK_CASE,
    TOKEN,
    answers_probe_then_hangs,
    child_env,
    closed_port,
    run_cli,
    run_python,
    silent_server,
)
from runner.errors import LakehouseError
from workspace.connection import WORKSPACE_TIMEOUT_ENV, Limits, limits

# The workspace timeout of these tests, in seconds: every limit is a share of it (Limits).
TIMEOUT = 2
SET = Limits(TIMEOUT)


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory):
    """Every case, run side by side: name -> (seconds, exit code, stdout, stderr)."""
    home = tmp_path_factory.mktemp("home")
    timeout = {WORKSPACE_TIMEOUT_ENV: str(TIMEOUT)}
    env = child_env(home, **timeout)
    closed = closed_port()
    with silent_server() as silent, answers_probe_then_hangs() as hanging, ThreadPoolExecutor(max_workers=6) as pool:
        query = ("query", "--target", "databricks", "SELECT 1")
        jobs = {
            "cli closed port": pool.submit(run_cli, f"http://127.0.0.1:{closed}", *query, home=home, **timeout),
            "cli silent server": pool.submit(run_cli, f"http://127.0.0.1:{silent}", *query, home=home, **timeout),
            "cli debug silent": pool.submit(
                run_cli, f"http://127.0.0.1:{silent}", "debug", "--target", "databricks", home=home, **timeout
            ),
            "connector closed port": pool.submit(run_python, CONNECTOR_CASE.format(port=closed), env),
            "connector silent server": pool.submit(run_python, CONNECTOR_CASE.format(port=silent), env),
            "sdk hung call": pool.submit(
                run_python, SDK_CASE, child_env(home, DATABRICKS_HOST=f"http://127.0.0.1:{hanging}", **timeout)
            ),
        }
        results = {name: job.result() for name, job in jobs.items()}
    return results, closed, silent


@pytest.mark.parametrize("case", ["cli closed port", "cli silent server"])
def test_a_query_to_an_unreachable_host_fails_with_one_line(outcomes, case):
    results, closed, silent = outcomes
    seconds, code, _, stderr = results[case]
    port = closed if "closed" in case else silent
    assert code == 1
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith(f"error: cannot reach the Databricks workspace http://127.0.0.1:{port} ")
    assert "(from DATABRICKS_HOST)" in lines[0]
    assert ("connection refused" if "closed" in case else f"no answer within {SET.probe[1]:g} s") in lines[0]
    assert TOKEN not in stderr


def test_debug_names_the_unreachable_host_and_what_to_check(outcomes):
    results, _, silent = outcomes
    _, code, stdout, _ = results["cli debug silent"]
    assert code == 1
    assert "  pass  host        http://127.0.0.1:" in stdout and "(from DATABRICKS_HOST)" in stdout
    [reach] = [line for line in stdout.splitlines() if line.startswith("  fail  reach")]
    assert f"127.0.0.1:{silent}" in reach and TOKEN not in stdout
    # the checks that need the workspace are not attempted once it cannot be reached
    assert "auth" not in stdout


@pytest.mark.parametrize("case", ["connector closed port", "connector silent server"])
def test_the_sql_connector_alone_gives_up_within_its_limits(outcomes, case):
    """Without the probe: the connector's own retry limits end the attempt, and the engine says so in one line."""
    results, _, _ = outcomes
    seconds, code, _, stderr = results[case]
    last = stderr.strip().splitlines()[-1]
    assert code == 1 and "LakehouseError: cannot open a session on the SQL warehouse" in last, stderr[-2000:]
    assert "DATABRICKS_WAREHOUSE_ID" in last and TOKEN not in stderr
    if "silent" in case:
        assert f"max retry duration of {SET.connector['_retry_stop_after_attempts_duration']:.1f} seconds" in last


def test_an_sdk_call_the_workspace_never_answers_gives_up(outcomes):
    results, _, _ = outcomes
    _, code, _, stderr = results["sdk hung call"]
    assert code == 1 and TOKEN not in stderr
    # The SDK's own words: it gave up at our retry budget, not its 300 s default.
    assert f"Timed out after {timedelta(seconds=SET.sdk['retry_timeout_seconds'])}" in stderr, stderr[-1500:]


def test_the_default_limits_give_up_in_seconds_not_minutes(monkeypatch):
    monkeypatch.delenv(WORKSPACE_TIMEOUT_ENV, raising=False)
    default = limits()
    assert default.probe == (5, 10)
    assert default.sdk == {"retry_timeout_seconds": 20, "http_timeout_seconds": 20}
    assert default.connector == {
        "_socket_timeout": 15,
        "_retry_stop_after_attempts_count": 2,
        "_retry_stop_after_attempts_duration": 12,
        "_retry_delay_max": 5,
    }
    monkeypatch.setenv(WORKSPACE_TIMEOUT_ENV, "60")
    assert limits().probe == (15, 30) and limits().sdk["retry_timeout_seconds"] == 60


@pytest.mark.parametrize("value", ["soon", "0", "-5", "nan"])
def test_a_workspace_timeout_that_is_not_seconds_is_refused(monkeypatch, value):
    monkeypatch.setenv(WORKSPACE_TIMEOUT_ENV, value)
    with pytest.raises(LakehouseError, match=f"{WORKSPACE_TIMEOUT_ENV} must be a number of seconds"):
        limits()
