"""Search answers at once on a lakehouse whose vectors are not built, and vectors join as they are."""

from __future__ import annotations

from pathlib import Path

import duckdb

from assistant import index as search_index
from assistant.backends import LocalBackend
from lakehouse.cli import main
from runner.config import load_target

MISSING = search_index.CHUNK + 14  # more than one chunk of vectors to build


def _forget_vectors(data_dir: Path, count: int) -> list[str]:
    """Leave ``count`` events without a vector, as a lakehouse whose vectors are partly built."""
    path = load_target("local", data_dir=data_dir).database_path
    with duckdb.connect(str(path)) as db:
        ids = [r[0] for r in db.execute("SELECT event_id FROM gold.event_documents ORDER BY event_id").fetchall()]
        gone = ids[:count]
        db.execute("DELETE FROM gold.event_document_embeddings WHERE event_id IN (SELECT unnest(?::VARCHAR[]))", [gone])
    return gone


def test_search_answers_from_keywords_for_events_without_a_vector(lakehouse_copy, embedder):
    gone = _forget_vectors(lakehouse_copy, MISSING)
    with duckdb.connect(str(load_target("local", data_dir=lakehouse_copy).database_path)) as db:
        name = db.execute("SELECT event_name FROM gold.event_documents WHERE event_id = ?", [gone[0]]).fetchone()[0]
    said: list[str] = []
    backend = LocalBackend(load_target("local", data_dir=lakehouse_copy), embedder, say=said.append)
    hits = backend.retrieve(name, 20)
    index = backend.index()
    assert index.size == 500 and index.vectors == 500 - MISSING  # nothing embedded before answering
    assert gone[0] in [h.event_id for h in hits]  # found by its words alone
    assert backend.remaining == MISSING
    backend.close()


def test_vectors_are_built_a_chunk_at_a_time_and_resume(lakehouse_copy, embedder):
    _forget_vectors(lakehouse_copy, MISSING)
    said: list[str] = []
    backend = LocalBackend(load_target("local", data_dir=lakehouse_copy), embedder, say=said.append)
    first = backend.sync(budget_s=1e-6)  # one chunk is always started; the budget stops the next one
    assert first.embedded == search_index.CHUNK and first.remaining == MISSING - search_index.CHUNK
    assert "still to embed" in said[-1]
    second = backend.sync()
    assert second.embedded == MISSING - search_index.CHUNK and second.remaining == 0 and second.total == 500
    assert backend.index().vectors == 500
    backend.close()


def test_search_command_prints_the_answer_before_building_vectors(lakehouse_copy, capfd):
    _forget_vectors(lakehouse_copy, 5)
    search = ["search", "jazz in Chicago", "--data-dir", str(lakehouse_copy), "--limit", "2"]
    assert main([*search, "--embed-for", "0"]) == 0
    out, err = capfd.readouterr()
    assert out.startswith("#  score") and "5 event(s) have no vector yet" in err
    assert main(search) == 0
    out, err = capfd.readouterr()
    assert out.startswith("#  score") and "5 event(s) embedded" in err
    with duckdb.connect(str(load_target("local", data_dir=lakehouse_copy).database_path), read_only=True) as db:
        assert db.execute("SELECT count(*) FROM gold.event_document_embeddings").fetchone()[0] == 500


def test_a_run_embeds_changed_events_only_and_leaves_new_ones_to_search(lakehouse_copy, capsys):
    _forget_vectors(lakehouse_copy, 5)  # as events new since the vectors were built
    assert main(["run", "--skip-ingest", "--data-dir", str(lakehouse_copy)]) == 0
    assert "search index:" not in capsys.readouterr().out
    with duckdb.connect(str(load_target("local", data_dir=lakehouse_copy).database_path), read_only=True) as db:
        assert db.execute("SELECT count(*) FROM gold.event_document_embeddings").fetchone()[0] == 495


def test_vectors_of_an_earlier_model_of_another_size_are_built_again(lakehouse_copy, embedder):
    path = load_target("local", data_dir=lakehouse_copy).database_path
    with duckdb.connect(str(path)) as db:
        db.execute("DROP TABLE gold.event_document_embeddings")
        db.execute(
            """CREATE TABLE gold.event_document_embeddings AS
            SELECT event_id, content_hash, 'multilingual-e5-small-q4' AS model_id,
                   array_value(0.5::FLOAT, 0.5::FLOAT)::FLOAT[2] AS embedding, current_timestamp AS embedded_at
            FROM gold.event_documents"""
        )
    backend = LocalBackend(load_target("local", data_dir=lakehouse_copy), embedder, say=lambda _: None)
    report = backend.sync()
    assert report.embedded == 500 and report.total == 500
    with duckdb.connect(str(path), read_only=True) as db:
        kinds = db.execute("SELECT DISTINCT model_id, typeof(embedding) FROM gold.event_document_embeddings").fetchall()
    assert kinds == [(embedder.model_id, f"FLOAT[{embedder.dimensions}]")]
    backend.close()
