"""Math functions whose Databricks result is Java's, compared bit for bit with Spark over many doubles."""

from __future__ import annotations

import math
import random
import struct

import pytest


def _doubles(count: int) -> list[float]:
    """Doubles of every magnitude (random bit patterns), small ones and round ones, both signs."""
    rng = random.Random(20261205)
    values = [struct.unpack("<d", struct.pack("<Q", rng.getrandbits(64)))[0] for _ in range(count)]
    values += [rng.uniform(-1000, 1000) for _ in range(count)]
    values += [8.0, -27.0, 0.001, 1e-310, -1e-320, 1e308, 123456789.125, 0.0, -0.0, math.inf, -math.inf]
    return [v for v in values if not math.isnan(v)]


def test_cbrt_equals_databricks_to_the_last_bit(spark, user):
    values = _doubles(2000)
    rows = [(i, v) for i, v in enumerate(values)]
    expected = dict(spark.createDataFrame(rows, "i int, v double").selectExpr("i", "cbrt(v)").collect())
    user.engine.connection.execute(
        "CREATE TABLE doubles AS SELECT unnest(?::INTEGER[]) AS i, unnest(?::DOUBLE[]) AS v",
        [list(range(len(values))), values],
    )
    local = dict(user.query("SELECT i, cbrt(v) FROM doubles").rows)
    # Bit patterns, so that -0.0 is not 0.0 and the last bit counts.
    differing = [
        (values[i], expected[i], local[i])
        for i in expected
        if struct.pack("<d", expected[i]) != struct.pack("<d", local[i])
    ]
    assert len(local) == len(expected) == len(values)
    assert not differing, f"{len(differing)} of {len(values)} differ, e.g. {differing[:3]}"


@pytest.mark.parametrize("call", ["ln(v)", "log(v)", "log2(v)", "log(3, v)", "log(v, 8)", "log10(v)"])
def test_logarithms_equal_databricks_to_the_last_bit(spark, user, call):
    # The C library's ln differs from StrictMath's in the last bit for a few doubles in a hundred.
    values = [v for v in _doubles(1500) if v > 0]
    rows = [(i, v) for i, v in enumerate(values)]
    expected = dict(spark.createDataFrame(rows, "i int, v double").selectExpr("i", call).collect())
    user.engine.connection.execute(
        "CREATE TABLE positives AS SELECT unnest(?::INTEGER[]) AS i, unnest(?::DOUBLE[]) AS v",
        [list(range(len(values))), values],
    )
    local = dict(user.query(f"SELECT i, {call} FROM positives").rows)
    differing = [
        (values[i], expected[i], local[i])
        for i in expected
        if expected[i] is None or local[i] is None or struct.pack("<d", expected[i]) != struct.pack("<d", local[i])
    ]
    assert len(local) == len(expected) == len(values)
    assert not differing, f"{len(differing)} of {len(values)} differ, e.g. {differing[:3]}"


def test_cbrt_of_a_rounding_sensitive_remainder_matches(spark, user):
    sql = "SELECT pmod(3000000000, cbrt(123456789.125D)), cbrt(27), cbrt(NULL), cbrt('8')"
    assert user.query(sql).rows == [tuple(spark.sql(sql).collect()[0])]


def _differing(function, arguments: list[tuple[float, ...]], expected: list[float]) -> list[tuple]:
    """(arguments, Java's answer, ours) wherever the bit patterns differ (so -0.0 is not 0.0, nor NaN any NaN)."""
    answers = [function(*args) for args in arguments]
    return [
        (args, want, got)
        for args, want, got in zip(arguments, expected, answers, strict=True)
        if struct.pack("<d", want) != struct.pack("<d", got)
    ]


def test_expm1_log1p_hypot_equal_java_to_the_last_bit(spark):
    # Called directly (not through SQL): Python's math.expm1 and math.log1p differ from StrictMath's in the
    # last bit for about 2 doubles in a thousand in [-1, 1], math.hypot for about 1 pair in 8.
    from dialect.strictmath import expm1, hypot, log1p

    rng = random.Random(20261206)
    values = _doubles(800) + [math.nan, 1e-300, -1e-300, 709.782712893384, 709.7827128933841, -38.5, -39.0]
    values += [rng.uniform(-1, 1) for _ in range(800)] + [rng.uniform(-40, 40) for _ in range(400)]
    values += [rng.choice((1, -1)) * 10 ** rng.uniform(-300, -5) for _ in range(400)]
    values += [rng.uniform(-1, -0.25) for _ in range(200)] + [rng.uniform(0.25, 0.5) for _ in range(200)]
    rows = list(enumerate(values))
    answers = spark.createDataFrame(rows, "i int, v double").selectExpr("i", "expm1(v)", "log1p(v)").collect()
    expected = {i: (e, lp) for i, e, lp in answers}
    assert len(expected) == len(values)
    differing = _differing(expm1, [(v,) for v in values], [expected[i][0] for i in range(len(values))])
    assert not differing, f"expm1: {len(differing)} of {len(values)} differ, e.g. {differing[:3]}"
    # Spark's log1p is NULL at and below -1 (its own rule); StrictMath's is -inf at -1 and NaN below.
    assert [v for i, v in rows if expected[i][1] is None] == [v for v in values if v <= -1]
    above = [i for i, v in rows if expected[i][1] is not None]
    differing = _differing(log1p, [(values[i],) for i in above], [expected[i][1] for i in above])
    assert not differing, f"log1p: {len(differing)} of {len(above)} differ, e.g. {differing[:3]}"
    assert log1p(-1.0) == -math.inf and math.isnan(log1p(-2.0))

    # Pairs of every magnitude and ratio (either side of a/b = 2^60, 2^500, 2^-500, subnormals), and specials.
    pairs = [(values[rng.randrange(len(values))], values[rng.randrange(len(values))]) for _ in range(1500)]
    pairs += [(v, v * 2.0 ** rng.uniform(-64, 0) * rng.choice((1, -1))) for v in values[:1500]]
    specials = [0.0, -0.0, 3.0, -4.0, 5e-324, 1e-310, 1.7976931348623157e308, math.inf, -math.inf, math.nan]
    pairs += [(a, b) for a in specials for b in specials]
    rows = [(i, a, b) for i, (a, b) in enumerate(pairs)]
    expected_hypot = dict(
        spark.createDataFrame(rows, "i int, x double, y double").selectExpr("i", "hypot(x, y)").collect()
    )
    assert len(expected_hypot) == len(pairs)
    differing = _differing(hypot, pairs, [expected_hypot[i] for i in range(len(pairs))])
    assert not differing, f"hypot: {len(differing)} of {len(pairs)} differ, e.g. {differing[:3]}"


def _same_double(a: float | None, b: float | None) -> bool:
    """Equal to the last bit; any NaN equals any NaN (SQL cannot tell them apart: casts and hashes read all
    NaNs alike), so -0.0 is not 0.0 but a negative NaN is a NaN."""
    if a is None or b is None:
        return a is b
    if math.isnan(a) and math.isnan(b):
        return True
    return struct.pack("<d", a) == struct.pack("<d", b)


@pytest.mark.parametrize(
    "call",
    ["expm1(v)", "log1p(v)", "hypot(v, w)", "exp(v)", "atan(v)", "atan2(v, w)", "asin(v)", "acos(v)", "sinh(v)",
     "cosh(v)", "tanh(v)", "asin(v / 1e300)", "atan2(v * 0, w)", "asinh(v)", "asinh(v / 300)", "acosh(v)",
     "acosh(1 + abs(v) / 400)", "atanh(v)", "atanh(v / 1000)", "rint(v)", "rint(v / 4)"],
)  # fmt: skip
def test_strict_math_in_sql_equals_databricks(spark, user, call):
    # Through the SQL a user writes: NULL from -1 down for log1p, NaN and infinities as Spark answers them,
    # atan2 of a -0.0 read as 0.0.
    rng = random.Random(7)
    values = _doubles(700) + [math.nan, -1.0, -2.0]
    rows = [(i, v, values[rng.randrange(len(values))]) for i, v in enumerate(values)]
    expected = dict(spark.createDataFrame(rows, "i int, v double, w double").selectExpr("i", call).collect())
    # Bound as text: DuckDB reads a NaN in a bound list of doubles as NULL.
    user.engine.connection.execute(
        "CREATE TABLE pairs AS SELECT unnest(?::INTEGER[]) AS i, unnest(?::VARCHAR[])::DOUBLE AS v, "
        "unnest(?::VARCHAR[])::DOUBLE AS w",
        [[r[0] for r in rows], [repr(r[1]) for r in rows], [repr(r[2]) for r in rows]],
    )
    local = dict(user.query(f"SELECT i, {call} FROM pairs").rows)
    differing = [(rows[i], expected[i], local[i]) for i in expected if not _same_double(expected[i], local[i])]
    assert len(local) == len(expected) == len(values)
    assert not differing, f"{len(differing)} of {len(values)} differ, e.g. {differing[:3]}"


def _near_thresholds(rng: random.Random) -> list[float]:
    """Doubles either side of the high words at which fdlibm's atan, asin, acos, sinh, cosh, tanh and exp
    change branch (2^-55 ... 2^66, 7/16, 0.975, 22, ln(DBL_MAX), sinh's and exp's overflow), both signs."""
    highs = [0x3C600000, 0x3C800000, 0x3E200000, 0x3E300000, 0x3E400000, 0x3FD62E42, 0x3FD62E43, 0x3FDC0000]
    highs += [0x3FE00000, 0x3FE60000, 0x3FEF3333, 0x3FF00000, 0x3FF0A2B2, 0x3FF30000, 0x40038000, 0x40360000]
    highs += [0x40862E42, 0x408633CE, 0x40874910, 0x44100000]
    values = []
    for high in highs:
        for low in (0, 1, 0xFFFFFFFF, 0x8FB9F87D, 0x8FB9F87E, 0xFEFA39EF, 0xFEFA39F0, rng.getrandbits(32)):
            for word in (high - 1, high, high + 1):
                value = struct.unpack("<d", struct.pack("<Q", (word << 32) | low))[0]
                values += [value, -value]
    return values


def test_atan_asin_acos_sinh_cosh_tanh_exp_atan2_equal_java_to_the_last_bit(spark):
    # Java's Math.atan, asin, acos, sinh, cosh, tanh and atan2 are StrictMath's on JDK 17 (no intrinsics), and
    # Spark's exp calls StrictMath.exp itself. Python's math functions differ from them in the last bit for
    # about 1 double in 10 (cosh, exp), 1 in 15 (asin, acos), 1 in 20 (atan), 1 in 500 to 1000 (sinh, tanh)
    # and 1 pair in 6 (atan2), for uniform values in [-1, 1] or [-10, 10].
    from dialect import strictmath

    rng = random.Random(20261207)
    values = _doubles(400) + _near_thresholds(rng) + [math.nan, 1.0, -1.0, 2.0, -1.5, 5e-324, 22.0, 710.5]
    values += [rng.uniform(-1, 1) for _ in range(600)] + [rng.uniform(-25, 25) for _ in range(400)]
    values += [rng.uniform(-746, 746) for _ in range(300)]
    values += [rng.choice((1, -1)) * 10 ** rng.uniform(-320, -5) for _ in range(200)]
    functions = ["atan", "asin", "acos", "sinh", "cosh", "tanh", "exp"]
    rows = list(enumerate(values))
    answers = spark.createDataFrame(rows, "i int, v double").selectExpr("i", *[f"{f}(v)" for f in functions])
    expected = {row[0]: row[1:] for row in answers.collect()}
    assert len(expected) == len(values)
    for k, name in enumerate(functions):
        want = [expected[i][k] for i in range(len(values))]
        differing = _differing(getattr(strictmath, name), [(v,) for v in values], want)
        assert not differing, f"{name}: {len(differing)} of {len(values)} differ, e.g. {differing[:3]}"
    # Outside [-1, 1] Spark's asin and acos are NaN (not NULL, not an error, in ANSI mode too).
    assert all(math.isnan(expected[i][1]) and math.isnan(expected[i][2]) for i, v in rows if abs(v) > 1)

    # Pairs of every magnitude, ratio (either side of |y/x| = 2^60 and 2^-60) and sign, x = 1, and specials.
    pairs = [(values[rng.randrange(len(values))], values[rng.randrange(len(values))]) for _ in range(1000)]
    pairs += [(v * 2.0 ** rng.uniform(-70, 70) * rng.choice((1, -1)), v) for v in values[:800]]
    pairs += [(v, 1.0) for v in values[:200]]
    specials = [0.0, -0.0, 1.0, -1.0, 5e-324, -1e-310, 1.7976931348623157e308, math.inf, -math.inf, math.nan]
    pairs += [(y, x) for y in specials for x in specials]
    rows = [(i, y, x) for i, (y, x) in enumerate(pairs)]
    # Spark's atan2 adds 0.0 to both arguments first (so that -0.0 reads as 0.0); StrictMath's own, which
    # strictmath.atan2 is, tells the zeros apart: reflect calls it, and its text reads back to the same bits.
    answers = spark.createDataFrame(rows, "i int, y double, x double").selectExpr(
        "i", "atan2(y, x)", "cast(reflect('java.lang.StrictMath', 'atan2', y, x) as double)"
    )
    expected_atan2 = {i: (sql, java) for i, sql, java in answers.collect()}
    assert len(expected_atan2) == len(pairs)
    want = [expected_atan2[i][1] for i in range(len(pairs))]
    differing = _differing(strictmath.atan2, pairs, want)
    assert not differing, f"StrictMath.atan2: {len(differing)} of {len(pairs)} differ, e.g. {differing[:3]}"
    want = [expected_atan2[i][0] for i in range(len(pairs))]
    differing = _differing(lambda y, x: strictmath.atan2(y + 0.0, x + 0.0), pairs, want)
    assert not differing, f"Spark's atan2: {len(differing)} of {len(pairs)} differ, e.g. {differing[:3]}"
    assert strictmath.atan2(-0.0, -1.0) == -math.pi and strictmath.atan2(-0.0 + 0.0, -1.0) == math.pi


def _texts_test_doubles() -> list[float]:
    """Doubles whose Java 17 text is not the shortest: few significant bits (m * 2^e) at every exponent,
    subnormals, whole numbers past 2^53, beside random bit patterns and prices."""
    rng = random.Random(20261206)
    values = {m * 2.0**e for m in range(1, 40) for e in range(-1074, 1000, 11)}
    values |= {struct.unpack("<d", struct.pack("<Q", k))[0] for k in range(1, 400)}
    values |= {float(rng.randint(2**53, 2**64)) for _ in range(300)}
    values |= {round(rng.uniform(-1e4, 1e4), rng.randint(0, 4)) for _ in range(300)}
    values |= {v for v in _doubles(1500) if math.isfinite(v)}
    return sorted(values)


def _assert_answers_as_spark(spark, user, values: list[float], kind: str, call: str) -> None:
    """`call` of a column `v` of `kind` ('double' or 'float') holding each value, locally and on Spark."""
    rows = list(enumerate(values))
    expected = dict(spark.createDataFrame(rows, f"i int, v {kind}").selectExpr("i", call).collect())
    user.engine.connection.execute(
        f"CREATE OR REPLACE TABLE numbers AS SELECT unnest(?::INTEGER[]) AS i, unnest(?::{kind.upper()}[]) AS v",
        [list(range(len(values))), values],
    )
    local = dict(user.query(f"SELECT i, {call} FROM numbers").rows)
    differing = [(values[i], expected[i], local[i]) for i in expected if expected[i] != local[i]]
    assert len(local) == len(expected) == len(values)
    assert not differing, f"{len(differing)} of {len(values)} differ, e.g. {differing[:3]}"


def test_a_double_is_written_as_java_17_writes_it(spark, user):
    # Java before 19 is not always shortest (4.9E-324, 7.1202363472230444E-307): CAST to STRING, to_json
    # and concat all write a DOUBLE as it does.
    _assert_answers_as_spark(spark, user, _texts_test_doubles(), "double", "CAST(v AS STRING)")


@pytest.mark.parametrize(
    "call", ["try_cast(v AS DECIMAL(38,0))", "try_cast(v * 1e-10 AS DECIMAL(38,18))", "try_cast(v AS DECIMAL(38,37))",
             "round(v, 2)", "round(v * 1e-300, 310)", "bround(v, -3)"],
)  # fmt: skip
def test_a_double_becomes_a_decimal_through_java_17s_text(spark, user, call):
    # Databricks reads the double's Double.toString as a decimal: 1.0E23 is 99999999999999990000000.
    _assert_answers_as_spark(spark, user, _texts_test_doubles(), "double", call)


def test_a_float_is_written_as_java_17_writes_it(spark, user):
    # Float.toString runs the same steps on a float's 24 bits: 1e17 as a FLOAT is 9.9999998E16.
    rng = random.Random(20261206)
    values = {struct.unpack("<f", struct.pack("<I", k))[0] for k in range(1, 300)}
    values |= {struct.unpack("<f", struct.pack("<I", rng.getrandbits(31)))[0] for _ in range(3000)}
    values |= {m * 2.0**e for m in range(1, 40) for e in range(-149, 100, 7) if m * 2.0**e < 3e38}
    floats = sorted({struct.unpack("<f", struct.pack("<f", v))[0] for v in values if math.isfinite(v)})
    _assert_answers_as_spark(spark, user, floats, "float", "CAST(v AS STRING)")
    # to_char reads a FLOAT as the DECIMAL(14,7) of its double's text (it was refused).
    small = [v for v in floats if abs(v) < 9_999_999]
    _assert_answers_as_spark(spark, user, small, "float", "to_char(v, '9999999.9999999')")


def test_format_number_of_a_double_is_decimalformats(spark, user):
    # DecimalFormat rounds Double.toString's digits half even, a last 5 by FloatingDecimal's flags (above or
    # below the tie), and pads past them with zeros: format_number(0.1D, 20) ends in zeros, 5.0E-5 to four
    # places is 0.0000. Values near a tie at every place, at every number of places, and Java's texts.
    ties = [s * k * 10.0**-e for s in (1, -1) for k in (5, 15, 25, 45, 95, 125, 995, 9995, 1, 9) for e in range(26)]
    rng = random.Random(20261206)
    rows = [(v, d) for v in ties for d in range(26)]
    rows += [(v, rng.choice((0, 1, 2, 3, 5, 8, 15, 17, 20, 30, 330, 345))) for v in _texts_test_doubles()]
    rows += [(0.1, 345), (5e-324, 345), (-0.0, 2), (0.0, 0), (-0.001, 2), (math.nan, 2), (-math.inf, 1)]
    table = [(i, repr(v), d) for i, (v, d) in enumerate(rows)]
    expected = dict(
        spark.createDataFrame(table, "i int, v string, d int").selectExpr("i", "format_number(double(v), d)").collect()
    )
    user.engine.connection.execute(
        "CREATE TABLE places AS SELECT unnest(?::INTEGER[]) AS i, unnest(?::VARCHAR[])::DOUBLE AS v, "
        "unnest(?::INTEGER[]) AS d",
        [[r[0] for r in table], [r[1] for r in table], [r[2] for r in table]],
    )
    local = dict(user.query("SELECT i, format_number(v, d) FROM places").rows)
    differing = [(rows[i], expected[i], local[i]) for i in expected if expected[i] != local[i]]
    assert len(local) == len(expected) == len(rows)
    assert not differing, f"{len(differing)} of {len(rows)} differ, e.g. {differing[:3]}"
