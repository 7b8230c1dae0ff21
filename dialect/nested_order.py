"""Databricks' order of arrays and structs: inside them, a NULL element or field comes before any value.

DuckDB puts it after, so `array(1, NULL)` is the smaller of the two arrays in Databricks and the larger in
DuckDB, and array_sort, array_min, max_by and the like answer differently over arrays of arrays or of
structs. Such a value is ordered by its key: each element and field beside whether it is NULL, as a
struct `{'n': element IS NOT NULL, 'v': its key}`, which DuckDB orders as Databricks orders the value.
"""

from __future__ import annotations

from sqlglot import exp

from dialect.common import Context, call, lambda_of, struct_field, typed
from dialect.errors import NotSupportedLocally
from dialect.shapes import Shape, shape_of


def is_nested(value: exp.Expression, ctx: Context) -> bool:
    """Whether a value is an array or struct, whose order Databricks and DuckDB tell apart."""
    shape = shape_of(value, ctx)
    kind = shape[0] if isinstance(shape, tuple) else shape
    return kind in ("LIST", "STRUCT")


def elements_nested(array: exp.Expression, ctx: Context) -> bool:
    """Whether an array's elements are arrays or structs."""
    shape = shape_of(array, ctx)
    element = shape[1] if isinstance(shape, tuple) and shape[0] == "LIST" else None
    return (element[0] if isinstance(element, tuple) else element) in ("LIST", "STRUCT")


def order_key(value: exp.Expression, ctx: Context, construct: str) -> exp.Expression:
    """A value DuckDB orders as Databricks orders `value` (an array or struct); NULL where it is NULL."""
    return _key(value, shape_of(value, ctx), 0, construct)


def sort_by_key(array: exp.Expression, ctx: Context, order: str, nulls: str) -> exp.Expression:
    """The elements of an array of arrays or structs in Databricks' order; its NULL elements where `nulls` says."""
    keyed = _keyed_elements(array, ctx, "sorting an array", nulls_kept=True)
    ordered = call("list_sort", keyed, exp.Literal.string(order), exp.Literal.string(nulls))
    name = "__sorted"
    return call(
        "list_transform", ordered, lambda_of(call("struct_extract", exp.column(name), exp.Literal.string("v")), name)
    )


def _keyed_elements(array: exp.Expression, ctx: Context, construct: str, nulls_kept: bool) -> exp.Expression:
    """The elements of an array of arrays or structs, each as `{'k': its key, 'v': the element}`; a NULL
    element as NULL where `nulls_kept` (for list_sort to place), else as a pair of NULLs."""
    shape = shape_of(array, ctx)
    element = shape[1] if isinstance(shape, tuple) and shape[0] == "LIST" else None
    name = "__keyed"
    item = _typed_part(exp.column(name), element)
    pair: exp.Expression = exp.Struct(
        expressions=[struct_field("k", _key(item, element, 1, construct)), struct_field("v", item.copy())]
    )
    return call("list_transform", array, lambda_of(_unless_null(name, pair) if nulls_kept else pair, name))


def compare_by_key(node: exp.Expression, ctx: Context) -> None:
    """`<`, `<=`, `>`, `>=` or BETWEEN of arrays or structs: their keys compared instead (typecheck checked
    that every value is nested, or a NULL, with its types known)."""
    values = [(key, value) for key in ("this", "expression", "low", "high") if (value := node.args.get(key))]
    if not any(is_nested(value, ctx) for _, value in values):
        return
    for key, value in values:
        if not isinstance(value, exp.Null):
            node.set(key, order_key(value, ctx, "a comparison"))


def greatest_or_least(node: exp.Greatest | exp.Least, ctx: Context) -> exp.Expression:
    """greatest and least of arrays or structs: the first of the values (NULLs aside) that no later one
    orders after (greatest) or before (least), as Databricks folds them; each value evaluated once."""
    values = [v for v in [node.this, *node.expressions] if not isinstance(v, exp.Null)]
    if not values or not any(is_nested(value, ctx) for value in values):
        return node
    construct = "greatest()" if isinstance(node, exp.Greatest) else "least()"
    keyed = _keyed_elements(exp.Array(expressions=values), ctx, construct, nulls_kept=False)
    best, candidate = exp.column("__best"), exp.column("__next")
    best_key, candidate_key = (call("struct_extract", c.copy(), exp.Literal.string("k")) for c in (best, candidate))
    later = exp.GT if isinstance(node, exp.Greatest) else exp.LT
    better = exp.and_(
        exp.Not(this=exp.Is(this=candidate_key, expression=exp.Null())),
        exp.paren(exp.or_(exp.Is(this=best_key.copy(), expression=exp.Null()),
                          later(this=candidate_key.copy(), expression=best_key.copy()))),
    )  # fmt: skip
    choose = exp.Case(ifs=[exp.If(this=better, true=candidate)], default=best)
    folded = call("list_reduce", keyed, lambda_of(choose, "__best", "__next"))
    return call("struct_extract", folded, exp.Literal.string("v"))


def _key(value: exp.Expression, shape: Shape, level: int, construct: str) -> exp.Expression:
    if not isinstance(shape, tuple):
        if shape in (None, "LIST", "STRUCT", "MAP"):
            raise NotSupportedLocally(
                f"{construct} of arrays or structs whose types inside the local target cannot tell",
                "CAST them to their type first",
            )
        return value
    name = f"__order_{level}"
    part = exp.column(name)
    if shape[0] == "LIST":
        element = _typed_part(part, shape[1])
        flagged = _flagged(element, _key(element.copy(), shape[1], level + 1, construct))
        return call("list_transform", value, lambda_of(flagged, name))
    if shape[0] != "STRUCT":
        raise NotSupportedLocally(f"{construct} of a MAP value")  # Databricks rejects it before (typecheck)
    fields = []
    for position, (_, field_shape) in enumerate(shape[1], start=1):
        field = _typed_part(call("struct_extract_at", part, exp.Literal.number(position)), field_shape)
        fields.append(
            struct_field(f"f{position}", _flagged(field, _key(field.copy(), field_shape, level + 1, construct)))
        )
    # The struct is named once (a lambda over a one-element list), so it is evaluated once.
    body = _unless_null(name, exp.Struct(expressions=fields))
    return call("list_extract", call("list_transform", exp.Array(expressions=[value]), lambda_of(body, name)),
                exp.Literal.number(1))  # fmt: skip


def _flagged(value: exp.Expression, key: exp.Expression) -> exp.Expression:
    """A part and whether it is NULL: FALSE orders first, so a NULL part comes before any value."""
    present = exp.Not(this=exp.Is(this=value, expression=exp.Null()))
    return exp.Struct(expressions=[struct_field("n", present), struct_field("v", key)])


def _unless_null(name: str, value: exp.Expression) -> exp.Expression:
    missing = exp.If(this=exp.Is(this=exp.column(name), expression=exp.Null()), true=exp.Null())
    return exp.Case(ifs=[missing], default=value)


def _typed_part(value: exp.Expression, shape: Shape) -> exp.Expression:
    kind = shape[0] if isinstance(shape, tuple) else shape
    value = typed(value, kind) if kind is not None else value
    if isinstance(shape, tuple):
        value.meta["spark_shape"] = shape
    return value
