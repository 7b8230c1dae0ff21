"""The texts Databricks reads as a date or timestamp in a constant: epoch, now, today, yesterday, tomorrow.

A CAST of a text to DATE, TIMESTAMP or TIMESTAMP_NTZ (written, or implicit where a function or a comparison
wants a date) reads them when the text is the same in every row: a literal, a function of literals, a
parameter or a variable. Case and the white space around them do not matter: `CAST(' Epoch ' AS DATE)` is
1970-01-01, `date_add('today', 1)` is tomorrow. The text of a column is read as any other, and fails.
A word with a time zone after it (`today America/New_York`) is refused.
"""

from __future__ import annotations

from sqlglot import exp

from dialect.common import Context, duck
from dialect.errors import NotSupportedLocally
from dialect.lazy import volatile

_WORDS = ("epoch", "now", "today", "yesterday", "tomorrow")
# What Java's String.trim removes: every character up to the space.
_JAVA_WHITE_SPACE = "".join(chr(code) for code in range(33))


def is_constant(value: exp.Expression, ctx: Context) -> bool:
    """Whether a value is the same in every row: no column (a script variable aside), query or aggregate."""
    if volatile(value):
        return False
    for node in value.walk():
        if isinstance(node, exp.Column) and not (not node.table and node.name.lower() in ctx.variables):
            return False
        if isinstance(node, (exp.Select, exp.Subquery, exp.AggFunc, exp.Window, exp.Lambda)):
            return False
    return True


def read_special(value: exp.Expression, target: str, ntz: bool, otherwise: exp.Expression) -> exp.Expression:
    """A constant text `value` cast to `target` (DATE or TIMESTAMP; `ntz` for a TIMESTAMP_NTZ): its special
    value where it names one, else `otherwise` (the cast of any other text)."""
    if isinstance(value, exp.Literal) and value.is_string:
        word, _, zone = value.this.strip(_JAVA_WHITE_SPACE).partition(" ")
        word = word.lower()
        if word not in _WORDS or (zone and word == "now"):  # `now` takes no zone: an invalid text
            return otherwise
        if zone:
            raise NotSupportedLocally(f"the text '{value.this}' read as a {target} (a special value with a time zone)",
                                      "leave the zone out")  # fmt: skip
        return _special(word, target, ntz)
    # A text computed from constants: read as the statement runs.
    trimmed = duck("lower(regexp_replace({v}, '^[\\x00-\\x20]+|[\\x00-\\x20]+$', '', 'g'))", v=value)
    ifs = [exp.If(this=exp.EQ(this=trimmed.copy(), expression=exp.Literal.string(word)),
                  true=_special(word, target, ntz)) for word in _WORDS]  # fmt: skip
    zoned = duck("regexp_full_match({t}, '(epoch|today|yesterday|tomorrow) .*')", t=trimmed)
    refusal = duck(
        "error('[UNSUPPORTED] a special date or timestamp text with a time zone (' || {v} || ') is not supported "
        "on the local target; leave the zone out')",
        v=value,
    )
    return exp.Case(ifs=[*ifs, exp.If(this=zoned, true=exp.Cast(this=refusal, to=exp.DataType.build(target)))],
                    default=otherwise)  # fmt: skip


def _special(word: str, target: str, ntz: bool) -> exp.Expression:
    if target == "DATE":
        return duck({"epoch": "DATE '1970-01-01'", "now": "CURRENT_DATE", "today": "CURRENT_DATE",
                     "yesterday": "CAST(CURRENT_DATE - 1 AS DATE)", "tomorrow": "CAST(CURRENT_DATE + 1 AS DATE)"}[word])  # fmt: skip
    # A TIMESTAMP's epoch is the instant, read on the session's clock; a TIMESTAMP_NTZ's the wall clock.
    epoch = "TIMESTAMP '1970-01-01 00:00:00'" if ntz else "CAST(to_timestamp(0) AS TIMESTAMP)"
    return duck({"epoch": epoch, "now": "CAST(CURRENT_TIMESTAMP AS TIMESTAMP)",
                 "today": "CAST(CURRENT_DATE AS TIMESTAMP)", "yesterday": "CAST(CURRENT_DATE - 1 AS TIMESTAMP)",
                 "tomorrow": "CAST(CURRENT_DATE + 1 AS TIMESTAMP)"}[word])  # fmt: skip
