"""Split a rendered SQL file into statements, keeping compound BEGIN ... END blocks whole."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Words after END that close a block opened without BEGIN (IF ... END IF and friends).
_END_SUFFIXES = {"IF", "WHILE", "LOOP", "REPEAT", "FOR"}
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# Characters that never start a comment (--, /*) or a quoted token.
_PLAIN = re.compile(r"[^-/'\"`]+")


@dataclass(frozen=True)
class Statement:
    """One statement of a file: its text without the trailing semicolon, and the line it starts on."""

    sql: str
    line: int

    @property
    def first_keyword(self) -> str:
        return first_keyword(self.sql)


def _skip_comment_or_quote(sql: str, i: int) -> int:
    """Return the index just past a comment or quoted token starting at i, or i if there is none."""
    ch = sql[i]
    if sql.startswith("--", i):
        end = sql.find("\n", i)
        return len(sql) if end < 0 else end
    if sql.startswith("/*", i):
        end = sql.find("*/", i + 2)
        if end < 0:
            raise ValueError(f"unterminated /* comment starting at offset {i}")
        return end + 2
    if ch in ("'", '"', "`"):
        j = i + 1
        while j < len(sql):
            if sql[j] == "\\" and ch != "`":
                j += 2
                continue
            if sql[j] == ch:
                # A doubled quote is an escaped quote, not the end of the token.
                if j + 1 < len(sql) and sql[j + 1] == ch:
                    j += 2
                    continue
                return j + 1
            j += 1
        line = sql.count("\n", 0, i) + 1
        raise ValueError(f"unterminated {ch} quote starting on line {line}")
    return i


def strip_comments(sql: str) -> str:
    """The text with comments removed (quoted text kept), for keyword checks."""
    out: list[str] = []
    i = 0
    while i < len(sql):
        plain = _PLAIN.match(sql, i)
        if plain:  # a stretch that cannot open a comment or a quote, copied at once
            out.append(plain.group())
            i = plain.end()
            continue
        j = _skip_comment_or_quote(sql, i)
        if j == i:
            out.append(sql[i])
            i += 1
            continue
        if sql[i] in ("'", '"', "`"):
            out.append(sql[i:j])
        else:
            out.append(" ")
        i = j
    return "".join(out)


def first_keyword(sql: str) -> str:
    match = _WORD.search(strip_comments(sql))
    return match.group(0).upper() if match else ""


def _skip_space_and_comments(sql: str, i: int) -> int:
    while True:
        i = len(sql) - len(sql[i:].lstrip())
        if i < len(sql) and (sql.startswith("--", i) or sql.startswith("/*", i)):
            i = _skip_comment_or_quote(sql, i)
            continue
        return i


def _next_word(sql: str, i: int) -> tuple[str, int]:
    """The word after offset i (skipping whitespace and comments) and the offset just past it."""
    start = _skip_space_and_comments(sql, i)
    match = _WORD.match(sql, start)
    return (match.group(0).upper(), match.end()) if match else ("", i)


def split_statements(sql: str) -> list[Statement]:
    """Split on semicolons outside quotes, comments and BEGIN ... END blocks.

    The Databricks SQL connector runs one statement per call and a procedure body is one
    statement, so splitting must respect compound statements. CASE expressions also end with a
    bare END, so they are tracked on the same stack as BEGIN.
    """
    statements: list[Statement] = []
    stack: list[str] = []
    start = 0
    i = 0
    while i < len(sql):
        j = _skip_comment_or_quote(sql, i)
        if j != i:
            i = j
            continue
        ch = sql[i]
        if ch == ";" and not stack:
            _append(statements, sql, start, i)
            start = i + 1
            i += 1
            continue
        if ch.isalpha() or ch == "_":
            match = _WORD.match(sql, i)
            assert match is not None
            word = match.group(0).upper()
            prev = sql[i - 1] if i else " "
            if prev.isalnum() or prev in "_.$":
                i = match.end()
                continue
            follower, follower_end = _next_word(sql, match.end())
            if word == "BEGIN" and follower not in ("TRANSACTION", "WORK", "") and not _ends_here(sql, match.end()):
                stack.append("BEGIN")
            elif word == "CASE":
                stack.append("CASE")
            elif word == "END" and stack:
                if follower == "CASE" or follower in _END_SUFFIXES:
                    # END CASE closes a CASE statement; END IF and friends close blocks that
                    # pushed nothing. Either way the follower word must not be read as an opener.
                    if follower == "CASE":
                        _pop_last(stack, "CASE")
                    i = follower_end
                    continue
                stack.pop()
            i = match.end()
            continue
        i += 1
    if stack:
        line = sql.count("\n", 0, start) + 1
        raise ValueError(f"BEGIN or CASE opened in the statement starting on line {line} is never closed by END")
    _append(statements, sql, start, len(sql))
    return statements


def _ends_here(sql: str, i: int) -> bool:
    """True when BEGIN is immediately followed by a semicolon (a transaction, not a block)."""
    return sql.startswith(";", _skip_space_and_comments(sql, i))


def _pop_last(stack: list[str], kind: str) -> None:
    for index in range(len(stack) - 1, -1, -1):
        if stack[index] == kind:
            del stack[index]
            return


def _append(statements: list[Statement], sql: str, start: int, end: int) -> None:
    text = sql[start:end]
    if not strip_comments(text).strip():
        return
    leading = len(text) - len(text.lstrip())
    line = sql.count("\n", 0, start + leading) + 1
    statements.append(Statement(sql=text.strip(), line=line))
