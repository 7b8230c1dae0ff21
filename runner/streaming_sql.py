"""Read a `CREATE OR REFRESH STREAMING TABLE ... FROM STREAM read_files(...)` statement.

Bronze files hold the Databricks statement as it is sent. The runner reads from it what the local
target needs to emulate the table (runner/local_streaming.py) and what a run refreshes: the table
name, the landing folder and the read_files options. The local target emulates one shape only: a
JSON folder read whole, with the three metadata columns below; any other shape is refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from runner.errors import LakehouseError
from runner.splitter import strip_comments

# The select list the local loader fills: every landed field, then where and when it was read.
SELECT_LIST = (
    "*",
    "_metadata.file_path AS _source_file",
    "current_timestamp() AS _ingestion_timestamp",
    "current_date() AS ingestion_date",
)
# Columns every bronze table carries besides the fields of the landed objects.
METADATA_COLUMNS = ("_rescued_data", "_source_file", "_ingestion_timestamp", "ingestion_date")

_STRING = r"'((?:[^'\\]|\\.)*)'"
_HEAD = re.compile(r"\s*CREATE\s+OR\s+REFRESH\s+STREAMING\s+TABLE\s+([\w.`]+)", re.I)
_COMMENT = re.compile(r"\bCOMMENT\s+" + _STRING, re.I | re.S)
_SELECT = re.compile(r"\bAS\s+SELECT\s+(.*?)\s+FROM\s+STREAM\s+read_files\s*\(", re.I | re.S)
_SOURCE = re.compile(r"\s*" + _STRING + r"\s*", re.S)
_OPTION = re.compile(r",\s*(\w+)\s*=>\s*" + _STRING + r"\s*", re.S)


@dataclass(frozen=True)
class StreamingTableSpec:
    """A bronze table fed incrementally from a landing folder, each file read exactly once."""

    name: str
    source: str
    comment: str
    options: dict[str, str] = field(default_factory=dict)

    @property
    def schema(self) -> str:
        """The read_files schema (a DDL column list), or '' when the statement infers one."""
        return self.options.get("schema", "")


def _unquote(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def is_streaming_table(sql: str) -> bool:
    return bool(_HEAD.match(strip_comments(sql)))


def parse_streaming_table(sql: str) -> StreamingTableSpec:
    """The table, folder and options of a streaming table statement; a clear error for other shapes."""
    text = strip_comments(sql)
    head = _HEAD.match(text)
    if head is None:
        raise LakehouseError("not a CREATE OR REFRESH STREAMING TABLE statement")
    name = head.group(1)
    select = _SELECT.search(text, head.end())
    if select is None:
        raise LakehouseError(f"{name}: the statement needs AS SELECT ... FROM STREAM read_files(...)")
    listed = tuple(" ".join(item.split()) for item in select.group(1).split(","))
    if listed != SELECT_LIST:
        raise LakehouseError(
            f"{name}: the local target reads a landing folder with the select list {', '.join(SELECT_LIST)} only; "
            f"this statement selects {', '.join(listed)}"
        )
    comment = _COMMENT.search(text[head.end() : select.start()])
    rest = text[select.end() :]
    source = _SOURCE.match(rest)
    if source is None:
        raise LakehouseError(f"{name}: read_files needs the landing folder as its first argument, a string")
    options: dict[str, str] = {}
    position = source.end()
    while option := _OPTION.match(rest, position):
        options[option.group(1)] = _unquote(option.group(2))
        position = option.end()
    if not rest[position:].lstrip().startswith(")"):
        raise LakehouseError(f"{name}: read_files takes string options (key => 'value') only")
    if options.get("format", "").lower() != "json":
        raise LakehouseError(f"{name}: the local target reads read_files format => 'json' only")
    return StreamingTableSpec(name, _unquote(source.group(1)), _unquote(comment.group(1)) if comment else "", options)
