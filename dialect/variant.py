"""VARIANT values as Databricks builds and reads them: parse_json, paths, variant_get, casts, to_json.

Locally a VARIANT is JSON text written so that reading it again gives the same value of the same type:
an integer that fits a BIGINT is a BIGINT, a number written with a point and no exponent a DECIMAL (kept
without trailing zeros, as Spark's readers see it), one with an exponent a DOUBLE. Objects keep their
keys sorted as Spark stores them. The translator lets such a text be read only by these functions
(dialect.variant_sql), so it never passes for a STRING.
"""

from __future__ import annotations

import contextlib
import decimal
import json
import math
from decimal import Decimal
from typing import Any

import duckdb
from duckdb.func import SPECIAL

from dialect.javadouble import java_double
from dialect.jsonfunctions import JSON_BLANKS, reject_constant, reject_duplicates, runs_on
from dialect.jsonschema import quoted_name

LONG_MIN, LONG_MAX = -(2**63), 2**63 - 1
MAX_DECIMAL_PRECISION = 38
_WIDE = decimal.Context(prec=200, rounding=decimal.ROUND_HALF_UP)


class MalformedJson(ValueError):
    pass


# -- reading JSON text as Spark's VariantBuilder reads it ----------------------------------------------


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """An object's fields (a key twice is malformed) in Java's String order, as Spark stores them."""
    unique = reject_duplicates(pairs)
    return dict(sorted(unique.items(), key=lambda pair: pair[0].encode("utf-16-be")))


def _stripped(value: Decimal) -> Decimal:
    """The decimal without trailing zeros, as Spark's getDecimal reads it (zero has no sign)."""
    if value == 0:
        return Decimal(0)
    return value.normalize(_WIDE)


def _as_decimal(text: str) -> Decimal | None:
    """Spark's tryParseDecimal: digits, '-' and '.' only, at most 38 digits and 38 after the point."""
    if any(c not in "-.0123456789" for c in text):
        return None
    value = Decimal(text)
    sign, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)
    scale = -exponent
    precision = len(digits)
    if scale > MAX_DECIMAL_PRECISION or precision > MAX_DECIMAL_PRECISION:
        return None
    return _stripped(value)


def _integer(text: str) -> int | Decimal | float:
    number = int(text)
    if LONG_MIN <= number <= LONG_MAX:
        return number
    found = _as_decimal(text)
    return float(text) if found is None else found


def _fraction(text: str) -> Decimal | float:
    found = _as_decimal(text)
    return float(text) if found is None else found


_DECODER = json.JSONDecoder(
    parse_int=_integer, parse_float=_fraction, parse_constant=reject_constant, object_pairs_hook=_object
)


def parse(text: str) -> Any:
    """The first JSON value of `text` (what follows it is ignored, as Spark ignores it); raises
    MalformedJson where Jackson fails: a malformed value, NaN, a duplicate key, a control character in a
    string, a number followed by anything but a blank, `true` run on into a name."""
    body = text.lstrip(JSON_BLANKS)
    try:
        value, end = _DECODER.raw_decode(body)
    except (ValueError, RecursionError) as exc:
        raise MalformedJson(text) from exc
    if runs_on(value, body, end):
        raise MalformedJson(text)
    return value


def stripped_values(value: Any) -> Any:
    """A value read from elsewhere (pyspark's VariantVal.toPython) with its decimals as Spark reads them."""
    if isinstance(value, Decimal):
        return _stripped(value)
    if isinstance(value, list):
        return [stripped_values(v) for v in value]
    if isinstance(value, dict):
        return {k: stripped_values(v) for k, v in value.items()}
    return value


# -- the local text of a value ----------------------------------------------------------------------


def _decimal_text(value: Decimal) -> str:
    return format(value, "f")


def _write(value: Any, number: Any, string: Any) -> str:
    """JSON text of a value, its numbers and strings (keys too) written by the two functions given."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, Decimal, float)):
        return str(number(value))
    if isinstance(value, str):
        return str(string(value))
    if isinstance(value, list):
        return "[" + ",".join(_write(v, number, string) for v in value) + "]"
    return "{" + ",".join(string(k) + ":" + _write(v, number, string) for k, v in value.items()) + "}"


def _local_number(value: int | Decimal | float) -> str:
    """A number as `parse` reads it back with its type: a BIGINT as digits, a DECIMAL with a point, a DOUBLE
    with an exponent."""
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        text = _decimal_text(value)
        # A whole decimal of a BIGINT's size needs its point; a larger one reads as a decimal anyway.
        return text + ".0" if "." not in text and LONG_MIN <= int(value) <= LONG_MAX else text
    if math.isinf(value):
        return "1e999" if value > 0 else "-1e999"
    text = repr(value)
    return text if "e" in text else text + "e0"


def encode(value: Any) -> str:
    """The local text of a value: JSON that `parse` reads back as the same value."""
    return _write(value, _local_number, lambda text: json.dumps(text, ensure_ascii=False))


def decode(text: str) -> Any:
    return _DECODER.decode(text)


# -- Spark's text of a value ------------------------------------------------------------------------

_SHORT_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _json_string(text: str) -> str:
    """A string as Jackson writes it: the short escapes, other controls as \\u00XX, the rest as it is."""
    out = []
    for c in text:
        if c in _SHORT_ESCAPES:
            out.append(_SHORT_ESCAPES[c])
        elif c < " ":
            out.append(f"\\u{ord(c):04X}")
        else:
            out.append(c)
    return '"' + "".join(out) + '"'


def _spark_number(value: int | Decimal | float) -> str:
    if isinstance(value, float):
        text = java_double(value)
        return f'"{text}"' if math.isinf(value) else text  # Jackson quotes what is not a JSON number
    return _decimal_text(value) if isinstance(value, Decimal) else str(value)


def to_json(value: Any) -> str:
    """to_json of a VARIANT: Spark's VariantUtil.toJson."""
    return _write(value, _spark_number, _json_string)


def to_text(value: Any) -> str | None:
    """CAST(variant AS STRING): a string's characters, a double as Java writes it, NULL for a JSON null,
    JSON for the rest."""
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, float):
        return java_double(value)
    return to_json(value)


# -- paths ----------------------------------------------------------------------------------------


def extract(value: Any, steps: list[str | int]) -> tuple[bool, Any]:
    """The value at a path of keys (matched with case) and indexes: (found, value)."""
    for step in steps:
        if isinstance(step, int):
            if not isinstance(value, list) or not 0 <= step < len(value):
                return False, None
            value = value[step]
        else:
            if not isinstance(value, dict) or step not in value:
                return False, None
            value = value[step]
    return True, value


# -- casts ----------------------------------------------------------------------------------------

_INTEGRAL_RANGES = {
    "TINYINT": (-(2**7), 2**7 - 1),
    "SMALLINT": (-(2**15), 2**15 - 1),
    "INTEGER": (-(2**31), 2**31 - 1),
    "BIGINT": (LONG_MIN, LONG_MAX),
}


def _fits_decimal(value: Decimal, target: str) -> str | None:
    """The value rounded half up to the DECIMAL(p,s) target, as text; None where it needs more digits."""
    precision, scale = (int(p) for p in target[target.index("(") + 1 : -1].split(","))
    if value != 0 and value.adjusted() >= precision - scale:
        return None  # too many digits before the point, however it rounds
    rounded = value.quantize(Decimal(1).scaleb(-scale), context=_WIDE)
    if rounded != 0 and rounded.adjusted() + 1 > precision - scale:
        return None
    return format(rounded, "f")


def _integral(value: Any, target: str) -> int | None:
    low, high = _INTEGRAL_RANGES[target]
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        number = value
    elif isinstance(value, Decimal):
        number = int(value)  # toward zero
    elif isinstance(value, float):
        # Spark compares the double with the bounds as doubles, so 2^63 still becomes the largest BIGINT.
        if not math.isfinite(value) or not (math.ceil(value) >= float(low) and math.floor(value) <= float(high)):
            return None
        return max(low, min(high, int(value)))
    else:
        return None
    return number if low <= number <= high else None


def cast_text(value: Any, target: str) -> str | None:
    """The text of a value that is not a string cast to `target` (a DuckDB type name), which DuckDB's own
    CAST of the text turns into the value (for a TIMESTAMP, its microseconds since 1970); None where
    Spark's cast finds none (the caller fails or, in a try, answers NULL). A JSON null is never asked for."""
    if target == "VARCHAR":
        return to_text(value)
    if isinstance(value, (dict, list)):
        return None
    if target in _INTEGRAL_RANGES:
        number = _integral(value, target)
        return None if number is None else str(number)
    if target == "DOUBLE":
        if isinstance(value, bool):
            return "1.0" if value else "0.0"
        if isinstance(value, (int, Decimal, float)):
            return repr(float(value))
        return None
    if target == "BOOLEAN":
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, (int, Decimal, float)):
            return "true" if value != 0 else "false"
        return None
    if target.startswith("DECIMAL("):
        if isinstance(value, bool):
            return _fits_decimal(Decimal(int(value)), target)
        if isinstance(value, (int, Decimal)):
            return _fits_decimal(Decimal(value), target)
        if isinstance(value, float):
            if math.isnan(value) or math.isinf(value):
                return None
            return _fits_decimal(Decimal(java_double(value)), target)  # Spark reads a double by its text
        return None
    if target == "DATE" or isinstance(value, bool):
        return None  # a DATE is read from a string only; a BOOLEAN is no TIMESTAMP
    if target == "TIMESTAMP":
        micros = _epoch_micros(value)
        return None if micros is None else str(micros)
    raise ValueError(f"no VARIANT cast to {target}")


def _epoch_micros(value: int | Decimal | float) -> int | None:
    """A number of seconds since 1970 as the microseconds of a TIMESTAMP, as Spark casts it: a fraction
    cut toward zero, NULL past a BIGINT of microseconds."""
    if isinstance(value, float):
        product = value * 1_000_000.0  # in doubles, as Spark multiplies
        if not math.isfinite(product):
            return None
        micros = math.trunc(product)
    else:
        micros = int(Decimal(value) * 1_000_000)
    return micros if LONG_MIN <= micros <= LONG_MAX else None


# -- schema_of_variant ----------------------------------------------------------------------------


def _decimal_type(value: Decimal) -> tuple[int, int]:
    _, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)
    if exponent >= 0:
        return len(digits) + exponent, 0
    return max(len(digits), -exponent), -exponent


def _type_of(value: Any) -> Any:
    """A value's schema as a tree: a name, ('DECIMAL', p, s), ('ARRAY', element), ('OBJECT', fields)."""
    if value is None:
        return "VOID"
    if isinstance(value, bool):
        return "BOOLEAN"
    if isinstance(value, int):
        return "BIGINT"
    if isinstance(value, Decimal):
        return ("DECIMAL", *_decimal_type(value))
    if isinstance(value, float):
        return "DOUBLE"
    if isinstance(value, str):
        return "STRING"
    if isinstance(value, list):
        element: Any = "VOID"
        for item in value:
            element = merge_types(element, _type_of(item))
        return ("ARRAY", element)
    return ("OBJECT", {key: _type_of(item) for key, item in value.items()})


def _as_decimal_type(kind: Any) -> tuple[int, int] | None:
    if kind == "BIGINT":
        return 20, 0
    if isinstance(kind, tuple) and kind[0] == "DECIMAL":
        return kind[1], kind[2]
    return None


def merge_types(left: Any, right: Any) -> Any:
    """SchemaOfVariant.mergeSchema: the same type, the other one for VOID, fields and elements merged,
    the wider number (a DECIMAL wide enough for both, DOUBLE past 38 digits or beside a DOUBLE), else
    VARIANT."""
    if left == right:
        return left
    if left == "VOID":
        return right
    if right == "VOID":
        return left
    if isinstance(left, tuple) and isinstance(right, tuple) and left[0] == right[0] == "ARRAY":
        return ("ARRAY", merge_types(left[1], right[1]))
    if isinstance(left, tuple) and isinstance(right, tuple) and left[0] == right[0] == "OBJECT":
        names = sorted({*left[1], *right[1]}, key=lambda name: name.encode("utf-16-be"))
        return ("OBJECT", {n: merge_types(left[1].get(n, "VOID"), right[1].get(n, "VOID")) for n in names})
    numbers = (_as_decimal_type(left), _as_decimal_type(right))
    if numbers[0] is not None and numbers[1] is not None:
        (p1, s1), (p2, s2) = numbers[0], numbers[1]
        scale = max(s1, s2)
        precision = max(p1 - s1, p2 - s2) + scale
        return ("DECIMAL", precision, scale) if precision <= MAX_DECIMAL_PRECISION else "DOUBLE"
    if "DOUBLE" in (left, right) and (numbers[0] is not None or numbers[1] is not None):
        return "DOUBLE"
    return "VARIANT"


def type_text(kind: Any) -> str:
    if isinstance(kind, str):
        return kind
    if kind[0] == "DECIMAL":
        return f"DECIMAL({kind[1]},{kind[2]})"
    if kind[0] == "ARRAY":
        return f"ARRAY<{type_text(kind[1])}>"
    return "OBJECT<" + ", ".join(f"{quoted_name(name)}: {type_text(field)}" for name, field in kind[1].items()) + ">"


def schema(value: Any) -> str:
    return type_text(_type_of(value))


def merged_schema(variants: list[str | None] | None) -> str:
    """schema_of_variant_agg: the schemas of a group's values merged (VOID for none; a NULL is skipped)."""
    merged: Any = "VOID"
    for variant in variants or []:
        if variant is not None:
            merged = merge_types(merged, _type_of(decode(variant)))
    return type_text(merged)


# -- the functions DuckDB calls -------------------------------------------------------------------


def _malformed(text: str) -> ValueError:
    return ValueError(
        f"[MALFORMED_RECORD_IN_PARSING.WITHOUT_SUGGESTION] Malformed records are detected in record parsing: {text}."
    )


def _parse_json(text: str | None, try_: bool | None) -> str | None:
    if text is None:
        return None
    try:
        return encode(parse(text))
    except MalformedJson:
        if try_:
            return None
        raise _malformed(text) from None


def _variant_get(variant: str | None, steps: str) -> str | None:
    if variant is None:
        return None
    found, value = extract(decode(variant), json.loads(steps))
    return encode(value) if found else None


def _is_string(variant: str | None) -> bool | None:
    return None if variant is None else variant.startswith('"')


def _string_value(variant: str | None) -> str | None:
    """The characters of a string VARIANT; NULL for any other."""
    if variant is None or not variant.startswith('"'):
        return None
    return str(decode(variant))


def _cast_text(variant: str | None, target: str) -> str | None:
    if variant is None or variant == "null":
        return None
    return cast_text(decode(variant), target)


def _cast_failure(variant: str, target: str) -> str:
    """Fail as Databricks fails a cast of a VARIANT (`target` by Databricks' name, DECIMAL(4,2), INT)."""
    raise ValueError(
        f"[INVALID_VARIANT_CAST] The variant value `{to_json(decode(variant))}` cannot be cast into "
        f'`"{target}"`. Please use `try_variant_get` instead.'
    )


_FUNCTIONS: tuple[tuple[str, Any, list[Any], str], ...] = (
    ("spark_parse_json", _parse_json, ["VARCHAR", "BOOLEAN"], "VARCHAR"),
    ("spark_variant_get", _variant_get, ["VARCHAR", "VARCHAR"], "VARCHAR"),
    ("spark_variant_json", lambda v: None if v is None else to_json(decode(v)), ["VARCHAR"], "VARCHAR"),
    ("spark_variant_text", lambda v: None if v is None else to_text(decode(v)), ["VARCHAR"], "VARCHAR"),
    ("spark_variant_is_string", _is_string, ["VARCHAR"], "BOOLEAN"),
    ("spark_variant_string_value", _string_value, ["VARCHAR"], "VARCHAR"),
    ("spark_variant_cast_text", _cast_text, ["VARCHAR", "VARCHAR"], "VARCHAR"),
    ("spark_variant_cast_failure", _cast_failure, ["VARCHAR", "VARCHAR"], "VARCHAR"),
    ("spark_variant_is_null", lambda v: v == "null", ["VARCHAR"], "BOOLEAN"),
    ("spark_schema_of_variant", lambda v: None if v is None else schema(decode(v)), ["VARCHAR"], "VARCHAR"),
    ("spark_schema_of_variants", merged_schema, ["VARCHAR[]"], "VARCHAR"),
)


def install_variant_functions(conn: duckdb.DuckDBPyConnection) -> None:
    for name, function, parameters, result in _FUNCTIONS:
        with contextlib.suppress(duckdb.Error):
            conn.remove_function(name)
        # Each takes and may answer NULL; the failure must run where it is reached, never folded ahead.
        conn.create_function(name, function, parameters, result, null_handling=SPECIAL,
                             side_effects=name == "spark_variant_cast_failure")  # fmt: skip
