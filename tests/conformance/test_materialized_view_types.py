"""The column list of each materialized view declares the types its query gives, as Spark computes them.

sql/language-manual/sql-ref-syntax-ddl-create-materialized-view: the column list is `column_name
column_type ...`; a declared type that is not the query's would be cast or refused. Spark (the
open-source core of the Databricks Runtime) resolves each view's query over empty gold tables with
the columns gold declares, and the declared types must equal its answer.
"""

from __future__ import annotations

import dataclasses
import re

import pytest

from runner.config import load_target
from runner.project import compile_project
from runner.splitter import strip_comments

# Schemas of their own, so the Spark session the other oracle tests share keeps its gold as it was.
SCHEMAS = {"bronze": "mv_types_bronze", "silver": "mv_types_silver", "gold": "mv_types_gold"}


@pytest.fixture(scope="module")
def unqualified():
    """The databricks target without a catalog, so names are schema.table as Spark's session catalog has them."""
    target = dataclasses.replace(load_target("databricks"), catalog=None, schemas=SCHEMAS)
    return compile_project(target)


def _table_columns(sql: str) -> list[tuple[str, str]]:
    columns = []
    for line in sql.splitlines()[1:]:
        match = re.match(r"\s+(\w+) ([A-Z]+(?:\(\d+(?:,\s*\d+)?\))?)", line)
        if not match or match.group(1) == "CONSTRAINT":
            break
        columns.append((match.group(1), match.group(2)))
    return columns


def test_declared_view_column_types_are_the_query_types(spark, unqualified):
    spark.sql(f"CREATE DATABASE IF NOT EXISTS {SCHEMAS['gold']}")
    try:
        _check_views(spark, unqualified)
    finally:
        spark.sql(f"DROP DATABASE IF EXISTS {SCHEMAS['gold']} CASCADE")


def _check_views(spark, unqualified) -> None:
    views = []
    for obj in unqualified:
        for statement in obj.deploy:
            text = strip_comments(statement.sql).strip()
            if obj.file.layer == "gold" and text.startswith(f"CREATE TABLE IF NOT EXISTS {SCHEMAS['gold']}."):
                name = text.split()[5]
                columns = ", ".join(f"{c} {t}" for c, t in _table_columns(text))
                spark.sql(f"CREATE TABLE IF NOT EXISTS {name} ({columns}) USING parquet")
            if text.startswith("CREATE OR REPLACE MATERIALIZED VIEW"):
                views.append(text)
    assert len(views) == 3
    for view in views:
        head, query = view.split("\nAS ", 1)
        declared = re.findall(r"^\s+(\w+) (\w+) COMMENT '", head, re.M)
        schema = spark.sql(query).schema
        computed = [(f.name, f.dataType.simpleString().upper()) for f in schema.fields]
        spelled = [(name, {"INTEGER": "INT"}.get(kind, kind)) for name, kind in computed]
        assert declared == spelled, head.splitlines()[0]
