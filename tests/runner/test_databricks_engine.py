"""The Databricks engine sends the expected statements, in order, through the SQL connector."""

from __future__ import annotations

import pytest
from databricks.sdk.core import Config

from runner.config import load_target
from runner.engines.databricks_engine import DatabricksEngine
from runner.errors import LakehouseError
from runner.pipeline import deploy, refresh
from runner.project import compile_project
from tests.runner.test_databricks_sql import assert_parses_as_databricks


class RecordingCursor:
    def __init__(self, log: list[str], parameters: list):
        self.log = log
        self.parameters = parameters
        self.description = None

    def execute(self, sql, parameters=None):
        self.log.append(sql)
        self.parameters.append(parameters)

    def fetchall(self):
        return []

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


class RecordingConnection:
    """Stands in for the connector's Thrift session only; everything above it is real."""

    def __init__(self, **kwargs):
        self.kwargs = kwargs
        self.log: list[str] = []
        self.parameters: list = []
        self.closed = False

    def cursor(self):
        return RecordingCursor(self.log, self.parameters)

    def close(self):
        self.closed = True


@pytest.fixture
def workspace(monkeypatch, workspace_host):
    monkeypatch.setenv("DATABRICKS_WAREHOUSE_ID", "abc123")
    connections: list[RecordingConnection] = []

    def connect(**kwargs):
        connections.append(RecordingConnection(**kwargs))
        return connections[-1]

    config = Config(host=workspace_host, token="dapi-secret-token")
    target = load_target("databricks")
    return target, DatabricksEngine(target, connect=connect, sdk_config=config), connections, workspace_host


def test_deploy_then_run_send_the_statements_in_order(workspace):
    from runner.splitter import strip_comments

    target, engine, connections, _ = workspace
    objects = compile_project(target)
    deploy(target, objects, engine, say=lambda _: None)
    [connection] = connections
    deployed = len(connection.log)
    refresh(target, objects, engine, say=lambda _: None)
    engine.close()
    heads = [" ".join(strip_comments(sql).split()[:6]) for sql in connection.log]
    # Schemas, then the volume, then the bronze streaming tables; later layers follow them.
    assert heads[:8] == [
        "CREATE SCHEMA IF NOT EXISTS main.bronze",
        "CREATE SCHEMA IF NOT EXISTS main.silver",
        "CREATE SCHEMA IF NOT EXISTS main.gold",
        "CREATE VOLUME IF NOT EXISTS main.bronze.landing",
        "CREATE OR REFRESH STREAMING TABLE main.bronze.attractions_raw",
        "CREATE OR REFRESH STREAMING TABLE main.bronze.classifications_raw",
        "CREATE OR REFRESH STREAMING TABLE main.bronze.events_raw",
        "CREATE OR REFRESH STREAMING TABLE main.bronze.venues_raw",
    ]
    assert heads[deployed : deployed + 4] == [
        "REFRESH STREAMING TABLE main.bronze.attractions_raw",
        "REFRESH STREAMING TABLE main.bronze.classifications_raw",
        "REFRESH STREAMING TABLE main.bronze.events_raw",
        "REFRESH STREAMING TABLE main.bronze.venues_raw",
    ]
    assert not any(h.startswith("REFRESH") for h in heads[:deployed])
    for sql in connection.log:
        assert_parses_as_databricks(sql)
    assert connection.closed


def test_a_list_of_values_is_bound_as_one_array_parameter(workspace):
    from databricks.sql.parameters.native import ArrayParameter, dbsql_parameter_from_primitive

    target, engine, connections, _ = workspace
    deploy(target, compile_project(target), engine, say=lambda _: None)
    [connection] = connections
    [(sql, [rule_names])] = [
        (sql, values)
        for sql, values in zip(connection.log, connection.parameters, strict=True)
        if "array_contains(?" in sql
    ]
    assert "UPDATE main.gold.data_quality_rules" in sql
    # The connector's own inference turns the list into one ARRAY of strings for `?`.
    bound = dbsql_parameter_from_primitive(rule_names)
    assert isinstance(bound, ArrayParameter)
    spark_parameter = bound.as_tspark_param()
    assert spark_parameter.type == "ARRAY" and spark_parameter.ordinal
    assert [(a.type, a.value) for a in spark_parameter.arguments] == [("STRING", name) for name in sorted(rule_names)]
    assert "fact_grain" in rule_names


def test_connection_uses_the_warehouse_and_sdk_unified_auth(workspace):
    target, engine, connections, workspace_host = workspace
    engine.execute("SELECT 1")
    kwargs = connections[0].kwargs
    host, port = workspace_host.removeprefix("http://").split(":")
    assert (kwargs["server_hostname"], kwargs["_port"]) == (host, int(port))
    assert kwargs["http_path"] == "/sql/1.0/warehouses/abc123"
    # Retries are limited, so an unreachable warehouse fails in seconds (workspace/connection.py).
    assert kwargs["_retry_stop_after_attempts_duration"] <= 15 and kwargs["_socket_timeout"] <= 15
    headers = kwargs["credentials_provider"]()()
    assert headers == {"Authorization": "Bearer dapi-secret-token"}


def test_plan_and_compile_never_connect(workspace, tmp_path, monkeypatch, capsys):
    from lakehouse.cli import main

    monkeypatch.chdir(tmp_path)
    for env in ("DATABRICKS_HOST", "DATABRICKS_TOKEN"):
        monkeypatch.delenv(env, raising=False)
    assert main(["plan", "--target", "databricks"]) == 0
    assert main(["compile", "--target", "databricks"]) == 0
    _, _, connections, _ = workspace
    assert connections == []


def test_missing_warehouse_is_a_clear_error(monkeypatch, workspace_host):
    for env in ("DATABRICKS_WAREHOUSE_ID", "DATABRICKS_HTTP_PATH"):
        monkeypatch.delenv(env, raising=False)
    target = load_target("databricks")
    engine = DatabricksEngine(target, connect=RecordingConnection, sdk_config=Config(host=workspace_host, token="t"))
    with pytest.raises(LakehouseError, match="DATABRICKS_WAREHOUSE_ID"):
        engine.execute("SELECT 1")


def test_missing_workspace_is_a_clear_error(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABRICKS_WAREHOUSE_ID", "abc123")
    monkeypatch.setenv("HOME", str(tmp_path))
    for env in ("DATABRICKS_HOST", "DATABRICKS_TOKEN", "DATABRICKS_CONFIG_PROFILE", "DATABRICKS_CONFIG_FILE"):
        monkeypatch.delenv(env, raising=False)
    engine = DatabricksEngine(load_target("databricks"), connect=RecordingConnection)
    with pytest.raises(LakehouseError, match="no Databricks workspace is configured: set DATABRICKS_HOST"):
        engine.execute("SELECT 1")


def test_missing_credentials_are_a_clear_error(monkeypatch, tmp_path, workspace_host):
    monkeypatch.setenv("DATABRICKS_WAREHOUSE_ID", "abc123")
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("DATABRICKS_HOST", workspace_host)
    for env in ("DATABRICKS_TOKEN", "DATABRICKS_CONFIG_PROFILE", "DATABRICKS_CONFIG_FILE"):
        monkeypatch.delenv(env, raising=False)
    engine = DatabricksEngine(load_target("databricks"), connect=RecordingConnection)
    with pytest.raises(LakehouseError, match=f"authentication is not configured for {workspace_host}"):
        engine.execute("SELECT 1")
