"""Values written into a table's columns by INSERT and UPDATE, converted as Databricks converts them.

Databricks stores a value of another type by its ANSI store-assignment rules: a number into a number
column is CAST (1.9 into an INT is 1, where DuckDB's own conversion rounded it to 2), any value into a
STRING column is CAST to its text, a DATE and a TIMESTAMP into each other; a string into a number, DATE
or BOOLEAN column, and a BOOLEAN into a number, are rejected before anything is written, where DuckDB
converted them. An ARRAY, MAP or STRUCT is stored part by part by the same rules, a struct's fields by
place (DuckDB's own conversion matched them by name, rounded 1.5 to 2 inside an array, and read '7' as
an INT); one whose parts the translator cannot tell is refused. Another value whose type the translator
cannot tell is left to DuckDB, and so are the columns of a star over anything but one table of the local
database.
"""

from __future__ import annotations

from sqlglot import exp

from dialect.casts import spark_name
from dialect.common import Context, spark_type, typed
from dialect.errors import NotSupportedLocally, RejectedByDatabricks
from dialect.names import branches, set_operation_type
from dialect.shapes import Shape, common_shape, duckdb_type_shape, shape_of, type_name
from dialect.typecheck import check_inline_table
from dialect.types import column_kind, is_numeric

_DATETIMES = ("DATE", "TIMESTAMP")
_NESTED = ("LIST", "MAP", "STRUCT")


def convert_assigned_values(tree: exp.Expression, ctx: Context) -> None:
    if isinstance(tree, exp.Insert):
        _insert(tree, ctx)
    elif isinstance(tree, exp.Update):
        _update(tree, ctx)


def _insert(insert: exp.Insert, ctx: Context) -> None:
    target = insert.this
    table = target.this if isinstance(target, exp.Schema) else target
    columns = ctx.columns_of(table) if isinstance(table, exp.Table) else None
    if columns is None:
        return
    if isinstance(target, exp.Schema):
        named = [c.name.lower() for c in target.expressions]
        kinds = [dict(columns).get(name) for name in named]
    else:
        named, kinds = [name for name, _ in columns], [kind for _, kind in columns]
    source = insert.expression
    if isinstance(source, exp.Values):
        check_inline_table(source, ctx)  # its column types first, as Databricks does, then each value's
        for row in source.expressions:
            values = row.expressions if isinstance(row, exp.Tuple) else [row]
            for value, name, kind in zip(values, named, kinds, strict=False):
                _convert(value, name, kind, table, ctx)
        return
    if isinstance(source, (exp.Select, exp.SetOperation)):
        _insert_query(insert, source, named, kinds, table, ctx)


def _insert_query(
    insert: exp.Insert,
    source: exp.Select | exp.SetOperation,
    named: list[str],
    kinds: list[str | None],
    table: exp.Table,
    ctx: Context,
) -> None:
    """The query's rows are made first (a DISTINCT, GROUP BY 1 or UNION compares the values before they
    are stored; a UNION gives each column its branches' common type, so an INT and a DOUBLE into a STRING
    column are '2.0'), then stored: the query is read as a subquery whose columns are converted."""
    queries = branches(source)
    outputs = [columns for query in queries if (columns := _output_columns(query, ctx)) is not None]
    if not outputs or len(outputs) < len(queries) or len({len(o) for o in outputs}) != 1:
        return  # a star whose columns are not known
    width = len(outputs[0])
    types = [set_operation_type({spark_type(o[i], ctx) for o in outputs}) for i in range(width)]
    names = [f"__stored_{i}" for i in range(width)]
    wrapper = exp.select(*names).from_(
        exp.Subquery(this=source.copy(), alias=exp.TableAlias(this=exp.to_identifier("__stored"),
                                                              columns=[exp.to_identifier(n) for n in names]))
    )  # fmt: skip
    columns = list(wrapper.expressions)
    for column, kind in zip(columns, types, strict=True):
        column.meta["spark_type"] = kind
    for i, column in enumerate(columns):
        # what the query's arrays, maps and structs hold, where it tells (over all the queries of a UNION)
        if isinstance(shape := common_shape([o[i] for o in outputs], ctx), tuple):
            column.meta["spark_shape"] = shape
    converted = [_convert(c, name, kind, table, ctx) for c, name, kind in zip(columns, named, kinds, strict=False)]
    if all(c is original for c, original in zip(converted, columns, strict=False)):
        return  # nothing to convert: the query is stored as it is
    insert.set("expression", wrapper)


def _output_columns(query: exp.Select, ctx: Context) -> list[exp.Expression] | None:
    """A SELECT's columns in order, their values typed; a star stands for the columns of the one table of
    the local database it reads (None where a star's columns are not known)."""
    source = query.args.get("from_") or query.args.get("from")
    table = source.this if source is not None and not query.args.get("joins") else None
    values: list[exp.Expression] = []
    for projection in query.expressions:
        if not projection.is_star:
            values.append(projection.unalias())
            continue
        columns = ctx.columns_of(table) if isinstance(table, exp.Table) else None
        if not columns:
            return None
        for name, kind in columns:
            column = typed(exp.column(name), column_kind(kind))
            if isinstance(shape := duckdb_type_shape(str(kind)), tuple):
                column.meta["spark_shape"] = shape
            values.append(column)
    return values


def _update(update: exp.Update, ctx: Context) -> None:
    table = update.this
    columns = ctx.columns_of(table) if isinstance(table, exp.Table) else None
    if columns is None:
        return
    kinds = dict(columns)
    _type_target_columns(update, table, kinds)
    for assignment in update.expressions:
        if isinstance(assignment, exp.EQ) and isinstance(assignment.this, exp.Column):
            name = assignment.this.name.lower()
            _convert(assignment.expression, name, kinds.get(name), table, ctx)


def _type_target_columns(update: exp.Update, table: exp.Table, kinds: dict[str, str]) -> None:
    """The updated table's columns read in SET and WHERE take that table's types (by name alone, a column
    of two tables with two types has none, and `b + 0.6` would be left to DuckDB)."""
    names = {table.name.lower(), table.alias_or_name.lower()}
    for column in update.find_all(exp.Column):
        if column.find_ancestor(exp.Select) is not None:
            continue  # a subquery's column
        if (not column.table or column.table.lower() in names) and column.name.lower() in kinds:
            column.meta["spark_type"] = column_kind(kinds[column.name.lower()])


def _convert(value: exp.Expression, name: str, column: str | None, table: exp.Table, ctx: Context) -> exp.Expression:
    """`value` as a CAST to the column's type where Databricks converts it; rejected where it does not."""
    source, target = spark_type(value, ctx), column_kind(column) if column else None
    if target is None or isinstance(value, exp.Null) or source is None and target not in _NESTED:
        return value
    if target in _NESTED or source in _NESTED:
        if not _nested_assignable(shape_of(value, ctx), duckdb_type_shape(str(column)), [name], table):
            # DuckDB would store it by its own rules (matching a struct's fields by name, rounding 1.5 to 2)
            raise NotSupportedLocally(f"storing a value whose types inside the local target cannot tell in `{name}`")
    elif source is None or source == target or "BLOB" in (source, target):
        return value
    elif not _assignable(source, target):
        raise _cannot_safely_cast(table, [name], source, target)
    cast = exp.Cast(this=value.copy(), to=exp.DataType.build(str(column), dialect="duckdb"))
    value.replace(cast)
    return cast


def _nested_assignable(source: Shape, target: Shape, path: list[str], table: exp.Table) -> bool:
    """Whether a value of shape `source` can be stored where `target` is, part by part: rejected where
    Databricks rejects it, False where a part's type is not known."""
    if source == "NULL":
        return True
    if source is None or target is None:
        return False
    if not (isinstance(source, tuple) and isinstance(target, tuple)):
        if isinstance(source, tuple) or isinstance(target, tuple):
            found, wanted = (type_name(s) or (s[0] if isinstance(s, tuple) else s) for s in (source, target))
            raise _cannot_safely_cast(table, path, found.upper(), wanted.upper())
        if source != target and not _assignable(source, target):
            raise _cannot_safely_cast(table, path, source, target)
        return True
    if source[0] != target[0]:
        raise _cannot_safely_cast(table, path, source[0], target[0])
    if source[0] == "LIST":
        return _nested_assignable(source[1], target[1], [*path, "element"], table)
    if source[0] == "MAP":
        return all(
            _nested_assignable(s, t, [*path, part], table)
            for s, t, part in zip(source[1:], target[1:], ("key", "value"), strict=True)
        )
    given, wanted = source[1], target[1]
    struct = ".".join(f"`{p}`" for p in path)
    if len(given) > len(wanted):
        extra = ", ".join(f"`{name}`" for name, _ in given[len(wanted) :])
        raise RejectedByDatabricks(
            "INCOMPATIBLE_DATA_FOR_TABLE.EXTRA_STRUCT_FIELDS",
            f"Cannot write incompatible data for the table `{table.name}`: Cannot write extra fields {extra} "
            f"to the struct {struct}",
        )
    if len(given) < len(wanted):
        missing = ", ".join(f"`{name}`" for name, _ in wanted[len(given) :])
        raise RejectedByDatabricks(
            "INCOMPATIBLE_DATA_FOR_TABLE.STRUCT_MISSING_FIELDS",
            f"Cannot write incompatible data for the table `{table.name}`: Struct {struct} missing fields: {missing}",
        )
    # Fields by place, as Databricks stores them.
    return all(_nested_assignable(s, t, [*path, name], table) for (_, s), (name, t) in zip(given, wanted, strict=True))


def _cannot_safely_cast(table: exp.Table, path: list[str], source: str, target: str) -> RejectedByDatabricks:
    where = ".".join(f"`{p}`" for p in path)
    return RejectedByDatabricks(
        "INCOMPATIBLE_DATA_FOR_TABLE.CANNOT_SAFELY_CAST",
        f"Cannot write incompatible data for the table `{table.name}`: Cannot safely cast {where} "
        f"{_spark_name(source)} to {_spark_name(target)}",
    )


def _assignable(source: str, target: str) -> bool:
    if is_numeric(source) and is_numeric(target):
        return True
    if target == "VARCHAR":
        return source in ("BOOLEAN", *_DATETIMES) or is_numeric(source)
    return source in _DATETIMES and target in _DATETIMES


def _spark_name(kind: str) -> str:
    return f'"{spark_name(kind)}"'
