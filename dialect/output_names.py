"""The names Databricks gives the columns of a result that the query leaves unnamed.

Databricks names such a column by the expression's text as it prints it: a column by its name (as
written, where DuckDB takes the table's case), a string literal by its text, a boolean as
`true` or `false`, a subscript or field by its path (`priceRanges[0].min`, `m['k']` as `m[k]`,
`e.dates['start']` as `dates.start`), `count(*)` as `count(1)`, a call or operator by its text
(`round(avg(price_min), 2)`, `(a + b)`), `explode(a)` as `col`. DuckDB would name them by its own text
of the translation (`spark_array_index(priceRanges, 0)`, `'x'`, `count_star()`), so these are given
their Databricks name as an alias. Any other unnamed expression keeps DuckDB's name in a query's
result; CREATE TABLE ... AS and CREATE VIEW ... AS, which keep the names, are refused until it is named.
"""

from __future__ import annotations

from sqlglot import exp

from dialect.common import Context
from dialect.errors import NotSupportedLocally
from dialect.jsonschema import is_plain_name, quoted_name
from dialect.names import branches, names_a_source
from dialect.types import makes_variant, type_of

# Characters a Delta table's column name cannot hold unless the table maps its columns by name.
_NOT_IN_DELTA_NAMES = set(" ,;{}()\n\t=")


def name_outputs(tree: exp.Expression, ctx: Context, text: str) -> None:
    """Alias each unnamed column of every query in `tree` whose Databricks name is known; refuse a
    table or view made from a query with a column whose name would differ. `text` is the statement
    as parsed (a function's name is printed as written there)."""
    if isinstance(tree, exp.Create):
        _check_kept_names(tree, ctx, text)
    for select in list(tree.find_all(exp.Select)):
        for projection in list(select.expressions):
            if isinstance(projection, (exp.Alias, exp.Column)) or projection.is_star:
                # A column keeps DuckDB's name, the same but for its case; an alias of its own name would
                # hide a variable or lateral alias of that name from DuckDB's binder.
                continue
            name = databricks_name(projection, ctx, text)
            if name is not None:
                alias = exp.Alias(alias=exp.to_identifier(name, quoted=True))
                projection.replace(alias)
                alias.set("this", projection)  # the node itself, with the types collect_names gave it


def databricks_name(node: exp.Expression, ctx: Context, text: str) -> str | None:
    """The name Databricks gives an unnamed column computing `node`, where it is known."""
    if isinstance(node, exp.Column):
        return node.name if node.name else None
    if isinstance(node, exp.Literal) and node.is_string:
        return node.name
    if type(node) in (exp.Explode, exp._ExplodeOuter):
        # The elements of explode(array); a map's key and value are named by the translation (dialect.arrays).
        return None if type_of(node.this, ctx.type_of_name) == "MAP" else "col"
    if isinstance(node, exp.Cast) and isinstance(node.this, exp.JSONExtract) and makes_variant(node.this):
        return _variant_path_key(node.this)  # `v:a.b::int` is named b, as the path alone is
    if isinstance(node, exp.Cast) and isinstance(node.this, exp.Column) and node.this.name.lower() not in ctx.variables:
        # A CAST of a column (not of a field inside one) takes the column's name, try_cast and :: too. (Not
        # a variable's: DuckDB would read the variable's name as the alias.)
        path = _path_text(node.this, ctx)
        return path if path and not set(".[") & set(path) else _printed(node, ctx, text)
    return _printed(node, ctx, text)


def _check_kept_names(create: exp.Create, ctx: Context, text: str) -> None:
    kind = (create.args.get("kind") or "").upper()
    queries = branches(create.expression) if create.expression is not None else []
    if kind not in ("TABLE", "VIEW") or not queries or isinstance(create.this, exp.Schema):
        return  # no query, or a view whose columns are named in its header
    for projection in queries[0].expressions:
        if isinstance(projection, exp.Alias) or projection.is_star:
            continue
        written = " ".join(projection.sql(dialect="databricks").split())
        name = databricks_name(projection, ctx, text)
        if name is None:
            raise NotSupportedLocally(
                f"the unnamed column {written!r} of CREATE {kind} ... AS",
                "name it with AS: Databricks names it by its own text of the expression, which the local target "
                "cannot reproduce",
            )
        if kind == "TABLE" and _NOT_IN_DELTA_NAMES & set(name):
            raise NotSupportedLocally(
                f"the unnamed column {written!r} of CREATE TABLE ... AS, which Databricks names {name!r}",
                "name it with AS: a Delta table takes a name with spaces or any of ,;{}()= only when it maps its "
                "columns by name",
            )


def _path_text(node: exp.Expression, ctx: Context) -> str | None:
    """`priceRanges[0].min`, `m[k]`, `dates.start`: a field or element as Databricks prints it."""
    if isinstance(node, exp.Column):
        parts = [part.name for part in node.parts]
        for index in range(len(parts) - 1, 0, -1):
            if names_a_source(node, parts[index - 1]):
                return ".".join(parts[index:])  # the table's name or alias is not printed
        return ".".join(parts)
    if isinstance(node, exp.Dot) and isinstance(node.expression, exp.Identifier):
        inner = _path_text(node.this, ctx)
        return f"{inner}.{node.expression.name}" if inner else None
    if not isinstance(node, exp.Bracket) or len(node.expressions) != 1:
        return None
    if node.args.get("offset") or node.args.get("safe"):
        return None  # element_at, try_element_at: printed as the function
    inner = _path_text(node.this, ctx)
    index = node.expressions[0]
    if inner is None:
        return None
    if isinstance(index, exp.Literal) and not index.is_string and index.name.isdigit():
        return f"{inner}[{int(index.name)}]"
    if isinstance(index, exp.Literal) and index.is_string:
        kind = type_of(node.this, ctx.type_of_name)
        if kind == "STRUCT":
            return f"{inner}.{index.name}"
        if kind == "MAP":
            return f"{inner}[{index.name}]"
    return None


# Operators as Databricks prints them in a name: `(a + b)`, `(x IS NULL)`.
_BINARY: dict[type, str] = {exp.Add: "+", exp.Sub: "-", exp.Mul: "*", exp.Div: "/", exp.Mod: "%",
                             exp.EQ: "=", exp.GT: ">", exp.GTE: ">=", exp.LT: "<", exp.LTE: "<=", exp.And: "AND",
                             exp.Or: "OR"}  # fmt: skip
# Functions printed as `name(argument, ...)` with the name as written (`ucase(id)`, `nvl(a, b)`), each
# checked against Databricks' names (tests/fidelity/test_output_names.py).
_CALLS = (exp.Upper, exp.Lower, exp.Abs, exp.Length, exp.Year, exp.Month, exp.Day, exp.DayOfMonth, exp.Avg,
          exp.Sum, exp.Min, exp.Max, exp.Count, exp.ArraySize, exp.Coalesce, exp.Concat, exp.Round,
          exp.TsOrDsToDate)  # fmt: skip
# Arguments that are flags of how sqlglot reads a call, not printed.
_FLAGS = {"safe", "coalesce"}
_NO_ARGUMENTS: dict[type, str] = {exp.CurrentDate: "current_date()", exp.CurrentTimestamp: "current_timestamp()"}


def _printed(node: exp.Expression, ctx: Context, text: str) -> str | None:
    """An expression as Databricks prints it in a column's name, or None where that is not known."""
    if isinstance(node, (exp.Column, exp.Dot, exp.Bracket)):
        return _path_text(node, ctx)
    if isinstance(node, exp.Literal):
        if node.is_string:
            return node.name
        return node.name if node.name.replace(".", "", 1).isdigit() else None  # 7, 1.50; not 1e3
    if isinstance(node, exp.Boolean):
        return "true" if node.this else "false"
    if isinstance(node, exp.Null):
        return "NULL"
    if isinstance(node, exp.Paren):
        return _printed(node.this, ctx, text)
    if isinstance(node, exp.Cast):
        return _cast_text(node, ctx, text)
    if isinstance(node, exp.Case):
        return _case_text(node, ctx, text)
    if isinstance(node, exp.If):  # if(c, a, b); its other spellings (iff) parse the same
        arguments = [node.args.get(key) for key in ("this", "true", "false")]
        parts = [_printed(a, ctx, text) if a is not None else None for a in arguments]
        return None if None in parts else f"(IF({', '.join(p for p in parts if p is not None)}))"
    if isinstance(node, exp.TsOrDsToDate) and "start" not in node.meta and not node.args.get("format"):
        return _printed(node.this, ctx, text)  # year(d) is read as year(to_date(d)); only the written one prints
    if type(node) in _NO_ARGUMENTS:
        return _NO_ARGUMENTS[type(node)]
    if isinstance(node, exp.Neg):
        inner = _printed(node.this, ctx, text)
        if inner is None:
            return None
        return f"-{inner}" if isinstance(node.this, exp.Literal) else f"(- {inner})"
    if isinstance(node, exp.Not) and _is_null(node.this):
        inner = _printed(node.this.this, ctx, text)
        return f"({inner} IS NOT NULL)" if inner is not None else None
    if isinstance(node, exp.Not):
        inner = _printed(node.this, ctx, text)
        return f"(NOT {inner})" if inner is not None else None
    if _is_null(node):
        inner = _printed(node.this, ctx, text)
        return f"({inner} IS NULL)" if inner is not None else None
    if type(node) in _BINARY or isinstance(node, (exp.NEQ, exp.DPipe)):
        left, right = _printed(node.this, ctx, text), _printed(node.expression, ctx, text)
        if left is None or right is None:
            return None
        if isinstance(node, exp.NEQ):
            return f"(NOT ({left} = {right}))"
        if isinstance(node, exp.DPipe):
            return f"concat({left}, {right})"
        return f"({left} {_BINARY[type(node)]} {right})"
    if isinstance(node, exp.Between):
        parts = [_printed(node.args[key], ctx, text) for key in ("this", "low", "high")]
        return None if None in parts else f"between({', '.join(p for p in parts if p is not None)})"
    if isinstance(node, exp.Count) and isinstance(node.this, exp.Star):
        return "count(1)"
    if isinstance(node, _CALLS):
        return _call(node, ctx, text)
    return _variant_text(node, ctx, text)


# Functions of VARIANT values, printed as `name(argument, ...)`; variant_get without its type.
_VARIANT_CALLS = ("try_parse_json", "variant_get", "try_variant_get", "is_variant_null", "schema_of_variant",
                  "schema_of_variant_agg")  # fmt: skip


def _variant_key_steps(path: exp.JSONPath) -> list[exp.Expression]:
    return [part for part in path.expressions if not isinstance(part, exp.JSONPathRoot)]


def _variant_path_key(node: exp.Expression) -> str | None:
    """`v:a.b[0]` is named by its last key (b); a path of indexes alone has no such name."""
    if not isinstance(node, exp.JSONExtract) or not isinstance(node.expression, exp.JSONPath):
        return None
    keys = [part.name for part in _variant_key_steps(node.expression) if isinstance(part, exp.JSONPathKey)]
    return keys[-1] if keys else None


def _variant_argument_text(node: exp.Expression, ctx: Context, text: str) -> str | None:
    """An argument as Databricks prints it inside a call: a path `v:a[0]` as `variant_get(v, $.a[0]) AS a`."""
    if not (isinstance(node, exp.JSONExtract) and makes_variant(node)):
        return _printed(node, ctx, text)
    steps = _variant_key_steps(node.expression) if isinstance(node.expression, exp.JSONPath) else []
    inner = _printed(node.this, ctx, text)
    path = "$"
    for step in steps:
        if isinstance(step, exp.JSONPathKey) and is_plain_name(step.name):
            path += f".{step.name}"
        elif isinstance(step, exp.JSONPathKey) and "'" not in step.name and "`" not in step.name:
            path += f"['{step.name}']"
        elif isinstance(step, exp.JSONPathSubscript) and isinstance(step.this, int):
            path += f"[{step.this}]"
        else:
            return None
    if inner is None:
        return None
    key = _variant_path_key(node)
    if key is None:
        return f"variant_get({inner}, {path})"
    return f"variant_get({inner}, {path}) AS {quoted_name(key)}"


def _variant_text(node: exp.Expression, ctx: Context, text: str) -> str | None:
    if isinstance(node, exp.JSONExtract) and makes_variant(node):
        key = _variant_path_key(node)
        steps = _variant_key_steps(node.expression) if isinstance(node.expression, exp.JSONPath) else []
        inner = _printed(node.this, ctx, text)
        if key is not None or inner is None or not all(isinstance(p.this, int) for p in steps):
            return key
        return f"variant_get({inner}, ${''.join(f'[{p.this}]' for p in steps)})"
    if isinstance(node, exp.ParseJSON):
        inner = _printed(node.this, ctx, text)
        return f"parse_json({inner})" if inner is not None else None
    variant_argument = isinstance(node, (exp.JSONFormat, exp.Typeof)) and makes_variant(node.this)
    if variant_argument and not node.args.get("options"):
        inner = _variant_argument_text(node.this, ctx, text)
        name = "to_json" if isinstance(node, exp.JSONFormat) else "typeof"
        return f"{name}({inner})" if inner is not None else None
    if isinstance(node, exp.Anonymous) and node.name.lower() in _VARIANT_CALLS:
        values = node.expressions[:2] if node.name.lower().endswith("variant_get") else node.expressions
        printed = [_variant_argument_text(value, ctx, text) for value in values]
        if not printed or any(p is None for p in printed):
            return None
        return f"{node.name.lower()}({', '.join(p for p in printed if p is not None)})"
    return None


# Types as Databricks prints them in a CAST's name (DECIMAL has its own rule, the others none).
_TYPE_TEXT = {
    exp.DataType.Type.TINYINT: "TINYINT", exp.DataType.Type.SMALLINT: "SMALLINT", exp.DataType.Type.INT: "INT",
    exp.DataType.Type.BIGINT: "BIGINT", exp.DataType.Type.FLOAT: "FLOAT", exp.DataType.Type.DOUBLE: "DOUBLE",
    exp.DataType.Type.BOOLEAN: "BOOLEAN", exp.DataType.Type.DATE: "DATE", exp.DataType.Type.TEXT: "STRING",
    exp.DataType.Type.VARCHAR: "STRING", exp.DataType.Type.TIMESTAMPTZ: "TIMESTAMP",
    exp.DataType.Type.TIMESTAMPLTZ: "TIMESTAMP", exp.DataType.Type.TIMESTAMPNTZ: "TIMESTAMP_NTZ",
    exp.DataType.Type.BINARY: "BINARY",
}  # fmt: skip


def _cast_text(node: exp.Cast, ctx: Context, text: str) -> str | None:
    """`CAST((x + 1) AS INT)`, `TRY_CAST(...)`. A CAST of a literal is not named: DATE'2025-01-01' and 2.5D
    read as the same CAST as CAST('2025-01-01' AS DATE) and CAST(2.5 AS DOUBLE), which print otherwise."""
    child = node.this.this if isinstance(node.this, exp.Neg) else node.this
    if isinstance(child, (exp.Literal, exp.Null, exp.Boolean)):
        return None
    kind = node.to.this
    if kind == exp.DataType.Type.DECIMAL:
        params = [p.this.name for p in node.to.expressions]  # DECIMAL is DECIMAL(10,0), DECIMAL(5) DECIMAL(5,0)
        precision, scale = (params[0] if params else "10"), (params[1] if len(params) > 1 else "0")
        type_text = f"DECIMAL({precision},{scale})"
    elif kind in _TYPE_TEXT and not (kind == exp.DataType.Type.VARCHAR and node.to.expressions):
        type_text = _TYPE_TEXT[kind]
    else:
        return None
    inner = _printed(node.this, ctx, text)
    if inner is None:
        return None
    return f"{'TRY_CAST' if isinstance(node, exp.TryCast) else 'CAST'}({inner} AS {type_text})"


def _case_text(node: exp.Case, ctx: Context, text: str) -> str | None:
    """`CASE WHEN (x > 1) THEN a ELSE b END`; a simple CASE x WHEN 1 prints its tests as `(x = 1)`."""
    subject = node.args.get("this")
    pieces = ["CASE"]
    for branch in node.args.get("ifs") or []:
        test = branch.this if subject is None else exp.EQ(this=subject.copy(), expression=branch.this.copy())
        condition, value = _printed(test, ctx, text), _printed(branch.args.get("true"), ctx, text)
        if condition is None or value is None:
            return None
        pieces += ["WHEN", condition, "THEN", value]
    default = node.args.get("default")
    if default is not None:
        printed = _printed(default, ctx, text)
        if printed is None:
            return None
        pieces += ["ELSE", printed]
    return " ".join([*pieces, "END"])


def _is_null(node: exp.Expression) -> bool:
    return isinstance(node, exp.Is) and isinstance(node.expression, exp.Null)


def _call(node: exp.Func, ctx: Context, text: str) -> str | None:
    start, end = node.meta.get("start"), node.meta.get("end")
    if start is None or end is None or not text:
        return None
    name = text[start : end + 1].lower()
    distinct = isinstance(node.this, exp.Distinct)
    if distinct:
        values = list(node.this.expressions)
    elif isinstance(node, exp.Concat):
        values = list(node.expressions)
    else:
        values = [node.this, *node.expressions]
    if isinstance(node, exp.Round):
        decimals = node.args.get("decimals")
        values.append(decimals if decimals is not None else exp.Literal.number(0))  # round(x) is round(x, 0)
    if any(key not in ("this", "expressions", "decimals", *_FLAGS) and value for key, value in node.args.items()):
        return None  # a form with more to print (a rounding mode, a filter)
    printed = [_printed(value, ctx, text) for value in values if value is not None]
    if any(p is None for p in printed) or not printed:
        return None
    return f"{name}({'DISTINCT ' if distinct else ''}{', '.join(p for p in printed if p is not None)})"
