"""xxhash64 as Databricks computes it: XXH64 with seed 42, chained over the arguments.

Each argument is hashed with the hash of the arguments before it as the seed; a NULL argument leaves
the hash unchanged. How a value becomes bytes follows Spark's XxHash64 expression: integers up to
INT and booleans as a 4-byte little-endian int, BIGINT as 8 bytes, DOUBLE/FLOAT by their IEEE bits
(-0.0 as 0.0), DATE as days since 1970-01-01 (4 bytes), TIMESTAMP as microseconds (8 bytes), strings as
UTF-8, DECIMAL up to 18 digits as its unscaled value (8 bytes). Other types are refused.
"""

from __future__ import annotations

import struct
from datetime import date, datetime
from decimal import Decimal

import duckdb
import xxhash

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
        value = float(text)
        return struct.pack("<d", 0.0 if value == 0 else value)
    if type_name == "FLOAT":
        value = float(text)
        return struct.pack("<f", 0.0 if value == 0 else value)
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


def install_hashes(conn: duckdb.DuckDBPyConnection) -> None:
    try:
        conn.remove_function("spark_xxh64")
    except duckdb.Error:
        pass
    conn.create_function(
        "spark_xxh64",
        xxh64_step,
        ["BIGINT", "VARCHAR", "VARCHAR"],
        "BIGINT",
        null_handling="special",
        side_effects=False,
    )
