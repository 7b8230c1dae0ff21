"""LIKE patterns Databricks rejects are rejected locally too (DuckDB would answer them)."""

from __future__ import annotations

import pytest

from dialect import translate
from dialect.errors import RejectedByDatabricks
from dialect.like import misplaced_escape


@pytest.mark.parametrize(
    ("sql", "error_class"),
    [
        ("SELECT 'a' LIKE '\\\\a'", "INVALID_FORMAT.ESC_IN_THE_MIDDLE"),
        ("SELECT 'ab' LIKE '#ab' ESCAPE '#'", "INVALID_FORMAT.ESC_IN_THE_MIDDLE"),
        ("SELECT 'A' ILIKE '\\\\a'", "INVALID_FORMAT.ESC_IN_THE_MIDDLE"),
        ("SELECT 'a' LIKE 'a\\\\'", "INVALID_FORMAT.ESC_AT_THE_END"),
        ("SELECT 'a' LIKE 'a' ESCAPE ''", "INVALID_ESC"),
    ],
)
def test_a_misplaced_escape_is_rejected_with_databricks_error_class(sql, error_class):
    with pytest.raises(RejectedByDatabricks, match=rf"^\[{error_class}\]"):
        translate(sql)


def test_an_escape_may_precede_an_underscore_a_percent_or_itself():
    assert misplaced_escape("a#_#%##", "#") is None
    assert misplaced_escape("a\\b", "#") is None
