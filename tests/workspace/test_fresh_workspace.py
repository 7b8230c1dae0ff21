"""A fresh workspace, as a new user meets it: deploy on an empty landing volume, then the first daily job.

The real databricks-sdk talks to the fake REST API over HTTP; the SQL goes to a fake warehouse that
keeps the workspace's objects and refuses what the documentation says a warehouse refuses
(fake_warehouse.py). The job runs from what deploy left in the workspace: its settings as created,
its task files as uploaded, split on semicolons as the SQL task documents, run as the job's identity.
"""

from __future__ import annotations

import base64
import re
from pathlib import Path

import pytest
from fake_warehouse import FakeSqlError, FakeWarehouse, run_job, split_as_the_sql_task_does

from runner.config import REPO_ROOT, load_target
from runner.engines.databricks_engine import DatabricksEngine
from runner.project import compile_project
from workspace.deploy import deploy_workspace
from workspace.settings import load_settings

RUN_AS = "6f0c2a8e-0000-4000-8000-00000000a11c"  # the job's service principal, a member of the pipeline group


@pytest.fixture
def settings_file(tmp_path: Path, monkeypatch) -> Path:
    text = (REPO_ROOT / "lakehouse.toml").read_text()
    text = re.sub(r'^run_as = ""', f'run_as = "{RUN_AS}"', text, count=1, flags=re.M)
    path = tmp_path / "lakehouse.toml"
    path.write_text(text)
    monkeypatch.setenv("LAKEHOUSE_SETTINGS", str(path))
    return path


@pytest.fixture
def fresh(fake, client, settings_file):
    """A workspace with a catalog, a serverless warehouse, the API key's secret, and nothing else."""
    fake.state.groups["ticketmaster_pipeline"] = {RUN_AS}
    settings = load_settings("prod")
    target = settings.apply_to(load_target("databricks"))
    warehouse = FakeWarehouse(fake.state)
    engine = DatabricksEngine(target, connect=warehouse.connect, sdk_config=client.config)
    return settings, target, warehouse, engine


def _deploy(client, fresh) -> list[str]:
    settings, target, warehouse, engine = fresh
    said: list[str] = []
    deploy_workspace(client, settings, target, compile_project(target), engine, said.append)
    return said


def test_deploy_on_an_empty_volume_then_the_first_daily_job_succeed(fake, client, fresh):
    settings, target, warehouse, _ = fresh
    _deploy(client, fresh)
    state = fake.state
    # Deploy made the entity folders between the volume and the streaming tables, and landed nothing.
    folders = {f"{target.landing_root}/{e}" for e in ("events", "venues", "attractions", "classifications")}
    assert folders <= state.volume_paths
    assert not [p for p in state.volume_paths if p.endswith(".ndjson")]
    kinds = [k for _, k in sorted(state.objects.items())]
    assert kinds.count("STREAMING_TABLE") == 4 and kinds.count("MATERIALIZED_VIEW") == 3

    [job_id] = state.jobs
    ran = run_job(state, job_id, target.landing_root, identity=RUN_AS)
    tasks = [task for task, _ in ran]
    assert tasks == sorted(tasks, key=["bronze", "silver", "gold", "materialized_views", "quality"].index)

    def position(pattern: str) -> int:
        return next(i for i, (_, sql) in enumerate(ran) if re.search(pattern, sql))

    bronze = position(r"^REFRESH STREAMING TABLE main\.bronze\.events_raw$")
    assert bronze < position(r"^MERGE INTO main\.silver\.events ")
    call = position(r"^CALL main\.gold\.sp_refresh_gold_layer\(")
    assert call < position(r"^OPTIMIZE main\.gold\.fact_events ") < position(r"^ANALYZE TABLE main\.gold\.fact_events ")
    assert call < position(r"^REFRESH MATERIALIZED VIEW main\.gold\.mv_monthly_summary$")
    assert position(r"sp_data_quality_checks\(fail_on_critical => TRUE\)") == len(ran) - 1
    # The refreshes ran as the job's identity, by the grants deploy made to its group.
    refreshed = [sql.split()[-1] for _, sql in ran if sql.startswith("REFRESH")]
    assert len(refreshed) == 7
    assert all(("REFRESH", name, "ticketmaster_pipeline") in state.grants for name in refreshed)


def test_redeploy_after_the_first_job_changes_nothing_it_should_not(fake, client, fresh):
    settings, target, warehouse, _ = fresh
    _deploy(client, fresh)
    [job_id] = fake.state.jobs
    run_job(fake.state, job_id, target.landing_root, identity=RUN_AS)
    landed = {p for p in fake.state.volume_paths if p.endswith(".ndjson")}
    _deploy(client, fresh)
    assert {p for p in fake.state.volume_paths if p.endswith(".ndjson")} == landed
    assert list(fake.state.jobs) == [job_id]


# The fake warehouse is what makes the scenario able to fail: each rule, broken, is refused.


def test_a_streaming_table_inferring_from_an_empty_folder_is_refused(fake, fresh):
    _, target, warehouse, _ = fresh
    warehouse.run("CREATE SCHEMA IF NOT EXISTS main.bronze")
    warehouse.run("CREATE VOLUME IF NOT EXISTS main.bronze.landing")
    fake.state.volume_paths.add(f"{target.landing_root}/events")
    inferred = (
        "CREATE OR REFRESH STREAMING TABLE main.bronze.events_raw AS SELECT * FROM STREAM read_files("
        f"'{target.landing_root}/events', format => 'json', schemaEvolutionMode => 'addNewColumns')"
    )
    with pytest.raises(FakeSqlError, match="CF_EMPTY_DIR_FOR_SCHEMA_INFERENCE"):
        warehouse.run(inferred)


def test_refresh_of_the_wrong_kind_or_without_the_privilege_is_refused(fake, client, fresh):
    _, target, _, _ = fresh
    _deploy(client, fresh)
    job = FakeWarehouse(fake.state, RUN_AS)
    with pytest.raises(FakeSqlError, match="NON_STREAMING_TABLE"):
        job.run("REFRESH TABLE main.gold.mv_monthly_summary")
    with pytest.raises(FakeSqlError, match="NON_MATERIALIZED_VIEW"):
        job.run("REFRESH MATERIALIZED VIEW main.bronze.events_raw")
    fake.state.grants = [g for g in fake.state.grants if g[0] != "REFRESH"]
    with pytest.raises(FakeSqlError, match="PERMISSION_DENIED"):
        job.run("REFRESH MATERIALIZED VIEW main.gold.mv_monthly_summary")


def test_a_semicolon_in_a_task_file_comment_breaks_the_split(fake, client, fresh):
    _, target, _, _ = fresh
    _deploy(client, fresh)
    content = "-- Generated; edit sql/\nUSE CATALOG main;\nREFRESH STREAMING TABLE main.bronze.events_raw;\n"
    with pytest.raises(FakeSqlError, match="PARSE_SYNTAX_ERROR"):
        for statement in split_as_the_sql_task_does(content):
            FakeWarehouse(fake.state, RUN_AS).run(statement)


def test_the_uploaded_task_files_split_into_whole_statements(fake, client, fresh):
    _deploy(client, fresh)
    for path, encoded in fake.state.files.items():
        if path.endswith(".sql"):
            content = base64.b64decode(encoded).decode()
            for statement in split_as_the_sql_task_does(content):
                assert statement.count("(") == statement.count(")"), (path, statement[:200])
