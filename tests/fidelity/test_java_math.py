"""Math functions whose Databricks result is Java's, compared bit for bit with Spark over many doubles."""

from __future__ import annotations

import math
import random
import struct

import pytest

from runner.config import load_target
from runner.engines.duckdb_engine import DuckDBEngine
from usersql.session import UserSql


def _doubles(count: int) -> list[float]:
    """Doubles of every magnitude (random bit patterns), small ones and round ones, both signs."""
    rng = random.Random(20261205)
    values = [struct.unpack("<d", struct.pack("<Q", rng.getrandbits(64)))[0] for _ in range(count)]
    values += [rng.uniform(-1000, 1000) for _ in range(count)]
    values += [8.0, -27.0, 0.001, 1e-310, -1e-320, 1e308, 123456789.125, 0.0, -0.0, math.inf, -math.inf]
    return [v for v in values if not math.isnan(v)]


@pytest.fixture
def user(tmp_path):
    engine = DuckDBEngine(load_target("local", data_dir=tmp_path))
    yield UserSql(engine)
    engine.close()


def test_cbrt_equals_databricks_to_the_last_bit(spark, user):
    values = _doubles(2000)
    expected = {
        row.v: row.c
        for row in spark.createDataFrame([(v,) for v in values], "v double").selectExpr("v", "cbrt(v) AS c").collect()
    }
    user.engine.connection.execute("CREATE TABLE doubles AS SELECT unnest(?::DOUBLE[]) AS v", [values])
    local = dict(user.query("SELECT v, cbrt(v) FROM doubles").rows)
    differing = [
        (v, expected[v], local[v]) for v in expected if struct.pack("<d", expected[v]) != struct.pack("<d", local[v])
    ]
    assert not differing, f"{len(differing)} of {len(expected)} differ, e.g. {differing[:3]}"


def test_cbrt_of_a_rounding_sensitive_remainder_matches(spark, user):
    sql = "SELECT pmod(3000000000, cbrt(123456789.125D)), cbrt(27), cbrt(NULL), cbrt('8')"
    assert user.query(sql).rows == [tuple(spark.sql(sql).collect()[0])]
