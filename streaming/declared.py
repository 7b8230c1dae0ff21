"""The columns a read_files schema declares, as a local bronze table holds them.

On Databricks a streaming table over read_files with a `schema` option has exactly the declared
columns, typed, and each landed object is parsed into them as it is read. The local table does the
same for the declared keys, so silver reads plain structs and lists on both targets and the JSON is
parsed once, in bronze. A declared value that does not fit its shape (a string where an object is
declared) reads as NULL there, field by field, as DuckDB's from_json reads it.

The schema is the DDL text the project's read_files_schema macro writes: `name` TYPE pairs where a
type is STRING, STRUCT<`field`: TYPE, ...> or ARRAY<TYPE>. Other types are refused with a clear error.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from runner.errors import LakehouseError
from runner.identifiers import quote_identifier

# A shape: "STRING", a dict of field name -> shape (a struct), or a one-item list (an array of it).
Shape = str | dict | list

_TOKEN = re.compile(r"\s*(`(?:[^`]|``)*`|[A-Za-z_]\w*|[<>:,])")


@dataclass(frozen=True)
class DeclaredColumn:
    name: str
    shape: Shape

    @property
    def duckdb_type(self) -> str:
        return _duckdb_type(self.shape)

    def parsed(self, json_value: str) -> str:
        """SQL reading a JSON value (an expression of type JSON) into this column's type."""
        structure = json.dumps(_structure(self.shape), separators=(",", ":")).replace("'", "''")
        return f"from_json({json_value}, '{structure}')"


def declared_columns(ddl: str, table: str) -> list[DeclaredColumn]:
    """The columns of a read_files schema, in order; '' (no schema) declares none."""
    tokens = _tokens(ddl, table)
    columns: list[DeclaredColumn] = []
    position = 0
    while tokens:
        name, position = _name(tokens, position, table)
        shape, position = _shape(tokens, position, table)
        columns.append(DeclaredColumn(name, shape))
        if position == len(tokens):
            break
        position = _expect(tokens, position, ",", table)
    seen = [c.name.lower() for c in columns]
    if len(set(seen)) != len(seen):
        raise LakehouseError(f"{table}: the read_files schema declares a column twice")
    return columns


def _tokens(ddl: str, table: str) -> list[str]:
    tokens, position = [], 0
    while position < len(ddl.rstrip()):
        match = _TOKEN.match(ddl, position)
        if match is None:
            raise LakehouseError(f"{table}: cannot read the read_files schema at {ddl[position : position + 30]!r}")
        tokens.append(match.group(1))
        position = match.end()
    return tokens


def _name(tokens: list[str], position: int, table: str) -> tuple[str, int]:
    if position >= len(tokens) or tokens[position] in ("<", ">", ":", ","):
        raise LakehouseError(f"{table}: the read_files schema needs a name where it has {_at(tokens, position)}")
    token = tokens[position]
    name = token[1:-1].replace("``", "`") if token.startswith("`") else token
    return name, position + 1


def _shape(tokens: list[str], position: int, table: str) -> tuple[Shape, int]:
    kind = tokens[position].upper() if position < len(tokens) else ""
    if kind == "STRING":
        return "STRING", position + 1
    if kind == "ARRAY":
        position = _expect(tokens, position + 1, "<", table)
        item, position = _shape(tokens, position, table)
        return [item], _expect(tokens, position, ">", table)
    if kind == "STRUCT":
        position = _expect(tokens, position + 1, "<", table)
        fields: dict[str, Shape] = {}
        while True:
            name, position = _name(tokens, position, table)
            position = _expect(tokens, position, ":", table)
            fields[name], position = _shape(tokens, position, table)
            if _at(tokens, position) != ",":
                return fields, _expect(tokens, position, ">", table)
            position += 1
    raise LakehouseError(
        f"{table}: the local target reads read_files schemas of STRING, STRUCT and ARRAY only; "
        f"found {_at(tokens, position)}. Declare the field as STRING and cast it in silver."
    )


def _expect(tokens: list[str], position: int, token: str, table: str) -> int:
    if _at(tokens, position) != token:
        raise LakehouseError(f"{table}: the read_files schema has {_at(tokens, position)} where {token!r} belongs")
    return position + 1


def _at(tokens: list[str], position: int) -> str:
    return tokens[position] if position < len(tokens) else "the end"


def _duckdb_type(shape: Shape) -> str:
    if isinstance(shape, dict):
        fields = ", ".join(f"{quote_identifier(name)} {_duckdb_type(sub)}" for name, sub in shape.items())
        return f"STRUCT({fields})"
    if isinstance(shape, list):
        return f"{_duckdb_type(shape[0])}[]"
    return "VARCHAR"


def _structure(shape: Shape) -> object:
    """The structure DuckDB's from_json parses into: leaves read as text."""
    if isinstance(shape, dict):
        return {name: _structure(sub) for name, sub in shape.items()}
    if isinstance(shape, list):
        return [_structure(shape[0])]
    return "VARCHAR"
