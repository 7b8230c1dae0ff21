"""The quality framework: rule files, registration, the procedure, the run log and the run's exit code."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from runner.config import load_target
from runner.errors import LakehouseError
from runner.project import SQL_ROOT, compile_project
from runner.quality.rules import SEVERITIES, parse_header
from runner.steps import deploy_steps, run_steps
from tests.quality.conftest import Lakehouse, StaleRerun

RULE_FILES = sorted((SQL_ROOT / "quality").glob("*.sql"))


@pytest.mark.parametrize("path", RULE_FILES, ids=[p.stem for p in RULE_FILES])
def test_every_rule_file_has_a_complete_header(path: Path):
    header = parse_header(path.read_text())
    assert header["rule"] == path.stem
    assert header["severity"] in SEVERITIES
    assert header["description"] and header["checks"]


def test_rules_are_registered_at_deploy_and_run_last_not_as_plain_statements():
    target = load_target("local", data_dir="unused")
    objects = compile_project(target)
    rules = [obj for obj in objects if obj.rule]
    assert len(rules) == len(RULE_FILES)
    assert all(not obj.run for obj in rules)
    registered = [s for s in deploy_steps(target, objects) if s.object_key.startswith("quality.")]
    assert len(registered) == len(RULE_FILES)
    assert all(s.sql.startswith("MERGE INTO gold.data_quality_rules") for s in registered)
    steps = run_steps(target, objects)
    assert steps[-1].object_key == "quality"
    assert steps[-1].sql == "CALL gold.sp_data_quality_checks()"
    # after the gold refresh, whatever else the run does
    assert all(s.object_key != "quality" for s in steps[:-1])


def compile_with_rule(sql_root: Path, file_name: str, text: str) -> None:
    """Compile a project holding only the gold schema and one rule file."""
    for layer in ("setup", "quality"):
        (sql_root / layer).mkdir()
    (sql_root / "setup" / "schemas.sql").write_text("CREATE SCHEMA IF NOT EXISTS gold")
    (sql_root / "quality" / file_name).write_text(text)
    compile_project(load_target("local", data_dir="unused"), sql_root=sql_root)


def test_a_rule_file_without_severity_is_refused(tmp_path: Path):
    text = "-- rule: no_severity\n-- description: x\n-- checks: bronze.events_raw\nSELECT 1 AS failing_key"
    with pytest.raises(LakehouseError, match="severity"):
        compile_with_rule(tmp_path, "no_severity.sql", text)


def test_clean_sample_passes_every_rule(built_lakehouse: Path):
    lakehouse = Lakehouse(built_lakehouse)
    (run_id,) = lakehouse.rows("SELECT run_id FROM gold.etl_log WHERE step_name = 'run'")[0]
    results = lakehouse.results(run_id)
    assert set(results) == {p.stem for p in RULE_FILES}
    failed = {name: r for name, r in results.items() if r["status"] != "passed"}
    assert failed == {}


def test_etl_log_has_a_row_for_every_step_of_a_run(built_lakehouse: Path):
    lakehouse = Lakehouse(built_lakehouse)
    target = load_target("local", data_dir=str(built_lakehouse))
    expected = ["ingest", "deploy"] + [s.object_key for s in run_steps(target, compile_project(target))]
    logged = lakehouse.rows(
        "SELECT step_name, status, started_at <= ended_at FROM gold.etl_log "
        "WHERE logged_by = 'runner' AND step_name <> 'run' ORDER BY step_number"
    )
    assert [name for name, _, _ in logged] == expected
    assert all(status == "succeeded" and ordered for _, status, ordered in logged)
    (run_status,) = lakehouse.rows("SELECT status FROM gold.etl_log WHERE step_name = 'run'")[0]
    assert run_status == "succeeded"
    # the procedure logs its own call in the same run
    assert lakehouse.rows(
        "SELECT count(*) FROM gold.etl_log WHERE logged_by = 'sp_data_quality_checks' AND status = 'succeeded' "
        "AND run_id = (SELECT run_id FROM gold.etl_log WHERE step_name = 'run')"
    ) == [(1,)]


def test_etl_log_keeps_a_failed_step_with_its_error(lakehouse: Lakehouse, capsys):
    # A table where deploy creates a view: the deploy step fails.
    lakehouse.sql("DROP VIEW gold.data_quality_scores", "CREATE TABLE gold.data_quality_scores (x INT)")
    assert lakehouse.cli("run", "--skip-ingest") == 1
    failed = lakehouse.rows(
        "SELECT step_name, error_message FROM gold.etl_log WHERE status = 'failed' ORDER BY step_number"
    )
    assert [name for name, _ in failed] == ["run", "deploy"]
    assert all("data_quality_scores" in message for _, message in failed)


def test_a_failing_high_rule_warns_and_the_run_succeeds(stale_rerun: StaleRerun):
    assert stale_rerun.exit_code == 0
    assert re.search(r"WARN\s+HIGH\s+landing_freshness: 1 of \d+ row\(s\) fail", stale_rerun.output)
    lakehouse = stale_rerun.lakehouse
    (run_id,) = lakehouse.rows("SELECT max_by(run_id, started_at) FROM gold.etl_log WHERE step_name = 'run'")[0]
    results = lakehouse.results(run_id)
    assert results["landing_freshness"]["status"] == "failed"
    assert [name for name, r in results.items() if r["status"] != "passed"] == ["landing_freshness"]


def test_a_rule_whose_query_fails_is_recorded_as_an_error(lakehouse: Lakehouse):
    lakehouse.sql("DROP TABLE bronze.events_raw")
    results = lakehouse.check("broken")
    result = results["landing_freshness"]
    assert result["status"] == "error"
    assert "events_raw" in result["error_message"]
    # The broken rule fails the statement that runs every rule at once; the rules then run one at a time.
    assert len(results) == len(RULE_FILES)
    assert results["fact_grain"]["status"] == "passed" and results["fact_grain"]["rows_checked"] > 0


def test_rules_run_one_at_a_time_still_keep_their_samples(lakehouse: Lakehouse):
    lakehouse.sql(
        "DROP TABLE bronze.events_raw",
        "INSERT INTO gold.fact_events SELECT * FROM gold.fact_events WHERE event_id = (SELECT min(event_id) "
        "FROM gold.fact_events)",
    )
    results = lakehouse.check("broken and failing")
    assert results["landing_freshness"]["status"] == "error"
    failed = [name for name, r in results.items() if r["rows_failing"]]
    assert "fact_grain" in failed and all(results[name]["failing_sample"] for name in failed)


def test_the_rules_run_as_one_statement_and_samples_only_for_those_that_fail(lakehouse: Lakehouse, monkeypatch):
    from scripting.interpreter import Interpreter

    sent = []
    execute_immediate = Interpreter._execute_immediate

    def counted(self, frame, node, scope):
        sent.append(frame.procedure)
        return execute_immediate(self, frame, node, scope)

    monkeypatch.setattr(Interpreter, "_execute_immediate", counted)
    passing = lakehouse.check("clean")
    assert {r["status"] for r in passing.values()} == {"passed"} and len(passing) == len(RULE_FILES)
    assert len(sent) == 1

    sent.clear()
    lakehouse.sql(
        "INSERT INTO gold.fact_events SELECT * FROM gold.fact_events WHERE event_id = (SELECT min(event_id) "
        "FROM gold.fact_events)"
    )
    failing = lakehouse.check("duplicated")
    failed = sorted(name for name, r in failing.items() if r["rows_failing"])
    assert failed and all(failing[name]["failing_sample"] for name in failed)
    assert all(r["failing_sample"] is None for name, r in failing.items() if name not in failed)
    assert len(sent) == 1 + len(failed)  # the rules at once, then the sample of each that found rows


def test_a_rule_name_that_is_not_a_plain_identifier_is_refused(tmp_path: Path):
    text = (
        "-- rule: Odd-Name\n-- severity: LOW\n-- description: x\n-- checks: gold.fact_events\nSELECT 1 AS failing_key"
    )
    with pytest.raises(LakehouseError, match="lowercase letters, digits and underscores"):
        compile_with_rule(tmp_path, "Odd-Name.sql", text)


def test_a_rule_whose_file_is_gone_stops_running_and_keeps_its_history(lakehouse: Lakehouse):
    lakehouse.sql(
        "INSERT INTO gold.data_quality_rules SELECT 'removed_rule', severity, description, checked_tables, "
        "max_failing_share, rule_sql, checked_sql, TRUE, registered_at FROM gold.data_quality_rules "
        "WHERE rule_name = 'fact_grain'"
    )
    assert "removed_rule" in lakehouse.check("before")
    assert lakehouse.cli("deploy") == 0
    assert lakehouse.rows("SELECT is_active FROM gold.data_quality_rules WHERE rule_name = 'removed_rule'") == [
        (False,)
    ]
    assert "removed_rule" not in lakehouse.check("after")
    assert "removed_rule" in lakehouse.results("before")


def test_deploying_twice_changes_no_rule(lakehouse: Lakehouse):
    before = lakehouse.rows("SELECT * FROM gold.data_quality_rules ORDER BY rule_name")
    assert lakehouse.cli("deploy") == 0
    assert lakehouse.rows("SELECT * FROM gold.data_quality_rules ORDER BY rule_name") == before


def test_a_refresh_step_that_fails_is_logged_with_its_error_and_ends_the_run(lakehouse: Lakehouse, capsys):
    lakehouse.sql("ALTER TABLE silver.markets DROP COLUMN market_name")
    assert lakehouse.cli("run", "--skip-ingest") == 1
    assert "market_name" in capsys.readouterr().err
    (run_id,) = lakehouse.rows("SELECT max_by(run_id, started_at) FROM gold.etl_log WHERE step_name = 'run'")[0]
    steps = lakehouse.rows(
        "SELECT step_name, status, error_message FROM gold.etl_log WHERE run_id = ? AND step_name <> 'run' "
        "AND logged_by = 'runner' ORDER BY step_number",
        [run_id],
    )
    # the failed step, then the checks of what the failed run left behind
    assert steps[-2][:2] == ("silver.markets", "failed") and "market_name" in steps[-2][2]
    assert steps[-1][:2] == ("quality", "succeeded")
    assert all(status == "succeeded" for _, status, _ in steps[:-2])
    assert len(lakehouse.results(run_id)) == len(RULE_FILES)
    assert lakehouse.rows("SELECT status FROM gold.etl_log WHERE run_id = ? AND step_name = 'run'", [run_id]) == [
        ("failed",)
    ]


def test_a_procedure_that_fails_logs_its_own_failure(lakehouse: Lakehouse, capsys):
    lakehouse.sql("DROP TABLE gold.data_quality_results CASCADE")
    script = lakehouse.data_dir.parent / "check.sql"
    script.write_text("CALL {{ schema('gold') }}.sp_data_quality_checks('broken_results')\n")
    assert lakehouse.cli("exec", str(script)) == 1
    assert lakehouse.rows(
        "SELECT status, error_message LIKE '%data_quality_results%' FROM gold.etl_log "
        "WHERE run_id = 'broken_results' AND logged_by = 'sp_data_quality_checks'"
    ) == [("failed", True)]
