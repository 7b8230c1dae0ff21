"""xxhash64 and hash as Databricks computes them: XXH64 and Murmur3 (x86, 32 bits) with seed 42, chained
over the arguments.

Each argument is hashed with the hash of the arguments before it as the seed; a NULL argument leaves
the hash unchanged. How a value becomes bytes follows Spark's XxHash64 expression: integers up to
INT and booleans as a 4-byte little-endian int, BIGINT as 8 bytes, DOUBLE/FLOAT by their IEEE bits
(-0.0 as 0.0), DATE as days since 1970-01-01 (4 bytes), TIMESTAMP as microseconds (8 bytes), strings as
UTF-8, DECIMAL up to 18 digits as its unscaled value (8 bytes). Other types are refused.
Spark's Murmur3 mixes the last 1-3 bytes of a string one by one, each as a 4-byte block of its own
(sign-extended), where the reference algorithm mixes them together.
"""

from __future__ import annotations

import contextlib
import hashlib
import struct
import zlib
from datetime import date, datetime
from decimal import Decimal

import duckdb
import xxhash
from duckdb.func import DEFAULT, SPECIAL

from dialect.javadouble import java_double, java_float

_EPOCH = date(1970, 1, 1)
_INT4 = {"TINYINT", "SMALLINT", "INTEGER", "BOOLEAN"}


class UnsupportedHashInput(ValueError):
    pass


def _bytes(type_name: str, text: str, function: str = "xxhash64") -> bytes:
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
        f"{function} of a {type_name} value is not supported on the local target; run it on Databricks"
    )


def xxh64_step(seed: int | None, type_name: str | None, text: str | None) -> int | None:
    if seed is None:
        return None
    if text is None:
        return seed
    digest = xxhash.xxh64(_bytes(type_name or "", text), seed=seed & 0xFFFFFFFFFFFFFFFF).intdigest()
    return digest - (1 << 64) if digest >= 1 << 63 else digest


_MASK = 0xFFFFFFFF


def _rotate(value: int, bits: int) -> int:
    return ((value << bits) | (value >> (32 - bits))) & _MASK


def _mix_block(h1: int, block: int) -> int:
    k1 = _rotate((block * 0xCC9E2D51) & _MASK, 15) * 0x1B873593 & _MASK
    h1 = _rotate(h1 ^ k1, 13)
    return (h1 * 5 + 0xE6546B64) & _MASK


def murmur3(data: bytes, seed: int) -> int:
    """Spark's Murmur3_x86_32 of `data` (hashUnsafeBytes), as a signed 32-bit int."""
    h1 = seed & _MASK
    aligned = len(data) - len(data) % 4
    for (block,) in struct.iter_unpack("<I", data[:aligned]):
        h1 = _mix_block(h1, block)
    for byte in data[aligned:]:
        h1 = _mix_block(h1, (byte - 256 if byte > 127 else byte) & _MASK)
    h1 ^= len(data)
    h1 ^= h1 >> 16
    h1 = (h1 * 0x85EBCA6B) & _MASK
    h1 ^= h1 >> 13
    h1 = (h1 * 0xC2B2AE35) & _MASK
    h1 ^= h1 >> 16
    return h1 - (1 << 32) if h1 >= 1 << 31 else h1


def murmur3_step(seed: int | None, type_name: str | None, text: str | None) -> int | None:
    if seed is None:
        return None
    if text is None:
        return seed
    return murmur3(_bytes(type_name or "", text, "hash"), seed)


def xxh64_of_elements(seed: int | None, type_name: str | None, texts: list[str | None] | None) -> int | None:
    """xxhash64 of an array: each element hashed with the hash of those before it (a NULL one skipped)."""
    for text in texts or []:
        seed = xxh64_step(seed, type_name, text)
    return seed


def murmur3_of_elements(seed: int | None, type_name: str | None, texts: list[str | None] | None) -> int | None:
    """hash of an array, as xxh64_of_elements."""
    for text in texts or []:
        seed = murmur3_step(seed, type_name, text)
    return seed


def crc32(text: str | bytes) -> int:
    """CRC32 of a BINARY's bytes or a STRING's UTF-8 bytes."""
    return zlib.crc32(text if isinstance(text, bytes) else text.encode("utf-8"))


# sha2's bit lengths (0 is 256); any other answers NULL.
_SHA2 = {0: hashlib.sha256, 224: hashlib.sha224, 256: hashlib.sha256, 384: hashlib.sha384, 512: hashlib.sha512}


def sha2(text: str | bytes | None, bits: int | None) -> str | None:
    """sha2 of a BINARY's bytes or a text's UTF-8 bytes, in lower-case hex; NULL for a bit length other than
    0, 224, 256, 384, 512."""
    if text is None or bits is None or bits not in _SHA2:
        return None
    return _SHA2[bits](text if isinstance(text, bytes) else text.encode("utf-8")).hexdigest()


def install_hashes(conn: duckdb.DuckDBPyConnection) -> None:
    functions = (
        ("spark_xxh64", xxh64_step, ["BIGINT", "VARCHAR", "VARCHAR"], "BIGINT", SPECIAL),
        ("spark_murmur3", murmur3_step, ["INTEGER", "VARCHAR", "VARCHAR"], "INTEGER", SPECIAL),
        ("spark_crc32", crc32, ["VARCHAR"], "BIGINT", DEFAULT),
        ("spark_crc32_bytes", crc32, ["BLOB"], "BIGINT", DEFAULT),
        ("spark_java_double", java_double, ["DOUBLE"], "VARCHAR", DEFAULT),
        ("spark_java_float", java_float, ["FLOAT"], "VARCHAR", DEFAULT),
        ("spark_sha2", sha2, ["VARCHAR", "INTEGER"], "VARCHAR", SPECIAL),
        ("spark_sha2_bytes", sha2, ["BLOB", "INTEGER"], "VARCHAR", SPECIAL),
        ("spark_xxh64_elements", xxh64_of_elements, ["BIGINT", "VARCHAR", "VARCHAR[]"], "BIGINT", SPECIAL),
        ("spark_murmur3_elements", murmur3_of_elements, ["INTEGER", "VARCHAR", "VARCHAR[]"], "INTEGER", SPECIAL),
    )
    for name, function, parameters, result, nulls in functions:
        with contextlib.suppress(duckdb.Error):
            conn.remove_function(name)
        conn.create_function(name, function, list(parameters), result, null_handling=nulls, side_effects=False)
