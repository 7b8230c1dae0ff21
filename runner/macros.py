"""The per-engine SQL macros: one name per concept, one implementation per engine.

SQL files are written as Databricks SQL. Where DuckDB means something else, the file calls one of
these macros and the target picks `databricks__<name>` or `duckdb__<name>` (dbt's convention).
Keep this set small and named for what it means; never branch on the target inside SQL files.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field

_MACRO_NAMES = ("create_schema", "landing_volume", "streaming_table")


def sql_string(value: str) -> str:
    """A SQL string literal for text written in this repository's SQL files."""
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def duckdb_string(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


@dataclass(frozen=True)
class StreamingTableSpec:
    """A bronze table fed incrementally from a landing folder, each file read exactly once."""

    name: str
    source: str
    comment: str


@dataclass
class MacroContext:
    """What the macros of one file declared while it rendered."""

    streaming_tables: list[StreamingTableSpec] = field(default_factory=list)


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

# Columns every bronze table carries besides the fields of the landed objects.
METADATA_COLUMNS = ("_rescued_data", "_source_file", "_ingestion_timestamp", "ingestion_date")


def databricks__streaming_table(
    ctx: MacroContext, name: str, source: str, comment: str, cluster_by: str = "ingestion_date"
) -> str:
    ctx.streaming_tables.append(StreamingTableSpec(name, source, comment))
    return "\n".join(
        [
            f"CREATE OR REFRESH STREAMING TABLE {name}",
            f"CLUSTER BY ({cluster_by})",
            f"COMMENT {sql_string(comment)}",
            "AS SELECT",
            "    *,",
            "    _metadata.file_path AS _source_file,",
            "    current_timestamp() AS _ingestion_timestamp,",
            "    current_date() AS ingestion_date",
            "FROM STREAM read_files(",
            f"    {sql_string(source)},",
            "    format => 'json',",
            "    schemaEvolutionMode => 'addNewColumns',",
            "    rescuedDataColumn => '_rescued_data'",
            ")",
        ]
    )


def duckdb__streaming_table(
    ctx: MacroContext, name: str, source: str, comment: str, cluster_by: str = "ingestion_date"
) -> str:
    # The columns of the landed objects are added by the runner's incremental loader as it first
    # sees them (runner/local_streaming.py), the local meaning of read_files schema evolution.
    ctx.streaming_tables.append(StreamingTableSpec(name, source, comment))
    return (
        f"CREATE TABLE IF NOT EXISTS {name} (\n"
        "    _rescued_data JSON,\n"
        "    _source_file VARCHAR NOT NULL,\n"
        "    _ingestion_timestamp TIMESTAMP WITH TIME ZONE NOT NULL,\n"
        "    ingestion_date DATE NOT NULL\n"
        ");\n"
        f"COMMENT ON TABLE {name} IS {duckdb_string(comment)}"
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
