"""The daily job's last task syncs the assistant's Vector Search index: its definition as deploy sends it,
and its entry script run for real (the real databricks-sdk, in its own process) against the fake workspace."""

from __future__ import annotations

import base64
import json
import subprocess
import sys

from conftest import API_KEY
from test_deploy import deploy

from workspace.job import VECTOR_SYNC_ENTRY

TOKEN = "dapi-test-token"  # the token the test client deploys with; it must stay out of the job


def test_the_job_ends_by_syncing_the_index_deploy_created(fake, dev):
    deploy(dev)
    job = fake.calls("POST", "/api/2.2/jobs/create")[0].body
    *_, quality, sync = job["tasks"]
    [created] = fake.calls("POST", "/api/2.0/vector-search/indexes")
    assert quality["task_key"] == "quality"
    assert sync["task_key"] == "vector_search_sync"
    assert sync["depends_on"] == [{"task_key": "quality"}]
    task = sync["spark_python_task"]
    assert task["parameters"] == ["--index", created.body["name"]] == ["--index", "main.dev_gold.event_documents_index"]
    assert task["source"] == "WORKSPACE"
    uploaded = base64.b64decode(fake.state.files[task["python_file"]]).decode()
    assert uploaded == VECTOR_SYNC_ENTRY.read_text()
    [environment] = [e for e in job["environments"] if e["environment_key"] == sync["environment_key"]]
    assert any(d.startswith("databricks-sdk") for d in environment["spec"]["dependencies"])
    # Names only: neither the API key nor the deploying token travels in the job.
    assert API_KEY not in json.dumps(job) and TOKEN not in json.dumps(job)


def test_an_index_named_in_settings_is_the_one_created_and_synced(fake, prod, monkeypatch):
    monkeypatch.setenv("LAKEHOUSE_VECTOR_SEARCH_INDEX", "main.gold.concerts_index")
    deploy(prod)
    [created] = fake.calls("POST", "/api/2.0/vector-search/indexes")
    sync = fake.calls("POST", "/api/2.2/jobs/create")[0].body["tasks"][-1]
    assert created.body["name"] == "main.gold.concerts_index"
    assert sync["spark_python_task"]["parameters"] == ["--index", "main.gold.concerts_index"]


def run_entry(fake, tmp_path, index: str) -> subprocess.CompletedProcess:
    """The script as the task runs it: its own process; here the SDK's auth comes from the environment."""
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "DATABRICKS_HOST": fake.host, "DATABRICKS_TOKEN": TOKEN}
    return subprocess.run(
        [sys.executable, str(VECTOR_SYNC_ENTRY), "--index", index],
        env=env, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip


def test_the_entry_script_asks_the_workspace_to_sync_the_index(fake, tmp_path):
    fake.state.vector_indexes["main.gold.event_documents_index"] = {"name": "main.gold.event_documents_index"}
    result = run_entry(fake, tmp_path, "main.gold.event_documents_index")
    assert result.returncode == 0, result.stderr
    [sync] = fake.calls("POST", "/api/2.0/vector-search/indexes/")
    assert sync.path == "/api/2.0/vector-search/indexes/main.gold.event_documents_index/sync"
    assert "sync started" in result.stdout


def test_the_entry_script_fails_clearly_when_the_index_does_not_exist(fake, tmp_path):
    result = run_entry(fake, tmp_path, "main.gold.missing_index")
    assert result.returncode == 1
    assert "Vector Search index main.gold.missing_index does not exist" in result.stderr
    assert "runner deploy --target databricks" in result.stderr
    assert "Traceback" not in result.stderr
    assert [r.path for r in fake.calls("POST", "/api/2.0/vector-search/indexes/")] == [
        "/api/2.0/vector-search/indexes/main.gold.missing_index/sync"
    ]
