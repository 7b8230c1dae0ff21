"""The Databricks side: vector_search() and ai_query() through the SQL warehouse, and the Vector Search
endpoint and Delta Sync index that the workspace deploy creates through databricks-sdk."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from assistant.settings import AssistantSettings
from runner.config import Target
from runner.identifiers import validate_identifier
from runner.macros import sql_string

# Columns the index syncs from gold.event_documents; vector_search() returns them with search_score.
SYNCED_COLUMNS = (
    "event_id", "event_key", "event_name", "start_local_date", "venue_name", "city_name", "status_code", "document",
)  # fmt: skip


def _qualified(name: str, what: str) -> str:
    for part in name.split("."):
        validate_identifier(part, what)
    return name


def vector_search_sql(index_name: str, limit: int) -> str:
    """Hybrid (keyword + vector) search on the index; the query text travels as the :query parameter."""
    index = _qualified(index_name, "vector search index")
    return (
        f"SELECT {', '.join(SYNCED_COLUMNS)}, search_score\n"
        f"FROM vector_search(index => {sql_string(index)}, query_text => :query, "
        f"num_results => {int(limit)}, query_type => 'HYBRID')\n"
        "ORDER BY search_score DESC"
    )


def ai_query_sql(endpoint: str) -> str:
    """One chat completion from a model serving endpoint; the prompt travels as the :prompt parameter."""
    validate_identifier(endpoint.replace("-", "_"), "ai_query endpoint")
    return f"SELECT ai_query({sql_string(endpoint)}, :prompt) AS reply"


def gold_columns_sql(target: Target) -> str:
    """Columns and comments of the gold schema, for the prompt."""
    catalog, schema = target.catalog, target.schemas["gold"]
    return (
        "SELECT c.table_name, c.column_name, c.full_data_type AS data_type, c.comment AS column_comment, "
        "t.comment AS table_comment\n"
        f"FROM {catalog}.information_schema.columns AS c\n"
        f"INNER JOIN {catalog}.information_schema.tables AS t\n"
        "    ON t.table_schema = c.table_schema AND t.table_name = c.table_name\n"
        f"WHERE c.table_schema = {sql_string(schema)}\n"
        "ORDER BY c.table_name, c.ordinal_position"
    )


def enable_change_data_feed_sql(target: Target) -> str:
    # Delta Sync indexes read the table's change data feed.
    return (
        f"ALTER TABLE {target.qualify('gold', 'event_documents')} SET TBLPROPERTIES (delta.enableChangeDataFeed = true)"
    )


def deploy_vector_search(
    client: Any,
    execute: Callable[[str], object],
    target: Target,
    settings: AssistantSettings,
    say: Callable[[str], None] = print,
) -> None:
    """Create (when missing) the Vector Search endpoint and the Delta Sync index on gold.event_documents.

    For the workspace deploy to call after gold is deployed: `client` is a databricks-sdk
    WorkspaceClient, `execute` runs one SQL statement on the warehouse. Safe to repeat. The index
    embeds `document` with the configured model endpoint (databricks-bge-large-en by default) and
    syncs on demand (TRIGGERED); sync_vector_search() after each run keeps it current."""
    from databricks.sdk.errors import NotFound
    from databricks.sdk.service.vectorsearch import (
        DeltaSyncVectorIndexSpecRequest,
        EmbeddingSourceColumn,
        EndpointType,
        PipelineType,
        VectorIndexType,
    )

    execute(enable_change_data_feed_sql(target))
    endpoint = settings.vector_search_endpoint
    try:
        client.vector_search_endpoints.get_endpoint(endpoint)
        say(f"vector search: endpoint {endpoint} exists")
    except NotFound:
        say(f"vector search: creating endpoint {endpoint} (takes several minutes)")
        client.vector_search_endpoints.create_endpoint_and_wait(name=endpoint, endpoint_type=EndpointType.STANDARD)
    index = settings.index_name(target)
    try:
        client.vector_search_indexes.get_index(index)
        say(f"vector search: index {index} exists")
    except NotFound:
        say(f"vector search: creating Delta Sync index {index} on {target.qualify('gold', 'event_documents')}")
        client.vector_search_indexes.create_index(
            name=index,
            endpoint_name=endpoint,
            primary_key="event_id",
            index_type=VectorIndexType.DELTA_SYNC,
            delta_sync_index_spec=DeltaSyncVectorIndexSpecRequest(
                source_table=target.qualify("gold", "event_documents"),
                pipeline_type=PipelineType.TRIGGERED,
                embedding_source_columns=[
                    EmbeddingSourceColumn(name="document", embedding_model_endpoint_name=settings.embedding_model)
                ],
                columns_to_sync=list(SYNCED_COLUMNS),
            ),
        )


def sync_vector_search(client: Any, target: Target, settings: AssistantSettings) -> None:
    """Ask the index to read the documents' latest changes; only changed rows are embedded again."""
    client.vector_search_indexes.sync_index(index_name=settings.index_name(target))
