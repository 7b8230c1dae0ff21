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
