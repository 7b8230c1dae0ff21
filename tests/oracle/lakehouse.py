"""The same lakehouse on both engines: the offline sample built locally, then its tables loaded into Spark.

The local target builds the lakehouse as a user's `runner run` does (a copy of the session's sample).
Spark gets identical data under the names the databricks target renders (catalog `spark_catalog`,
Spark's session catalog):

- bronze: what Databricks' `read_files` would hold, not the local JSON columns. Spark's JSON reader
  infers typed columns from the landed NDJSON files, and each row keeps the `_source_file` and
  `_ingestion_timestamp` the local bronze row of the same file has.
- silver and gold: the local tables exported to Parquet. TIMESTAMP columns (local wall time in UTC)
  are written as instants, so Spark reads them as TIMESTAMP, the type the databricks DDL declares.
- views: created on Spark from the databricks rendering of their SQL file.

Every watermark in silver.load_state is removed first, on both sides, so each incremental query
reads everything landed: the answer of a first load, where every row takes part.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb

from runner.config import Target, load_target
from runner.engines.base import QueryResult
from runner.engines.duckdb_engine import DuckDBEngine
from runner.splitter import strip_comments

SPARK_CATALOG = "spark_catalog"
BRONZE_ENTITIES = ("events", "venues", "attractions", "classifications")


@contextlib.contextmanager
def environment(**values: str | None) -> Iterator[None]:
    saved = {key: os.environ.get(key) for key in values}
    try:
        for key, value in values.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def databricks_target(bronze_schema: str | None = None) -> Target:
    """The databricks target with its catalog set to Spark's session catalog (and another bronze schema)."""
    with environment(LAKEHOUSE_CATALOG=SPARK_CATALOG, LAKEHOUSE_SETTINGS=None, LAKEHOUSE_BRONZE_SCHEMA=bronze_schema):
        return load_target("databricks")


def first_load_of(data_dir: Path) -> Target:
    """A copy of the built offline sample (`runner run`: every layer, the quality step) with no watermark."""
    target = load_target("local", data_dir=data_dir)
    engine = DuckDBEngine(target)
    try:
        engine.execute("DELETE FROM silver.load_state")
    finally:
        engine.close()
    return target


class SparkEngine:
    """The runner's engine interface over a Spark session, for code that takes an engine."""

    dialect = "databricks"

    def __init__(self, spark: Any):
        self.spark = spark

    def execute(self, sql: str, params: Any = None, *, origin: str | None = None, line: int = 1) -> QueryResult:
        frame = self.spark.sql(sql, args=list(params)) if params else self.spark.sql(sql)
        return QueryResult(list(frame.columns), [tuple(row) for row in frame.collect()])

    def close(self) -> None:
        pass


def landed_files(connection: Any) -> dict[str, list[tuple]]:
    """Each landed file of each entity with the lineage the local bronze gave its rows."""
    return {
        entity: connection.execute(
            f"SELECT DISTINCT _source_file, _ingestion_timestamp, ingestion_date FROM bronze.{entity}_raw"
        ).fetchall()
        for entity in BRONZE_ENTITIES
    }


def _parquet_select(connection: Any, table: str) -> str:
    columns = connection.execute(
        "SELECT column_name, data_type FROM information_schema.columns "
        "WHERE table_schema = ? AND table_name = ? ORDER BY ordinal_position",
        table.split("."),
    ).fetchall()
    parts = []
    for name, data_type in columns:
        quoted = '"' + name.replace('"', '""') + '"'
        if data_type == "TIMESTAMP":
            parts.append(f"CAST({quoted} AS TIMESTAMPTZ) AS {quoted}")
        elif data_type == "JSON":
            parts.append(f"CAST({quoted} AS VARCHAR) AS {quoted}")
        else:
            parts.append(quoted)
    return f"SELECT {', '.join(parts)} FROM {table}"


def load_into_spark(spark: Any, local: Target, databricks: Target, export_dir: Path) -> dict[str, list[tuple]]:
    """Register every silver and gold table, the bronze tables and the gold views in Spark; return the
    landed files with their lineage (see landed_files)."""
    from runner.project import compile_project

    export_dir.mkdir(parents=True, exist_ok=True)
    for layer in ("bronze", "silver", "gold"):
        spark.sql(f"CREATE SCHEMA IF NOT EXISTS {databricks.schema(layer)}")
    # A plain read-only connection: the engine's read-only one refuses file access, and this writes parquet.
    connection = duckdb.connect(str(local.database_path), read_only=True)
    try:
        connection.execute("SET TimeZone = 'UTC'")
        tables = connection.execute(
            "SELECT table_schema || '.' || table_name FROM information_schema.tables "
            "WHERE table_schema IN ('silver', 'gold') AND table_type = 'BASE TABLE' ORDER BY 1"
        ).fetchall()
        for (table,) in tables:
            path = export_dir / f"{table}.parquet"
            connection.execute(f"COPY ({_parquet_select(connection, table)}) TO '{path}' (FORMAT parquet)")
            layer, name = table.split(".")
            spark.sql(f"CREATE TABLE {databricks.qualify(layer, name)} USING parquet LOCATION '{path}'")
        files = landed_files(connection)
    finally:
        connection.close()
    load_bronze(spark, databricks, files, export_dir / "bronze", read_files_options(databricks))
    for obj in compile_project(databricks, "gold"):
        for statement in obj.deploy:
            if " ".join(strip_comments(statement.sql).split()[:4]).upper() == "CREATE OR REPLACE VIEW":
                spark.sql(statement.sql)
    return files


def load_bronze(spark: Any, databricks: Target, files: dict, export_dir: Path, options: dict) -> None:
    """The bronze tables of the databricks target from the landed files, each row with the lineage of
    its local bronze row (files: entity -> [(source file, ingestion timestamp, ingestion date)])."""
    from pyspark.sql import functions as F
    from pyspark.sql.types import DateType, StringType, StructField, StructType, TimestampType

    lineage_schema = StructType(
        [
            StructField("_path", StringType(), False),
            StructField("_source_file", StringType(), False),
            StructField("_ingestion_timestamp", TimestampType(), False),
            StructField("ingestion_date", DateType(), False),
        ]
    )
    spark.sql(f"CREATE SCHEMA IF NOT EXISTS {databricks.schema('bronze')}")
    for entity, landed in files.items():
        lineage = spark.createDataFrame([(source, source, ts, day) for source, ts, day in landed], lineage_schema)
        paths = [source for source, _, _ in landed]
        rows = (
            read_landed_json(spark, paths, options.get(f"{entity}_raw", {}))
            .withColumn("_path", F.regexp_replace(F.col("_metadata.file_path"), "^file:/*", "/"))
            .join(lineage, "_path")
            .drop("_path")
            .withColumn("_rescued_data", F.lit(None).cast(StringType()))
        )
        path = export_dir / f"{entity}_raw.parquet"
        rows.write.parquet(str(path))
        spark.sql(f"CREATE TABLE {databricks.qualify('bronze', entity + '_raw')} USING parquet LOCATION '{path}'")


# What silver reads of each bronze table (sql/macros/landed_objects.jinja): with these as schema hints a
# bronze table has a column, and a field, for everything silver reads, landed yet or not.
SILVER_SHAPES = {
    "events_raw": "landed_event_schema",
    "venues_raw": "venue_schema",
    "attractions_raw": "attraction_schema",
    "classifications_raw": "tree_schema",
}


def silver_shape_hints(databricks: Target) -> dict[str, dict[str, str]]:
    """schemaHints for each bronze table naming every field silver reads, with its declared type."""
    from runner.project import Renderer

    lines = "\n".join(
        f"{table}|{{% for key, shape in {shape}.items() %}}`{{{{ key }}}}` {{{{ declared_type(shape) }}}}"
        "{{ ', ' if not loop.last }}{% endfor %}"
        for table, shape in SILVER_SHAPES.items()
    )
    rendered = Renderer(databricks).render_text(lines, "silver shapes")[0].sql
    return {
        table: {"schemaHints": hints} for table, hints in (line.split("|", 1) for line in rendered.strip().splitlines())
    }


_OPTION = re.compile(r"(\w+)\s*=>\s*'((?:[^'\\]|\\.)*)'")


def read_files_options(databricks: Target) -> dict[str, dict[str, str]]:
    """The string options of each bronze table's read_files call, by table name (e.g. schemaHints)."""
    from runner.project import compile_project

    found: dict[str, dict[str, str]] = {}
    for obj in compile_project(databricks, "bronze"):
        for spec in obj.streaming_tables:
            statement = next(s.sql for s in obj.deploy if "read_files" in s.sql)
            call = statement.split("read_files", 1)[1]
            options = {key: re.sub(r"\\(.)", r"\1", value) for key, value in _OPTION.findall(call)}
            found[spec.name.rsplit(".", 1)[1]] = options
    return found


def read_landed_json(spark: Any, paths: list[str], options: dict[str, str]) -> Any:
    """The landed files as read_files would read them: its schema when given, else the inferred one
    with the schema hints laid over it (a hint names a column or a nested field, dotted)."""
    from pyspark.sql.types import StructType

    reader = spark.read
    if options.get("schema"):
        return reader.schema(StructType.fromDDL(options["schema"])).json(paths)
    inferred = reader.json(paths)
    hints = options.get("schemaHints")
    if not hints:
        return inferred
    schema = inferred.schema
    for path, type_text in parse_hints(hints):
        schema = with_field(schema, path, _data_type(type_text))
    return spark.read.schema(schema).json(paths)


def parse_hints(hints: str) -> list[tuple[list[str], str]]:
    """`a STRING, b.c STRUCT<x: INT, y: STRING>` as ([path], type) pairs."""
    entries, depth, start = [], 0, 0
    for index, char in enumerate(hints + ","):
        if char in "<(":
            depth += 1
        elif char in ">)":
            depth -= 1
        elif char == "," and depth == 0:
            entry = hints[start:index].strip()
            if entry:
                name, type_text = entry.split(None, 1)
                entries.append(([part.strip("`") for part in name.split(".")], type_text.strip()))
            start = index + 1
    return entries


def _data_type(type_text: str) -> Any:
    from pyspark.sql.types import StructType

    return StructType.fromDDL(f"value {type_text}")["value"].dataType


def with_field(schema: Any, path: list[str], data_type: Any) -> Any:
    """The struct type with the field at path set to data_type (added when missing); `element` steps
    into an array."""
    from pyspark.sql.types import ArrayType, StructField, StructType

    if isinstance(schema, ArrayType):
        steps = path[1:] if path[0] == "element" else path
        inner = with_field(schema.elementType, steps, data_type) if steps else data_type
        return ArrayType(inner, schema.containsNull)
    head, rest = path[0], path[1:]
    fields = list(schema.fields)
    position = next((i for i, f in enumerate(fields) if f.name.lower() == head.lower()), None)
    current = fields[position].dataType if position is not None else StructType([])
    if rest and not isinstance(current, StructType | ArrayType):
        current = StructType([])
    new_type = with_field(current, rest, data_type) if rest else data_type
    if position is None:
        fields.append(StructField(head, new_type, True))
    else:
        fields[position] = StructField(fields[position].name, new_type, True)
    return StructType(fields)
