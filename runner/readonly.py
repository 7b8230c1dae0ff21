"""The guard of `runner query`: exactly one statement, and one that only reads."""

from __future__ import annotations

from runner.errors import LakehouseError
from runner.splitter import split_statements
from runner.sqlerrors import unknown_statement

READ_ONLY_KEYWORDS = {"SELECT", "WITH", "SHOW", "DESCRIBE", "DESC", "EXPLAIN", "VALUES", "FROM", "TABLE", "SUMMARIZE"}


def check_read_only(sql: str) -> str:
    """Return the single statement, or raise an error that says what `query` accepts."""
    try:
        statements = split_statements(sql)
    except ValueError as exc:
        raise LakehouseError(f"Cannot read the query: {exc}") from exc
    if not statements:
        raise LakehouseError('The query is empty. Pass one SELECT statement, e.g. `query "SELECT 1"`.')
    if len(statements) > 1:
        raise LakehouseError(f"`query` runs one statement; got {len(statements)}. Pass them one at a time.")
    keyword = statements[0].first_keyword
    syntax = unknown_statement(keyword)
    if syntax is not None:
        raise LakehouseError(syntax)
    if keyword not in READ_ONLY_KEYWORDS:
        raise LakehouseError(
            f"`query` only reads: a {keyword} statement can change data and is refused. Use SELECT, WITH, "
            "SHOW, DESCRIBE or EXPLAIN; change data through `deploy` and `run`, or `exec` a SQL file."
        )
    return statements[0].sql
