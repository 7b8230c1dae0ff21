"""A run after one event changes embeds only that event again."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb

from assistant.backends import LocalBackend
from lakehouse.cli import main
from runner.config import load_target


def _change_one_event(data_dir: Path) -> str:
    """Land the same event again with a new name, as the API would after an update."""
    source = sorted((data_dir / "landing" / "events").rglob("*.json"))[0]
    event = json.loads(source.read_text().splitlines()[0])
    event["name"] = "Moonlit Harbour Orchestra: Evening of Film Scores"
    folder = data_dir / "landing" / "events" / "2026" / "11" / "27"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "update-0001.json").write_text(json.dumps(event) + "\n")
    return event["id"]


def test_only_the_changed_event_is_embedded_again(lakehouse_copy, embedder, capsys):
    target = load_target("local", data_dir=lakehouse_copy)
    said: list[str] = []
    backend = LocalBackend(target, embedder, say=said.append)

    assert main(["run", "--skip-ingest", "--data-dir", str(lakehouse_copy)]) == 0
    backend.sync()
    assert said == [], "a run without changes must embed nothing"

    event_id = _change_one_event(lakehouse_copy)
    with duckdb.connect(str(target.database_path), read_only=True) as db:
        before = dict(db.execute("SELECT event_id, embedded_at FROM gold.event_document_embeddings").fetchall())
    capsys.readouterr()
    # The run itself keeps the embeddings current once search has built them.
    assert main(["run", "--skip-ingest", "--data-dir", str(lakehouse_copy)]) == 0
    assert "search index: 1 event(s) embedded, 0 removed, 500 in the index" in capsys.readouterr().out
    backend.sync()
    assert said == [], "the run left nothing for search to embed"
    with duckdb.connect(str(target.database_path), read_only=True) as db:
        after = dict(db.execute("SELECT event_id, embedded_at FROM gold.event_document_embeddings").fetchall())
        document = db.execute("SELECT document FROM gold.event_documents WHERE event_id = ?", [event_id]).fetchone()[0]
    assert "Moonlit Harbour Orchestra" in document
    assert [e for e in after if after[e] != before[e]] == [event_id]

    hits = backend.retrieve("moonlit harbour orchestra film scores", 3)
    assert hits[0].event_id == event_id
    backend.close()
