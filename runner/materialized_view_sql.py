"""Read `CREATE OR REPLACE MATERIALIZED VIEW` and `REFRESH MATERIALIZED VIEW` statements.

Gold files hold the Databricks statements as they are sent. The local target keeps a materialized
view as a table beside a view of its definition (`<name>__definition`): creating it creates both,
with the comments of the statement; refreshing it refills the table from the view. One shape only:
a column list of `name TYPE COMMENT '...'`, an optional table COMMENT, then AS and the query.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from runner.errors import LakehouseError
from runner.macros import duckdb_string
from runner.splitter import strip_comments

_STRING = r"'((?:[^'\\]|\\.)*)'"
_HEAD = re.compile(r"\s*CREATE\s+OR\s+REPLACE\s+MATERIALIZED\s+VIEW\s+([\w.`]+)\s*", re.I)
_COLUMN = re.compile(r"\s*(\w+)\s+\w+(?:\([\d,\s]*\))?\s+COMMENT\s+" + _STRING + r"\s*(,|\))", re.I | re.S)
_COMMENT = re.compile(r"\s*COMMENT\s+" + _STRING + r"\s*", re.I | re.S)
_AS = re.compile(r"\s*AS\s", re.I)
_REFRESH = re.compile(r"\s*REFRESH\s+MATERIALIZED\s+VIEW\s+([\w.`]+)\s*$", re.I)


@dataclass(frozen=True)
class MaterializedView:
    name: str
    query: str
    comment: str
    columns: dict[str, str]  # name -> comment


def _unquote(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def is_materialized_view(sql: str) -> bool:
    return bool(_HEAD.match(strip_comments(sql)))


def refreshed_view(sql: str) -> str | None:
    """The name a `REFRESH MATERIALIZED VIEW` statement refreshes, else None."""
    match = _REFRESH.match(strip_comments(sql))
    return match.group(1) if match else None


def parse_materialized_view(sql: str) -> MaterializedView:
    """The name, column comments, comment and query of the statement; a clear error for other shapes."""
    text = strip_comments(sql)
    head = _HEAD.match(text)
    if head is None:
        raise LakehouseError("not a CREATE OR REPLACE MATERIALIZED VIEW statement")
    name, position = head.group(1), head.end()
    columns: dict[str, str] = {}
    if text.startswith("(", position):
        position += 1
        while column := _COLUMN.match(text, position):
            columns[column.group(1)] = _unquote(column.group(2))
            position = column.end()
            if column.group(3) == ")":
                break
        else:
            raise LakehouseError(f"{name}: the local target reads a column list of name TYPE COMMENT '...' only")
    comment = _COMMENT.match(text, position)
    if comment:
        position = comment.end()
    body = _AS.match(text, position)
    if body is None:
        raise LakehouseError(f"{name}: expected [COMMENT '...'] AS <query> after the column list")
    return MaterializedView(name, text[body.end() :].strip(), _unquote(comment.group(1)) if comment else "", columns)


def local_create(view: MaterializedView) -> list[str]:
    """The local statements: the defining view, the empty table, its comments."""
    name = view.name
    statements = [
        f"CREATE OR REPLACE VIEW {name}__definition AS {view.query}",
        f"CREATE OR REPLACE TABLE {name} AS SELECT * FROM {name}__definition WITH NO DATA",
    ]
    if view.comment:
        statements.append(f"COMMENT ON TABLE {name} IS {duckdb_string(view.comment)}")
    for column, text in view.columns.items():
        statements.append(f"COMMENT ON COLUMN {name}.{column} IS {duckdb_string(text)}")
    return statements


def local_refresh(name: str) -> list[str]:
    return [f"DELETE FROM {name}", f"INSERT INTO {name} SELECT * FROM {name}__definition"]
