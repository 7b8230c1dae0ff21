"""Syntax errors in users' SQL, said as a parser says them: where, and what was expected."""

from __future__ import annotations

import difflib
import re

# The words a SQL statement can open with, on Databricks or DuckDB; any other first word is a typo.
STATEMENT_KEYWORDS = (
    "SELECT", "WITH", "VALUES", "FROM", "TABLE", "SHOW", "DESCRIBE", "DESC", "EXPLAIN", "SUMMARIZE",
    "INSERT", "UPDATE", "DELETE", "MERGE", "CREATE", "DROP", "ALTER", "TRUNCATE", "GRANT", "REVOKE",
    "COPY", "CALL", "SET", "RESET", "USE", "OPTIMIZE", "VACUUM", "REFRESH", "COMMENT", "ANALYZE", "CACHE",
    "UNCACHE", "CLEAR", "MSCK", "REPAIR", "LIST", "GET", "PUT", "REMOVE", "LOAD", "ATTACH", "DETACH",
    "EXPORT", "IMPORT", "INSTALL", "PRAGMA", "CHECKPOINT", "BEGIN", "START", "COMMIT", "ROLLBACK", "ABORT",
    "DECLARE", "EXECUTE", "PREPARE", "DEALLOCATE", "RESTORE", "UNDROP", "SYNC", "FSCK", "CONVERT", "GENERATE",
    "FOR", "IF", "CASE", "LOOP", "WHILE", "REPEAT", "LEAVE", "ITERATE", "SIGNAL", "RESIGNAL", "PIVOT", "UNPIVOT",
)  # fmt: skip


def unknown_statement(keyword: str) -> str | None:
    """The error for a statement whose first word no SQL statement starts with, else None."""
    if not keyword or keyword.upper() in STATEMENT_KEYWORDS or not re.fullmatch(r"[A-Za-z_]+", keyword):
        return None
    close = difflib.get_close_matches(keyword.upper(), STATEMENT_KEYWORDS, n=1, cutoff=0.6)
    hint = f"; did you mean {close[0]}?" if close else ""
    return f"syntax error at or near {keyword!r} (line 1): no SQL statement starts with it{hint}"


def parse_error_message(exc: Exception) -> str:
    """One line from a sqlglot ParseError or TokenError: line, column and what the parser expected."""
    errors = getattr(exc, "errors", None) or []
    if errors:
        first = errors[0]
        description = re.sub(r"\s*but got <Token.*$", "", str(first.get("description") or "").strip())
        description = re.sub(r"\. Line \d+, Col: \d+\.?$", "", description)
        missing = re.match(r"Required keyword: '\w+' missing for <class '[\w.]*?(\w+)'>", description)
        if missing:
            description = f"the {missing.group(1).upper()} clause is incomplete"
        near = str(first.get("highlight") or "").strip()
        where = f"line {first.get('line')}, column {first.get('col')}"
        near_text = f" near {near!r}" if near and "SENTINEL" not in near else " at the end of the statement"
        return f"syntax error at {where}{near_text}: {description or 'unexpected token'}"
    text = str(exc).splitlines()[0] if str(exc) else "unexpected token"
    return f"syntax error: {re.sub(r'<Token[^>]*>', 'the end of the statement', text)}"
