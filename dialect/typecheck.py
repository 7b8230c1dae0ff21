"""The type checks Databricks makes before it runs a statement, where DuckDB would convert instead.

DuckDB compares a BOOLEAN with a number, or takes the larger of a number and a BOOLEAN; Databricks
rejects both with DATATYPE_MISMATCH. Where both types are known and Databricks would reject the mix,
the translation is refused with Databricks' error class. A STRING meets any scalar type: Databricks
casts it to the other type (failing at run time on a malformed value, as DuckDB does).
"""

from __future__ import annotations

import re
from typing import NoReturn

from sqlglot import exp

from dialect.common import Context, call, spark_type
from dialect.errors import NotSupportedLocally, RejectedByDatabricks
from dialect.names import branches
from dialect.shapes import (
    category,
    differences,
    fully_known,
    holds_a_map,
    shape_category,
    shape_of,
    type_sql,
    unnamed,
)
from dialect.types import is_numeric, wider_in_order

_SPARK_NAMES = {"numeric": "a number", "datetime": "a DATE or TIMESTAMP", "string": "a STRING",
                "boolean": "a BOOLEAN", "array": "an ARRAY", "map": "a MAP", "struct": "a STRUCT",
                "binary": "a BINARY"}  # fmt: skip


def compatible(a: str | None, b: str | None) -> bool:
    if "NULL" in (a, b):  # a VOID value (raise_error) meets any type
        return True
    ca, cb = category(a), category(b)
    if ca is None or cb is None or ca == cb:
        return True
    scalar = ("numeric", "datetime", "boolean", "string")
    return (ca == "string" and cb in scalar) or (cb == "string" and ca in scalar)


def check_same_kind(
    nodes: list[exp.Expression | None], ctx: Context, construct: str, ordered: bool | str = False
) -> None:
    """Refuse when two of the values (NULL literals aside) are of kinds Databricks does not mix.

    `ordered`: the values are compared, which Databricks does not do for MAP values; "order" where they
    are ordered (`<`, BETWEEN), "pick" where one of them is picked by their order (greatest, least)."""
    kinds = [spark_type(n, ctx) for n in nodes if n is not None and not isinstance(n, exp.Null)]
    if ordered:
        reject_map_ordering([n for n in nodes if n is not None], ctx, construct)
    for i, left in enumerate(kinds):
        for right in kinds[i + 1 :]:
            if left is not None and right is not None and not compatible(left, right):
                raise RejectedByDatabricks(
                    "DATATYPE_MISMATCH",
                    f"{construct} of {_SPARK_NAMES.get(category(left), left)} and "
                    f"{_SPARK_NAMES.get(category(right), right)}",
                )
    values = [n for n in nodes if n is not None and not isinstance(n, exp.Null)]
    if ordered in ("order", "pick") and ({"LIST", "STRUCT"} & set(kinds)):
        _check_ordered_shapes(values, ctx, construct, names_apart=ordered == "order")
        return
    _check_same_shape(values, ctx, construct, ordered)


def _check_ordered_shapes(values: list[exp.Expression], ctx: Context, construct: str, names_apart: bool) -> None:
    """Arrays or structs ordered (`<`, BETWEEN, greatest): the translation compares their order keys
    (dialect/nested_order.py), which needs every type inside them, and one type for them all up to the
    widening of numbers and dates. `names_apart`: the construct pairs struct fields by place, whatever
    their names (a comparison does, greatest and least reject structs named apart)."""
    shapes = [shape_of(value, ctx) for value in values]
    if not all(isinstance(shape, tuple) and fully_known(shape) for shape in shapes):
        raise NotSupportedLocally(f"{construct} of arrays or structs whose types inside the local target cannot tell",
                                  "CAST them to their type first")  # fmt: skip
    for i, left in enumerate(shapes):
        for right in shapes[i + 1 :]:
            apart = differences(left, right)
            if "kind" in apart:
                raise RejectedByDatabricks("DATATYPE_MISMATCH.BINARY_OP_DIFF_TYPES" if names_apart
                                           else "DATATYPE_MISMATCH.DATA_DIFF_TYPES",
                                           f"{construct} of arrays or structs whose elements or fields are of "
                                           "different types")  # fmt: skip
            if "name" in apart and not names_apart:
                raise RejectedByDatabricks("DATATYPE_MISMATCH.DATA_DIFF_TYPES",
                                           f"{construct} of structs whose fields are named differently")  # fmt: skip
            if not _ordered_alike(left, right):
                raise NotSupportedLocally(f"{construct} of arrays or structs of different types",
                                          "CAST them to one type")  # fmt: skip


# Scalar types a key of one compares with a key of the other as Databricks compares the two values.
_WIDENED_ALIKE = ({"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "FLOAT", "DOUBLE"}, {"DATE", "TIMESTAMP"})


def _ordered_alike(left: object, right: object) -> bool:
    """Two shapes of one kind (differences found none) whose keys DuckDB compares as Databricks compares."""
    if isinstance(left, tuple) and isinstance(right, tuple):
        if left[0] == "STRUCT":
            return all(_ordered_alike(a, b) for (_, a), (_, b) in zip(left[1], right[1], strict=True))
        return all(_ordered_alike(a, b) for a, b in zip(left[1:], right[1:], strict=True))
    if left == right or "NULL" in (left, right):
        return True
    return any(left in group and right in group for group in _WIDENED_ALIKE)


def _check_same_shape(
    values: list[exp.Expression],
    ctx: Context,
    construct: str,
    ordered: bool | str,
    error_class: str = "DATATYPE_MISMATCH.DATA_DIFF_TYPES",
) -> None:
    """Refuse arrays, maps and structs written in the statement whose elements or fields Databricks
    finds no common type for (check_same_kind compares only their kinds)."""
    shapes = [shape_of(v, ctx) for v in values if spark_type(v, ctx) in ("LIST", "MAP", "STRUCT")]
    found: set[str] = set()
    for i, left in enumerate(shapes):
        for right in shapes[i + 1 :]:
            apart = differences(left, right)
            if ordered and shape_category(left) == shape_category(right) == "array":
                apart &= {"name"}  # the elements of two arrays compared are checked as the statement runs
            found |= apart
    if "kind" in found or ("name" in found and not ordered):
        what = "of different types" if "kind" in found else "named differently"
        raise RejectedByDatabricks(error_class, f"{construct} of arrays or structs whose elements or fields are {what}")
    if "string" in found:
        # Whether Databricks casts the STRING depends on the construct and on the values' order.
        raise NotSupportedLocally(f"{construct} of arrays or structs with a STRING where the other has another type",
                                  "CAST them to one type")  # fmt: skip
    if "name" in found:
        # A comparison pairs the fields by place in Databricks, by name in DuckDB.
        raise NotSupportedLocally(f"{construct} of structs whose fields are named differently",
                                  "give the fields the same names")  # fmt: skip


# The comparisons of two values for equality.
_EQUALITIES = (exp.EQ, exp.NEQ, exp.NullSafeEQ, exp.NullSafeNEQ, exp.EqualNull)


def reject_map_ordering(values: list[exp.Expression | None], ctx: Context, construct: str) -> None:
    """Values compared or ordered: Databricks does neither for a MAP, nor for an array or struct that
    holds one (DuckDB does both)."""
    if any(holds_a_map(shape_of(value, ctx)) for value in values if value is not None):
        raise RejectedByDatabricks("DATATYPE_MISMATCH.INVALID_ORDERING_TYPE", f"{construct} of MAP values")


# The functions that compare the elements of their array arguments (array_sort only without a comparator).
_ELEMENTS_COMPARED = (exp.ArrayContains, exp.ArrayPosition, exp.ArrayRemove, exp.ArrayDistinct, exp.ArrayIntersect,
                      exp.ArrayExcept, exp.ArrayMin, exp.ArrayMax, exp.ArraySort)  # fmt: skip
_ELEMENTS_COMPARED_BY_NAME = ("array_union", "arrays_overlap")


def check_orderable(node: exp.Expression, ctx: Context) -> None:
    """The functions, windows and map constructors that need their values compared: Databricks rejects a
    MAP there, or a value that holds one, before it runs anything."""
    named = isinstance(node, exp.Anonymous) and node.name.lower() in _ELEMENTS_COMPARED_BY_NAME
    if named or isinstance(node, _ELEMENTS_COMPARED):
        if isinstance(node, exp.ArraySort) and node.expression is not None:
            return  # its comparator orders the elements
        values = [] if named else [node.this, node.args.get("expression")]
        reject_map_ordering([*values, *node.expressions], ctx, _written(node))
    elif isinstance(node, (exp.ArgMax, exp.ArgMin)):
        reject_map_ordering([node.expression], ctx, _written(node))
    elif isinstance(node, exp.ArrayUniqueAgg) and holds_a_map(shape_of(node.this, ctx)):
        raise RejectedByDatabricks("DATATYPE_MISMATCH.UNSUPPORTED_INPUT_TYPE", "collect_set of MAP values")
    elif isinstance(node, exp.Window):
        if any(holds_a_map(shape_of(value, ctx)) for value in node.args.get("partition_by") or []):
            raise RejectedByDatabricks("EXPRESSION_TYPE_IS_NOT_ORDERABLE", "PARTITION BY a MAP value")
    elif isinstance(node, (exp.VarMap, exp.Map, exp.MapFromEntries)):
        keys = node.args.get("keys")
        shape = shape_of(node, ctx)
        if (keys is not None and holds_a_map(shape_of(keys, ctx))) or (
            isinstance(shape, tuple) and shape[0] == "MAP" and holds_a_map(shape[1])
        ):
            raise RejectedByDatabricks("DATATYPE_MISMATCH.INVALID_MAP_KEY_TYPE", f"{_written(node)} with MAP keys")


# Functions whose sqlglot class names them otherwise than Databricks' users write them.
_WRITTEN: dict[type[exp.Expression], str] = {
    exp.ArgMax: "max_by", exp.ArgMin: "min_by", exp.VarMap: "map", exp.Map: "map_from_arrays",
    exp.ArraySort: "array_sort or sort_array",
}  # fmt: skip


def _written(node: exp.Expression) -> str:
    if isinstance(node, exp.Anonymous):
        return node.name.lower()
    return _WRITTEN.get(type(node)) or re.sub(r"(?<!^)(?=[A-Z])", "_", type(node).__name__).lower()


def check_operands(node: exp.Expression, ctx: Context) -> None:
    """Comparisons and the functions whose arguments must share a type."""
    check_orderable(node, ctx)
    if isinstance(node, (exp.GT, exp.GTE, exp.LT, exp.LTE)):
        check_same_kind([node.this, node.expression], ctx, "a comparison", ordered="order")
    elif isinstance(node, _EQUALITIES):
        check_same_kind([node.this, node.expression], ctx, "a comparison", ordered=True)
    elif isinstance(node, exp.In) and node.expressions:
        check_same_kind([node.this, *node.expressions], ctx, "IN", ordered=True)
    elif isinstance(node, exp.Between):
        check_same_kind([node.this, node.args.get("low"), node.args.get("high")], ctx, "BETWEEN", ordered="order")
    elif isinstance(node, exp.Coalesce):
        check_same_kind([node.this, *node.expressions], ctx, "coalesce()")
    elif isinstance(node, exp.Array):
        # sqlglot holds map(k1, v1, ...) as its keys and its values, each an array.
        in_map = isinstance(node.parent, (exp.VarMap, exp.Map))
        construct = f"the {node.arg_key} of map()" if in_map else "array()"
        check_same_kind(list(node.expressions), ctx, construct)
        _refuse_untyped_beside_typed(list(node.expressions), ctx, construct)
    elif isinstance(node, (exp.Greatest, exp.Least)):
        # No string promotion here: greatest('9', 1) is an error in Databricks.
        name = "greatest" if isinstance(node, exp.Greatest) else "least"
        values = [v for v in [node.this, *node.expressions] if not isinstance(v, exp.Null)]
        kinds = {category(spark_type(v, ctx)) for v in values}
        if None not in kinds and len(kinds) > 1:
            raise RejectedByDatabricks("DATATYPE_MISMATCH.DATA_DIFF_TYPES", f"{name}() of values of different types")
        check_same_kind(values, ctx, f"{name}()", ordered="pick")
    elif isinstance(node, exp.Nullif):
        check_same_kind([node.this, node.expression], ctx, "nullif()", ordered=True)
    elif isinstance(node, (exp.If, exp.Nvl2)):
        check_same_kind([node.args.get("true"), node.args.get("false")], ctx, "the branches of if()")
    elif isinstance(node, exp.Case):
        branches = [b.args.get("true") for b in node.args.get("ifs") or []]
        check_same_kind([*branches, node.args.get("default")], ctx, "the branches of CASE")
        subject = node.this
        if subject is not None:
            keys = [b.this for b in node.args.get("ifs") or []]
            check_same_kind([subject, *keys], ctx, "CASE ... WHEN", ordered=True)


def check_set_operation(node: exp.SetOperation, ctx: Context) -> None:
    """The columns of a UNION, INTERSECT or EXCEPT: Databricks needs a common type for each, and pairs the
    fields of structs by place, keeping the first query's names; DuckDB pairs them by name, and casts a
    BOOLEAN to a number."""
    queries = branches(node)
    if len(queries) < 2 or any(p.is_star for q in queries for p in q.expressions):
        return
    operation = type(node).__name__.upper()
    for position in range(min(len(q.expressions) for q in queries)):
        values = [q.expressions[position].unalias() for q in queries]
        values = [v for v in values if not isinstance(v, exp.Null)]
        kinds = [spark_type(v, ctx) for v in values]
        shapes = [shape_of(v, ctx) for v, kind in zip(values, kinds, strict=True) if kind in ("LIST", "MAP", "STRUCT")]
        found = {d for i, left in enumerate(shapes) for right in shapes[i + 1 :] for d in differences(left, right)}
        if "kind" in found or not all(compatible(a, b) for i, a in enumerate(kinds) for b in kinds[i + 1 :]):
            raise RejectedByDatabricks("INCOMPATIBLE_COLUMN_TYPE", f"{operation} of columns {position + 1} "
                                       "of types with no common type")  # fmt: skip
        if "name" in found:
            # A UNION of structs of the same types by place was cast to the first query's names before
            # (align_union_struct_names) where their types can be written (not a TIMESTAMP's); others
            # Databricks rejects, unless a part's type is unknown.
            alike = all(unnamed(shape) == unnamed(shapes[0]) for shape in shapes)
            if alike and isinstance(node, exp.Union) or not all(fully_known(shape) for shape in shapes):
                raise NotSupportedLocally(f"{operation} of structs whose fields are named differently",
                                          "give the fields the same names")  # fmt: skip
            raise RejectedByDatabricks("INCOMPATIBLE_COLUMN_TYPE", f"{operation} of columns {position + 1} of "
                                       "structs whose fields are named differently")  # fmt: skip
        if "string" in found:
            raise NotSupportedLocally(f"{operation} of arrays or structs with a STRING where the other has "
                                      "another type", "CAST them to one type")  # fmt: skip
        if node.args.get("distinct") is not False and any(holds_a_map(shape) for shape in shapes):
            _reject_map_comparison(f"{operation} of a column")  # after the types, as Databricks checks


def reject_distinct_maps(tree: exp.Expression, ctx: Context) -> None:
    """SELECT DISTINCT of a column that holds a MAP: Databricks cannot compare maps (DuckDB can)."""
    for select in tree.find_all(exp.Select):
        if select.args.get("distinct") is None or any(p.is_star for p in select.expressions):
            continue
        if any(holds_a_map(shape_of(p.unalias(), ctx)) for p in select.expressions):
            _reject_map_comparison("SELECT DISTINCT of a column")


def _reject_map_comparison(construct: str) -> NoReturn:
    raise RejectedByDatabricks("UNSUPPORTED_FEATURE.SET_OPERATION_ON_MAP_TYPE", f"{construct} that holds a MAP")


def align_union_struct_names(tree: exp.Expression, ctx: Context) -> None:
    """A UNION of structs whose fields are named apart but of the same types by place: Databricks keeps the
    first query's names and pairs the fields by place, where DuckDB pairs them by name. Each later query's
    value is cast to the first query's type, which pairs them by place. Other differences are left to
    check_set_operation."""
    for node in tree.find_all(exp.Union):
        queries = branches(node)
        if len(queries) < 2 or not _unions_only(node) or any(p.is_star for q in queries for p in q.expressions):
            continue
        for position in range(min(len(q.expressions) for q in queries)):
            _cast_to_first_names([q.expressions[position].unalias() for q in queries], ctx)


def align_compared_struct_names(tree: exp.Expression, ctx: Context) -> None:
    """Structs whose fields are named apart but of the same types by place, compared for equality (`=`, `<=>`,
    `IN`, `nullif`, CASE ... WHEN): Databricks pairs the fields by place, DuckDB by name. Each later value is
    cast to the first's type, which pairs them by place."""
    for node in tree.find_all(*_EQUALITIES, exp.In, exp.Nullif, exp.Case):
        if isinstance(node, exp.In):
            values = [node.this, *node.expressions] if node.expressions else []
        elif isinstance(node, exp.Case):
            values = [node.this, *(b.this for b in node.args.get("ifs") or [])] if node.this is not None else []
        else:
            values = [node.this, node.expression]
        if len(values) > 1 and all(isinstance(v, exp.Expression) for v in values):
            _cast_to_first_names(values, ctx)


def _cast_to_first_names(values: list[exp.Expression], ctx: Context) -> None:
    """Cast each value that holds structs named apart from the first value's, of the same types by place,
    to the first value's type (a cast pairs struct fields by place); where the type cannot be written
    (a TIMESTAMP inside) or other differences remain, the values are left as they are."""
    shapes = [shape_of(v, ctx) for v in values]
    first, target = shapes[0], type_sql(shapes[0])
    renamed = [i for i, shape in enumerate(shapes[1:], start=1) if "name" in differences(first, shape)]
    if not renamed or target is None or any(unnamed(shapes[i]) != unnamed(first) for i in renamed):
        return
    for i in renamed:
        value = values[i]
        value.replace(exp.Cast(this=value.copy(), to=exp.DataType.build(target, dialect="databricks")))


def _unions_only(query: exp.Expression) -> bool:
    if isinstance(query, exp.Subquery):
        return _unions_only(query.this)
    if isinstance(query, exp.SetOperation):
        return isinstance(query, exp.Union) and _unions_only(query.this) and _unions_only(query.expression)
    return True


def _refuse_untyped_beside_typed(values: list[exp.Expression], ctx: Context, construct: str) -> None:
    """Values that must share a type, one of a type the translation cannot tell beside a number, date,
    boolean or collection: Databricks fails unless they are of one kind, DuckDB would cast one."""
    kinds = [spark_type(v, ctx) for v in values if not isinstance(v, exp.Null)]
    if None in kinds and any(k not in (None, "VARCHAR") for k in kinds):
        raise NotSupportedLocally(f"{construct} of a value whose type the local target cannot tell beside typed ones")


def _string_target(kinds: list[str | None]) -> str | None:
    """The type a STRING among these values is cast to (Databricks' string promotion), if any."""
    others = [k for k in kinds if k not in (None, "VARCHAR", "NULL")]
    if "VARCHAR" not in kinds or not others or None in kinds:
        return None
    # The values' common type, taken in their order: '1.05' IN (3, 1.1) reads '1.05' as a DECIMAL(21,1)
    # (1.1, true), '1.05' IN (1.1, 3) as a DOUBLE (false).
    target = wider_in_order(kinds)
    return None if target == "VARCHAR" else target


def operand_slots(node: exp.Expression) -> list[tuple[exp.Expression, str, int | None]]:
    """(parent, argument name, list index) of the values that meet in `node`."""
    if isinstance(node, (exp.EQ, exp.NEQ, exp.GT, exp.GTE, exp.LT, exp.LTE, exp.NullSafeEQ, exp.NullSafeNEQ,
                         exp.EqualNull, exp.Nullif, exp.BitwiseAnd, exp.BitwiseOr, exp.BitwiseXor)):  # fmt: skip
        return [(node, "this", None), (node, "expression", None)]
    if isinstance(node, exp.Array) and node.expressions:
        # array()'s values, and map()'s keys or its values (sqlglot holds each as an array)
        return [(node, "expressions", i) for i in range(len(node.expressions))]
    if isinstance(node, (exp.In, exp.Coalesce)) and node.expressions:
        return [(node, "this", None)] + [(node, "expressions", i) for i in range(len(node.expressions))]
    if isinstance(node, exp.Between):
        return [(node, "this", None), (node, "low", None), (node, "high", None)]
    if isinstance(node, (exp.If, exp.Nvl2)) and node.args.get("false") is not None:
        return [(node, "true", None), (node, "false", None)]
    if isinstance(node, exp.Case):
        slots: list[tuple[exp.Expression, str, int | None]] = [
            (branch, "true", None) for branch in node.args.get("ifs") or []
        ]
        if node.args.get("default") is not None:
            slots.append((node, "default", None))
        return slots
    return []


def promote_strings(node: exp.Expression, ctx: Context, convert) -> None:
    """Cast the STRING values that meet numbers, dates or booleans to their type, as Databricks does.

    `convert(value, kind)` is the translator's CAST with Databricks' reading of strings."""
    slots = operand_slots(node)
    values = [slot_value(parent, key, index) for parent, key, index in slots]
    kinds = [None if v is None else ("NULL" if isinstance(v, exp.Null) else spark_type(v, ctx)) for v in values]
    target = _string_target(kinds)
    if target is None:
        _guard_unknown_operands(slots, values, kinds)
        _guard_branches_not_taken(node, values, kinds)
        return
    if target == "TIMESTAMP" and "VARCHAR" in kinds:
        target = _timestamp_kind(values, kinds)
    for (parent, key, index), value, kind in zip(slots, values, kinds, strict=True):
        if kind == "VARCHAR":
            replace_slot(parent, key, index, convert(value, target))


def _timestamp_kind(values: list, kinds: list[str | None]) -> str:
    """What a STRING beside timestamps is read as: a TIMESTAMP_NTZ beside TIMESTAMP_NTZ values (a zone or
    offset in the text dropped), else a TIMESTAMP (moved to UTC by its offset). Beside both kinds it is
    refused: Databricks reads it by the wider of the two."""
    from dialect.casts import is_without_time_zone

    without = [is_without_time_zone(v) for v, k in zip(values, kinds, strict=True) if k == "TIMESTAMP"]
    if without and all(without):
        return "TIMESTAMP_NTZ"
    if any(without):
        raise NotSupportedLocally("a string beside both a TIMESTAMP_NTZ and another timestamp", "CAST the string")
    return "TIMESTAMP"


def _guard_unknown_operands(slots, values: list, kinds: list[str | None]) -> None:
    """A STRING beside a value of a type the translation cannot tell: Databricks would cast the string to
    that type where it is a number, date or boolean ('7.0' = 7 fails), DuckDB reads it its own way. The
    string is checked when the statement runs: beside anything but a string it fails with UNSUPPORTED.
    So is a value of unknown type beside a number, date or boolean, which may be a string when it runs,
    or a value of another kind, which Databricks rejects (DATATYPE_MISMATCH)."""
    unknown = [v for v, k in zip(values, kinds, strict=True) if v is not None and k is None]
    if not unknown:
        return
    if "VARCHAR" in kinds:
        for (parent, key, index), value, kind in zip(slots, values, kinds, strict=True):
            if kind == "VARCHAR":
                for other in unknown:
                    value = call("spark_string_beside_unknown", other.copy(), value)
                replace_slot(parent, key, index, value)
    elif typed := [category(k) for k in kinds if _read_from_strings(k)]:
        expected = exp.Literal.string(typed[0])  # one category: check_same_kind refused a mix
        for (parent, key, index), value, kind in zip(slots, values, kinds, strict=True):
            if value is not None and kind is None:
                replace_slot(parent, key, index, call("spark_unknown_beside_typed", value, expected))


def _guard_branches_not_taken(node: exp.Expression, values: list, kinds: list[str | None]) -> None:
    """A value of unknown type among the branches of if, nvl2, CASE or among coalesce's values, beside a
    number, date or boolean: Databricks rejects the statement when the types differ, whichever branch is
    taken, but the guard around the value itself runs only where it is. So its type is checked again on
    the part that always runs (the condition, the subject or the first value): typeof does not evaluate
    its argument."""
    if not isinstance(node, (exp.If, exp.Nvl2, exp.Case, exp.Coalesce)):
        return
    typed = [category(k) for k in kinds if _read_from_strings(k)]
    if not typed:
        return
    if isinstance(node, exp.Case) and node.this is None:
        first, key = (node.args.get("ifs") or [None])[0], "this"
    else:
        first, key = node, "this"
    if first is None or first.args.get(key) is None:
        return
    for value, kind in zip(values, kinds, strict=True):
        if value is not None and kind is None and value is not first.args[key]:
            checked = call("spark_kinds_meet", first.args[key], value.copy(), exp.Literal.string(typed[0]))
            first.set(key, checked)


def _read_from_strings(kind: str | None) -> bool:
    """Whether Databricks casts a STRING beside a value of this type to it."""
    return is_numeric(kind) or kind in ("DATE", "TIMESTAMP", "BOOLEAN")


def guard_list_comparison(node: exp.Expression, ctx: Context) -> None:
    """Two arrays compared: their elements must be of one kind (checked as the statement runs). An array,
    map or struct compared with a value of a type the translation cannot tell is refused: Databricks
    fails unless that value is of the same kind, and DuckDB would cast or compare it."""
    if isinstance(node, exp.In) and node.expressions and spark_type(node.this, ctx) == "LIST":
        # Checked on the value, which is read before any item is compared.
        for item in node.expressions:
            if spark_type(item, ctx) == "LIST":
                node.set("this", call("spark_in_comparable_lists", item.copy(), node.this))
        return
    if not isinstance(node, _EQUALITIES):
        return
    values = (node.this, node.expression)
    kinds = [spark_type(v, ctx) for v in values]
    if kinds == ["LIST", "LIST"]:
        node.set("expression", call("spark_comparable_lists", node.this.copy(), node.expression))
    elif {"LIST", "MAP", "STRUCT"} & set(kinds) and None in kinds and not any(isinstance(v, exp.Null) for v in values):
        raise NotSupportedLocally(
            "a comparison of an ARRAY, MAP or STRUCT with a value whose type the local target cannot tell"
        )


def slot_value(parent: exp.Expression, key: str, index: int | None) -> exp.Expression | None:
    value = parent.args.get(key)
    return value if index is None or value is None else value[index]


def replace_slot(parent: exp.Expression, key: str, index: int | None, value: exp.Expression) -> None:
    """Put `value` where an operand slot (operand_slots) holds its expression."""
    if index is None:
        parent.set(key, value)
        return
    items = list(parent.args[key])
    items[index] = value
    parent.set(key, items)


# -- NULL-typed arguments -------------------------------------------------------------------------------

# The functions whose searched value Databricks rejects when it is of the NULL type (DATATYPE_MISMATCH.NULL_TYPE).
_NO_NULL_TYPED = {exp.ArrayContains: ("expression", "array_contains(array, NULL)"),
                  exp.MapContainsKey: ("key", "map_contains_key(map, NULL)")}  # fmt: skip


def reject_null_typed_arguments(tree: exp.Expression) -> None:
    """Refuse, as Databricks does before running anything, a searched value whose type is NULL: a NULL
    literal, or an expression that can only give one (`if(c, NULL, NULL)`, `map('k', NULL)['k']`)."""
    for node in tree.find_all(*_NO_NULL_TYPED):
        key, written = _NO_NULL_TYPED[type(node)]
        value = node.args.get(key)
        if value is not None and null_typed(value):
            raise RejectedByDatabricks("DATATYPE_MISMATCH.NULL_TYPE", written)


def null_typed(node: exp.Expression, ctx: Context | None = None) -> bool:
    """Whether Databricks types `node` as NULL (VOID): every value it can give is an untyped NULL (with
    `ctx`, also an element of an array a function returns: `array_sort(array())[0]`)."""
    if isinstance(node, exp.Null):
        return True
    if isinstance(node, exp.Paren):
        return null_typed(node.this, ctx)
    if isinstance(node, exp.If):
        otherwise = node.args.get("false")
        return null_typed(node.args["true"], ctx) and (otherwise is None or null_typed(otherwise, ctx))
    if isinstance(node, exp.Case):
        otherwise = node.args.get("default")
        return all(null_typed(branch.args["true"], ctx) for branch in node.args.get("ifs") or []) and (
            otherwise is None or null_typed(otherwise, ctx)
        )
    if isinstance(node, exp.Coalesce):
        return all(null_typed(value, ctx) for value in [node.this, *node.expressions])
    if isinstance(node, (exp.Max, exp.Min)):
        return null_typed(node.this, ctx)
    if isinstance(node, exp.Bracket):
        # An element of an array, or a value of a map, whose every element or value is NULL-typed
        # (`array()` is an ARRAY<VOID>, `map()` a MAP<VOID, VOID>).
        collection = node.this
        if isinstance(collection, exp.Array):
            return all(null_typed(value, ctx) for value in collection.expressions)
        if isinstance(collection, exp.VarMap) and isinstance(collection.args.get("values"), exp.Array):
            return all(null_typed(value, ctx) for value in collection.args["values"].expressions)
        # A column of the statement's VALUES, subqueries or CTEs, or what a function of one returns, whose
        # elements or values are all NULL-typed.
        if ctx is not None:
            shape = shape_of(collection, ctx)
        else:
            shape = collection.meta.get("spark_shape") if isinstance(collection, exp.Column) else None
        return isinstance(shape, tuple) and shape[0] in ("LIST", "MAP") and shape[-1] == "NULL"
    return False


def check_inline_table(node: exp.Values, ctx: Context) -> None:
    """Databricks finds no common type for the values of an inline table's column when they are of two
    families (a string and a number, a number and a BOOLEAN, a BOOLEAN and a date): it rejects the table,
    where DuckDB read `VALUES (1), (true)` as two 1s."""
    columns: dict[int, set[str]] = {}
    values: dict[int, list[exp.Expression]] = {}
    for row in node.expressions:
        for index, value in enumerate(row.expressions if isinstance(row, exp.Tuple) else [row]):
            kind = None if isinstance(value, exp.Null) else spark_type(value, ctx)
            if kind is not None:
                columns.setdefault(index, set()).add(kind)
                values.setdefault(index, []).append(value)
    for index, kinds in columns.items():
        categories = sorted({category(kind) for kind in kinds})
        if len(categories) > 1:
            first, second = (_SPARK_NAMES.get(c, c) for c in categories[:2])
            raise RejectedByDatabricks(
                "INVALID_INLINE_TABLE.INCOMPATIBLE_TYPES_IN_INLINE_TABLE",
                f"VALUES with {first} and {second} in column {index + 1}",
            )
        _check_same_shape(values[index], ctx, f"VALUES column {index + 1}", False,
                          "INVALID_INLINE_TABLE.INCOMPATIBLE_TYPES_IN_INLINE_TABLE")  # fmt: skip
