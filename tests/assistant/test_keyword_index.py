"""The keyword index that runs keep: fts's BM25 scores, refreshed for what changed, queried at once."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb

from assistant.extensions import load_extensions
from assistant.keywords import bm25_sql
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


def test_search_on_a_lakehouse_without_the_index_builds_it_first(lakehouse_copy, capfd):
    with duckdb.connect(_database(lakehouse_copy)) as db:
        db.execute("DROP TABLE gold.event_document_terms")
        db.execute("DROP TABLE gold.event_document_lengths")
    assert main(["search", "Rosa Duarte", "--data-dir", str(lakehouse_copy), "--format", "json", "--limit", "3"]) == 0
    out, err = capfd.readouterr()
    assert "keyword index: 500 event(s) indexed" in err
    assert json.loads(out)[0]["name"] == "Rosa Duarte"
