"""Java patterns on the local target: Java's answer (checked against java.util.regex), or a refusal."""

from __future__ import annotations

import duckdb
import pytest

from dialect import NotSupportedLocally, translate
from dialect.regex import UntranslatableRegex, java_to_re2
from dialect.regexfunctions import InvalidReplacement, re2_rewrite

# (Java pattern, text, what Java's find() gives: the first match, or None)
JAVA_ANSWERS = [
    ("[[:alpha:]]", "x", None),
    ("[[:alpha:]]", ":", ":"),
    ("a.b", "a\rb", None),
    ("a.b", "a\u2028b", None),
    ("(?s)a.b", "a\rb", "a\rb"),
    ("\\s", "\x0b", "\x0b"),
    ("\\v", "\x0b", "\x0b"),
    ("(?i)é", "É", None),
    ("(?i)k", "\u212a", None),
    ("(?i)[^k]", "\u212a", "\u212a"),
    ("(a(?i)b)c", "aBC", None),
    ("(a(?i)b)c", "aBc", "aBc"),
    ("\\0101", "A", "A"),
    ("\\cA", "\x01", "\x01"),
    ("[]a]", "]", "]"),
    ("[^[a]]", "a", None),
    ("[a-]", "-", "-"),
    ("\\Qa.\\E?", "ab", "a"),
    ("\\w", "é", None),
    ("\\p{Punct}", "$", "$"),
    ("^.$", "😀", "😀"),
]


@pytest.mark.parametrize(("pattern", "text", "java"), JAVA_ANSWERS)
def test_the_re2_pattern_matches_what_java_matches(pattern, text, java):
    re2 = java_to_re2(pattern).re2
    found, match = duckdb.execute("SELECT regexp_matches($1, $2), regexp_extract($1, $2, 0)", [text, re2]).fetchone()
    assert (match if found else None) == java


@pytest.mark.parametrize(
    "pattern",
    ["a(?=b)", "(?<=a)b", "(?>a)", "a*+", "(a)\\1", "\\p{L}", "\\p{IsDigit}", "\\R", "\\G", "(?x)a", "(?m)^a",
     "a{1001}", "[a-z&&[^b]]", "(?i)\\p{Lower}", "a)", "[a", "{a}", "a**", "\\k<n>"],
)  # fmt: skip
def test_java_constructs_re2_cannot_express_are_refused(pattern):
    with pytest.raises(UntranslatableRegex):
        java_to_re2(pattern)


def test_the_refusal_names_the_construct_and_the_pattern():
    with pytest.raises(NotSupportedLocally, match=r"a lookahead .* in the regular expression 'a\(\?=b\)' of rlike"):
        translate("SELECT 'ab' rlike 'a(?=b)'")


def test_patterns_that_can_match_the_empty_string_are_known():
    assert java_to_re2("a*").can_match_empty and java_to_re2("\\b").can_match_empty
    assert not java_to_re2("a+|b").can_match_empty


def test_split_around_a_word_boundary_is_refused():
    with pytest.raises(NotSupportedLocally, match="can match the empty string"):
        translate("SELECT split('ab cd', '\\\\b')")


def test_a_replacement_after_an_empty_match_is_refused_unless_empty(user):
    with pytest.raises(NotSupportedLocally, match="empty string and a replacement"):
        translate("SELECT regexp_replace('aaa', 'a*', 'x')")
    assert user.query("SELECT regexp_replace('a b', '\\\\s*', '')").rows == [("ab",)]


def test_dollar_before_a_final_line_break_is_refused_at_run_time(user):
    assert user.query("SELECT 'abc' rlike 'c$'").rows == [(True,)]
    with pytest.raises(Exception, match="not supported on the local target"):
        user.query("SELECT 'abc\\n' rlike 'c$'")


def test_a_word_boundary_on_non_ascii_text_is_refused_at_run_time(user):
    assert user.query("SELECT 'caf e' rlike 'caf\\\\b'").rows == [(True,)]
    with pytest.raises(Exception, match="not supported on the local target"):
        user.query("SELECT 'café' rlike 'caf\\\\b'")


def test_a_pattern_in_a_column_is_refused():
    with pytest.raises(NotSupportedLocally, match="not a string literal"):
        translate("SELECT s rlike p FROM VALUES ('a', 'a') AS t(s, p)")


def test_replacements_are_read_as_java_reads_them():
    assert re2_rewrite("[$1]\\$", 1) == "[\\1]$"
    assert re2_rewrite("$10", 1) == "\\10"  # group 1, then the digit 0
    assert re2_rewrite("\\\\", 0) == "\\\\"
    for bad in ("$", "$a", "\\", "$2"):
        with pytest.raises(InvalidReplacement):
            re2_rewrite(bad, 1)
