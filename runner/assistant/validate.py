"""The guard between a language model's SQL and the warehouse: one read-only query over gold, with a row limit.

The SQL is parsed with DuckDB's parser (parse only, nothing runs): it turns exactly one SELECT into
a syntax tree and refuses everything else, and the tree names every table the query reads. The
same check serves the Databricks target; SQL that DuckDB's parser cannot read is refused there too,
which errs on the safe side.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass

import duckdb

from runner.errors import LakehouseError
from runner.splitter import split_statements

DEFAULT_ROW_LIMIT = 200
_FENCE = re.compile(r"```(?:sql)?\s*(.*?)```", re.DOTALL | re.IGNORECASE)


class RefusedSql(LakehouseError):
    """The SQL was not run: it could write, reads outside gold, or is not one query."""


@dataclass(frozen=True)
class AllowedTables:
    """The gold tables a generated query may read, and the names they may be written with."""

    schema: str  # the gold schema as it is spelled on the target, e.g. gold or main.gold
    tables: frozenset[str]

    def allows(self, catalog: str, schema: str, table: str) -> bool:
        parts = self.schema.lower().split(".")
        wanted_catalog, wanted_schema = (parts[0], parts[1]) if len(parts) == 2 else ("", parts[0])
        if catalog and catalog.lower() != wanted_catalog:
            return False
        return schema.lower() == wanted_schema and table.lower() in self.tables


def extract_sql(reply: str) -> str:
    """The SQL of a model reply: the first fenced block, else the whole reply."""
    match = _FENCE.search(reply)
    return (match.group(1) if match else reply).strip()


def _nodes(tree: object) -> Iterator[dict]:
    if isinstance(tree, dict):
        yield tree
        for value in tree.values():
            yield from _nodes(value)
    elif isinstance(tree, list):
        for value in tree:
            yield from _nodes(value)


def _cte_names(tree: object) -> set[str]:
    names = set()
    for node in _nodes(tree):
        cte_map = node.get("cte_map")
        if isinstance(cte_map, dict):
            names.update(entry["key"].lower() for entry in cte_map.get("map", []))
    return names


def validate_query(sql: str, allowed: AllowedTables, row_limit: int = DEFAULT_ROW_LIMIT) -> str:
    """Return the query with a row limit, or raise RefusedSql saying why it will not run."""
    sql = sql.strip().rstrip(";").strip()
    try:
        statements = split_statements(sql)
    except ValueError as exc:
        raise RefusedSql(f"refused: the SQL cannot be read ({exc}).") from exc
    if len(statements) != 1:
        raise RefusedSql(f"refused: exactly one statement may run, the SQL has {len(statements)}.")
    keyword = statements[0].first_keyword
    if keyword not in ("SELECT", "WITH"):
        raise RefusedSql(f"refused: only a read-only SELECT may run, not a {keyword} statement.")
    with duckdb.connect() as parser:
        parsed = json.loads(parser.execute("SELECT json_serialize_sql(?)", [sql]).fetchone()[0])
    if parsed.get("error"):
        raise RefusedSql(f"refused: not a single read-only query ({parsed.get('error_message', 'parse error')}).")
    tree = parsed["statements"]
    if len(tree) != 1:
        raise RefusedSql(f"refused: exactly one statement may run, the SQL has {len(tree)}.")
    ctes = _cte_names(tree)
    outside = []
    for node in _nodes(tree):
        kind = node.get("type")
        if kind == "TABLE_FUNCTION":
            outside.append(f"{node['function'].get('function_name', 'a table function')}()")
        elif kind == "BASE_TABLE":
            catalog, schema, table = node["catalog_name"], node["schema_name"], node["table_name"]
            if not catalog and not schema and table.lower() in ctes:
                continue
            if not allowed.allows(catalog, schema, table):
                outside.append(".".join(part for part in (catalog, schema, table) if part))
    if outside:
        raise RefusedSql(
            f"refused: the query reads {', '.join(sorted(set(outside)))}; only the gold tables "
            f"{', '.join(sorted(allowed.tables))} in {allowed.schema} may be read."
        )
    top = tree[0]["node"]
    if any(m.get("type") == "LIMIT_MODIFIER" for m in top.get("modifiers", [])):
        # Keep the query's own LIMIT (and its ORDER BY) and cap it from outside.
        return f"SELECT * FROM (\n{sql}\n) AS answer\nLIMIT {row_limit}"
    return f"{sql}\nLIMIT {row_limit}"
