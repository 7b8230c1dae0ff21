"""The guard between a language model's SQL and the warehouse: one read-only query over gold, with a row limit.

The SQL is Databricks SQL on both targets (the local one translates it when it runs). It is parsed
with sqlglot's Databricks grammar, the one the local translator reads (parse only, nothing runs):
exactly one query, no statement that writes anywhere in it, and every table it names is a gold
table (a CTE aside); table functions (`read_files(...)`, `range(...)`) and file paths are refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlglot import exp

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


_QUERIES = (exp.Select, exp.Union, exp.Intersect, exp.Except)
# Statements that change something; none may appear anywhere in the query.
_WRITES = (exp.Insert, exp.Update, exp.Delete, exp.Merge, exp.Create, exp.Drop, exp.Alter, exp.Command, exp.Copy,
           exp.TruncateTable, exp.Set)  # fmt: skip


def _parse(sql: str) -> exp.Expression:
    from dialect import NotSupportedLocally
    from dialect.translate import parse_statement

    try:
        return parse_statement(sql)
    except NotSupportedLocally as exc:
        raise RefusedSql(f"refused: not a single read-only query ({exc.construct}).") from exc


def _tables_read(tree: exp.Expression) -> list[tuple[str, str, str] | str]:
    """Each table the query reads as (catalog, schema, name), or the text of what is not a table."""
    ctes = {cte.alias_or_name.lower() for cte in tree.find_all(exp.CTE)}
    read: list[tuple[str, str, str] | str] = []
    for table in tree.find_all(exp.Table):
        if not isinstance(table.this, exp.Identifier):
            name = table.this.sql(dialect="databricks").split("(", 1)[0].lower()
            read.append(f"{name}()")
            continue
        catalog, schema, name = table.catalog, table.db, table.name
        if not catalog and not schema and name.lower() in ctes:
            continue
        read.append((catalog, schema, name))
    return read


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
    tree = _parse(sql)
    if not isinstance(tree, _QUERIES):
        raise RefusedSql(f"refused: only a read-only SELECT may run, not a {type(tree).__name__.upper()} statement.")
    writes = [node for node in tree.find_all(*_WRITES)]
    if writes:
        raise RefusedSql(f"refused: the query contains a {type(writes[0]).__name__.upper()} statement.")
    outside = []
    for item in _tables_read(tree):
        if isinstance(item, str):
            outside.append(item)
        elif not allowed.allows(*item):
            outside.append(".".join(part for part in item if part))
    if outside:
        raise RefusedSql(
            f"refused: the query reads {', '.join(sorted(set(outside)))}; only the gold tables "
            f"{', '.join(sorted(allowed.tables))} in {allowed.schema} may be read."
        )
    if tree.args.get("limit") is not None or tree.args.get("offset") is not None:
        # Keep the query's own LIMIT (and its ORDER BY) and cap it from outside.
        return f"SELECT * FROM (\n{sql}\n) AS answer\nLIMIT {row_limit}"
    return f"{sql}\nLIMIT {row_limit}"
