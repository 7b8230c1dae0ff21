"""Bad workspace settings fail before any request, with a message naming the field."""

from __future__ import annotations

import pytest

from lakehouse.cli import main
from runner.config import SETTINGS_FILE
from workspace.settings import REPO_ROOT

BASE = (REPO_ROOT / SETTINGS_FILE).read_text()


@pytest.fixture
def settings_file(tmp_path, monkeypatch, fake):
    """Write a variant of lakehouse.toml and point the CLI (and its SDK) at the fake workspace."""
    monkeypatch.setenv("DATABRICKS_HOST", fake.host)
    monkeypatch.setenv("DATABRICKS_TOKEN", "dapi-test-token")
    monkeypatch.chdir(tmp_path)

    def write(old: str, new: str) -> None:
        assert old in BASE, old
        path = tmp_path / "lakehouse.toml"
        path.write_text(BASE.replace(old, new, 1))
        monkeypatch.setenv("LAKEHOUSE_SETTINGS", str(path))

    return write


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ('catalog = "main"', 'catalog = "ticket-master; DROP"', "workspace.catalog"),
        ('volume = "landing"', 'volume = "1landing"', "workspace.volume"),
        ('name_prefix = "dev_"', 'name_prefix = "dev-"', "workspace.name_prefix"),
        ('read_gold = ["analysts"]', 'read_gold = ["analyst"]', "grants.read_gold"),
        ('pipeline = "ticketmaster_pipeline"', 'pipeline = "x` TO `all"', "groups.pipeline"),
        ('timezone = "UTC"', 'timezone = "UTC; 1"', "workspace.timezone"),
        ('schedule = "0 0 2 * * ?"', 'schedule = "daily"', "workspace.schedule"),
        ('secret_key = "ticketmaster_api_key"', 'secret_key = "a key"', "workspace.secret_key"),
    ],
)
@pytest.mark.parametrize("command", ["plan", "deploy"])
def test_bad_settings_fail_before_any_call(settings_file, fake, capsys, old, new, field, command):
    settings_file(old, new)
    assert main([command, "--target", "databricks", "--env", "dev"]) == 1
    assert field in capsys.readouterr().err
    assert fake.state.requests == []


def test_a_missing_warehouse_fails_before_any_call(settings_file, fake, capsys, monkeypatch):
    monkeypatch.delenv("DATABRICKS_WAREHOUSE_ID")
    settings_file('warehouse_id = ""', 'warehouse_id = ""')
    assert main(["deploy", "--target", "databricks", "--env", "prod"]) == 1
    assert "workspace.warehouse_id" in capsys.readouterr().err
    assert fake.state.requests == []


def test_env_is_refused_on_the_local_target(capsys):
    assert main(["plan", "--env", "dev"]) == 1
    assert "--target databricks" in capsys.readouterr().err


def test_cli_plan_lists_workspace_changes_without_writing(settings_file, fake, capsys):
    settings_file('warehouse_id = ""', 'warehouse_id = ""')
    assert main(["plan", "--target", "databricks", "--env", "prod"]) == 0
    out = capsys.readouterr().out
    assert "create      job    ticketmaster-lakehouse-daily" in out
    assert "GRANT READ VOLUME, WRITE VOLUME ON VOLUME main.bronze.landing" in out
    assert fake.state.requests and fake.writes() == []


def test_run_as_makes_the_job_run_as_the_pipeline_principal(settings_file, fake, monkeypatch):

    from runner.config import load_target
    from runner.project import compile_project
    from workspace.job import job_settings
    from workspace.settings import load_settings

    settings_file('run_as = ""', 'run_as = "6f1c2a9e-0000-4d4e-9a9a-123456789abc"')
    settings = load_settings("prod")
    target = settings.apply_to(load_target("databricks"))
    job = job_settings(settings, target, compile_project(target, "bronze")).as_dict()
    assert job["run_as"] == {"service_principal_name": "6f1c2a9e-0000-4d4e-9a9a-123456789abc"}


def test_compile_env_writes_grants_and_task_files(settings_file, tmp_path, capsys):
    settings_file('warehouse_id = ""', 'warehouse_id = ""')
    assert main(["compile", "--target", "databricks", "--env", "dev", "--out", str(tmp_path / "out")]) == 0
    folder = tmp_path / "out" / "databricks" / "workspace"
    assert "main.dev_gold" in (folder / "grants.sql").read_text()
    assert "CALL main.dev_gold.sp_refresh_gold_layer" in (folder / "03_gold.sql").read_text()


def test_cli_deploy_twice_creates_once_and_sends_the_sql(settings_file, fake, monkeypatch, capsys, caplog):
    import logging

    from conftest import API_KEY
    from fake_warehouse import FakeWarehouse

    warehouse = FakeWarehouse(fake.state)

    # Only the connector's Thrift session is replaced; the CLI, engine, planner and SDK are real.
    monkeypatch.setattr("databricks.sql.connect", warehouse.connect)
    caplog.set_level(logging.DEBUG)
    settings_file('warehouse_id = ""', 'warehouse_id = ""')
    assert main(["deploy", "--target", "databricks", "--env", "prod"]) == 0
    assert main(["deploy", "--target", "databricks", "--env", "prod"]) == 0
    assert len(fake.calls("POST", "/api/2.2/jobs/create")) == 1 and fake.calls("POST", "/api/2.2/jobs/reset") == []
    assert len(fake.calls("POST", "/api/2.0/genie/spaces")) == 1
    sent = warehouse.statements
    assert any(sql.startswith("GRANT READ VOLUME, WRITE VOLUME") for sql in sent)
    assert API_KEY not in capsys.readouterr().out + caplog.text + "\n".join(sent)
