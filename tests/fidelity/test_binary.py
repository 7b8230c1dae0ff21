"""Text read as BINARY (`unhex`, `unbase64`, `to_binary`) as Databricks reads it, compared with Spark's answers."""

from __future__ import annotations

import random

import pytest

from dialect.binary import unbase64

# Base64 text with the ways it goes wrong: padding in the middle or too long, spaces, a stray character,
# a Latin-1 and a wider character (Java reads the text as ISO-8859-1 bytes), a unit of one character.
_PIECES = ["U3Bh", "cms", "=", "==", " ", "\n", "\t", "!", "é", "€", "YQ", "A", "/+", "ab", "0a", "FF", "g", "\u2003"]


def _texts(count: int) -> list[str]:
    rng = random.Random(20261206)
    texts = ["", "=", "YQ==", "YQ", "YQ=", "A", "abc", "U3BhcmsgU1FM", "0aFF", "abc"]
    texts += ["".join(rng.choice(_PIECES) for _ in range(rng.randint(1, 6))) for _ in range(count)]
    return texts


@pytest.mark.parametrize("call", ["unhex(s)", "try_to_binary(s, 'hex')", "try_to_binary(s, 'base64')"])
def test_text_to_binary_equals_databricks(spark, user, call):
    texts = _texts(600)
    rows = list(enumerate(texts))
    expected = {i: (bytes(v) if v is not None else None) for i, v in spark.createDataFrame(rows, "i int, s string")
                .selectExpr("i", call).collect()}  # fmt: skip
    user.engine.connection.execute(
        "CREATE TABLE texts AS SELECT unnest(?::INTEGER[]) AS i, unnest(?::VARCHAR[]) AS s",
        [[i for i, _ in rows], texts],
    )
    local = dict(user.query(f"SELECT i, {call} FROM texts").rows)
    differing = [(texts[i], expected[i], local[i]) for i in expected if expected[i] != local[i]]
    assert len(local) == len(expected) == len(texts)
    assert not differing, f"{len(differing)} of {len(texts)} differ, e.g. {differing[:3]}"


def test_unbase64_decodes_and_fails_as_java_does(spark):
    # unbase64 fails the statement on a misplaced '=' or a lone last character, with Java's message; the
    # texts it decodes are compared together, those it fails on one by one (a few, each a Spark job).
    texts = _texts(600)
    decoded, failing = {}, {}
    for text in texts:
        try:
            decoded[text] = unbase64(text)
        except ValueError as exc:
            failing[text] = str(exc)
    frame = spark.createDataFrame([(t,) for t in decoded], "s string").selectExpr("s", "unbase64(s)")
    answers = {s: bytes(b) for s, b in frame.collect()}
    assert answers == decoded
    assert len(failing) > 20
    for text in sorted(failing)[:: max(1, len(failing) // 12)]:
        with pytest.raises(Exception) as raised:
            spark.createDataFrame([(text,)], "s string").selectExpr("unbase64(s)").collect()
        assert failing[text] in str(raised.value), text
