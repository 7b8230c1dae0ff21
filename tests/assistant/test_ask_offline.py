"""`ask` without a model: certified questions by meaning, then search, else a plain "cannot answer"."""

from __future__ import annotations

from assistant.ask import Assistant
from assistant.certified import CertifiedQuestions, added_condition
from assistant.embedder import default_question_embedder
from assistant.settings import AssistantSettings
from workspace.genie import load_space


def _offline(target, backend, embedder) -> Assistant:
    return Assistant(target, AssistantSettings(), backend, CertifiedQuestions(target, default_question_embedder))


def test_a_paraphrase_of_a_certified_question_runs_that_questions_sql(target, backend, embedder):
    certified = {e.question: e.sql for e in load_space(target).examples}
    answer = _offline(target, backend, embedder).ask("how many events happen each month")
    assert answer.method == "certified"
    assert "How many events are there per month?" in answer.explanation
    assert certified["How many events are there per month?"] in answer.sql
    assert answer.result.rows


def test_an_unrelated_question_says_it_cannot_answer(target, backend, embedder):
    answer = _offline(target, backend, embedder).ask("What is the capital of France?")
    assert answer.method == "cannot-answer"
    assert answer.explanation.startswith("I cannot answer this")
    assert answer.sql is None and answer.result is None and not answer.events


def test_a_question_about_an_event_retrieves_it_and_says_so(target, backend, embedder):
    answer = _offline(target, backend, embedder).ask("when does Rosa Duarte play?")
    assert answer.method == "events"
    assert "nothing was computed" in answer.explanation
    assert answer.events[0].event_name == "Rosa Duarte"


def test_a_certified_question_with_an_added_condition_is_not_answered_by_it():
    assert added_condition("Which venues had the most cancelled events?", "Which venues have the most events?") == (
        "cancelled"
    )
    assert added_condition("Top venues by events in 2025", "Which venues have the most events?") == "2025"
    assert added_condition("which venues host the most events", "Which venues have the most events?") is None
