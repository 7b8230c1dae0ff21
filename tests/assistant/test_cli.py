"""`lakehouse search` and `ask` from the command line."""

from __future__ import annotations

import json
import re

from lakehouse.cli import main


def test_search_prints_events_with_ids_and_scores(built_lakehouse, capsys):
    assert main(["search", "Rosa Duarte", "--limit", "3", "--data-dir", str(built_lakehouse)]) == 0
    out = capsys.readouterr().out
    first = next(line for line in out.splitlines() if line.startswith("1 "))
    # name, date, venue, city and genre, each once
    assert "Rosa Duarte" in first and first.count("Rosa Duarte") == 1
    assert re.search(r"\d{4}-\d{2}-\d{2}", first) and "Music" in first


def test_search_as_json(built_lakehouse, capsys):
    args = ["search", "hockey in Sydney", "--format", "json", "--method", "bm25", "--data-dir", str(built_lakehouse)]
    assert main(args) == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == 10
    assert {"event_id", "event_key", "score", "name", "city", "document"} <= set(rows[0])


def test_ask_without_a_model_names_what_it_did(built_lakehouse, capsys, monkeypatch):
    monkeypatch.delenv("LAKEHOUSE_LLM_URL", raising=False)
    assert main(["ask", "What is the capital of France?", "--data-dir", str(built_lakehouse)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("I cannot answer this")
    # what can be asked without a model instead
    assert "The certified questions, answered without a model:" in out
    assert "  - Which venues have the most events in the next 30 days?" in out.splitlines()


def test_ask_says_when_the_window_of_a_question_holds_no_events(built_lakehouse, capsys, monkeypatch):
    """The sample's events are in a fixed past range; "the next 30 days" from today holds none of them."""
    monkeypatch.delenv("LAKEHOUSE_LLM_URL", raising=False)
    question = "Which venues have the most events in the next 30 days?"
    assert main(["ask", question, "--data-dir", str(built_lakehouse)]) == 0
    captured = capsys.readouterr()
    assert "(0 rows)" in captured.out
    assert re.match(
        r"No rows: the question's window is relative to today \(\d{4}-\d{2}-\d{2}\), and the lakehouse's events "
        r"run from \d{4}-\d{2}-\d{2} to \d{4}-\d{2}-\d{2}",
        captured.err,
    )


def test_search_before_any_run_says_what_to_do(tmp_path, capsys):
    assert main(["search", "jazz", "--data-dir", str(tmp_path / "empty")]) == 1
    assert "Run `lakehouse run` first" in capsys.readouterr().err
