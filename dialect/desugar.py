"""Constructs Databricks defines by others, written as those before the translation.

Spark rewrites a simple CASE into a searched CASE of `=` (CaseKeyWhen) and `nullif(a, b)` into
`CASE WHEN a = b THEN NULL ELSE a END` (NullIf): written so here, the comparisons get Databricks' rules
for `=` (a string read as the other side's type, arrays compared by element type), and nullif keeps
the type of its first argument.

sqlglot reads date_sub(d, n) as date_add(d, n * -1); Spark subtracts n, an INT, so it is written as a
subtraction of n, which keeps its type: a string read as an INT, a BIGINT rejected as Databricks rejects it.
"""

from __future__ import annotations

import sqlglot
from sqlglot import exp

from dialect.nullfolding import negated


def desugar(tree: exp.Expression) -> exp.Expression:
    # sqlglot reads INTERVAL 1 YEAR 2 MONTHS as a sum of intervals with no parentheses around it: written
    # as text again (to_timestamp_ltz below), `d - INTERVAL 1 YEAR + INTERVAL 2 MONTHS` is (d - 1 year) + 2 months.
    for interval_sum in list(tree.find_all(exp.Add)):
        parent = interval_sum.parent
        if interval_sum is not tree and _interval_sum(interval_sum) and not isinstance(parent, (exp.Paren, exp.Add)):
            interval_sum.replace(exp.Paren(this=interval_sum.copy()))
    for case in list(tree.find_all(exp.Case)):
        key = case.this
        if key is not None:
            for branch in case.args.get("ifs") or []:
                branch.set("this", exp.EQ(this=key.copy(), expression=branch.this))
            case.set("this", None)
    for nullif in list(tree.find_all(exp.Nullif)):
        first = nullif.this
        searched = exp.Case(
            ifs=[exp.If(this=exp.EQ(this=first.copy(), expression=nullif.expression), true=exp.Null())],
            default=first.copy(),
        )
        replaced = nullif.replace(searched)
        if nullif is tree:
            tree = replaced
    for call in list(tree.find_all(exp.Anonymous)):
        standing = _stands_for(call)
        if standing is not None:
            if call is tree:
                tree = standing
            call.replace(standing)
    for add in list(tree.find_all(exp.TsOrDsAdd)):
        days = add.expression
        if days is not None and negated(days):
            add.set("expression", days.this)
            add.meta["subtract"] = True
    return tree


def _interval_sum(node: exp.Expression) -> bool:
    if isinstance(node, exp.Add):
        return _interval_sum(node.this) and _interval_sum(node.expression)
    return isinstance(node, exp.Interval)


def _stands_for(call: exp.Anonymous) -> exp.Expression | None:
    """The node a function sqlglot does not know stands for: std is stddev's other name, mean avg's,
    regexp rlike's and datepart date_part's, to_timestamp_ltz to_timestamp's (and so on for LTZ);
    inline_outer is inline that keeps an empty or NULL array as one row of NULLs."""
    name = call.name.lower()
    arguments = call.expressions
    if name == "regexp" and len(arguments) == 2:
        return exp.RegexpLike(this=arguments[0], expression=arguments[1])
    if name == "datepart":
        return exp.Anonymous(this="date_part", expressions=arguments)
    # The session time zone is UTC, so a TIMESTAMP (WITH LOCAL TIME ZONE) is what these functions make.
    if name in ("to_timestamp_ltz", "make_timestamp_ltz"):
        # Parsed from text, so that each argument is read as in to_timestamp or make_timestamp.
        from dialect.translate import DatabricksSql  # the translator's reader, which imports this module

        written = ", ".join(argument.sql(dialect=DatabricksSql) for argument in arguments)
        parsed = sqlglot.parse_one(f"{name.removesuffix('_ltz')}({written})", read=DatabricksSql)
        return parsed if isinstance(parsed, exp.Expression) else None
    if name == "try_make_timestamp_ltz":
        return exp.Anonymous(this="try_make_timestamp", expressions=arguments)
    if len(arguments) != 1 or name not in ("std", "mean", "inline_outer"):
        return None
    if name == "std":
        return exp.Stddev(this=arguments[0])
    if name == "mean":
        return exp.Avg(this=arguments[0])
    inline = exp.Inline(this=call.expressions[0])
    inline.meta["outer"] = True
    return inline
