"""The names Databricks gives the columns of a result that the query leaves unnamed.

Databricks names such a column by the expression's text as it prints it: a column by its name (as
written, where DuckDB takes the table's case), a string literal by its text, a boolean as
`true` or `false`, a subscript or field by its path (`priceRanges[0].min`, `m['k']` as `m[k]`,
`e.dates['start']` as `dates.start`), `count(*)` as `count(1)`. DuckDB would name them by its own text
of the translation (`spark_array_index(priceRanges, 0)`, `'x'`, `count_star()`), so these are given
their Databricks name as an alias. Any other unnamed expression keeps DuckDB's name in a query's
result; CREATE TABLE ... AS and CREATE VIEW ... AS, which keep the names, are refused until it is named.
"""

from __future__ import annotations

from sqlglot import exp

from dialect.common import Context
from dialect.errors import NotSupportedLocally
from dialect.names import branches, names_a_source
from dialect.types import type_of

# Characters a Delta table's column name cannot hold unless the table maps its columns by name.
_NOT_IN_DELTA_NAMES = set(" ,;{}()\n\t=")


def name_outputs(tree: exp.Expression, ctx: Context) -> None:
    """Alias each unnamed column of every query in `tree` whose Databricks name is known; refuse a
    table or view made from a query with a column whose name would differ."""
    if isinstance(tree, exp.Create):
        _check_kept_names(tree, ctx)
    for select in list(tree.find_all(exp.Select)):
        for projection in list(select.expressions):
            if isinstance(projection, (exp.Alias, exp.Column)) or projection.is_star:
                # A column keeps DuckDB's name, the same but for its case; an alias of its own name would
                # hide a variable or lateral alias of that name from DuckDB's binder.
                continue
            name = databricks_name(projection, ctx)
            if name is not None:
                alias = exp.Alias(alias=exp.to_identifier(name, quoted=True))
                projection.replace(alias)
                alias.set("this", projection)  # the node itself, with the types collect_names gave it


def databricks_name(node: exp.Expression, ctx: Context) -> str | None:
    """The name Databricks gives an unnamed column computing `node`, where it is known."""
    if isinstance(node, exp.Column):
        return node.name if node.name else None
    if isinstance(node, exp.Literal) and node.is_string:
        return node.name
    if isinstance(node, exp.Boolean):
        return "true" if node.this else "false"
    if isinstance(node, exp.Null):
        return "NULL"
    if isinstance(node, exp.Count) and isinstance(node.this, exp.Star):
        return "count(1)"
    if isinstance(node, (exp.Dot, exp.Bracket)):
        return _path_text(node, ctx)
    return None


def _check_kept_names(create: exp.Create, ctx: Context) -> None:
    kind = (create.args.get("kind") or "").upper()
    queries = branches(create.expression) if create.expression is not None else []
    if kind not in ("TABLE", "VIEW") or not queries or isinstance(create.this, exp.Schema):
        return  # no query, or a view whose columns are named in its header
    for projection in queries[0].expressions:
        if isinstance(projection, exp.Alias) or projection.is_star:
            continue
        text = " ".join(projection.sql(dialect="databricks").split())
        name = databricks_name(projection, ctx)
        if name is None:
            raise NotSupportedLocally(
                f"the unnamed column {text!r} of CREATE {kind} ... AS",
                "name it with AS: Databricks names it by its own text of the expression, which the local target "
                "cannot reproduce",
            )
        if kind == "TABLE" and _NOT_IN_DELTA_NAMES & set(name):
            raise NotSupportedLocally(
                f"the unnamed column {text!r} of CREATE TABLE ... AS, which Databricks names {name!r}",
                "name it with AS: a Delta table takes a name with spaces or any of ,;{}()= only when it maps its "
                "columns by name",
            )


def _path_text(node: exp.Expression, ctx: Context) -> str | None:
    """`priceRanges[0].min`, `m[k]`, `dates.start`: a field or element as Databricks prints it."""
    if isinstance(node, exp.Column):
        parts = [part.name for part in node.parts]
        for index in range(len(parts) - 1, 0, -1):
            if names_a_source(node, parts[index - 1]):
                return ".".join(parts[index:])  # the table's name or alias is not printed
        return ".".join(parts)
    if isinstance(node, exp.Dot) and isinstance(node.expression, exp.Identifier):
        inner = _path_text(node.this, ctx)
        return f"{inner}.{node.expression.name}" if inner else None
    if not isinstance(node, exp.Bracket) or len(node.expressions) != 1:
        return None
    if node.args.get("offset") or node.args.get("safe"):
        return None  # element_at, try_element_at: printed as the function
    inner = _path_text(node.this, ctx)
    index = node.expressions[0]
    if inner is None:
        return None
    if isinstance(index, exp.Literal) and not index.is_string and index.name.isdigit():
        return f"{inner}[{int(index.name)}]"
    if isinstance(index, exp.Literal) and index.is_string:
        kind = type_of(node.this, ctx.type_of_name)
        if kind == "STRUCT":
            return f"{inner}.{index.name}"
        if kind == "MAP":
            return f"{inner}[{index.name}]"
    return None
