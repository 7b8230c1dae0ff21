"""The texts Databricks reads as a date or timestamp in a constant: epoch, now, today, yesterday, tomorrow.

A CAST of a text to DATE, TIMESTAMP or TIMESTAMP_NTZ (written, or implicit where a function or a comparison
wants a date) reads them when the text is the same in every row: a literal, a function of literals, a
parameter or a variable. Case and the white space around them do not matter: `CAST(' Epoch ' AS DATE)` is
1970-01-01, `date_add('today', 1)` is tomorrow. The text of a column is read as any other, and fails.
A word with a time zone after it (`today America/New_York`) is refused.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlglot import exp

from dialect.common import Context, call, duck, typed
from dialect.errors import NotSupportedLocally
from dialect.lazy import volatile

_WORDS = ("epoch", "now", "today", "yesterday", "tomorrow")
# What Java's String.trim removes: every character up to the space.
_JAVA_WHITE_SPACE = "".join(chr(code) for code in range(33))


def is_constant(value: exp.Expression, ctx: Context) -> bool:
    """Whether a value is the same in every row: no column (a script variable, or a lambda's parameter
    bound inside it, aside), query or aggregate."""
    if volatile(value):
        return False
    bound = {p.name.lower() for lam in value.find_all(exp.Lambda) for p in lam.expressions}
    for node in value.walk():
        if isinstance(node, exp.Column) and not (not node.table and node.name.lower() in ctx.variables | bound):
            return False
        if isinstance(node, exp.Identifier) and _reads_a_name(node) and node.name.lower() not in bound:
            return False  # a lambda's parameter from outside the value: one per element
        if isinstance(node, (exp.Select, exp.Subquery, exp.AggFunc, exp.Window)):
            return False
    return True


def _reads_a_name(identifier: exp.Identifier) -> bool:
    """Whether an identifier stands for a value (a lambda's parameter), not a name given or a column's part."""
    parent = identifier.parent
    if isinstance(parent, (exp.Column, exp.Alias, exp.TableAlias)):
        return False
    return not (isinstance(parent, (exp.PropertyEQ, exp.Lambda)) and identifier.arg_key in ("this", "expressions"))


def read_special(
    value: exp.Expression, target: str, ntz: bool, cast_text: Callable[[exp.Expression], exp.Expression]
) -> exp.Expression:
    """A constant text `value` cast to `target` (DATE or TIMESTAMP; `ntz` for a TIMESTAMP_NTZ): its special
    value where it names one, else what `cast_text` makes of a text (the cast of any other text)."""
    if isinstance(value, exp.Literal) and value.is_string:
        word, _, zone = value.this.strip(_JAVA_WHITE_SPACE).partition(" ")
        word = word.lower()
        if word not in _WORDS or (zone and word == "now"):  # `now` takes no zone: an invalid text
            return cast_text(value)
        if zone:
            raise NotSupportedLocally(f"the text '{value.this}' read as a {target} (a special value with a time zone)",
                                      "leave the zone out")  # fmt: skip
        return _read(_special(word, target, ntz), lambda: cast_text(value))
    # A text computed from constants, read as the statement runs; named once (a lambda over a one-element
    # list), so that casts of casts do not repeat it.
    name = "__special_text"
    text = typed(exp.column(name), "VARCHAR")
    word = duck("lower(regexp_replace({v}, '^[\\x00-\\x20]+|[\\x00-\\x20]+$', '', 'g'))", v=text)
    ifs = [exp.If(this=exp.EQ(this=word.copy(), expression=exp.Literal.string(w)), true=_special(w, target, ntz))
           for w in _WORDS]  # fmt: skip
    zoned = duck("regexp_full_match({w}, '(epoch|today|yesterday|tomorrow) .*')", w=word)
    refusal = duck(
        "error('[UNSUPPORTED] a special date or timestamp text with a time zone (' || {v} || ') is not supported "
        "on the local target; leave the zone out')",
        v=text,
    )
    zoned_refused = exp.If(this=zoned, true=exp.Cast(this=refusal, to=exp.DataType.build(target)))
    body = exp.Case(ifs=[*ifs, zoned_refused], default=cast_text(text.copy()))
    each = exp.Lambda(this=body, expressions=[exp.to_identifier(name)])
    read = call("list_extract", call("list_transform", exp.Array(expressions=[value]), each), exp.Literal.number(1))
    return _read(read, lambda: cast_text(value.copy()))


def read_plainly(value: exp.Expression) -> exp.Expression:
    """`value` (a constant text) with the special values read inside it undone: Databricks evaluates the text
    of the outermost cast as any text, so a cast inside it fails on `epoch` (`CAST(CAST(CAST('epoch' AS DATE)
    AS STRING) AS DATE)`)."""
    for node in list(value.find_all(exp.Expression)):
        if _PLAIN in node.meta and node is not value:
            node.replace(node.meta[_PLAIN]())
    return value


# Marks a special value read, with how to cast its text as any text (made only where a cast encloses it).
_PLAIN = "special_plain"


def _read(special: exp.Expression, plain: Callable[[], exp.Expression]) -> exp.Expression:
    special.meta[_PLAIN] = plain
    return special


_DATES = {"epoch": "DATE '1970-01-01'", "now": "CURRENT_DATE", "today": "CURRENT_DATE",
          "yesterday": "CAST(CURRENT_DATE - 1 AS DATE)", "tomorrow": "CAST(CURRENT_DATE + 1 AS DATE)"}  # fmt: skip
_TIMESTAMPS = {"now": "CAST(CURRENT_TIMESTAMP AS TIMESTAMP)", "today": "CAST(CURRENT_DATE AS TIMESTAMP)",
               "yesterday": "CAST(CURRENT_DATE - 1 AS TIMESTAMP)",
               "tomorrow": "CAST(CURRENT_DATE + 1 AS TIMESTAMP)"}  # fmt: skip


def _special(word: str, target: str, ntz: bool) -> exp.Expression:
    if target == "DATE":
        return duck(_DATES[word])
    if word == "epoch":
        # A TIMESTAMP's epoch is the instant, read on the session's clock; a TIMESTAMP_NTZ's the wall clock.
        return duck("TIMESTAMP '1970-01-01 00:00:00'" if ntz else "CAST(to_timestamp(0) AS TIMESTAMP)")
    return duck(_TIMESTAMPS[word])
