"""VARIANT values (parse_json, casts, paths, to_json, schema_of_variant) compared with Spark's answers, and the
places the local target refuses a VARIANT rather than read its local text as a STRING."""

from __future__ import annotations

import json
import random

import duckdb
import pytest

from dialect.errors import NotSupportedLocally
from dialect.translate import translate

# Numbers as JSON writes them: longs and their edges, decimals with trailing zeros, 38 and 39 digits,
# exponents, subnormals and overflow; strings with escapes, controls, wide characters.
_NUMBERS = [
    "0", "-0", "1", "-1", "127", "128", "32768", "2147483647", "2147483648", "-2147483649",
    "9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809",
    "12345678901234567890123456789012345678", "123456789012345678901234567890123456789",
    "0.0", "-0.0", "1.0", "100.0", "1.50", "0.10", "0.000001", "123.4560", "-7.25", "2147483647.5",
    "3.14159265358979323846264338327950288", "1.00000000000000000000000000000000000000",
    "1e3", "1E2", "-1.5e0", "1.9e0", "2.5E-3", "1e-5", "1e-320", "5e-324", "7.120236347223045e-307",
    "1.7976931348623157E308", "1e400",
    "-1e400", "9.223372036854775807E18", "1.005e0", "0e0",
]  # fmt: skip
_STRINGS = [
    "", "a", "x y", "12", " 12 ", "-7", "12.5", "1e3", "1d", "inf", "-Infinity", "NaN", "0x10", "true", "yes",
    "n", "0", "2024-01-02", " 2024-02-03 ", "2024-13-01", "2024-02-03T04:05:06", "2024-02-03 04:05:06.789",
    "é", "日本", "😀", "a/b", 'q"q', "b\\s", "\n\t\r\b\f", "\u0001\u001f\u007f", "\u2028",
]  # fmt: skip
# Keys beyond the Basic Multilingual Plane sort before U+E000..U+FFFF in Java's order (UTF-16), after them
# by code point.
_KEYS = ["a", "b", "A", "é", "a b", "1a", "12", "_", "`x", "", "z", "Z", "😀", "\uff21", "\ue000"]
_JUNK = ["", " ", "  x", " 2", "]", "x", "}", ",1"]


def _scalar(rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.45:
        return rng.choice(_NUMBERS)
    if kind < 0.85:
        return json.dumps(rng.choice(_STRINGS), ensure_ascii=rng.random() < 0.5)
    return rng.choice(["true", "false", "null"])


def _document(rng: random.Random, depth: int = 0) -> str:
    shape = rng.random() if depth < 3 else 0.0
    if shape < 0.5:
        return _scalar(rng)
    if shape < 0.75:
        return "[" + ",".join(_document(rng, depth + 1) for _ in range(rng.randint(0, 4))) + "]"
    keys = rng.sample(_KEYS, rng.randint(0, 4))
    if keys and rng.random() < 0.05:
        keys.append(keys[0])  # a duplicate key: malformed
    return "{" + ", ".join(f"{json.dumps(k)}: {_document(rng, depth + 1)}" for k in keys) + "}"


def _texts(count: int) -> list[str]:
    rng = random.Random(20261206)
    texts = ["", "  ", "[1", "1x", "1,2", "-01", "NaN", "[1,]", "{'a':1}", "truex", "true_", "true$", "1 2", "[1] ]"]
    # After true, false or null Jackson rejects a character that could continue a Java name, not others.
    texts += ["true:", "null;", "false~", "true@", "null|x", "true\u00e9", "false\u0301", "null\u2028", "true€"]
    for _ in range(count):
        text = _document(rng)
        if rng.random() < 0.2:
            text = rng.choice([" ", "\n", "\t"]) + text + rng.choice(_JUNK)
        texts.append(text)
    return texts


def _compare(spark, user, texts: list[str], calls: list[str]) -> None:
    rows = list(enumerate(texts))
    frame = spark.createDataFrame(rows, "i int, s string").selectExpr("i", *calls)
    expected = {row[0]: list(row[1:]) for row in frame.collect()}
    user.engine.connection.execute(
        "CREATE OR REPLACE TABLE texts AS SELECT unnest(?::INTEGER[]) AS i, unnest(?::VARCHAR[]) AS s",
        [[i for i, _ in rows], texts],
    )
    local = {row[0]: list(row[1:]) for row in user.query(f"SELECT i, {', '.join(calls)} FROM texts").rows}
    assert len(local) == len(expected) == len(texts)
    differing = [(texts[i], expected[i], local[i]) for i in expected if repr(expected[i]) != repr(local[i])]
    assert not differing, f"{len(differing)} of {len(texts)} differ, e.g. {differing[:3]}"


def test_documents_read_and_write_as_databricks_does(spark, user):
    texts = _texts(700)
    calls = [
        "try_parse_json(s) IS NULL",
        "to_json(try_parse_json(s))",
        "CAST(try_parse_json(s) AS STRING)",
        "schema_of_variant(try_parse_json(s))",
        "is_variant_null(try_parse_json(s))",
    ]
    _compare(spark, user, texts, calls)


@pytest.mark.parametrize(
    "target",
    ["tinyint", "smallint", "int", "bigint", "double", "decimal(10,2)", "decimal(5,0)", "decimal(38,30)",
     "boolean", "string", "date"],
)  # fmt: skip
def test_values_cast_as_databricks_casts_them(spark, user, target):
    texts = _NUMBERS + [json.dumps(s) for s in _STRINGS] + ["true", "false", "null", "[1]", '{"a":1}']
    _compare(spark, user, texts, [f"try_cast(parse_json(s) AS {target})"])


def test_a_value_that_does_not_fit_fails_naming_the_type(user):
    # As Databricks words it: the value as JSON and the type by its SQL name.
    for sql, words in [("SELECT parse_json('\"x\"')::int", '`"x"` cannot be cast into `"INT"`'),
                       ("SELECT parse_json('123.45')::decimal(4,2)", '`123.45` cannot be cast into `"DECIMAL(4,2)"`'),
                       ("SELECT parse_json('[1]')::boolean", '`[1]` cannot be cast into `"BOOLEAN"`')]:  # fmt: skip
        with pytest.raises(duckdb.Error, match="INVALID_VARIANT_CAST") as failed:
            user.query(sql)
        assert words in str(failed.value), sql


def test_strings_and_numbers_cast_to_timestamps_as_databricks_casts_them(spark, user):
    # Numbers are seconds since 1970; the text of the TIMESTAMP holds years past 9999 as Python cannot.
    numbers = _NUMBERS + ["253402300800", "-62135596801", "-1e-7", "-0.0000005", "1700000000.1234567"]
    texts = [json.dumps(s) for s in _STRINGS] + ["null", "true", "[1]"] + numbers
    _compare(spark, user, texts, ["CAST(try_cast(parse_json(s) AS timestamp) AS STRING)"])


def test_paths_find_what_databricks_finds(spark, user):
    texts = [t for t in _texts(300) if t.lstrip().startswith(("{", "["))]
    calls = [
        "to_json(try_parse_json(s):a)",
        "to_json(try_parse_json(s):['a b'][0])",
        "to_json(try_parse_json(s):[1].z)",
        "try_variant_get(try_parse_json(s), '$.A', 'string')",
        "try_variant_get(try_parse_json(s), '$[\"é\"][0]', 'int')",
        "try_variant_get(try_parse_json(s), '$[0].b', 'double')",
        "to_json(variant_get(try_parse_json(s), '$.a b'))",
    ]
    _compare(spark, user, texts, calls)


# A VARIANT anywhere but its own functions, a cast or a result column: Databricks rejects most of these
# (a VARIANT is not comparable or orderable) and keeps its type in the rest, where the local text would
# pass for a STRING. The local target refuses all of them.
REFUSED = [
    "SELECT parse_json('1') = parse_json('1')",
    "SELECT parse_json(s) FROM t GROUP BY 1",
    "SELECT parse_json(s) AS v FROM t ORDER BY v",
    "SELECT s, parse_json(s) FROM t ORDER BY 2",
    "SELECT DISTINCT parse_json(s) FROM t",
    "SELECT parse_json(s) AS v, v:a FROM t",
    "WITH x AS (SELECT parse_json(s) AS v FROM t) SELECT * FROM x",
    "WITH x AS (SELECT parse_json(s) AS v FROM t), y AS (SELECT v FROM x) SELECT v:a FROM y",
    "WITH x AS (SELECT parse_json(s) AS v FROM t) SELECT v FROM x ORDER BY v",
    "WITH x AS (SELECT parse_json(s) AS v FROM t) SELECT v:a = v:a FROM x",
    "WITH x AS (SELECT parse_json(s) AS v FROM t) SELECT coalesce(v:a, v:b) FROM x",
    "WITH x AS (SELECT parse_json(s) AS v FROM t), y AS (SELECT 'a' AS v) SELECT x.v:a::int FROM x, y",
    "SELECT v:a FROM (SELECT parse_json(s) AS v FROM t) JOIN VALUES (1) AS u(v) ON true",
    "SELECT s:a FROM (SELECT parse_json(s) AS s FROM t)",
    "SELECT parse_json(s) FROM t UNION ALL SELECT parse_json(s) FROM t",
    "SELECT coalesce(parse_json(s), parse_json('1')) FROM t",
    "SELECT concat(parse_json(s), 'x') FROM t",
    "SELECT count(DISTINCT parse_json(s)) FROM t",
    "SELECT CASE WHEN true THEN parse_json(s) END FROM t",
    "INSERT INTO u SELECT parse_json(s) FROM t",
    "CREATE TABLE u AS SELECT parse_json(s) AS v FROM t",
    "SELECT CAST(parse_json(s) AS FLOAT) FROM t",
    "SELECT CAST(parse_json(s) AS ARRAY<INT>) FROM t",
    "SELECT CAST(parse_json(s) AS TIMESTAMP_NTZ) FROM t",
]


@pytest.mark.unit
@pytest.mark.parametrize("sql", REFUSED)
def test_a_variant_elsewhere_is_refused_with_what_to_do(sql):
    with pytest.raises(NotSupportedLocally) as refused:
        translate(sql, column_type={"s": "VARCHAR"}.get, variant_outputs=True)
    assert "run it on Databricks" in str(refused.value)


@pytest.mark.unit
def test_a_variant_column_of_a_cte_is_read_by_its_paths_and_casts():
    sql = "WITH x AS (SELECT parse_json(s) AS v FROM t) SELECT v:a::int, to_json(v:b), v FROM x"
    translated = translate(sql, column_type={"s": "VARCHAR"}.get, variant_outputs=True).lower()
    assert "spark_variant_get" in translated and "spark_variant_json" in translated
    # A table with a column of that name would make `v` ambiguous: refused.
    with pytest.raises(NotSupportedLocally):
        translate(sql, column_type={"s": "VARCHAR", "v": "VARCHAR"}.get, variant_outputs=True)


@pytest.mark.unit
def test_a_variant_is_a_result_column_only_where_the_result_goes_to_the_user():
    sql = "SELECT parse_json(s) AS v FROM t"
    assert "spark_variant_json" in translate(sql, column_type={"s": "VARCHAR"}.get, variant_outputs=True).lower()
    with pytest.raises(NotSupportedLocally):
        translate(sql, column_type={"s": "VARCHAR"}.get)  # a script's query, a FOR loop's: refused
