"""The run-time checks of NULL-typed values, kept where DuckDB would fold them away.

DuckDB binds a function or operator that is given a value of its NULL type to a NULL constant,
without evaluating that value. A NULL-typed value (`element_at(array(), 5)`, `array(NULL)[i]`,
`if(1/0 > 0, NULL, NULL)`) is NULL whenever it is not an error, so all that folding loses is its
error: `element_at(array(), 5) | 1` would answer NULL where Databricks fails with
INVALID_ARRAY_INDEX_IN_ELEMENT_AT. Such a function is guarded,
`CASE WHEN v IS NOT DISTINCT FROM NULL THEN f(v) END`, which evaluates `v` wherever `f(v)` is
evaluated and otherwise answers what `f(v)` answers.
"""

from __future__ import annotations

from sqlglot import exp

from dialect.common import Context, cast_to
from dialect.typecheck import null_typed
from dialect.types import is_numeric

# Constructs that may leave an argument unevaluated (a branch, a short circuit, a later row), or
# that DuckDB evaluates as Databricks does; a guard around them could raise where Databricks does not.
# A struct's field (`a := v`) is no function: its value is kept, and a guard there is no DuckDB.
_NOT_GUARDED = (exp.If, exp.Case, exp.Coalesce, exp.Nvl2, exp.And, exp.Or, exp.Paren, exp.Is, exp.In,
                exp.Between, exp.AggFunc, exp.Window, exp.Lambda, exp.Subquery, exp.Exists,
                exp.PropertyEQ)  # fmt: skip
# The result types a guard can be cast to without changing a value, so that a folded result is not of
# DuckDB's NULL type in turn (which would let the next function fold the guard away).
_PLAIN = ("VARCHAR", "BOOLEAN", "DATE")


def unchecked_arguments(node: exp.Expression, ctx: Context | None = None) -> list[tuple[str, int | None]]:
    """The argument slots of `node` holding a NULL-typed value that may fail, where DuckDB would fold
    `node` to NULL without evaluating it."""
    if not isinstance(node, (exp.Func, exp.Binary, exp.Unary, exp.Bracket)) or isinstance(node, _NOT_GUARDED):
        return []
    slots = list(_arguments(node))
    if any(null_literal(value) for _, _, value in slots):
        # Databricks answers NULL for a NULL literal argument without evaluating the others.
        return []
    return [(key, index) for key, index, value in slots if null_typed(value, ctx)]


def keep_checks(result: exp.Expression, values: list[exp.Expression], kind: str | None) -> exp.Expression:
    """`result` evaluated only after each of `values` (DuckDB forms of NULL-typed arguments) is: an error
    in one of them is raised, and otherwise they are NULL and `result` is what it was."""
    # `v IS NOT DISTINCT FROM NULL`, not `v IS NULL`: DuckDB folds the latter to TRUE for some NULL-typed v
    # (a CASE whose every branch is NULL) without evaluating v.
    evaluated: exp.Expression = exp.NullSafeEQ(this=values[0], expression=exp.Null())
    for value in values[1:]:
        evaluated = exp.And(this=evaluated, expression=exp.NullSafeEQ(this=value, expression=exp.Null()))
    if kind is not None and (is_numeric(kind) or kind in _PLAIN):
        result = cast_to(result, kind)
    return exp.Case(ifs=[exp.If(this=evaluated, true=result)])


def _arguments(node: exp.Expression):
    for key, value in node.args.items():
        if isinstance(value, exp.Expression):
            yield key, None, value
        elif isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, exp.Expression):
                    yield key, index, item


def null_literal(node: exp.Expression) -> bool:
    while isinstance(node, (exp.Paren, exp.Cast)):
        node = node.this
    return isinstance(node, exp.Null)


def drop_null_typed_day_arithmetic(tree: exp.Expression) -> None:
    """Databricks replaces a NULL-typed date or day count of date_add and date_sub with a NULL, without
    evaluating it: `date_add(current_date(), element_at(array(), 2))` is NULL, not an error."""
    for node in list(tree.find_all(exp.TsOrDsAdd)):
        for key in ("this", "expression"):
            value = node.args.get(key)
            if value is None:
                continue
            if negated(value):
                value = value.this  # date_sub(d, days) is read as date_add(d, days * -1)
            if null_typed(value) and not null_literal(value):
                node.set(key, exp.Null())


def negated(node: exp.Expression) -> bool:
    """`n * -1`: how sqlglot reads the days of date_sub(d, n)."""
    factor = node.args.get("expression")
    return (
        isinstance(node, exp.Mul)
        and isinstance(factor, exp.Neg)
        and isinstance(factor.this, exp.Literal)
        and factor.this.name == "1"
    )
