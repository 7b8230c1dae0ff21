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


def test_a_backslash_escapes_in_databricks_sql_but_not_in_the_duckdb_sql_it_becomes():
    # Databricks: 'a\'' is the text a' ; DuckDB: 'a\' is the text a\ , followed by more SQL.
    assert [t.text for t in tokenize(r"SELECT 'a\'' || x")][:4] == ["SELECT", r"'a\''", "||", "x"]
    translated = tokenize(r"SELECT concat('a', '\') AS r", backslash_escapes=False)
    assert [t.text for t in translated][:8] == ["SELECT", "concat", "(", "'a'", ",", r"'\'", ")", "AS"]
    with pytest.raises(LexError, match="unterminated string"):
        tokenize(r"SELECT concat('a', '\') AS r")
