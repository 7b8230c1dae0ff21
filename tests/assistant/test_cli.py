"""`python -m runner search` and `ask` from the command line."""

from __future__ import annotations

import json

from lakehouse.cli import main


def test_search_prints_events_with_ids_and_scores(built_lakehouse, capsys):
    assert main(["search", "Rosa Duarte", "--limit", "3", "--data-dir", str(built_lakehouse)]) == 0
    out = capsys.readouterr().out
    assert " 1. " in out and "Rosa Duarte" in out and "event id vvG1lXXBM8BNhHMM" in out


def test_search_as_json(built_lakehouse, capsys):
    args = ["search", "hockey in Sydney", "--format", "json", "--method", "bm25", "--data-dir", str(built_lakehouse)]
    assert main(args) == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == 10
    assert {"event_id", "event_key", "score", "name", "city", "document"} <= set(rows[0])


def test_ask_without_a_model_names_what_it_did(built_lakehouse, capsys, monkeypatch):
    monkeypatch.delenv("LAKEHOUSE_LLM_URL", raising=False)
    assert main(["ask", "What is the capital of France?", "--data-dir", str(built_lakehouse)]) == 0
    assert capsys.readouterr().out.startswith("I cannot answer this")


def test_search_before_any_run_says_what_to_do(tmp_path, capsys):
    assert main(["search", "jazz", "--data-dir", str(tmp_path / "empty")]) == 1
    assert "Run `python -m runner run` first" in capsys.readouterr().err
