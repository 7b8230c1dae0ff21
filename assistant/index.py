"""Keep one embedding per event document, computing it again only when the document text changed."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import duckdb

from assistant.embedder import Embedder
from runner.errors import LakehouseError

DOCUMENTS = "gold.event_documents"
EMBEDDINGS = "gold.event_document_embeddings"
_COLUMN_COMMENTS = {
    "event_id": "Ticketmaster event id, as in event_documents.event_id.",
    "content_hash": "content_hash of the document when it was embedded; a different current hash means re-embed.",
    "model_id": "The embedding model; vectors of different models are not comparable.",
    "embedding": "L2-normalised embedding of the document text.",
    "embedded_at": "When the embedding was computed.",
}


@dataclass
class SyncReport:
    embedded: int
    removed: int
    total: int
    seconds: float

    def summary(self) -> str:
        return (
            f"search index: {self.embedded} event(s) embedded, {self.removed} removed, {self.total} in the index "
            f"[{self.seconds:.2f}s]"
        )


def ensure_embeddings_table(connection: duckdb.DuckDBPyConnection, dimensions: int) -> None:
    # A plain table, no HNSW index: an HNSW index in the lakehouse file would make every process that
    # writes it without the vss extension loaded fail at checkpoint. The index is built where it is used.
    connection.execute(
        f"""CREATE TABLE IF NOT EXISTS {EMBEDDINGS} (
            event_id VARCHAR PRIMARY KEY,
            content_hash VARCHAR NOT NULL,
            model_id VARCHAR NOT NULL,
            embedding FLOAT[{dimensions}] NOT NULL,
            embedded_at TIMESTAMP NOT NULL
        )"""
    )
    connection.execute(
        f"COMMENT ON TABLE {EMBEDDINGS} IS 'Embedding of each event document (gold.event_documents.document) "
        "for semantic search; kept by the search commands, one row per event.'"
    )
    for column, text in _COLUMN_COMMENTS.items():
        connection.execute(f"COMMENT ON COLUMN {EMBEDDINGS}.{column} IS '{text}'")


# Below this many documents embedding takes seconds and needs no announcement.
ANNOUNCE_FROM = 100


def sync_embeddings(
    connection: duckdb.DuckDBPyConnection, embedder: Embedder, say: Callable[[str], None] | None = None
) -> SyncReport:
    """Embed the documents that are new, changed, or embedded by another model; drop those of gone events."""
    started = time.perf_counter()
    try:
        connection.execute(f"SELECT 1 FROM {DOCUMENTS} LIMIT 0")
    except duckdb.CatalogException as exc:
        raise LakehouseError(
            f"{DOCUMENTS} does not exist yet: run `python -m runner run` first to build the lakehouse."
        ) from exc
    ensure_embeddings_table(connection, embedder.dimensions)
    stale = connection.execute(
        f"""SELECT d.event_id, d.content_hash, d.document
        FROM {DOCUMENTS} AS d LEFT JOIN {EMBEDDINGS} AS e ON e.event_id = d.event_id
        WHERE e.event_id IS NULL OR e.content_hash <> d.content_hash OR e.model_id <> ?
        ORDER BY d.event_id""",
        [embedder.model_id],
    ).fetchall()
    if say is not None and len(stale) >= ANNOUNCE_FROM:
        say(f"search index: embedding {len(stale)} new or changed event document(s); only changes are embedded later")
    vectors = embedder.embed([row[2] for row in stale])
    connection.execute("BEGIN TRANSACTION")
    try:
        if stale:
            connection.execute(
                f"DELETE FROM {EMBEDDINGS} WHERE event_id IN (SELECT unnest(?::VARCHAR[]))", [[r[0] for r in stale]]
            )
            connection.execute(
                f"""INSERT INTO {EMBEDDINGS}
                SELECT unnest(?::VARCHAR[]), unnest(?::VARCHAR[]), ?,
                       unnest(?::FLOAT[{embedder.dimensions}][]), current_timestamp""",
                [[r[0] for r in stale], [r[1] for r in stale], embedder.model_id, vectors.tolist()],
            )
        removed = connection.execute(
            f"DELETE FROM {EMBEDDINGS} WHERE event_id NOT IN (SELECT event_id FROM {DOCUMENTS})"
        ).fetchone()[0]
        connection.execute("COMMIT")
    except Exception:
        connection.execute("ROLLBACK")
        raise
    total = connection.execute(f"SELECT count(*) FROM {EMBEDDINGS}").fetchone()[0]
    return SyncReport(len(stale), int(removed), int(total), time.perf_counter() - started)
