"""`debug` checks each setting in the order a user fixes them; `plan`, `deploy` and `run` stop at the first
failing check before any work; `destroy` removes what deploy created, after a confirmation."""

from __future__ import annotations

import pytest
from fake_warehouse import FakeWarehouse

from lakehouse.cli import main
from runner.config import SETTINGS_FILE
from workspace.settings import REPO_ROOT

TOKEN = "dapi-test-token"


@pytest.fixture
def workspace(fake, monkeypatch, tmp_path):
    """The CLI pointed at the fake workspace; its SQL goes to the fake warehouse of the same workspace."""
    monkeypatch.setenv("DATABRICKS_HOST", fake.host)
    monkeypatch.setenv("DATABRICKS_TOKEN", TOKEN)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    warehouse = FakeWarehouse(fake.state)
    monkeypatch.setattr("databricks.sql.connect", warehouse.connect)
    return warehouse


def lines(text: str, status: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.startswith(f"  {status}  ")]


def failure(text: str, check: str) -> str:
    """The one failed check of that name, with its fix line."""
    rows = text.splitlines()
    [index] = [i for i, row in enumerate(rows) if row.startswith("  fail  ") and row.split()[1] == check]
    fix = rows[index + 1].strip() if index + 1 < len(rows) and rows[index + 1].strip().startswith("fix:") else ""
    return rows[index].strip() + "\n" + fix


def test_debug_on_a_fresh_workspace_passes_and_lists_what_deploy_creates(fake, workspace, capsys):
    assert main(["debug", "--target", "databricks", "--env", "prod"]) == 0
    out = capsys.readouterr().out
    passed = " | ".join(lines(out, "pass"))
    for name in ("host", "warehouse", "catalog", "reach", "auth", "secret", "privileges"):
        assert f"{name} " in passed, name
    assert "deployer@example.com (pat auth)" in passed and "serverless, RUNNING" in passed
    todo = " | ".join(lines(out, "todo"))
    assert "main.bronze does not exist yet" in todo and "main.bronze.landing does not exist yet" in todo
    assert lines(out, "fail") == [] and TOKEN not in out


def test_debug_after_deploy_finds_everything(fake, workspace, capsys):
    assert main(["deploy", "--target", "databricks", "--env", "prod"]) == 0
    capsys.readouterr()
    assert main(["debug", "--target", "databricks", "--env", "prod"]) == 0
    out = capsys.readouterr().out
    assert lines(out, "todo") == [] and lines(out, "fail") == []
    assert any("volume" in line and "/Volumes/main/bronze/landing" in line for line in lines(out, "pass"))


@pytest.mark.parametrize(
    ("breaking", "check", "fix"),
    [
        (lambda s: setattr(s, "token", "another-token"), "auth", "DATABRICKS_TOKEN"),
        (lambda s: s.warehouses["wh0123456789"].update(enable_serverless_compute=False), "warehouse", "serverless"),
        (lambda s: s.warehouses.clear(), "warehouse", "DATABRICKS_WAREHOUSE_ID"),
        (lambda s: s.secrets.clear(), "secret", "put-secret"),
        (
            lambda s: s.owners.update(main="someone-else"),
            "privileges",
            "GRANT USE CATALOG, CREATE SCHEMA ON CATALOG main",
        ),
    ],
    ids=["token refused", "classic warehouse", "no warehouse", "no secret", "no privileges"],
)
def test_debug_fails_one_check_with_its_fix(fake, workspace, capsys, breaking, check, fix):
    breaking(fake.state)
    assert main(["debug", "--target", "databricks", "--env", "prod"]) == 1
    out = capsys.readouterr().out
    assert fix in failure(out, check), out
    assert TOKEN not in out and "another-token" not in out


def test_a_missing_catalog_fails_unless_deploy_may_create_it(fake, workspace, capsys, monkeypatch):
    monkeypatch.setenv("LAKEHOUSE_CATALOG", "tickets")
    assert main(["debug", "--target", "databricks", "--env", "prod"]) == 1
    out = capsys.readouterr().out
    assert any(line.startswith("fail  catalog     tickets does not exist") for line in lines(out, "fail"))
    assert "create_catalog = true" in out


def test_plan_checks_the_workspace_before_printing_a_plan(fake, workspace, capsys):
    fake.state.token = "another-token"
    assert main(["plan", "--target", "databricks", "--env", "dev"]) == 1
    captured = capsys.readouterr()
    assert "deploy:" not in captured.out and len(captured.out.splitlines()) < 10
    assert captured.err.startswith("error: auth: the workspace refused the credentials")


def test_run_with_nothing_configured_asks_for_the_workspace_first(monkeypatch, tmp_path, capsys):
    for name in ("DATABRICKS_HOST", "DATABRICKS_TOKEN", "DATABRICKS_WAREHOUSE_ID", "DATABRICKS_CONFIG_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TICKETMASTER_API_KEY", raising=False)
    assert main(["run", "--target", "databricks"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: host: no Databricks workspace is configured") and "DATABRICKS_HOST" in err
    assert "TICKETMASTER_API_KEY" not in err


def test_run_with_a_workspace_but_no_warehouse_asks_for_the_warehouse(fake, workspace, monkeypatch, capsys):
    monkeypatch.delenv("DATABRICKS_WAREHOUSE_ID", raising=False)
    monkeypatch.delenv("TICKETMASTER_API_KEY", raising=False)
    empty = REPO_ROOT / SETTINGS_FILE
    assert 'warehouse_id = ""' in empty.read_text()
    assert main(["run", "--target", "databricks"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: warehouse: no SQL warehouse is configured") and "TICKETMASTER_API_KEY" not in err


def test_destroy_asks_then_removes_what_deploy_created(fake, workspace, capsys, monkeypatch):
    assert main(["deploy", "--target", "databricks", "--env", "dev"]) == 0
    capsys.readouterr()
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    assert main(["destroy", "--target", "databricks", "--env", "dev"]) == 1
    out = capsys.readouterr().out
    assert "not confirmed; nothing was removed" in out and fake.state.jobs and fake.state.spaces
    for what in ("job '[dev] ticketmaster-lakehouse-daily'", "Genie space", "Vector Search index", "workspace folder"):
        assert what in out
    assert "schema main.dev_bronze and all it holds (with the landing volume and every landed file)" in out

    monkeypatch.setattr("builtins.input", lambda prompt: "dev")
    assert main(["destroy", "--target", "databricks", "--env", "dev"]) == 0
    state = fake.state
    assert not state.jobs and not state.spaces and not state.vector_indexes
    assert not [p for p in state.files if p.startswith("/Shared/ticketmaster_lakehouse_dev")]
    assert not [name for name in state.objects if name.startswith("main.dev_")]
    assert "main" in state.objects and state.vector_endpoints and state.secrets  # left alone
    assert main(["destroy", "--target", "databricks", "--env", "dev", "--yes"]) == 0
    assert "nothing to remove" in capsys.readouterr().out


def test_destroy_without_a_terminal_needs_yes(fake, workspace, capsys, monkeypatch):
    assert main(["deploy", "--target", "databricks", "--env", "dev"]) == 0
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    assert main(["destroy", "--target", "databricks", "--env", "dev"]) == 1
    assert "pass --yes" in capsys.readouterr().err and fake.state.jobs
    assert main(["destroy", "--target", "databricks", "--env", "dev", "--yes"]) == 0
    assert not fake.state.jobs
