"""DECIMAL arithmetic whose exact result DuckDB cannot hold, computed exactly as Databricks does.

DuckDB multiplies two DECIMALs into one with the sum of their scales, fails when that scale is above 38,
and caps a sum or product at 38 digits with the operands' scale: where Databricks' result type gives up
scale to keep integer digits (its precision-loss rule), DuckDB would fail on values Databricks answers.
Those operations run here on Python's exact decimals, rounded half up to Databricks' result scale.
"""

from __future__ import annotations

import contextlib
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction

import duckdb
from sqlglot import exp

from dialect.common import call, cast_to, duck, typed
from dialect.types import decimal_parts

_DIVIDE_BY_ZERO = "[DIVIDE_BY_ZERO] Division by zero. Use try_divide to tolerate divisor being 0 and return NULL."
# Enough digits for the exact product of two 38-digit numbers, with 38 more of scale.
_EXACT_DIGITS = 120


def _quantized(value: Decimal, scale: int) -> Decimal:
    with localcontext() as context:
        context.prec = _EXACT_DIGITS
        return value.quantize(Decimal(1).scaleb(-scale), rounding=ROUND_HALF_UP)


def exact(operator: str, left: str, right: str, scale: int) -> str | None:
    """a + b, a - b, a * b or a / b of two decimal texts, rounded half up to `scale` digits."""
    a, b = Decimal(left), Decimal(right)
    with localcontext() as context:
        # Python's default context keeps 28 digits: a 38-digit quotient or product would be rounded there.
        context.prec = _EXACT_DIGITS
        if operator == "/":
            if b == 0:
                return None  # the SQL around fails with DIVIDE_BY_ZERO
            quotient = Fraction(a) / Fraction(b) * 10**scale
            whole = (abs(quotient.numerator) * 2 + quotient.denominator) // (2 * quotient.denominator)
            return str(Decimal(whole if quotient >= 0 else -whole).scaleb(-scale))
        result = a * b if operator == "*" else a + b if operator == "+" else a - b
    return str(_quantized(result, scale))


def install_decimal_functions(conn: duckdb.DuckDBPyConnection) -> None:
    with contextlib.suppress(duckdb.Error):
        conn.remove_function("spark_decimal_exact")
    conn.create_function("spark_decimal_exact", exact, ["VARCHAR", "VARCHAR", "VARCHAR", "INTEGER"], "VARCHAR",
                         side_effects=False)  # fmt: skip


def fits_natively(operator: str, left: str, right: str, result: str) -> bool:
    """Whether DuckDB's own DECIMAL arithmetic holds every value Databricks' result type holds."""
    (p1, s1), (p2, s2) = decimal_parts(left), decimal_parts(right)
    _, scale = decimal_parts(result)
    if operator == "*":
        return p1 + p2 <= 38 or scale == s1 + s2
    if operator in ("+", "-"):
        return scale == max(s1, s2)
    # The division runs on 128-bit integers: the scaled numerator, doubled to round, must fit.
    shift = scale + s2 - s1
    return shift >= 0 and p1 + shift <= 37 and p1 + s1 <= 38 and p2 + s2 <= 38


def exact_arithmetic(operator: str, a: exp.Expression, b: exp.Expression, left: str, right: str,
                     result: str) -> exp.Expression:  # fmt: skip
    """a <operator> b computed exactly in Python, in Databricks' result type `result`."""
    _, scale = decimal_parts(result)
    texts = [cast_to(cast_to(v, kind), "VARCHAR") for v, kind in ((a, left), (b, right))]
    computed = cast_to(call("spark_decimal_exact", exp.Literal.string(operator), *texts, exp.Literal.number(scale)),
                       result)  # fmt: skip
    if operator != "/":
        return typed(computed, result)
    # the divisor first, as Databricks divides
    return typed(cast_to(duck(divisor_first("{c}"), a=a, b=b, c=computed), result), result)


def divisor_first(quotient: str) -> str:
    """A `duck` template of `quotient`, a division of `{a}` by `{b}`, checked as Databricks divides: NULL
    for a NULL divisor, then for a NULL dividend, DIVIDE_BY_ZERO for a zero divisor."""
    return (
        "CASE WHEN {b} IS NULL THEN NULL WHEN {a} IS NULL THEN NULL "
        f"WHEN {{b}} = 0 THEN error('{_DIVIDE_BY_ZERO}') ELSE {quotient} END"
    )


def unscaled(placeholder: str, precision: int, scale: int) -> str:
    """A `duck` template of the DECIMAL(precision, scale) `{placeholder}` as the HUGEINT of its digits (1.25
    at scale 2 is 125). DuckDB's product keeps the scale, so it holds the digits only while precision +
    scale <= 38; past that they are read from the DECIMAL's text, which writes every digit of the scale."""
    if precision + scale <= 38:
        return f"CAST(round(CAST({{{placeholder}}} AS DECIMAL(38,{scale})) * {10**scale}) AS HUGEINT)"
    return f"CAST(replace(CAST(CAST({{{placeholder}}} AS DECIMAL(38,{scale})) AS VARCHAR), '.', '') AS HUGEINT)"


def unit_in_last_place(scale: int) -> str:
    """1 at the `scale`-th decimal place as a DECIMAL literal: an integer of digits times it is the DECIMAL
    (DuckDB divides DECIMALs in DOUBLE, so results are scaled by multiplying)."""
    return "1" if scale == 0 else f"0.{'0' * (scale - 1)}1"
