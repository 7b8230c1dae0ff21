"""The prompt that turns a question into SQL over gold, or into an answer citing retrieved events."""

from __future__ import annotations

from assistant.retrieval import Hit
from runner.engines.base import QueryResult
from workspace.genie import SpaceDefinition

ANSWER_PREFIX = "ANSWER:"


def schema_text(columns: QueryResult, tables: set[str], schema: str) -> str:
    """Every allowed gold table with its comment, and each column with its type and comment."""
    lines: list[str] = []
    current = None
    for table, column, data_type, column_comment, table_comment in columns.rows:
        if table.lower() not in tables:
            continue
        if table != current:
            current = table
            lines.append(f"\nTABLE {schema}.{table} -- {table_comment or ''}".rstrip(" -"))
        lines.append(f"  {column} {data_type}" + (f" -- {column_comment}" if column_comment else ""))
    return "\n".join(lines).strip()


def event_text(hits: list[Hit]) -> str:
    return "\n".join(f"[{h.event_id}] {h.document}" for h in hits)


def build_messages(
    question: str,
    *,
    columns: QueryResult,
    tables: set[str],
    schema: str,
    space: SpaceDefinition,
    hits: list[Hit],
    dialect: str,
    row_limit: int,
) -> list[dict[str, str]]:
    examples = "\n\n".join(f"Question: {e.question}\nSQL:\n{e.sql}" for e in space.examples)
    instructions = "\n".join(f"- {text}" for text in space.instructions)
    system = f"""You answer questions about Ticketmaster events from a lakehouse.

Reply in exactly one of two forms:
1. A question answered by counting, ranking or listing from the tables: reply with one {dialect} SELECT
   statement in a ```sql fenced block and nothing else. Read only the tables below, always with their
   schema ({schema}.<table>). One statement, no writes, no other tables. At most {row_limit} rows are shown.
2. A question about particular events that the retrieved events below answer: reply with a line that
   starts with "{ANSWER_PREFIX}" and answer from those events only, citing each event you use by its id
   in square brackets, e.g. [{hits[0].event_id if hits else "G5dIZ9xUy9kbq"}].
If neither form can answer it, reply "{ANSWER_PREFIX} I cannot answer that from this data." Never guess.

About the data:
{instructions}

Tables:
{schema_text(columns, tables, schema)}

Certified example questions and their SQL:
{examples}

Retrieved events (the closest matches to the question, by search):
{event_text(hits) or "(none)"}"""
    return [{"role": "system", "content": system}, {"role": "user", "content": question}]


def flatten(messages: list[dict[str, str]]) -> str:
    """One prompt string, for ai_query(), which takes text rather than chat messages."""
    return "\n\n".join(f"{m['role'].upper()}:\n{m['content']}" for m in messages)
