"""Hybrid search on the labelled queries is at least as good as BM25 or vector search alone."""

from __future__ import annotations

from assistant.benchmark import run_benchmark, score_ranking
from assistant.labelled import LABELLED_QUERIES


def test_the_labelled_set_is_large_enough_and_names_sample_events(backend):
    assert len(LABELLED_QUERIES) >= 30
    known = backend.index().event_ids()
    for query, relevant in LABELLED_QUERIES:
        assert relevant and relevant <= known, query


def test_hybrid_is_at_least_as_good_as_each_method_alone(backend):
    lines: list[str] = []
    results = run_benchmark(backend.index(), say=lambda line: (print(line), lines.append(line)))
    table = "\n".join(lines)
    hybrid = results["hybrid"]
    for alone in ("bm25", "vector"):
        assert hybrid.recall_at_k >= results[alone].recall_at_k, table
        assert hybrid.mrr >= results[alone].mrr, table


def test_recall_counts_against_at_most_k_relevant_events():
    assert score_ranking(["a", "x", "b"], frozenset({"a", "b"}), k=5) == (1.0, 1.0)
    assert score_ranking(["x", "a"], frozenset({"a"}), k=5) == (1.0, 0.5)
    assert score_ranking(["x"] * 5 + ["a"], frozenset({"a"}), k=5) == (0.0, 1 / 6)
