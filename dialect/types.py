"""The Databricks type of an expression, where the translator can tell it without running anything.

Types are DuckDB type names (`INTEGER`, `DECIMAL(5,1)`, `DATE`, ...). `None` means unknown: a
translation whose meaning depends on the type then checks it at run time or refuses.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeGuard

import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError

from dialect.errors import NotSupportedLocally
from dialect.fields import candidate_paths, field_path

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


VARIANT = "VARIANT"


def variant_type_argument(node: exp.Anonymous) -> str | None:
    written = node.expressions[2] if len(node.expressions) > 2 else None
    if isinstance(written, exp.Literal) and written.is_string:
        return str(written.this).strip().lower()
    return None


def makes_variant(node: exp.Expression) -> bool:
    """parse_json, try_parse_json, a path of a VARIANT, variant_get without a type or to 'variant'."""
    if isinstance(node, exp.ParseJSON):
        return True
    if isinstance(node, exp.JSONExtract):
        return makes_variant(node.this.unnest())
    if isinstance(node, exp.Anonymous):
        name = node.name.lower()
        if name == "try_parse_json":
            return True
        if name in ("variant_get", "try_variant_get"):
            return len(node.expressions) == 2 or variant_type_argument(node) == "variant"
    return False


def is_integral(t: str | None) -> TypeGuard[str]:
    return t in INTEGRAL


def is_decimal(t: str | None) -> TypeGuard[str]:
    return t is not None and t.startswith("DECIMAL")


def is_fractional(t: str | None) -> TypeGuard[str]:
    return t in ("DOUBLE", "FLOAT") or is_decimal(t)


def is_numeric(t: str | None) -> TypeGuard[str]:
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


def from_json_schema(text: str) -> exp.DataType | list[tuple[str, exp.DataType]]:
    """A from_json schema: the type of an 'ARRAY<...>' or 'MAP<STRING, ...>', else the fields of a struct
    ('a INT, b ARRAY<STRING>', 'STRUCT<a: INT>'). Numbers, BOOLEAN and STRING, and arrays, structs and maps
    of them; others refused."""
    inner = text.strip()
    if not inner.upper().startswith(("ARRAY<", "MAP<")):
        return from_json_fields(text)
    try:
        data_type = exp.DataType.build(inner, dialect="databricks")
    except (ParseError, ValueError) as exc:
        raise NotSupportedLocally(f"from_json with the schema {text!r}") from exc
    _checkfrom_json_type(data_type)
    return data_type


def from_json_fields(text: str) -> list[tuple[str, exp.DataType]]:
    """Field names and types of a from_json schema of a struct, such as 'a INT, b ARRAY<STRING>' or
    'STRUCT<a: INT>'."""
    inner = text.strip()
    if inner.upper().startswith(("ARRAY<", "MAP<")):
        raise NotSupportedLocally(f"from_json with the schema {text!r}")
    if inner.upper().startswith("STRUCT<") and inner.endswith(">"):
        inner = inner[len("STRUCT<") : -1].replace(":", " ")
    try:
        tree = sqlglot.parse_one(f"CREATE TABLE t ({inner})", read="databricks")
    except ParseError as exc:
        raise NotSupportedLocally(f"from_json with the schema {text!r}") from exc
    fields = []
    for column in tree.this.expressions:
        if not isinstance(column, exp.ColumnDef) or column.args.get("kind") is None:
            raise NotSupportedLocally(f"from_json with the schema {text!r}")
        _checkfrom_json_type(column.args["kind"])
        fields.append((column.name, column.args["kind"]))
    return fields


def struct_fields(data_type: exp.DataType) -> list[tuple[str, exp.DataType]]:
    """The fields of a STRUCT type as parsed, by name."""
    return [(field.name, field.args["kind"]) for field in data_type.expressions]


def _checkfrom_json_type(data_type: exp.DataType) -> None:
    if data_type.this == exp.DataType.Type.ARRAY and len(data_type.expressions) == 1:
        _checkfrom_json_type(data_type.expressions[0])
    elif data_type.this == exp.DataType.Type.STRUCT:
        for _, kind in struct_fields(data_type):
            _checkfrom_json_type(kind)
    elif data_type.this == exp.DataType.Type.MAP and len(data_type.expressions) == 2:
        if data_type_name(data_type.expressions[0]) != "VARCHAR":
            raise NotSupportedLocally(f"from_json of a {data_type.sql(dialect='databricks')}", "key the map by STRING")
        _checkfrom_json_type(data_type.expressions[1])
    elif data_type_name(data_type) in (None, "BLOB") or data_type.this == exp.DataType.Type.TIMESTAMPNTZ:
        raise NotSupportedLocally(f"from_json of a field of type {data_type.sql(dialect='databricks')}")


def parsed_kind(data_type: exp.DataType) -> str | None:
    """The translator's name of a type as parsed: LIST, STRUCT, MAP or the scalar's."""
    if data_type.this == exp.DataType.Type.ARRAY:
        return "LIST"
    if data_type.this == exp.DataType.Type.STRUCT:
        return "STRUCT"
    if data_type.this == exp.DataType.Type.MAP:
        return "MAP"
    return data_type_name(data_type)


def _contained_kind(data_type: exp.DataType | None) -> str | None:
    """The kind of an element of an ARRAY type, or of a value of a MAP type, as parsed."""
    if data_type is not None and data_type.this == exp.DataType.Type.ARRAY:
        return parsed_kind(data_type.expressions[0])
    if data_type is not None and data_type.this == exp.DataType.Type.MAP:
        return parsed_kind(data_type.expressions[1])
    return None


def from_json_type(node: exp.FromJson) -> exp.DataType | None:
    """The type of from_json's result where the statement gives its schema: a STRUCT of its fields, or
    the ARRAY or MAP it names."""
    schema = node.expression
    if not (isinstance(schema, exp.Literal) and schema.is_string):
        return None
    try:
        found = from_json_schema(schema.this)
    except NotSupportedLocally:
        return None
    if isinstance(found, exp.DataType):
        return found
    columns = [exp.ColumnDef(this=exp.to_identifier(name), kind=kind) for name, kind in found]
    return exp.DataType(this=exp.DataType.Type.STRUCT, expressions=columns, nested=True)


def _from_json_field(node: exp.Dot) -> exp.DataType | None:
    """The type of a field of from_json's result named in the statement (`from_json(s, '...').tags`)."""
    whole = from_json_type(node.this)
    if whole is None or whole.this != exp.DataType.Type.STRUCT:
        return None
    return {name.lower(): kind for name, kind in struct_fields(whole)}.get(node.name.lower())


def _literal_type(node: exp.Literal) -> str:
    return "VARCHAR" if node.is_string else _number_type(node.this)


def _number_type(text: str) -> str:
    """The type of a number literal as written (`-` included: -2147483648 is an INT)."""
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


def _negated_literal_type(node: exp.Neg) -> str | None:
    """-2147483648 is one INT literal in Databricks (and -9223372036854775808 one BIGINT), not a negation."""
    inner = node.this
    if isinstance(inner, exp.Literal) and not inner.is_string:
        return _number_type(f"-{inner.this}")
    return None


def _floating(left: str, right: str) -> str | None:
    """FLOAT with FLOAT stays FLOAT; a FLOAT or DOUBLE with any other number is a DOUBLE (ANSI mode)."""
    if left == right == "FLOAT":
        return "FLOAT"
    if {left, right} & {"DOUBLE", "FLOAT"}:
        return "DOUBLE"
    return None


def _wider_numeric(left: str, right: str) -> str | None:
    floating = _floating(left, right)
    if floating is not None:
        return floating
    if is_integral(left) and is_integral(right):
        return INTEGRAL[max(INTEGRAL.index(left), INTEGRAL.index(right))]
    if is_decimal(left) or is_decimal(right):
        p1, s1 = decimal_parts(left)
        p2, s2 = decimal_parts(right)
        scale = max(s1, s2)
        return f"DECIMAL({min(38, max(p1 - s1, p2 - s2) + scale + 1)},{scale})"
    return None


def string_as_number(other: str) -> str:
    """The type Databricks casts a STRING to where it meets a number of type `other` in arithmetic."""
    return "BIGINT" if is_integral(other) else "DOUBLE"


def _numeric_operands(left: str | None, right: str | None) -> tuple[str | None, str | None]:
    """Arithmetic operand types after Databricks casts a STRING operand beside a number."""
    if left == "VARCHAR" and is_numeric(right):
        return string_as_number(right), right
    if right == "VARCHAR" and is_numeric(left):
        return left, string_as_number(left)
    return left, right


def _common_numeric(left: str, right: str) -> str:
    """The type both numbers are widened to where either may be the value (coalesce, CASE, IN)."""
    floating = _floating(left, right)
    if floating is not None:
        return floating
    if is_integral(left) and is_integral(right):
        return INTEGRAL[max(INTEGRAL.index(left), INTEGRAL.index(right))]
    p1, s1 = decimal_parts(left)
    p2, s2 = decimal_parts(right)
    scale = max(s1, s2)
    return f"DECIMAL({min(38, max(p1 - s1, p2 - s2) + scale)},{scale})"


_VARCHAR = (exp.Lower, exp.Upper, exp.ConcatWs, exp.Substring, exp.Trim, exp.Pad, exp.Replace,
            exp.Initcap, exp.TimeToStr, exp.Left, exp.Right, exp.Repeat, exp.Translate, exp.Chr,
            exp.Space, exp.Hex, exp.MD5, exp.SHA, exp.SHA2, exp.ToBase64, exp.SplitPart, exp.RegexpExtract,
            exp.RegexpReplace, exp.ArrayToString, exp.JSONExtractScalar, exp.JSONExtract, exp.JSONFormat,
            exp.UnixToStr, exp.Uuid, exp.Soundex, exp.SubstringIndex, exp.Typeof, exp.ParseUrl,
            exp.CurrentTimezone, exp.ToChar)  # fmt: skip
_INTEGER = (exp.Length, exp.BitLength, exp.BitwiseCount, exp.Ascii, exp.StrPosition, exp.Levenshtein,
            exp.ArraySize, exp.Year, exp.Month, exp.Day, exp.DayOfMonth, exp.DayOfWeek, exp.DayOfYear,
            exp.WeekOfYear, exp.Quarter, exp.Hour, exp.Minute, exp.Second, exp.DateDiff, exp.UnixDate,
            exp.RowNumber, exp.Rank, exp.DenseRank, exp.Ntile)  # fmt: skip
_BIGINT = (exp.Count, exp.ArrayPosition, exp.Factorial, exp.StrToUnix, exp.TimestampDiff, exp.CountIf,
           exp.WidthBucket, exp.UnixSeconds, exp.UnixMillis,
           exp.UnixMicros, exp.RegrCount)  # fmt: skip
_DOUBLE = (exp.MonthsBetween, exp.Ln, exp.Log, exp.Sqrt, exp.Exp, exp.Pow, exp.Stddev, exp.StddevPop, exp.StddevSamp,
           exp.Variance, exp.VariancePop, exp.Sign, exp.Sin, exp.Cos, exp.Tan, exp.Cot, exp.Sec, exp.Csc, exp.Sinh,
           exp.Cosh, exp.Tanh, exp.Skewness, exp.Kurtosis, exp.Asinh, exp.Acosh, exp.Atanh, exp.Rint, exp.Asin,
           exp.Acos, exp.Atan, exp.Atan2, exp.Cbrt, exp.Degrees, exp.Radians,
           exp.Corr, exp.CovarPop, exp.CovarSamp, exp.Median, exp.Quantile, exp.Pi, exp.Rand, exp.PercentRank,
           exp.CumeDist, exp.Nanvl, exp.RegrSlope, exp.RegrIntercept, exp.RegrR2, exp.RegrAvgx, exp.RegrAvgy,
           exp.RegrSxx, exp.RegrSyy, exp.RegrSxy)  # fmt: skip
_BOOLEAN = (exp.Boolean, exp.EQ, exp.NEQ, exp.GT, exp.GTE, exp.LT, exp.LTE, exp.And, exp.Or, exp.Not, exp.Like,
            exp.ILike, exp.In, exp.Between, exp.Is, exp.NullSafeEQ, exp.NullSafeNEQ, exp.EqualNull, exp.StartsWith,
            exp.EndsWith, exp.Contains, exp.RegexpLike, exp.ArrayContains, exp.IsNan, exp.LogicalAnd, exp.LogicalOr,
            exp.Exists, exp.Escape)  # fmt: skip
_DATE = (exp.CurrentDate, exp.AddMonths, exp.TsOrDsAdd, exp.DateAdd, exp.DateSub, exp.LastDay, exp.NextDay,
         exp.DateTrunc, exp.TsOrDsToDate, exp.StrToDate, exp.DateFromUnixDate)  # fmt: skip
_TIMESTAMP = (exp.CurrentTimestamp, exp.TimestampTrunc, exp.StrToTime, exp.TimeStrToTime, exp.TimestampAdd,
              exp.TimestampFromParts)  # fmt: skip
_LIST = (exp.Array, exp.ArrayDistinct, exp.ArrayFilter, exp.Transform, exp.ArraySort, exp.Flatten, exp.RegexpSplit,
         exp.GenerateSeries, exp.ArraySlice, exp.ArrayAgg, exp.ArrayUniqueAgg, exp.MapKeys, exp.ArrayCompact,
         exp.ArrayAppend, exp.ArrayPrepend, exp.ArrayRemove, exp.ArrayExcept, exp.ArrayIntersect, exp.ArrayInsert,
         exp.ArraysZip, exp.JSONKeys)  # fmt: skip
_SAME_AS_ARGUMENT = (exp.Paren, exp.Alias, exp.Neg, exp.Abs, exp.Negative, exp.Nullif, exp.Min, exp.Max, exp.AnyValue,
                     exp.FirstValue, exp.LastValue, exp.NthValue, exp.Lag, exp.Lead, exp.ArgMax,
                     exp.ArgMin)  # fmt: skip
_RESULT_TYPES: list[tuple[tuple[type, ...], str]] = [
    (_VARCHAR, "VARCHAR"), (_INTEGER, "INTEGER"), (_BIGINT, "BIGINT"), (_DOUBLE, "DOUBLE"), (_BOOLEAN, "BOOLEAN"),
    (_DATE, "DATE"), (_TIMESTAMP, "TIMESTAMP"), (_LIST, "LIST"),
    ((exp.VarMap, exp.Map, exp.MapFromEntries, exp.StrToMap), "MAP"), ((exp.Struct,), "STRUCT"),
    ((exp.Getbit,), "TINYINT"), ((exp.Unhex, exp.FromBase64, exp.ToBinary), "BLOB"),
    ((exp.Decode,), "VARCHAR"),
]  # fmt: skip
# Functions sqlglot leaves anonymous, by name.
_ANONYMOUS_TYPES = {"crc32": "BIGINT", "xxhash64": "BIGINT", "hash": "INTEGER", "weekday": "INTEGER",
                    "make_date": "DATE", "width_bucket": "BIGINT", "format_number": "VARCHAR",
                    "json_array_length": "INTEGER",
                    "octet_length": "INTEGER", "bit_length": "INTEGER", "btrim": "VARCHAR", "isnull": "BOOLEAN",
                    "isnotnull": "BOOLEAN", "date_from_unix_date": "DATE", "cardinality": "INTEGER", "e": "DOUBLE",
                    "base64": "VARCHAR", "forall": "BOOLEAN", "array_repeat": "LIST", "map_values": "LIST",
                    "array_union": "LIST", "assert_true": None, "typeof": "VARCHAR", "trunc": "DATE",
                    "date_trunc": "TIMESTAMP", "every": "BOOLEAN", "some": "BOOLEAN", "positive": None,
                    "log10": "DOUBLE", "bin": "VARCHAR", "mask": "VARCHAR",
                    "luhn_check": "BOOLEAN", "expm1": "DOUBLE", "log1p": "DOUBLE", "hypot": "DOUBLE",
                    "arrays_overlap": "BOOLEAN", "zip_with": "LIST", "map_zip_with": "MAP", "transform_values": "MAP",
                    "transform_keys": "MAP", "map_filter": "MAP", "map_entries": "LIST",
                    "try_parse_url": "VARCHAR", "try_make_timestamp": "TIMESTAMP",
                    "quote": "VARCHAR", "is_valid_utf8": "BOOLEAN", "make_valid_utf8": "VARCHAR",
                    "validate_utf8": "VARCHAR", "try_validate_utf8": "VARCHAR", "to_varchar": "VARCHAR",
                    "raise_error": "NULL", "try_to_binary": "BLOB",
                    "schema_of_json": "VARCHAR", "make_dt_interval": "INTERVAL DT",
                    "make_ym_interval": "INTERVAL YM"}  # fmt: skip


def interval_kind(node: exp.Interval) -> str:
    """INTERVAL YM (years, months), INTERVAL D (whole days and weeks) or INTERVAL DT (a time of day part)."""
    unit = node.unit
    names = (
        [unit.this.name, unit.expression.name] if isinstance(unit, exp.IntervalSpan) else [unit.name if unit else ""]
    )
    names = [n.upper().rstrip("S") for n in names]
    if all(n in ("YEAR", "MONTH") for n in names):
        return "INTERVAL YM"
    if all(n in ("DAY", "WEEK") for n in names):
        return "INTERVAL D"
    return "INTERVAL DT"


def is_interval(t: str | None) -> TypeGuard[str]:
    return t is not None and t.startswith("INTERVAL")


# Arrays of strings (split, regexp_extract_all) and maps of strings to strings (str_to_map), whatever their input.
_STRING_COLLECTIONS = (exp.RegexpSplit, exp.RegexpExtractAll, exp.StrToMap)


def element_type(collection: exp.Expression, column_type: ColumnType) -> str | None:
    """The type of an element of an array, or a value of a map, written in the statement (`array(1, 2)[0]`,
    `map('a', array('x'))['a']`): the values' common type where each is known; else unknown."""
    while isinstance(collection, exp.Paren):
        collection = collection.this
    if isinstance(collection, _STRING_COLLECTIONS):
        return "VARCHAR"
    if isinstance(collection, exp.FromJson):
        return _contained_kind(from_json_type(collection))
    if isinstance(collection, exp.Dot) and isinstance(collection.this, exp.FromJson):
        return _contained_kind(_from_json_field(collection))
    if isinstance(collection, exp.Array):
        values = collection.expressions
    elif isinstance(collection, (exp.VarMap, exp.Map)) and isinstance(collection.args.get("values"), exp.Array):
        values = collection.args["values"].expressions
    else:
        return None
    kinds = [type_of(v, column_type) for v in values if not isinstance(v, exp.Null)]
    return common_type(kinds) if kinds and None not in kinds else None


def type_of(node: exp.Expression | None, column_type: ColumnType) -> str | None:
    """The type of `node`, memoised in node.meta (copied onto the node that replaces it)."""
    if node is None:
        return None
    meta = node.meta
    if "spark_type" in meta:
        return meta["spark_type"]
    result = _type_of(node, column_type)
    meta["spark_type"] = result
    return result


def _type_of(node: exp.Expression, column_type: ColumnType) -> str | None:
    if isinstance(node, (exp.ParseJSON, exp.JSONExtract, exp.Anonymous)) and makes_variant(node):
        return VARIANT
    if isinstance(node, exp.JSONExtract) and type_of(node.this.unnest(), column_type) == VARIANT:
        return VARIANT  # a path of a VARIANT column of a CTE or subquery
    if isinstance(node, exp.Literal):
        return _literal_type(node)
    if isinstance(node, (exp.Cast, exp.TryCast)):
        return data_type_name(node.to)
    if isinstance(node, exp.Column):
        if not node.name:
            return None
        # `dates.start.localDate`, `e.dates.start.localDate`: a struct's field; else a column of a table.
        nested = _field_type(node, column_type) if node.table else None
        return nested if nested is not None else column_type(node.name.lower())
    if isinstance(node, exp.Dot) and isinstance(node.this, exp.FromJson):
        field = _from_json_field(node)
        return parsed_kind(field) if field is not None else None
    if isinstance(node, exp.Reduce) and node.args.get("finish") is None:
        # aggregate(a, start, merge): the start's type (a merge of another type is refused as it runs).
        return type_of(node.args.get("initial"), column_type)
    if isinstance(node, exp.FromJson):
        schema = from_json_type(node)
        return parsed_kind(schema) if schema is not None else None
    if isinstance(node, (exp.Dot, exp.Bracket)) and field_path(node) is not None:
        return _field_type(node, column_type)
    if isinstance(node, exp.Bracket):
        return element_type(node.this, column_type)
    if isinstance(node, (exp.ArrayMax, exp.ArrayMin)):
        return element_type(node.this, column_type)
    if isinstance(node, exp.Distinct):
        return type_of(node.expressions[0], column_type) if len(node.expressions) == 1 else None
    if isinstance(node, exp.Neg) and _negated_literal_type(node) is not None:
        return _negated_literal_type(node)
    if isinstance(node, (exp.Neg, exp.Abs)) and type_of(node.this, column_type) == "VARCHAR":
        return "DOUBLE"  # Databricks reads the string as a DOUBLE
    if isinstance(node, _SAME_AS_ARGUMENT):
        return type_of(node.this, column_type)
    if isinstance(node, exp.ApproxQuantile):  # a value of the argument's type, or an array of them
        return "LIST" if isinstance(node.args.get("quantile"), exp.Array) else type_of(node.this, column_type)
    if isinstance(node, exp.Reverse):  # an array's elements in reverse, else the text of the value
        return "LIST" if type_of(node.this, column_type) == "LIST" else "VARCHAR"
    if isinstance(node, exp.Interval):
        return interval_kind(node)
    if type(node) in (exp.Concat, exp.DPipe):  # not concat_ws (a subclass), always a string
        # concat and || of arrays make an array (arrays mixed with strings are rejected)
        parts = node.expressions if isinstance(node, exp.Concat) else [node.this, node.expression]
        return "LIST" if any(type_of(part, column_type) == "LIST" for part in parts) else "VARCHAR"
    if isinstance(node, (exp.Add, exp.Sub, exp.Mul)):
        left, right = _numeric_operands(type_of(node.this, column_type), type_of(node.expression, column_type))
        operator = "*" if isinstance(node, exp.Mul) else "+"
        decimal = decimal_arithmetic_type(operator, *decimal_operands(node, left, right))
        if decimal is not None:
            return decimal
        if isinstance(node, exp.Mul):
            return _wider_numeric(left, right) if is_numeric(left) and is_numeric(right) else None
        return _additive_type(left, right, isinstance(node, exp.Sub))
    if isinstance(node, exp.Div):
        left, right = _numeric_operands(type_of(node.this, column_type), type_of(node.expression, column_type))
        if left and right and is_numeric(left) and is_numeric(right):
            if (is_decimal(left) or is_decimal(right)) and not {left, right} & {"DOUBLE", "FLOAT"}:
                return decimal_division_type(*decimal_operands(node, left, right))
            return "DOUBLE"
        return None
    if isinstance(node, exp.IntDiv):
        left, right = _numeric_operands(type_of(node.this, column_type), type_of(node.expression, column_type))
        return "BIGINT" if is_numeric(left) and is_numeric(right) else None
    if isinstance(node, exp.Mod):
        return remainder_type(node.this, node.expression, column_type)
    if isinstance(node, (exp.BitwiseAnd, exp.BitwiseOr, exp.BitwiseXor)):
        # Integers only (anything else is refused or rejected): the wider of the two, as in Databricks.
        left, right = _numeric_operands(type_of(node.this, column_type), type_of(node.expression, column_type))
        return _wider_numeric(left, right) if is_integral(left) and is_integral(right) else None
    if isinstance(node, exp.BitwiseNot):
        operand = type_of(node.this, column_type)
        return operand if is_integral(operand) else None
    if isinstance(node, (exp.Coalesce, exp.Greatest, exp.Least)):
        return common_type([type_of(a, column_type) for a in [node.this, *node.expressions]])
    if isinstance(node, exp.If):
        return common_type([type_of(node.args.get("true"), column_type), type_of(node.args.get("false"), column_type)])
    if isinstance(node, exp.Nvl2):
        return common_type([type_of(node.args.get("true"), column_type), type_of(node.args.get("false"), column_type)])
    if isinstance(node, exp.DecodeCase):
        # decode(x, s1, r1, ..., default): its own widening (1.5 and 2 make a DOUBLE), so only results of
        # one type are typed.
        values = node.expressions[1:]
        results = values[1::2] + ([values[-1]] if len(values) % 2 else [])
        result_kinds = {type_of(r, column_type) for r in results if not isinstance(r, exp.Null)}
        return result_kinds.pop() if len(result_kinds) == 1 else None
    if isinstance(node, exp.Case):
        branches = [b.args.get("true") for b in node.args.get("ifs") or []]
        branches.append(node.args.get("default"))
        return common_type([type_of(b, column_type) for b in branches])
    if isinstance(node, exp.Sum):
        inner = type_of(node.this, column_type)
        if is_integral(inner):
            return "BIGINT"
        if is_decimal(inner):
            precision, scale = decimal_parts(inner)
            return f"DECIMAL({min(38, precision + 10)},{scale})"
        return "DOUBLE" if inner in ("DOUBLE", "FLOAT") else None
    if isinstance(node, exp.Avg):
        inner = type_of(node.this, column_type)
        if is_decimal(inner):
            precision, scale = decimal_parts(inner)
            return f"DECIMAL({min(38, precision + 4)},{min(38, scale + 4)})"
        return "DOUBLE" if is_numeric(inner) else None
    if isinstance(node, (exp.Floor, exp.Ceil)):
        inner = type_of(node.this, column_type)
        if node.args.get("decimals") is not None:
            return None
        if is_decimal(inner):
            precision, scale = decimal_parts(inner)
            return f"DECIMAL({min(38, precision - scale + 1)},0)"
        return "BIGINT" if is_numeric(inner) else None
    if isinstance(node, exp.Round):
        return round_type(type_of(node.this, column_type), node.args.get("decimals"))
    if isinstance(node, exp.Window):
        return type_of(node.this, column_type)
    if isinstance(node, exp.Subquery) and isinstance(node.this, exp.Select) and not node.alias:
        # A scalar subquery: its one column's type.
        projections = node.this.expressions
        return type_of(projections[0], column_type) if len(projections) == 1 and not projections[0].is_star else None
    if isinstance(node, exp.Anonymous):
        name = node.name.lower()
        if name in ("pmod", "try_mod") and len(node.expressions) == 2:
            return remainder_type(node.expressions[0], node.expressions[1], column_type)
        if name in ("pmod", "positive"):
            kinds = [type_of(a, column_type) for a in node.expressions]
            return common_type(kinds) if all(is_numeric(k) for k in kinds) else None
        if name == "shiftrightunsigned" and node.expressions:
            return _shift_type(node.expressions[0], column_type)
        if name in ("bround",):
            return round_type(type_of(node.expressions[0], column_type), seq_get(node.expressions, 1))
        return _ANONYMOUS_TYPES.get(name)
    if isinstance(node, (exp.BitwiseLeftShift, exp.BitwiseRightShift)):
        return _shift_type(node.this, column_type)
    if isinstance(node, exp.Quantile) and isinstance(node.args.get("quantile"), exp.Array):
        return "LIST"  # percentile(x, array(...)): an array of percentiles
    for classes, result in _RESULT_TYPES:
        if isinstance(node, classes):
            return result
    return None


def _shift_type(value: exp.Expression, column_type: ColumnType) -> str:
    """A shift answers a BIGINT for a BIGINT, else an INT."""
    return "BIGINT" if type_of(value, column_type) == "BIGINT" else "INTEGER"


def _field_type(node: exp.Expression, column_type: ColumnType) -> str | None:
    kinds = [kind for path in candidate_paths(node) if (kind := column_type(path)) is not None]
    return kinds[0] if kinds else None


def seq_get(values: list, index: int):
    return values[index] if len(values) > index else None


def round_type(inner: str | None, decimals: exp.Expression | None) -> str | None:
    """Spark's type of round/bround: the argument's, a DECIMAL with the scale kept to what is asked."""
    if inner is None or not is_numeric(inner):
        return None
    if not is_decimal(inner):
        return inner
    scale_asked = _int_literal(decimals) if decimals is not None else 0
    if scale_asked is None:
        return None
    precision, scale = decimal_parts(inner)
    if scale_asked < 0:
        return f"DECIMAL({min(38, max(precision - scale + 1, -scale_asked + 1))},0)"
    new_scale = min(scale, scale_asked)
    return f"DECIMAL({min(38, precision - scale + 1 + new_scale)},{new_scale})"


def _int_literal(node: exp.Expression) -> int | None:
    if isinstance(node, exp.Neg):
        inner = _int_literal(node.this)
        return -inner if inner is not None else None
    if isinstance(node, exp.Paren):
        return _int_literal(node.this)
    if isinstance(node, exp.Literal) and not node.is_string and node.this.lstrip("-").isdigit():
        return int(node.this)
    return None


def _integer_literal_value(node: exp.Expression) -> int | None:
    """The value of an integer literal as Databricks reads one: `4`, `-4`, `(4)`; not `-(4)`."""
    if isinstance(node, exp.Paren):
        return _integer_literal_value(node.this)
    if isinstance(node, exp.Neg) and isinstance(node.this, exp.Literal):
        value = _int_literal(node.this)
        return -value if value is not None else None
    return _int_literal(node) if isinstance(node, exp.Literal) else None


def _additive_type(left: str | None, right: str | None, subtract: bool) -> str | None:
    if is_interval(left) and is_interval(right):
        return left if left == right else "INTERVAL DT"
    if left == "DATE" and is_interval(right):
        return "DATE" if right in ("INTERVAL YM", "INTERVAL D") else "TIMESTAMP"
    if left == "TIMESTAMP" and is_interval(right):
        return "TIMESTAMP"
    if left == "DATE" and is_integral(right) or (right == "DATE" and is_integral(left) and not subtract):
        return "DATE"
    if subtract and left == "DATE" and right == "DATE":
        return "INTERVAL D"
    if subtract and left in ("DATE", "TIMESTAMP") and right in ("DATE", "TIMESTAMP"):
        return "INTERVAL DT"
    if left and right and is_numeric(left) and is_numeric(right):
        return _wider_numeric(left, right)
    return None


def wider_in_order(kinds: Sequence[str | None]) -> str | None:
    """Databricks' common type of values met in this order (ANSI): each type is widened with the next, a
    STRING beside an integer read as a BIGINT and beside any other number as a DOUBLE. So the order
    counts: coalesce(s, 3, 1.1) is a DECIMAL(21,1) and coalesce(3, 1.1, s) a DOUBLE. None where a type is
    unknown or two do not meet (NULLs aside)."""
    result: str | None = None
    for kind in kinds:
        if kind is None:
            return None
        if kind == "NULL":
            continue
        result = kind if result is None else _wider_pair(result, kind)
        if result is None:
            return None
    return result


def _wider_pair(left: str, right: str) -> str | None:
    if left == right:
        return left
    if "VARCHAR" in (left, right):
        other = right if left == "VARCHAR" else left
        if is_numeric(other):
            return "BIGINT" if is_integral(other) else "DOUBLE"
        return other if other in ("DATE", "TIMESTAMP", "BOOLEAN") else None
    if is_numeric(left) and is_numeric(right):
        return _common_numeric(left, right)
    return "TIMESTAMP" if {left, right} == {"DATE", "TIMESTAMP"} else None


def common_type(kinds: list[str | None]) -> str | None:
    """The type Databricks gives a value that can come from several branches (NULL branches aside)."""
    known = [k for k in kinds if k is not None and k != "NULL"]
    if not known:
        return None
    if len(set(known)) == 1:
        return known[0]
    if all(is_numeric(k) for k in known):
        result = known[0]
        for kind in known[1:]:
            result = _common_numeric(result, kind)
        return result
    if set(known) == {"DATE", "TIMESTAMP"}:
        return "TIMESTAMP"
    if "VARCHAR" in known:
        return wider_in_order(known)  # the strings are cast to it (typecheck.promote_strings)
    return None


def decimal_operands(node: exp.Expression, left: str | None, right: str | None) -> tuple[str, str]:
    """The operand types Spark's DECIMAL arithmetic sees: an integer literal counts as DECIMAL(its digits, 0)."""
    return operand_types(node.this, node.expression, left, right)


def operand_types(a: exp.Expression, b: exp.Expression, left: str | None, right: str | None) -> tuple[str, str]:
    """The types of two operands as Spark's arithmetic sees them (integer literals beside a DECIMAL narrowed)."""
    if not (is_decimal(left) or is_decimal(right)):
        return left or "", right or ""
    return _literal_decimal(a, left), _literal_decimal(b, right)


def remainder_type(a: exp.Expression, b: exp.Expression, column_type: ColumnType) -> str | None:
    """Spark's type of a % b and pmod(a, b)."""
    left, right = operand_types(a, b, *_numeric_operands(type_of(a, column_type), type_of(b, column_type)))
    if not (is_numeric(left) and is_numeric(right)):
        return None
    if is_decimal(left) or is_decimal(right):
        if {left, right} & {"DOUBLE", "FLOAT"}:
            return "DOUBLE"
        (p1, s1), (p2, s2) = decimal_parts(left), decimal_parts(right)
        scale = max(s1, s2)
        return f"DECIMAL({min(p1 - s1, p2 - s2) + scale},{scale})"
    return _wider_numeric(left, right)


def _literal_decimal(node: exp.Expression, kind: str | None) -> str:
    value = _integer_literal_value(node)
    if value is not None and is_integral(kind):
        return f"DECIMAL({max(len(str(abs(value))), 1)},0)"
    return kind or ""


def _adjusted(precision: int, scale: int) -> str:
    """Spark's DECIMAL result type when the exact one needs more than 38 digits (precision loss allowed)."""
    if precision <= 38:
        return f"DECIMAL({precision},{scale})"
    integral_digits = precision - scale
    return f"DECIMAL(38,{max(38 - integral_digits, min(scale, 6))})"


def decimal_arithmetic_type(operator: str, left: str, right: str) -> str | None:
    """Spark's type of DECIMAL +, - or * (an integer counts as the DECIMAL that holds it); None if not DECIMAL."""
    if not (is_decimal(left) or is_decimal(right)) or not (is_numeric(left) and is_numeric(right)):
        return None
    if {left, right} & {"DOUBLE", "FLOAT"}:
        return None
    p1, s1 = decimal_parts(left)
    p2, s2 = decimal_parts(right)
    if operator == "*":
        return _adjusted(p1 + p2 + 1, s1 + s2)
    scale = max(s1, s2)
    return _adjusted(max(p1 - s1, p2 - s2) + scale + 1, scale)


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


def column_kind(data_type: str) -> str | None:
    """The type of a DuckDB column as the translator names types (None: one it does not tell apart)."""
    upper = data_type.upper()
    if upper in ("INTEGER", "BIGINT", "SMALLINT", "TINYINT", "HUGEINT", "DOUBLE", "FLOAT", "VARCHAR", "DATE",
                 "BOOLEAN", "BLOB"):  # fmt: skip
        return upper
    if upper.endswith("]"):  # an array first: `TIMESTAMP[]` and `DECIMAL(2,1)[]` are arrays
        return "LIST"
    if upper.startswith("DECIMAL"):
        return upper.replace(" ", "")
    if upper.startswith("TIMESTAMP"):
        return "TIMESTAMP"
    if upper.startswith("MAP"):
        return "MAP"
    if upper.startswith("STRUCT"):
        return "STRUCT"
    return None
