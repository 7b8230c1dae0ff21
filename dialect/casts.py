"""CAST and try_cast with Databricks' rules (ANSI mode).

Strings are read as Databricks reads them: surrounding spaces and controls ignored, `'2025'` and
`'2025-3-1 anything'` are dates, a zone offset moves a timestamp to UTC, `'1d'` is a DOUBLE,
`'1_0'` and `'2025/01/01'` are malformed. A DOUBLE becomes a DECIMAL through its text as Java writes it
(`CAST(1.005D AS DECIMAL(5,2))` is 1.01), fractions truncate toward zero into integers, and
try_cast gives NULL wherever CAST fails.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from sqlglot import exp

from dialect import special_datetimes
from dialect.common import Context, call, cast_to, duck, literal_string, spark_type, typed
from dialect.errors import NotSupportedLocally, RejectedByDatabricks
from dialect.types import decimal_parts, is_decimal, is_integral, is_numeric

_NUMBER = r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?"
_DATE = r"[+]?(\d{4})(?:-(\d{1,2})(?:-(\d{1,2})(?:[ T].*)?)?)?"
# As Spark's stringToTimestamp reads it: an hour after the T, a zone or offset only after the seconds
# (2024-01-02T and 05:00+02:00 are malformed).
_TIMESTAMP = (r"[+]?(\d{4})(?:-(\d{1,2})(?:-(\d{1,2})(?:[ T](\d{1,2})(?::(\d{1,2})(?::(\d{1,2})(?:\.(\d*))?"
              r" *(Z|UTC|[+-]\d{1,2}(?::?\d{2})?)?)?)?)?)?)?")  # fmt: skip
# Timestamp texts Databricks reads that the reader below does not: a zone by name or with a GMT/UTC
# prefix (letters after the time), a time alone (today's date), a year of five digits or more.
_LONG_YEAR = r"[+-]?\d{5,}(-.*)?"
_UNREAD_TIMESTAMP = (r"[+]?\d{4}-\d{1,2}-\d{1,2}[ T]\d{1,2}:\d{1,2}:\d{1,2}.*[A-Za-z].*"
                     r"|T?\d{1,2}:\d{1,2}(:\d{1,2}(\.\d*)?)?.*|" + _LONG_YEAR)  # fmt: skip


def _group(pattern: str, index: int, default: str) -> str:
    return f"coalesce(CAST(nullif(regexp_extract(t, '^{pattern}$', {index}), '') AS INTEGER), {default})"


MACROS = {
    # make_date, or NULL where the day does not exist; not try(make_date(...)), which DuckDB refuses
    # to bind when the text comes from a volatile expression (a JSON path that may raise an error).
    "spark_checked_date(y, m, d)": """CASE WHEN m BETWEEN 1 AND 12 AND d >= 1
        AND d <= day(last_day(make_date(y, m, 1))) THEN make_date(y, m, d) END""",
    "spark_zone_minutes(z)": r"""CASE WHEN z IN ('', 'Z', 'UTC') THEN 0 ELSE
        (CASE WHEN left(z, 1) = '-' THEN -1 ELSE 1 END)
        * (CAST(regexp_extract(z, '^[+-](\d{1,2})', 1) AS INTEGER) * 60
           + coalesce(CAST(nullif(regexp_extract(z, '^[+-]\d{1,2}:?(\d{2})$', 1), '') AS INTEGER), 0)) END""",
    # The value of a string as Databricks reads it, or NULL where Databricks finds it malformed. The
    # outer macro trims the text; the inner one reads it (a macro, not a subquery, so that it also
    # works inside a lambda).
    "spark_trimmed_to_double(t)": f"""CASE
        WHEN regexp_full_match(t, '{_NUMBER}[fFdD]?') THEN CAST(rtrim(t, 'fFdD') AS DOUBLE)
        WHEN lower(t) IN ('inf', '+inf', 'infinity', '+infinity') THEN CAST('Infinity' AS DOUBLE)
        WHEN lower(t) IN ('-inf', '-infinity') THEN CAST('-Infinity' AS DOUBLE)
        WHEN lower(t) = 'nan' THEN CAST('NaN' AS DOUBLE) END""",
    "spark_text_to_double(s)": "spark_trimmed_to_double(spark_java_trim(s))",
    # A DOUBLE past FLOAT's range becomes an infinity, as Java's (float) does, where DuckDB's CAST fails:
    # from the largest FLOAT plus half its last step up (2^128 - 2^103), which rounds to 2^128.
    "spark_double_to_float(d)": """CASE WHEN d IS NULL THEN NULL
        WHEN isnan(d) OR abs(d) < 3.4028235677973366e+38 THEN CAST(d AS FLOAT)
        WHEN d > 0 THEN CAST('Infinity' AS FLOAT) ELSE CAST('-Infinity' AS FLOAT) END""",
    "spark_trimmed_to_date(t)": f"""CASE WHEN regexp_full_match(t, '{_DATE}') THEN
        spark_checked_date({_group(_DATE, 1, "NULL")}, {_group(_DATE, 2, "1")}, {_group(_DATE, 3, "1")})
        WHEN regexp_full_match(t, '{_LONG_YEAR}') THEN error('[UNSUPPORTED] the date text ''' || t
          || ''' (a year past 9999) is not supported on the local target; run it on Databricks') END""",
    "spark_text_to_date(s)": "spark_trimmed_to_date(spark_trim_controls(s))",
    # `zoned` 1: a zone or offset in the text moves the time to UTC (TIMESTAMP); 0: it is dropped (TIMESTAMP_NTZ).
    "spark_trimmed_to_timestamp(t, zoned)": f"""CASE WHEN NOT regexp_full_match(t, '{_TIMESTAMP}') THEN
          CASE WHEN regexp_full_match(t, '{_UNREAD_TIMESTAMP}') THEN error('[UNSUPPORTED] the timestamp text '''
            || t || ''' (a zone by name or with a GMT/UTC prefix, a time alone, a year past 9999) is not '
            || 'supported on the local target; run it on Databricks') END
        WHEN {_group(_TIMESTAMP, 4, "0")} > 23 OR {_group(_TIMESTAMP, 5, "0")} > 59 OR {_group(_TIMESTAMP, 6, "0")} > 59
          THEN NULL
        ELSE CAST(spark_checked_date({_group(_TIMESTAMP, 1, "NULL")}, {_group(_TIMESTAMP, 2, "1")},
                                     {_group(_TIMESTAMP, 3, "1")}) AS TIMESTAMP)
          + to_hours({_group(_TIMESTAMP, 4, "0")}) + to_minutes({_group(_TIMESTAMP, 5, "0")})
          + to_seconds({_group(_TIMESTAMP, 6, "0")})
          + to_microseconds(CAST(rpad(left(regexp_extract(t, '^{_TIMESTAMP}$', 7), 6), 6, '0') AS BIGINT))
          - to_minutes(zoned * spark_zone_minutes(regexp_extract(t, '^{_TIMESTAMP}$', 8))) END""",
    "spark_text_to_timestamp(s)": "spark_trimmed_to_timestamp(spark_trim_controls(s), 1)",
    "spark_text_to_timestamp_ntz(s)": "spark_trimmed_to_timestamp(spark_trim_controls(s), 0)",
    "spark_lowered_to_boolean(t)": """CASE WHEN t IN ('t', 'true', 'y', 'yes', '1') THEN true
        WHEN t IN ('f', 'false', 'n', 'no', '0') THEN false END""",
    "spark_text_to_boolean(s)": "spark_lowered_to_boolean(lower(spark_trim_controls(s)))",
    "spark_text_is_number(s)": f"regexp_full_match(spark_java_trim(s), '{_NUMBER}')",
}
# CAST of a value whose type the translator cannot tell: its text is read as Databricks reads it,
# anything else is cast by DuckDB (which refuses, when binding, the casts Databricks refuses too).
_CASTABLE = {
    "DOUBLE": "'TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'HUGEINT', 'FLOAT', 'DOUBLE', 'BOOLEAN'",
    "DATE": "'DATE', 'TIMESTAMP'",
    "TIMESTAMP": "'DATE', 'TIMESTAMP', 'TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT'",
    "BOOLEAN": "'TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'HUGEINT', 'FLOAT', 'DOUBLE', 'BOOLEAN'",
}
# An integer is seconds since 1970 (through its text: DuckDB binds no CAST of a DATE to BIGINT, even unreached).
_INTEGER_SECONDS = ("WHEN typeof(x) IN ('TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT') "
                    "THEN make_timestamp(CAST(CAST(x AS VARCHAR) AS BIGINT) * 1000000) ")  # fmt: skip
for _target, _reader in (("DOUBLE", "spark_text_to_double"), ("DATE", "spark_text_to_date"),
                         ("TIMESTAMP", "spark_text_to_timestamp"), ("BOOLEAN", "spark_text_to_boolean")):  # fmt: skip
    MACROS[f"spark_to_{_target.lower()}_any(x)"] = (
        f"CASE WHEN typeof(x) NOT IN ('VARCHAR', '\"NULL\"', {_CASTABLE[_target]}) AND typeof(x) NOT LIKE 'DECIMAL%' "
        f"THEN error('[DATATYPE_MISMATCH.CAST_WITHOUT_SUGGESTION] cannot cast ' || typeof(x) || ' to {_target}') "
        + (_INTEGER_SECONDS if _target == "TIMESTAMP" else "")
        + f"WHEN typeof(x) <> 'VARCHAR' THEN CAST(x AS {_target}) WHEN x IS NULL THEN NULL "
        f"WHEN {_reader}(CAST(x AS VARCHAR)) IS NULL THEN error('[CAST_INVALID_INPUT] The value ''' || "
        f"CAST(x AS VARCHAR) || ''' of the type \"STRING\" cannot be cast to \"{_target}\" because it is malformed.') "
        f"ELSE {_reader}(CAST(x AS VARCHAR)) END"
    )


def _invalid(value: exp.Expression, target: str) -> exp.Expression:
    return duck(
        "error('[CAST_INVALID_INPUT] The value ''' || {v} || ''' of the type \"STRING\" cannot be cast to \""
        + target
        + '" because it is malformed. Correct the value as per the syntax, or change its target type. Use '
        "`try_cast` to tolerate malformed input and return NULL instead.')",
        v=value,
    )


def _from_text(value: exp.Expression, parsed: exp.Expression, target: str, try_: bool) -> exp.Expression:
    """The parsed value; for CAST, an error where the text is malformed (parsed is NULL)."""
    if try_:
        return parsed
    return duck("CASE WHEN {v} IS NULL THEN NULL WHEN {p} IS NULL THEN {e} ELSE {p} END", v=value, p=parsed,
                e=_invalid(value, target))  # fmt: skip


def spark_name(kind: str) -> str:
    """A type by Databricks' name (INT, STRING, BINARY), for messages."""
    return {"INTEGER": "INT", "VARCHAR": "STRING", "BLOB": "BINARY"}.get(kind, kind)


def _a(kind: str) -> str:
    """`a DATE`, `an INT`: a type by Databricks' name, for messages."""
    name = spark_name(kind)
    return f"an {name}" if name[0] in "AEIOU" else f"a {name}"


ToString = Callable[[exp.Expression, "str | None"], exp.Expression]


def _timestamp_seconds(value: exp.Expression, target: str, try_: bool) -> exp.Expression:
    """A TIMESTAMP as an integer: its whole seconds since 1970 (rounded down); past the type's range
    CAST_OVERFLOW, or NULL for TRY_CAST."""
    seconds = call("spark_whole_seconds", value)
    if target == "BIGINT":
        return seconds
    narrowed = exp.TryCast(this=seconds, to=exp.DataType.build(target, dialect="duckdb"))
    if try_:
        return narrowed
    name = spark_name(target)
    failure = f"""error('[CAST_OVERFLOW] The value ' || {{t}} || ' of the type "TIMESTAMP" cannot be cast to "{name}" '
        || 'due to an overflow. Use `try_cast` to tolerate overflow and return NULL instead.')"""
    return duck(f"CASE WHEN {{t}} IS NULL THEN NULL WHEN {{n}} IS NULL THEN {failure} ELSE {{n}} END",
                t=value, n=narrowed)  # fmt: skip


def epoch_timestamp(count: exp.Expression, micros_per_unit: int) -> exp.Expression:
    """The TIMESTAMP `count` units (of so many microseconds) after 1970-01-01 00:00:00 UTC."""
    micros = duck(f"CAST({{n}} AS BIGINT) * {micros_per_unit}", n=count)
    return typed(call("make_timestamp", micros), "TIMESTAMP")


def cast(node: exp.Cast, ctx: Context, to_string: ToString | None, integral_cast: dict[str, str]) -> exp.Expression:
    """`node` with Databricks' meaning; `to_string` writes casts to STRING (None where the target is never one)."""
    result = _cast(node, ctx, to_string, integral_cast)
    if node.to.meta.get(WITHOUT_TIME_ZONE):
        result.meta[WITHOUT_TIME_ZONE] = True
        return result
    if result.meta.get(WITHOUT_TIME_ZONE):  # a TIMESTAMP_NTZ cast to TIMESTAMP is itself, but not NTZ now
        result = result.copy()
        del result.meta[WITHOUT_TIME_ZONE]
    if spark_type(node, ctx) == "TIMESTAMP":
        result.meta[WITH_TIME_ZONE] = True
    return result


# Marks a type written TIMESTAMP_NTZ, and a CAST to it: the local target keeps both kinds of timestamp
# as DuckDB's TIMESTAMP, but Databricks casts a TIMESTAMP_NTZ to and from no number.
WITHOUT_TIME_ZONE = "timestamp_ntz"
# Marks a CAST to TIMESTAMP: a timestamp known to be Databricks' TIMESTAMP, not a TIMESTAMP_NTZ.
WITH_TIME_ZONE = "timestamp_ltz"
_NOT_WITHOUT_TIME_ZONE = ("BOOLEAN", "BLOB")


def as_timestamp_ntz(value: exp.Expression, ctx: Context) -> exp.Expression:
    """CAST(value AS TIMESTAMP_NTZ), as Databricks casts it (a text keeps its wall clock, its zone dropped)."""
    ntz = exp.DataType.build("TIMESTAMP")
    ntz.meta.update({WITHOUT_TIME_ZONE: True, "written": "TIMESTAMP_NTZ"})
    return cast(typed(exp.Cast(this=value, to=ntz), "TIMESTAMP"), ctx, None, {})


def is_without_time_zone(value: exp.Expression) -> bool:
    while isinstance(value, exp.Paren):
        value = value.this
    return bool(value.meta.get(WITHOUT_TIME_ZONE))


def is_with_time_zone(value: exp.Expression) -> bool:
    while isinstance(value, exp.Paren):
        value = value.this
    return bool(value.meta.get(WITH_TIME_ZONE))


def has_time_zone(value: exp.Expression, ctx: Context, construct: str) -> bool:
    """Whether a TIMESTAMP value is Databricks' TIMESTAMP (not a TIMESTAMP_NTZ); refused where the statement
    writes TIMESTAMP_NTZ and the value, not a CAST to either, may be one or the other."""
    if is_without_time_zone(value):
        return False
    if ctx.mentions_ntz and not is_with_time_zone(value):
        raise NotSupportedLocally(f"{construct} of a TIMESTAMP in a statement that has TIMESTAMP_NTZ values",
                                  f"CAST it to TIMESTAMP or TIMESTAMP_NTZ inside {construct}")  # fmt: skip
    return True


# Marks a CAST of a constant text whose special values (epoch, today, ...) were read already.
_ANY_TEXT = "any_text"


def _cast(node: exp.Cast, ctx: Context, to_string: ToString | None, integral_cast: dict[str, str]) -> exp.Expression:
    try_ = isinstance(node, exp.TryCast)
    target = spark_type(node, ctx)
    value = node.this
    source = spark_type(value, ctx)
    written = node.to.meta.get("written") or (spark_name(target) if target else node.to.sql(dialect="databricks"))
    if target is None:
        raise NotSupportedLocally(f"CAST to {written}")
    name = "try_cast" if try_ else "CAST"
    if node.to.meta.get(WITHOUT_TIME_ZONE) and (is_numeric(source) or source in _NOT_WITHOUT_TIME_ZONE):
        raise RejectedByDatabricks("DATATYPE_MISMATCH.CAST_WITHOUT_SUGGESTION", f"{name} of {_a(source)} "
                                   "to TIMESTAMP_NTZ")  # fmt: skip
    if node.to.meta.get(WITHOUT_TIME_ZONE) and source is None and not isinstance(value, exp.Null):
        raise NotSupportedLocally(f"{name} to TIMESTAMP_NTZ of a value whose type the local target cannot tell",
                                  "CAST it to its type first")  # fmt: skip
    if is_without_time_zone(value) and (is_numeric(target) or target in _NOT_WITHOUT_TIME_ZONE):
        raise RejectedByDatabricks(
            "DATATYPE_MISMATCH.CAST_WITHOUT_SUGGESTION", f"{name} of a TIMESTAMP_NTZ to {written}"
        )
    if isinstance(value, exp.Null):
        return typed(cast_to(value, target), target)
    if target == "VARCHAR":
        if to_string is None:
            raise TypeError("a CAST to STRING needs the to_string rewrite")
        return typed(to_string(value, source), target)
    if source == target:
        return value
    if source is None and not try_ and target in ("DOUBLE", "DATE", "TIMESTAMP", "BOOLEAN"):
        return typed(call(f"spark_to_{target.lower()}_any", value), target)
    plain = exp.TryCast(this=value, to=exp.DataType.build(target, dialect="duckdb")) if try_ else cast_to(value, target)
    if target in integral_cast:
        name = integral_cast[target][len("spark_to_") :]
        if is_integral(source):
            return typed(plain, target)
        if source == "VARCHAR":
            return typed(call(f"spark_try_to_{name}" if try_ else integral_cast[target], value), target)
        if source in ("DOUBLE", "FLOAT") or is_decimal(source):
            if not try_:
                return typed(call(integral_cast[target], value), target)
            whole = duck("CASE WHEN isnan(CAST({x} AS DOUBLE)) OR isinf(CAST({x} AS DOUBLE)) THEN NULL "
                         "ELSE trunc({x}) END", x=value)  # fmt: skip
            return typed(exp.TryCast(this=whole, to=exp.DataType.build(target, dialect="duckdb")), target)
        if source == "BOOLEAN" or source is None and not try_:
            return typed(call(integral_cast[target], value), target)
        if source == "TIMESTAMP":
            return typed(_timestamp_seconds(value, target, try_), target)
        raise _unsupported(try_, source, written, reject=source in ("DATE", "BLOB"))
    if target in ("DOUBLE", "FLOAT"):
        if source == "VARCHAR":
            parsed = call("spark_text_to_double", value)
            parsed = call("spark_double_to_float", parsed) if target == "FLOAT" else cast_to(parsed, target)
            return typed(_from_text(value, parsed, spark_name(target), try_), target)
        if target == "FLOAT" and source == "DOUBLE":
            return typed(call("spark_double_to_float", value), target)
        if is_numeric(source) or source == "BOOLEAN":
            return typed(plain, target)
        if source == "TIMESTAMP":
            return typed(cast_to(duck("epoch_us({t}) / 1000000", t=value), target), target)
        raise _unsupported(try_, source, written, reject=source in ("DATE", "BLOB"))
    if is_decimal(target):
        if source == "VARCHAR":
            text = call("spark_java_trim", value)
            checked = duck("CASE WHEN spark_text_is_number({v}) THEN {c} END", v=value,
                           c=exp.TryCast(this=text, to=exp.DataType.build(target, dialect="duckdb")))  # fmt: skip
            return typed(_from_text(value, checked, target, try_), target)
        if source in ("DOUBLE", "FLOAT"):
            # Through the double's text as Java writes it, as Databricks converts (and rounds half up); a
            # FLOAT is first widened to the double it is.
            value = cast_to(value, "DOUBLE") if source == "FLOAT" else value
            text = call("spark_double_decimal_text", value, exp.Literal.number(decimal_parts(target)[1]))
            converted = exp.TryCast(this=text, to=exp.DataType.build(target, dialect="duckdb"))
            if try_:
                return typed(converted, target)
            # NaN and infinities become NULL; a value out of the DECIMAL's range fails.
            failure = f"error('[NUMERIC_VALUE_OUT_OF_RANGE] ' || {{v}} || ' cannot be represented as {target}')"
            template = ("CASE WHEN {v} IS NULL OR isnan({v}) OR isinf({v}) THEN NULL WHEN {c} IS NULL THEN "
                        + failure + " ELSE {c} END")  # fmt: skip
            return typed(duck(template, v=value, c=converted), target)
        if is_numeric(source) or source == "BOOLEAN":
            return typed(plain, target)
        if source == "TIMESTAMP":
            # Through the DOUBLE of its seconds since 1970, as Databricks converts it.
            double = exp.DataType.build("DOUBLE")
            seconds = cast(typed(exp.Cast(this=value, to=double), "DOUBLE"), ctx, to_string, integral_cast)
            through = typed(
                exp.TryCast(this=seconds, to=node.to) if try_ else exp.Cast(this=seconds, to=node.to), target
            )
            return cast(through, ctx, to_string, integral_cast)
        raise _unsupported(try_, source, written, reject=source in ("DATE", "BLOB"))
    text_to_datetime = target in ("DATE", "TIMESTAMP") and source == "VARCHAR"
    if text_to_datetime and not node.meta.get(_ANY_TEXT) and special_datetimes.is_constant(value, ctx):

        def cast_text(text: exp.Expression) -> exp.Expression:
            plain = node.copy()
            plain.set("this", text)
            plain.meta[_ANY_TEXT] = True
            return _cast(plain, ctx, to_string, integral_cast)

        ntz = bool(node.to.meta.get(WITHOUT_TIME_ZONE))
        value = special_datetimes.read_plainly(value)
        return typed(special_datetimes.read_special(value, target, ntz, cast_text), target)
    if target in ("DATE", "TIMESTAMP") and source == "VARCHAR" and _canonical(value, target):
        # DATE'2025-03-01' and its kind: DuckDB reads the canonical form as Databricks does.
        return typed(plain, target)
    if target == "DATE":
        if source == "VARCHAR":
            fast = duck("CASE WHEN regexp_full_match({v}, '\\d{{4}}-\\d{{2}}-\\d{{2}}') THEN TRY_CAST({v} AS DATE) "
                        "ELSE spark_text_to_date({v}) END", v=value)  # fmt: skip
            return typed(_from_text(value, fast, "DATE", try_), target)
        if source == "TIMESTAMP":
            return typed(plain, target)
        raise _unsupported(try_, source, written, reject=source is not None)
    if target == "TIMESTAMP":
        if source == "VARCHAR":
            # A TIMESTAMP_NTZ keeps the wall clock of a text with a zone or offset; a TIMESTAMP is moved to UTC.
            ntz = bool(node.to.meta.get(WITHOUT_TIME_ZONE))
            reader = "spark_text_to_timestamp_ntz" if ntz else "spark_text_to_timestamp"
            fast = duck("CASE WHEN regexp_full_match({v}, '\\d{{4}}-\\d{{2}}-\\d{{2}}( \\d{{2}}:\\d{{2}}:\\d{{2}}"
                        "(\\.\\d{{1,6}})?)?') THEN TRY_CAST({v} AS TIMESTAMP) ELSE " + reader + "({v}) END",
                        v=value)  # fmt: skip
            return typed(_from_text(value, fast, "TIMESTAMP_NTZ" if ntz else "TIMESTAMP", try_), target)
        if source == "DATE":
            return typed(plain, target)
        if is_integral(source):
            return epoch_timestamp(value, 1_000_000)  # seconds since 1970, as timestamp_seconds reads them
        if source in ("DOUBLE", "FLOAT"):
            return _double_seconds(cast_to(value, "DOUBLE") if source == "FLOAT" else value, source, try_)
        if is_decimal(source):
            return _decimal_seconds(value, source, try_)
        raise _unsupported(try_, source, written, reject=source in _NOT_WITHOUT_TIME_ZONE)
    if target == "BOOLEAN":
        if source == "VARCHAR":
            return typed(_from_text(value, call("spark_text_to_boolean", value), "BOOLEAN", try_), target)
        if is_numeric(source):
            return typed(plain, target)
        raise _unsupported(try_, source, written, reject=source in ("DATE", "TIMESTAMP", "BLOB"))
    if target == "BLOB":
        if source == "VARCHAR":
            return typed(call("encode", value), target)  # its UTF-8 bytes
        raise _unsupported(try_, source, written, reject=source is not None)
    raise _unsupported(try_, source, written)


def _double_seconds(value: exp.Expression, source: str, try_: bool) -> exp.Expression:
    """The TIMESTAMP a DOUBLE of seconds since 1970 names, its microseconds truncated toward zero; a NaN or
    an infinity is malformed and a time past a BIGINT of microseconds overflows (NULL for try_cast)."""
    micros = duck("TRY_CAST(trunc({v} * 1000000) AS BIGINT)", v=value)
    if try_:
        return typed(duck("make_timestamp({m})", m=micros), "TIMESTAMP")
    what = f'\' || CAST({{v}} AS VARCHAR) || \' of the type "{source}" cannot be cast to "TIMESTAMP"'
    malformed = f"[CAST_INVALID_INPUT] The value {what} because it is malformed. Use `try_cast` to tolerate malformed "
    overflow = f"[CAST_OVERFLOW] The value {what} due to an overflow. Use `try_cast` to tolerate overflow and "
    template = (f"CASE WHEN {{v}} IS NULL THEN NULL WHEN isnan({{v}}) OR isinf({{v}}) THEN error('{malformed}"
                f"input and return NULL instead.') WHEN {{m}} IS NULL THEN error('{overflow}return NULL instead.') "
                "ELSE make_timestamp({m}) END")  # fmt: skip
    return typed(duck(template, v=value, m=micros), "TIMESTAMP")


def _decimal_seconds(value: exp.Expression, source: str, try_: bool) -> exp.Expression:
    """The TIMESTAMP a DECIMAL of seconds since 1970 names, its microseconds truncated toward zero. Past a
    BIGINT of microseconds Databricks wraps them around (try_cast too), which the local target refuses."""
    _, scale = decimal_parts(source)  # widened first: DuckDB multiplies within the DECIMAL's 18 digits
    micros = duck(f"TRY_CAST(trunc(CAST({{v}} AS DECIMAL(38,{scale})) * 1000000) AS BIGINT)", v=value)
    refused = (f"error('[UNSUPPORTED] {'try_cast' if try_ else 'CAST'} of the {source} ' || CAST({{v}} AS VARCHAR) "
               "|| ' to TIMESTAMP (past the microseconds a BIGINT holds) is not supported on the local target; "
               "run it on Databricks')")  # fmt: skip
    template = "CASE WHEN {v} IS NULL THEN NULL WHEN {m} IS NULL THEN " + refused + " ELSE make_timestamp({m}) END"
    return typed(duck(template, v=value, m=micros), "TIMESTAMP")


_CANONICAL = {
    "DATE": re.compile(r"\d{4}-\d{2}-\d{2}"),
    "TIMESTAMP": re.compile(r"\d{4}-\d{2}-\d{2}( \d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?)?"),
}


def _canonical(value: exp.Expression, target: str) -> bool:
    text = literal_string(value)
    return text is not None and _CANONICAL[target].fullmatch(text) is not None


def _unsupported(try_: bool, source: str | None, written: str, reject: bool = False) -> Exception:
    name = "try_cast" if try_ else "CAST"
    if source is None:
        return NotSupportedLocally(f"{name} to {written} of a value whose type the local target cannot tell",
                                   "CAST it to its type first")  # fmt: skip
    what = f"{name} of {_a(source)} to {written}"
    if reject:
        return RejectedByDatabricks("DATATYPE_MISMATCH.CAST_WITHOUT_SUGGESTION", what)
    return NotSupportedLocally(what)


def as_date(value: exp.Expression, ctx: Context, construct: str = "a function") -> exp.Expression:
    """`value` where Databricks expects a DATE: a TIMESTAMP's day, a string read as Databricks reads it."""
    return _as(value, ctx, "DATE", construct)


def as_timestamp(value: exp.Expression, ctx: Context, construct: str = "a function") -> exp.Expression:
    """`value` where Databricks expects a TIMESTAMP: a DATE at midnight, a string read as Databricks does."""
    return _as(value, ctx, "TIMESTAMP", construct)


def _as(value: exp.Expression, ctx: Context, target: str, construct: str) -> exp.Expression:
    if isinstance(value, exp.TsOrDsToDate) and value.args.get("format") is None:
        value = value.this
    kind = spark_type(value, ctx)
    if kind == target:
        return value
    if kind not in ("DATE", "TIMESTAMP", "VARCHAR", None) and not isinstance(value, exp.Null):
        raise RejectedByDatabricks("DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE", f"{construct} of a {kind}")
    node = exp.Cast(this=value, to=exp.DataType.build(target, dialect="duckdb"))
    typed(node, target)
    return cast(node, ctx, to_string=None, integral_cast={})
