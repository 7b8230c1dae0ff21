"""to_json of an array, map or struct value as Spark's JacksonGenerator writes it.

DuckDB hands over the value as its own JSON text with the value's DuckDB type; the text is read back
(numbers exactly) and written again with Databricks' rules: a NULL struct field is left out, a NULL
element or map value is `null`, a DOUBLE is Double.toString's text, a DECIMAL BigDecimal.toString's
(1.0E-7), a TIMESTAMP ISO 8601 to the millisecond in UTC, a string escaped as Jackson escapes it."""

from __future__ import annotations

import contextlib
import decimal
import functools
import json
import math
import re
from typing import Any

import duckdb

from dialect.javadouble import java_double, java_float

# A value's type as this writer reads it: a scalar's name, or ("LIST", element), ("MAP", key, value),
# ("STRUCT", (field types in order)).
JsonType = Any

_SCALARS = {
    "TINYINT": "INTEGRAL", "SMALLINT": "INTEGRAL", "INTEGER": "INTEGRAL", "BIGINT": "INTEGRAL",
    "DOUBLE": "DOUBLE", "FLOAT": "FLOAT", "VARCHAR": "STRING", "BOOLEAN": "BOOLEAN", "DATE": "DATE",
    "TIMESTAMP": "TIMESTAMP", '"NULL"': "NULL",
}  # fmt: skip
_MAP_KEYS = ("STRING", "INTEGRAL", "NULL")  # keys Spark writes as DuckDB does: the text, the number
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_TIMESTAMP = re.compile(r"(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})(?:\.(\d{1,6}))?")
_TOKEN = re.compile(r'\s*("(?:[^"]|"")*"|[A-Za-z_][A-Za-z0-9_]*|\d+|[(),\[\]])')


class _Unsupported(ValueError):
    def __init__(self, what: str):
        super().__init__(f"[UNSUPPORTED] to_json of {what} is not supported on the local target; run it on Databricks")


@functools.lru_cache(maxsize=256)
def json_type(duckdb_type: str) -> JsonType:
    """The writer's reading of a DuckDB type name (`STRUCT(a INTEGER, "b c" DOUBLE[])`). Read here, not by
    sqlglot as dialect/fields.py reads column types: sqlglot cannot read the `"NULL"` type of `array()`'s
    elements and takes DuckDB's TIMESTAMP for a TIMESTAMP_NTZ."""
    tokens = _TOKEN.findall(duckdb_type)
    if "".join(tokens).replace(" ", "") != duckdb_type.replace(" ", ""):
        raise _Unsupported(f"a value of type {duckdb_type}")
    tokens.reverse()  # popped from the end
    found = _reading(tokens, duckdb_type)
    if tokens:
        raise _Unsupported(f"a value of type {duckdb_type}")
    return found


def _reading(tokens: list[str], whole: str) -> JsonType:
    def take(expected: str | None = None) -> str:
        if not tokens or (expected is not None and tokens[-1] != expected):
            raise _Unsupported(f"a value of type {whole}")
        return tokens.pop()

    name = take()
    while tokens and tokens[-1] not in "(),[]":  # TIMESTAMP WITH TIME ZONE
        name += " " + take()
    found: JsonType
    if name == "STRUCT":
        take("(")
        fields = []
        while True:
            take()  # the field's name: the value's JSON carries it
            fields.append(_reading(tokens, whole))
            if take() == ")":
                break
        found = ("STRUCT", tuple(fields))
    elif name == "MAP":
        take("(")
        key = _reading(tokens, whole)
        take(",")
        value = _reading(tokens, whole)
        take(")")
        if key not in _MAP_KEYS:
            raise _Unsupported(f"a map whose keys are not strings or integers (in {whole})")
        found = ("MAP", key, value)
    elif name == "DECIMAL":
        take("(")
        take()
        take(",")
        found = ("DECIMAL", int(take()))
        take(")")
    elif name in _SCALARS:
        found = _SCALARS[name]
    else:
        raise _Unsupported(f"a value holding a {name} (in {whole})")
    while tokens and tokens[-1] == "[":
        take("[")
        take("]")  # an ARRAY of a fixed size has a number here
        found = ("LIST", found)
    return found


def to_json(duckdb_json: str | None, duckdb_type: str | None, zone_unknown: bool | None) -> str | None:
    """Spark's to_json of a value DuckDB wrote as `duckdb_json`; `zone_unknown`: a TIMESTAMP in it may be
    a TIMESTAMP_NTZ (written without a zone by Spark), which the local target cannot tell apart."""
    if duckdb_json is None or duckdb_type is None:
        return None
    value_type = json_type(duckdb_type)
    if zone_unknown and _holds_timestamp(value_type):
        raise _Unsupported("a TIMESTAMP inside an array, map or struct in a statement that writes TIMESTAMP_NTZ")
    value = json.loads(duckdb_json, parse_float=decimal.Decimal, object_pairs_hook=list)
    with decimal.localcontext() as context:
        context.prec = 80
        return _written(value, value_type)


@functools.lru_cache(maxsize=256)
def _holds_timestamp(value_type: JsonType) -> bool:
    if not isinstance(value_type, tuple):
        return value_type == "TIMESTAMP"
    inside = value_type[1] if value_type[0] == "STRUCT" else value_type[1:]
    return value_type[0] != "DECIMAL" and any(_holds_timestamp(t) for t in inside)


def _written(value: Any, value_type: JsonType) -> str:
    if isinstance(value_type, tuple):
        kind = value_type[0]
        if kind == "LIST":
            return "[" + ",".join("null" if v is None else _written(v, value_type[1]) for v in value) + "]"
        if kind == "MAP":
            return "{" + ",".join(_string(k) + ":" + ("null" if v is None else _written(v, value_type[2]))
                                  for k, v in value) + "}"  # fmt: skip
        if kind == "STRUCT":
            fields = zip(value, value_type[1], strict=True)  # a NULL field is left out
            return "{" + ",".join(f"{_string(name)}:{_written(v, t)}" for (name, v), t in fields if v is not None) + "}"
        return _decimal(value, value_type[1])
    if value_type == "STRING":
        return _string(value)
    if value_type == "INTEGRAL":
        return str(value)
    if value_type == "NULL":  # an element of array() or map(): there is none
        raise _Unsupported("a value of no type")
    if value_type == "BOOLEAN":
        return "true" if value else "false"
    if value_type in ("DOUBLE", "FLOAT"):
        number = float(value)
        text = java_float(number) if value_type == "FLOAT" else java_double(number)
        return f'"{text}"' if math.isnan(number) or math.isinf(number) else text
    if value_type == "DATE":
        if not _DATE.fullmatch(value):
            raise _Unsupported(f"the date {value}")
        return f'"{value}"'
    return _timestamp(value)


def _decimal(value: Any, scale: int) -> str:
    """BigDecimal.toString of the DECIMAL's digits at its scale: 1.0E-7 for 0.00000010."""
    return str(decimal.Decimal(value).quantize(decimal.Decimal(1).scaleb(-scale)))


def big_decimal_text(text: str) -> str:
    """BigDecimal.toString of a DECIMAL's text, its scale kept: scientific past six places (1.0E-7)."""
    return str(decimal.Decimal(text))


def _timestamp(value: str) -> str:
    """ISO 8601 to the millisecond (the rest cut off) in UTC, the session's zone."""
    found = _TIMESTAMP.fullmatch(value)
    if found is None:
        raise _Unsupported(f"the timestamp {value}")
    day, time, fraction = found.groups()
    return f'"{day}T{time}.{(fraction or "").ljust(3, "0")[:3]}Z"'


# Jackson writes these two-character escapes; other characters below U+0020 as \\u00XX.
_SHORT_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}
_ESCAPED = re.compile(r'["\\\x00-\x1f]')


def _string(text: str) -> str:
    escaped = _ESCAPED.sub(lambda m: _SHORT_ESCAPES.get(m.group(), f"\\u{ord(m.group()):04X}"), text)
    return f'"{escaped}"'


def install_json_writer(conn: duckdb.DuckDBPyConnection) -> None:
    for name in ("spark_to_json", "spark_big_decimal_text"):
        with contextlib.suppress(duckdb.Error):
            conn.remove_function(name)
    conn.create_function("spark_to_json", to_json, ["VARCHAR", "VARCHAR", "BOOLEAN"], "VARCHAR", side_effects=False)
    conn.create_function("spark_big_decimal_text", big_decimal_text, ["VARCHAR"], "VARCHAR", side_effects=False)
