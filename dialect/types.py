"""The Databricks type of an expression, where the translator can tell it without running anything.

Types are DuckDB type names (`INTEGER`, `DECIMAL(5,1)`, `DATE`, ...). `None` means unknown: a
translation whose meaning depends on the type then checks it at run time or refuses.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlglot import exp

ColumnType = Callable[[str], "str | None"]

INTEGRAL = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT")
_INT_DECIMAL = {"TINYINT": (3, 0), "SMALLINT": (5, 0), "INTEGER": (10, 0), "BIGINT": (20, 0), "HUGEINT": (38, 0)}

_TYPE_NAMES = {
    exp.DataType.Type.TINYINT: "TINYINT",
    exp.DataType.Type.SMALLINT: "SMALLINT",
    exp.DataType.Type.INT: "INTEGER",
    exp.DataType.Type.BIGINT: "BIGINT",
    exp.DataType.Type.DOUBLE: "DOUBLE",
    exp.DataType.Type.FLOAT: "FLOAT",
    exp.DataType.Type.VARCHAR: "VARCHAR",
    exp.DataType.Type.TEXT: "VARCHAR",
    exp.DataType.Type.CHAR: "VARCHAR",
    exp.DataType.Type.DATE: "DATE",
    exp.DataType.Type.TIMESTAMP: "TIMESTAMP",
    exp.DataType.Type.TIMESTAMPTZ: "TIMESTAMP",
    exp.DataType.Type.TIMESTAMPLTZ: "TIMESTAMP",
    exp.DataType.Type.TIMESTAMPNTZ: "TIMESTAMP",
    exp.DataType.Type.DATETIME: "TIMESTAMP",
    exp.DataType.Type.BOOLEAN: "BOOLEAN",
    exp.DataType.Type.BINARY: "BLOB",
    exp.DataType.Type.VARBINARY: "BLOB",
}


def is_integral(t: str | None) -> bool:
    return t in INTEGRAL


def is_decimal(t: str | None) -> bool:
    return bool(t) and t.startswith("DECIMAL")  # type: ignore[union-attr]


def is_fractional(t: str | None) -> bool:
    return t in ("DOUBLE", "FLOAT") or is_decimal(t)


def is_numeric(t: str | None) -> bool:
    return is_integral(t) or is_fractional(t)


def decimal_parts(t: str) -> tuple[int, int]:
    if t in _INT_DECIMAL:
        return _INT_DECIMAL[t]
    inside = t[t.index("(") + 1 : -1]
    precision, scale = (int(p) for p in inside.split(","))
    return precision, scale


def data_type_name(data_type: exp.DataType) -> str | None:
    """The DuckDB name of a Databricks data type as parsed, or None when it has no verified meaning."""
    kind = data_type.this
    if kind == exp.DataType.Type.DECIMAL:
        params = [p.this.this if isinstance(p.this, exp.Literal) else p.name for p in data_type.expressions]
        precision = int(params[0]) if params else 10
        scale = int(params[1]) if len(params) > 1 else 0
        return f"DECIMAL({precision},{scale})"
    return _TYPE_NAMES.get(kind)


def _literal_type(node: exp.Literal) -> str:
    if node.is_string:
        return "VARCHAR"
    text = node.this
    if "e" in text.lower():
        return "DOUBLE"
    if "." in text:
        digits = text.replace("-", "").replace("+", "")
        whole, _, fraction = digits.partition(".")
        whole = whole.lstrip("0")
        scale = len(fraction)
        precision = max(len(whole) + scale, scale, 1)
        return f"DECIMAL({precision},{scale})"
    value = int(text)
    if -(2**31) <= value < 2**31:
        return "INTEGER"
    if -(2**63) <= value < 2**63:
        return "BIGINT"
    return f"DECIMAL({len(text.lstrip('-'))},0)"


def _wider_numeric(left: str, right: str) -> str | None:
    if left in ("DOUBLE", "FLOAT") or right in ("DOUBLE", "FLOAT"):
        return "DOUBLE"
    if is_integral(left) and is_integral(right):
        return INTEGRAL[max(INTEGRAL.index(left), INTEGRAL.index(right), INTEGRAL.index("INTEGER"))]
    if is_decimal(left) or is_decimal(right):
        p1, s1 = decimal_parts(left)
        p2, s2 = decimal_parts(right)
        scale = max(s1, s2)
        return f"DECIMAL({min(38, max(p1 - s1, p2 - s2) + scale + 1)},{scale})"
    return None


_RESULT_TYPES: dict[type, str] = {
    exp.CurrentDate: "DATE",
    exp.CurrentTimestamp: "TIMESTAMP",
    exp.AddMonths: "DATE",
    exp.TsOrDsAdd: "DATE",
    exp.DateAdd: "DATE",
    exp.DateSub: "DATE",
    exp.LastDay: "DATE",
    exp.NextDay: "DATE",
    exp.DateTrunc: "DATE",
    exp.TimestampTrunc: "TIMESTAMP",
    exp.TsOrDsToDate: "DATE",
    exp.StrToDate: "DATE",
    exp.StrToTime: "TIMESTAMP",
    exp.TimeStrToTime: "TIMESTAMP",
    exp.Lower: "VARCHAR",
    exp.Upper: "VARCHAR",
    exp.Concat: "VARCHAR",
    exp.ConcatWs: "VARCHAR",
    exp.DPipe: "VARCHAR",
    exp.Substring: "VARCHAR",
    exp.Trim: "VARCHAR",
    exp.Pad: "VARCHAR",
    exp.Replace: "VARCHAR",
    exp.Initcap: "VARCHAR",
    exp.TimeToStr: "VARCHAR",
    exp.Length: "INTEGER",
    exp.Year: "INTEGER",
    exp.Month: "INTEGER",
    exp.Day: "INTEGER",
    exp.DayOfMonth: "INTEGER",
    exp.DayOfWeek: "INTEGER",
    exp.Quarter: "INTEGER",
    exp.Count: "BIGINT",
    exp.DateDiff: "INTEGER",
    exp.MonthsBetween: "DOUBLE",
    exp.Ln: "DOUBLE",
    exp.Log: "DOUBLE",
    exp.Sqrt: "DOUBLE",
    exp.Exp: "DOUBLE",
    exp.Pow: "DOUBLE",
    exp.Avg: "DOUBLE",
    exp.Stddev: "DOUBLE",
    exp.Variance: "DOUBLE",
    exp.Boolean: "BOOLEAN",
    exp.EQ: "BOOLEAN",
    exp.NEQ: "BOOLEAN",
    exp.GT: "BOOLEAN",
    exp.GTE: "BOOLEAN",
    exp.LT: "BOOLEAN",
    exp.LTE: "BOOLEAN",
    exp.And: "BOOLEAN",
    exp.Or: "BOOLEAN",
    exp.Not: "BOOLEAN",
    exp.Like: "BOOLEAN",
    exp.ILike: "BOOLEAN",
    exp.In: "BOOLEAN",
    exp.Between: "BOOLEAN",
    exp.Is: "BOOLEAN",
}


def type_of(node: exp.Expression, column_type: ColumnType) -> str | None:
    """The type of `node`, memoised in node.meta (copied onto the node that replaces it)."""
    meta = node.meta
    if "spark_type" in meta:
        return meta["spark_type"]
    result = _type_of(node, column_type)
    meta["spark_type"] = result
    return result


def _type_of(node: exp.Expression, column_type: ColumnType) -> str | None:
    if isinstance(node, exp.Literal):
        return _literal_type(node)
    if isinstance(node, (exp.Cast, exp.TryCast)):
        return data_type_name(node.to)
    if isinstance(node, exp.Column):
        return column_type(node.name.lower()) if node.name else None
    if isinstance(node, (exp.Paren, exp.Alias, exp.Neg)):
        return type_of(node.this, column_type)
    if isinstance(node, exp.Interval):
        unit = (node.unit.name if node.unit else "").upper()
        return "INTERVAL YM" if unit in ("YEAR", "MONTH", "YEARS", "MONTHS") else "INTERVAL DT"
    if isinstance(node, (exp.Add, exp.Sub)):
        left, right = type_of(node.this, column_type), type_of(node.expression, column_type)
        if left in ("DATE", "TIMESTAMP") and right and right.startswith("INTERVAL"):
            return "DATE" if left == "DATE" and right == "INTERVAL YM" else "TIMESTAMP"
        if left and right and is_numeric(left) and is_numeric(right):
            return _wider_numeric(left, right)
        return None
    if isinstance(node, exp.Mul):
        left, right = type_of(node.this, column_type), type_of(node.expression, column_type)
        if left and right and is_numeric(left) and is_numeric(right):
            if is_decimal(left) or is_decimal(right):
                if left in ("DOUBLE", "FLOAT") or right in ("DOUBLE", "FLOAT"):
                    return "DOUBLE"
                p1, s1 = decimal_parts(left)
                p2, s2 = decimal_parts(right)
                return f"DECIMAL({min(38, p1 + p2 + 1)},{s1 + s2})"
            return _wider_numeric(left, right)
        return None
    if isinstance(node, exp.Div):
        left, right = type_of(node.this, column_type), type_of(node.expression, column_type)
        if left and right and is_numeric(left) and is_numeric(right):
            if (
                (is_decimal(left) or is_decimal(right))
                and "DOUBLE" not in (left, right)
                and "FLOAT"
                not in (
                    left,
                    right,
                )
            ):
                return decimal_division_type(left, right)
            return "DOUBLE"
        return None
    if isinstance(node, (exp.Coalesce, exp.Greatest, exp.Least)):
        kinds = {type_of(a, column_type) for a in [node.this, *node.expressions]} - {None}
        return kinds.pop() if len(kinds) == 1 else None
    if isinstance(node, (exp.Sum, exp.Min, exp.Max)):
        inner = type_of(node.this, column_type)
        if isinstance(node, exp.Sum) and is_integral(inner):
            return "BIGINT"
        return inner if not isinstance(node, exp.Sum) or inner in ("DOUBLE", "FLOAT") else None
    if isinstance(
        node,
        (
            exp.Array,
            exp.ArrayDistinct,
            exp.ArrayFilter,
            exp.Transform,
            exp.ArraySort,
            exp.Flatten,
            exp.RegexpSplit,
            exp.GenerateSeries,
            exp.ArraySlice,
            exp.ArrayAgg,
            exp.ArrayUniqueAgg,
        ),
    ):
        return "LIST"
    if isinstance(node, (exp.VarMap, exp.Map)):
        return "MAP"
    if isinstance(node, exp.Struct):
        return "STRUCT"
    for cls, result in _RESULT_TYPES.items():
        if isinstance(node, cls):
            return result
    return None


def decimal_division_type(left: str, right: str) -> str:
    """Spark's result type of DECIMAL / DECIMAL (integers count as DECIMAL(10,0) and so on)."""
    p1, s1 = decimal_parts(left)
    p2, s2 = decimal_parts(right)
    scale = max(6, s1 + p2 + 1)
    precision = p1 - s1 + s2 + scale
    if precision > 38:
        int_digits = precision - scale
        scale = max(38 - int_digits, min(scale, 6))
        precision = 38
    return f"DECIMAL({precision},{scale})"
