"""The columns a `*` (or `t.*`) stands for inside an expression, such as `struct(*)`, where DuckDB has no
star of its own: those of the query's sources, left to right, as they were written."""

from __future__ import annotations

from sqlglot import exp

from dialect.common import Context
from dialect.names import values_columns


def star_columns(select: exp.Select, qualifier: str, ctx: Context) -> list[exp.Column] | None:
    """The columns of every source of `select` (or of the one named `qualifier`), qualified by the
    source's name; None where a source's columns are unknown here or a LATERAL VIEW adds columns."""
    from_ = select.args.get("from_") or select.args.get("from")
    if select.args.get("laterals") or from_ is None:
        return None
    sources = [from_.this, *(join.this for join in select.args.get("joins") or [])]
    if qualifier:
        sources = [s for s in sources if s.alias_or_name.lower() == qualifier.lower()]
    columns: list[exp.Column] = []
    for source in sources:
        names = _source_names(source, select, ctx)
        if names is None:
            return None
        table = exp.to_identifier(source.alias_or_name) if source.alias_or_name else None
        columns += [exp.Column(this=exp.to_identifier(name), table=table) for name in names]
    return columns or None


def _source_names(source: exp.Expression, select: exp.Select, ctx: Context) -> list[str] | None:
    alias = source.args.get("alias")
    if isinstance(alias, exp.TableAlias) and alias.columns:
        return [column.name for column in alias.columns]
    if isinstance(source, exp.Values):
        return values_columns(source)
    if isinstance(source, exp.Subquery):
        return _output_names(source.this, ctx)
    if isinstance(source, exp.Table):
        cte = _cte(source, select)
        if cte is not None:
            return _output_names(cte.this, ctx)
        found = ctx.table_columns(source.db or None, source.name)
        return [name for name, _ in found] if found else None
    return None


def _cte(table: exp.Table, select: exp.Select) -> exp.CTE | None:
    """The CTE a table name refers to, from the innermost WITH around the query outwards."""
    if table.db:
        return None
    scope: exp.Expr | None = select
    inside: list[exp.Expr] = []  # a CTE the query is part of names itself (WITH RECURSIVE) or an earlier one
    while scope is not None:
        with_ = (scope.args.get("with_") or scope.args.get("with")) if isinstance(scope, exp.Query) else None
        for cte in with_.expressions if with_ else []:
            if cte.alias_or_name.lower() == table.name.lower() and not any(cte is c for c in inside):
                return cte
        inside.append(scope)
        scope = scope.parent
    return None


def _output_names(query: exp.Expression, ctx: Context) -> list[str] | None:
    """The names of a query's columns (a star's own columns in its place), or None where one is unknown."""
    first = query
    while isinstance(first, exp.SetOperation):
        first = first.this
    if not isinstance(first, exp.Select):
        return None
    names: list[str] = []
    for projection in first.expressions:
        if projection.is_star:
            qualifier = projection.table if isinstance(projection, exp.Column) else ""
            columns = star_columns(first, qualifier, ctx)
            if columns is None:
                return None
            names += [column.name for column in columns]
        elif projection.alias_or_name:
            names.append(projection.alias_or_name)
        else:
            return None
    return names
