"""xxhash64 as Databricks computes it: XXH64 with seed 42, chained over the arguments.

Each argument is hashed with the hash of the arguments before it as the seed; a NULL argument leaves
the hash unchanged. How a value becomes bytes follows Spark's XxHash64 expression: integers up to
INT and booleans as a 4-byte little-endian int, BIGINT as 8 bytes, DOUBLE/FLOAT by their IEEE bits
(-0.0 as 0.0), DATE as days since 1970-01-01 (4 bytes), TIMESTAMP as microseconds (8 bytes), strings as
UTF-8, DECIMAL up to 18 digits as its unscaled value (8 bytes). Other types are refused.
"""

from __future__ import annotations

import contextlib
import math
import struct
import zlib
from datetime import date, datetime
from decimal import Decimal

import duckdb
import xxhash
from duckdb.func import DEFAULT, SPECIAL

_EPOCH = date(1970, 1, 1)
_INT4 = {"TINYINT", "SMALLINT", "INTEGER", "BOOLEAN"}


class UnsupportedHashInput(ValueError):
    pass


def _bytes(type_name: str, text: str) -> bytes:
    if type_name in _INT4:
        value = (1 if text == "true" else 0) if type_name == "BOOLEAN" else int(text)
        return struct.pack("<i", value)
    if type_name == "BIGINT":
        return struct.pack("<q", int(text))
    if type_name == "DOUBLE":
        real = float(text)
        return struct.pack("<d", 0.0 if real == 0 else real)
    if type_name == "FLOAT":
        real = float(text)
        return struct.pack("<f", 0.0 if real == 0 else real)
    if type_name == "VARCHAR":
        return text.encode("utf-8")
    if type_name == "DATE":
        return struct.pack("<i", (date.fromisoformat(text) - _EPOCH).days)
    if type_name == "TIMESTAMP":
        moment = datetime.fromisoformat(text)
        delta = moment - datetime(1970, 1, 1)
        micros = (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds
        return struct.pack("<q", micros)
    if type_name.startswith("DECIMAL("):
        precision, scale = (int(part) for part in type_name[8:-1].split(","))
        if precision <= 18:
            unscaled = int(Decimal(text).scaleb(scale))
            return struct.pack("<q", unscaled)
    raise UnsupportedHashInput(
        f"xxhash64 of a {type_name} value is not supported on the local target; run it on Databricks"
    )


def xxh64_step(seed: int | None, type_name: str | None, text: str | None) -> int | None:
    if seed is None:
        return None
    if text is None:
        return seed
    digest = xxhash.xxh64(_bytes(type_name or "", text), seed=seed & 0xFFFFFFFFFFFFFFFF).intdigest()
    return digest - (1 << 64) if digest >= 1 << 63 else digest


def crc32(text: str) -> int:
    return zlib.crc32(text.encode("utf-8"))


def java_double(value: float) -> str:
    """Double.toString: the shortest digits that read back as the value; 1.0E20 outside [1e-3, 1e7)."""
    if value != value:
        return "NaN"
    if value in (float("inf"), float("-inf")):
        return "Infinity" if value > 0 else "-Infinity"
    if value == 0:
        return "-0.0" if math.copysign(1.0, value) < 0 else "0.0"
    sign = "-" if value < 0 else ""
    digits, exponent = _shortest(abs(value))
    if 1e-3 <= abs(value) < 1e7:
        point = exponent + 1
        if point <= 0:
            text = "0." + "0" * (-point) + digits
        elif point >= len(digits):
            text = digits + "0" * (point - len(digits)) + ".0"
        else:
            text = digits[:point] + "." + digits[point:]
        return sign + text
    mantissa = digits[0] + "." + (digits[1:] or "0")
    return f"{sign}{mantissa}E{exponent}"


def _shortest(value: float) -> tuple[str, int]:
    """The shortest round-tripping significant digits of a positive double, and its decimal exponent."""
    text = f"{value!r}"
    mantissa, _, exp_text = text.partition("e")
    exponent = int(exp_text) if exp_text else 0
    whole, _, fraction = mantissa.partition(".")
    digits = (whole + fraction).lstrip("0")
    exponent += len(whole.lstrip("0")) - 1 if whole.strip("0") else -(len(fraction) - len(fraction.lstrip("0")) + 1)
    return digits.rstrip("0") or "0", exponent


def install_hashes(conn: duckdb.DuckDBPyConnection) -> None:
    functions = (
        ("spark_xxh64", xxh64_step, ["BIGINT", "VARCHAR", "VARCHAR"], "BIGINT", SPECIAL),
        ("spark_crc32", crc32, ["VARCHAR"], "BIGINT", DEFAULT),
        ("spark_java_double", java_double, ["DOUBLE"], "VARCHAR", DEFAULT),
    )
    for name, function, parameters, result, nulls in functions:
        with contextlib.suppress(duckdb.Error):
            conn.remove_function(name)
        conn.create_function(name, function, list(parameters), result, null_handling=nulls, side_effects=False)
