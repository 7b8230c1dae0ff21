"""Fixtures for workspace deploy tests: a fake workspace, the real SDK client on it, a recording warehouse."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from databricks.sdk import WorkspaceClient

sys.path.insert(0, str(Path(__file__).parent))

from fake_databricks import FakeDatabricks, State  # noqa: E402
from fake_warehouse import FakeWarehouse  # noqa: E402

from runner.config import load_target  # noqa: E402
from runner.engines.databricks_engine import DatabricksEngine  # noqa: E402
from runner.project import compile_project  # noqa: E402
from workspace.settings import load_settings  # noqa: E402

API_KEY = "tm-live-key-0123456789abcdef"


class RecordingCursor:
    def __init__(self, log: list[str]):
        self.log = log
        self.description = None

    def execute(self, sql, parameters=None):
        self.log.append(sql)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


class RecordingConnection:
    """Stands in for the SQL connector's session; statements are recorded, not run."""

    def __init__(self, **kwargs):
        self.log: list[str] = []

    def cursor(self):
        return RecordingCursor(self.log)

    def close(self):
        pass


@pytest.fixture
def fake(monkeypatch):
    # The key exists in the process, as it would for a local run, so a leak into any request would show.
    monkeypatch.setenv("TICKETMASTER_API_KEY", API_KEY)
    monkeypatch.setenv("DATABRICKS_WAREHOUSE_ID", "wh0123456789")
    monkeypatch.delenv("LAKEHOUSE_CATALOG", raising=False)
    monkeypatch.delenv("LAKEHOUSE_SETTINGS", raising=False)
    with FakeDatabricks() as server:
        server.state.secrets["ticketmaster"] = {"ticketmaster_api_key"}
        yield server


@pytest.fixture
def client(fake):
    return WorkspaceClient(host=fake.host, token="dapi-test-token")


class Deployment:
    """One environment's settings, target and compiled project, plus the fake workspace's warehouse."""

    def __init__(self, env: str, client: WorkspaceClient, state: State):
        self.client = client
        self.settings = load_settings(env)
        self.target = self.settings.apply_to(load_target("databricks"))
        self.objects = compile_project(self.target)
        self.warehouse = FakeWarehouse(state)

    def engine(self) -> DatabricksEngine:
        return DatabricksEngine(self.target, connect=self.warehouse.connect, sdk_config=self.client.config)

    @property
    def sql(self) -> list[str]:
        return self.warehouse.statements


@pytest.fixture
def prod(client, fake) -> Deployment:
    return Deployment("prod", client, fake.state)


@pytest.fixture
def dev(client, fake) -> Deployment:
    return Deployment("dev", client, fake.state)
