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
    remaining: int = 0  # documents still without a current vector (the time budget ran out)

    @property
    def per_second(self) -> float:
        return self.embedded / self.seconds if self.seconds > 0 else 0.0

    def summary(self) -> str:
        text = (
            f"search index: {self.embedded:,} event(s) embedded, {self.removed:,} removed, {self.total:,} in the index "
            f"[{self.seconds:.2f}s]"
        )
        if self.remaining:
            left = f", about {_duration(self.remaining / self.per_second)} to go" if self.per_second else ""
            text += f"; {self.remaining:,} still to embed{left} (search answers from keywords for those meanwhile)"
        return text


def _duration(seconds: float) -> str:
    if seconds < 90:
        return f"{seconds:.0f}s"
    if seconds < 5400:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


def ensure_embeddings_table(connection: duckdb.DuckDBPyConnection, dimensions: int) -> None:
    # A plain table, no HNSW index: an HNSW index in the lakehouse file would make every process that
    # writes it without the vss extension loaded fail at checkpoint. Search scans it exactly.
    found = connection.execute(
        "SELECT data_type FROM duckdb_columns() WHERE database_name = current_database() AND schema_name = ? "
        "AND table_name = ? AND column_name = 'embedding'",
        EMBEDDINGS.split("."),
    ).fetchone()
    if found is not None and found[0] != f"FLOAT[{dimensions}]":
        # Vectors of an earlier model, of another size: useless to this one, so they are built again.
        connection.execute(f"DROP TABLE {EMBEDDINGS}")
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
# How long a pipeline run may spend embedding changed documents (once search has been used); the rest,
# and events new to the lakehouse, are embedded by the next search, so a run is never held up for long.
RUN_BUDGET_S = 30.0
# Documents embedded and written together: what an interruption can lose, and how often progress shows.
# The model embeds a chunk in a fraction of a second; writing it costs about as much.
CHUNK = 256


def sync_embeddings(
    connection: duckdb.DuckDBPyConnection,
    embedder: Embedder,
    say: Callable[[str], None] | None = None,
    *,
    budget_s: float | None = None,
    changed_only: bool = False,
) -> SyncReport:
    """Embed the documents that are new, changed, or embedded by another model; drop those of gone events.

    Vectors are written a chunk at a time, so an interrupted sync keeps what it embedded and the next
    one carries on. With ``budget_s`` it stops starting chunks once that many seconds have passed (the
    rest waits for the next sync; 0 embeds nothing); changed documents go before new ones, since their
    vectors are wrong. ``changed_only`` leaves documents without any vector to the next search.
    """
    started = time.perf_counter()
    try:
        connection.execute(f"SELECT 1 FROM {DOCUMENTS} LIMIT 0")
    except duckdb.CatalogException as exc:
        raise LakehouseError(
            f"{DOCUMENTS} does not exist yet: run `lakehouse run` first to build the lakehouse."
        ) from exc
    ensure_embeddings_table(connection, embedder.dimensions)
    stale_sql = f"""SELECT d.event_id, d.content_hash, d.document
        FROM {DOCUMENTS} AS d LEFT JOIN {EMBEDDINGS} AS e ON e.event_id = d.event_id
        WHERE (e.event_id IS NULL AND NOT $changed_only) OR e.content_hash <> d.content_hash
            OR e.model_id <> $model_id"""
    parameters = {"changed_only": changed_only, "model_id": embedder.model_id}
    if budget_s is not None and budget_s <= 0:
        # Nothing is embedded now: count what is left without reading every document's text.
        waiting = connection.execute(f"SELECT count(*) FROM ({stale_sql})", parameters).fetchone()[0]
        return _finish(connection, 0, started, int(waiting))
    stale = connection.execute(f"{stale_sql} ORDER BY e.event_id IS NULL, d.event_id", parameters).fetchall()
    announce = say is not None and len(stale) >= ANNOUNCE_FROM and budget_s != 0
    if announce:
        assert say is not None
        say(f"search index: embedding {len(stale):,} new or changed event document(s); progress is kept as it goes")
    embedded = 0
    for begin in range(0, len(stale), CHUNK):
        if budget_s is not None and embedded:
            # A positive budget always buys one chunk; after that, no chunk is started that would, at the
            # pace so far, end well after the budget.
            elapsed = time.perf_counter() - started
            if elapsed + elapsed / embedded * CHUNK / 2 >= budget_s:
                break
        chunk = stale[begin : begin + CHUNK]
        _write_vectors(connection, embedder, chunk, embedder.embed([row[2] for row in chunk]))
        embedded += len(chunk)
        if announce and embedded < len(stale):
            assert say is not None
            rate = embedded / (time.perf_counter() - started)
            say(
                f"search index: {embedded:,} of {len(stale):,} embedded ({rate:.1f}/s, "
                f"about {_duration((len(stale) - embedded) / rate)} to go)"
            )
    return _finish(connection, embedded, started, len(stale) - embedded)


def _finish(connection: duckdb.DuckDBPyConnection, embedded: int, started: float, remaining: int) -> SyncReport:
    """Drop the vectors of gone events and report."""
    removed = connection.execute(
        f"DELETE FROM {EMBEDDINGS} WHERE event_id NOT IN (SELECT event_id FROM {DOCUMENTS})"
    ).fetchone()[0]
    total = connection.execute(f"SELECT count(*) FROM {EMBEDDINGS}").fetchone()[0]
    return SyncReport(embedded, int(removed), int(total), time.perf_counter() - started, remaining)


def _write_vectors(connection: duckdb.DuckDBPyConnection, embedder: Embedder, rows: list, vectors) -> None:
    """Replace the vectors of ``rows`` (event_id, content_hash, ...) in one transaction.

    The vectors go in as one flat numpy column scanned by DuckDB and gathered back into arrays: bound
    as nested Python lists, a chunk of 256 took seconds to convert."""
    import numpy as np

    count, dims = vectors.shape
    connection.register(
        "chunk_vectors",
        {
            "row": np.repeat(np.arange(count, dtype=np.int32), dims),
            "position": np.tile(np.arange(dims, dtype=np.int32), count),
            "value": np.ascontiguousarray(vectors, dtype=np.float32).reshape(-1),
        },
    )
    connection.execute("BEGIN TRANSACTION")
    try:
        ids = [r[0] for r in rows]
        connection.execute(f"DELETE FROM {EMBEDDINGS} WHERE event_id IN (SELECT unnest(?::VARCHAR[]))", [ids])
        connection.execute(
            f"""INSERT INTO {EMBEDDINGS}
            SELECT (?::VARCHAR[])[row + 1], (?::VARCHAR[])[row + 1], ?,
                   array_agg(value ORDER BY position)::FLOAT[{dims}], current_timestamp
            FROM chunk_vectors GROUP BY row""",
            [ids, [r[1] for r in rows], embedder.model_id],
        )
        connection.execute("COMMIT")
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    finally:
        connection.unregister("chunk_vectors")
