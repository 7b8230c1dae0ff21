"""The casts Databricks adds to the arguments of string functions and arithmetic before running them.

A string function given a number, date or boolean works on its text (`length(123)` is 3,
`lpad(5, 3, '0')` is '005'); `hex` of a fraction is the hex of its BIGINT (`hex(1.5D)` is '1');
a length or position given a fraction, a BIGINT or a string is cast to INT, truncating
(`left('abc', 1.5)` is 'a'); a STRING in arithmetic is cast to BIGINT beside an integer and to
DOUBLE otherwise (`abs('-5')` is 5.0). DuckDB would fail to bind most of these, and round where
Databricks truncates.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlglot import exp

from dialect.common import Context, spark_type
from dialect.errors import NotSupportedLocally, RejectedByDatabricks
from dialect.types import decimal_parts, is_fractional, is_integral, is_numeric, string_as_number

Convert = Callable[[exp.Expression, str], exp.Expression]

# Arguments Databricks reads as STRING, by node and argument name.
_TEXT_ARGUMENTS: dict[type, tuple[str, ...]] = {
    exp.Upper: ("this",), exp.Lower: ("this",), exp.Initcap: ("this",), exp.Length: ("this",),
    exp.BitLength: ("this",), exp.Reverse: ("this",), exp.Ascii: ("this",), exp.Trim: ("this", "expression"),
    exp.Left: ("this",), exp.Right: ("this",), exp.Pad: ("this", "fill_pattern"),
    exp.Replace: ("this", "expression", "replacement"), exp.StrPosition: ("this", "substr"),
    exp.Substring: ("this",), exp.Repeat: ("this",), exp.StartsWith: ("this", "expression"),
    exp.EndsWith: ("this", "expression"), exp.Contains: ("this", "expression"),
    exp.SplitPart: ("this", "delimiter"), exp.Translate: ("this", "from_", "to"),
    exp.Levenshtein: ("this", "expression"), exp.Like: ("this", "expression"), exp.ILike: ("this", "expression"),
    exp.RegexpLike: ("this",), exp.RegexpSplit: ("this",), exp.RegexpExtract: ("this",),
    exp.RegexpReplace: ("this",), exp.RegexpCount: ("this",), exp.RegexpSubstr: ("this",),
    exp.RegexpExtractAll: ("this",), exp.SubstringIndex: ("this", "delimiter"),
}  # fmt: skip
_TEXT_FUNCTIONS = {"octet_length": "all", "btrim": "all", "find_in_set": "all"}

# Arguments Databricks reads as INT (a length, position, count or threshold).
_INT_ARGUMENTS: dict[type, tuple[str, ...]] = {
    exp.Left: ("expression",), exp.Right: ("expression",), exp.Pad: ("expression",),
    exp.StrPosition: ("position",), exp.Substring: ("start", "length"), exp.Repeat: ("times",),
    exp.Space: ("this",), exp.SplitPart: ("part_index",), exp.Levenshtein: ("ins_cost",),
    exp.SubstringIndex: ("count",),
}  # fmt: skip

# Functions of one number that read a STRING argument as a DOUBLE.
_NUMBER_ARGUMENTS: dict[type, tuple[str, ...]] = {
    exp.Neg: ("this",), exp.Abs: ("this",), exp.Sqrt: ("this",), exp.Ln: ("this",), exp.Exp: ("this",),
    exp.Sign: ("this",), exp.Sin: ("this",), exp.Cos: ("this",), exp.Tan: ("this",), exp.Cot: ("this",),
    exp.Sec: ("this",), exp.Csc: ("this",), exp.Sinh: ("this",), exp.Cosh: ("this",), exp.Tanh: ("this",),
    exp.Asin: ("this",), exp.Asinh: ("this",), exp.Acosh: ("this",), exp.Atanh: ("this",), exp.Rint: ("this",),
    exp.Acos: ("this",), exp.Atan: ("this",), exp.Cbrt: ("this",), exp.Degrees: ("this",),
    exp.Radians: ("this",), exp.Floor: ("this",), exp.Ceil: ("this",), exp.Round: ("this",),
    exp.Pow: ("this", "expression"), exp.Log: ("this", "expression"), exp.Atan2: ("this", "expression"),
}  # fmt: skip

_ARITHMETIC = (exp.Add, exp.Sub, exp.Mul, exp.Div, exp.Mod, exp.IntDiv)
_COLLECTIONS = ("LIST", "MAP", "STRUCT")
_SCALARS = ("DATE", "TIMESTAMP", "BOOLEAN")
_SPARK_KIND = {"LIST": "an ARRAY", "MAP": "a MAP", "STRUCT": "a STRUCT"}


def cast_arguments(node: exp.Expression, ctx: Context, convert: Convert) -> None:
    """Cast the arguments of `node` as Databricks casts them; `convert(value, kind)` is the translator's CAST."""
    for key in _TEXT_ARGUMENTS.get(type(node), ()):
        _replace(node, key, lambda value: _as_text(node, value, ctx, convert))
    if isinstance(node, exp.Anonymous) and node.name.lower() in _TEXT_FUNCTIONS:
        node.set("expressions", [_as_text(node, v, ctx, convert) for v in node.expressions])
    for key in _INT_ARGUMENTS.get(type(node), ()):
        _replace(node, key, lambda value: _as_int(node, value, ctx, convert, "INTEGER"))
    if isinstance(node, exp.Chr) and len(node.expressions) == 1:
        node.set("expressions", [_as_int(node, node.expressions[0], ctx, convert, "BIGINT")])
    for key in _NUMBER_ARGUMENTS.get(type(node), ()):
        _replace(node, key, lambda value: convert(value, "DOUBLE") if _kind(value, ctx) == "VARCHAR" else value)
    if isinstance(node, _ARITHMETIC):
        _cast_arithmetic(node, ctx, convert)
    if isinstance(node, exp.Hex):
        _replace(node, "this", lambda value: _hex_argument(value, ctx, convert))
    if isinstance(node, (exp.Floor, exp.Ceil)) and node.args.get("decimals") is not None:
        _replace(node, "this", lambda value: _as_decimal(value, ctx, convert))


def _replace(node: exp.Expression, key: str, cast: Callable[[exp.Expression], exp.Expression]) -> None:
    value = node.args.get(key)
    if isinstance(value, exp.Expression):
        node.set(key, cast(value))


def _kind(value: exp.Expression, ctx: Context) -> str | None:
    return None if isinstance(value, exp.Null) else spark_type(value, ctx)


def _as_text(node: exp.Expression, value: exp.Expression, ctx: Context, convert: Convert) -> exp.Expression:
    kind = _kind(value, ctx)
    if kind == "FLOAT":
        # Databricks writes a FLOAT with the float's own shortest digits ('0.1'), not the double's.
        raise NotSupportedLocally(f"{_name(node)} of a FLOAT", "CAST it to STRING or DOUBLE first")
    if is_numeric(kind) or kind in _SCALARS:
        return convert(value, "VARCHAR")
    if kind in _COLLECTIONS and not isinstance(node, exp.Reverse):
        raise RejectedByDatabricks("DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE", f"{_name(node)} of {_SPARK_KIND[kind]}")
    return value


def _as_int(node: exp.Expression, value: exp.Expression, ctx: Context, convert: Convert, target: str) -> exp.Expression:
    kind = _kind(value, ctx)
    if kind is None or kind in ("TINYINT", "SMALLINT", "INTEGER") or (target == "BIGINT" and is_integral(kind)):
        return value
    if is_integral(kind) or is_fractional(kind) or kind == "VARCHAR":
        return convert(value, target)  # truncates a fraction; fails on overflow, as Databricks does
    raise RejectedByDatabricks(
        "DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE", f"{_name(node)} with a {kind} length or position"
    )


def _cast_arithmetic(node: exp.Expression, ctx: Context, convert: Convert) -> None:
    left, right = _kind(node.this, ctx), _kind(node.expression, ctx)
    if left == "VARCHAR" and right == "VARCHAR":
        raise RejectedByDatabricks("DATATYPE_MISMATCH.BINARY_OP_WRONG_TYPE", "arithmetic on two STRING values")
    if left == "VARCHAR" and is_numeric(right):
        node.set("this", convert(node.this, string_as_number(right)))
    elif right == "VARCHAR" and is_numeric(left):
        node.set("expression", convert(node.expression, string_as_number(left)))


def _hex_argument(value: exp.Expression, ctx: Context, convert: Convert) -> exp.Expression:
    """hex() writes a BIGINT's digits or a STRING's bytes: a fraction is truncated to a BIGINT first."""
    kind = _kind(value, ctx)
    if is_fractional(kind):
        return convert(value, "BIGINT")
    if kind in _SCALARS:
        return convert(value, "VARCHAR")
    return value


# The DECIMAL a fractional number becomes where a function takes only DECIMAL (Spark's forType).
_FRACTION_DECIMAL = {"DOUBLE": "DECIMAL(30,15)", "FLOAT": "DECIMAL(14,7)"}


def _as_decimal(value: exp.Expression, ctx: Context, convert: Convert) -> exp.Expression:
    """ceil / floor with a scale work on a DECIMAL: an integer becomes the DECIMAL that holds it, a
    DOUBLE a DECIMAL(30,15) (rounded there as CAST rounds it)."""
    kind = _kind(value, ctx)
    if kind in _FRACTION_DECIMAL:
        return convert(value, _FRACTION_DECIMAL[kind])
    if is_integral(kind):
        precision, _ = decimal_parts(kind)
        return convert(value, f"DECIMAL({precision},0)")
    return value


def _name(node: exp.Expression) -> str:
    """The function as the user wrote it, for an error message."""
    if isinstance(node, (exp.Like, exp.ILike)):
        return type(node).__name__.upper()
    return node.sql(dialect="databricks").split("(", 1)[0].strip().lower()
