"""A run deploys only when the lakehouse lacks something the deploy would create."""

from __future__ import annotations

import duckdb

from runner.deploy_state import fingerprint
from runner.steps import Step


def test_a_run_skips_the_deploy_until_something_it_creates_is_missing(runner, data_dir, capsys):
    assert runner("run") == 0  # the offline sample: first deploy
    assert "deploy: " in capsys.readouterr().out
    assert runner("run", "--skip-ingest") == 0
    assert "unchanged since the last deploy, skipped" in capsys.readouterr().out

    database = next(data_dir.glob("*.duckdb"))
    with duckdb.connect(str(database)) as db:
        schema, view = db.execute(
            "SELECT schema_name, view_name FROM duckdb_views() WHERE NOT internal AND schema_name = 'gold' "
            "ORDER BY view_name LIMIT 1"
        ).fetchone()
        db.execute(f"DROP VIEW {schema}.{view}")  # by hand, behind the runner's back
    assert runner("run", "--skip-ingest") == 0
    out = capsys.readouterr().out
    deploy_line = out.split("deploy:")[1].splitlines()[0]
    assert "skipped" not in deploy_line
    with duckdb.connect(str(database), read_only=True) as db:
        assert db.execute(
            "SELECT count(*) FROM duckdb_views() WHERE schema_name = ? AND view_name = ?", [schema, view]
        ).fetchone()[0]


def test_an_explicit_deploy_always_deploys(sample_lakehouse_copy, runner, capsys):
    assert runner("deploy") == 0
    out = capsys.readouterr().out
    assert "skipped" not in out and "Done" in out  # every object deployed, one line each


def test_the_fingerprint_changes_with_any_statement_or_the_landing_folder():
    steps = [Step("silver/events", "deploy", "create", sql="CREATE TABLE IF NOT EXISTS silver.events (id INT)")]
    edited = [Step("silver/events", "deploy", "create", sql="CREATE TABLE IF NOT EXISTS silver.events (id BIGINT)")]
    base = fingerprint(steps, "/data/landing", [])
    assert base == fingerprint(list(steps), "/data/landing", [])
    assert base != fingerprint(edited, "/data/landing", [])
    assert base != fingerprint(steps, "/elsewhere/landing", [])
