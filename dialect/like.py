"""LIKE and ILIKE patterns checked as Databricks checks them (DuckDB accepts them all).

The escape string is one character, and in the pattern it may only precede `_`, `%` or itself:
`'a' LIKE '\\a'` fails with INVALID_FORMAT.ESC_IN_THE_MIDDLE where DuckDB answers true.
"""

from __future__ import annotations

from sqlglot import exp

from dialect.common import duck, literal_string
from dialect.errors import NotSupportedLocally, RejectedByDatabricks

DEFAULT_ESCAPE = "\\"


def check_patterns(node: exp.Like | exp.ILike) -> None:
    """Rejects a literal pattern Databricks rejects; a pattern in a column is checked at run time."""
    escape = _escape_character(node)
    ilike = isinstance(node, exp.ILike)
    if ilike and escape.lower() != escape:
        raise NotSupportedLocally("ILIKE with an upper-case escape character")
    for pattern in _patterns(node.expression):
        if isinstance(pattern, exp.Null):
            continue
        text = literal_string(pattern)
        if text is None:
            pattern.replace(_checked_at_run_time(pattern, escape))
            continue
        complaint = misplaced_escape(text.lower() if ilike else text, escape)
        if complaint is not None:
            error_class, reason = complaint
            raise RejectedByDatabricks(f"INVALID_FORMAT.{error_class}", f"The format is invalid: {text!r}. {reason}.")


def misplaced_escape(pattern: str, escape: str) -> tuple[str, str] | None:
    """Databricks' error class and reason for a pattern it rejects, or None."""
    i = 0
    while i < len(pattern):
        if pattern[i] != escape:
            i += 1
        elif i + 1 == len(pattern):
            return "ESC_AT_THE_END", "It is not allowed to end with the escape character"
        elif pattern[i + 1] not in ("_", "%", escape):
            return "ESC_IN_THE_MIDDLE", f"The escape character is not allowed to precede {pattern[i + 1]!r}"
        else:
            i += 2
    return None


def _escape_character(node: exp.Like | exp.ILike) -> str:
    parent = node.parent  # children are rewritten first: the user's ESCAPE, if any, is still the parent
    if not (isinstance(parent, exp.Escape) and parent.this is node):
        return DEFAULT_ESCAPE
    text = literal_string(parent.expression)
    if text is None:
        raise NotSupportedLocally("LIKE ... ESCAPE with an escape that is not a string literal")
    if len(text) != 1:
        raise RejectedByDatabricks(
            "INVALID_ESC",
            f"Found an invalid escape string: {text!r}. The escape string must contain only one character",
        )
    return text


def _patterns(expression: exp.Expression) -> list[exp.Expression]:
    if not isinstance(expression, (exp.Any, exp.All)):
        return [expression]
    inner = expression.this
    if isinstance(inner, exp.Tuple):
        return list(inner.expressions)
    if isinstance(inner, exp.Paren):
        return [inner.this]
    raise NotSupportedLocally("LIKE ANY or ALL of a subquery")


def _checked_at_run_time(pattern: exp.Expression, escape: str) -> exp.Expression:
    escaped = f"\\x{{{ord(escape):X}}}"
    valid = f"(?s)(?:[^{escaped}]|{escaped}[{escaped}_%])*"
    message = (
        f"[INVALID_FORMAT.ESC_IN_THE_MIDDLE] The format is invalid: the escape character {escape!r} "
        "in a LIKE pattern may only precede _, % or itself"
    )
    return duck(
        "CASE WHEN NOT regexp_full_match({p}, {valid}) THEN error({message}) ELSE {p} END",
        p=pattern.copy(), valid=exp.Literal.string(valid), message=exp.Literal.string(message),
    )  # fmt: skip
