"""Retrieval quality on the labelled queries: recall@k and MRR for bm25, vector and hybrid."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from assistant.labelled import LABELLED_QUERIES
from assistant.retrieval import METHODS, LocalSearchIndex
from runner.config import Target

# MRR looks this deep; an event ranked lower counts as not found.
MRR_DEPTH = 20


@dataclass(frozen=True)
class Quality:
    method: str
    recall_at_k: float
    mrr: float
    queries: int
    k: int


def score_ranking(ranked: list[str], relevant: frozenset[str], k: int) -> tuple[float, float]:
    """(recall@k, reciprocal rank). Recall is over min(k, |relevant|), so a perfect top k scores 1."""
    found = len(relevant.intersection(ranked[:k]))
    recall = found / min(k, len(relevant))
    reciprocal = next((1.0 / rank for rank, e in enumerate(ranked, start=1) if e in relevant), 0.0)
    return recall, reciprocal


def evaluate(
    index: LocalSearchIndex,
    queries: Iterable[tuple[str, frozenset[str]]] = LABELLED_QUERIES,
    k: int = 5,
    methods: Iterable[str] = METHODS,
) -> dict[str, Quality]:
    queries = list(queries)
    results = {}
    for method in methods:
        recalls, reciprocals = [], []
        for query, relevant in queries:
            ranked = [hit.event_id for hit in index.search(query, limit=max(k, MRR_DEPTH), method=method)]
            recall, reciprocal = score_ranking(ranked, relevant, k)
            recalls.append(recall)
            reciprocals.append(reciprocal)
        results[method] = Quality(method, sum(recalls) / len(queries), sum(reciprocals) / len(queries), len(queries), k)
    return results


def report(results: dict[str, Quality], say: Callable[[str], None] = print) -> None:
    first = next(iter(results.values()))
    say(f"retrieval quality on {first.queries} labelled queries (MRR over the top {MRR_DEPTH}):")
    say(f"  {'method':<8} {'recall@' + str(first.k):>9} {'MRR':>6}")
    for quality in results.values():
        say(f"  {quality.method:<8} {quality.recall_at_k:>9.3f} {quality.mrr:>6.3f}")


def run_benchmark(index: LocalSearchIndex, k: int = 5, say: Callable[[str], None] = print) -> dict[str, Quality]:
    """Evaluate every method on the labelled set and print the table; what a benchmark command calls."""
    results = evaluate(index, k=k)
    report(results, say)
    return results


def run_benchmark_on(target: Target, k: int = 5, say: Callable[[str], None] = print) -> dict[str, Quality]:
    """The same on a built local lakehouse: embeds what is missing, then evaluates."""
    from assistant.backends import LocalBackend

    backend = LocalBackend(target, say=say)
    try:
        return run_benchmark(backend.index(), k, say)
    finally:
        backend.close()
