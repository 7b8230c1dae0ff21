"""Read-only statements on DuckDB: the kind from DuckDB's own parser, a locked-down connection, a timeout.

The read-only paths (`query`, `ask`, `status`, `report`) open the lakehouse file READ_ONLY and then
turn off external access, so no statement can read or write a file other than the attached
database (read_csv, read_text, glob, COPY ... TO, ATTACH, INSTALL all fail), and lock the
configuration so no statement can turn it back on. What users type is also checked here, after
translation, by DuckDB's parser: one statement, of kind SELECT (SHOW, DESCRIBE, SUMMARIZE, VALUES
and PRAGMA reads all parse to SELECT), or EXPLAIN of one without ANALYZE, which would run it.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

import duckdb

from runner.errors import LakehouseError, NotReadOnly, QuerySyntaxError

TIMEOUT_HINT = "raise it with --timeout SECONDS or statement_timeout in the [query] section of lakehouse.toml"


class StatementTimeout(LakehouseError):
    """A read-only statement ran longer than the statement timeout and was stopped."""


def lock_down(connection: duckdb.DuckDBPyConnection) -> None:
    """No file or network access from now on, and no SET that could give it back.

    Extensions the lakehouse needs (fts) must be loaded before this: loading is file access."""
    connection.execute("SET enable_external_access = false")
    connection.execute("SET lock_configuration = true")


def check_statement(connection: duckdb.DuckDBPyConnection, sql: str) -> None:
    """Raise unless DuckDB's parser reads `sql` as one statement that only reads."""
    statements = _parse(connection, sql)
    if len(statements) != 1:
        raise NotReadOnly(f"`query` runs one statement; DuckDB reads {len(statements)} in this one.")
    kind = statements[0].type
    if kind == duckdb.StatementType.SELECT:
        return
    if kind == duckdb.StatementType.EXPLAIN:
        _check_explain(connection, sql)
        return
    raise NotReadOnly(
        f"`query` only reads: the local engine reads this as a {kind.name} statement, which can change data "
        "or reach outside the lakehouse, and refuses it."
    )


def _check_explain(connection: duckdb.DuckDBPyConnection, sql: str) -> None:
    tokens = [(start, sql[start:end].strip()) for start, end in _token_spans(sql)]
    words = [text.upper() for _, text in tokens]
    # EXPLAIN ANALYZE (also written EXPLAIN (ANALYZE) ...) executes the statement to time it.
    body_at = 1
    if len(words) > 1 and words[1] == "(":
        closing = words.index(")", 1) if ")" in words[1:] else len(words) - 1
        body_at = -1 if "ANALYZE" in words[1:closing] else closing + 1
    elif len(words) > 1 and words[1] == "ANALYZE":
        body_at = -1
    if body_at < 0:
        raise NotReadOnly("`query` only reads: EXPLAIN ANALYZE runs the statement it explains and is refused.")
    inner = sql[tokens[body_at][0] :] if body_at < len(tokens) else ""
    statements = _parse(connection, inner)
    if len(statements) != 1 or statements[0].type != duckdb.StatementType.SELECT:
        raise NotReadOnly("`query` only reads: EXPLAIN is accepted for a query only.")


def _token_spans(sql: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each token DuckDB's tokenizer finds, comments left out."""
    tokens = duckdb.tokenize(sql)
    for index, (start, token_type) in enumerate(tokens):
        end = tokens[index + 1][0] if index + 1 < len(tokens) else len(sql)
        if token_type != duckdb.token_type.comment:
            yield start, end


def _parse(connection: duckdb.DuckDBPyConnection, sql: str) -> list:
    try:
        return connection.extract_statements(sql)
    except duckdb.ParserException as exc:
        detail = str(exc).removeprefix("Parser Error: ").splitlines()[0]
        raise QuerySyntaxError(f"Syntax error in the query: {detail}.") from None


@contextmanager
def statement_timeout(connection: duckdb.DuckDBPyConnection, seconds: float | None) -> Iterator[None]:
    """Interrupt what runs on `connection` after `seconds` (None or 0: no limit) with a clear error."""
    if not seconds:
        yield
        return
    fired = threading.Event()

    def interrupt() -> None:
        fired.set()
        connection.interrupt()

    timer = threading.Timer(seconds, interrupt)
    timer.daemon = True
    timer.start()
    try:
        yield
    except duckdb.InterruptException as exc:
        if fired.is_set():
            raise StatementTimeout(
                f"The query ran longer than the statement timeout ({seconds:g} s) and was stopped; nothing "
                f"was changed. Narrow it (a WHERE, a LIMIT, fewer joins) or {TIMEOUT_HINT}."
            ) from exc
        raise
    finally:
        timer.cancel()
