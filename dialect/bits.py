"""Java's bit operations on integers: shifts, `bit_count`, `getbit` and `bin`.

Databricks shifts an INT or a BIGINT as Java does: the distance is taken modulo the width (32 or 64),
the bits shifted past the width are dropped (`shiftleft(1, 31)` is -2147483648) and `>>>` fills with
zeros. DuckDB fails where a shift overflows or its value is negative, so the shifts work on the
value's two's-complement pattern held in a HUGEINT.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlglot import exp

from dialect.common import Context, call, cast_to, spark_type, typed
from dialect.errors import NotSupportedLocally, RejectedByDatabricks
from dialect.types import is_integral, is_numeric

Cast = Callable[[exp.Expression, str, Context], exp.Expression]

_WIDTH = {"TINYINT": 8, "SMALLINT": 16, "INTEGER": 32, "BIGINT": 64}
_POSITION_RANGE = (
    "'[INVALID_PARAMETER_VALUE.BIT_POSITION_RANGE] The value of parameter(s) `pos` in `getbit` is invalid: "
    "expects an integer value in [0, ' || w || '), but got ' || pos || '.'"
)

MACROS = {
    # A w-bit integer's two's-complement pattern, as a HUGEINT from 0 to 2^w - 1, and back.
    "spark_bits_unsigned(x, w)": "(CAST(x AS HUGEINT) + (CAST(1 AS HUGEINT) << w)) % (CAST(1 AS HUGEINT) << w)",
    "spark_bits_signed(u, w)": """u - CASE WHEN u >= CAST(1 AS HUGEINT) << (w - 1)
        THEN CAST(1 AS HUGEINT) << w ELSE 0 END""",
    "spark_shiftleft(x, n, w)": """spark_bits_signed(
        (spark_bits_unsigned(x, w) << (n & (w - 1))) % (CAST(1 AS HUGEINT) << w), w)""",
    "spark_shiftright(x, n, w)": "x >> (n & (w - 1))",  # DuckDB's >> keeps the sign, as Java's does
    "spark_shiftrightunsigned(x, n, w)": "spark_bits_signed(spark_bits_unsigned(x, w) >> (n & (w - 1)), w)",
    "spark_getbit(x, pos, w)": f"""CASE WHEN x IS NULL OR pos IS NULL THEN NULL
        WHEN pos < 0 OR pos >= w THEN error({_POSITION_RANGE})
        ELSE CAST((x >> pos) & 1 AS TINYINT) END""",
}


def _kind(value: exp.Expression, ctx: Context) -> str | None:
    return None if isinstance(value, exp.Null) else spark_type(value, ctx)


def _integer_argument(value: exp.Expression, ctx: Context, name: str, cast: Cast, target: str) -> exp.Expression:
    """A number or a numeric STRING where Databricks takes an INT or a BIGINT, cast as Databricks casts it
    (a fraction truncated, an overflow or a malformed string failing)."""
    kind = _kind(value, ctx)
    if kind is None and not isinstance(value, exp.Null):
        raise NotSupportedLocally(f"{name} of a value whose type is unknown", "CAST the argument to its type")
    if kind == target or kind is None:
        return value
    if is_numeric(kind) or kind == "VARCHAR":
        return cast(value, target, ctx)
    raise RejectedByDatabricks("DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE", f"{name} of a {kind}")


def shift(node: exp.Expression, ctx: Context, cast: Cast) -> exp.Expression:
    """shiftleft / shiftright / shiftrightunsigned (and << and >>): an INT unless the value is a BIGINT;
    a TINYINT, SMALLINT, fraction or STRING value is cast to INT, the distance to INT."""
    if isinstance(node, exp.Anonymous):
        value, distance = node.expressions if len(node.expressions) == 2 else _wrong_count(node)
        name = "shiftrightunsigned"
    else:
        value, distance = node.this, node.expression
        name = "shiftleft" if isinstance(node, exp.BitwiseLeftShift) else "shiftright"
    result = "BIGINT" if _kind(value, ctx) == "BIGINT" else "INTEGER"
    value = _integer_argument(value, ctx, name, cast, result)
    distance = _integer_argument(distance, ctx, name, cast, "INTEGER")
    shifted = call(f"spark_{name}", value, distance, exp.Literal.number(_WIDTH[result]))
    return typed(cast_to(shifted, result), result)


def _wrong_count(node: exp.Anonymous) -> tuple[exp.Expression, exp.Expression]:
    raise RejectedByDatabricks(
        "WRONG_NUM_ARGS.WITHOUT_SUGGESTION", f"{node.name.lower()} with {len(node.expressions)} arguments"
    )


def bit_count(node: exp.BitwiseCount, ctx: Context) -> exp.Expression:
    """The one bits of a BOOLEAN (1 or 0) or of an integer sign-extended to 64 bits (bit_count(-1Y) is 64)."""
    kind = _kind(node.this, ctx)
    if kind == "BOOLEAN":
        return typed(cast_to(node.this, "INTEGER"), "INTEGER")
    if kind is not None and not is_integral(kind):
        raise RejectedByDatabricks("DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE", f"bit_count of a {kind}")
    return typed(cast_to(call("bit_count", cast_to(node.this, "BIGINT")), "INTEGER"), "INTEGER")


def getbit(node: exp.Getbit, ctx: Context, cast: Cast) -> exp.Expression:
    """getbit(x, pos): bit pos of an integer (a TINYINT), failing for a pos outside its width."""
    kind = _kind(node.this, ctx)
    if kind is None and not isinstance(node.this, exp.Null):
        raise NotSupportedLocally("getbit of a value whose type is unknown", "CAST the argument to its type")
    if kind is not None and not is_integral(kind):
        raise RejectedByDatabricks("DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE", f"getbit of a {kind}")
    position = _integer_argument(node.expression, ctx, "getbit", cast, "INTEGER")
    width = exp.Literal.number(_WIDTH[kind or "INTEGER"])
    return typed(call("spark_getbit", node.this, position, width), "TINYINT")


def bin_(node: exp.Anonymous, ctx: Context, cast: Cast) -> exp.Expression:
    """bin(x): Long.toBinaryString of x as a BIGINT (a negative number's 64-bit two's complement)."""
    if len(node.expressions) != 1:
        _wrong_count(node)
    value = _integer_argument(node.expressions[0], ctx, "bin", cast, "BIGINT")
    return typed(call("bin", cast_to(value, "BIGINT")), "VARCHAR")
