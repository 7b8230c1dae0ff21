"""`ask`: answer a question from gold, with a language model or, without one, only from what is certified.

Every answer says how it was made: SQL written by the model (shown, validated, then run), a certified
question's SQL, events found by search, or a plain statement that it cannot answer.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from assistant.backends import Backend
from assistant.certified import CertifiedQuestions
from assistant.llm import complete
from assistant.prompt import ANSWER_PREFIX, build_messages, flatten
from assistant.retrieval import Hit
from assistant.settings import AssistantSettings
from assistant.validate import DEFAULT_ROW_LIMIT, AllowedTables, RefusedSql, extract_sql, validate_query
from runner.config import Target
from runner.engines.base import QueryResult
from runner.errors import LakehouseError

# How many events a question's retrieval brings to the model, or shows without one.
CONTEXT_EVENTS = 5
# Without a model, an event counts as matching the question only with a keyword match (BM25) and at
# least this cosine similarity (WordLlama): the events that questions about them were after measured
# 0.35-0.61, and the keyword matches of unrelated questions 0.20-0.32 (docs/search.md).
EVENT_SIMILARITY = 0.35
_CITATION = re.compile(r"\[([A-Za-z0-9_-]{5,})\]")


@dataclass
class Answer:
    method: str  # model-sql | model-answer | certified | events | cannot-answer
    explanation: str
    sql: str | None = None
    result: QueryResult | None = None
    events: list[Hit] = field(default_factory=list)
    text: str | None = None


def allowed_tables(target: Target, space_tables: list[str]) -> AllowedTables:
    names = {name.rsplit(".", 1)[-1].lower() for name in space_tables} | {"event_documents"}
    return AllowedTables(target.schema("gold"), frozenset(names))


class Assistant:
    def __init__(
        self,
        target: Target,
        settings: AssistantSettings,
        backend: Backend,
        certified: CertifiedQuestions,
        *,
        chat: Callable[[list[dict[str, str]]], str] | None = None,
        row_limit: int = DEFAULT_ROW_LIMIT,
    ):
        self.target = target
        self.settings = settings
        self.backend = backend
        self.certified = certified
        self.allowed = allowed_tables(target, certified.space.tables)
        self.row_limit = row_limit
        self.chat = chat or self._default_chat()

    def _default_chat(self) -> Callable[[list[dict[str, str]]], str] | None:
        if self.settings.has_model:
            return lambda messages: complete(self.settings, messages)
        complete_on_warehouse = getattr(self.backend, "complete", None)
        if complete_on_warehouse is not None:
            return lambda messages: complete_on_warehouse(flatten(messages))
        return None

    def ask(self, question: str) -> Answer:
        return self._with_model(question) if self.chat else self._without_model(question)

    def _with_model(self, question: str) -> Answer:
        assert self.chat is not None
        hits = self.backend.retrieve(question, CONTEXT_EVENTS)
        messages = build_messages(
            question,
            columns=self.backend.gold_columns(),
            tables=set(self.allowed.tables),
            schema=self.allowed.schema,
            space=self.certified.space,
            hits=hits,
            # Both targets take Databricks SQL: the local one translates it (usersql.session).
            dialect="Databricks SQL",
            row_limit=self.row_limit,
        )
        reply = self.chat(messages).strip()
        if reply.upper().startswith(ANSWER_PREFIX):
            return self._cited_answer(reply[len(ANSWER_PREFIX) :].strip(), hits)
        sql = extract_sql(reply)
        try:
            limited = validate_query(sql, self.allowed, self.row_limit)
        except RefusedSql as exc:
            raise RefusedSql(f"the model's SQL was not run, {exc}\n\n{sql}") from exc
        return Answer("model-sql", "The language model wrote this SQL; it was validated, then run:", limited,
                      self.backend.run_query(limited))  # fmt: skip

    def _cited_answer(self, text: str, hits: list[Hit]) -> Answer:
        by_id = {h.event_id: h for h in hits}
        cited = list(dict.fromkeys(_CITATION.findall(text)))
        unknown = [c for c in cited if c not in by_id]
        if unknown:
            raise LakehouseError(
                f"the model cited event(s) that search did not return ({', '.join(unknown)}); its answer is not shown."
            )
        explanation = (
            "The language model answered from these retrieved events:"
            if cited
            else "The language model answered without citing an event:"
        )
        return Answer("model-answer", explanation, events=[by_id[c] for c in cited], text=text)

    def _without_model(self, question: str) -> Answer:
        match = self.certified.best(question)
        if match is not None and match.usable:
            sql = validate_query(match.example.sql, self.allowed, self.row_limit)
            return Answer(
                "certified",
                "No language model is configured. The question matches the certified question "
                f'"{match.example.question}" (similarity {match.similarity:.2f}); this is its SQL, run as is:',
                sql,
                self.backend.run_query(sql),
            )
        hits = [
            h
            for h in self.backend.retrieve(question, CONTEXT_EVENTS)
            if h.bm25 is not None and (h.similarity or 0.0) >= EVENT_SIMILARITY
        ]
        if hits:
            return Answer(
                "events",
                "No language model is configured and no certified question matches, so nothing was computed. "
                "These events match the question by search:",
                events=hits,
            )
        closest = ""
        if match is not None:
            closest = (
                f' The closest certified question is "{match.example.question}" (similarity {match.similarity:.2f})'
            )
            closest += (
                f', but the question adds "{match.added_condition}", which its SQL does not apply.'
                if match.added_condition
                else "."
            )
        return Answer(
            "cannot-answer",
            "I cannot answer this: no language model is configured, the question is not one of the certified "
            f"questions, and no event matches it.{closest} Set LAKEHOUSE_LLM_URL and LAKEHOUSE_LLM_MODEL "
            "to use a model.",
        )
