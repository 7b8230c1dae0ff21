"""The type checks Databricks makes before it runs a statement, where DuckDB would convert instead.

DuckDB compares a BOOLEAN with a number, or takes the larger of a number and a BOOLEAN; Databricks
rejects both with DATATYPE_MISMATCH. Where both types are known and Databricks would reject the mix,
the translation is refused with Databricks' error class. A STRING meets any scalar type: Databricks
casts it to the other type (failing at run time on a malformed value, as DuckDB does).
"""

from __future__ import annotations

from sqlglot import exp

from dialect.common import Context, spark_type
from dialect.errors import RejectedByDatabricks
from dialect.types import is_interval, is_numeric


def category(kind: str | None) -> str | None:
    if kind is None:
        return None
    if is_numeric(kind):
        return "numeric"
    if kind in ("DATE", "TIMESTAMP"):
        return "datetime"
    if is_interval(kind):
        return kind
    return {"VARCHAR": "string", "BOOLEAN": "boolean", "LIST": "array", "MAP": "map", "STRUCT": "struct",
            "BLOB": "binary"}.get(kind, kind)  # fmt: skip


_SPARK_NAMES = {"numeric": "a number", "datetime": "a DATE or TIMESTAMP", "string": "a STRING",
                "boolean": "a BOOLEAN", "array": "an ARRAY", "map": "a MAP", "struct": "a STRUCT",
                "binary": "a BINARY"}  # fmt: skip


def compatible(a: str | None, b: str | None) -> bool:
    ca, cb = category(a), category(b)
    if ca is None or cb is None or ca == cb:
        return True
    scalar = ("numeric", "datetime", "boolean", "string")
    return (ca == "string" and cb in scalar) or (cb == "string" and ca in scalar)


def check_same_kind(nodes: list[exp.Expression | None], ctx: Context, construct: str) -> None:
    """Refuse when two of the values (NULL literals aside) are of kinds Databricks does not mix."""
    kinds = [spark_type(n, ctx) for n in nodes if n is not None and not isinstance(n, exp.Null)]
    for i, left in enumerate(kinds):
        for right in kinds[i + 1 :]:
            if not compatible(left, right):
                raise RejectedByDatabricks(
                    "DATATYPE_MISMATCH",
                    f"{construct} of {_SPARK_NAMES.get(category(left), left)} and "
                    f"{_SPARK_NAMES.get(category(right), right)}",
                )


def check_operands(node: exp.Expression, ctx: Context) -> None:
    """Comparisons and the functions whose arguments must share a type."""
    if isinstance(node, (exp.EQ, exp.NEQ, exp.GT, exp.GTE, exp.LT, exp.LTE, exp.NullSafeEQ, exp.NullSafeNEQ,
                         exp.EqualNull)):  # fmt: skip
        check_same_kind([node.this, node.expression], ctx, "a comparison")
    elif isinstance(node, exp.In) and node.expressions:
        check_same_kind([node.this, *node.expressions], ctx, "IN")
    elif isinstance(node, exp.Between):
        check_same_kind([node.this, node.args.get("low"), node.args.get("high")], ctx, "BETWEEN")
    elif isinstance(node, (exp.Coalesce, exp.Greatest, exp.Least)):
        name = {exp.Coalesce: "coalesce", exp.Greatest: "greatest", exp.Least: "least"}[type(node)]
        check_same_kind([node.this, *node.expressions], ctx, f"{name}()")
    elif isinstance(node, exp.Nullif):
        check_same_kind([node.this, node.expression], ctx, "nullif()")
    elif isinstance(node, (exp.If, exp.Nvl2)):
        check_same_kind([node.args.get("true"), node.args.get("false")], ctx, "the branches of if()")
    elif isinstance(node, exp.Case):
        branches = [b.args.get("true") for b in node.args.get("ifs") or []]
        check_same_kind([*branches, node.args.get("default")], ctx, "the branches of CASE")
        subject = node.this
        if subject is not None:
            check_same_kind([subject, *[b.this for b in node.args.get("ifs") or []]], ctx, "CASE ... WHEN")
