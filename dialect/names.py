"""The Databricks types of the columns a statement's own VALUES, subqueries and CTEs define.

A column that resolves, as Databricks resolves names, to exactly one column of a subquery, CTE or
VALUES of the statement is given that column's type (in the column's node.meta). Any other name is
typed by name over the whole statement: where two definitions (or a table of the lakehouse) give it
different types, its type is unknown, so that what depends on it is refused rather than guessed.
"""

from __future__ import annotations

from sqlglot import exp
from sqlglot.errors import OptimizeError
from sqlglot.optimizer.scope import Scope, traverse_scope

from dialect.common import Context
from dialect.fields import struct_paths
from dialect.shapes import Shape, common_shape, duckdb_type_shape, part_shape, shape_of
from dialect.types import (
    ColumnType,
    column_kind,
    common_type,
    element_type,
    from_json_type,
    is_decimal,
    is_numeric,
    type_of,
)


def collect_names(tree: exp.Expression, ctx: Context) -> None:
    """Type the derived columns of `tree`: scoped where a name resolves to one, by name otherwise."""
    _names_by_text(tree, ctx)
    _scoped_columns(tree, ctx)
    _typed_parts(tree, ctx)
    _typed_lambda_elements(tree, ctx)


def branches(query: exp.Expr | None) -> list[exp.Select]:
    """The queries of a UNION, INTERSECT or EXCEPT in order (a plain query is its own one), else none."""
    if isinstance(query, exp.Select):
        return [query]
    if isinstance(query, exp.SetOperation):
        left, right = branches(query.this), branches(query.expression)
        return left + right if left and right else []
    if isinstance(query, exp.Subquery):
        return branches(query.this)
    return []


def names_a_source(node: exp.Expression, name: str) -> bool:
    """Whether a table or subquery that a query around `node` reads is called (or aliased) `name`."""
    select = node.find_ancestor(exp.Select)
    while select is not None:
        if any(source.alias_or_name.lower() == name.lower() for source in query_sources(select)):
            return True
        select = select.find_ancestor(exp.Select)
    return False


def query_sources(select: exp.Select) -> list[exp.Expression]:
    """The tables, subqueries and VALUES a query reads (FROM and joins)."""
    from_ = select.args.get("from") or select.args.get("from_")
    sources = [from_.this] if from_ is not None else []
    return sources + [join.this for join in select.args.get("joins") or []]


def is_range(table: exp.Table) -> bool:
    return isinstance(table.this, exp.Anonymous) and table.this.name.lower() == "range"


def range_column(table: exp.Table) -> str:
    """The name of the one column of range(...) in FROM: id, unless its alias names it."""
    alias = table.args.get("alias")
    columns = alias.columns if isinstance(alias, exp.TableAlias) else []
    return columns[0].name.lower() if columns else "id"


def set_operation_type(kinds: set[str | None]) -> str | None:
    """The type of a UNION, INTERSECT or EXCEPT column whose queries give these types."""
    if len(kinds) == 1:
        return next(iter(kinds))
    return common_type(list(kinds)) if all(is_numeric(k) for k in kinds) else None


def _rows_type(kinds: set[str | None]) -> str | None:
    """The type of a VALUES column whose rows have these types (numbers widen as Databricks widens them)."""
    if len(kinds) == 1:
        return next(iter(kinds))
    if not all(is_numeric(k) for k in kinds):
        return None
    if "FLOAT" in kinds and "DOUBLE" not in kinds and not any(is_decimal(k) for k in kinds):
        return "FLOAT"  # the rows of VALUES widen an integer to a FLOAT, unlike arithmetic
    return common_type(list(kinds))


def values_columns(node: exp.Values) -> list[str]:
    """The column names of a VALUES: those its alias gives, else col1, col2, ... as Databricks names them."""
    alias = node.args.get("alias")
    if alias is not None and alias.columns:
        return [c.name.lower() for c in alias.columns]
    first = node.expressions[0] if node.expressions else None
    width = len(first.expressions) if isinstance(first, exp.Tuple) else 1
    return [f"col{i + 1}" for i in range(width)]


def _values_types(node: exp.Values, column_type: ColumnType) -> dict[str, str | None]:
    """The columns of a VALUES in order, each typed over its rows (None where all are NULL); for a column
    of arrays, `name[]` its elements' type where every row's is known (`array(1)`, `array()`, `array(NULL)`)."""
    columns = values_columns(node)
    rows: dict[str, set[str | None]] = {name: set() for name in columns}
    elements: dict[str, list[str | None]] = {name: [] for name in columns}
    for row in node.expressions:
        values = row.expressions if isinstance(row, exp.Tuple) else [row]
        for name, value in zip(columns, values, strict=False):
            if not isinstance(value, exp.Null):
                rows[name].add(type_of(value.copy(), column_type))
                if isinstance(value, exp.Array) and all(isinstance(e, exp.Null) for e in value.expressions):
                    continue  # the elements of an empty array, or of NULLs alone, meet any type
                elements[name].append(element_type(value, column_type))
    types = {name: _rows_type(kinds) if kinds else None for name, kinds in rows.items()}
    for name, kinds in elements.items():
        if types[name] == "LIST":
            types[f"{name}[]"] = common_type(kinds) if kinds and None not in kinds else None
    return types


def _query_types(query: exp.Expr | None, column_type: ColumnType) -> list[tuple[str, str | None]]:
    """The columns of a query other than stars, in order, named ('' for an unnamed one) by its first
    query and typed by all of them (for a set operation)."""
    queries = branches(query)
    columns: list[tuple[str, str | None]] = []
    for position, projection in enumerate(queries[0].expressions if queries else []):
        if not projection.is_star:
            kinds = {type_of(q.expressions[position].copy(), column_type) for q in queries
                     if position < len(q.expressions)}  # fmt: skip
            columns.append((projection.alias_or_name.lower(), set_operation_type(kinds)))
    return columns


def _by_name(columns: list[tuple[str, str | None]]) -> dict[str, str | None]:
    """Columns by name; a name given twice is of unknown type."""
    types: dict[str, str | None] = {}
    for name, kind in columns:
        if name:
            types[name] = kind if name not in types else None
    return types


# -- by name over the statement -------------------------------------------------------------------------


def _names_by_text(tree: exp.Expression, ctx: Context) -> None:
    definitions: dict[str, set[str | None]] = {}  # name -> the type each VALUES, subquery or CTE gives it
    defined: dict[int, list[str]] = {}  # id of a VALUES, subquery or CTE -> the names it defines

    def column_type(name: str) -> str | None:
        if name not in definitions:
            return ctx.column_type(name)
        kinds, outside = definitions[name], ctx.column_type(name)
        return next(iter(kinds)) if len(kinds) == 1 and outside in (None, *kinds) else None

    # Innermost first, so a CTE over VALUES knows the VALUES' types.
    nodes = sorted(tree.find_all(exp.Values, exp.Subquery, exp.CTE), key=lambda n: -_depth(n))
    for node in nodes:
        if isinstance(node, exp.Values):
            types = _values_types(node, column_type)
        else:
            queries = branches(node.this)
            if len(queries) > 1:
                # A star's columns take types from the other queries too: what it names is unknown.
                for query in (q for q in queries if any(p.is_star for p in q.expressions)):
                    for inner in query.find_all(exp.Values, exp.Subquery, exp.CTE):
                        for name in defined.get(id(inner), []):
                            definitions[name].add(None)
            types = _by_name(_query_types(node.this, column_type))
            types.update(_from_json_paths(node.this))
        for name, kind in types.items():
            definitions.setdefault(name, set()).add(kind)
        defined[id(node)] = list(types)
    for table in tree.find_all(exp.Table):
        if is_range(table):
            definitions.setdefault(range_column(table), set()).add("BIGINT")
    for name in definitions:
        ctx._names[name] = column_type(name)


def _from_json_paths(query: exp.Expr | None) -> dict[str, str | None]:
    """The fields below each column of a query that is a from_json with a schema the statement gives
    (`j.acts`, `j.acts[].name` of `from_json(raw, 'acts ARRAY<STRUCT<name: STRING>>') AS j`)."""
    paths: dict[str, str | None] = {}
    for select in branches(query):
        for projection in select.expressions:
            value = projection.this if isinstance(projection, exp.Alias) else None
            whole = from_json_type(value) if isinstance(value, exp.FromJson) else None
            if whole is not None:
                paths.update(struct_paths(projection.alias, whole))
    return paths


def _depth(node: exp.Expr) -> int:
    depth = 0
    while node.parent is not None:
        node = node.parent
        depth += 1
    return depth


# -- scoped -----------------------------------------------------------------------------------------------

_ABSENT = object()  # a source that does not define the name
_UNRESOLVED = object()  # a source, or several, that may define it: left to the name's type


# A column a scope gives: its lower-case name ('' for an unnamed one), its type and its shape.
Output = tuple[str, str | None, Shape]


def _scoped_columns(tree: exp.Expression, ctx: Context) -> None:
    """Give each column that resolves to one column of a subquery, CTE, VALUES or lakehouse table that
    column's type, and its shape where more than its kind is known.

    Scopes come innermost first, so a query's columns are typed before the query's own outputs are;
    a column is decided by the innermost scope whose sources may define its name (a correlated
    reference is left to the scope it refers to)."""
    outputs: dict[int, list[Output] | None] = {}  # id of a scope -> its columns in order
    decided: set[int] = set()
    try:
        for scope in traverse_scope(tree):
            for column in scope.columns:
                if id(column) in decided or not column.name or _bound_by_lambda(column):
                    continue
                found = _resolve(column, scope, outputs, ctx)
                if found is _ABSENT:
                    continue  # a reference to an outer scope's source
                decided.add(id(column))
                if isinstance(found, tuple):
                    kind, shape = found
                    column.meta["spark_type"] = kind
                    if isinstance(shape, tuple):
                        column.meta["spark_shape"] = shape
            outputs[id(scope)] = _outputs(scope, outputs, ctx)
    except OptimizeError:
        return  # sources sqlglot cannot tell apart (two unnamed subqueries): the rest by name alone


def _outputs(scope: Scope, outputs: dict, ctx: Context) -> list[Output] | None:
    """The columns of a scope's query or VALUES in order; None where they cannot be told."""
    expression = scope.expression
    columns: list[Output] | None
    if isinstance(expression, exp.Values):
        columns = _values_outputs(expression, ctx)
    elif isinstance(expression, exp.SetOperation):
        columns = _set_operation_outputs(scope, outputs)
    elif isinstance(expression, exp.Select):
        columns = _select_outputs(expression, scope, outputs, ctx)
    else:
        return None
    renamed = [c.lower() for c in scope.outer_columns or []]
    if columns is None or not renamed:
        return columns
    if len(renamed) != len(columns):
        return None
    return [(name, kind, shape) for name, (_, kind, shape) in zip(renamed, columns, strict=True)]


def _values_outputs(node: exp.Values, ctx: Context) -> list[Output]:
    types = _values_types(node, ctx.type_of_name)
    rows = [row.expressions if isinstance(row, exp.Tuple) else [row] for row in node.expressions]
    return [
        (name, types[name], common_shape([row[i] for row in rows if i < len(row)], ctx))
        for i, name in enumerate(values_columns(node))
    ]


def _select_outputs(select: exp.Select, scope: Scope, outputs: dict, ctx: Context) -> list[Output] | None:
    """A SELECT's columns, a star standing for the columns of the sources it reads (in their order)."""
    columns: list[Output] = []
    for projection in select.expressions:
        if not projection.is_star:
            name = projection.alias_or_name.lower()
            value = projection.unalias().copy()  # a copy: the statement's nodes are typed once all names are
            columns.append((name, type_of(projection.copy(), ctx.type_of_name), shape_of(value, ctx)))
            continue
        if any(join.args.get("using") or join.args.get("method") for join in select.args.get("joins") or []):
            return None  # USING and NATURAL joins merge columns
        qualifier = projection.table if isinstance(projection, exp.Column) else ""
        sources = [s for name, (_, s) in scope.selected_sources.items() if not qualifier or name == qualifier]
        for source in sources:
            expanded = outputs.get(id(source)) if isinstance(source, Scope) else None
            if expanded is None:
                return None
            columns.extend(expanded)
    return columns


def _set_operation_outputs(scope: Scope, outputs: dict) -> list[Output] | None:
    """A UNION, INTERSECT or EXCEPT's columns: named by its first query, typed by all of them (a shape
    where all of them give the same one)."""
    queries = [outputs.get(id(s)) for s in _leaf_scopes(scope)]
    known = [q for q in queries if q is not None]
    if not known or len(known) < len(queries) or len({len(q) for q in known}) != 1:
        return None
    columns: list[Output] = []
    for i, (name, _, _) in enumerate(known[0]):
        shapes = {q[i][2] for q in known}
        columns.append((name, set_operation_type({q[i][1] for q in known}), shapes.pop() if len(shapes) == 1 else None))
    return columns


def _leaf_scopes(scope: Scope) -> list[Scope]:
    if not scope.set_operation_scopes:
        return [scope]
    return [leaf for child in scope.set_operation_scopes for leaf in _leaf_scopes(child)]


def _resolve(column: exp.Column, scope: Scope, outputs: dict, ctx: Context):
    """The column's (type, shape) from the one source of `scope` that defines it (None: unknown), or
    _ABSENT or _UNRESOLVED."""
    name = column.name.lower()
    sources = scope.selected_sources
    if column.table:
        entry = sources.get(column.table)
        if entry is None:
            return _ABSENT if column.table not in scope.sources else _UNRESOLVED
        return _type_in(entry[1], name, outputs, ctx)
    defining = [t for t in (_type_in(source, name, outputs, ctx) for _, source in sources.values()) if t is not _ABSENT]
    if not defining:
        return _ABSENT
    return defining[0] if len(defining) == 1 else _UNRESOLVED


def _type_in(source, name: str, outputs: dict, ctx: Context):
    """The (type, shape) `source` gives `name`, _ABSENT if it has no such column, or _UNRESOLVED."""
    if isinstance(source, Scope):
        columns = outputs.get(id(source))
        if columns is None:
            return _UNRESOLVED
        named = [(kind, shape) for column, kind, shape in columns if column == name]
        if not named:
            return _ABSENT
        return named[0] if len(named) == 1 else (None, None)  # a name given twice is of unknown type
    if isinstance(source, exp.Table) and is_range(source):
        return ("BIGINT", "BIGINT") if name == range_column(source) else _ABSENT
    if isinstance(source, exp.Table) and (columns := ctx.columns_of(source)):
        kinds = dict(columns)
        if name not in kinds:
            return _ABSENT
        return column_kind(kinds[name]), duckdb_type_shape(kinds[name])  # the table's own column
    if isinstance(source, exp.Table) and not ctx.has_column(name):
        return _ABSENT  # no table of the lakehouse has a column of that name
    return _UNRESOLVED


def _bound_by_lambda(column: exp.Column) -> bool:
    return _binding_lambda(column) is not None


# -- lambdas ----------------------------------------------------------------------------------------------

# Where an identifier names something rather than reads a lambda's parameter.
_NAME_HOLDERS = (exp.Column, exp.Table, exp.TableAlias, exp.Alias, exp.Dot, exp.Lambda, exp.DataType, exp.PropertyEQ)


def _typed_parts(tree: exp.Expression, ctx: Context) -> None:
    """Type `c['k']`, `c[0]` and `(c).f` from what column c holds where its source tells (by name across the
    lakehouse, another table's column c could give them another type)."""
    for node in tree.find_all(exp.Bracket, exp.Dot):
        base = node.this
        while isinstance(base, (exp.Bracket, exp.Dot, exp.Paren)):
            base = base.this
        known = isinstance(base, exp.Column) and isinstance(base.meta.get("spark_shape"), tuple)
        if known and isinstance(node, (exp.Bracket, exp.Dot)):
            shape = part_shape(node, ctx)
            kind = shape[0] if isinstance(shape, tuple) else shape
            if kind not in (None, "NULL"):
                node.meta["spark_type"] = kind
            if isinstance(shape, tuple):
                node.meta["spark_shape"] = shape


def _typed_lambda_elements(tree: exp.Expression, ctx: Context) -> None:
    """Give a lambda's parameters the types of what the function hands them where the statement tells
    them (`filter(split(s, ','), x -> x > 2)` compares a STRING): an array's element, its position (an
    INT), a map's key and value."""
    for lambda_ in tree.find_all(exp.Lambda):
        held = _lambda_parameters(lambda_.parent, lambda_, ctx)
        parameters = [p.name.lower() for p in lambda_.expressions][: len(held)]
        # The parser makes a parameter's uses bare identifiers (a column's name sits inside its Column).
        for use in lambda_.this.find_all(exp.Identifier, exp.Column):
            bare = (
                not use.table
                if isinstance(use, exp.Column)
                else not isinstance(use.parent, _NAME_HOLDERS) or use.arg_key == "this" and use.parent is lambda_
            )
            name = use.name.lower()
            if bare and name in parameters and _binding_lambda(use) is lambda_:
                shape = held[parameters.index(name)]
                kind = shape[0] if isinstance(shape, tuple) else shape
                if kind is not None:
                    use.meta["spark_type"] = kind
                if isinstance(shape, tuple):
                    use.meta["spark_shape"] = shape


def _lambda_parameters(function: exp.Expr | None, lambda_: exp.Lambda, ctx: Context) -> list[Shape]:
    """What a function hands each parameter of its lambda (None where not known)."""
    named = function.name.lower() if isinstance(function, exp.Anonymous) else None
    given = function.expressions if isinstance(function, exp.Anonymous) else []
    if isinstance(function, (exp.Transform, exp.ArrayFilter)):
        return [_element(function.this, ctx), "INTEGER"]
    if isinstance(function, exp.Exists) or named == "forall" and given:
        return [_element(function.this if isinstance(function, exp.Exists) else given[0], ctx)]
    if isinstance(function, exp.ArraySort) and lambda_.arg_key == "expression":
        return [_element(function.this, ctx)] * 2
    if named == "zip_with" and len(given) == 3:
        return [_element(given[0], ctx), _element(given[1], ctx)]
    if named in ("transform_values", "transform_keys", "map_filter") and len(given) == 2:
        return list(_entry(given[0], ctx))
    if named == "map_zip_with" and len(given) == 3:
        (key, left), (_, right) = _entry(given[0], ctx), _entry(given[1], ctx)
        return [key, left, right]
    return []


def _element(array: exp.Expression, ctx: Context) -> Shape:
    """What an array's elements are: their shape where known, else their type."""
    shape = shape_of(array, ctx)
    inner = shape[1] if isinstance(shape, tuple) and shape[0] == "LIST" and shape[1] != "NULL" else None
    return inner if isinstance(inner, tuple) else element_type(array, ctx.type_of_name) or inner


def _entry(map_: exp.Expression, ctx: Context) -> tuple[Shape, Shape]:
    """What a map's keys and values are, where known."""
    shape = shape_of(map_, ctx)
    if isinstance(shape, tuple) and shape[0] == "MAP":
        return tuple(None if part == "NULL" else part for part in shape[1:])  # type: ignore[return-value]
    return None, None


def _binding_lambda(use: exp.Expression) -> exp.Lambda | None:
    """The innermost lambda that has a parameter of the name used."""
    name = use.name.lower()
    lambda_ = use.find_ancestor(exp.Lambda)
    while lambda_ is not None and not any(v.name.lower() == name for v in lambda_.expressions):
        lambda_ = lambda_.find_ancestor(exp.Lambda)
    return lambda_
