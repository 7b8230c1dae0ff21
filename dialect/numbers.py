"""Numeric functions with Databricks' result types and edge values.

`floor`/`ceil` give a BIGINT (or a DECIMAL) where DuckDB gives a DOUBLE; `sign` gives a DOUBLE;
`round`/`bround` keep an integer an integer and give a DECIMAL Databricks' scale; trigonometry out
of its domain is NaN rather than an error; `factorial` outside 0..20 is NULL.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlglot import exp

from dialect import decimals
from dialect.common import Context, arguments, call, cast_to, duck, literal_int, spark_type, typed
from dialect.errors import NotSupportedLocally, RejectedByDatabricks
from dialect.typecheck import operand_slots, replace_slot, slot_value
from dialect.types import decimal_parts, is_decimal, is_integral, is_numeric, round_type

_NAN = "CAST('NaN' AS DOUBLE)"

MACROS = {
    "spark_sign(x)": f"""CASE WHEN x IS NULL THEN NULL WHEN isnan(CAST(x AS DOUBLE)) THEN {_NAN}
        WHEN x > 0 THEN CAST(1 AS DOUBLE) WHEN x < 0 THEN CAST(-1 AS DOUBLE) ELSE CAST(x AS DOUBLE) END""",
    # A DOUBLE floor or ceiling as a BIGINT: NaN is 0, out of range fails as a cast does.
    "spark_floor_double(x)": "CASE WHEN isnan(x) THEN CAST(0 AS BIGINT) ELSE CAST(floor(x) AS BIGINT) END",
    "spark_ceil_double(x)": "CASE WHEN isnan(x) THEN CAST(0 AS BIGINT) ELSE CAST(ceil(x) AS BIGINT) END",
    # asin, acos, atan, atan2, exp, sinh, cosh and tanh are StrictMath's (dialect/strictmath.py); a NaN is
    # answered here, since DuckDB reads a Python function's NaN as NULL.
    "spark_asin(x)": f"CASE WHEN x < -1 OR x > 1 OR isnan(x) THEN {_NAN} ELSE spark_java_asin(x) END",
    "spark_acos(x)": f"CASE WHEN x < -1 OR x > 1 OR isnan(x) THEN {_NAN} ELSE spark_java_acos(x) END",
    # Spark adds 0.0 to both sides first, so -0.0 is read as 0.0 (atan2(-0.0, -1) is pi).
    "spark_atan2(y, x)": f"""CASE WHEN y IS NULL OR x IS NULL THEN NULL WHEN isnan(y) OR isnan(x) THEN {_NAN}
        ELSE spark_java_atan2(y + CAST(0 AS DOUBLE), x + CAST(0 AS DOUBLE)) END""",
    "spark_sin(x)": f"CASE WHEN isinf(CAST(x AS DOUBLE)) THEN {_NAN} ELSE sin(x) END",
    "spark_cos(x)": f"CASE WHEN isinf(CAST(x AS DOUBLE)) THEN {_NAN} ELSE cos(x) END",
    "spark_tan(x)": f"CASE WHEN isinf(CAST(x AS DOUBLE)) THEN {_NAN} ELSE tan(x) END",
    # cot, sec and csc: 1 over Java's tan, cos and sin; 1 / -0.0 is -Infinity there.
    "spark_reciprocal(t)": """CASE WHEN t = 0 THEN CASE WHEN signbit(t) THEN CAST('-Infinity' AS DOUBLE)
        ELSE CAST('Infinity' AS DOUBLE) END ELSE 1 / t END""",
    "spark_log1p(x)": "CASE WHEN x <= -1 THEN NULL WHEN isnan(x) THEN x ELSE spark_java_log1p(x) END",
    "spark_hypot(x, y)": f"""CASE WHEN x IS NULL OR y IS NULL THEN NULL
        WHEN isinf(x) OR isinf(y) THEN CAST('Infinity' AS DOUBLE)
        WHEN isnan(x) OR isnan(y) THEN {_NAN} ELSE spark_java_hypot(x, y) END""",
    "spark_factorial(x)": "CASE WHEN x < 0 OR x > 20 THEN NULL ELSE CAST(factorial(CAST(x AS INTEGER)) AS BIGINT) END",
    "spark_nanvl(a, b)": "CASE WHEN a IS NULL THEN NULL WHEN isnan(a) THEN b ELSE a END",
}

# asinh and acosh as Spark computes them (ExpressionImplUtils, fdlibm's method): StrictMath's log or log1p
# of a form chosen by the size of x, so that x * x neither overflows nor cancels. atanh is half the
# difference of StrictMath's log1p of x and -x. Out of the domain the answer is NaN; DuckDB reads a Python
# function's NaN as NULL, so the arguments given to the logarithms here are never negative.
MACROS.update(
    {
        "spark_asinh(x)": "CASE WHEN isnan(x) THEN x WHEN signbit(x) THEN -spark_asinh_of_abs(-x) "
        "ELSE spark_asinh_of_abs(x) END",
        "spark_asinh_of_abs(a)": """CASE WHEN isinf(a) OR a < CAST('3.725290298461914E-9' AS DOUBLE) THEN a
            WHEN a > 268435456 THEN spark_java_log(a) + spark_java_log(2.0)
            WHEN a > 2 THEN spark_java_log(2 * a + 1 / (sqrt(a * a + 1) + a))
            ELSE spark_java_log1p(a + a * a / (1 + sqrt(1 + a * a))) END""",
        "spark_acosh(x)": f"""CASE WHEN x < 1 THEN {_NAN} WHEN isnan(x) THEN x
            WHEN x >= 268435456 THEN spark_java_log(x) + spark_java_log(2.0)
            WHEN x = 1 THEN CAST(0 AS DOUBLE)
            WHEN x > 2 THEN spark_java_log(2 * x - 1 / (x + sqrt(x * x - 1)))
            ELSE spark_java_log1p((x - 1) + sqrt(2 * (x - 1) + (x - 1) * (x - 1))) END""",
        "spark_log1p_or_nan(y)": f"CASE WHEN isnan(y) OR y < -1 THEN {_NAN} ELSE spark_java_log1p(y) END",
        "spark_atanh(x)": "0.5 * (spark_log1p_or_nan(x) - spark_log1p_or_nan(-x))",
        # Math.rint: the nearest integer, a half to the even one, as a DOUBLE (-0.4 is -0.0).
        "spark_rint(x)": "round_even(x, 0)",
    }
)

# The StrictMath functions whose NaN is their argument's (DuckDB reads a Python function's NaN as NULL).
MACROS.update(
    {
        f"spark_{name}(x)": f"CASE WHEN isnan(x) THEN x ELSE spark_java_{name}(x) END"
        for name in ("atan", "exp", "sinh", "cosh", "tanh", "expm1")
    }
)


def _numeric_kind(node: exp.Expression, ctx: Context, construct: str) -> str:
    kind = spark_type(node, ctx)
    if kind is None:
        raise NotSupportedLocally(f"{construct} of a value whose type the local target cannot tell",
                                  "CAST it to a numeric type")  # fmt: skip
    if kind == "VARCHAR":
        raise NotSupportedLocally(f"{construct} of a STRING", "CAST it to a numeric type")
    if not is_numeric(kind):
        raise RejectedByDatabricks("DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE", f"{construct} of a {kind}")
    return kind


def sign(node: exp.Sign, ctx: Context) -> exp.Expression:
    _numeric_kind(node.this, ctx, "sign")
    return call("spark_sign", node.this)


def _floor_or_ceil(node: exp.Floor | exp.Ceil, ctx: Context, name: str) -> exp.Expression:
    if node.args.get("decimals") is not None:
        return _floor_or_ceil_at_scale(node, ctx, name)
    kind = _numeric_kind(node.this, ctx, name)
    if kind in ("DOUBLE", "FLOAT"):
        return call(f"spark_{name}_double", cast_to(node.this, "DOUBLE"))
    if is_integral(kind):
        return cast_to(node.this, "BIGINT")
    return cast_to(call(name, node.this), spark_type(node, ctx) or "DECIMAL(38,0)")


def _floor_or_ceil_at_scale(node: exp.Floor | exp.Ceil, ctx: Context, name: str) -> exp.Expression:
    """ceil(x, scale) / floor(x, scale): a DECIMAL (the argument arrives as one, dialect.implicit) rounded up
    or down at `scale` digits after the point (before it when negative), of round's result type."""
    scale_node = node.args["decimals"]
    scale = literal_int(scale_node)
    if scale is None:
        raise NotSupportedLocally(f"{name} with a scale that is not an integer literal")
    kind = _numeric_kind(node.this, ctx, name)
    result = round_type(kind, scale_node)
    if not is_decimal(kind) or result is None:
        raise NotSupportedLocally(f"{name}(x, scale) of a {kind}", "CAST it to a DECIMAL")
    precision, digits = decimal_parts(kind)
    if scale >= digits:
        return typed(cast_to(node.this, result), result)
    # On the unscaled digits: floor division by the digits dropped (toward minus infinity), then back.
    unscaled = decimals.unscaled("x", precision, digits)
    step = 10 ** (digits - scale)
    kept = f"spark_floor_div({unscaled}, {step})" if name == "floor" else f"-spark_floor_div(-{unscaled}, {step})"
    unit = decimals.unit_in_last_place(scale) if scale >= 0 else str(10**-scale)
    return typed(cast_to(duck(f"CAST({kept} AS DECIMAL(38,0)) * {unit}", x=node.this), result), result)


def floor(node: exp.Floor, ctx: Context) -> exp.Expression:
    return _floor_or_ceil(node, ctx, "floor")


def ceil(node: exp.Ceil, ctx: Context) -> exp.Expression:
    return _floor_or_ceil(node, ctx, "ceil")


def rounding(value: exp.Expression, scale_node: exp.Expression | None, ctx: Context, half_even: bool,
             construct: str) -> exp.Expression:  # fmt: skip
    """round (half up) or bround (half even) with Databricks' result type."""
    kind = _numeric_kind(value, ctx, construct)
    scale = 0 if scale_node is None else literal_int(scale_node)
    if scale is None:
        raise NotSupportedLocally(f"{construct} with a scale that is not an integer literal")
    result = round_type(kind, scale_node)
    if kind in ("DOUBLE", "FLOAT"):
        # A FLOAT is rounded as the double it widens to, then narrowed back: round keeps the type.
        rounded = call("spark_round_double", cast_to(value, "DOUBLE"), exp.Literal.number(scale),
                       exp.Boolean(this=half_even))  # fmt: skip
        double = duck("CASE WHEN isnan({x}) OR isinf({x}) THEN {x} ELSE {r} END", x=cast_to(value, "DOUBLE"),
                      r=rounded)  # fmt: skip
        return typed(cast_to(double, kind) if kind == "FLOAT" else double, kind)
    if is_integral(kind):
        if scale >= 0:
            return value
        if half_even:
            rounded = call("spark_half_even", cast_to(value, "HUGEINT"), exp.Literal.number(10**-scale))
        else:
            rounded = call("round", cast_to(value, "DECIMAL(38,0)"), exp.Literal.number(scale))
        return typed(cast_to(rounded, kind), kind)
    assert is_decimal(kind) and result is not None
    if half_even:
        return typed(cast_to(_half_even_decimal(value, kind, scale), result), result)
    return typed(cast_to(call("round", value, exp.Literal.number(scale)), result), result)


def _half_even_decimal(value: exp.Expression, kind: str, scale: int) -> exp.Expression:
    """A DECIMAL rounded half to even to `scale` digits, on its unscaled integer."""
    precision, digits = decimal_parts(kind)
    if scale >= digits:
        return value
    rounded = f"spark_half_even({decimals.unscaled('x', precision, digits)}, {10 ** (digits - scale)})"
    return duck(f"CAST({rounded} AS DECIMAL(38,0)) * {decimals.unit_in_last_place(digits)}", x=value)


def round_(node: exp.Round, ctx: Context) -> exp.Expression:
    return rounding(node.this, node.args.get("decimals"), ctx, half_even=False, construct="round")


def bround(node: exp.Anonymous, ctx: Context) -> exp.Expression:
    args = node.expressions
    return rounding(args[0], args[1] if len(args) > 1 else None, ctx, half_even=True, construct="bround")


def _named(name: str):
    def handler(node: exp.Expression, ctx: Context) -> exp.Expression:
        return call(name, node.this)

    return handler


sin, cos, tan = (_named(f"spark_{n}") for n in ("sin", "cos", "tan"))


def _strict(name: str):
    """A function of DOUBLEs answered by StrictMath's (its macro spark_<name>)."""

    def handler(node: exp.Expression, ctx: Context) -> exp.Expression:
        values = [node.this] + ([node.expression] if isinstance(node, exp.Atan2) else [])
        for value in values:
            _reject_not_numeric(None if isinstance(value, exp.Null) else spark_type(value, ctx), name)
        return typed(call(f"spark_{name}", *(cast_to(v, "DOUBLE") for v in values)), "DOUBLE")

    return handler


asin, acos, atan, atan2, exp_, sinh, cosh, tanh, asinh, acosh, atanh, rint = (
    _strict(n)
    for n in ("asin", "acos", "atan", "atan2", "exp", "sinh", "cosh", "tanh", "asinh", "acosh", "atanh", "rint")
)


def _reciprocal_of(name: str):
    def handler(node: exp.Expression, ctx: Context) -> exp.Expression:
        if not isinstance(node.this, exp.Null):
            _numeric_kind(node.this, ctx, type(node).__name__.lower())
        return typed(call("spark_reciprocal", call(f"spark_{name}", cast_to(node.this, "DOUBLE"))), "DOUBLE")

    return handler


cot, sec, csc = _reciprocal_of("tan"), _reciprocal_of("cos"), _reciprocal_of("sin")


def strict_math(name: str, arity: int, cast) -> Callable[[exp.Anonymous, Context], exp.Expression]:
    """expm1, log1p and hypot: StrictMath's (dialect/strictmath.py) of DOUBLEs, a number or a STRING cast to
    one as Databricks casts it; log1p is NULL from -1 down, as Spark's logarithms are."""

    def handler(node: exp.Anonymous, ctx: Context) -> exp.Expression:
        doubles = []
        for value in arguments(node, arity):
            kind = None if isinstance(value, exp.Null) else _numeric_or_text(value, ctx, name)
            doubles.append(value if kind == "DOUBLE" else cast(value, "DOUBLE", ctx))
        return typed(call(f"spark_{name}", *doubles), "DOUBLE")

    return handler


def _numeric_or_text(value: exp.Expression, ctx: Context, construct: str) -> str:
    kind = spark_type(value, ctx)
    if kind is None:
        raise NotSupportedLocally(f"{construct} of a value whose type the local target cannot tell",
                                  "CAST it to a numeric type")  # fmt: skip
    _reject_not_numeric(kind, construct)
    return kind


def _reject_not_numeric(kind: str | None, construct: str) -> None:
    """Databricks casts a STRING to DOUBLE for these functions and rejects anything else but a number."""
    if kind is not None and kind != "VARCHAR" and not is_numeric(kind):
        raise RejectedByDatabricks("DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE", f"{construct} of a {kind}")


def factorial(node: exp.Factorial, ctx: Context) -> exp.Expression:
    return call("spark_factorial", node.this)


def nanvl(node: exp.Nanvl, ctx: Context) -> exp.Expression:
    return call("spark_nanvl", cast_to(node.this, "DOUBLE"), cast_to(node.expression, "DOUBLE"))


def isnan(node: exp.IsNan, ctx: Context) -> exp.Expression:
    # isnan(NULL) is false in Databricks.
    return duck("coalesce(isnan(CAST({x} AS DOUBLE)), false)", x=node.this)


def negative(node: exp.Negative, ctx: Context) -> exp.Expression:
    _numeric_kind(node.this, ctx, "negative")
    return exp.Neg(this=exp.Paren(this=node.this))


def positive(node: exp.Anonymous, ctx: Context) -> exp.Expression:
    _numeric_kind(node.expressions[0], ctx, "positive")
    return node.expressions[0]


def check_int_div(left: str | None, right: str | None) -> None:
    """`div` takes integers and decimals; Databricks rejects a DOUBLE operand."""
    for kind in (left, right):
        if kind in ("DOUBLE", "FLOAT"):
            raise RejectedByDatabricks("DATATYPE_MISMATCH.BINARY_OP_WRONG_TYPE", "div of a DOUBLE operand")


def negation(node: exp.Neg, ctx: Context) -> exp.Expression:
    """-2147483648 is an INT literal in Databricks (DuckDB negates the BIGINT 2147483648)."""
    kind = spark_type(node, ctx)
    if is_integral(kind) and spark_type(node.this, ctx) != kind:
        return typed(cast_to(node, kind), kind)
    return node


def widen_operands(values: list[exp.Expression], result: str | None, ctx: Context) -> list[exp.Expression]:
    """The operands of an arithmetic operator cast to its Databricks type where DuckDB would compute in a
    narrower one: SMALLINT + INT is an INT (DuckDB keeps a SMALLINT and overflows), FLOAT + INT a DOUBLE."""
    return [_widened(value, spark_type(value, ctx), result) for value in values]


def _widened(value: exp.Expression, kind: str | None, result: str | None) -> exp.Expression:
    if is_integral(result) and is_integral(kind) and kind != result:
        return typed(cast_to(value, result), result)
    if result == "DOUBLE" and kind == "FLOAT":
        return typed(cast_to(value, "DOUBLE"), "DOUBLE")
    return value


def widen_floats(node: exp.Expression, ctx: Context) -> None:
    """A FLOAT meeting another number in a comparison, IN, coalesce, CASE or greatest is compared and
    returned as a DOUBLE in Databricks; DuckDB would narrow the other value to a FLOAT."""
    slots = operand_slots(node)
    if isinstance(node, (exp.Greatest, exp.Least)):
        slots = [(node, "this", None)] + [(node, "expressions", i) for i in range(len(node.expressions))]
    values = [slot_value(parent, key, index) for parent, key, index in slots]
    kinds = [spark_type(v, ctx) if v is not None and not isinstance(v, exp.Null) else None for v in values]
    if "FLOAT" not in kinds or not any(is_numeric(k) and k != "FLOAT" for k in kinds):
        return
    for (parent, key, index), value, kind in zip(slots, values, kinds, strict=True):
        if kind != "FLOAT" or value is None:
            continue
        replace_slot(parent, key, index, typed(cast_to(value, "DOUBLE"), "DOUBLE"))


# try_add / try_subtract / try_multiply: the operator, and the wider of two integer types.
_TRY_OPERATORS: dict[type[exp.Expression], tuple[str, type[exp.Expression]]] = {
    exp.SafeAdd: ("try_add", exp.Add), exp.SafeSubtract: ("try_subtract", exp.Sub),
    exp.SafeMultiply: ("try_multiply", exp.Mul)}  # fmt: skip
_INTEGERS = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT")


def try_arithmetic(node: exp.Expression, ctx: Context) -> exp.Expression:
    """NULL where the integer result overflows its type, as Databricks gives it; integers only."""
    name, operator = _TRY_OPERATORS[type(node)]
    a, b = node.this, node.args["expression"]
    kinds = [None if isinstance(v, exp.Null) else spark_type(v, ctx) for v in (a, b)]
    if not all((k is None and isinstance(v, exp.Null)) or k in _INTEGERS for k, v in zip(kinds, (a, b), strict=True)):
        raise NotSupportedLocally(f"{name} of values that are not integers", "CAST them to an integer type")
    known = [k for k in kinds if k is not None]
    kind = max(known, key=_INTEGERS.index) if known else "INTEGER"
    # Both sides at the result's type: DuckDB's operator then overflows where Databricks' does.
    computed = operator(this=cast_to(a, kind), expression=cast_to(b, kind))
    return typed(call("try", computed), kind)
