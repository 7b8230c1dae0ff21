"""PIVOT as Databricks runs it, written as the grouped query it stands for, before the translation.

`FROM (SELECT y, q, s FROM t) PIVOT (sum(s) AS total FOR q IN (1 AS q1, 2 AS q2))` groups by the
source's other columns (here y) and gives one column per value and aggregate, each aggregating the
rows whose pivot column is that value (`<=>`, so NULL matches NULL). Where no row has the value,
Databricks answers NULL, a count included. The grouped query is Databricks SQL too, so it is then
translated as any other; only what Spark was seen to answer alike is written so (tests/fidelity).
"""

from __future__ import annotations

from sqlglot import exp

from dialect.errors import NotSupportedLocally

# Aggregates whose pivoted answer is the aggregate over the matching rows, NULL where none match.
_AGGREGATES = (exp.Count, exp.Sum, exp.Avg, exp.Min, exp.Max)
_SOURCE_NAME = "__pivot_source"
_UNPIVOTED = "__unpivoted"


def desugar_pivots(tree: exp.Expression) -> exp.Expression:
    """`tree` with each PIVOT replaced by its grouped query; what is not read alike is refused."""
    for node in list(tree.find_all(exp.Table, exp.Subquery, exp.Values)):
        pivots = node.args.get("pivots")
        if not pivots:
            continue
        if len(pivots) != 1:
            raise NotSupportedLocally("several PIVOT or UNPIVOT clauses on one source")
        source = _source(node)
        written = _unpivoted(source, pivots[0]) if pivots[0].args.get("unpivot") else _grouped(source, pivots[0])
        node.replace(exp.Subquery(this=written, alias=pivots[0].args.get("alias")))
    return tree


def _source(node: exp.Expression) -> exp.Select:
    """The rows a PIVOT reads, as a SELECT that names its columns."""
    if isinstance(node, exp.Subquery) and isinstance(node.this, exp.Select):
        return node.this
    alias = node.args.get("alias")
    if isinstance(node, exp.Values) and isinstance(alias, exp.TableAlias) and alias.columns:
        values = node.copy()
        values.set("pivots", None)
        return exp.select(*[exp.column(c.name) for c in alias.columns]).from_(values)
    raise NotSupportedLocally(
        "PIVOT or UNPIVOT over a table", "use a subquery that names its columns: (SELECT a, b FROM t)"
    )


def _source_names(source: exp.Select) -> list[str]:
    names = [e.alias_or_name for e in source.expressions]
    if any(isinstance(e, exp.Star) or (isinstance(e, exp.Column) and e.is_star) for e in source.expressions):
        raise NotSupportedLocally("PIVOT or UNPIVOT over SELECT *", "name the source's columns")
    if any(not n for n in names):
        raise NotSupportedLocally("PIVOT or UNPIVOT over a source column without a name", "name it with AS")
    return names


def _unpivoted(source: exp.Select, unpivot: exp.Pivot) -> exp.Select:
    """`UNPIVOT [INCLUDE NULLS] (v FOR k IN (a [AS x], b))`: per source row, a row for each listed column,
    its name (as written, or its alias) in k and its value in v, after the source's other columns; rows
    whose value is NULL left out unless INCLUDE NULLS. Written as a LATERAL VIEW over an array of
    (name, value) structs; the array's translation rejects values with no common type (dialect.arrays)."""
    names = _source_names(source)
    fields = unpivot.args.get("fields") or []
    values = unpivot.expressions
    if len(values) != 1 or len(fields) != 1 or not isinstance(fields[0], exp.In):
        raise NotSupportedLocally("UNPIVOT into several value columns", "UNPIVOT one value column at a time")
    listed = [(e.this, e.alias) if isinstance(e, exp.PivotAlias) else (e, e.name) for e in fields[0].expressions]
    if isinstance(values[0], exp.Tuple) or any(isinstance(column, exp.Tuple) for column, _ in listed):
        raise NotSupportedLocally("UNPIVOT into several value columns", "UNPIVOT one value column at a time")
    if not all(isinstance(column, exp.Column) and not column.table for column, _ in listed):
        raise NotSupportedLocally("UNPIVOT of an expression", "UNPIVOT the source's columns")
    used = {column.name.lower() for column, _ in listed}
    kept = [exp.column(n) for n in names if n.lower() not in used]
    rows = exp.Array(
        expressions=[
            exp.Struct(
                expressions=[
                    exp.PropertyEQ(this=exp.to_identifier("name"), expression=exp.Literal.string(label)),
                    exp.PropertyEQ(this=exp.to_identifier("value"), expression=column.copy()),
                ]
            )
            for column, label in listed
        ]
    )
    rows.meta["unpivoted"] = True
    entry = exp.to_identifier(_UNPIVOTED)
    view = exp.Lateral(
        this=exp.Explode(this=rows),
        view=True,
        alias=exp.TableAlias(this=exp.to_identifier(f"{_UNPIVOTED}_rows"), columns=[entry]),
    )

    def field(name: str) -> exp.Expression:
        return exp.Dot(this=exp.column(_UNPIVOTED), expression=exp.to_identifier(name))

    query = exp.select(
        *kept, exp.alias_(field("name"), fields[0].this.name), exp.alias_(field("value"), values[0].name)
    ).from_(exp.Subquery(this=source, alias=exp.TableAlias(this=exp.to_identifier(_SOURCE_NAME))))
    query.set("laterals", [view])
    if not unpivot.args.get("include_nulls"):
        query = query.where(exp.Not(this=exp.Is(this=field("value"), expression=exp.Null())))
    return query


def _grouped(source: exp.Select, pivot: exp.Pivot) -> exp.Select:
    names = _source_names(source)
    fields = pivot.args.get("fields") or []
    if len(fields) != 1 or not isinstance(fields[0], exp.In) or not isinstance(fields[0].this, exp.Column):
        raise NotSupportedLocally("PIVOT over several columns or an expression", "pivot one column")
    column = fields[0].this.name
    values = [v.this if isinstance(v, exp.PivotAlias) else v for v in fields[0].expressions]
    for given, value in zip(fields[0].expressions, values, strict=True):
        typed_literal = isinstance(value, exp.Cast) and isinstance(value.this, exp.Literal)
        if typed_literal and not isinstance(given, exp.PivotAlias):
            raise NotSupportedLocally("PIVOT over a DATE or TIMESTAMP value without a name", "name it with AS")
        if not (typed_literal or isinstance(value, (exp.Literal, exp.Null, exp.Boolean))):
            raise NotSupportedLocally("PIVOT over values that are not literals")
    aggregates = pivot.expressions
    if len(aggregates) > 1 and not all(isinstance(a, exp.Alias) for a in aggregates):
        raise NotSupportedLocally("PIVOT with several aggregates not all named", "name each with AS")
    for aggregate in aggregates:
        inner = aggregate.unalias()
        if not isinstance(inner, _AGGREGATES):
            raise NotSupportedLocally(f"PIVOT of {inner.sql(dialect='databricks')}", "use count, sum, avg, min or max")
    output = pivot.args.get("columns") or []
    if len(output) != len(values) * len(aggregates):
        raise NotSupportedLocally("PIVOT whose column names the local target cannot tell")
    used = {c.name.lower() for a in aggregates for c in a.find_all(exp.Column)} | {column.lower()}
    grouped = [exp.column(n) for n in names if n.lower() not in used]
    items: list[exp.Expression] = list(grouped)
    names_left = iter(output)
    for value in values:
        for aggregate in aggregates:
            matches = exp.NullSafeEQ(this=exp.column(column), expression=value.copy())
            pivoted = _over_matching(aggregate.unalias().copy(), matches)
            items.append(exp.Alias(this=pivoted, alias=next(names_left).copy()))
    query = exp.select(*items).from_(
        exp.Subquery(this=source, alias=exp.TableAlias(this=exp.to_identifier(_SOURCE_NAME)))
    )
    return query.group_by(*[g.copy() for g in grouped]) if grouped else query


def _over_matching(aggregate: exp.Expression, matches: exp.Expression) -> exp.Expression:
    """The aggregate over the rows where `matches`; NULL where there are none (a count too)."""
    filtered = exp.Filter(this=aggregate, expression=exp.Where(this=matches))
    if not isinstance(aggregate, exp.Count):
        return filtered
    any_row = exp.Filter(this=exp.Count(this=exp.Star()), expression=exp.Where(this=matches.copy()))
    return exp.Case(ifs=[exp.If(this=exp.GT(this=any_row, expression=exp.Literal.number(0)), true=filtered)])
