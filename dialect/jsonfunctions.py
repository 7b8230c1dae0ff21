"""JSON functions with Databricks' answers: NULL for malformed JSON, Spark's text for to_json.

`to_json` leaves out NULL fields, writes doubles as Java does (1.0E20, "NaN") and timestamps as
ISO-8601 with milliseconds and Z; `from_json` with a DDL schema of scalar fields reads each field
on its own (a value of another type is NULL, the other fields are kept).
"""

from __future__ import annotations

import contextlib
import json
import math
import re
import unicodedata
from decimal import Decimal
from typing import Any

import duckdb
from duckdb.func import SPECIAL
from sqlglot import exp

from dialect import casts
from dialect.common import Context, call, cast_to, duck, literal_string, spark_type, struct_literal_fields, typed
from dialect.errors import NotSupportedLocally, RejectedByDatabricks
from dialect.javadouble import java_double
from dialect.jsonwriter import install_json_writer
from dialect.types import data_type_name, decimal_parts, from_json_schema, is_decimal, is_integral, struct_fields

MACROS = {
    "spark_json_array_length(j)": """CASE WHEN json_type(j) = 'ARRAY' THEN CAST(json_array_length(j) AS INTEGER) END""",
    "spark_json_object_keys(j)": "CASE WHEN json_type(j) = 'OBJECT' THEN json_keys(j) END",
    # from_json's DATE of a whole number of days (NULL past Java's int; refused before 1582-10-15, where
    # Spark moves Julian days, and past 9999), its TIMESTAMP of seconds (refused past the years 1-9999).
    "spark_json_epoch_day(t)": """CASE WHEN TRY_CAST(t AS INTEGER) IS NULL THEN NULL
        WHEN CAST(t AS INTEGER) BETWEEN -141427 AND 2932896 THEN DATE '1970-01-01' + CAST(t AS INTEGER)
        ELSE error('[UNSUPPORTED] from_json of the date ' || t || ' (days since 1970 before 1582-10-15 or past '
          || '9999) is not supported on the local target; run it on Databricks') END""",
    "spark_json_epoch_second(t)": """CASE WHEN TRY_CAST(t AS BIGINT) BETWEEN -62135596800 AND 253402300799
          THEN make_timestamp(CAST(t AS BIGINT) * 1000000)
        ELSE error('[UNSUPPORTED] from_json of the timestamp ' || t || ' (seconds since 1970 before the year 1 or '
          || 'past 9999) is not supported on the local target; run it on Databricks') END""",
}


# -- the JSON text Spark's functions read --------------------------------------------------------------


class _NotJson(ValueError):
    pass


def reject_constant(name: str) -> None:
    raise _NotJson(name)  # NaN and Infinity are not JSON to Spark's JSON functions


def reject_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    if len({key for key, _ in pairs}) < len(pairs):
        raise _NotJson("duplicate keys")
    return dict(pairs)


_LENIENT = json.JSONDecoder(strict=False, parse_constant=reject_constant)
_STRICT = json.JSONDecoder(parse_constant=reject_constant)
_STRICT_RECORD = json.JSONDecoder(parse_constant=reject_constant, object_pairs_hook=reject_duplicates)
JSON_BLANKS = " \t\r\n"


def _unsupported_text(what: str) -> ValueError:
    return ValueError(f"[UNSUPPORTED] JSON text with {what} is not supported on the local target; run it on Databricks")


def _java_identifier_part(c: str) -> bool:
    """Character.isJavaIdentifierPart."""
    if "\x00" <= c <= "\x08" or "\x0e" <= c <= "\x1b" or "\x7f" <= c <= "\x9f":
        return True
    return unicodedata.category(c) in ("Lu", "Ll", "Lt", "Lm", "Lo", "Nd", "Nl", "Mn", "Mc", "Pc", "Sc", "Cf")


def runs_on(parsed: object, text: str, end: int) -> bool:
    """Whether Jackson finds the first JSON value of `text` (read up to `end`) run on into what follows:
    a number must end the text or be followed by a blank ('01' and '1x' are malformed), and `true`,
    `false` or `null` must not be followed by a character that could continue a Java name ('truex',
    'true_'; 'true$' and 'true]' are read)."""
    following = text[end : end + 1]
    if not following:
        return False
    if isinstance(parsed, (int, float, Decimal)) and not isinstance(parsed, bool):
        return following not in JSON_BLANKS
    literal = parsed is None or isinstance(parsed, bool)
    return literal and following >= "0" and following not in "]}" and _java_identifier_part(following)


def first_json_value(doc: str | None, record: bool) -> str | None:
    """The text of the first JSON value in `doc`, which is what Spark's JSON functions read (blanks
    around it and anything after it are ignored); None where that value is malformed. Text that
    Spark reads leniently (single quotes, raw control characters) is refused rather than guessed, and
    so are duplicate keys in a `record` (from_json keeps the last, DuckDB the first)."""
    if doc is None:
        return None
    text = doc.lstrip(JSON_BLANKS)
    try:
        parsed, end = _LENIENT.raw_decode(text)
    except _NotJson:
        if record:  # from_json reads NaN and Infinity as numbers
            raise _unsupported_text("NaN or Infinity") from None
        return None
    except ValueError:
        if "'" in text:
            raise _unsupported_text("single quotes") from None
        return None
    if runs_on(parsed, text, end):
        return None
    value = text[:end]
    try:
        (_STRICT_RECORD if record else _STRICT).decode(value)
    except _NotJson:
        raise _unsupported_text("duplicate keys") from None
    except ValueError:
        raise _unsupported_text("control characters in a string") from None
    return value


# A string (left as it is) or a number of JSON text, which java_json_numbers writes as Spark writes it.
_STRING_OR_NUMBER = re.compile(r'"(?:[^"\\]|\\.)*"|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)')


def java_json_numbers(text: str) -> str:
    """JSON text that DuckDB wrote, with each number that has a fraction or an exponent written as Spark's
    JSON functions write it: the double's Double.toString (1.0E7, 1.0E-4), "Infinity" quoted past the
    range. Integers keep their digits, as Spark keeps them (a BigInteger)."""

    def number(match: re.Match) -> str:
        token = match.group(1)
        if token is None or not set(token) & set(".eE"):
            return match.group(0)
        value = float(token)
        return f'"{java_double(value)}"' if math.isinf(value) else java_double(value)

    return _STRING_OR_NUMBER.sub(number, text)


def install_json_functions(conn: duckdb.DuckDBPyConnection) -> None:
    for name in ("spark_json_text", "spark_json_numbers"):
        with contextlib.suppress(duckdb.Error):
            conn.remove_function(name)
    conn.create_function("spark_json_text", first_json_value, ["VARCHAR", "BOOLEAN"], "VARCHAR",
                         null_handling=SPECIAL, side_effects=False)  # fmt: skip
    conn.create_function("spark_json_numbers", java_json_numbers, ["VARCHAR"], "VARCHAR", side_effects=False)
    install_json_writer(conn)


def _extracted_text(document: exp.Expression, path: exp.Expression) -> exp.Expression:
    """The text get_json_object and json_tuple answer for the value at `path` of a document read by
    spark_json_text: a string's characters; other values as JSON text with Spark's numbers."""
    extracted = exp.JSONExtractScalar(this=document.copy(), expression=path.copy())
    return duck(
        "CASE WHEN json_type({j}, {p}) IN ('DOUBLE', 'OBJECT', 'ARRAY') THEN spark_json_numbers({e}) ELSE {e} END",
        j=document,
        p=path,
        e=extracted,
    )


def _spark_json_document(doc: exp.Expression, record: bool = False) -> exp.Expression:
    return call("spark_json_text", doc, exp.Boolean(this=record))


def json_array_length(node: exp.Anonymous, ctx: Context) -> exp.Expression:
    return typed(call("spark_json_array_length", _spark_json_document(node.expressions[0])), "INTEGER")


def json_object_keys(node: exp.JSONKeys, ctx: Context) -> exp.Expression:
    """The keys of the first JSON value when it is an object, in order (a repeated key repeated); NULL for
    any other value or malformed text; of anything but a STRING rejected, as Databricks rejects it."""
    if node.expressions:
        raise RejectedByDatabricks("WRONG_NUM_ARGS.WITHOUT_SUGGESTION", "json_object_keys with more than one argument")
    kind = None if isinstance(node.this, exp.Null) else spark_type(node.this, ctx)
    if kind not in ("VARCHAR", None):
        raise RejectedByDatabricks("DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE", f"json_object_keys of a {kind}")
    return typed(call("spark_json_object_keys", _spark_json_document(node.this)), "LIST")


_NAME_AFTER_DOT = re.compile(r"\.([^.\[]+)")
_NAME_IN_BRACKETS = re.compile(r"\['([^'?]+)'\]")
_INDEX = re.compile(r"\[(\d+)\]")
_WILDCARDS = (".*", "['*']", "[*]")


def _spark_json_path(text: str) -> list[str | int] | None:
    """The keys and indexes of a get_json_object path as Spark's parser reads it: `$` then `.name`,
    `['name']` or `[index]`, nothing else (no spaces); None where Spark finds the path malformed."""
    if not text.startswith("$"):
        return None
    parts: list[str | int] = []
    position = 1
    while position < len(text):
        if text.startswith(_WILDCARDS, position):
            raise NotSupportedLocally(f"the JSON path {text!r} with a wildcard")
        name = _NAME_AFTER_DOT.match(text, position) or _NAME_IN_BRACKETS.match(text, position)
        index = _INDEX.match(text, position)
        if name is not None:
            parts.append(name.group(1))
            position = name.end()
        elif index is not None:
            parts.append(int(index.group(1)))
            position = index.end()
        else:
            return None
    return parts


def _duckdb_json_path(parts: list[str | int]) -> str:
    steps = [f"[{p}]" if isinstance(p, int) else '."' + p.replace('"', '\\"') + '"' for p in parts]
    return "$" + "".join(steps)


def get_json_object(node: exp.JSONExtractScalar, ctx: Context) -> exp.Expression:
    """get_json_object: NULL (not an error) when the text is not JSON or the path is malformed."""
    text = literal_string(node.expression)
    if text is None:
        raise NotSupportedLocally("get_json_object with a path that is not a string literal")
    parts = _spark_json_path(text)
    if parts is None:
        return typed(cast_to(exp.Null(), "VARCHAR"), "VARCHAR")
    path = exp.Literal.string(_duckdb_json_path(parts))
    document = _spark_json_document(node.this)
    extracted = _extracted_text(document, path)
    if not parts or isinstance(parts[-1], int):
        # Spark writes a null array element, or a document that is null, as the text 'null' (a null field
        # value is NULL).
        extracted = duck("CASE WHEN json_type({j}, {p}) = 'NULL' THEN 'null' ELSE {e} END", j=document, p=path,
                         e=extracted)  # fmt: skip
    return typed(extracted, "VARCHAR")


def json_tuple_fields(node: exp.Expression, ctx: Context) -> list[exp.Expression]:
    """The columns of json_tuple(doc, k1, ..., kn): the value of each top-level key as get_json_object
    gives it; NULLs where the text is not a JSON object. The keys are names, not paths (`a.b` is one
    key). Every argument must be a string, as Databricks requires; a key from a column is refused."""
    if len(node.expressions) < 2:
        count = len(node.expressions)
        raise RejectedByDatabricks("WRONG_NUM_ARGS.WITHOUT_SUGGESTION", f"json_tuple with {count} argument(s)")
    document, *keys = node.expressions
    for argument in (document, *keys):
        kind = spark_type(argument, ctx)
        if isinstance(argument, exp.Null) or kind not in (None, "VARCHAR"):
            raise RejectedByDatabricks(
                "DATATYPE_MISMATCH.NON_STRING_TYPE", "json_tuple of a value that is not a string"
            )
    # Read as a record: a key twice is refused (json_tuple takes the last, DuckDB the first).
    text = _spark_json_document(document, record=True)
    fields: list[exp.Expression] = []
    for key in keys:
        name = literal_string(key)
        if name is None:
            raise NotSupportedLocally("json_tuple with a key that is not a string literal", "write the key")
        fields.append(_extracted_text(text, exp.Literal.string(_duckdb_json_path([name]))))
    return fields


# -- to_json ------------------------------------------------------------------------------------------


def _json_text(value: exp.Expression, kind: str | None, ctx: Context, to_string) -> exp.Expression:
    """The JSON text Databricks writes for one value that is not NULL."""
    if isinstance(value, exp.Struct):
        return _json_object(value, ctx, to_string)
    if kind == "VARCHAR":
        return cast_to(call("to_json", value), "VARCHAR")
    if is_integral(kind):
        return cast_to(value, "VARCHAR")
    if is_decimal(kind):
        # BigDecimal.toString: 1.0E-7 where the first digit is more than six places after the point
        if decimal_parts(kind)[1] > 6:
            return call("spark_big_decimal_text", cast_to(value, "VARCHAR"))
        return to_string(value, kind)
    if kind in ("DOUBLE", "FLOAT"):
        return duck("CASE WHEN isnan({x}) OR isinf({x}) THEN '\"' || {text} || '\"' ELSE {text} END",
                    x=cast_to(value, "DOUBLE"), text=to_string(value, kind))  # fmt: skip
    if kind == "BOOLEAN":
        return duck("CASE WHEN {b} THEN 'true' ELSE 'false' END", b=value)
    if kind == "DATE":
        return duck("'\"' || CAST({d} AS VARCHAR) || '\"'", d=value)
    if kind == "TIMESTAMP":
        return _timestamp_text(value, ctx)
    if kind in ("LIST", "MAP", "STRUCT"):
        return _nested_text(value, ctx)
    raise NotSupportedLocally(f"to_json of a {kind or 'value whose type the local target cannot tell'}")


def _timestamp_text(value: exp.Expression, ctx: Context) -> exp.Expression:
    """ISO 8601 to the millisecond: in UTC with its Z for a TIMESTAMP, without for a TIMESTAMP_NTZ."""
    zone = "Z" if casts.has_time_zone(value, ctx, "to_json") else ""
    return duck(f"'\"' || strftime(CAST({{t}} AS TIMESTAMP), '%Y-%m-%dT%H:%M:%S.%g') || '{zone}\"'", t=value)


def _nested_text(value: exp.Expression, ctx: Context) -> exp.Expression:
    """An array, map or struct value written by dialect/jsonwriter.py from DuckDB's JSON of it and its type."""
    zone_unknown = exp.true() if ctx.mentions_ntz else exp.false()
    return call("spark_to_json", cast_to(call("to_json", value), "VARCHAR"), call("typeof", value), zone_unknown)


def _json_object(struct: exp.Struct, ctx: Context, to_string) -> exp.Expression:
    members = []
    for name, value in struct_literal_fields(struct):
        if isinstance(value, exp.Null):
            continue  # NULL fields are left out
        text = _json_text(value, spark_type(value, ctx), ctx, to_string)
        key = exp.Literal.string(name)
        member = duck("CASE WHEN {v} IS NULL THEN NULL ELSE CAST(to_json({k}) AS VARCHAR) || ':' || {t} END",
                      v=value, k=key, t=text)  # fmt: skip
        members.append(member)
    if not members:
        return exp.Literal.string("{}")
    return duck("'{{' || {m} || '}}'", m=call("concat_ws", exp.Literal.string(","), *members))


def to_json(node: exp.JSONFormat, ctx: Context, to_string) -> exp.Expression:
    """to_json of a struct, array or map (a VARIANT is dialect/variant_sql.py's)."""
    if node.args.get("options") is not None:
        raise NotSupportedLocally("to_json with options")
    value = node.this
    if isinstance(value, exp.Struct):
        return typed(_json_object(value, ctx, to_string), "VARCHAR")
    if isinstance(value, exp.Null):
        return typed(cast_to(exp.Null(), "VARCHAR"), "VARCHAR")
    kind = spark_type(value, ctx)
    if kind in ("LIST", "MAP", "STRUCT"):
        return typed(_nested_text(value, ctx), "VARCHAR")
    if kind is not None:
        raise RejectedByDatabricks("DATATYPE_MISMATCH.INVALID_JSON_SCHEMA", f"to_json of a {kind}")
    raise NotSupportedLocally("to_json of a value whose type the local target cannot tell")


# -- from_json ----------------------------------------------------------------------------------------


_BIG_DECIMAL = r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?"


def _field(value: exp.Expression, name: str) -> exp.Expression:
    """The value of a JSON object's field `name` (case-sensitive), NULL where it has none."""
    return duck("json_extract({j}, {p})", j=value, p=exp.Literal.string('$."' + name.replace('"', '\\"') + '"'))


def _converted(value: exp.Expression, data_type: exp.DataType, depth: int = 0) -> exp.Expression:
    """A JSON value read as `data_type` is, as Spark's JacksonParser reads it: NULL for JSON null and
    where it fails. A scalar fails on a value of another kind (a string for a number, a fraction for an
    INT); an array when it is not one or one of its elements fails; a struct when it is not an object,
    its own failing fields being NULL in it. `depth` names the lambdas of nested types apart."""
    json_kind = duck("json_type({v})", v=value)
    if data_type.this == exp.DataType.Type.ARRAY:
        element, name = data_type.expressions[0], f"__element{depth}"
        converted = _converted(exp.to_identifier(name), element, depth + 1)
        each = exp.Lambda(this=converted, expressions=[exp.to_identifier(name)])
        failed = exp.Lambda(
            this=duck("json_type({e}) <> 'NULL' AND {c} IS NULL", e=exp.to_identifier(name), c=converted.copy()),
            expressions=[exp.to_identifier(name)],
        )
        # A call, not DuckDB's `->`, which a list function would read as a lambda; a list even where the
        # value is a constant NULL.
        elements = exp.Cast(this=call("json_extract", value, exp.Literal.string("$[*]")),
                            to=exp.DataType.build("JSON[]", dialect="duckdb"))  # fmt: skip
        return duck("CASE WHEN {k} = 'ARRAY' THEN CASE WHEN list_bool_or(list_transform({e}, {f})) THEN NULL "
                    "ELSE list_transform({e}, {c}) END END", k=json_kind, e=elements, f=failed, c=each)  # fmt: skip
    if data_type.this == exp.DataType.Type.STRUCT:
        fields = struct_fields(data_type)
        return duck("CASE WHEN {k} = 'OBJECT' THEN {s} END", k=json_kind, s=_struct(value, fields, depth))
    if data_type.this == exp.DataType.Type.MAP:
        return _map(value, json_kind, data_type.expressions[1], depth)
    kind = data_type_name(data_type)
    text = duck("json_extract_string({v}, '$')", v=value)
    if kind == "TINYINT":
        # Jackson's getByteValue takes -128 to 255 and keeps the low byte: 128 is -128, 255 is -1.
        return duck("CASE WHEN {k} IN ('BIGINT', 'UBIGINT') AND TRY_CAST({t} AS INTEGER) BETWEEN -128 AND 255 "
                    "THEN CAST((CAST({t} AS INTEGER) + 128) % 256 - 128 AS TINYINT) END",
                    k=json_kind, t=text)  # fmt: skip
    if is_integral(kind):
        return duck("CASE WHEN {k} IN ('BIGINT', 'UBIGINT') THEN TRY_CAST({t} AS " + kind + ") END",
                    k=json_kind, t=text)  # fmt: skip
    if is_decimal(kind):
        # A string is read as Java's BigDecimal reads it, once its grouping commas are removed.
        return duck("CASE WHEN {k} IN ('BIGINT', 'UBIGINT', 'DOUBLE') THEN TRY_CAST({t} AS " + kind + ") "
                    "WHEN {k} = 'VARCHAR' AND regexp_full_match(replace({t}, ',', ''), '" + _BIG_DECIMAL + "') "
                    "THEN TRY_CAST(replace({t}, ',', '') AS " + kind + ") END",
                    k=json_kind, t=text)  # fmt: skip
    if kind in ("DOUBLE", "FLOAT"):
        # Spark reads these strings as NaN and the infinities.
        return duck("CASE WHEN {k} IN ('BIGINT', 'UBIGINT', 'DOUBLE') THEN CAST({t} AS " + kind + ") "
                    "WHEN {k} = 'VARCHAR' AND {t} = 'NaN' THEN CAST('NaN' AS " + kind + ") "
                    "WHEN {k} = 'VARCHAR' AND {t} IN ('Infinity', '+Infinity', '+INF') THEN CAST('Infinity' AS " + kind
                    + ") WHEN {k} = 'VARCHAR' AND {t} IN ('-Infinity', '-INF') THEN CAST('-Infinity' AS " + kind + ") "
                    "END", k=json_kind, t=text)  # fmt: skip
    if kind == "BOOLEAN":
        return duck("CASE WHEN {k} = 'BOOLEAN' THEN CAST({t} AS BOOLEAN) END", k=json_kind, t=text)
    if kind == "VARCHAR":
        # Any other value as its JSON text, with numbers as Spark writes them (1e7 is 1.0E7).
        return duck("CASE WHEN {k} IN ('DOUBLE', 'OBJECT', 'ARRAY') THEN spark_json_numbers({t}) "
                    "WHEN {k} <> 'NULL' THEN {t} END", k=json_kind, t=text)  # fmt: skip
    if kind == "DATE":
        # The text as CAST reads it; else, as Spark 1.5 wrote dates, a whole number of days since 1970
        # (within the Gregorian calendar: Spark shifts older Julian days).
        return duck("CASE WHEN {k} = 'VARCHAR' AND {t} <> '' THEN coalesce(spark_text_to_date({t}), "
                    "CASE WHEN regexp_full_match({t}, '[+-]?[0-9]{{1,10}}') THEN spark_json_epoch_day({t}) END) END",
                    k=json_kind, t=text)  # fmt: skip
    if kind == "TIMESTAMP":
        # The text as CAST reads it, or a whole number of seconds since 1970 UTC.
        return duck("CASE WHEN {k} = 'VARCHAR' AND {t} <> '' THEN spark_text_to_timestamp({t}) "
                    "WHEN {k} IN ('BIGINT', 'UBIGINT') THEN spark_json_epoch_second({t}) END",
                    k=json_kind, t=text)  # fmt: skip
    raise NotSupportedLocally(f"from_json of a field of type {kind}")


def _map(value: exp.Expression, json_kind: exp.Expression, value_type: exp.DataType, depth: int) -> exp.Expression:
    """An object read as a MAP<STRING, value_type>: like an array, NULL when one value cannot be read;
    NULL values kept, keys in the text's order."""
    key = exp.to_identifier(f"__key{depth}")
    member = duck("json_extract({v}, '$.\"' || replace({k}, '\"', '\\\"') || '\"')", v=value, k=key)
    converted = _converted(member, value_type, depth + 1)
    pair = call(
        "struct_pack",
        exp.PropertyEQ(this=exp.to_identifier("key"), expression=key.copy()),
        exp.PropertyEQ(this=exp.to_identifier("value"), expression=converted),
    )
    entry = exp.Lambda(this=pair, expressions=[key.copy()])
    failed = exp.Lambda(
        this=duck("json_type({x}) <> 'NULL' AND {c} IS NULL", x=member.copy(), c=converted.copy()),
        expressions=[key.copy()],
    )
    keys = call("json_keys", value)
    return duck(
        "CASE WHEN {k} = 'OBJECT' THEN CASE WHEN list_bool_or(list_transform({n}, {f})) THEN NULL "
        "ELSE map_from_entries(list_transform({n}, {e})) END END",
        k=json_kind, n=keys, f=failed, e=entry,
    )  # fmt: skip


def _stored(data_type: exp.DataType) -> exp.DataType:
    """A Databricks type as the local target stores it: its TIMESTAMP is DuckDB's, not one with a zone."""
    zoned = (exp.DataType.Type.TIMESTAMPTZ, exp.DataType.Type.TIMESTAMPLTZ)
    return data_type.copy().transform(
        lambda node: exp.DataType.build("TIMESTAMP") if isinstance(node, exp.DataType) and node.this in zoned else node
    )


def _struct(value: exp.Expression, fields: list[tuple[str, exp.DataType]], depth: int = 0) -> exp.Expression:
    """The fields of a JSON object read as a struct of `fields`, each NULL where it is missing or fails."""
    members = [
        exp.PropertyEQ(
            this=exp.Identifier(this=name, quoted=True), expression=_converted(_field(value, name), kind, depth)
        )
        for name, kind in fields
    ]
    return call("struct_pack", *members)


def from_json(node: exp.FromJson, ctx: Context) -> exp.Expression:
    schema_text = literal_string(node.expression)
    if schema_text is None:
        raise NotSupportedLocally("from_json with a schema that is not a string literal")
    if node.args.get("options") is not None:
        raise NotSupportedLocally("from_json with options")
    schema = from_json_schema(schema_text)
    document = exp.to_identifier(_DOCUMENT)
    if isinstance(schema, exp.DataType):  # an ARRAY or MAP: read as a field of that type is
        value = _converted(document, schema)
        if schema.this == exp.DataType.Type.ARRAY and schema.expressions[0].this == exp.DataType.Type.STRUCT:
            # An object where an array of structs is asked for is an array of that one struct.
            value = duck("CASE WHEN json_type({j}) = 'OBJECT' THEN [{s}] ELSE {v} END",
                         j=document, s=_converted(document, schema.expressions[0]), v=value)  # fmt: skip
        kind = "LIST" if schema.this == exp.DataType.Type.ARRAY else "MAP"
        once = _read_once(node.this, value)
        return typed(duck("CASE WHEN trim({t}) <> '' THEN {v} END", t=node.this, v=once), kind)
    fields = schema
    present = _struct(document, fields)
    missing = call(
        "struct_pack",
        *[exp.PropertyEQ(this=exp.Identifier(this=name, quoted=True),
                         expression=exp.Cast(this=exp.Null(), to=_stored(kind)))
          for name, kind in fields],
    )  # fmt: skip
    # Malformed JSON, or JSON that is not an object: every field NULL; an empty text: NULL.
    read = duck("CASE WHEN json_type({j}) = 'OBJECT' THEN {present} ELSE {missing} END",
                j=document, present=present, missing=missing)  # fmt: skip
    once = _read_once(node.this, read)
    return typed(duck("CASE WHEN {t} IS NULL OR trim({t}) = '' THEN NULL ELSE {r} END", t=node.this, r=once), "STRUCT")


_DOCUMENT = "__json_document"


def _read_once(text: exp.Expression, value: exp.Expression) -> exp.Expression:
    """`value`, whose `__json_document` is the text as Spark reads it, found once a row (the expression
    names it many times, and DuckDB would call the reader for each): NULL where the text is malformed."""
    reader = exp.Lambda(this=value, expressions=[exp.to_identifier(_DOCUMENT)])
    return duck("list_transform([{d}], {f})[1]", d=_spark_json_document(text, record=True), f=reader)


# -- the `:` operator ---------------------------------------------------------------------------------

MACROS["spark_json_field_ci(j, name)"] = """CASE WHEN j IS NULL OR json_type(j) <> 'OBJECT' THEN NULL
    WHEN len(list_filter(json_keys(j), k -> lower(k) = lower(name))) > 1
      THEN error('[AMBIGUOUS_REFERENCE] The JSON field ' || name || ' matches fields that differ only in case')
    WHEN len(list_filter(json_keys(j), k -> lower(k) = lower(name))) = 1
      THEN json_extract(j, '$."' || replace(list_filter(json_keys(j), k -> lower(k) = lower(name))[1], '"', '\\"')
                           || '"')
    END"""


def colon_path(node: exp.JSONExtract, ctx: Context) -> exp.Expression:
    """`doc:a.b[0]`: a name is matched without regard to case (a `['name']` with it), an index from 0;
    the value as a string, NULL where the text is not JSON or the path finds nothing."""
    path = node.expression
    if not isinstance(path, exp.JSONPath):
        raise NotSupportedLocally("this JSON path")
    document = node.this
    value: exp.Expression = duck("CASE WHEN json_valid({j}) THEN CAST({j} AS JSON) END", j=document)
    for part in path.expressions:
        if isinstance(part, exp.JSONPathRoot):
            continue
        if isinstance(part, exp.JSONPathKey) and not part.args.get("quoted"):
            value = call("spark_json_field_ci", value, exp.Literal.string(part.name))
        elif isinstance(part, exp.JSONPathKey):
            if ctx.backticks:
                # `name` is matched without regard to case, ['name'] with it; sqlglot reads both alike.
                raise NotSupportedLocally("a backquoted name in a JSON path", "write it as ['name']")
            key = part.name.replace('"', '\\"')
            value = call("json_extract", value, exp.Literal.string(f'$."{key}"'))
        elif isinstance(part, exp.JSONPathSubscript) and isinstance(part.this, int):
            value = call("json_extract", value, exp.Literal.string(f"$[{part.this}]"))
        else:
            raise NotSupportedLocally(f"the JSON path {path.sql(dialect='databricks')}")
    return typed(call("json_extract_string", value, exp.Literal.string("$")), "VARCHAR")
