"""Hybrid retrieval on the local target: BM25 and exact nearest neighbours, fused by score.

Every event document is searchable by keywords as soon as a run has indexed it; events join the
nearest-neighbour side as their vectors are built (an event without a current vector scores 0
there, as one ranked below the fusion depth would).
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from assistant.embedder import Embedder
from assistant.extensions import load_extensions
from assistant.hits import METHODS, Hit
from assistant.index import DOCUMENTS, EMBEDDINGS
from assistant.keywords import INDEX_COLUMNS, LENGTHS, bm25_sql
from runner.engines.duckdb_readonly import lock_down
from runner.errors import LakehouseError

# Hybrid score = LEXICAL_WEIGHT * (BM25 / best BM25 of the query) + (1 - LEXICAL_WEIGHT) * cosine.
# Equal weights, not tuned: on the labelled set 0.7 scores lower (docs/search.md), and reciprocal
# rank fusion did worse with the earlier model.
LEXICAL_WEIGHT = 0.5
# How deep each method's list goes before fusion; an event that one method ranks low but the other
# ranks high still surfaces.
FUSION_DEPTH = 50
_COLUMNS = ("event_id", "event_key", "event_name", "start_local_date", "venue_name", "city_name", "status_code")


class IndexNotBuilt(LakehouseError):
    """The lakehouse has no keyword index yet (built before runs kept one)."""


def fuse(bm25: list[tuple[str, float]], vector: list[tuple[str, float]]) -> list[tuple[str, float]]:
    """Score fusion: BM25 scaled to [0, 1] by the query's best score, plus cosine similarity.

    An event missing from one list gets 0 from it. Unlike rank fusion this keeps how far ahead a
    strong keyword match is, which matters for names of artists, venues and cities."""
    best = max((score for _, score in bm25), default=0.0) or 1.0
    scores: dict[str, float] = {}
    for event_id, score in bm25:
        scores[event_id] = LEXICAL_WEIGHT * score / best
    for event_id, similarity in vector:
        scores[event_id] = scores.get(event_id, 0.0) + (1 - LEXICAL_WEIGHT) * similarity
    return sorted(scores.items(), key=lambda item: (-item[1], item[0]))


class LocalSearchIndex:
    """Queries the lakehouse file opened read-only: the keyword index tables that runs keep
    (keywords.py) and the embeddings, nothing built per command. Nearest neighbours are an exact
    scan (a few hundred milliseconds at 100K events), not an HNSW index: one would have to be built
    in every command, and could not be kept in the lakehouse (see index.py)."""

    def __init__(self, database_path: Path, embedder: Embedder):
        self.embedder = embedder
        self._query_vectors: dict[str, list[float]] = {}
        if not database_path.exists():
            raise LakehouseError(f"No local lakehouse at {database_path} yet. Run `lakehouse run` first.")
        self.connection = duckdb.connect()
        load_extensions(self.connection, "fts")  # stem() for the query's words
        path = str(database_path).replace("'", "''")
        try:
            self.connection.execute(f"ATTACH '{path}' AS lake (READ_ONLY)")
        except duckdb.IOException as exc:
            self.connection.close()
            raise LakehouseError(f"cannot read {database_path} (is a run writing it?): {exc}") from exc
        # From here on the search connection reaches no other file and no setting can change that.
        lock_down(self.connection)
        try:
            # The tables as this version lays them out (an earlier layout is built again by `sync`).
            for table, columns in INDEX_COLUMNS.items():
                self.connection.execute(f"SELECT {columns} FROM lake.{table} LIMIT 0")
            self.size = self.connection.execute(f"SELECT count(*) FROM lake.{LENGTHS}").fetchone()[0]
            self.vectors = self.connection.execute(
                f"SELECT count(*) FROM ({self._current_vectors()})", [embedder.model_id]
            ).fetchone()[0]
        except (duckdb.CatalogException, duckdb.BinderException) as exc:
            self.connection.close()
            raise IndexNotBuilt("the search index is not built yet: run `lakehouse search` once.") from exc

    def keywords_current(self) -> bool:
        """Whether the keyword index covers the current text of every event and no gone one."""
        stale = self.connection.execute(
            f"""SELECT count(*) FROM lake.{DOCUMENTS} AS d FULL JOIN lake.{LENGTHS} AS l ON l.event_id = d.event_id
            WHERE l.content_hash IS DISTINCT FROM d.content_hash"""
        ).fetchone()[0]
        return stale == 0

    @staticmethod
    def _current_vectors() -> str:
        """Vectors of the current text of each event, by the current model (parameter: the model id)."""
        return f"""SELECT e.event_id, e.embedding
            FROM lake.{EMBEDDINGS} AS e
            JOIN lake.{DOCUMENTS} AS d ON d.event_id = e.event_id AND d.content_hash = e.content_hash
            WHERE e.model_id = ?"""

    def event_ids(self) -> set[str]:
        return {row[0] for row in self.connection.execute(f"SELECT event_id FROM lake.{DOCUMENTS}").fetchall()}

    def bm25(self, query: str, limit: int) -> list[tuple[str, float]]:
        return self.connection.execute(bm25_sql("lake."), [query, limit]).fetchall()

    def vector(self, query: str, limit: int) -> list[tuple[str, float]]:
        if not self.vectors:
            return []
        if query not in self._query_vectors:
            # Hybrid and vector search of one question (and the benchmark's repeats) embed it once.
            self._query_vectors[query] = self.embedder.embed_query(query).tolist()
        dims = self.embedder.dimensions
        return self.connection.execute(
            f"""SELECT event_id, array_cosine_similarity(embedding, ?::FLOAT[{dims}]) AS similarity
            FROM ({self._current_vectors()}) ORDER BY similarity DESC, event_id LIMIT ?""",
            [self._query_vectors[query], self.embedder.model_id, limit],
        ).fetchall()

    def search(self, query: str, limit: int = 10, method: str = "hybrid") -> list[Hit]:
        if method not in METHODS:
            raise LakehouseError(f"unknown search method {method!r}; choose one of {', '.join(METHODS)}")
        depth = max(limit, FUSION_DEPTH)
        bm25 = self.bm25(query, depth) if method in ("hybrid", "bm25") else []
        vector = self.vector(query, depth) if method in ("hybrid", "vector") else []
        rankings = {"bm25": [e for e, _ in bm25], "vector": [e for e, _ in vector]}
        fused = fuse(bm25, vector) if method == "hybrid" else bm25 if method == "bm25" else vector
        hits = []
        bm25_scores, similarities = dict(bm25), dict(vector)
        for event_id, score in fused[:limit]:
            ranks = {name: ranked.index(event_id) + 1 for name, ranked in rankings.items() if event_id in ranked}
            hits.append(Hit(event_id, float(score), ranks, similarities.get(event_id), bm25_scores.get(event_id)))
        self._describe(hits)
        return hits

    def _describe(self, hits: list[Hit]) -> None:
        if not hits:
            return
        rows = self.connection.execute(
            f"SELECT {', '.join(_COLUMNS)}, document FROM lake.{DOCUMENTS} "
            "WHERE event_id IN (SELECT unnest(?::VARCHAR[]))",
            [[h.event_id for h in hits]],
        ).fetchall()
        by_id = {row[0]: row for row in rows}
        for hit in hits:
            row = by_id[hit.event_id]
            (_, hit.event_key, hit.event_name, hit.start_local_date, hit.venue_name, hit.city_name,
             hit.status_code, hit.document) = row  # fmt: skip

    def close(self) -> None:
        self.connection.close()
