"""The guard of the read-only paths (`query`, `ask`): exactly one statement, parsed, and one that only reads.

What a user types is Databricks SQL, so it is parsed as Databricks SQL (sqlglot's databricks
dialect with Spark's operator precedence, dialect.translate.DatabricksSql) before anything is sent:
on Databricks this check is what stands between the text and the warehouse; on the local target the
engine checks again with DuckDB's own parser and runs the statement on a connection that cannot write
or reach files (runner.engines.duckdb_readonly).
"""

from __future__ import annotations

import logging
import re

import sqlglot
from sqlglot import exp

from dialect.translate import DatabricksSql
from runner.errors import LakehouseError, NotReadOnly, QuerySyntaxError
from runner.splitter import first_keyword, split_statements, strip_comments
from runner.sqlerrors import parse_error_message, unknown_statement

READ_ONLY_KEYWORDS = {"SELECT", "WITH", "SHOW", "DESCRIBE", "DESC", "EXPLAIN", "VALUES", "FROM", "TABLE"}
ACCEPTED = "Use SELECT, WITH, VALUES, TABLE, SHOW, DESCRIBE or EXPLAIN"
# Databricks' EXPLAIN modes; none of them runs the statement.
_EXPLAIN_MODES = {"EXTENDED", "CODEGEN", "COST", "FORMATTED"}
# `TABLE name` (the whole table): sqlglot does not read this documented form, so it is matched here.
_NAME_PART = r"(?:[A-Za-z_]\w*|`[^`]+`)"
_TABLE_STATEMENT = re.compile(rf"^\s*TABLE\s+{_NAME_PART}(?:\s*\.\s*{_NAME_PART}){{0,2}}\s*$", re.I)
# Functions that act outside the query: http_request calls out through a connection.
_SIDE_EFFECT_FUNCTIONS = {"HTTP_REQUEST"}
# Nodes that write, define or configure, wherever they sit in the tree (WITH ... INSERT, a MERGE).
_WRITING_NODES = (exp.DML, exp.DDL, exp.Command, exp.Set, exp.Copy, exp.Use, exp.Cache, exp.Uncache, exp.Refresh)


# sqlglot names a token by its repr; users read its text ("the end" for the end of the query).
_TOKEN = re.compile(r"<Token token_type: [^>]*?, text: (.*?), line: [^>]*>")


def _token_text(match: re.Match[str]) -> str:
    return "the end of the query" if match.group(1) == "SENTINEL" else repr(match.group(1))


def check_read_only(sql: str) -> str:
    """Return the single statement, or raise an error that says what `query` accepts."""
    try:
        statements = split_statements(sql)
    except ValueError as exc:
        raise QuerySyntaxError(f"Syntax error in the query: {exc}.") from exc
    if not statements:
        raise LakehouseError('The query is empty. Pass one SELECT statement, e.g. `query "SELECT 1"`.')
    if len(statements) > 1:
        raise LakehouseError(f"`query` runs one statement; got {len(statements)}. Pass them one at a time.")
    syntax = unknown_statement(statements[0].first_keyword)
    if syntax is not None:
        raise QuerySyntaxError(syntax)
    check_statement(statements[0].sql)
    return statements[0].sql


def check_statement(sql: str) -> None:
    """Raise unless `sql` (one Databricks SQL statement) only reads."""
    keyword = first_keyword(sql)
    if keyword == "SHOW":
        return  # SHOW lists metadata; the warehouse checks its syntax
    if keyword == "EXPLAIN":
        _check_explain(sql)
        return
    if keyword == "TABLE" and _TABLE_STATEMENT.match(strip_comments(sql)):
        return
    tree = _parse(sql)
    if isinstance(tree, exp.Describe):
        return
    if isinstance(tree, exp.Condition | exp.Alias) or tree is None:
        # A bare expression such as `FOO BAR`: no statement starts with that word.
        raise QuerySyntaxError(f"Syntax error in the query: no statement starts with {keyword or 'this'}. {ACCEPTED}.")
    writer = tree if isinstance(tree, _WRITING_NODES) else tree.find(*_WRITING_NODES)
    if not isinstance(tree, exp.Query | exp.Values) or writer is not None:
        what = _kind(writer or tree, keyword)
        article = "an" if what[:1] in "AEIOU" else "a"
        raise NotReadOnly(
            f"`query` only reads: {article} {what} statement can change data and is refused. {ACCEPTED}; change data "
            "through `deploy` and `run`, or `exec` a SQL file."
        )
    for function in tree.find_all(exp.Anonymous):
        if str(function.this).upper() in _SIDE_EFFECT_FUNCTIONS:
            raise NotReadOnly(f"`query` only reads: {function.this}() acts outside the lakehouse and is refused.")


def _check_explain(sql: str) -> None:
    body = strip_comments(sql).strip()
    rest = body[len("EXPLAIN") :].lstrip()
    word = first_keyword(rest)
    if word == "ANALYZE":
        raise NotReadOnly(
            "`query` only reads: EXPLAIN ANALYZE runs the statement it explains and is refused. "
            "Use EXPLAIN (or EXPLAIN FORMATTED) to see the plan."
        )
    if word in _EXPLAIN_MODES:
        rest = rest[len(word) :].lstrip()
    if first_keyword(rest) in ("EXPLAIN", "SHOW", "DESCRIBE", "DESC"):
        raise QuerySyntaxError(f"Syntax error in the query: EXPLAIN explains a query, not {first_keyword(rest)}.")
    check_statement(rest)


def _parse(sql: str) -> exp.Expr | None:
    # sqlglot logs a warning when it falls back to an opaque command; the kind check reports it.
    logger = logging.getLogger("sqlglot")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        return sqlglot.parse_one(sql, read=DatabricksSql, error_level=sqlglot.ErrorLevel.RAISE)
    except (sqlglot.errors.ParseError, sqlglot.errors.TokenError) as exc:
        raise QuerySyntaxError(parse_error_message(exc)) from None
    finally:
        logger.setLevel(level)


def _kind(node: exp.Expr, keyword: str) -> str:
    """The statement's kind in a user's words: `WITH ... INSERT`, `DELETE`, `OPTIMIZE`."""
    if isinstance(node, exp.Command):
        return str(node.this).upper() or keyword
    name = node.key.upper()
    if keyword in READ_ONLY_KEYWORDS and name != keyword:
        return f"{keyword} ... {name}"
    return name if name not in ("COMMAND", "") else keyword
