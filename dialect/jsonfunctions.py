"""JSON functions with Databricks' answers: NULL for malformed JSON, Spark's text for to_json.

`to_json` leaves out NULL fields, writes doubles as Java does (1.0E20, "NaN") and timestamps as
ISO-8601 with milliseconds and Z; `from_json` with a DDL schema of scalar fields reads each field
on its own (a value of another type is NULL, the other fields are kept).
"""

from __future__ import annotations

import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError

from dialect.common import Context, call, cast_to, duck, literal_string, spark_type, typed
from dialect.errors import NotSupportedLocally
from dialect.types import data_type_name, is_decimal, is_integral

MACROS = {
    "spark_json_array_length(j)": """CASE WHEN json_valid(j) THEN
        CASE WHEN json_type(j) = 'ARRAY' THEN CAST(json_array_length(j) AS INTEGER) END END""",
}


def json_array_length(node: exp.Anonymous, ctx: Context) -> exp.Expression:
    return typed(call("spark_json_array_length", node.expressions[0]), "INTEGER")


def get_json_object(node: exp.JSONExtractScalar, ctx: Context) -> exp.Expression:
    """get_json_object / `doc:path`: NULL (not an error) when the text is not JSON."""
    if isinstance(node.expression, exp.JSONPath):
        for part in node.expression.expressions:
            if not isinstance(part, (exp.JSONPathRoot, exp.JSONPathKey, exp.JSONPathSubscript)):
                raise NotSupportedLocally(f"the JSON path {node.expression.sql(dialect='databricks')}")
            if isinstance(part, exp.JSONPathSubscript) and not isinstance(part.this, int):
                raise NotSupportedLocally(f"the JSON path {node.expression.sql(dialect='databricks')}")
    extracted = exp.JSONExtractScalar(this=node.this.copy(), expression=node.expression)
    return typed(duck("CASE WHEN json_valid({j}) THEN {e} END", j=node.this, e=extracted), "VARCHAR")


# -- to_json ------------------------------------------------------------------------------------------

_SIMPLE_LISTS = "'TINYINT[]', 'SMALLINT[]', 'INTEGER[]', 'BIGINT[]', 'VARCHAR[]', 'BOOLEAN[]', 'DATE[]'"


def _json_text(value: exp.Expression, kind: str | None, ctx: Context, to_string) -> exp.Expression:
    """The JSON text Databricks writes for one value that is not NULL."""
    if isinstance(value, exp.Struct):
        return _json_object(value, ctx, to_string)
    if kind == "VARCHAR":
        return cast_to(call("to_json", value), "VARCHAR")
    if is_integral(kind) or is_decimal(kind):
        return cast_to(value, "VARCHAR")
    if kind in ("DOUBLE", "FLOAT"):
        return duck("CASE WHEN isnan({x}) OR isinf({x}) THEN '\"' || {text} || '\"' ELSE {text} END",
                    x=cast_to(value, "DOUBLE"), text=to_string(value, kind))  # fmt: skip
    if kind == "BOOLEAN":
        return duck("CASE WHEN {b} THEN 'true' ELSE 'false' END", b=value)
    if kind == "DATE":
        return duck("'\"' || CAST({d} AS VARCHAR) || '\"'", d=value)
    if kind == "TIMESTAMP":
        return duck("'\"' || strftime(CAST({t} AS TIMESTAMP), '%Y-%m-%dT%H:%M:%S.%g') || 'Z\"'", t=value)
    if kind == "LIST":
        # Arrays of integers, strings, booleans and dates print the same in both engines.
        return duck(
            "CASE WHEN typeof({a}) IN (" + _SIMPLE_LISTS + ") THEN CAST(to_json({a}) AS VARCHAR) ELSE error("
            "'[UNSUPPORTED] to_json of an array of ' || typeof({a}) || ' is not supported on the local target; "
            "run it on Databricks') END",
            a=value,
        )
    raise NotSupportedLocally(f"to_json of a {kind or 'value whose type the local target cannot tell'}")


def _fields(struct: exp.Struct) -> list[tuple[str, exp.Expression]]:
    fields = []
    for position, item in enumerate(struct.expressions, start=1):
        if isinstance(item, exp.PropertyEQ):
            fields.append((item.this.name, item.expression))
        elif isinstance(item, exp.Alias):
            fields.append((item.alias, item.this))
        else:
            fields.append((item.alias_or_name if isinstance(item, exp.Column) else f"col{position}", item))
    return fields


def _json_object(struct: exp.Struct, ctx: Context, to_string) -> exp.Expression:
    members = []
    for name, value in _fields(struct):
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
    if node.args.get("options") is not None:
        raise NotSupportedLocally("to_json with options")
    value = node.this
    if isinstance(value, exp.Struct):
        return typed(_json_object(value, ctx, to_string), "VARCHAR")
    kind = spark_type(value, ctx)
    if kind == "LIST":
        return typed(duck("CASE WHEN {a} IS NULL THEN NULL ELSE {t} END", a=value,
                          t=_json_text(value, kind, ctx, to_string)), "VARCHAR")  # fmt: skip
    raise NotSupportedLocally("to_json of a value that is not a named_struct, struct or array literal")


# -- from_json ----------------------------------------------------------------------------------------


def _schema(text: str) -> list[tuple[str, str]]:
    """Field names and DuckDB types of a DDL schema such as 'a INT, b STRING' or 'STRUCT<a: INT>'."""
    inner = text.strip()
    if inner.upper().startswith("STRUCT<") and inner.endswith(">"):
        inner = inner[len("STRUCT<") : -1].replace(":", " ")
    try:
        tree = sqlglot.parse_one(f"CREATE TABLE t ({inner})", read="databricks")
    except ParseError as exc:
        raise NotSupportedLocally(f"from_json with the schema {text!r}") from exc
    fields = []
    for column in tree.this.expressions:
        if not isinstance(column, exp.ColumnDef) or column.args.get("kind") is None:
            raise NotSupportedLocally(f"from_json with the schema {text!r}")
        kind = data_type_name(column.args["kind"])
        if kind is None or kind in ("DATE", "TIMESTAMP", "BLOB"):
            raise NotSupportedLocally(f"from_json of a field of type {column.args['kind'].sql(dialect='databricks')}")
        fields.append((column.name, kind))
    return fields


def _field(document: exp.Expression, name: str, kind: str) -> exp.Expression:
    path = exp.Literal.string("$." + '"' + name.replace('"', '\\"') + '"')
    value = duck("json_extract({j}, {p})", j=document, p=path)
    text = duck("json_extract_string({j}, {p})", j=document, p=path)
    json_kind = duck("json_type({v})", v=value)
    if is_integral(kind) or is_decimal(kind):
        accepted = "('BIGINT', 'UBIGINT')" if is_integral(kind) else "('BIGINT', 'UBIGINT', 'DOUBLE')"
        template = "CASE WHEN {k} IN " + accepted + " THEN TRY_CAST({t} AS " + kind + ") END"
        return duck(template, k=json_kind, t=text)
    if kind in ("DOUBLE", "FLOAT"):
        return duck("CASE WHEN {k} IN ('BIGINT', 'UBIGINT', 'DOUBLE') THEN CAST({t} AS " + kind + ") END",
                    k=json_kind, t=text)  # fmt: skip
    if kind == "BOOLEAN":
        return duck("CASE WHEN {k} = 'BOOLEAN' THEN CAST({t} AS BOOLEAN) END", k=json_kind, t=text)
    if kind == "VARCHAR":
        return duck("CASE WHEN {k} <> 'NULL' THEN {t} END", k=json_kind, t=text)
    raise NotSupportedLocally(f"from_json of a field of type {kind}")


def from_json(node: exp.FromJson, ctx: Context) -> exp.Expression:
    schema_text = literal_string(node.expression)
    if schema_text is None:
        raise NotSupportedLocally("from_json with a schema that is not a string literal")
    if node.args.get("options") is not None:
        raise NotSupportedLocally("from_json with options")
    fields = _schema(schema_text)
    document = node.this
    present = [
        exp.PropertyEQ(this=exp.Identifier(this=name, quoted=True), expression=_field(document, name, kind))
        for name, kind in fields
    ]
    missing = [
        exp.PropertyEQ(this=exp.Identifier(this=name, quoted=True), expression=cast_to(exp.Null(), kind))
        for name, kind in fields
    ]
    # Malformed JSON, or JSON that is not an object: every field NULL; an empty text: NULL.
    return typed(
        duck(
            "CASE WHEN {j} IS NULL OR trim({j}) = '' THEN NULL WHEN json_valid({j}) THEN CASE WHEN "
            "json_type({j}) = 'OBJECT' THEN {present} ELSE {missing} END ELSE {missing} END",
            j=document, present=call("struct_pack", *present), missing=call("struct_pack", *missing),
        ),
        "STRUCT",
    )  # fmt: skip


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
