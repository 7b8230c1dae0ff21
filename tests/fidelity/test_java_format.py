"""format_value against Spark's format_string: random specifiers over values of every kind, written cases
(Java's half-up rounding of Double.toString's digits, two's complement widths, NULLs), and the errors."""

from __future__ import annotations

import math
import random
import re
import struct
from datetime import date, timedelta
from decimal import Decimal

import pytest

from dialect.javaformat import JavaFormatError, format_value

# Kind, Spark column type, a value generator.
_INTS = {"TINYINT": ("tinyint", 8), "SMALLINT": ("smallint", 16), "INTEGER": ("int", 32), "BIGINT": ("bigint", 64)}
_SPECIAL = [0.125, 1.005, 2.675, -0.0, 0.0, math.nan, math.inf, -math.inf, 0.5, 2.5, 9.995, 99.95, 1e-4, 9.99999e-5,
            999999.5, 1e7, 1e17, 1e20, 5e-324, 1.7976931348623157e308, 0.1, 1 / 3, 2.0**63, 123456789.125]  # fmt: skip


def _double(rng: random.Random) -> float:
    pick = rng.random()
    if pick < 0.3:
        return struct.unpack("<d", struct.pack("<Q", rng.getrandbits(64)))[0]
    if pick < 0.5:
        return rng.uniform(-1000, 1000)
    if pick < 0.7:
        return rng.choice(_SPECIAL)
    return rng.choice([1, -1]) * rng.randint(0, 10 ** rng.randint(1, 9)) / 10 ** rng.randint(0, 8)


def _integer(rng: random.Random, bits: int) -> int:
    low, high = -(1 << (bits - 1)), (1 << (bits - 1)) - 1
    pick = rng.random()
    if pick < 0.25:
        return rng.choice([low, high, 0, -1, 1])
    return max(low, min(high, rng.randint(-1000, 1000))) if pick < 0.6 else rng.randint(low, high)


def _specifier(rng: random.Random, conversions: str) -> str:
    conversion = rng.choice(conversions)
    flags = "".join(flag for flag in rng.sample("-#+ 0,(", 7) if rng.random() < 0.12)
    width = str(rng.randint(1, 25)) if rng.random() < 0.6 else ""
    precision = f".{rng.randint(0, 18)}" if rng.random() < (0.6 if conversion in "eEfgG" else 0.1) else ""
    return f"%{flags}{width}{precision}{conversion}"


def _cases(rng: random.Random, count: int) -> dict[str, list[tuple[str, object]]]:
    cases: dict[str, list[tuple[str, object]]] = {}
    for kind, (_, bits) in _INTS.items():
        cases[kind] = [(_specifier(rng, "ddoxXcsSbB"), _integer(rng, bits)) for _ in range(count)]
    cases["DOUBLE"] = [(_specifier(rng, "eEffgGsSbd"), _double(rng)) for _ in range(2 * count)]
    cases["FLOAT"] = [(_specifier(rng, "eEffgGsS"), rng.uniform(-1e4, 1e4)) for _ in range(count)]
    cases["DECIMAL(20,6)"] = [
        (_specifier(rng, "sSbf"), Decimal(rng.randint(-(10**14), 10**14)).scaleb(-6)) for _ in range(count // 2)
    ]
    cases["VARCHAR"] = [
        (_specifier(rng, "sSbd"), rng.choice(["", "abc", "straße", "日本😀x"])) for _ in range(count // 2)
    ]
    cases["BOOLEAN"] = [(_specifier(rng, "sSbB"), rng.random() < 0.5) for _ in range(count // 4)]
    cases["DATE"] = [(_specifier(rng, "dxsS"), rng.randint(-700000, 2900000)) for _ in range(count // 4)]
    for rows in cases.values():
        rows += [(specifier, None) for specifier, _ in rows[:5]]
    return cases


_SPARK_TYPES = {**{kind: spark for kind, (spark, _) in _INTS.items()}, "DOUBLE": "double", "FLOAT": "float",
                "DECIMAL(20,6)": "decimal(20,6)", "VARCHAR": "string", "BOOLEAN": "boolean", "DATE": "int"}  # fmt: skip


def _python(kind: str, value: object) -> object:
    # Dates travel to Spark as days (date_from_unix_date) and to format_value as a date.
    if kind == "DATE" and value is not None:
        assert isinstance(value, int)
        return date(1970, 1, 1) + timedelta(days=value)
    return value


def _spark_format(spark, kind: str, rows: list[tuple[int, str, object]]) -> dict[int, str]:
    frame = spark.createDataFrame(rows, f"i int, f string, v {_SPARK_TYPES[kind]}")
    argument = "date_from_unix_date(v)" if kind == "DATE" else "v"
    return dict(frame.selectExpr("i", f"format_string(f, {argument})").collect())


def _spark_error(spark, kind: str, specifier: str, value: object) -> str | None:
    try:
        _spark_format(spark, kind, [(0, specifier, value)])
    except Exception as error:  # Spark wraps the Formatter's exception; its message is what counts
        found = re.search(r"java\.util\.\w+Exception: (.*)", str(error))
        return found.group(1) if found else str(error)
    return None


def test_random_specifiers_write_what_databricks_writes(spark):
    rng = random.Random(20261206)
    compared, differing, failing = 0, [], []
    for kind, cases in _cases(rng, 240).items():
        local, rows = {}, []
        for index, (specifier, value) in enumerate(cases):
            try:
                local[index] = format_value(specifier, kind, _python(kind, value))
            except JavaFormatError as error:
                failing.append((kind, specifier, value, str(error)))
            else:
                rows.append((index, specifier, value))
        expected = _spark_format(spark, kind, rows)
        compared += len(expected)
        differing += [(kind, cases[i], expected[i], local[i]) for i in expected if expected[i] != local[i]]
    assert compared > 900
    assert not differing, f"{len(differing)} of {compared} differ, e.g. {differing[:5]}"
    # The errors are checked one query each, so a sample of them.
    for kind, specifier, value, message in failing[:: max(1, len(failing) // 12)]:
        assert _spark_error(spark, kind, specifier, value) == message, (kind, specifier, value)


_WRITTEN = [
    ("%.2f", "DOUBLE", 1.005, "1.01"),  # half up on Double.toString's digits, where C writes 1.00
    ("%.2f", "DOUBLE", 2.675, "2.68"),
    ("%.1f", "DOUBLE", 0.125, "0.1"),
    ("%08.3f", "DOUBLE", -3.14159, "-003.142"),
    ("%(,.2f", "DOUBLE", -1234567.891, "(1,234,567.89)"),
    ("%+.2e", "DOUBLE", 12345.678, "+1.23e+04"),
    ("%e", "DOUBLE", 12.345, "1.234500e+01"),
    ("%g", "DOUBLE", 12.345, "12.3450"),
    ("%.2f", "DOUBLE", -0.0, "-0.00"),
    ("%08.2f", "DOUBLE", math.nan, "     NaN"),
    ("%(08.2f", "DOUBLE", -math.inf, "(Infinity)"),
    ("%s", "DOUBLE", 1e20, "1.0E20"),
    ("%x", "TINYINT", -1, "ff"),
    ("%x", "SMALLINT", -1, "ffff"),
    ("%X", "INTEGER", -1, "FFFFFFFF"),
    ("%#o", "BIGINT", -1, "01777777777777777777777"),
    ("%,d", "BIGINT", -9223372036854775808, "-9,223,372,036,854,775,808"),
    ("%c", "INTEGER", 128512, "😀"),
    ("%s", "DECIMAL(20,10)", Decimal("0E-10"), "0E-10"),
    ("%s", "FLOAT", 1e17, "9.9999998E16"),
    ("%08d", "INTEGER", None, "    null"),
    ("%S", "VARCHAR", None, "NULL"),
    ("%B", "INTEGER", None, "FALSE"),
    ("%.2s", "DOUBLE", None, "nu"),
]


@pytest.mark.parametrize(("specifier", "kind", "value", "written"), _WRITTEN)
def test_written_cases(specifier, kind, value, written):
    assert format_value(specifier, kind, value) == written


def test_written_cases_are_what_databricks_writes(spark):
    for specifier, kind, value, written in _WRITTEN:
        if kind.startswith("DECIMAL"):
            continue  # the column type fixes the scale; 0E-10 is checked through the sample's decimals
        assert _spark_format(spark, kind, [(0, specifier, value)]) == {0: written}, (specifier, kind, value)


_ERRORS = [
    ("%d", "DOUBLE", 1.5, "d != java.lang.Double"),
    ("%f", "DECIMAL(20,6)", Decimal("1.5"), "f != org.apache.spark.sql.types.Decimal"),
    ("%c", "BIGINT", 65, "c != java.lang.Long"),
    ("%d", "VARCHAR", "1", "d != org.apache.spark.unsafe.types.UTF8String"),
    ("%#d", "INTEGER", 5, "Conversion = d, Flags = #"),
    ("%,x", "INTEGER", 5, "Conversion = x, Flags = ,"),
    ("%+x", "INTEGER", 5, "Conversion = x, Flags = +"),
    ("%-d", "INTEGER", 5, "%-d"),
    ("%.2d", "INTEGER", 5, "2"),
    ("%-05E", "DOUBLE", 1.0, "Flags = '-^0'"),
    ("%++d", "INTEGER", 5, "Flags = '+'"),
    ("%q", "INTEGER", 5, "Conversion = 'q'"),
    ("%#s", "VARCHAR", None, "Conversion = s, Flags = #"),
    ("%c", "TINYINT", -5, "Code point = 0xfffffffb"),
]


def test_errors_carry_spark_messages(spark):
    for specifier, kind, value, message in _ERRORS:
        with pytest.raises(JavaFormatError) as raised:
            format_value(specifier, kind, value)
        assert str(raised.value) == message
        assert _spark_error(spark, kind, specifier, value) == message, (specifier, kind, value)
