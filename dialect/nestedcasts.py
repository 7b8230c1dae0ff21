"""CAST and try_cast to an ARRAY, MAP or STRUCT: each element, key, value and field cast as Databricks casts
a value of its type, the struct's fields paired by place and named by the target.

Databricks casts an ARRAY to an ARRAY, a MAP to a MAP and a STRUCT to a STRUCT of as many fields when it
can cast what they hold; any other pair is rejected before the statement runs. DuckDB would cast what
they hold its own way (1.5 to an INT is 2, '1.5' to an INT fails where Databricks' try_cast gives NULL),
so the local target casts each part with the translator's own scalar casts.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NoReturn

from sqlglot import exp

from dialect.casts import spark_name
from dialect.common import Context, call, lambda_of, struct_field, typed
from dialect.errors import NotSupportedLocally, RejectedByDatabricks
from dialect.shapes import Shape, shape_of, type_name
from dialect.types import parsed_kind

ScalarCast = Callable[[exp.Cast], exp.Expression]


def nested_kind(data_type: exp.Expression) -> str | None:
    """LIST, MAP or STRUCT for a type that holds others, else None."""
    kind = parsed_kind(data_type) if isinstance(data_type, exp.DataType) else None
    return kind if kind in ("LIST", "MAP", "STRUCT") else None


def in_cast_target(data_type: exp.DataType) -> bool:
    """Whether a type is (inside) the type a CAST or try_cast casts to."""
    node = _outermost(data_type)
    return isinstance(node.parent, (exp.Cast, exp.TryCast)) and node.arg_key == "to"


def in_table_column(data_type: exp.DataType) -> bool:
    """Whether a type is (inside) the type of a column CREATE TABLE defines."""
    node = _outermost(data_type)
    schema = node.parent
    return isinstance(node, exp.ColumnDef) and isinstance(schema, exp.Schema) and isinstance(schema.parent, exp.Create)


def _outermost(data_type: exp.DataType) -> exp.Expression:
    """The outermost type a type is part of (a struct's field types are inside its ColumnDefs)."""
    node: exp.Expression = data_type
    while (
        isinstance(node.parent, exp.DataType)
        or isinstance(node.parent, exp.ColumnDef)
        and isinstance(node.parent.parent, exp.DataType)
    ):
        node = node.parent
    return node.parent if isinstance(node.parent, exp.ColumnDef) else node


def nested_cast(node: exp.Cast, ctx: Context, scalar_cast: ScalarCast) -> exp.Expression:
    """CAST(value AS ARRAY<...> | MAP<...> | STRUCT<...>); the target's scalar types are DuckDB's already."""
    written = node.to.meta.get("written") or "that type"
    cast = _Caster(isinstance(node, exp.TryCast), scalar_cast, written)
    return cast(node.this, shape_of(node.this, ctx), node.to, 0)


class _Caster:
    def __init__(self, try_: bool, scalar_cast: ScalarCast, written: str) -> None:
        self.try_ = try_
        self.scalar_cast = scalar_cast
        self.written = written

    def __call__(self, value: exp.Expression, source: Shape, target: exp.DataType, level: int) -> exp.Expression:
        kind = nested_kind(target)
        if kind is None:
            return self.scalar(value, source, target, level)
        if isinstance(value, exp.Null) or source == "NULL":
            return exp.Cast(this=exp.Null(), to=target.copy())
        fields = [d for d in target.expressions if isinstance(d, exp.ColumnDef)]
        if any(field.args.get("constraints") for field in fields):
            raise NotSupportedLocally(f"CAST to {self.written}, a struct with NOT NULL or COMMENT on a field")
        if not isinstance(source, tuple):
            if source in (None, "LIST", "MAP", "STRUCT"):
                raise NotSupportedLocally(
                    f"CAST to {self.written} of a value whose types inside the local target cannot tell",
                    "CAST a value whose types the statement tells (a column of a table, an array(...) literal)",
                )
            self.reject(spark_name(source))
        if source[0] != kind or kind == "STRUCT" and len(source[1]) != len(fields):
            self.reject(type_name(source) or source[0])
        name = f"__cast_{level}"
        if kind == "LIST":
            element = self(_part(name, source[1]), source[1], target.expressions[0], level + 1)
            result = call("list_transform", value, lambda_of(element, name))
        elif kind == "MAP":
            key = self(_part(name, source[1], "key"), source[1], target.expressions[0], level + 1)
            item = self(_part(name, source[2], "value"), source[2], target.expressions[1], level + 1)
            entry = exp.Struct(expressions=[struct_field("key", key), struct_field("value", item)])
            result = call(
                "map_from_entries", call("list_transform", call("map_entries", value), lambda_of(entry, name))
            )
        else:
            # Fields paired by place; the value is named once (a lambda over a one-element list), so a
            # value that changes at each evaluation is evaluated once.
            cast_fields = [
                struct_field(field.name, self(_part(name, shape, position), shape, field.args["kind"], level + 1))
                for position, ((_, shape), field) in enumerate(zip(source[1], fields, strict=True), start=1)
            ]
            missing = exp.If(this=exp.Is(this=exp.column(name), expression=exp.Null()), true=exp.Null())
            body = exp.Case(ifs=[missing], default=exp.Struct(expressions=cast_fields))
            each = call("list_transform", exp.Array(expressions=[value]), lambda_of(body, name))
            result = call("list_extract", each, exp.Literal.number(1))
        # The cast to the DuckDB type pins the type of an empty array or map.
        return typed(exp.Cast(this=result, to=target.copy()), kind)

    def scalar(self, value: exp.Expression, source: Shape, target: exp.DataType, level: int) -> exp.Expression:
        if source == "NULL":
            return exp.Cast(this=value, to=target.copy())  # a NULL element or field: NULL of the type
        cast = (exp.TryCast if self.try_ else exp.Cast)(this=value, to=target.copy())
        if not (self.try_ and level > 0):
            return self.scalar_cast(cast)
        try:
            return self.scalar_cast(cast)
        except RejectedByDatabricks as rejected:
            # Inside a try_cast Databricks takes some pairs its own try_cast of a scalar rejects
            # (a BOOLEAN to a TIMESTAMP, a DATE to an INT: NULL), by rules the local target does not follow.
            alone = f"try_cast to {self.written} of parts whose type try_cast would reject alone"
            raise NotSupportedLocally(alone, "CAST the parts first") from rejected

    def reject(self, source: str) -> NoReturn:
        raise RejectedByDatabricks("DATATYPE_MISMATCH.CAST_WITHOUT_SUGGESTION", f"CAST of {source} to {self.written}")


def _part(name: str, shape: Shape, part: str | int | None = None) -> exp.Expression:
    """An element (the lambda's parameter), a map entry's key or value, or a struct's field by place, typed."""
    value: exp.Expression = exp.column(name)
    if isinstance(part, str):
        value = call("struct_extract", value, exp.Literal.string(part))
    elif isinstance(part, int):
        value = call("struct_extract_at", value, exp.Literal.number(part))
    kind = shape[0] if isinstance(shape, tuple) else shape
    value = typed(value, kind) if kind is not None else value
    if isinstance(shape, tuple):
        value.meta["spark_shape"] = shape
    return value
