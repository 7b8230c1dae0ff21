"""What is known of the types inside an array, map or struct, where Databricks needs one type for two values.

A value's shape is its kind (LIST, STRUCT, MAP, a scalar's, NULL), None where unknown, or, where the
statement or the lakehouse tells what is inside, ("LIST", element), ("MAP", key, value) or
("STRUCT", ((field name, shape), ...)). Array and struct literals have one; so have casts
to a nested type, from_json with a schema, columns of lakehouse tables (from their DuckDB types) and
columns of the statement's own subqueries, CTEs and VALUES (dialect/names.py records theirs in the
column's node.meta).
"""

from __future__ import annotations

from functools import lru_cache
from typing import overload

from sqlglot import exp
from sqlglot.helper import seq_get

from dialect.common import Context, own_name, spark_type, struct_literal_fields
from dialect.types import (
    common_type,
    decimal_parts,
    element_type,
    from_json_type,
    is_decimal,
    is_interval,
    is_numeric,
    parsed_kind,
)

Shape = str | tuple | None


@overload
def category(kind: str) -> str: ...
@overload
def category(kind: None) -> None: ...


def category(kind: str | None) -> str | None:
    """The family of a type: Databricks finds a common type within one (and between a STRING and a scalar)."""
    if kind is None:
        return None
    if is_numeric(kind):
        return "numeric"
    if kind in ("DATE", "TIMESTAMP"):
        return "datetime"
    if is_interval(kind):
        return kind
    return {"VARCHAR": "string", "BOOLEAN": "boolean", "LIST": "array", "MAP": "map", "STRUCT": "struct",
            "BLOB": "binary"}.get(kind, kind)  # fmt: skip


def shape_of(node: exp.Expression, ctx: Context) -> Shape:
    """The shape of a value."""
    while isinstance(node, exp.Paren):
        node = node.this
    if "spark_shape" in node.meta:
        return node.meta["spark_shape"]
    if isinstance(node, exp.Null):
        return "NULL"
    if isinstance(node, exp.Struct):
        return ("STRUCT", tuple((name, shape_of(value, ctx)) for name, value in struct_literal_fields(node)))
    if isinstance(node, exp.Array) and not isinstance(node.parent, exp.VarMap):  # map(...)'s keys, its values
        return ("LIST", common_shape(node.expressions, ctx))
    if isinstance(node, exp.VarMap) and isinstance(node.args.get("keys"), exp.Array):
        values = node.args["values"].expressions
        return ("MAP", common_shape(node.args["keys"].expressions, ctx), common_shape(values, ctx))
    if isinstance(node, (exp.Cast, exp.TryCast)) and isinstance(node.to, exp.DataType):
        return type_shape(node.to)
    if isinstance(node, exp.FromJson) and (schema := from_json_type(node)) is not None:
        return type_shape(schema)
    derived = _derived_shape(node, ctx)
    if isinstance(derived, tuple) or isinstance(node, (exp.Bracket, exp.Dot)) and derived is not None:
        return derived  # an element or a field of a value whose shape is known: its own, a scalar's too
    kind = spark_type(node, ctx)
    if kind == "LIST":
        if isinstance(node, exp.Column):
            # a column of a VALUES of array literals (names.py types its elements as `name[]`)
            return ("LIST", ctx.type_of_name(f"{node.name.lower()}[]"))
        element = element_type(node, ctx.type_of_name)
        return ("LIST", element) if element is not None else kind
    return kind


# Functions whose result holds what their first argument holds (an array's elements, a map's entries).
_SAME_AS_FIRST = (exp.ArraySlice, exp.ArrayDistinct, exp.ArrayFilter, exp.ArraySort, exp.Reverse, exp.Shuffle,
                  exp.ArrayCompact, exp.First, exp.Last, exp.ArgMax, exp.ArgMin, exp.Max, exp.Min,
                  exp.AnyValue)  # fmt: skip
_SAME_AS_FIRST_NAMED = ("map_filter",)
# Functions of an array and an element, or of two arrays, whose result holds their common type.
_ARRAY_AND_ELEMENT = (exp.ArrayAppend, exp.ArrayPrepend, exp.ArrayInsert, exp.ArrayRemove)
_TWO_ARRAYS = (exp.ArrayIntersect, exp.ArrayExcept)


def _derived_shape(node: exp.Expression, ctx: Context) -> Shape:
    """The shape of what a function returns, from the shapes of its arguments (None where not known)."""
    first = node.this if isinstance(node.args.get("this"), exp.Expression) else seq_get(node.expressions, 0)
    named = node.name.lower() if isinstance(node, exp.Anonymous) else None
    if isinstance(node, _SAME_AS_FIRST) or named in _SAME_AS_FIRST_NAMED:
        return shape_of(first, ctx) if isinstance(first, exp.Expression) else None
    if isinstance(node, _ARRAY_AND_ELEMENT) and isinstance(first, exp.Expression) and node.expression is not None:
        return _merged(shape_of(first, ctx), ("LIST", shape_of(node.expression, ctx)))
    if isinstance(node, _TWO_ARRAYS) or named == "array_union":
        arrays = [node.this, node.expression] if isinstance(node, exp.ArrayExcept) else node.expressions
        return common_shape([a for a in arrays if isinstance(a, exp.Expression)], ctx)
    if isinstance(node, (exp.ArrayAgg, exp.ArrayUniqueAgg)) and isinstance(first, exp.Expression):
        value = first.expressions[0] if isinstance(first, exp.Distinct) and first.expressions else first
        return ("LIST", shape_of(value, ctx))
    if named == "array_repeat" and node.expressions:
        return ("LIST", shape_of(node.expressions[0], ctx))
    if isinstance(node, exp.GenerateSeries) and isinstance(node.args.get("start"), exp.Expression):
        return ("LIST", shape_of(node.args["start"], ctx))
    if isinstance(node, exp.Transform) and isinstance(node.expression, exp.Lambda):
        return ("LIST", shape_of(node.expression.this, ctx))
    if named in _LAMBDA_RESULTS and len(node.expressions) == _LAMBDA_RESULTS[named] + 1:
        return _lambda_result_shape(named, node.expressions, ctx)
    if isinstance(node, exp.ArraysZip):
        return ("LIST", ("STRUCT", tuple(_zipped_field(i, a, ctx) for i, a in enumerate(node.expressions))))
    if isinstance(node, exp.Map) and isinstance(node.args.get("keys"), exp.Expression):
        return ("MAP", _element_shape(node.args["keys"], ctx), _element_shape(node.args.get("values"), ctx))
    if isinstance(node, exp.StrToMap):
        return ("MAP", "VARCHAR", "VARCHAR")
    if isinstance(node, (exp.Coalesce, exp.Greatest, exp.Least, exp.If, exp.Case)):
        values = _branches(node) if isinstance(node, (exp.If, exp.Case)) else [node.this, *node.expressions]
        return common_shape([v for v in values if isinstance(v, exp.Expression)], ctx)
    inner = shape_of(first, ctx) if isinstance(first, exp.Expression) else None
    if not isinstance(inner, tuple):
        return None
    if isinstance(node, exp.Flatten) and inner[0] == "LIST" and isinstance(inner[1], tuple) and inner[1][0] == "LIST":
        return inner[1]
    if isinstance(node, exp.MapKeys) and inner[0] == "MAP":
        return ("LIST", inner[1])
    if named == "map_values" and inner[0] == "MAP":
        return ("LIST", inner[2])
    if named == "map_entries" and inner[0] == "MAP":
        return ("LIST", ("STRUCT", (("key", inner[1]), ("value", inner[2]))))
    if isinstance(node, exp.MapFromEntries) and inner[0] == "LIST":
        entry = inner[1]
        if isinstance(entry, tuple) and entry[0] == "STRUCT" and len(entry[1]) == 2:
            return ("MAP", entry[1][0][1], entry[1][1][1])
        return None
    return part_shape(node, ctx) if isinstance(node, (exp.Bracket, exp.Dot)) else None


def part_shape(node: exp.Bracket | exp.Dot, ctx: Context) -> Shape:
    """The shape of an array's element, a map's value (`c[0]`, `c['k']`) or a struct's field (`(c).f`),
    from what the value holds; None where not known."""
    inner = shape_of(node.this, ctx)
    if not isinstance(inner, tuple):
        return None
    if isinstance(node, exp.Bracket) and len(node.expressions) == 1 and inner[0] in ("LIST", "MAP"):
        return inner[-1]
    if isinstance(node, exp.Dot) and inner[0] == "STRUCT":
        fields = [shape for name, shape in inner[1] if name.lower() == node.name.lower()]
        return fields[0] if len(fields) == 1 else None
    return None


# Functions of collections and a lambda (the last of their arguments) whose result is built from what the
# lambda returns, by how many collections they take.
_LAMBDA_RESULTS = {"zip_with": 2, "transform_values": 1, "transform_keys": 1, "map_zip_with": 2}


def _lambda_result_shape(named: str, given: list[exp.Expression], ctx: Context) -> Shape:
    lambda_ = given[-1]
    if not isinstance(lambda_, exp.Lambda):
        return None
    result = shape_of(lambda_.this, ctx)
    if named == "zip_with":
        return ("LIST", result)
    collection = shape_of(given[0], ctx)
    key, value = collection[1:] if isinstance(collection, tuple) and collection[0] == "MAP" else (None, None)
    if named == "transform_keys":
        return ("MAP", result, value)
    if named == "map_zip_with":
        other = shape_of(given[1], ctx)
        key = _merged(key, other[1]) if isinstance(other, tuple) and other[0] == "MAP" else None
    return ("MAP", key, result)


def _zipped_field(position: int, array: exp.Expression, ctx: Context) -> tuple[str, Shape]:
    """A field of arrays_zip's structs: named as the column, field or map value it zips, else by its position."""
    return own_name(array) or str(position), _element_shape(array, ctx)


def _element_shape(array: exp.Expression | None, ctx: Context) -> Shape:
    shape = shape_of(array, ctx) if array is not None else None
    return shape[1] if isinstance(shape, tuple) and shape[0] == "LIST" else None


def _branches(node: exp.If | exp.Case) -> list:
    if isinstance(node, exp.If):
        return [node.args.get("true"), node.args.get("false")]
    return [branch.args.get("true") for branch in node.args.get("ifs") or []] + [node.args.get("default")]


def common_shape(values: list[exp.Expression], ctx: Context) -> Shape:
    """The shape of the elements of array(values): NULL for none, None where they differ in kind."""
    shapes = [shape_of(value, ctx) for value in values]
    known = [s for s in shapes if s != "NULL"]
    if not known:
        return "NULL"
    if None in known or len({shape_category(s) for s in known}) > 1:
        return None
    merged = known[0]
    for shape in known[1:]:
        merged = _merged(merged, shape)
    return merged


def _merged(left: Shape, right: Shape) -> Shape:
    """One shape for values of two shapes of one category: what is NULL in one is the other's; None where
    their insides differ in kind or field names (the checks report those)."""
    if left == "NULL" or left == right:
        return right
    if right == "NULL":
        return left
    if left is None or right is None:
        return None
    if isinstance(left, str) and isinstance(right, str):
        return common_type([left, right])  # numbers widen as Databricks widens them
    if not (isinstance(left, tuple) and isinstance(right, tuple)):
        return left if isinstance(left, tuple) else right
    if left[0] != right[0]:
        return None
    if left[0] in ("LIST", "MAP"):
        return (left[0], *(_merged(a, b) for a, b in zip(left[1:], right[1:], strict=True)))
    if [name.lower() for name, _ in left[1]] != [name.lower() for name, _ in right[1]]:
        return None
    return ("STRUCT", tuple((name, _merged(a, b)) for (name, a), (_, b) in zip(left[1], right[1], strict=True)))


def shape_category(value: Shape) -> str | None:
    return category(value[0] if isinstance(value, tuple) else value)


def type_shape(data_type: exp.DataType) -> Shape:
    """The shape of a value of a type as parsed (`ARRAY<STRUCT<a: INT>>`)."""
    kind = parsed_kind(data_type)
    inner = [e for e in data_type.expressions if isinstance(e, exp.DataType)]
    if kind == "LIST" and len(inner) == 1:
        return ("LIST", type_shape(inner[0]))
    if kind == "MAP" and len(inner) == 2:
        return ("MAP", type_shape(inner[0]), type_shape(inner[1]))
    fields = [(e.name, e.args.get("kind")) for e in data_type.expressions if isinstance(e, exp.ColumnDef)]
    if kind == "STRUCT" and fields and len(fields) == len(data_type.expressions):
        typed_fields = [(name, t) for name, t in fields if isinstance(t, exp.DataType)]
        if len(typed_fields) == len(fields):
            return ("STRUCT", tuple((name, type_shape(t)) for name, t in typed_fields))
    return kind


@lru_cache(maxsize=512)
def duckdb_type_shape(data_type: str) -> Shape:
    """The shape of a value of a DuckDB column type (`STRUCT(a INTEGER, b VARCHAR[])`)."""
    from dialect.types import column_kind

    try:
        parsed = exp.DataType.build(data_type, dialect="duckdb")
    except Exception:  # noqa: BLE001 - a type sqlglot cannot read: only its kind is known
        return column_kind(data_type)
    if parsed_kind(parsed) not in ("LIST", "MAP", "STRUCT"):
        return column_kind(data_type)  # DuckDB's TIMESTAMP, which sqlglot reads as a TIMESTAMP_NTZ
    return type_shape(parsed)


def differences(left: Shape, right: Shape) -> set[str]:
    """How two values inside arrays, maps or structs differ where Databricks needs one type for both:
    `kind` (no common type: numbers meet numbers, a DATE a TIMESTAMP), `name` (struct fields named
    apart), `string` (a STRING beside another scalar)."""
    if left is None or right is None or "NULL" in (left, right):
        return set()
    if isinstance(left, tuple) and isinstance(right, tuple):
        if left[0] != right[0]:
            return {"kind"}
        if left[0] in ("LIST", "MAP"):
            return {d for a, b in zip(left[1:], right[1:], strict=True) for d in differences(a, b)}
        if len(left[1]) != len(right[1]):
            return {"kind"}
        found = {"name"} if any(a[0].lower() != b[0].lower() for a, b in zip(left[1], right[1], strict=True)) else set()
        return found | {d for a, b in zip(left[1], right[1], strict=True) for d in differences(a[1], b[1])}
    kinds = {shape_category(left), shape_category(right)}
    if len(kinds) == 1:
        return set()
    return {"string"} if "string" in kinds and not kinds & {"array", "map", "struct"} else {"kind"}


def type_sql(shape: Shape) -> str | None:
    """The Databricks type of a value of this shape as written in a CAST (`STRUCT<`a`: INT>`); None where
    part of it is unknown, NULL, a TIMESTAMP (of two kinds the local target keeps as one) or an interval."""
    if isinstance(shape, tuple):
        if shape[0] == "STRUCT":
            fields = [(name, type_sql(field)) for name, field in shape[1]]
            if not fields or any(t is None for _, t in fields):
                return None
            return "STRUCT<" + ", ".join("`" + name.replace("`", "``") + f"`: {t}" for name, t in fields) + ">"
        parts = [type_sql(part) for part in shape[1:]]
        if None in parts:
            return None
        return f"ARRAY<{parts[0]}>" if shape[0] == "LIST" else f"MAP<{parts[0]}, {parts[1]}>"
    if shape is None or shape in ("NULL", "TIMESTAMP"):
        return None
    if is_decimal(shape):
        return shape
    name = _SPARK_TYPE_NAMES.get(shape)
    return name.upper() if name is not None else None


def parts(shape: tuple) -> list[Shape]:
    """What a shape of an array, map or struct holds: its element, its key and value, its fields'."""
    return [field for _, field in shape[1]] if shape[0] == "STRUCT" else list(shape[1:])


def holds_a_map(shape: Shape) -> bool:
    """Whether a value of this shape is a MAP or holds one at any depth."""
    if not isinstance(shape, tuple):
        return shape == "MAP"
    return shape[0] == "MAP" or any(holds_a_map(part) for part in parts(shape))


def fully_known(shape: Shape) -> bool:
    """Whether every part of a shape is known."""
    return all(fully_known(part) for part in parts(shape)) if isinstance(shape, tuple) else shape is not None


def unnamed(shape: Shape) -> Shape:
    """A shape with its structs' field names left out: what pairs fields by place compares."""
    if not isinstance(shape, tuple):
        return shape
    if shape[0] == "STRUCT":
        return ("STRUCT", tuple(unnamed(field) for _, field in shape[1]))
    return (shape[0], *(unnamed(part) for part in shape[1:]))


# Databricks' names of the scalar types, as typeof answers them.
_SPARK_TYPE_NAMES = {"TINYINT": "tinyint", "SMALLINT": "smallint", "INTEGER": "int", "BIGINT": "bigint",
                    "DOUBLE": "double", "FLOAT": "float", "VARCHAR": "string", "DATE": "date",
                    "TIMESTAMP": "timestamp", "BOOLEAN": "boolean", "BLOB": "binary", "NULL": "void"}  # fmt: skip


def type_name(shape: Shape, timestamp: str | None = "timestamp") -> str | None:
    """What typeof answers for a value of this shape (`array<int>`, `struct<a:int,b:string>`), None where part
    of it is unknown; `timestamp` names a TIMESTAMP inside it."""
    if isinstance(shape, tuple):
        parts = [type_name(part, timestamp) for part in shape[1:]] if shape[0] != "STRUCT" else []
        if shape[0] == "LIST" and None not in parts:
            return f"array<{parts[0]}>"
        if shape[0] == "MAP" and None not in parts:
            return f"map<{parts[0]},{parts[1]}>"
        fields = [(name, type_name(field, timestamp)) for name, field in shape[1]] if shape[0] == "STRUCT" else []
        if fields and all(field is not None for _, field in fields):
            return "struct<" + ",".join(f"{name}:{field}" for name, field in fields) + ">"
        return None
    if shape == "TIMESTAMP":
        return timestamp
    if shape is not None and is_decimal(shape):
        precision, scale = decimal_parts(shape)
        return f"decimal({precision},{scale})"
    return _SPARK_TYPE_NAMES.get(shape) if shape is not None else None
