"""The keyword index that runs keep: fts's BM25 scores, refreshed for what changed, queried at once."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from assistant.extensions import load_extensions
from assistant.keywords import bm25_sql, refresh_keyword_index
from assistant.labelled import LABELLED_QUERIES
from lakehouse.cli import main
from runner.config import load_target


def _database(data_dir: Path) -> str:
    return str(load_target("local", data_dir=data_dir).database_path)


def test_scores_are_those_of_the_fts_extension(built_lakehouse):
    with duckdb.connect() as db:
        load_extensions(db, "fts")
        db.execute(f"ATTACH '{_database(built_lakehouse)}' AS lake (READ_ONLY)")
        db.execute("CREATE TABLE docs AS SELECT event_id, document FROM lake.gold.event_documents")
        db.execute(
            "PRAGMA create_fts_index('docs', 'event_id', 'document', stemmer = 'porter', stopwords = 'english', "
            "strip_accents = 1, lower = 1)"
        )
        for query, _ in [*LABELLED_QUERIES, ("Café-Théâtre 2025: the Rosa's!", frozenset())]:
            ours = db.execute(bm25_sql("lake."), [query, 50]).fetchall()
            theirs = db.execute(
                """SELECT event_id, score FROM (
                    SELECT event_id, fts_main_docs.match_bm25(event_id, ?) AS score FROM docs
                ) WHERE score IS NOT NULL ORDER BY round(score, 12) DESC, event_id LIMIT 50""",
                [query],
            ).fetchall()
            assert [e for e, _ in ours] == [e for e, _ in theirs], query
            assert all(abs(a - b) < 1e-9 for (_, a), (_, b) in zip(ours, theirs, strict=True)), query


TRICKY_DOCUMENTS = {
    "e1": "Café-Théâtre 2025: the Rosa's!  Tickets 12.50 to 99 USD. (Jazz/Blues) [live] {late} a|b",
    "e2": 'Running runs ran; "quoted" `ticked` under_score ~tilde~ back\\slash x=y+z #1 @home 50% c^d&e*f',
    "e3": "Tabs\tnew\nlines\r\nform\ffeed vertical\vtab non\u00a0breaking ÅNGSTRÖM Ærø naïve",
    "e4": "!!! ... 123 ---",
    "e5": "The and of to in",
}


def _by_document(rows: list[tuple]) -> dict[str, tuple[int, dict[str, int]]]:
    """(event_id, length, term, tf) rows as event_id -> (length, {term: tf})."""
    terms: dict[str, tuple[int, dict[str, int]]] = {}
    for event_id, length, term, tf in rows:
        counts = terms.setdefault(event_id, (length, {}))[1]
        if term is not None:
            counts[term] = tf
    return terms


def _our_terms(db: duckdb.DuckDBPyConnection) -> dict[str, tuple[int, dict[str, int]]]:
    rows = db.execute(
        """SELECT l.event_id, l.terms, v.term, t.tf FROM gold.event_document_lengths AS l
        LEFT JOIN gold.event_document_terms AS t ON t.doc_id = l.doc_id
        LEFT JOIN gold.event_document_vocabulary AS v ON v.term_id = t.term_id"""
    ).fetchall()
    return _by_document(rows)


def _fts_terms(db: duckdb.DuckDBPyConnection) -> dict[str, tuple[int, dict[str, int]]]:
    db.execute("CREATE OR REPLACE TABLE docs AS SELECT event_id, document FROM gold.event_documents")
    db.execute(
        "PRAGMA create_fts_index('docs', 'event_id', 'document', stemmer = 'porter', stopwords = 'english', "
        "strip_accents = 1, lower = 1, overwrite = 1)"
    )
    rows = db.execute(
        """SELECT d.name, d.len, k.term, count(t.termid) FROM fts_main_docs.docs AS d
        LEFT JOIN fts_main_docs.terms AS t ON t.docid = d.docid
        LEFT JOIN fts_main_docs.dict AS k ON k.termid = t.termid
        GROUP BY ALL"""
    ).fetchall()
    return _by_document(rows)


def test_words_and_counts_are_those_of_the_fts_extension_as_documents_change():
    with duckdb.connect() as db:
        load_extensions(db, "fts")
        db.execute("CREATE SCHEMA gold")
        db.execute("CREATE TABLE gold.event_documents (event_id VARCHAR, document VARCHAR, content_hash VARCHAR)")
        db.executemany("INSERT INTO gold.event_documents VALUES (?, ?, md5(?))", [
            (event_id, text, text) for event_id, text in TRICKY_DOCUMENTS.items()
        ])  # fmt: skip
        first = refresh_keyword_index(db)
        assert (first.indexed, first.removed, first.total) == (5, 0, 5)
        assert _our_terms(db) == _fts_terms(db)
        assert _our_terms(db)["e2"][1]["run"] == 2  # running, runs: one stem, counted twice

        db.execute(
            "UPDATE gold.event_documents SET document = 'Runs of Théâtre', content_hash = 'x' WHERE event_id = 'e1'"
        )
        db.execute("DELETE FROM gold.event_documents WHERE event_id = 'e4'")
        db.execute("INSERT INTO gold.event_documents VALUES ('e6', 'Brand-new words: quillback', md5('e6'))")
        second = refresh_keyword_index(db)
        assert (second.indexed, second.removed, second.total) == (2, 1, 5)
        assert _our_terms(db) == _fts_terms(db)
        assert refresh_keyword_index(db).indexed == 0


def test_a_run_indexes_only_the_events_whose_text_changed(lakehouse_copy, capsys):
    source = sorted((lakehouse_copy / "landing" / "events").rglob("*.json"))[0]
    event = json.loads(source.read_text().splitlines()[0])
    event["name"] = "Quillback Sturgeon Revue"
    folder = lakehouse_copy / "landing" / "events" / "2026" / "11" / "28"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "update-0001.json").write_text(json.dumps(event) + "\n")

    assert main(["run", "--skip-ingest", "--data-dir", str(lakehouse_copy)]) == 0
    assert "keyword index: 1 event(s) indexed, 0 removed, 500 in the index" in capsys.readouterr().out
    with duckdb.connect(_database(lakehouse_copy), read_only=True) as db:
        load_extensions(db, "fts")
        hits = db.execute(bm25_sql(), ["quillback sturgeon", 5]).fetchall()
    assert [e for e, _ in hits] == [event["id"]]

    assert main(["run", "--skip-ingest", "--data-dir", str(lakehouse_copy)]) == 0
    assert "keyword index:" not in capsys.readouterr().out  # nothing changed, nothing indexed


@pytest.mark.parametrize("layout", ["none", "keyed by event id"])
def test_search_on_a_lakehouse_without_the_index_builds_it_first(lakehouse_copy, capfd, layout):
    with duckdb.connect(_database(lakehouse_copy)) as db:
        db.execute("DROP TABLE gold.event_document_terms")
        db.execute("DROP TABLE gold.event_document_lengths")
        db.execute("DROP TABLE gold.event_document_vocabulary")
        if layout == "keyed by event id":  # as versions before integer keys built it
            db.execute("CREATE TABLE gold.event_document_terms (event_id VARCHAR, term VARCHAR, tf INTEGER)")
            db.execute("INSERT INTO gold.event_document_terms SELECT event_id, 'rosa', 1 FROM gold.event_documents")
            db.execute(
                "CREATE TABLE gold.event_document_lengths AS SELECT event_id, content_hash, 1 AS terms "
                "FROM gold.event_documents"
            )
    assert main(["search", "Rosa Duarte", "--data-dir", str(lakehouse_copy), "--format", "json", "--limit", "3"]) == 0
    out, err = capfd.readouterr()
    assert "keyword index: 500 event(s) indexed" in err
    assert json.loads(out)[0]["name"] == "Rosa Duarte"
