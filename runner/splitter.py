"""Split a rendered SQL file into statements, keeping compound BEGIN ... END blocks whole."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

# Words after END that close a block opened without BEGIN (IF ... END IF and friends).
_END_SUFFIXES = {"IF", "WHILE", "LOOP", "REPEAT", "FOR"}
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_SPACE = re.compile(r"\s*")
# Where the splitter has something to look at: a comment, a quote, a semicolon or a whole word that
# opens or closes a block (other words never matter, so the search skips them).
_NEXT = re.compile(r"--|/\*|[;'\"`]|(?<![\w.$])(?:BEGIN|CASE|END)(?!\w)", re.I | re.A)


@dataclass(frozen=True)
class Statement:
    """One statement of a file: its text without the trailing semicolon, and the line it starts on;
    `params`, the values of its `?` markers (statements the runner renders from sql/runner/)."""

    sql: str
    line: int
    params: tuple[object, ...] = ()

    @property
    def first_keyword(self) -> str:
        return first_keyword(self.sql)


# Where a comment or quoted token may start; and a whole quoted token (possessive: no backtracking,
# so a doubled quote at the end of the text is read as an escape, as a scan from left to right does).
_SPECIAL = re.compile(r"--|/\*|['\"`]")
_QUOTED = {
    "'": re.compile(r"'(?:[^'\\]|\\.|'')*+'", re.S),
    '"': re.compile(r'"(?:[^"\\]|\\.|"")*+"', re.S),
    "`": re.compile(r"`(?:[^`]|``)*+`", re.S),
}


def _skip_comment_or_quote(sql: str, i: int) -> int:
    """Return the index just past a comment or quoted token starting at i, or i if there is none."""
    ch = sql[i]
    if ch == "-" and sql.startswith("--", i):
        end = sql.find("\n", i)
        return len(sql) if end < 0 else end
    if ch == "/" and sql.startswith("/*", i):
        end = sql.find("*/", i + 2)
        if end < 0:
            raise ValueError(f"unterminated /* comment starting at offset {i}")
        return end + 2
    if ch in _QUOTED:
        match = _QUOTED[ch].match(sql, i)
        if match is None:
            line = sql.count("\n", 0, i) + 1
            raise ValueError(f"unterminated {ch} quote starting on line {line}")
        return match.end()
    return i


@functools.lru_cache(maxsize=1024)  # a statement is checked several times on its way to the engine
def strip_comments(sql: str) -> str:
    """The text with comments removed (quoted text kept), for keyword checks."""
    out: list[str] = []
    i = 0
    while True:
        special = _SPECIAL.search(sql, i)
        if special is None:
            out.append(sql[i:])
            return "".join(out)
        start = special.start()
        out.append(sql[i:start])
        end = _skip_comment_or_quote(sql, start)
        out.append(sql[start:end] if sql[start] in _QUOTED else " ")
        i = end


def first_keyword(sql: str) -> str:
    match = _WORD.search(strip_comments(sql))
    return match.group(0).upper() if match else ""


def _skip_space_and_comments(sql: str, i: int) -> int:
    while True:
        i = _SPACE.match(sql, i).end()  # type: ignore[union-attr]  # \s* always matches
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
    while True:
        found = _NEXT.search(sql, i)
        if found is None:
            break
        i = found.start()
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
        if ch.isalpha():
            word = found.group(0).upper()
            follower, follower_end = _next_word(sql, found.end())
            if word == "BEGIN" and follower not in ("TRANSACTION", "WORK", "") and not _ends_here(sql, found.end()):
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
            i = found.end()
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
