"""VARIANT in users' SQL: parse_json, `v:path`, variant_get, casts, to_json, schema_of_variant.

The local target keeps a VARIANT as text (dialect.variant), so a VARIANT may only be read by the functions
made for it, or be a column of a query's result (written as Databricks' connector returns it, its JSON).
Anywhere else (a comparison, GROUP BY, a table's column, a variable) Databricks either rejects it or keeps
its type where the local text would pass for a STRING, so the local target refuses it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable

from sqlglot import exp
from sqlglot.errors import ParseError

from dialect import casts
from dialect.common import Context, arguments, call, cast_to, duck, literal_string, spark_type, typed
from dialect.errors import NotSupportedLocally, RejectedByDatabricks
from dialect.types import VARIANT, data_type_name, is_decimal, makes_variant, variant_type_argument

_READERS = ("variant_get", "try_variant_get", "is_variant_null", "schema_of_variant", "schema_of_variant_agg")
_WHERE = (
    "the local target reads a VARIANT only with its functions (`:` paths, variant_get, try_variant_get, "
    "is_variant_null, schema_of_variant, schema_of_variant_agg, to_json, typeof), a CAST to a number, BOOLEAN, "
    "DATE, TIMESTAMP or STRING, or as a "
    "column of a query's result; run it on Databricks"
)
# The targets a VARIANT is cast to locally; a FLOAT, a TIMESTAMP_NTZ, a BINARY or a collection is not.
_SCALARS = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "DOUBLE", "BOOLEAN", "VARCHAR", "DATE", "TIMESTAMP")

Cast = Callable[[exp.Cast, Context], exp.Expression]


def _read_by(parent: exp.Expr | None, child: exp.Expr) -> bool:
    if isinstance(parent, (exp.JSONExtract, exp.Cast, exp.JSONFormat, exp.Typeof)):
        return parent.this is child
    if isinstance(parent, exp.Is):  # IS [NOT] NULL: a JSON null is a value, a path that finds nothing is NULL
        return parent.this is child and isinstance(parent.expression, exp.Null)
    if isinstance(parent, exp.Distinct) and isinstance(parent.parent, exp.Anonymous):
        parent, child = parent.parent, parent  # schema_of_variant_agg(DISTINCT v)
    if isinstance(parent, exp.Anonymous) and parent.name.lower() in _READERS:
        return bool(parent.expressions) and parent.expressions[0] is child
    return False


def _output(tree: exp.Expression, parent: exp.Expr | None, child: exp.Expr) -> exp.Expr | None:
    """The item of the statement's select list that `child` is, if it is one."""
    if not isinstance(tree, exp.Select) or tree.args.get("into") is not None:
        return None
    if parent is tree and any(child is item for item in tree.expressions):
        return child
    if isinstance(parent, exp.Alias) and any(parent is item for item in tree.expressions):
        return parent
    return None


def _position(node: exp.Expr) -> tuple[exp.Expr, exp.Expr | None]:
    child: exp.Expr = node
    parent: exp.Expr | None = node.parent
    while isinstance(parent, exp.Paren):
        child, parent = parent, parent.parent
    return child, parent


def _inner_column(parent: exp.Expr | None, child: exp.Expr) -> exp.Select | None:
    """The CTE's or subquery's query whose select list names `child` (`parse_json(s) AS v`), if it is one."""
    if not isinstance(parent, exp.Alias) or not isinstance(parent.parent, exp.Select):
        return None
    select = parent.parent
    if not any(parent is item for item in select.expressions) or not isinstance(select.parent, (exp.CTE, exp.Subquery)):
        return None
    return select


def confine(tree: exp.Expression, outputs: bool, column_type: Callable[[str], str | None]) -> None:
    """Refuse a VARIANT anywhere but where the local target reads it as Databricks does. With `outputs`, a
    VARIANT may be a column of the statement's result, which nothing else in the statement then names. A
    CTE or subquery may name one (`parse_json(s) AS v`), which the statement then only reads (`v:a::int`)
    or returns; `column_type` tells whether a table has a column of that name, which would make `v`
    ambiguous."""
    items: list[exp.Expr] = []
    inner: dict[str, exp.Select] = {}
    for node in list(tree.find_all(exp.Expression)):
        if not makes_variant(node):
            continue
        child, parent = _position(node)
        if _read_by(parent, child):
            continue
        item = _output(tree, parent, child) if outputs else None
        if item is not None:
            items.append(item)
            continue
        select = _inner_column(parent, child)
        name = parent.alias.lower() if isinstance(parent, exp.Alias) else ""
        if select is None or parent is None or not name or name in inner:
            raise NotSupportedLocally("a VARIANT value used here", _WHERE)
        if column_type(name) is not None or _named_twice(tree, name):
            raise NotSupportedLocally(f"a VARIANT column named {name} as another column is", _WHERE)
        _refuse_naming(select, [parent])
        inner[name] = select
    if inner:
        _confine_columns(tree, inner, outputs, items)
    if items:
        _refuse_naming(tree, items)


def _named_twice(tree: exp.Expression, name: str) -> bool:
    """Whether the statement gives two columns this name (two aliases, or a VALUES or table alias column):
    a reference to it could then be either, and the local text of the VARIANT one pass for the other."""
    aliases = [a for a in tree.find_all(exp.Alias) if a.alias.lower() == name]
    columns = [c for t in tree.find_all(exp.TableAlias) for c in t.columns if c.name.lower() == name]
    return len(aliases) + len(columns) > 1


def _of_column(node: exp.Expr, names: dict[str, exp.Select]) -> str | None:
    """The VARIANT column a node is or is a path of (`v`, `v:a.b`), if it is one of `names`."""
    while isinstance(node, exp.JSONExtract):
        node = node.this.unnest()
    return node.name.lower() if isinstance(node, exp.Column) and node.name.lower() in names else None


def _confine_columns(tree: exp.Expression, inner: dict[str, exp.Select], outputs: bool, items: list[exp.Expr]) -> None:
    """Each reference to a VARIANT column of a CTE or subquery, and each path of one, is read or returned,
    never passed on: not compared, not grouped, not selected by a * or into another query."""
    for select in tree.find_all(exp.Select):
        if any(item.is_star for item in select.expressions):
            raise NotSupportedLocally("a * over a query with a VARIANT column", "name the columns: " + _WHERE)
    for node in list(tree.find_all(exp.Column, exp.JSONExtract)):
        name = _of_column(node, inner)
        if name is None:
            continue
        child, parent = _position(node)
        if any(child is item for item in inner[name].expressions):
            raise NotSupportedLocally(f"a reference to the VARIANT column {name}", _WHERE)
        if _read_by(parent, child):
            continue
        item = _output(tree, parent, child) if outputs else None
        if item is None:
            raise NotSupportedLocally(f"the VARIANT column {name} used here", _WHERE)
        items.append(item)


def _refuse_naming(tree: exp.Expression, items: list[exp.Expr]) -> None:
    """A VARIANT column of the result cannot be grouped, sorted or compared on Databricks: refuse every
    reference to it (its alias, its position) rather than read the local text."""
    if tree.args.get("distinct") is not None:
        raise NotSupportedLocally("SELECT DISTINCT of a VARIANT", _WHERE)
    names = {item.alias.lower() for item in items if isinstance(item, exp.Alias)}
    positions = {str(index) for index, item in enumerate(tree.expressions, 1) if any(item is i for i in items)}
    for column in tree.find_all(exp.Column):
        if not column.table and column.name.lower() in names:
            raise NotSupportedLocally(f"a reference to the VARIANT column {column.name}", _WHERE)
    for clause in ("group", "order"):
        found = tree.args.get(clause)
        if found is None:
            continue
        if found.args.get("all"):
            raise NotSupportedLocally(f"{clause.upper()} BY ALL beside a VARIANT column", _WHERE)
        for entry in found.expressions:
            value = (entry.this if isinstance(entry, exp.Ordered) else entry).unnest()
            if isinstance(value, exp.Literal) and not value.is_string and value.this in positions:
                raise NotSupportedLocally(f"{clause.upper()} BY the position of a VARIANT column", _WHERE)


def as_output(item: exp.Expression) -> exp.Expression:
    """A VARIANT column of the result as Databricks' connector returns it: its JSON text."""
    value = item.this if isinstance(item, exp.Alias) else item
    if value.meta.get("spark_type") != VARIANT:
        return item
    written = to_json(value)
    if isinstance(item, exp.Alias):
        item.set("this", written)
        return item
    return written


# -- the functions --------------------------------------------------------------------------------------


def parse_json(node: exp.Expression, ctx: Context) -> exp.Expression:
    """parse_json(s) and try_parse_json(s): the text's first JSON value, or an error (NULL in a try)."""
    if isinstance(node, exp.ParseJSON):
        text, try_ = node.this, False
    else:
        (text,), try_ = arguments(node, 1), True
    kind = spark_type(text, ctx)
    if isinstance(text, exp.Null):
        text = cast_to(text, "VARCHAR")
    elif kind is None:
        raise NotSupportedLocally("parse_json of a value whose type the local target cannot tell", "CAST it to STRING")
    elif kind != "VARCHAR":
        raise RejectedByDatabricks(
            "DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE", "parse_json of a value that is not a STRING"
        )
    return typed(call("spark_parse_json", text, exp.true() if try_ else exp.false()), VARIANT)


def _steps_literal(steps: list[str | int]) -> exp.Expression:
    return exp.Literal.string(json.dumps(steps, ensure_ascii=False))


def colon_path(node: exp.JSONExtract, ctx: Context) -> exp.Expression:
    """`v:a.b[0]` of a VARIANT: names matched with their case, NULL where the path finds nothing."""
    path = node.expression
    if not isinstance(path, exp.JSONPath):
        raise NotSupportedLocally("this VARIANT path")
    steps: list[str | int] = []
    for part in path.expressions:
        if isinstance(part, exp.JSONPathRoot):
            continue
        if isinstance(part, exp.JSONPathKey):
            if ctx.backticks and part.args.get("quoted"):
                raise NotSupportedLocally("a backquoted name in a VARIANT path", "write it as ['name']")
            steps.append(part.name)
        elif isinstance(part, exp.JSONPathSubscript) and isinstance(part.this, int):
            steps.append(part.this)
        else:
            raise NotSupportedLocally(f"the VARIANT path {path.sql(dialect='databricks')}")
    return typed(call("spark_variant_get", node.this, _steps_literal(steps)), VARIANT)


# Spark's VariantPathParser: `$`, then `.name`, `['name']`, `["name"]` or `[index]`.
_PATH_STEP = re.compile(r"\.([^.\[]+)|\['([^']*)'\]|\[\"([^\"]*)\"\]|\[(\d+)\]")


def _path_steps(text: str) -> list[str | int] | None:
    if not text.startswith("$"):
        return None
    steps: list[str | int] = []
    position = 1
    while position < len(text):
        found = _PATH_STEP.match(text, position)
        if found is None:
            return None
        name = next((g for g in found.groups()[:3] if g is not None), None)
        steps.append(name if name is not None else int(found.group(4)))
        position = found.end()
    return steps


def variant_get(node: exp.Anonymous, ctx: Context, cast: Cast) -> exp.Expression:
    """variant_get(v, path[, type]) and try_variant_get: the value at the path, cast to the type."""
    name = node.name.lower()
    variant, path = arguments(node, 2, 3)[:2]
    if spark_type(variant, ctx) != VARIANT:
        raise NotSupportedLocally(f"{name} of a value that is not a VARIANT made in the statement")
    text = literal_string(path)
    if text is None:
        raise NotSupportedLocally(f"{name} with a path that is not a string literal")
    steps = _path_steps(text)
    if steps is None:
        raise RejectedByDatabricks("INVALID_VARIANT_GET_PATH", f"the path {text!r} of {name}")
    found = typed(call("spark_variant_get", variant, _steps_literal(steps)), VARIANT)
    written = variant_type_argument(node) if len(node.expressions) == 3 else "variant"
    if written is None:
        raise NotSupportedLocally(f"{name} with a type that is not a string literal")
    if written == "variant":
        return found
    try:
        target = exp.DataType.build(written, dialect="databricks")
    except (ParseError, ValueError):
        raise NotSupportedLocally(f"{name} to the type {written!r}") from None
    converted = exp.TryCast(this=found, to=target) if name == "try_variant_get" else exp.Cast(this=found, to=target)
    return cast(typed(converted, data_type_name(target)), ctx)


def variant_cast(node: exp.Cast, ctx: Context, cast: Cast) -> exp.Expression:
    """CAST(v AS type) of a VARIANT: a string is read as a STRING cast to the type, other values as Spark
    casts their own type; a value that does not fit fails with INVALID_VARIANT_CAST (NULL in a try)."""
    target = data_type_name(node.to)
    written = node.to.meta.get("written") or node.to.sql(dialect="databricks")
    if target is None or not (target in _SCALARS or is_decimal(target)) or node.to.meta.get(casts.WITHOUT_TIME_ZONE):
        raise NotSupportedLocally(f"a CAST of a VARIANT to {written}", _WHERE)
    value = node.this
    if target == "VARCHAR":
        return typed(call("spark_variant_text", value), target)
    name = exp.Literal.string(target)
    from_string = exp.TryCast(this=typed(call("spark_variant_string_value", value), "VARCHAR"), to=node.to.copy())
    other = call("spark_variant_cast_text", value, name)
    converted = duck(
        "CASE WHEN spark_variant_is_string({v}) THEN {s} ELSE {o} END",
        v=value,
        s=cast(typed(from_string, target), ctx),
        o=casts.epoch_timestamp(other, 1) if target == "TIMESTAMP" else cast_to(other, target),
    )
    if not isinstance(node, exp.TryCast):
        converted = duck(
            "CASE WHEN {r} IS NULL AND {v} IS NOT NULL AND NOT spark_variant_is_null({v}) THEN {f} ELSE {r} END",
            r=converted,
            v=value,
            f=cast_to(call("spark_variant_cast_failure", value, exp.Literal.string(casts.spark_name(target))), target),
        )
    return typed(converted, target)


def is_variant_null(node: exp.Anonymous, ctx: Context) -> exp.Expression:
    """is_variant_null(v): whether v is a JSON null (false for a SQL NULL)."""
    if len(node.expressions) == 1 and isinstance(node.expressions[0], exp.Null):
        return typed(exp.false(), "BOOLEAN")
    return typed(call("spark_variant_is_null", _only_variant(node, ctx)), "BOOLEAN")


def schema_of_variant(node: exp.Anonymous, ctx: Context) -> exp.Expression:
    return typed(call("spark_schema_of_variant", _only_variant(node, ctx)), "VARCHAR")


def schema_of_variant_agg(node: exp.Anonymous, ctx: Context) -> exp.Expression:
    """schema_of_variant_agg(v): the schemas of the group's values merged as schema_of_variant merges an
    array's elements (DISTINCT changes nothing); VOID for a group of none."""
    if node.expressions and isinstance(node.expressions[0], exp.Distinct):
        node.set("expressions", list(node.expressions[0].expressions))
    if isinstance(node.parent, (exp.Filter, exp.Window)):
        raise NotSupportedLocally("schema_of_variant_agg with FILTER or OVER", _WHERE)
    value = _only_variant(node, ctx)
    return typed(call("spark_schema_of_variants", call("list", value)), "VARCHAR")


def _only_variant(node: exp.Anonymous, ctx: Context) -> exp.Expression:
    (value,) = arguments(node, 1)
    if spark_type(value, ctx) != VARIANT:
        raise NotSupportedLocally(f"{node.name} of a value that is not a VARIANT made in the statement")
    return value


def to_json(value: exp.Expression) -> exp.Expression:
    """to_json(v) of a VARIANT: its JSON as Databricks writes it."""
    return typed(call("spark_variant_json", value), "VARCHAR")
