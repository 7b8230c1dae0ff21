"""Names of the select list used in the same query, resolved as Databricks resolves them.

Databricks lets a query use a select-list alias later in the same select list (a lateral column alias,
`SELECT price * 2 AS p, p + 1`), in HAVING and in ORDER BY, wherever no column of the query's sources
has that name (in HAVING, no grouped column). DuckDB does too, but refuses an alias of an expression it
counts as having side effects, which the translation of a checked sum, average or cast is: such a
reference is written out here as the expression it names. Databricks rejects a lateral alias inside a
window and a select-list alias in WHERE, where DuckDB answered; in a subquery's WHERE such a name is the
enclosing query's column, where DuckDB took the alias.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlglot import exp
from sqlglot.errors import OptimizeError
from sqlglot.optimizer.scope import Scope, traverse_scope

from dialect.common import Context
from dialect.errors import NotSupportedLocally, RejectedByDatabricks
from dialect.names import is_range, range_column


def expand_aliases(tree: exp.Expression, ctx: Context) -> None:
    if not any(isinstance(p, exp.Alias) for select in tree.find_all(exp.Select) for p in select.expressions):
        return  # no select-list alias to resolve
    try:
        scopes = list(traverse_scope(tree))
    except OptimizeError:
        return  # sources sqlglot cannot tell apart: DuckDB resolves the names alone
    for scope in scopes:
        if isinstance(scope.expression, exp.Select):
            _expand(scope.expression, scope, ctx)


def _expand(select: exp.Select, scope: Scope, ctx: Context) -> None:
    def is_alias(column: exp.Column, defined: dict[str, exp.Expression]) -> bool:
        name = column.name.lower()
        if column.table or name not in defined or name in ctx.variables:
            return False
        return not _may_be_a_column(scope, name, ctx)

    defined: dict[str, exp.Expression] = {}
    for projection in select.expressions:
        for column in _columns(projection):
            if is_alias(column, defined):
                if _in_window(column, projection):
                    raise RejectedByDatabricks(
                        "UNSUPPORTED_FEATURE.LATERAL_COLUMN_ALIAS_IN_WINDOW",
                        f"The feature is not supported: Referencing a lateral column alias `{column.name}` in a window",
                    )
                if not _in_aggregate(column, projection):
                    _write_out(column, defined)
        if isinstance(projection, exp.Alias) and not _names_itself(projection):
            defined[projection.alias.lower()] = projection.this
    where = select.args.get("where")
    for column in _columns(where) if where is not None else []:
        if is_alias(column, defined):
            _resolve_outside(column, scope, ctx)
    having = select.args.get("having")
    if having is not None:
        ungrouped = _ungrouped(select)
        for column in _columns(having):
            name = column.name.lower()
            # An alias, or a column HAVING may only read if it is grouped: Databricks takes the alias.
            named = is_alias(column, defined) or (name in defined and name not in ctx.variables and ungrouped(column))
            if named and not _in_aggregate(column, having):
                _write_out(column, defined)
    order = select.args.get("order")
    for item in order.expressions if order is not None else []:
        if isinstance(item.this, exp.Column):
            continue  # ORDER BY s: DuckDB orders by the alias itself
        for column in _columns(item.this):
            if is_alias(column, defined) and not _in_aggregate(column, item.this):
                _write_out(column, defined)


def _write_out(column: exp.Column, defined: dict[str, exp.Expression]) -> None:
    """The alias `column` names, replaced by the expression it stands for."""
    column.replace(exp.Paren(this=defined[column.name.lower()].copy()))


def _ungrouped(select: exp.Select) -> Callable[[exp.Column], bool]:
    """Whether an unqualified column is surely not grouped: no column of that name in GROUP BY, in the
    select items it names by position, or (GROUP BY ALL) in the select items without an aggregate."""
    group = select.args.get("group")
    parts: list[exp.Expression] = list(group.expressions) if group is not None else []
    if group is not None and group.args.get("all"):
        parts += [p for p in select.expressions if not any(p.find_all(exp.AggFunc))]
    for part in list(parts):
        if isinstance(part, exp.Literal) and part.is_int and 0 < int(part.name) <= len(select.expressions):
            parts.append(select.expressions[int(part.name) - 1].unalias())
    grouped = {c.name.lower() for part in parts for c in part.find_all(exp.Column)}
    if group is not None:
        grouped |= {c.name.lower() for c in group.find_all(exp.Column)}
    return lambda column: not column.table and column.name.lower() not in grouped


def _resolve_outside(column: exp.Column, scope: Scope, ctx: Context) -> None:
    """A name of WHERE that is a select-list alias and no column of the query's sources: Databricks takes
    it for a column of an enclosing query (DuckDB took the alias), or rejects it."""
    outer = _outer_source(scope, column.name.lower(), ctx)
    if outer is None:
        raise RejectedByDatabricks(
            "UNRESOLVED_COLUMN", f"A column or variable with name `{column.name}` cannot be resolved in WHERE"
        )
    if len(outer) > 1:
        raise NotSupportedLocally(
            f"`{column.name}` in WHERE, the name of a select-list alias and of a column of an enclosing query",
            "qualify the column with its table",
        )
    column.set("table", exp.to_identifier(outer[0]))


def _columns(node: exp.Expression) -> list[exp.Column]:
    """The columns of `node` itself: none of a subquery's, none a lambda binds."""
    return [c for c in node.find_all(exp.Column) if not _inside(c, (exp.Select, exp.Subquery, exp.Lambda), node)]


def _inside(node: exp.Expression, kinds: tuple[type, ...], top: exp.Expression) -> bool:
    """Whether a node of one of `kinds` lies above `node`, up to `top` and including it."""
    parent = node.parent
    while parent is not None:
        if isinstance(parent, kinds):
            return True
        if parent is top:
            return False
        parent = parent.parent
    return False


def _in_window(column: exp.Column, top: exp.Expression) -> bool:
    return _inside(column, (exp.Window,), top)


def _in_aggregate(column: exp.Column, top: exp.Expression) -> bool:
    return _inside(column, (exp.AggFunc,), top)


def _names_itself(projection: exp.Alias) -> bool:
    """`v AS v`: an alias that is the column it names."""
    return isinstance(projection.this, exp.Column) and projection.this.name.lower() == projection.alias.lower()


def _may_be_a_column(scope: Scope, name: str, ctx: Context) -> bool:
    """Whether a source the query reads has, or may have, a column called `name`."""
    return bool(_sources_defining(scope, name, ctx))


def _sources_defining(scope: Scope, name: str, ctx: Context) -> list[str]:
    """The names of the sources of `scope` that have, or may have, a column called `name`."""
    found = []
    for source_name, (_, source) in scope.selected_sources.items():
        if isinstance(source, Scope):
            names = [n.lower() for n in getattr(source.expression, "named_selects", [])]
            defines = "*" in names or name in names or not names
        elif isinstance(source, exp.Table) and is_range(source):
            defines = name == range_column(source)
        elif isinstance(source, exp.Table) and (known := ctx.columns_of(source)):
            defines = name in dict(known)
        else:
            defines = not isinstance(source, exp.Table) or ctx.has_column(name)
        if defines:
            found.append(source_name)
    return found


def _outer_source(scope: Scope, name: str, ctx: Context) -> list[str] | None:
    """The sources of the nearest enclosing query that may have a column `name` (None: no such query)."""
    outer = scope.parent
    while outer is not None:
        sources = _sources_defining(outer, name, ctx)
        if sources:
            return sources
        outer = outer.parent
    return None
