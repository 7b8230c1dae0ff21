"""`schema_of_json(text)`: the schema Spark infers from one JSON text, as the DDL string Databricks writes.

Spark's rules (JsonInferSchema, default options): a whole number is a BIGINT, past the BIGINT range a
DECIMAL of its digits and past 38 digits a DOUBLE; any other number is a DOUBLE; strings stay STRING (no
date inference); an object is a STRUCT of its fields sorted by name (a name twice kept twice), an array
an ARRAY of its elements' common type. Two types meet as numbers widen (a BIGINT and a DECIMAL in a
DECIMAL wide enough for both, anything with a DOUBLE a DOUBLE), structs field by field, arrays element by
element; any other pair is a STRING. A NULL is a STRING at the end; fields with an empty name, and
structs left without fields, are dropped.

The text must be constant (Databricks rejects a column), so the schema is worked out here, before the
statement runs, and `from_json(s, schema_of_json('...'))` reads s with it.
"""

from __future__ import annotations

import json
import re

from sqlglot import exp

from dialect.common import Context, literal_string, typed
from dialect.errors import NotSupportedLocally, RejectedByDatabricks

# Types as tuples: ("NULL",), ("BIGINT",), ("DOUBLE",), ("STRING",), ("BOOLEAN",), ("DECIMAL", p, s),
# ("ARRAY", element), ("STRUCT", ((name, type), ...)).
Type = tuple
_NULL, _BIGINT, _DOUBLE, _STRING, _BOOLEAN = ("NULL",), ("BIGINT",), ("DOUBLE",), ("STRING",), ("BOOLEAN",)
_MAX_PRECISION = 38
_PLAIN_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class _Object(list):
    """A JSON object as its (name, value) pairs in order, a name twice kept twice."""


def schema_of_json(node: exp.Anonymous, ctx: Context) -> exp.Expression:
    if len(node.expressions) != 1:
        raise NotSupportedLocally("schema_of_json with options")
    (argument,) = node.expressions
    if isinstance(argument, exp.Null):
        raise RejectedByDatabricks("DATATYPE_MISMATCH.UNEXPECTED_NULL", "schema_of_json of NULL")
    text = literal_string(argument)
    if text is None:
        if any(argument.find_all(exp.Column)):
            raise RejectedByDatabricks("DATATYPE_MISMATCH.NON_FOLDABLE_INPUT", "schema_of_json of a column")
        raise NotSupportedLocally("schema_of_json of an expression", "pass the JSON text as a string literal")
    return typed(exp.Literal.string(inferred_schema(text)), "VARCHAR")


def inferred_schema(text: str) -> str:
    """The DDL Databricks' schema_of_json answers for `text`."""
    stripped = text.lstrip(" \t\r\n")
    if not stripped:
        return "STRING"
    try:
        value, end = json.JSONDecoder(object_pairs_hook=_Object).raw_decode(stripped)
    except ValueError as exc:
        raise NotSupportedLocally(
            "schema_of_json of text that is not strict JSON (single quotes, leading zeros, an unescaped control "
            "character)",
            "run it on Databricks",
        ) from exc
    rest = stripped[end:]
    if rest.strip(" \t\r\n") and not isinstance(value, (list, str)) and not rest[:1].isspace():
        # Spark reads only the first value, but a number run into other text fails there.
        raise NotSupportedLocally("schema_of_json of a number followed by other text")
    found = _type_of(value)
    if found[0] == "STRUCT":
        return _ddl(_canonical(found) or ("STRUCT", ()))
    if found[0] == "ARRAY" and found[1][0] == "STRUCT":
        return _ddl(("ARRAY", _canonical(found[1]) or ("STRUCT", ())))
    canonical = _canonical(found)
    return _ddl(canonical) if canonical is not None else "STRING"


def _type_of(value: object) -> Type:
    if value is None:
        return _NULL
    if isinstance(value, bool):
        return _BOOLEAN
    if isinstance(value, int):
        if -(2**63) <= value < 2**63:
            return _BIGINT
        digits = len(str(abs(value)))
        return ("DECIMAL", digits, 0) if digits <= _MAX_PRECISION else _DOUBLE
    if isinstance(value, float):
        return _DOUBLE
    if isinstance(value, str):
        return _STRING
    if isinstance(value, _Object):
        fields = [(name, _type_of(item)) for name, item in value]
        return ("STRUCT", tuple(sorted(fields, key=lambda field: _utf16(field[0]))))
    element: Type = _NULL
    for item in value if isinstance(value, list) else []:
        element = _common(element, _type_of(item))
    return ("ARRAY", element)


def _utf16(name: str) -> bytes:
    # Java's String.compareTo: UTF-16 code units in order.
    return name.encode("utf-16-be")


def _common(left: Type, right: Type) -> Type:
    """JsonInferSchema.compatibleType."""
    if left == right:
        return left
    if left == _NULL:
        return right
    if right == _NULL:
        return left
    kinds = {left[0], right[0]}
    if kinds <= {"BIGINT", "DOUBLE", "DECIMAL"}:
        if "DOUBLE" in kinds:
            return _DOUBLE
        return _wider_decimal(_as_decimal(left), _as_decimal(right))
    if kinds == {"STRUCT"}:
        return _merged_struct(left[1], right[1])
    if kinds == {"ARRAY"}:
        return ("ARRAY", _common(left[1], right[1]))
    return _STRING


def _as_decimal(kind: Type) -> Type:
    return ("DECIMAL", 20, 0) if kind == _BIGINT else kind


def _wider_decimal(left: Type, right: Type) -> Type:
    scale = max(left[2], right[2])
    digits = max(left[1] - left[2], right[1] - right[2])
    return _DOUBLE if digits + scale > _MAX_PRECISION else ("DECIMAL", digits + scale, scale)


def _merged_struct(left: tuple, right: tuple) -> Type:
    names = [name for name, _ in left] + [name for name, _ in right]
    if len(set(n for n, _ in left)) < len(left) or len(set(n for n, _ in right)) < len(right):
        raise NotSupportedLocally("schema_of_json where objects with a repeated name meet")
    merged: dict[str, Type] = {}
    for name, kind in (*left, *right):
        merged[name] = _common(merged[name], kind) if name in merged else kind
    return ("STRUCT", tuple(sorted(((n, merged[n]) for n in dict.fromkeys(names)), key=lambda f: _utf16(f[0]))))


def _canonical(kind: Type) -> Type | None:
    """JsonInferSchema.canonicalizeType: NULL as STRING; empty names and empty structs dropped."""
    if kind == _NULL:
        return _STRING
    if kind[0] == "ARRAY":
        element = _canonical(kind[1])
        return None if element is None else ("ARRAY", element)
    if kind[0] == "STRUCT":
        fields = tuple((name, c) for name, t in kind[1] if name for c in [_canonical(t)] if c is not None)
        return ("STRUCT", fields) if fields else None
    return kind


def _ddl(kind: Type) -> str:
    if kind[0] == "DECIMAL":
        return f"DECIMAL({kind[1]},{kind[2]})"
    if kind[0] == "ARRAY":
        return f"ARRAY<{_ddl(kind[1])}>"
    if kind[0] == "STRUCT":
        return "STRUCT<" + ", ".join(f"{quoted_name(name)}: {_ddl(t)}" for name, t in kind[1]) + ">"
    return kind[0]


def is_plain_name(name: str) -> bool:
    """Whether Databricks writes the name without backquotes (a letter or _, then letters, digits, _)."""
    return _PLAIN_NAME.fullmatch(name) is not None


def quoted_name(name: str) -> str:
    """A field's name as Databricks writes it in a type: backquoted unless it is a plain identifier."""
    return name if is_plain_name(name) else "`" + name.replace("`", "``") + "`"
