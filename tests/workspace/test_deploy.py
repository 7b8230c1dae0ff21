"""Deploy against a fake workspace with the real databricks-sdk: create, then adopt and update, never duplicate."""

from __future__ import annotations

import base64
import dataclasses
import json

from conftest import API_KEY

from workspace.deploy import deploy_workspace, show_plan
from workspace.settings import load_settings


def deploy(d, say=lambda _: None):
    engine = d.engine()
    try:
        return deploy_workspace(d.client, d.settings, d.target, d.objects, engine, say)
    finally:
        engine.close()


def test_first_deploy_creates_job_space_files_and_grants(fake, prod):
    deploy(prod)
    assert len(fake.calls("POST", "/api/2.2/jobs/create")) == 1
    assert len(fake.calls("POST", "/api/2.0/genie/spaces")) == 1
    # The assistant's Vector Search endpoint and its Delta Sync index over the event documents.
    [endpoint] = fake.calls("POST", "/api/2.0/vector-search/endpoints")
    [index] = fake.calls("POST", "/api/2.0/vector-search/indexes")
    assert index.body["endpoint_name"] == endpoint.body["name"]
    assert index.body["delta_sync_index_spec"]["source_table"] == "main.gold.event_documents"
    assert any("delta.enableChangeDataFeed = true" in sql for sql in prod.sql)
    imported = {r.body["path"] for r in fake.calls("POST", "/api/2.0/workspace/import")}
    root = prod.settings.root
    assert {
        f"{root}/ingest_task.py",
        f"{root}/src/ingest/__main__.py",
        f"{root}/sql/04_materialized_views.sql",
    } <= imported
    assert all(
        r.body["format"] == "RAW" and r.body["overwrite"] for r in fake.calls("POST", "/api/2.0/workspace/import")
    )
    assert "GRANT USE SCHEMA, SELECT, EXECUTE ON SCHEMA main.gold TO `ticketmaster_analysts`" in prod.sql
    assert "GRANT READ VOLUME, WRITE VOLUME ON VOLUME main.bronze.landing TO `ticketmaster_pipeline`" in prod.sql
    # Grants come after the schemas and the volume they name.
    volume = next(i for i, s in enumerate(prod.sql) if "CREATE VOLUME" in s)
    assert volume < next(i for i, s in enumerate(prod.sql) if s.startswith("GRANT"))


def test_job_runs_the_layers_in_order_daily_at_two_on_the_warehouse(fake, prod):
    deploy(prod)
    job = fake.calls("POST", "/api/2.2/jobs/create")[0].body
    assert job["schedule"] == {
        "quartz_cron_expression": "0 0 2 * * ?",
        "timezone_id": "UTC",
        "pause_status": "UNPAUSED",
    }
    keys = [t["task_key"] for t in job["tasks"]]
    assert keys == ["ingest", "bronze", "silver", "gold", "materialized_views", "quality", "vector_search_sync"]
    sql_tasks = job["tasks"][1:-1]
    for before, task in zip(job["tasks"], sql_tasks, strict=False):
        assert task["depends_on"] == [{"task_key": before["task_key"]}]
        assert task["sql_task"]["warehouse_id"] == "wh0123456789"
        assert task["sql_task"]["file"]["source"] == "WORKSPACE"
        assert task["sql_task"]["file"]["path"] in fake.state.files
    gold = base64.b64decode(fake.state.files[job["tasks"][3]["sql_task"]["file"]["path"]]).decode()
    assert gold.count("CALL main.gold.sp_refresh_gold_layer") == 1
    quality = base64.b64decode(fake.state.files[job["tasks"][5]["sql_task"]["file"]["path"]]).decode()
    assert quality.count("CALL main.gold.sp_data_quality_checks") == 1
    assert all(f.startswith("-- Task `") for f in (gold, quality))


def test_second_deploy_creates_nothing_and_leaves_unchanged_objects_alone(fake, prod):
    deploy(prod)
    first = len(fake.writes())
    changes = deploy(prod)
    later = fake.writes()[first:]
    assert later == [], [f"{r.method} {r.path}" for r in later]
    assert {c.action for c in changes if c.kind in ("job", "genie", "file")} == {"leave alone"}


def test_redeploy_after_a_change_updates_the_same_job_and_space(fake, prod):
    deploy(prod)
    job_id = next(iter(fake.state.jobs))
    space_id = next(iter(fake.state.spaces))
    prod.settings = dataclasses.replace(prod.settings, timezone="Europe/Amsterdam", warehouse_id="wh999")
    deploy(prod)
    assert len(fake.calls("POST", "/api/2.2/jobs/create")) == 1
    assert len(fake.calls("POST", "/api/2.0/genie/spaces")) == 1
    (reset,) = fake.calls("POST", "/api/2.2/jobs/reset")
    assert reset.body["job_id"] == job_id
    assert reset.body["new_settings"]["schedule"]["timezone_id"] == "Europe/Amsterdam"
    (patch,) = fake.calls("PATCH", "/api/2.0/genie/spaces/")
    assert patch.path.endswith(space_id) and patch.body["warehouse_id"] == "wh999"
    assert list(fake.state.jobs) == [job_id] and list(fake.state.spaces) == [space_id]


def test_an_existing_job_of_the_same_name_is_adopted_not_duplicated(fake, prod):
    fake.state.jobs[7] = {"name": prod.settings.title(prod.settings.job_name), "tasks": []}
    deploy(prod)
    assert fake.calls("POST", "/api/2.2/jobs/create") == []
    assert [r.body["job_id"] for r in fake.calls("POST", "/api/2.2/jobs/reset")] == [7]


def test_plan_reads_and_never_writes(fake, prod, capsys):
    changes = show_plan(prod.client, prod.settings, prod.target, prod.objects)
    assert fake.writes() == [] and prod.sql == []
    assert {c.action for c in changes if c.kind in ("job", "genie", "file")} == {"create"}
    deploy(prod)
    before = len(fake.state.requests)
    changes = show_plan(prod.client, prod.settings, prod.target, prod.objects)
    assert [r for r in fake.state.requests[before:] if r.is_write] == []
    assert {c.action for c in changes if c.kind in ("job", "genie", "file")} == {"leave alone"}
    assert "leave alone" in capsys.readouterr().out


def test_dev_prefixes_names_and_pauses_the_schedule(fake, dev):
    deploy(dev)
    job = fake.calls("POST", "/api/2.2/jobs/create")[0].body
    assert job["name"].startswith("[dev] ") and job["schedule"]["pause_status"] == "PAUSED"
    assert "GRANT USE SCHEMA, SELECT, EXECUTE ON SCHEMA main.dev_gold TO `ticketmaster_analysts`" in dev.sql
    assert any("main.dev_bronze" in sql for sql in dev.sql)
    space = fake.calls("POST", "/api/2.0/genie/spaces")[0].body
    assert space["title"].startswith("[dev] ")
    assert "main.dev_gold.fact_events" in space["serialized_space"]


def test_genie_space_carries_tables_instructions_and_certified_examples(fake, prod):
    deploy(prod)
    body = fake.calls("POST", "/api/2.0/genie/spaces")[0].body
    assert body["warehouse_id"] == "wh0123456789"
    space = json.loads(body["serialized_space"])
    tables = [t["identifier"] for t in space["data_sources"]["tables"]]
    assert "main.gold.fact_events" in tables and tables == sorted(tables)
    [instructions] = space["instructions"]["text_instructions"]
    assert any("is_current" in line for line in instructions["content"])
    examples = space["instructions"]["example_question_sqls"]
    assert examples and all(e["question"][0] and "main.gold." in "".join(e["sql"]) for e in examples)


def test_the_api_key_is_in_no_request_job_or_output(fake, prod, capsys):
    said: list[str] = []
    deploy(prod, said.append)
    show_plan(prod.client, prod.settings, prod.target, prod.objects, said.append)
    for request in fake.state.requests:
        assert API_KEY not in request.raw and API_KEY not in request.path + json.dumps(request.query)
    assert API_KEY not in json.dumps(fake.state.jobs) + json.dumps(fake.state.files)
    assert API_KEY not in "\n".join(said + prod.sql) + capsys.readouterr().out
    assert fake.calls("GET", "/api/2.0/secrets/get") == []  # deploy never reads the secret's value
    ingest = next(iter(fake.state.jobs.values()))["tasks"][0]["spark_python_task"]
    assert ingest["parameters"][ingest["parameters"].index("--secret-key") + 1] == "ticketmaster_api_key"


def test_a_missing_secret_stops_deploy_before_any_write(fake, prod):
    fake.state.secrets.clear()
    try:
        deploy(prod)
    except Exception as exc:
        assert "workspace.secret_scope" in str(exc) and "put-secret" in str(exc)
    else:
        raise AssertionError("deploy went ahead without the API key secret")
    assert fake.writes() == [] and prod.sql == []
    changes = show_plan(prod.client, prod.settings, prod.target, prod.objects, lambda _: None)
    assert [c.action for c in changes if c.kind == "secret"] == ["missing"]


def test_settings_are_read_from_one_file_per_environment(monkeypatch):
    monkeypatch.setenv("DATABRICKS_WAREHOUSE_ID", "wh1")
    prod, dev = load_settings("prod"), load_settings("dev")
    assert (prod.schema_name("gold"), dev.schema_name("gold")) == ("gold", "dev_gold")
    assert (prod.paused, dev.paused) == (False, True)


def test_select_narrows_the_sql_but_not_the_daily_job(fake, prod):
    deploy(prod)
    first = len(fake.writes())
    prod.objects = [obj for obj in prod.objects if obj.file.layer in ("setup", "bronze")]
    changes = deploy(prod)
    assert fake.writes()[first:] == []
    assert {c.action for c in changes if c.kind in ("job", "file")} == {"leave alone"}


def test_the_job_quality_task_fails_on_a_critical_result(monkeypatch):
    monkeypatch.setenv("DATABRICKS_WAREHOUSE_ID", "wh0123456789")
    from runner.config import load_target
    from runner.project import compile_project
    from workspace.job import task_files
    from workspace.settings import load_settings

    settings = load_settings("prod")
    target = settings.apply_to(load_target("databricks"))
    [quality] = [f for f in task_files(settings, target, compile_project(target)) if f.task_key == "quality"]
    assert "sp_data_quality_checks(fail_on_critical => TRUE)" in quality.content
