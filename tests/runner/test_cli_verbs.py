"""Selectors, plan, ls, test, docs and the output of query and exec, called in-process."""

from __future__ import annotations

import json
import re
import shutil
import xml.etree.ElementTree as ElementTree
from datetime import datetime

import pytest

from runner.config import load_target
from runner.errors import LakehouseError
from runner.project import SQL_ROOT, compile_project
from runner.selectors import kind_of
from tests.runner.conftest import rows


@pytest.fixture(scope="module")
def target():
    return load_target("local", data_dir="unused")


def keys(target, select=None, exclude=None) -> list[str]:
    return [o.key for o in compile_project(target, select, exclude=exclude)]


# ---------------------------------------------------------------- selectors


def test_plus_before_a_name_adds_everything_it_reads(target):
    chosen = keys(target, "+silver.events")
    assert {"silver.events", "silver.load_state", "bronze.events_raw", "bronze.landing"} <= set(chosen)
    assert "gold.fact_events" not in chosen and "silver.event_venues" not in chosen
    # execution order is kept
    assert chosen.index("bronze.events_raw") < chosen.index("silver.load_state") < chosen.index("silver.events")


def test_plus_after_a_name_adds_everything_that_reads_it(target):
    chosen = keys(target, "silver.events+")
    assert {"silver.events", "silver.event_venues", "procedures.sp_refresh_gold_layer"} <= set(chosen)
    assert "quality.event_name_present" in chosen  # rules that check it, as dbt selects tests
    assert "bronze.events_raw" not in chosen


def test_kind_layer_and_unions_with_spaces_or_commas(target):
    assert [k for k in keys(target, "kind:mv") if k != "setup.schemas"] == [
        "gold.mv_events_by_date_venue", "gold.mv_events_by_attraction", "gold.mv_monthly_summary",
    ]  # fmt: skip
    union = keys(target, ["kind:mv,bronze.events_raw", "silver.venues"])
    assert set(union) == {
        "setup.schemas", "bronze.events_raw", "silver.venues", "gold.mv_events_by_date_venue",
        "gold.mv_events_by_attraction", "gold.mv_monthly_summary",
    }  # fmt: skip
    assert {k.split(".")[0] for k in keys(target, "bronze")} == {"setup", "bronze"}
    assert keys(target, "layer:procedures") == keys(target, "procedures")
    assert keys(target, "events") == ["setup.schemas", "silver.events"]


def test_exclude_takes_the_same_terms(target):
    chosen = keys(target, "silver", exclude=["silver.load_state", "silver.markets"])
    assert "silver.events" in chosen and "silver.load_state" not in chosen and "silver.markets" not in chosen
    chosen = keys(target, "+silver.events", exclude="bronze")
    assert "silver.events" in chosen and not [k for k in chosen if k.startswith("bronze.")]
    everything_but_rules = keys(target, None, exclude="kind:rule")
    assert everything_but_rules and not [k for k in everything_but_rules if k.startswith("quality.")]


@pytest.mark.parametrize(
    ("term", "suggestion"),
    [("silver.evnts", "silver.events"), ("kind:mvv", "kind:mv"), ("+fact_evnts", "fact_events"), ("glod", "gold")],
)
def test_a_wrong_term_names_the_closest_matches(target, term, suggestion):
    with pytest.raises(LakehouseError) as raised:
        compile_project(target, term)
    message = str(raised.value)
    assert "\n" not in message and len(message) < 160
    assert f"did you mean {suggestion}" in message


def test_every_object_has_a_kind(target):
    kinds = {o.key: kind_of(o) for o in compile_project(target)}
    assert kinds["bronze.events_raw"] == "streaming_table"
    assert kinds["gold.data_quality_scores"] == "view"
    assert kinds["procedures.sp_refresh_gold_layer"] == "procedure"
    assert kinds["quality.fact_grain"] == "rule"
    assert kinds["silver.events"] == "table"
    assert kinds["bronze.landing"] == "volume"


# ---------------------------------------------------------------- ls and plan


def test_ls_lists_objects_with_layer_and_kind_as_json(runner, capsys):
    assert runner("ls", "--format", "json", "--select", "kind:procedure") == 0
    listed = json.loads(capsys.readouterr().out)
    assert {o["kind"] for o in listed} == {"procedure"} and len(listed) == 3
    assert all(o["layer"] == "procedures" and o["description"] for o in listed)


def test_plan_says_what_a_deploy_would_create_change_or_leave(runner, data_dir, tmp_path, capsys):
    from lakehouse.plan import plan_objects

    assert runner("plan", "--format", "json") == 0
    planned = json.loads(capsys.readouterr().out)["objects"]
    assert {o["state"] for o in planned} == {"create"}
    assert runner("deploy") == 0
    target = load_target("local", data_dir=data_dir)
    assert {p.state for p in plan_objects(target, compile_project(target))} == {"unchanged"}
    # An edited file is a change; a table dropped behind the project's back is created again.
    edited = tmp_path / "sql"
    shutil.copytree(SQL_ROOT, edited)
    path = edited / "gold" / "dim_venue.sql"
    text = path.read_text()
    path.write_text(text.replace("'Street address.'", "'Street address, first line.'"))
    import duckdb

    with duckdb.connect(str(data_dir / "lakehouse.duckdb")) as connection:
        connection.execute("DROP TABLE silver.markets")
    states = {p.key: p.state for p in plan_objects(target, compile_project(target, sql_root=edited))}
    assert states["gold.dim_venue"] == "change"
    assert states["silver.markets"] == "create"
    assert {s for k, s in states.items() if k not in ("gold.dim_venue", "silver.markets")} == {"unchanged"}
    capsys.readouterr()
    assert runner("plan") == 0
    out = capsys.readouterr().out
    assert re.search(r"deploy: 1 to create, 0 to change, \d+ unchanged", out)
    assert re.search(r"\+\s+silver\.markets\s+table\s+create", out)


def test_docs_draws_the_lineage_as_svg_offline(runner, tmp_path, capsys):
    out = tmp_path / "lineage.svg"
    assert runner("docs", "--out", str(out)) == 0
    svg = ElementTree.parse(out).getroot()
    ns = {"svg": "http://www.w3.org/2000/svg"}
    titles = [t.text or "" for t in svg.iterfind(".//svg:title", ns)]
    assert any(t.startswith("silver.events (table)") for t in titles)
    objects = [o for o in compile_project(load_target("local", data_dir="unused")) if o.file.layer != "setup"]
    keys_ = {o.key for o in objects}
    edges = sum(len({r for r in o.refs if r in keys_ and r != o.key}) for o in objects)
    assert len(svg.findall(".//svg:path[@marker-end]", ns)) == edges
    assert "http" not in out.read_text().replace("http://www.w3.org/2000/svg", "")


# ---------------------------------------------------------------- test


def test_test_runs_the_rules_alone_by_name_or_severity(sample_lakehouse_copy, runner, data_dir, capsys):
    runs_before = rows(data_dir, "SELECT count(*) FROM gold.etl_log WHERE step_name = 'deploy'")
    assert runner("test", "--select", "critical") == 0
    out = capsys.readouterr().out
    lines = [line for line in out.splitlines() if re.match(r"\s*\d+/\d+ ", line)]
    assert len(lines) == 5 and all(" CRITICAL " in line and " PASS " in line for line in lines)
    assert out.splitlines()[-1].startswith("Done in ") and "PASS=5 WARN=0 FAIL=0" in out
    # nothing was deployed or refreshed; the results are stored under the test's own run
    assert rows(data_dir, "SELECT count(*) FROM gold.etl_log WHERE step_name = 'deploy'") == runs_before
    [(run_id, command)] = rows(
        data_dir,
        "SELECT run_id, step_description FROM gold.etl_log WHERE step_name = 'run' ORDER BY started_at DESC LIMIT 1",
    )
    assert command == "lakehouse test"
    assert rows(data_dir, "SELECT count(*) FROM gold.data_quality_results WHERE run_id = ?", [run_id]) == [(5,)]
    assert runner("test", "--select", "fact_grain", "quality.price_sanity") == 0
    assert "PASS=2 " in capsys.readouterr().out


def test_test_fails_on_a_critical_rule_and_warns_on_the_rest(sample_lakehouse_copy, runner, data_dir, capsys):
    import duckdb

    with duckdb.connect(str(data_dir / "lakehouse.duckdb")) as connection:
        # a fact whose venue is missing (CRITICAL fact_keys_resolve) and an event without a name (LOW)
        connection.execute(
            "UPDATE gold.fact_events SET venue_sk = -999 WHERE event_id = (SELECT min(event_id) FROM gold.fact_events)"
        )
        connection.execute(
            "UPDATE silver.events SET event_name = NULL WHERE event_id = (SELECT min(event_id) FROM silver.events)"
        )
    capsys.readouterr()
    assert runner("test", "--select", "fact_keys_resolve", "event_name_present") == 1
    captured = capsys.readouterr()
    assert re.search(r"fact_keys_resolve\s+FAIL\s+CRITICAL\s+1 of", captured.out)
    assert re.search(r"event_name_present\s+WARN\s+LOW", captured.out)
    assert "PASS=0 WARN=1 FAIL=1" in captured.out
    assert "CRITICAL quality rule(s) failed: fact_keys_resolve" in captured.err


def test_test_on_a_lakehouse_never_deployed_says_what_to_do(runner, capsys):
    assert runner("test") == 1
    assert "lakehouse run" in capsys.readouterr().err


# ---------------------------------------------------------------- query and exec


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        (
            "SELEC 1",
            "error: syntax error at or near 'SELEC' (line 1): no SQL statement starts with it; did you mean SELECT?",
        ),
        ("SELECT 1 FROM", "error: syntax error at line 1, column 13"),
        ("SELECT * FROM gold.fact_events WHERE", "error: syntax error at line 1, column 36 near 'WHERE'"),
    ],
)
def test_a_typo_in_a_query_is_reported_as_a_syntax_error(runner, capsys, sql, expected):
    runner("deploy")
    capsys.readouterr()
    assert runner("query", sql) == 1
    err = capsys.readouterr().err
    assert err.startswith(expected) and err.count("\n") == 1
    assert "change data" not in err


def test_query_aligns_numbers_rounds_floats_and_limits_rows(sample_lakehouse_copy, runner, capsys):
    sql = "SELECT 'a' AS name, 3.14159265 AS pi, 7 AS n UNION ALL SELECT 'bcd', 10.5, 1234 ORDER BY n"
    assert runner("query", sql.replace("3.14159265", "CAST(3.14159265 AS DOUBLE)")) == 0
    assert capsys.readouterr().out.splitlines() == [
        "name      pi     n",
        "a     3.1416     7",
        "bcd     10.5  1234",
        "(2 rows)",
    ]
    assert runner("query", "SELECT event_id FROM gold.fact_events") == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 1 + 100 + 1 and out[-1] == "(showing the first 100 of 500 rows; --limit 0 shows every row)"
    assert runner("query", "SELECT event_id FROM gold.fact_events", "--limit", "0") == 0
    assert capsys.readouterr().out.splitlines()[-1] == "(500 rows)"


def test_query_json_has_real_numbers_and_utf8(runner, capsys):
    runner("deploy")
    capsys.readouterr()
    sql = "SELECT CAST(12345678901234567.25 AS DECIMAL(38, 2)) AS amount, 'Zürich ☃' AS city, CAST(0.5 AS DOUBLE) AS f"
    assert runner("query", sql, "--format", "json") == 0
    out = capsys.readouterr().out
    assert '"amount": 12345678901234567.25' in out and '"city": "Zürich ☃"' in out
    assert json.loads(out) == [{"amount": 12345678901234567.25, "city": "Zürich ☃", "f": 0.5}]


def test_exec_reports_the_rows_a_statement_changed(runner, tmp_path, capsys):
    script = tmp_path / "change.sql"
    script.write_text(
        "CREATE TABLE IF NOT EXISTS gold.scratch (n INT);\n"
        "INSERT INTO gold.scratch VALUES (1), (2), (3);\n"
        "UPDATE gold.scratch SET n = n + 1 WHERE n > 1;\n"
    )
    runner("deploy")
    capsys.readouterr()
    assert runner("exec", str(script)) == 0
    err = capsys.readouterr().err.splitlines()
    assert err == ["line 1: CREATE done", "line 2: INSERT 3 row(s) affected", "line 3: UPDATE 2 row(s) affected"]


# ---------------------------------------------------------------- report


def test_report_labels_runs_uniquely():
    from lakehouse.report import run_labels
    from lakehouse.status import Run

    def run(run_id: str, at: str) -> Run:
        return Run(run_id, datetime.fromisoformat(at), None, "succeeded", None, 0, 0, None, None)

    runs = [
        run("20261202T014501-aaaaaa", "2026-12-02T01:45:01"),
        run("20261202T014501-bbbbbb", "2026-12-02T01:45:01"),
        run("20261202T014559-cccccc", "2026-12-02T01:45:59"),
        run("20261202T015000-dddddd", "2026-12-02T01:50:00"),
    ]
    labels = run_labels(runs)
    assert len(set(labels.values())) == 4
    assert labels["20261202T015000-dddddd"] == "12-02 01:50"
    assert labels["20261202T014559-cccccc"] == "12-02 01:45:59"


def test_plan_fits_the_width_of_the_terminal(runner, monkeypatch, capsys):
    monkeypatch.setenv("COLUMNS", "70")
    assert runner("plan", "-v") == 0
    lines = capsys.readouterr().out.splitlines()
    assert max(len(line.rstrip()) for line in lines if not line.startswith("target:")) <= 70
    assert any(line.lstrip().startswith("+") and "silver.events" in line for line in lines)
