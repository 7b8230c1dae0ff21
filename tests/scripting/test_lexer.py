"""A text read again gives the same tokens, whatever an earlier caller did with its list."""

from __future__ import annotations

import pytest

from scripting.lexer import EOF, LexError, tokenize

SQL = "SELECT 'a;b' AS `x;y` -- c;\nFROM t; /* d; */ END"


def test_a_caller_that_changes_its_tokens_does_not_change_the_next_callers():
    first = tokenize(SQL)
    expected = [(t.kind, t.text, t.start, t.line) for t in first]
    first.clear()
    again = tokenize(SQL)
    assert [(t.kind, t.text, t.start, t.line) for t in again] == expected
    assert [t.text for t in again] == ["SELECT", "'a;b'", "AS", "`x;y`", "FROM", "t", ";", "END", ""]
    assert again[-1].kind == EOF and again[4].line == 2


def test_a_text_that_cannot_be_read_fails_every_time():
    for _ in range(2):  # a failure is not kept as if it were tokens
        with pytest.raises(LexError, match="unterminated string"):
            tokenize("SELECT 'open")
