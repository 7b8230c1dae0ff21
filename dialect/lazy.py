"""AND, OR, BETWEEN and IN evaluated as Databricks evaluates them: left to right, stopping once the answer
is known.

Databricks does not evaluate the right side of `x AND y` where x is false, nor of `x OR y` where x is
true (BETWEEN is the AND of two comparisons), so `b <> 0 AND a / b > 1` answers false for b = 0. DuckDB
evaluates both sides of a projection's AND, and may reorder a filter's, so the division fails. A right
side that may fail is evaluated only where the left side leaves the answer open:
`x AND CASE WHEN x IS NOT DISTINCT FROM false THEN false ELSE y END`. The left side stays a conjunct of
its own, so a filter on it still reaches the scan. `v IN (a, b, ...)` stops at the first item equal to v
and evaluates none for a NULL v. `+`, `-`, `*` and the comparisons evaluate their left side first and
answer NULL for a NULL one without evaluating the right (`NULL + 1 / 0` is NULL); a division evaluates its
divisor first (the division macros of runtime.py).
"""

from __future__ import annotations

import itertools

from sqlglot import exp

from dialect.nullfolding import null_literal

# What cannot fail as DuckDB evaluates it: names, constants, comparisons and logic over them.
_CANNOT_FAIL = (exp.Column, exp.Identifier, exp.Literal, exp.Boolean, exp.Null, exp.Paren, exp.EQ, exp.NEQ,
                exp.GT, exp.GTE, exp.LT, exp.LTE, exp.NullSafeEQ, exp.NullSafeNEQ, exp.Not, exp.Is, exp.And,
                exp.Or)  # fmt: skip
# The guards repeat the side evaluated first; a side larger than this (in expression nodes) is not
# repeated, so that a chain of them (`a AND b AND c ...`, `a + b + c ...`) grows linearly, not doubling
# at each link, and is evaluated as DuckDB evaluates it.
_MAX_REPEATED = 100
# Functions whose value changes from one evaluation to the next: a left side holding one is not repeated.
_VOLATILE = {"random", "rand", "uuid", "gen_random_uuid", "shuffle", "setseed"}


def and_or(node: exp.And | exp.Or, ctx: object = None) -> exp.Expression:
    """`node` (its sides translated) with its right side evaluated only where Databricks evaluates it, and
    its left side wherever Databricks evaluates it."""
    left, right = node.this, node.expression
    decided = exp.false() if isinstance(node, exp.And) else exp.true()
    if cannot_fail(right) and _constant(right) and not cannot_fail(left) and _repeatable(left) and _a_value(node):
        # DuckDB folds `x AND false` to false without x; Databricks evaluates x first, and fails where it does.
        first = exp.If(this=exp.NullSafeEQ(this=exp.Paren(this=left.copy()), expression=decided), true=decided.copy())
        return exp.Case(ifs=[first], default=node)
    if cannot_fail(right) or not _repeatable(left):
        return node
    guarded = exp.Case(
        ifs=[exp.If(this=exp.NullSafeEQ(this=exp.Paren(this=left.copy()), expression=decided), true=decided.copy())],
        default=right,
    )
    node.set("expression", guarded)
    return node


def _constant(node: exp.Expression) -> bool:
    """Whether `node` reads no column: DuckDB folds it before the statement runs."""
    return node.find(exp.Column, exp.Identifier) is None


def _a_value(node: exp.Expression) -> bool:
    """Whether `node` is computed as a value, not a condition of WHERE, ON, HAVING or QUALIFY, where
    Databricks may evaluate the sides in any order."""
    parent = node.parent
    while isinstance(parent, (exp.And, exp.Or, exp.Not, exp.Paren)):
        parent = parent.parent
    return not isinstance(parent, (exp.Where, exp.Join, exp.Having, exp.Qualify))


def between(node: exp.Between, ctx: object = None) -> exp.Expression:
    """`v BETWEEN low AND high` as Databricks reads it, `v >= low AND v <= high`, where `high` may fail."""
    value, low, high = node.this, node.args["low"], node.args["high"]
    if cannot_fail(high) or not _repeatable(value):
        return node
    both = exp.And(this=exp.GTE(this=value, expression=low), expression=exp.LTE(this=value.copy(), expression=high))
    return exp.Paren(this=and_or(both))


def cannot_fail(node: exp.Expression) -> bool:
    return all(isinstance(part, _CANNOT_FAIL) for part in node.walk())


# Operators Databricks evaluates left side first, answering NULL for a NULL left side unevaluated right.
LEFT_FIRST = (exp.Add, exp.Sub, exp.Mul, exp.EQ, exp.NEQ, exp.GT, exp.GTE, exp.LT, exp.LTE, exp.BitwiseAnd,
              exp.BitwiseOr, exp.BitwiseXor, exp.BitwiseLeftShift, exp.BitwiseRightShift)  # fmt: skip


def left_first(left: exp.Expression, right: exp.Expression, result: exp.Expression) -> exp.Expression:
    """`result` (the DuckDB form of `left <op> right`, both sides translated) evaluating `right` only where
    `left` is not NULL, where `right` may fail."""
    if cannot_fail(right) or isinstance(left, (exp.Literal, exp.Boolean)) or not _repeatable(left):
        return result
    if null_literal(right):
        return result  # NULL unevaluated on both engines: Databricks' optimizer folds it, as DuckDB does
    if left.find(exp.Subquery, exp.Window) is not None:
        return result  # not evaluated twice
    return exp.Case(ifs=[exp.If(this=exp.Is(this=left, expression=exp.Null()), true=exp.Null())], default=result)


def _repeatable(node: exp.Expression) -> bool:
    """Whether `node` may be evaluated twice: small enough, and the same value both times."""
    if next(itertools.islice(node.walk(), _MAX_REPEATED, None), None) is not None:
        return False  # more than _MAX_REPEATED nodes
    return not volatile(node)


def volatile(node: exp.Expr) -> bool:
    return any(
        isinstance(part, (exp.Rand, exp.Uuid)) or (isinstance(part, exp.Anonymous) and part.name.lower() in _VOLATILE)
        for part in node.walk()
    )


def in_list(node: exp.In, ctx: object = None) -> exp.Expression:
    """`v IN (a, b, ...)` whose later items may fail: each item compared in turn, the first equal one
    answering true, and the list as a whole (every item evaluated, as Databricks has by then) where none is."""
    items = node.expressions
    if node.args.get("query") is not None or len(items) < 2 or all(cannot_fail(i) for i in items[1:]):
        return node
    value = node.this
    if not _repeatable(value):
        return node
    tests = [exp.If(this=exp.Is(this=value.copy(), expression=exp.Null()), true=exp.Null())]
    tests += [exp.If(this=exp.EQ(this=value.copy(), expression=item.copy()), true=exp.true()) for item in items[:-1]]
    return exp.Paren(this=exp.Case(ifs=tests, default=node))
