"""The Databricks side: vector_search() and ai_query() SQL parses as Databricks SQL; the deploy calls the SDK."""

from __future__ import annotations

import pytest
import sqlfluff
from databricks.sdk.errors import NotFound

from assistant.backends import DatabricksBackend
from assistant.databricks import (
    ai_query_sql,
    deploy_vector_search,
    enable_change_data_feed_sql,
    gold_columns_sql,
    sync_vector_search,
    vector_search_sql,
)
from assistant.settings import AssistantSettings
from runner.config import load_target
from runner.engines.base import QueryResult
from runner.errors import LakehouseError

TARGET = load_target("databricks")
SETTINGS = AssistantSettings()


@pytest.mark.parametrize(
    "sql",
    [
        vector_search_sql(SETTINGS.index_name(TARGET), 10),
        ai_query_sql(SETTINGS.ai_query_model),
        gold_columns_sql(TARGET),
        enable_change_data_feed_sql(TARGET),
    ],
    ids=["vector_search", "ai_query", "gold_columns", "change_data_feed"],
)
def test_rendered_sql_parses_with_the_databricks_dialect(sql):
    sqlfluff.parse(sql, dialect="databricks")


def test_names_in_rendered_sql_are_checked():
    with pytest.raises(LakehouseError):
        vector_search_sql("main.gold.x'; DROP TABLE y; --", 5)


class RecordingEngine:
    def __init__(self, result: QueryResult):
        self.result = result
        self.calls: list[tuple[str, object]] = []

    def execute(self, sql, params=None, **_):
        self.calls.append((sql, params))
        return self.result

    def close(self):
        pass


def test_search_on_databricks_sends_the_query_as_a_parameter():
    columns = ["event_id", "event_key", "event_name", "start_local_date", "venue_name", "city_name", "status_code",
               "document", "search_score"]  # fmt: skip
    engine = RecordingEngine(
        QueryResult(columns, [("E1", "E1", "Jazz Night", None, "Hall", "Chicago", "onsale", "doc", 0.9)])
    )
    hits = DatabricksBackend(TARGET, SETTINGS, engine).retrieve("jazz in Chicago", 5)
    sql, params = engine.calls[0]
    assert "vector_search(index => 'main.gold.event_documents_index'" in sql
    assert params == {"query": "jazz in Chicago"}
    assert (hits[0].event_id, hits[0].score, hits[0].city_name) == ("E1", 0.9, "Chicago")


def test_ask_on_databricks_completes_through_ai_query():
    engine = RecordingEngine(QueryResult(["reply"], [("SELECT 1",)]))
    assert DatabricksBackend(TARGET, SETTINGS, engine).complete("the prompt") == "SELECT 1"
    assert engine.calls == [(ai_query_sql("databricks-meta-llama-3-1-70b-instruct"), {"prompt": "the prompt"})]


class FakeVectorSearch:
    def __init__(self):
        self.calls: list[tuple[str, dict]] = []

    def _missing(self, *args, **kwargs):
        raise NotFound("not there")

    get_endpoint = get_index = _missing

    def create_endpoint_and_wait(self, **kwargs):
        self.calls.append(("create_endpoint", kwargs))

    def create_index(self, **kwargs):
        self.calls.append(("create_index", kwargs))

    def sync_index(self, **kwargs):
        self.calls.append(("sync_index", kwargs))


class FakeClient:
    def __init__(self):
        self.vector_search_endpoints = self.vector_search_indexes = FakeVectorSearch()


def test_deploy_creates_the_endpoint_and_a_delta_sync_index_on_the_documents():
    client, statements = FakeClient(), []
    deploy_vector_search(client, statements.append, TARGET, SETTINGS, say=lambda _: None)
    sync_vector_search(client, TARGET, SETTINGS)
    assert statements == [enable_change_data_feed_sql(TARGET)]
    calls = client.vector_search_indexes.calls
    assert [name for name, _ in calls] == ["create_endpoint", "create_index", "sync_index"]
    index = calls[1][1]
    assert index["name"] == "main.gold.event_documents_index" and index["primary_key"] == "event_id"
    spec = index["delta_sync_index_spec"]
    assert spec.source_table == "main.gold.event_documents"
    assert spec.embedding_source_columns[0].name == "document"
    assert spec.embedding_source_columns[0].embedding_model_endpoint_name == "databricks-bge-large-en"
