"""`ask` with a language model: a local fake chat-completions server on 127.0.0.1, the real HTTP client."""

from __future__ import annotations

import socket

import pytest

from assistant.ask import Assistant
from assistant.certified import CertifiedQuestions
from assistant.embedder import default_question_embedder
from assistant.settings import AssistantSettings
from assistant.validate import RefusedSql
from runner.errors import LakehouseError

TOKEN = "dapi-secret-token-123"


def _assistant(target, backend, embedder, url: str) -> Assistant:
    settings = AssistantSettings(llm_url=url, llm_model="test-model", llm_token=TOKEN, llm_timeout=10)
    return Assistant(target, settings, backend, CertifiedQuestions(target, default_question_embedder))


def test_generated_sql_is_validated_limited_and_run(target, backend, embedder, fake_chat):
    fake_chat.replies.append(
        "```sql\nSELECT status_code, count(*) AS events FROM gold.fact_events\n"
        "GROUP BY status_code ORDER BY events DESC\n```"
    )
    answer = _assistant(target, backend, embedder, fake_chat.url).ask("how many events per status?")

    assert answer.method == "model-sql"
    assert answer.sql.endswith("LIMIT 200")
    assert answer.result.columns == ["status_code", "events"]
    assert sum(row[1] for row in answer.result.rows) == 500

    request = fake_chat.requests[0]
    assert request["path"] == "/v1/chat/completions"
    assert request["headers"]["Authorization"] == f"Bearer {TOKEN}"
    assert request["body"]["model"] == "test-model"
    system = request["body"]["messages"][0]["content"]
    # The prompt carries the gold schema with its comments, the Genie instructions and certified examples.
    assert "TABLE gold.fact_events" in system and "one row per event" in system.lower()
    assert "Which artists or teams play the most events?" in system
    assert "SCD Type 2" in system
    assert request["body"]["messages"][1] == {"role": "user", "content": "how many events per status?"}


@pytest.mark.parametrize(
    ("reply", "reason"),
    [
        ("```sql\nDELETE FROM gold.fact_events\n```", "not a DELETE"),
        ("```sql\nUPDATE gold.dim_venue SET venue_name = 'x'\n```", "not a UPDATE"),
        ("SELECT count(*) FROM gold.fact_events; DROP TABLE gold.fact_events", "the SQL has 2"),
        ("```sql\nSELECT * FROM silver.events\n```", "reads silver.events"),
        (
            "```sql\nSELECT * FROM bronze.events_raw JOIN gold.fact_events USING (event_id)\n```",
            "reads bronze.events_raw",
        ),
    ],
)
def test_writes_second_statements_and_non_gold_tables_are_refused(target, backend, embedder, fake_chat, reply, reason):
    fake_chat.replies.append(reply)
    with pytest.raises(RefusedSql) as refused:
        _assistant(target, backend, embedder, fake_chat.url).ask("anything")
    assert reason in str(refused.value)
    assert "was not run" in str(refused.value)


def test_event_questions_are_answered_from_retrieved_events_with_citations(target, backend, embedder, fake_chat):
    assistant = _assistant(target, backend, embedder, fake_chat.url)
    top = backend.retrieve("Rosa Duarte", 5)[0]
    fake_chat.replies.append(f"ANSWER: Rosa Duarte plays {top.venue_name} on {top.start_local_date} [{top.event_id}].")
    answer = assistant.ask("When does Rosa Duarte play?")
    assert answer.method == "model-answer"
    assert [h.event_id for h in answer.events] == [top.event_id]
    # The retrieved events were in the prompt, with their ids.
    assert f"[{top.event_id}]" in fake_chat.requests[0]["body"]["messages"][0]["content"]


def test_an_answer_citing_an_event_search_did_not_return_is_not_shown(target, backend, embedder, fake_chat):
    fake_chat.replies.append("ANSWER: It is on Friday [INVENTED123].")
    with pytest.raises(LakehouseError, match="INVENTED123"):
        _assistant(target, backend, embedder, fake_chat.url).ask("When does Rosa Duarte play?")


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_an_unreachable_endpoint_gives_a_clear_error_without_the_token(target, backend, embedder):
    url = f"http://127.0.0.1:{_closed_port()}/v1"
    with pytest.raises(LakehouseError) as failed:
        _assistant(target, backend, embedder, url).ask("how many events per month?")
    message = str(failed.value)
    assert f"cannot reach the language model at {url}/chat/completions" in message
    assert TOKEN not in message


def test_refused_credentials_are_reported_without_the_token(target, backend, embedder, fake_chat):
    fake_chat.status = 401
    with pytest.raises(LakehouseError, match="HTTP 401") as failed:
        _assistant(target, backend, embedder, fake_chat.url).ask("how many events per month?")
    assert TOKEN not in str(failed.value)
