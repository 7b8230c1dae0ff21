"""What every rewrite needs: the translation context, the Spark type of a node, and tree builders."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

import sqlglot
from sqlglot import exp
from sqlglot.dialects.duckdb import DuckDB

from dialect.errors import NotSupportedLocally, RejectedByDatabricks
from dialect.types import ColumnType, type_of

ExpressionT = TypeVar("ExpressionT", bound=exp.Expression)

DEFAULT_CATALOG = "main"


@dataclass
class Context:
    """What a translation needs to know about where the statement runs."""

    catalog: str = DEFAULT_CATALOG
    # The DuckDB type of a column of a lakehouse table (or of a variable), by lower-case name.
    column_type: ColumnType = field(default=lambda name: None)
    # The statement has a backquoted name somewhere (a JSON path key may be one).
    backticks: bool = False
    # Whether a table of the lakehouse may have a column of this lower-case name (unknown: it may).
    has_column: Callable[[str], bool] = field(default=lambda name: True)
    # The lower-case names of the script variables the statement may read.
    variables: frozenset[str] = frozenset()
    # A table's columns in order, (name, DuckDB type), by schema (None: the current one) and name; None
    # where there is no such table.
    table_columns: Callable[[str | None, str], list[tuple[str, str]] | None] = field(default=lambda schema, table: None)
    # The statement writes TIMESTAMP_NTZ somewhere: a TIMESTAMP of unknown origin may be one.
    mentions_ntz: bool = False
    _names: dict[str, str | None] = field(default_factory=dict)

    def columns_of(self, table: exp.Table) -> list[tuple[str, str]] | None:
        """The columns of a table of the local database, (lower-case name, DuckDB type) in order; None where
        it is not one."""
        found = self.table_columns(table.db or None, table.name)
        return [(name.lower(), kind) for name, kind in found] if found else None

    def type_of_name(self, name: str) -> str | None:
        if name in self._names:
            return self._names[name]
        return self.column_type(name)


def spark_type(node: exp.Expression, ctx: Context) -> str | None:
    """The Databricks type of a node (as a DuckDB type name), or None when the translator cannot tell."""
    return node.meta.get("spark_type") if "spark_type" in node.meta else type_of(node, ctx.type_of_name)


def arguments(node: exp.Expression, least: int, most: int | None = None) -> list[exp.Expression]:
    """The arguments of a function call, rejected as Databricks rejects them when there are fewer than
    `least` or more than `most` (default: exactly `least`)."""
    given = node.expressions
    if not least <= len(given) <= (least if most is None else most):
        name = node.name.lower() if isinstance(node, exp.Anonymous) else type(node).__name__.lower()
        raise RejectedByDatabricks("WRONG_NUM_ARGS.WITHOUT_SUGGESTION", f"{name} with {len(given)} arguments")
    return list(given)


def known_type(node: exp.Expression, ctx: Context, construct: str) -> str:
    """The Databricks type of a node whose rewrite depends on it; refused where the translator cannot tell."""
    kind = spark_type(node, ctx)
    if kind is None:
        raise NotSupportedLocally(f"{construct} of a value whose type is unknown", "CAST the argument to its type")
    return kind


def call(name: str, *args: exp.Expression) -> exp.Expression:
    return exp.Anonymous(this=name, expressions=list(args))


# DuckDB's dialect reading indexes as they are written, not shifted to count from 0 (see duck).
_TEMPLATE_DIALECT = DuckDB()
_TEMPLATE_DIALECT.INDEX_OFFSET = 0


def duck(template: str, **args: exp.Expression) -> exp.Expression:
    """A DuckDB expression from a template whose placeholders (`{x}`) are expressions.

    Array indexes are written as the template gives them: sqlglot would take an index it can type as
    an integer for one counted from 0 and add DuckDB's 1, so a placeholder filled with a literal or a
    CAST would pick the next element."""
    tree = sqlglot.parse_one(template.format(**{k: f"__arg_{k}" for k in args}), read=_TEMPLATE_DIALECT)
    for bracket in tree.find_all(exp.Bracket):
        bracket.set("offset", 1)  # counted from 1 already, as DuckDB counts

    def fill(n: exp.Expression) -> exp.Expression:
        if isinstance(n, exp.Column) and n.name.startswith("__arg_") and not n.table:
            return exp.Paren(this=args[n.name[len("__arg_") :]].copy())
        return n

    return tree.transform(fill)


def typed(node: ExpressionT, kind: str | None) -> ExpressionT:
    """Record the Databricks type of a rewritten node, for the rewrites of the nodes above it."""
    node.meta["spark_type"] = kind
    return node


def literal_string(node: exp.Expression | None) -> str | None:
    if isinstance(node, exp.Literal) and node.is_string:
        return node.this
    return None


def literal_int(node: exp.Expression | None) -> int | None:
    if isinstance(node, exp.Literal) and not node.is_string and re.fullmatch(r"-?\d+", node.this):
        return int(node.this)
    if isinstance(node, exp.Neg):
        inner = literal_int(node.this)
        return -inner if inner is not None else None
    if isinstance(node, exp.Paren):
        return literal_int(node.this)
    return None


def cast_to(value: exp.Expression, kind: str) -> exp.Cast:
    """CAST(value AS kind) in DuckDB's type names, always a new cast (sqlglot's exp.cast keeps an inner cast
    to a DECIMAL of another precision as it is)."""
    return exp.Cast(this=value, to=exp.DataType.build(kind, dialect="duckdb"))


def struct_literal_fields(struct: exp.Struct) -> list[tuple[str, exp.Expression]]:
    """The (name, value) pairs of a named_struct or struct literal, named as Databricks names them (an
    unnamed value that has no name of its own is col1, col2, ... by its place)."""
    fields = []
    for position, item in enumerate(struct.expressions, start=1):
        if isinstance(item, exp.PropertyEQ):
            fields.append((item.this.name, item.expression))
        elif isinstance(item, exp.Alias):
            fields.append((item.alias, item.this))
        else:
            fields.append((own_name(item) or f"col{position}", item))
    return fields


def own_name(value: exp.Expr) -> str | None:
    """The name Databricks gives a value left unnamed in struct(...) or arrays_zip(...): a column's (the
    last part of `t.c`), a field's (`s.f`, `s['f']`) or a map value's by its key written as a string
    (`m['k']`); None for anything else (`element_at(m, 'k')`, `a[0]`, a function)."""
    while isinstance(value, exp.Paren):
        value = value.this
    if isinstance(value, (exp.Column, exp.Dot)):
        return value.name
    if isinstance(value, exp.Bracket) and value.args.get("offset") is None and len(value.expressions) == 1:
        key = value.expressions[0]
        return key.name if isinstance(key, exp.Literal) and key.is_string else None
    return None


def lambda_of(body: exp.Expression, *parameters: str) -> exp.Lambda:
    """`parameter -> body` (or `(a, b) -> body`), DuckDB's lambda."""
    return exp.Lambda(this=body, expressions=[exp.to_identifier(p) for p in parameters])


def struct_field(name: str, value: exp.Expression) -> exp.PropertyEQ:
    """A field of a struct literal, `name := value`."""
    return exp.PropertyEQ(this=exp.to_identifier(name), expression=value)
