"""`schema_of_json` as Databricks infers it (dialect/jsonschema.py), compared with Spark over generated JSON."""

from __future__ import annotations

import json
import random

from dialect.jsonschema import inferred_schema

_NAMES = ["a", "b", "B", "_x", "a b", "1a", "12", "", "é", "`q`", "aa"]
_SCALARS = [
    0,
    1,
    -7,
    2**63 - 1,
    2**63,
    -(2**63) - 1,
    10**30,
    10**40,
    1.5,
    -0.0,
    1e300,
    2.25,
    "x",
    "2024-01-01",
    True,
    None,
]


def _value(rng: random.Random, depth: int) -> object:
    roll = rng.random()
    if depth > 2 or roll < 0.45:
        return rng.choice(_SCALARS)
    if roll < 0.75:
        return [_value(rng, depth + 1) for _ in range(rng.randint(0, 3))]
    return {rng.choice(_NAMES): _value(rng, depth + 1) for _ in range(rng.randint(0, 4))}


def _documents(count: int) -> list[str]:
    rng = random.Random(20261206)
    documents = ['{"a":{}}', "[{}]", '{"a":[{}]}', "[]", "{}", "null", '""', "[[1],[2.5]]", '[{"a":1},{"a":"x"}]']
    documents += [json.dumps(_value(rng, 0), ensure_ascii=rng.random() < 0.5) for _ in range(count)]
    documents += ['{"a":1,"a":"x"}', '[{"a":1,"b":2},{"b":"x","c":null}]', "[1, 123456789012345678901234]"]
    return documents


def test_schema_of_json_equals_databricks(spark, user):
    documents = _documents(400)
    expected: list[str] = []
    for start in range(0, len(documents), 60):
        chunk = documents[start : start + 60]
        calls = ", ".join("schema_of_json(" + _literal(d) + ")" for d in chunk)
        expected += list(spark.sql(f"SELECT {calls}").collect()[0])
    local = [inferred_schema(d) for d in documents]
    differing = [(d, e, g) for d, e, g in zip(documents, expected, local, strict=True) if e != g]
    assert not differing, f"{len(differing)} of {len(documents)} differ, e.g. {differing[:3]}"
    # Through SQL as a user writes it, and into from_json.
    sql = (
        'SELECT schema_of_json(\'{"n":1,"p":[1.5]}\'), '
        'from_json(\'{"id":"e1","n":4}\', schema_of_json(\'{"id":"x","n":1}\')).n'
    )
    assert user.query(sql).rows == [tuple(spark.sql(sql).collect()[0])]


def _literal(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"
