"""A CRITICAL failure fails the run after the results are stored; the score follows its documented formula."""

from __future__ import annotations

import json
import re

import pytest

from tests.quality.conftest import Lakehouse

TABLES = ("silver.events", "silver.venues", "gold.fact_events", "gold.dim_venue", "gold.bridge_event_attraction")


def _counts(lakehouse: Lakehouse) -> dict[str, int]:
    return {t: lakehouse.rows(f"SELECT count(*) FROM {t}")[0][0] for t in TABLES}


def test_critical_failure_stores_results_exits_non_zero_and_keeps_what_was_loaded(
    lakehouse: Lakehouse, built_lakehouse, capsys
):
    # A fact row whose venue key points at no venue: CRITICAL, and the run's incremental refresh leaves it.
    (event,) = lakehouse.rows("SELECT min(event_id) FROM gold.fact_events")[0]
    lakehouse.sql(f"UPDATE gold.fact_events SET venue_sk = 987654321 WHERE event_id = '{event}'")
    # This run also lands one new event, which must reach gold although the run fails.
    landed = sorted((built_lakehouse / "landing" / "events").rglob("*.json"))[0]
    new_event = json.loads(landed.read_text().splitlines()[0])
    new_event["id"] = "QUALITYTEST0001"
    target = lakehouse.data_dir / "landing" / "events" / "2026" / "11" / "27"
    target.mkdir(parents=True)
    (target / "one_more.json").write_text(json.dumps(new_event) + "\n")
    before = _counts(lakehouse)

    assert lakehouse.cli("run", "--skip-ingest") == 1

    captured = capsys.readouterr()
    assert "CRITICAL quality rule(s) failed: fact_keys_resolve" in captured.err
    assert "kept" in captured.err
    (run_id, status, error) = lakehouse.rows(
        "SELECT run_id, status, error_message FROM gold.etl_log WHERE step_name = 'run' ORDER BY started_at DESC"
    )[0]
    assert status == "failed" and "fact_keys_resolve" in error
    results = lakehouse.results(run_id)
    assert len(results) >= 15
    assert results["fact_keys_resolve"]["status"] == "failed"
    assert results["fact_keys_resolve"]["failing_sample"] == event
    # every step of the run succeeded and committed; only the verdict failed
    assert lakehouse.rows(
        "SELECT count(*) FROM gold.etl_log WHERE run_id = ? AND step_name <> 'run' AND status <> 'succeeded'", [run_id]
    ) == [(0,)]
    after = _counts(lakehouse)
    assert after["silver.events"] == before["silver.events"] + 1
    assert after["gold.fact_events"] == before["gold.fact_events"] + 1
    assert all(after[t] >= before[t] for t in TABLES)
    assert lakehouse.rows("SELECT count(*) FROM gold.fact_events WHERE event_id = 'QUALITYTEST0001'") == [(1,)]


def test_score_formula_on_a_known_mix(lakehouse: Lakehouse):
    mix = [
        ("a", "CRITICAL", "passed"),
        ("b", "CRITICAL", "passed"),
        ("c", "HIGH", "failed"),
        ("d", "MEDIUM", "passed"),
        ("e", "LOW", "error"),
    ]
    lakehouse.sql(
        *(
            "INSERT INTO gold.data_quality_results (run_id, rule_name, severity, status, checked_at) "
            f"VALUES ('mix', '{rule}', '{severity}', '{status}', current_timestamp)"
            for rule, severity, status in mix
        )
    )
    row = lakehouse.rows(
        "SELECT quality_score, rules_checked, rules_passed, rules_failed, critical_failures "
        "FROM gold.data_quality_scores WHERE run_id = 'mix'"
    )[0]
    # 100 * (10 + 10 + 2) / (10 + 10 + 5 + 2 + 1)
    assert row == (pytest.approx(78.6), 5, 3, 2, 0)


def test_the_procedure_returns_the_score_of_its_run(lakehouse: Lakehouse, capsys):
    lakehouse.sql(
        "UPDATE silver.events SET event_name = NULL WHERE event_id = (SELECT min(event_id) FROM silver.events)"
    )
    capsys.readouterr()
    results = lakehouse.check("one_low")
    out = capsys.readouterr().out
    failed = [r for r in results.values() if r["status"] != "passed"]
    assert [r["rule_name"] for r in failed] == ["event_name_present"]
    weights = {"CRITICAL": 10, "HIGH": 5, "MEDIUM": 2, "LOW": 1}
    total = sum(weights[r["severity"]] for r in results.values())
    expected = round(100 * (total - 1) / total, 1)
    assert re.search(rf"one_low\s+{re.escape(str(expected))}\s", out)  # numbers are right-aligned


def test_fail_on_critical_raises_after_storing_the_results(lakehouse: Lakehouse, capsys):
    (event,) = lakehouse.rows("SELECT min(event_id) FROM gold.fact_events")[0]
    lakehouse.sql(f"DELETE FROM gold.fact_events WHERE event_id = '{event}'")
    script = lakehouse.data_dir.parent / "job_task.sql"
    script.write_text(
        "CALL {{ schema('gold') }}.sp_data_quality_checks(requested_run_id => 'job', fail_on_critical => TRUE)\n"
    )
    assert lakehouse.cli("exec", str(script)) == 1
    assert "1 CRITICAL rule(s) failed in run job" in capsys.readouterr().err
    assert lakehouse.results("job")["fact_grain"]["failing_sample"] == event
    assert lakehouse.rows(
        "SELECT status FROM gold.etl_log WHERE run_id = 'job' AND logged_by = 'sp_data_quality_checks'"
    ) == [("failed",)]
