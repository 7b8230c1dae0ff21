"""The per-engine SQL macros: one name per concept, one implementation per engine.

SQL files are written as Databricks SQL. Where DuckDB means something else, the file calls one of
these macros and the target picks `databricks__<name>` or `duckdb__<name>` (dbt's convention).
Keep this set small and named for what it means; never branch on the target inside SQL files.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field

from runner.identifiers import quote_identifier

_MACRO_NAMES = (
    "create_schema",
    "landing_volume",
    "read_files_schema",
    # silver and gold
    "bronze_columns",
    "bronze_object",
    "declared_type",
    "json_get",
    "explode_outer",
    "tie_break_hash",
    "ordered_string_agg",
    "identity_column",
    "identity_sequence",
    "identity_insert_column",
    "identity_insert_value",
    "primary_key",
    "foreign_key",
    "check_constraints",
    "add_check_constraints",
    "dates_between",
    "date_attribute",
    "materialized_view",
    "refresh_materialized_view",
    "row_tracking",
    "maintain_table",
    "string_map",
    "add_missing_column",
    # quality
    "kept_aside_records",
)


def sql_string(value: str) -> str:
    """A SQL string literal for text written in this repository's SQL files."""
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def duckdb_string(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


@dataclass(frozen=True)
class BronzeRead:
    """A read of a bronze table through bronze_columns: the fields of the landed objects it needs."""

    table: str
    schema: dict


@dataclass
class MacroContext:
    """What the macros of one file declared while it rendered."""

    bronze_reads: list[BronzeRead] = field(default_factory=list)
    materialized_views: list[str] = field(default_factory=list)


# ---------------------------------------------------------------- schemas and volumes


def databricks__create_schema(ctx: MacroContext, name: str, comment: str) -> str:
    return f"CREATE SCHEMA IF NOT EXISTS {name} COMMENT {sql_string(comment)}"


def duckdb__create_schema(ctx: MacroContext, name: str, comment: str) -> str:
    # DuckDB has no schema comments; the comment stays readable in the SQL file.
    return f"CREATE SCHEMA IF NOT EXISTS {name}"


def databricks__landing_volume(ctx: MacroContext, name: str, comment: str) -> str:
    return f"CREATE VOLUME IF NOT EXISTS {name} COMMENT {sql_string(comment)}"


def duckdb__landing_volume(ctx: MacroContext, name: str, comment: str) -> str:
    # Locally the landing zone is a folder the runner creates; there is nothing to run.
    return ""


# ---------------------------------------------------------------- streaming tables


def schema_ddl(schema: dict) -> str:
    """A declared schema as the DDL column list read_files takes as its `schema` option."""
    return ", ".join(f"`{key}` {databricks__declared_type(MacroContext(), node)}" for key, node in schema.items())


def databricks__read_files_schema(ctx: MacroContext, schema: dict) -> str:
    return schema_ddl(schema)


def duckdb__read_files_schema(ctx: MacroContext, schema: dict) -> str:
    # The statement is the same on both targets; the local loader reads the fields it finds.
    return schema_ddl(schema)


# ---------------------------------------------------------------- JSON of landed objects
#
# Bronze differs by target: Databricks infers typed STRUCT/ARRAY columns, the local loader keeps one
# JSON column per top-level key (and has no column for a key it never saw). Silver declares the part
# of each landed object it reads (a schema: nested dicts, one-element lists for arrays, "STRING"
# leaves) and reads bronze through `bronze_columns`, which locally parses each of those JSON columns
# once into the declared STRUCT/LIST shape. From there both targets walk plain structs and lists:
# `bronze_object` gathers the columns into one record, `json_get` reads a field, `explode_outer`
# turns a list into rows.

_FIELD = r"[A-Za-z_][A-Za-z0-9_]*"
_PATH = re.compile(rf"{_FIELD}(\[\d+\])?(\.{_FIELD}(\[\d+\])?)*")


def _json_path(path: str) -> list[tuple[str, int | None]]:
    """A dotted path (`markets[0].id`) as (field, index or None) steps; indexes count from 0."""
    if not _PATH.fullmatch(path):
        raise ValueError(f"json path {path!r}: use dotted field names, with [n] for a list item")
    steps = []
    for step in path.split("."):
        name, _, index = step.partition("[")
        steps.append((name, int(index.rstrip("]")) if index else None))
    return steps


def _shape(node: object) -> str:
    """What a node of a declared schema is: a struct (dict), a list (one-item list) or a value."""
    if isinstance(node, dict):
        return "struct"
    if isinstance(node, list) and len(node) == 1:
        return "list"
    if node == "STRING":
        return "value"
    raise ValueError(f"schema: {node!r} is not a dict, a one-item list or 'STRING'")


def duckdb_structure(schema: object) -> str:
    """A declared schema as the JSON structure DuckDB's from_json parses into (leaves read as text)."""

    def walk(node: object) -> object:
        kind = _shape(node)
        if kind == "struct":
            return {str(key): walk(value) for key, value in node.items()}  # type: ignore[union-attr]
        if kind == "list":
            return [walk(node[0])]  # type: ignore[index]
        return "VARCHAR"

    return json.dumps(walk(schema), separators=(",", ":"))


def databricks__declared_type(ctx: MacroContext, node: object) -> str:
    """The column type of a declared schema node (for a table that stores parsed records)."""
    kind = _shape(node)
    if kind == "struct":
        fields = ", ".join(f"`{key}`: {databricks__declared_type(ctx, value)}" for key, value in node.items())  # type: ignore[union-attr]
        return f"STRUCT<{fields}>"
    if kind == "list":
        return f"ARRAY<{databricks__declared_type(ctx, node[0])}>"  # type: ignore[index]
    return "STRING"


def duckdb__declared_type(ctx: MacroContext, node: object) -> str:
    kind = _shape(node)
    if kind == "struct":
        fields = ", ".join(
            f"{quote_identifier(key)} {duckdb__declared_type(ctx, value)}" for key, value in node.items()
        )  # type: ignore[union-attr]
        return f"STRUCT({fields})"
    if kind == "list":
        return f"{duckdb__declared_type(ctx, node[0])}[]"  # type: ignore[index]
    return "VARCHAR"


def _as_declared(expr: str, node: object, depth: int, struct, each, value) -> str:
    """expr (a struct or list value) reduced to the fields the declared node names, NULL kept NULL."""
    kind = _shape(node)
    if kind == "struct":
        fields = {key: _as_declared(f"{expr}.{key}", sub, depth, struct, each, value) for key, sub in node.items()}  # type: ignore[union-attr]
        return f"CASE WHEN {expr} IS NULL THEN NULL ELSE {struct(fields)} END"
    if kind == "list":
        item = f"x{depth}"
        return each(expr, item, _as_declared(item, node[0], depth + 1, struct, each, value))  # type: ignore[index]
    return value(expr)


def databricks_as_declared(ctx: MacroContext, expr: str, node: object) -> str:
    return _as_declared(
        expr,
        node,
        1,
        struct=lambda fields: "named_struct(" + ", ".join(f"{sql_string(k)}, {v}" for k, v in fields.items()) + ")",
        each=lambda items, item, body: f"transform({items}, {item} -> {body})",
        value=lambda e: f"CAST({e} AS STRING)",
    )


def duckdb_as_declared(ctx: MacroContext, expr: str, node: object) -> str:
    return _as_declared(
        expr,
        node,
        1,
        struct=lambda fields: (
            "struct_pack(" + ", ".join(f"{quote_identifier(k)} := {v}" for k, v in fields.items()) + ")"
        ),
        each=lambda items, item, body: f"list_transform({items}, {item} -> {body})",
        value=lambda e: f"CAST({e} AS VARCHAR)",
    )


def databricks__bronze_columns(ctx: MacroContext, table: str, schema: dict) -> str:
    ctx.bronze_reads.append(BronzeRead(table, schema))
    # read_files inferred a typed column per top-level key, with every field it saw: each is reduced
    # to the declared shape, so both targets read the same types.
    # read_files exposes no row position for JSON (its _metadata has the file, never the line), so
    # _source_line is NULL here and silver orders versions within one file by their hash instead.
    typed = ", ".join(f"{databricks_as_declared(ctx, f'r.{key}', shape)} AS {key}" for key, shape in schema.items())
    return (
        f"(SELECT {typed}, r._source_file, r._ingestion_timestamp, CAST(NULL AS BIGINT) AS _source_line "
        f"FROM {table} AS r)"
    )


def duckdb__bronze_columns(ctx: MacroContext, table: str, schema: dict) -> str:
    ctx.bronze_reads.append(BronzeRead(table, schema))
    # Each JSON column silver reads is parsed once, into the declared shape. A key no landed file
    # has carried yet has no column: an empty branch of UNION ALL BY NAME gives it one (NULL).
    # The loader records the line of each row in _source_line (NULL for rows an older version loaded).
    empty = ", ".join(f"CAST(NULL AS JSON) AS {quote_identifier(key)}" for key in schema)
    typed = ", ".join(
        f"from_json(r.{quote_identifier(key)}, {duckdb_string(duckdb_structure(shape))}) AS {quote_identifier(key)}"
        for key, shape in schema.items()
    )
    return (
        f"(SELECT {typed}, r._source_file, r._ingestion_timestamp, r._source_line "
        f"FROM (SELECT * FROM {table} UNION ALL BY NAME SELECT {empty}, CAST(NULL AS BIGINT) AS _source_line "
        "WHERE FALSE) AS r)"
    )


def _record_field(as_declared: Callable[..., str], ctx: MacroContext, shape: object, column: str) -> str:
    # A plain value is taken as it is; a struct or list is cut down to the declared fields, so a
    # record built from a wider stored column stays as narrow as the reader declared.
    return column if _shape(shape) == "value" else as_declared(ctx, column, shape)


def databricks__bronze_object(ctx: MacroContext, alias: str, schema: dict) -> str:
    """One record (a struct) holding the declared top-level keys of a row, in their declared shape."""
    fields = [
        f"{sql_string(key)}, {_record_field(databricks_as_declared, ctx, shape, f'{alias}.{key}')}"
        for key, shape in schema.items()
    ]
    return "named_struct(" + ", ".join(fields) + ")"


def duckdb__bronze_object(ctx: MacroContext, alias: str, schema: dict) -> str:
    fields = [
        f"{quote_identifier(key)} := "
        + _record_field(duckdb_as_declared, ctx, shape, f"{alias}.{quote_identifier(key)}")
        for key, shape in schema.items()
    ]
    return "struct_pack(" + ", ".join(fields) + ")"


def databricks__json_get(ctx: MacroContext, record: str, path: str) -> str:
    """A field inside a record (struct access); wrap in CAST/TRY_CAST for a definite type."""
    steps = _json_path(path)
    return record + "".join(f".{name}" + (f"[{index}]" if index is not None else "") for name, index in steps)


def duckdb__json_get(ctx: MacroContext, record: str, path: str) -> str:
    # DuckDB lists count from 1; field names are quoted since some (`primary`) are keywords.
    steps = _json_path(path)
    return (
        "("
        + record
        + "".join(
            f".{quote_identifier(name)}" + (f"[{index + 1}]" if index is not None else "") for name, index in steps
        )
        + ")"
    )


def databricks__explode_outer(ctx: MacroContext, items: str, alias: str) -> str:
    """In a SELECT list: one row per element of the list `items`, as columns `<alias>_pos` (from 0) and
    `<alias>`; one row of NULLs when the list is empty or missing. Alone with plain columns in its
    SELECT (one generator per SELECT on Databricks); filter and aggregate in an outer query."""
    return f"posexplode_outer({items}) AS ({alias}_pos, {alias})"


def duckdb__explode_outer(ctx: MacroContext, items: str, alias: str) -> str:
    # Two unnests in one SELECT list run side by side. In the SELECT list rather than a lateral
    # subquery in FROM: DuckDB turned that into a join keyed on every input row as soon as a filter
    # above it was pushed down, which made most silver statements several times slower.
    return (
        f"unnest(CASE WHEN len({items}) > 0 THEN range(len({items})) ELSE [NULL] END) AS {alias}_pos, "
        f"unnest(CASE WHEN len({items}) > 0 THEN {items} ELSE [NULL] END) AS {alias}"
    )


def databricks__tie_break_hash(ctx: MacroContext, value: str) -> str:
    """A deterministic number from a value, to order otherwise equal candidates (never stored)."""
    return f"xxhash64({value})"


def duckdb__tie_break_hash(ctx: MacroContext, value: str) -> str:
    # hash() reads the struct as it is; md5 of its text form first spelled the whole record out.
    return f"hash({value})"


def databricks__ordered_string_agg(ctx: MacroContext, value: str, separator: str, order_by: str) -> str:
    """An aggregate: the values of a group joined by separator, in the order of order_by."""
    return f"listagg({value}, {separator}) WITHIN GROUP (ORDER BY {order_by})"


def duckdb__ordered_string_agg(ctx: MacroContext, value: str, separator: str, order_by: str) -> str:
    return f"string_agg({value}, {separator} ORDER BY {order_by})"


# ---------------------------------------------------------------- keys and constraints


def databricks__identity_sequence(ctx: MacroContext, name: str) -> str:
    # Databricks identity columns need no separate object.
    return ""


def duckdb__identity_sequence(ctx: MacroContext, name: str) -> str:
    return f"CREATE SEQUENCE IF NOT EXISTS {name} START 1"


def databricks__identity_column(ctx: MacroContext, sequence: str) -> str:
    return "BIGINT GENERATED ALWAYS AS IDENTITY"


def duckdb__identity_column(ctx: MacroContext, sequence: str) -> str:
    # No DEFAULT nextval(...): DuckDB 1.5.5 cannot replay a WAL holding COMMENT ON COLUMN for a table
    # whose default calls a function (internal error on the next open after a crash). Inserts name
    # the column and take nextval explicitly through identity_insert_column / identity_insert_value.
    return "BIGINT NOT NULL"


def databricks__identity_insert_column(ctx: MacroContext, column: str) -> str:
    # Databricks fills GENERATED ALWAYS columns itself; an INSERT must not name them.
    return ""


def duckdb__identity_insert_column(ctx: MacroContext, column: str) -> str:
    return f"{column}, "


def databricks__identity_insert_value(ctx: MacroContext, sequence: str) -> str:
    return ""


def duckdb__identity_insert_value(ctx: MacroContext, sequence: str) -> str:
    # A sequence: unique, never reused, stable across incremental runs.
    return f"nextval({duckdb_string(sequence)}), "


def databricks__primary_key(ctx: MacroContext, name: str, columns: str, rely: bool = False) -> str:
    """Informational on Databricks. RELY lets the optimizer assume the key is unique (and, for instance,
    drop a GROUP BY key HAVING count(*) > 1 check); pass rely=True only where the engine itself makes
    the key unique (an identity column). Keys only the ETL keeps unique are NORELY, so the quality
    rules that look for duplicates still see them."""
    return f"CONSTRAINT {name} PRIMARY KEY ({columns}) {'RELY' if rely else 'NORELY'}"


def duckdb__primary_key(ctx: MacroContext, name: str, columns: str, rely: bool = False) -> str:
    # Enforced locally.
    return f"CONSTRAINT {name} PRIMARY KEY ({columns})"


def databricks__foreign_key(ctx: MacroContext, name: str, columns: str, parent: str, parent_columns: str) -> str:
    return f", CONSTRAINT {name} FOREIGN KEY ({columns}) REFERENCES {parent} ({parent_columns})"


def duckdb__foreign_key(ctx: MacroContext, name: str, columns: str, parent: str, parent_columns: str) -> str:
    # Not declared locally: DuckDB forbids updating a referenced row, which MERGE upserts need.
    # Orphans are found by the quality rules and the tests on both targets.
    return ""


def databricks__check_constraints(ctx: MacroContext, checks: dict[str, str]) -> str:
    # Databricks takes CHECK constraints only through ALTER TABLE (add_check_constraints).
    return ""


def duckdb__check_constraints(ctx: MacroContext, checks: dict[str, str]) -> str:
    """Inside CREATE TABLE: the table's CHECK constraints, each preceded by a comma."""
    return "".join(f",\n    CONSTRAINT {name} CHECK ({condition})" for name, condition in checks.items())


def databricks__add_check_constraints(ctx: MacroContext, table: str, checks: dict[str, str]) -> str:
    """After CREATE TABLE: (re)declare each CHECK constraint; safe to repeat. Adding one checks every
    existing row (a full scan on each deploy), and from then on one violating row fails the whole
    write (a MERGE included): docs/databricks.md says what that costs."""
    statements = []
    for name, condition in checks.items():
        statements.append(f"ALTER TABLE {table} DROP CONSTRAINT IF EXISTS {name}")
        statements.append(f"ALTER TABLE {table} ADD CONSTRAINT {name} CHECK ({condition})")
    return ";\n".join(statements)


def duckdb__add_check_constraints(ctx: MacroContext, table: str, checks: dict[str, str]) -> str:
    # Declared inside CREATE TABLE locally (DuckDB cannot add a CHECK to an existing table).
    return ""


# ---------------------------------------------------------------- calendar


def databricks__dates_between(ctx: MacroContext, first: str, last: str) -> str:
    """One row per day from first to last, both included (a generator in a SELECT list)."""
    return f"explode(sequence(CAST({first} AS DATE), CAST({last} AS DATE), INTERVAL 1 DAY))"


def duckdb__dates_between(ctx: MacroContext, first: str, last: str) -> str:
    return f"CAST(unnest(generate_series(CAST({first} AS DATE), CAST({last} AS DATE), INTERVAL 1 DAY)) AS DATE)"


_DATE_ATTRIBUTES = {
    # name: (Databricks, DuckDB)
    "month_name": ("date_format({d}, 'MMMM')", "monthname({d})"),
    "day_name": ("date_format({d}, 'EEEE')", "dayname({d})"),
    "iso_day_of_week": ("extract(DAYOFWEEK_ISO FROM {d})", "isodow({d})"),
    "iso_week": ("extract(WEEK FROM {d})", "weekofyear({d})"),
}


def _date_attribute(engine: int, day: str, attribute: str) -> str:
    if attribute not in _DATE_ATTRIBUTES:
        raise ValueError(f"date_attribute: unknown {attribute!r}; known: {', '.join(_DATE_ATTRIBUTES)}")
    return _DATE_ATTRIBUTES[attribute][engine].format(d=day)


def databricks__date_attribute(ctx: MacroContext, day: str, attribute: str) -> str:
    return _date_attribute(0, day, attribute)


def duckdb__date_attribute(ctx: MacroContext, day: str, attribute: str) -> str:
    return _date_attribute(1, day, attribute)


# ---------------------------------------------------------------- materialized views and maintenance


def _column_comments(name: str, columns: dict[str, tuple[str, str]], quote: Callable[[str], str]) -> list[str]:
    return [f"COMMENT ON COLUMN {name}.{column} IS {quote(text)}" for column, (_, text) in columns.items()]


def databricks__materialized_view(
    ctx: MacroContext, name: str, query: str, comment: str, columns: dict[str, tuple[str, str]]
) -> str:
    # Column comments go in the column list: a refresh re-runs the definition, and a COMMENT ON COLUMN
    # made after it is not part of the definition. The documented column list needs each column's type.
    ctx.materialized_views.append(name)
    column_list = ",\n".join(
        f"    {column} {kind} COMMENT {sql_string(text)}" for column, (kind, text) in columns.items()
    )
    head = f"CREATE OR REPLACE MATERIALIZED VIEW {name} (\n{column_list}\n)"
    return f"{head}\nCOMMENT {sql_string(comment)}\nAS {query.strip()}"


def duckdb__materialized_view(
    ctx: MacroContext, name: str, query: str, comment: str, columns: dict[str, tuple[str, str]]
) -> str:
    # A table with the view's columns; refresh_materialized_view fills it on every run. The
    # defining query is kept as a view beside it (<name>__definition) so the refresh and the tests
    # read the one definition.
    ctx.materialized_views.append(name)
    definition = f"{name}__definition"
    statements = [
        f"CREATE OR REPLACE VIEW {definition} AS {query.strip()}",
        f"CREATE OR REPLACE TABLE {name} AS SELECT * FROM {definition} WITH NO DATA",
        f"COMMENT ON TABLE {name} IS {duckdb_string(comment)}",
        *_column_comments(name, columns, duckdb_string),
    ]
    return ";\n".join(statements)


def databricks__refresh_materialized_view(ctx: MacroContext, name: str) -> str:
    # The documented form for the kind: REFRESH TABLE on a materialized view is checked by the server
    # (NON_STREAMING_TABLE / NON_MATERIALIZED_VIEW), whatever a linter accepts.
    return f"REFRESH MATERIALIZED VIEW {name}"


def duckdb__refresh_materialized_view(ctx: MacroContext, name: str) -> str:
    return f"DELETE FROM {name};\nINSERT INTO {name} SELECT * FROM {name}__definition"


def databricks__row_tracking(ctx: MacroContext) -> str:
    """Inside CREATE TABLE, after the column list: row tracking, which a materialized view reading the
    table needs to refresh incrementally (without it every refresh recomputes the whole view)."""
    return "\nTBLPROPERTIES ('delta.enableRowTracking' = 'true')"


def duckdb__row_tracking(ctx: MacroContext) -> str:
    return ""


def databricks__maintain_table(ctx: MacroContext, name: str, zorder: str, stats_columns: str) -> str:
    # Statements of their own, never inside a procedure body: the scripting reference does not list
    # OPTIMIZE or ANALYZE among the statements a compound statement may hold.
    # ANALYZE ... FOR ALL COLUMNS does not parse in sqlfluff 4.5; the listed columns do.
    return f"OPTIMIZE {name} ZORDER BY ({zorder});\nANALYZE TABLE {name} COMPUTE STATISTICS FOR COLUMNS {stats_columns}"


def duckdb__maintain_table(ctx: MacroContext, name: str, zorder: str, stats_columns: str) -> str:
    # The nearest DuckDB step: refresh the optimizer's statistics of the table.
    return f"ANALYZE {name}"


def databricks__string_map(ctx: MacroContext, key: str, value: str) -> str:
    """A MAP<STRING, STRING> of one entry, e.g. the MESSAGE_ARGUMENTS of SIGNAL USER_RAISED_EXCEPTION."""
    return f"map({sql_string(key)}, {value})"


def duckdb__string_map(ctx: MacroContext, key: str, value: str) -> str:
    # DuckDB's map() takes a list of keys and a list of values.
    return f"MAP {{{duckdb_string(key)}: CAST({value} AS VARCHAR)}}"


def databricks__add_missing_column(ctx: MacroContext, table: str, column: str, data_type: str) -> str:
    # ALTER TABLE ... ADD COLUMN has no IF NOT EXISTS on Databricks: a table created before the column
    # was declared is dropped by hand and deployed again (docs/data-model.md says which tables may be).
    return ""


def duckdb__add_missing_column(ctx: MacroContext, table: str, column: str, data_type: str) -> str:
    """After CREATE TABLE IF NOT EXISTS: a column a table created by an older version lacks."""
    return f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS {column} {data_type}"


# ---------------------------------------------------------------- quality


def databricks__kept_aside_records(ctx: MacroContext, bronze_schema: str, tables_with_id: list[str]) -> str:
    """The landed records kept out of silver, one row each: table_name, source_file, line_number,
    reason, kept_at.

    Databricks keeps every landed line in bronze (a malformed one as a row of NULLs, in read_files'
    PERMISSIVE mode) and silver skips the records without a usable id; those are the rows here. Rows
    with _rescued_data are not: the record loads and only its odd fields are set aside, as locally."""
    branches = [
        f"SELECT {sql_string(f'{bronze_schema}.{table}')} AS table_name, _source_file AS source_file, "
        "CAST(NULL AS BIGINT) AS line_number, "
        "'no usable id (missing, null or empty, or the line is not a JSON object): silver skips the record' "
        "AS reason, _ingestion_timestamp AS kept_at "
        f"FROM {bronze_schema}.{table} WHERE id IS NULL OR length(CAST(id AS STRING)) = 0"
        for table in tables_with_id
    ]
    return "(\n    " + "\n    UNION ALL\n    ".join(branches) + "\n)"


def duckdb__kept_aside_records(ctx: MacroContext, bronze_schema: str, tables_with_id: list[str]) -> str:
    # The local loader keeps every record it cannot load out of bronze, with its reason.
    return (
        "(SELECT table_name, source_file, line_number, error AS reason, quarantined_at AS kept_at "
        f"FROM {bronze_schema}._quarantine)"
    )


def macros_for(engine: str, ctx: MacroContext) -> dict[str, Callable[..., str]]:
    """The Jinja globals for one engine, each bound to the file's macro context."""
    module = sys.modules[__name__]
    bound: dict[str, Callable[..., str]] = {}
    for name in _MACRO_NAMES:
        implementation = getattr(module, f"{engine}__{name}")

        def call(*args: object, _impl: Callable[..., str] = implementation, **kwargs: object) -> str:
            return _impl(ctx, *args, **kwargs)

        bound[name] = call
    return bound
