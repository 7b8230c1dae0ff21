"""Databricks SQL typed by a user, as DuckDB SQL that gives Databricks' answer, or a clear refusal.

sqlglot parses the statement as Databricks SQL. Every node of the tree must then be on an explicit
list: a construct whose DuckDB form sqlglot writes with the same meaning (checked against Spark by
the corpus in tests/fidelity), or one rewritten here (usually into a function of `dialect.runtime`).
Anything else is refused with one line naming it, so a construct nobody checked never runs with a
different meaning.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

import sqlglot
from sqlglot import exp
from sqlglot.dialects.databricks import Databricks
from sqlglot.dialects.duckdb import DuckDB
from sqlglot.errors import ParseError, TokenError
from sqlglot.generators.duckdb import DuckDBGenerator
from sqlglot.helper import seq_get
from sqlglot.parsers.databricks import DatabricksParser
from sqlglot.tokens import TokenType

from dialect import (
    aggregates,
    arrays,
    bits,
    casts,
    datetimes,
    decimals,
    implicit,
    jsonfunctions,
    jsonschema,
    lazy,
    like,
    nested_order,
    nestedcasts,
    numberformat,
    numbers,
    pivot,
    regexfunctions,
    strings,
    variant_sql,
)
from dialect.aliases import expand_aliases
from dialect.assignment import convert_assigned_values
from dialect.common import (
    DEFAULT_CATALOG,
    Context,
    arguments,
    call,
    cast_to,
    duck,
    known_type,
    literal_int,
    literal_string,
    own_name,
    spark_type,
    typed,
)
from dialect.datetime_patterns import (
    HOUR_TEXTS,
    QUARTER_MARKS,
    QUARTER_TEXTS,
    YEAR_MARK,
    YEAR_TEXT,
    has_short_year,
    has_two_digit_year,
    java_parse_shape,
    java_to_strftime,
)
from dialect.desugar import desugar
from dialect.errors import NotSupportedLocally, RejectedByDatabricks
from dialect.names import branches, collect_names, is_range, names_a_source, query_sources, values_columns
from dialect.nullfolding import drop_null_typed_day_arithmetic, keep_checks, unchecked_arguments
from dialect.output_names import name_outputs
from dialect.shapes import shape_of, type_name
from dialect.typecheck import (
    align_compared_struct_names,
    align_union_struct_names,
    check_inline_table,
    check_operands,
    check_same_kind,
    check_set_operation,
    guard_list_comparison,
    promote_strings,
    reject_distinct_maps,
    reject_map_ordering,
    reject_null_typed_arguments,
    slot_value,
)
from dialect.types import (
    ColumnType,
    data_type_name,
    decimal_division_type,
    decimal_parts,
    is_decimal,
    is_fractional,
    is_integral,
    is_numeric,
    operand_types,
    type_of,
)
from dialect.windows import frame as window_frame
from dialect.windows import inline_named_windows


def _date_diff_builder(args: list) -> exp.Expression:
    # datediff(end, start) counts days between dates; datediff(unit, start, end) is timestampdiff.
    if len(args) == 3:
        return exp.TimestampDiff(this=args[2], expression=args[1], unit=exp.var(args[0].name))
    return exp.DateDiff(this=args[0], expression=args[1] if len(args) > 1 else None)


class _Parser(DatabricksParser):
    FUNCTION_PARSERS = {**DatabricksParser.FUNCTION_PARSERS, "PERCENTILE": lambda self: self._parse_percentile()}

    def _to_prop_eq(self, expression: exp.Expr, index: int) -> exp.Expr:
        """A field of struct(...) left unnamed, named as Databricks names it: `struct(m['k'])` has a field
        `k`, `struct((c))` a field `c` (sqlglot would name both col1)."""
        if expression.is_star:
            return expression
        name = own_name(expression)
        key = expression.this if isinstance(expression, exp.Column) else exp.to_identifier(name or f"col{index + 1}")
        return self.expression(exp.PropertyEQ(this=key, expression=expression))

    _NESTED_TYPE_KEYWORDS = (TokenType.ARRAY, TokenType.MAP, TokenType.STRUCT)

    def _parse_types(
        self, check_func: bool = False, schema: bool = False, allow_identifiers: bool = True,
        with_collation: bool = False,
    ) -> exp.Expr | None:  # fmt: skip
        """Databricks writes ARRAY, MAP and STRUCT types with angle brackets only, so followed by '(' they
        are the functions: sqlglot took `array(NULL) < array(1)` for the start of a type and failed."""
        following = self._next.token_type if self._next else None
        if self._curr and self._curr.token_type in self._NESTED_TYPE_KEYWORDS and following == TokenType.L_PAREN:
            return None
        return super()._parse_types(check_func, schema, allow_identifiers, with_collation)

    # Spark's binary operators below the comparisons, loosest first: |, ^, &, then the shifts, then + - ||.
    # sqlglot reads | ^ & and the shifts at one level, and || below + and -: `7 ^ 2 & 3` would be
    # (7 ^ 2) & 3, not 7 ^ (2 & 3), and `'Q' || 1 + 1` would be 'Q2' where Databricks adds 1 to 'Q1'.
    _BITWISE_LEVELS = ((TokenType.PIPE, exp.BitwiseOr), (TokenType.CARET, exp.BitwiseXor),
                       (TokenType.AMP, exp.BitwiseAnd))  # fmt: skip

    def _parse_bitwise(self, level: int = 0) -> exp.Expr | None:
        if level == len(self._BITWISE_LEVELS):
            return self._parse_shift()
        token, operator = self._BITWISE_LEVELS[level]
        this = self._parse_bitwise(level + 1)
        while self._match(token):
            this = self.expression(operator(this=this, expression=self._parse_bitwise(level + 1)))
        return this

    def _parse_shift(self) -> exp.Expr | None:
        this = self._parse_term()
        while True:
            if self._match_pair(TokenType.LT, TokenType.LT):
                this = self.expression(exp.BitwiseLeftShift(this=this, expression=self._parse_term()))
            elif self._match_pair(TokenType.GT, TokenType.GT, advance=False):
                if self._open_complex_types():
                    self.raise_error("after ARRAY, MAP or STRUCT without its closing '>', Databricks reads >> as "
                                     "two '>' (PARSE_SYNTAX_ERROR); write shiftright(...)")  # fmt: skip
                self._advance(2)
                if self._match(TokenType.GT):  # >>>
                    this = exp.Anonymous(this="shiftrightunsigned", expressions=[this, self._parse_term()])
                else:
                    this = self.expression(exp.BitwiseRightShift(this=this, expression=self._parse_term()))
            else:
                return this

    def _open_complex_types(self) -> bool:
        """Whether Spark's lexer, here, counts an ARRAY, MAP or STRUCT keyword not yet closed by a '>' (each
        such keyword adds one, each '>' takes one away): it then lexes `>>` as two '>' for `ARRAY<ARRAY<INT>>`,
        so `SELECT array(1), 10 >> 3` is a syntax error in Databricks."""
        level = 0
        for token in self._tokens[: self._index]:
            if token.token_type in (TokenType.ARRAY, TokenType.MAP, TokenType.STRUCT):
                level += 1
            elif token.token_type == TokenType.GT and level:
                level -= 1
        return level > 0

    _TERM = {TokenType.PLUS: exp.Add, TokenType.DASH: exp.Sub, TokenType.DPIPE: exp.DPipe}

    def _parse_term(self, parse_mod: bool = True) -> exp.Expr | None:
        this = self._parse_collated(parse_mod)
        while self._match_set(self._TERM):
            operator, comments = self._TERM[self._prev.token_type], self._prev_comments
            node: exp.Expr = operator(this=this, expression=self._parse_collated(parse_mod))
            if isinstance(node, exp.DPipe):
                node.set("safe", True)  # as sqlglot sets it for Databricks (its concat is not strict)
            this = self.expression(node, comments=comments)
        return this

    def _parse_collated(self, parse_mod: bool) -> exp.Expr | None:
        """An operand with its COLLATE clauses, which bind tighter than any operator."""
        this = self._parse_factor(parse_mod=parse_mod)
        while self._match(TokenType.COLLATE):
            this = self.expression(exp.Collate(this=this, expression=self._parse_factor(parse_mod=parse_mod)))
            self._normalize_collate(this)
        return this

    def _parse_percentile(self) -> exp.Expression:
        # sqlglot drops a third argument (each value's frequency); keep it so that it is refused.
        distinct = self._match(TokenType.DISTINCT)
        args = [self._parse_lambda()]
        if self._match(TokenType.COMMA):
            args.extend(self._parse_function_args())
        if distinct:
            args[0] = exp.Distinct(expressions=[args[0]])
        if len(args) > 2:
            return exp.Anonymous(this="percentile", expressions=args)
        return exp.Quantile(this=args[0], quantile=seq_get(args, 1))

    # Units and formats kept as written: sqlglot would read trunc(d, 'Q') as a quarter, which
    # Databricks does not (NULL).
    FUNCTIONS = {
        **DatabricksParser.FUNCTIONS,
        "TRUNC": lambda args: exp.Anonymous(this="trunc", expressions=args),
        "DATE_TRUNC": lambda args: exp.Anonymous(this="date_trunc", expressions=args),
        "DATEDIFF": _date_diff_builder,
        "DATE_DIFF": _date_diff_builder,
        # log10(x) is Math.log10; log(10, x) divides natural logarithms. sqlglot reads both as one node.
        "LOG10": lambda args: exp.Anonymous(this="log10", expressions=args),
        # The path kept as written: sqlglot's reader accepts paths that Spark's finds malformed.
        "GET_JSON_OBJECT": lambda args: exp.JSONExtractScalar(this=seq_get(args, 0), expression=seq_get(args, 1)),
        # Kept as written: sqlglot reads them as AT TIME ZONE over a CAST, which hides the argument's type.
        "FROM_UTC_TIMESTAMP": lambda args: exp.Anonymous(this="from_utc_timestamp", expressions=args),
        "TO_UTC_TIMESTAMP": lambda args: exp.Anonymous(this="to_utc_timestamp", expressions=args),
        "TIMESTAMPDIFF": lambda args: exp.TimestampDiff(this=args[2], expression=args[1], unit=exp.var(args[0].name)),
    }


class DatabricksSql(Databricks):
    """Databricks SQL as sqlglot reads it, with Spark's operator precedence and datetime patterns kept as
    written (Java letters)."""

    TIME_MAPPING: dict[str, str] = {}

    class Tokenizer(Databricks.Tokenizer):
        # 'it''s' is "it's" in Databricks, as in standard SQL.
        STRING_ESCAPES = ["\\", "'"]

    Parser = _Parser


class _DuckDB(DuckDB):
    """DuckDB as written for the local engine: every ORDER BY key states where its NULLs go.

    sqlglot leaves out the null order it takes for DuckDB's default, but the local engine's default is
    Databricks' (NULLS FIRST ascending), so an omitted NULLS LAST would silently become NULLS FIRST."""

    class Generator(DuckDBGenerator):
        def ordered_sql(self, expression: exp.Ordered) -> str:
            direction = " DESC" if expression.args.get("desc") else " ASC"
            nulls = " NULLS FIRST" if expression.args.get("nulls_first") else " NULLS LAST"
            return f"{self.sql(expression, 'this')}{direction}{nulls}"


def translate(
    sql: str,
    *,
    catalog: str = DEFAULT_CATALOG,
    column_type: ColumnType | None = None,
    has_column: Callable[[str], bool] | None = None,
    variables: frozenset[str] = frozenset(),
    table_columns: Callable[[str | None, str], list[tuple[str, str]] | None] | None = None,
    variant_outputs: bool = False,
) -> str:
    """One Databricks statement as DuckDB SQL; raises NotSupportedLocally. `column_type` types the names of
    the lakehouse's columns (and variables); `has_column` tells whether a table may have a column;
    `variables` names the script variables in reach; `table_columns` gives a table's columns and types;
    `variant_outputs`: the result goes to the user, so a VARIANT may be one of its columns (as its JSON)."""
    tree = parse_statement(sql)
    ctx = Context(catalog, column_type or (lambda name: None), backticks="`" in sql, variables=variables)
    if has_column is not None:
        ctx.has_column = has_column
    if table_columns is not None:
        ctx.table_columns = table_columns
    return translate_tree(tree, ctx, variant_outputs=variant_outputs)


def translate_expression(sql: str, *, catalog: str = DEFAULT_CATALOG, column_type: ColumnType | None = None) -> str:
    """One Databricks expression (a condition, a SET value) as a DuckDB expression."""
    tree = parse_statement(f"SELECT {sql}")
    assert isinstance(tree, exp.Select)
    if len(tree.expressions) != 1 or tree.args.get("from") or tree.args.get("from_"):
        raise NotSupportedLocally(f"the expression {sql!r}", "write one expression")
    ctx = Context(catalog, column_type or (lambda name: None), backticks="`" in sql)
    out = translate_tree(tree, ctx, name_columns=False)
    return out[len("SELECT ") :]


_TYPED_LITERAL_TYPES = {TokenType.DATE, TokenType.TIMESTAMP, TokenType.TIMESTAMPTZ, TokenType.TIMESTAMPNTZ,
                        TokenType.TIMESTAMPLTZ, TokenType.DATETIME}  # fmt: skip


_OPERAND_ENDS = {TokenType.NUMBER, TokenType.STRING, TokenType.VAR, TokenType.IDENTIFIER, TokenType.R_PAREN,
                 TokenType.R_BRACKET, TokenType.NULL, TokenType.TRUE, TokenType.FALSE}  # fmt: skip


def _ends_operand(tokens: list, index: int) -> bool:
    """Whether the token at `index` (the one before a minus) ends an operand, so that the minus subtracts.
    A literal's suffix (the D of 2.5D, read as `::DOUBLE`) ends one too: its `::` starts where the number does."""
    if index < 0:
        return False
    token = tokens[index]
    if token.token_type in _OPERAND_ENDS:
        return True
    return (
        index >= 2
        and tokens[index - 1].token_type == TokenType.DCOLON
        and tokens[index - 2].token_type == TokenType.NUMBER
        and tokens[index - 1].start == tokens[index - 2].start
    )


def _parenthesize_typed_literals(sql: str) -> str:
    """`DATE'2025-01-31'::TIMESTAMP` as `(DATE'2025-01-31')::TIMESTAMP`: sqlglot would apply the `::`
    to the string inside the literal, and turn the value back into a DATE."""
    try:
        tokens = DatabricksSql().tokenize(sql)
    except TokenError:
        return sql
    spans = [
        (first.start, text.end)
        for first, text, colon in zip(tokens, tokens[1:], tokens[2:], strict=False)
        if first.token_type in _TYPED_LITERAL_TYPES and text.token_type == TokenType.STRING
        and colon.token_type == TokenType.DCOLON
    ]  # fmt: skip
    # -2.5D::STRING: Databricks reads -2.5D as one literal, sqlglot as -(2.5D::STRING).
    spans += [
        (minus.start, number.end)
        for index, (minus, number, colon) in enumerate(zip(tokens, tokens[1:], tokens[2:], strict=False))
        if minus.token_type == TokenType.DASH and number.token_type == TokenType.NUMBER
        and colon.token_type == TokenType.DCOLON and not _ends_operand(tokens, index - 1)
    ]  # fmt: skip
    spans.sort()
    for start, end in reversed(spans):
        sql = f"{sql[:start]}({sql[start : end + 1]}){sql[end + 1 :]}"
    return sql


_SUFFIXED_INTEGERS = {TokenType.BIGINT: "BIGINT", TokenType.SMALLINT: "SMALLINT", TokenType.TINYINT: "TINYINT"}


def _negative_suffixed_integers(sql: str) -> str:
    """`-9223372036854775808L` as `CAST(-9223372036854775808 AS BIGINT)`: in Databricks the minus is
    part of the literal, while sqlglot would negate 9223372036854775808L, which no BIGINT holds."""
    try:
        tokens = DatabricksSql().tokenize(sql)
    except TokenError:
        return sql
    spans = [
        (minus.start, number.end, _SUFFIXED_INTEGERS[suffix.token_type], number.text)
        for index, (minus, number, colon, suffix) in enumerate(zip(tokens, tokens[1:], tokens[2:], tokens[3:],
                                                                   strict=False))
        if minus.token_type == TokenType.DASH and number.token_type == TokenType.NUMBER and number.text.isdigit()
        and colon.token_type == TokenType.DCOLON and colon.start == number.start  # the suffix, not a written ::
        and suffix.token_type in _SUFFIXED_INTEGERS and not _ends_operand(tokens, index - 1)
    ]  # fmt: skip
    for start, end, kind, digits in reversed(spans):
        sql = f"{sql[:start]}CAST(-{digits} AS {kind}){sql[end + 1 :]}"
    return sql


def parse_statement(sql: str) -> exp.Expression:
    sql = _negative_suffixed_integers(_parenthesize_typed_literals(sql))
    try:
        trees = [t for t in sqlglot.parse(sql, read=DatabricksSql) if isinstance(t, exp.Expression)]
    except (ParseError, TokenError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else "syntax error"
        raise NotSupportedLocally(f"this statement ({first})", "check its syntax or run it on Databricks") from exc
    if len(trees) != 1:
        raise NotSupportedLocally(f"a text of {len(trees)} statements", "pass one statement")
    trees[0].meta["text"] = sql  # what the nodes' positions (meta start and end) point into
    return trees[0]


def translate_tree(
    tree: exp.Expression, ctx: Context, *, name_columns: bool = True, variant_outputs: bool = False
) -> str:
    """The DuckDB text of a Databricks statement; `name_columns` gives its result's unnamed columns their
    Databricks names (dialect.output_names), which an expression wrapped in a SELECT must not get."""
    text = tree.meta.get("text", "")
    _check_statement(tree)
    variant_sql.confine(tree, outputs=variant_outputs, column_type=ctx.column_type)
    ctx.mentions_ntz = any(t.this == exp.DataType.Type.TIMESTAMPNTZ for t in tree.find_all(exp.DataType))
    reject_null_typed_arguments(tree)
    drop_null_typed_day_arithmetic(tree)
    tree = inline_named_windows(tree)
    tree = pivot.desugar_pivots(tree)
    tree = desugar(tree)
    aggregates.reject_nondeterministic_arguments(tree)
    expand_aliases(tree, ctx)
    collect_names(tree, ctx)
    reject_null_typed_arguments(tree)  # again, with what columns hold now known
    for typeof in tree.find_all(exp.Typeof):  # told apart before the rewrite hides the functions
        typeof.meta["checked_as_it_runs"] = _checked_as_it_runs(typeof.this)
    convert_assigned_values(tree, ctx)
    align_union_struct_names(tree, ctx)
    align_compared_struct_names(tree, ctx)
    reject_distinct_maps(tree, ctx)
    if name_columns:
        name_outputs(tree, ctx, text)
    rewritten = _rewrite(tree, ctx)
    if variant_outputs and isinstance(rewritten, exp.Select):
        rewritten.set("expressions", [variant_sql.as_output(item) for item in rewritten.expressions])
    return rewritten.sql(dialect=_DuckDB)


# -- statements ---------------------------------------------------------------------------------------

_QUERY = (exp.Select, exp.Union, exp.Intersect, exp.Except, exp.Values, exp.Subquery)


def _check_statement(tree: exp.Expression) -> None:
    if isinstance(tree, _QUERY):
        return
    if isinstance(tree, exp.Insert) and tree.args.get("overwrite"):
        raise NotSupportedLocally("INSERT OVERWRITE", "DELETE FROM the table, then INSERT INTO it")
    if isinstance(tree, (exp.Insert, exp.Update, exp.Delete)):
        return
    if isinstance(tree, exp.Create):
        kind = (tree.args.get("kind") or "").upper()
        if kind in ("TABLE", "VIEW", "SCHEMA", "DATABASE"):
            return
        raise NotSupportedLocally(f"CREATE {kind}")
    if isinstance(tree, exp.Drop):
        kind = (tree.args.get("kind") or "").upper()
        if kind in ("TABLE", "VIEW", "SCHEMA", "DATABASE"):
            return
        raise NotSupportedLocally(f"DROP {kind}")
    if isinstance(tree, exp.Command):
        raise NotSupportedLocally(f"the statement {tree.name.upper()}")
    raise NotSupportedLocally(f"the statement {_statement_name(tree)}")


def _statement_name(tree: exp.Expression) -> str:
    text = tree.sql(dialect="databricks")
    return " ".join(text.split()[:2]).upper()


# -- the rewrite --------------------------------------------------------------------------------------


def _rewrite(node: exp.Expression, ctx: Context) -> exp.Expression:
    node_type = type_of(node, ctx.type_of_name)
    if node_type in ("LIST", "MAP", "STRUCT") and "spark_shape" not in node.meta:
        # What the value holds, read from the statement as written: its rewrite may no longer tell.
        shape = shape_of(node, ctx)
        if isinstance(shape, tuple):
            node.meta["spark_shape"] = shape
    unchecked = unchecked_arguments(node, ctx)
    for key, value in list(node.args.items()):
        if isinstance(value, exp.Expression):
            node.set(key, _rewrite(value, ctx))
        elif isinstance(value, list):
            node.set(key, [_rewrite(v, ctx) if isinstance(v, exp.Expression) else v for v in value])
    if node_type is None:
        # The rewritten children may know their types where the written ones did not (a handler typed them).
        node.meta.pop("spark_type", None)
        node_type = type_of(node, ctx.type_of_name)
    checks = [value.copy() for key, index in unchecked if (value := slot_value(node, key, index)) is not None]
    result = _rewrite_node(node, ctx)
    if node_type == "INTEGER" and _bigint_in_duckdb(node):
        result = cast_to(result, "INTEGER")  # INT arithmetic overflows where BIGINT does not
    if checks:
        result = keep_checks(result, checks, node_type)
    if node_type is not None or "spark_type" not in result.meta:
        result.meta["spark_type"] = node_type  # a handler may know the type where the tree did not
    if "spark_shape" in node.meta:
        result.meta.setdefault("spark_shape", node.meta["spark_shape"])
    return result


# Functions of two arguments Databricks evaluates one after the other, stopping at a NULL: the first
# argument evaluated, then the second.
_BINARY_FUNCTIONS: dict[type, tuple[str, str]] = {
    exp.TsOrDsAdd: ("this", "expression"),
    exp.AddMonths: ("this", "expression"),
    exp.Atan2: ("this", "expression"),
    exp.TimestampAdd: ("expression", "this"),
}


def _sides_in_order(node: exp.Expression) -> tuple[exp.Expression, exp.Expression] | None:
    """The two sides of an operator or function Databricks evaluates first side first, answering NULL
    for a NULL first side without evaluating the other (copies, both translated); None for others.

    Not the `=` of an assignment (`SET x = ...`), nor a comparison of a WHERE, ON, HAVING or QUALIFY
    condition, where Databricks may take each side as a join key, evaluated on its own, and where the
    CASE would keep DuckDB from joining by hash or filtering the scan."""
    order = _BINARY_FUNCTIONS.get(type(node))
    if order is None and isinstance(node, lazy.LEFT_FIRST) and _evaluated_left_first(node):
        order = ("this", "expression")
    first, second = (node.args.get(key) for key in order) if order else (None, None)
    if first is None or second is None or lazy.cannot_fail(second):
        return None  # nothing to guard: no copies
    return first.copy(), second.copy()


def _evaluated_left_first(node: exp.Expression) -> bool:
    if isinstance(node.parent, (exp.Update, exp.SetItem)):
        return False
    if isinstance(node, (exp.Add, exp.Sub, exp.Mul, exp.BitwiseLeftShift, exp.BitwiseRightShift)):
        return True
    parent = node.parent
    while isinstance(parent, (exp.And, exp.Or, exp.Not, exp.Paren)):
        parent = parent.parent
    return not isinstance(parent, (exp.Where, exp.Join, exp.Having, exp.Qualify))


def _bigint_in_duckdb(node: exp.Expression) -> bool:
    """A function Databricks types INT whose DuckDB counterpart returns BIGINT."""
    if isinstance(node, exp.Anonymous):
        return node.name.lower() in ("octet_length", "json_array_length")
    return isinstance(node, (exp.Length, exp.BitLength, exp.StrPosition, exp.DayOfWeek))


def _rewrite_node(node: exp.Expression, ctx: Context) -> exp.Expression:
    if isinstance(node, exp.Between) and _mixes_strings(node, ctx):
        return _between_as_comparisons(node, ctx)
    check_operands(node, ctx)

    def convert(value: exp.Expression, kind: str) -> exp.Expression:
        return _implicit_cast(value, kind, ctx)

    promote_strings(node, ctx, convert)
    guard_list_comparison(node, ctx)
    if isinstance(node, (exp.GT, exp.GTE, exp.LT, exp.LTE, exp.Between)):
        nested_order.compare_by_key(node, ctx)
    implicit.cast_arguments(node, ctx, convert)
    numbers.widen_floats(node, ctx)
    sides = _sides_in_order(node)  # as Databricks reads them, implicit casts included
    result = _dispatch(node, ctx)
    return result if sides is None else lazy.left_first(*sides, result)


def _mixes_strings(node: exp.Between, ctx: Context) -> bool:
    kinds = {
        "NULL" if isinstance(value, exp.Null) else spark_type(value, ctx)
        for value in (node.this, node.args["low"], node.args["high"])
    }
    return "VARCHAR" in kinds and len(kinds) > 1


def _between_as_comparisons(node: exp.Between, ctx: Context) -> exp.Expression:
    """`v BETWEEN low AND high` where a STRING meets another type: Databricks reads it as `v >= low AND
    v <= high` and casts a string in each comparison on its own, so `'10' BETWEEN '9' AND 20` compares
    '10' with '9' as text (false); casting the three values to one type answered true."""
    value = node.this
    if lazy.volatile(value):
        raise NotSupportedLocally(
            "BETWEEN of a value that changes at each evaluation beside a string", "write the two comparisons"
        )
    lower = _rewrite_node(exp.GTE(this=value, expression=node.args["low"]), ctx)
    upper = _rewrite_node(exp.LTE(this=value.copy(), expression=node.args["high"]), ctx)
    return exp.Paren(this=_rewrite_node(exp.And(this=lower, expression=upper), ctx))


def _dispatch(node: exp.Expression, ctx: Context) -> exp.Expression:
    handler = HANDLERS.get(type(node))
    if handler is not None:
        return handler(node, ctx)
    if type(node) in PASS:
        return node
    if isinstance(node, exp.Anonymous):
        name = node.name.lower()
        if name in ANONYMOUS:
            return ANONYMOUS[name](node, ctx)
        raise NotSupportedLocally(f"{name}(...)")
    raise NotSupportedLocally(describe(node))


def _implicit_cast(value: exp.Expression, kind: str, ctx: Context) -> exp.Expression:
    """The CAST Databricks adds where a value of another type meets a function or operator."""
    if kind == "TIMESTAMP_NTZ":
        return casts.as_timestamp_ntz(value, ctx)
    return _cast(typed(exp.Cast(this=value, to=exp.DataType.build(kind)), kind), ctx)


def describe(node: exp.Expression) -> str:
    """How the user wrote a construct, for the refusal: `months_between(...)`, `the operator X`."""
    if isinstance(node, exp.Func):
        text = node.sql(dialect="databricks")
        name = text.split("(", 1)[0].strip().lower() if "(" in text else type(node).__name__.lower()
        return f"{name}(...)"
    if isinstance(node, exp.DataType):
        return f"the type {node.sql(dialect='databricks')}"
    text = " ".join(node.sql(dialect="databricks").split())
    return f"{text[:60]!r} ({type(node).__name__})"


# Structure and operators whose DuckDB form, as sqlglot writes it, means what Databricks means.
PASS: set[type] = {
    exp.Select, exp.Union, exp.Intersect, exp.Except, exp.Subquery, exp.From, exp.Join, exp.Where, exp.Group,
    exp.Rollup, exp.Cube, exp.GroupingSets,
    exp.Having, exp.Order, exp.Limit, exp.Offset, exp.With, exp.CTE, exp.TableAlias, exp.Alias, exp.Identifier,
    exp.Star, exp.Paren, exp.Values, exp.Tuple, exp.Boolean, exp.Null, exp.Distinct, exp.Case, exp.If, exp.In,
    exp.Between, exp.Not, exp.And, exp.Or, exp.EQ, exp.NEQ, exp.GT, exp.GTE, exp.LT, exp.LTE, exp.Is,
    exp.NullSafeEQ, exp.NullSafeNEQ, exp.Add, exp.Sub, exp.Mul, exp.Neg, exp.Coalesce, exp.Nullif, exp.Lower,
    exp.Upper, exp.Length, exp.Replace, exp.Left, exp.Right, exp.Reverse, exp.StartsWith,
    exp.EndsWith, exp.Abs, exp.Sign, exp.Exp, exp.Pow, exp.Floor, exp.Ceil, exp.Round,
    exp.Count, exp.Sum, exp.Avg, exp.Min, exp.Max, exp.CountIf, exp.Window, exp.WindowSpec, exp.RowNumber,
    exp.Rank, exp.DenseRank, exp.Lag, exp.Lead, exp.FirstValue, exp.LastValue, exp.Ntile, exp.PercentRank,
    exp.CumeDist, exp.Quarter, exp.Year, exp.Month, exp.Day, exp.DayOfMonth, exp.DayOfYear, exp.Hour,
    exp.Minute, exp.Second, exp.LastDay, exp.CurrentDate, exp.Insert, exp.Update, exp.Delete, exp.Create,
    exp.Drop, exp.Schema, exp.ColumnDef, exp.Filter, exp.Lambda, exp.Transform, exp.ArrayFilter,
    exp.ArrayContains, exp.ArrayDistinct, exp.StrPosition, exp.Ascii, exp.Chr, exp.Pi, exp.Degrees, exp.Radians,
    exp.Sin, exp.Cos, exp.Tan, exp.Asin, exp.Acos, exp.Atan, exp.Atan2, exp.Stddev, exp.StddevPop,
    exp.StddevSamp, exp.Variance, exp.VariancePop, exp.Corr, exp.CovarPop, exp.CovarSamp, exp.LogicalAnd,
    exp.LogicalOr, exp.ArgMax, exp.ArgMin, exp.Median, exp.Struct, exp.PropertyEQ, exp.Dot, exp.Array,
    exp.ArrayMax, exp.ArrayMin, exp.Nvl2, exp.MD5, exp.SHA, exp.ConcatWs, exp.ArrayToString,
    exp.ArrayUniqueAgg, exp.ArrayAgg, exp.Slice, exp.EqualNull, exp.Unnest, exp.Lateral, exp.PrimaryKey,
    exp.NotNullColumnConstraint, exp.ColumnConstraint, exp.PrimaryKeyColumnConstraint, exp.Ordered,
    exp.Interval, exp.Var, exp.Kwarg, exp.Exists, exp.Any, exp.All, exp.Tuple, exp.SetItem, exp.Intersect,
    exp.Translate, exp.Initcap, exp.ArraySize, exp.Explode, exp.DateDiff, exp.Hex, exp.Sqrt,
    exp.Nanvl, exp.Factorial, exp.Trim, exp.Contains, exp.SplitPart, exp.Levenshtein, exp.DataTypeParam,
    exp.WeekOfYear, exp.NextDay, exp.TimestampFromParts, exp.Flatten, exp.MapKeys, exp.Rand, exp.Uuid,
    exp.JSONPath, exp.JSONPathRoot, exp.JSONPathKey, exp.JSONPathSubscript, exp.JSONExtractScalar,
    exp.JSONFormat, exp.Placeholder, exp.BitLength, exp.BitwiseAnd, exp.BitwiseOr, exp.BitwiseXor,
    exp.Qualify, exp.AnyValue,
}  # fmt: skip
PASS -= {exp.Extract, exp.Bracket}


# -- handlers -----------------------------------------------------------------------------------------


def _table(node: exp.Table, ctx: Context) -> exp.Expression:
    catalog = node.args.get("catalog")
    if catalog is not None:
        if catalog.name.lower() != ctx.catalog.lower():
            raise NotSupportedLocally(
                f"the catalog {catalog.name} in {node.sql(dialect='databricks')}",
                f"the local target has one catalog, {ctx.catalog} (the [workspace] catalog of lakehouse.toml)",
            )
        node.set("catalog", None)
    if is_range(node):
        # range(...) in FROM: Databricks names its column id, DuckDB range.
        numbers = exp.select(exp.Alias(this=exp.column("range"), alias=exp.to_identifier("id")))
        return exp.Subquery(this=numbers.from_(exp.Table(this=node.this)), alias=node.args.get("alias"))
    return node


def _range(node: exp.Anonymous, ctx: Context) -> exp.Expression:
    """range(end), range(start, end[, step[, partitions]]) in FROM: BIGINTs from start (0) up to end,
    excluded, by step (1); the number of partitions changes nothing here."""
    if not isinstance(node.parent, exp.Table):
        raise NotSupportedLocally("range(...) outside FROM")
    given = arguments(node, 1, 4)
    if not all(is_integral(spark_type(a, ctx)) for a in given):
        raise NotSupportedLocally("range of values that are not integers")
    bounds = given[:3] if len(given) > 1 else [exp.Literal.number(0), given[0]]
    node.set("expressions", [cast_to(b, "BIGINT") for b in bounds])
    return node


def _column(node: exp.Column, ctx: Context) -> exp.Expression:
    catalog = node.args.get("catalog")
    if catalog is not None:
        if names_a_source(node, catalog.name):
            # `e.dates.start.localDate`: a field of a struct column of the table aliased e
            return arrays.column_through_array(node, ctx)
        if ctx.type_of_name(catalog.name.lower()) in ("STRUCT", "LIST"):
            return arrays.column_through_array(node, ctx)  # `_embedded.venues.city.name`: fields of a column
        if catalog.name.lower() != ctx.catalog.lower():
            raise NotSupportedLocally(f"the catalog {catalog.name} in {node.sql(dialect='databricks')}")
        node.set("catalog", None)
    if node.table:
        return arrays.column_through_array(node, ctx)
    return node


def _literal(node: exp.Literal, ctx: Context) -> exp.Expression:
    if node.is_string:
        return node
    kind = spark_type(node, ctx)
    if is_decimal(kind) and decimal_parts(kind)[0] > 38:
        raise RejectedByDatabricks("DECIMAL_PRECISION_EXCEEDS_MAX_PRECISION",
                                   f"the literal {node.this} has more than 38 digits")  # fmt: skip
    if kind and kind.startswith("DECIMAL") and "." not in node.this and "e" not in node.this.lower():
        return cast_to(node, kind)  # an integer too large for BIGINT is a DECIMAL in Databricks
    return node


def _data_type(node: exp.DataType, ctx: Context) -> exp.Expression:
    if nestedcasts.nested_kind(node) is not None:
        written = node.sql(dialect="databricks")
        if nestedcasts.in_cast_target(node):
            node.meta["written"] = written
            return node  # cast part by part (the types inside are DuckDB's now)
        if nestedcasts.in_table_column(node):
            if any(part.meta.get(casts.WITHOUT_TIME_ZONE) for part in node.find_all(exp.DataType)):
                raise NotSupportedLocally(f"a table column of the type {written}, with a TIMESTAMP_NTZ inside")
            if any(field.args.get("constraints") for field in node.find_all(exp.ColumnDef)):
                raise NotSupportedLocally(f"a table column of the type {written}, with NOT NULL or COMMENT on a field")
            return node  # a column's type (the types inside are DuckDB's now); INSERT stores by Databricks' rules
        raise NotSupportedLocally(f"the type {written}")
    name = data_type_name(node)
    if name is None:
        raise NotSupportedLocally(f"the type {node.sql(dialect='databricks')}")
    built = exp.DataType.build(name, dialect="duckdb")
    built.meta["written"] = node.sql(dialect="databricks")  # for messages: TIMESTAMP, not DuckDB's name for it
    if node.this == exp.DataType.Type.TIMESTAMPNTZ:
        built.meta[casts.WITHOUT_TIME_ZONE] = True
    return built


_INTEGRAL_CAST = {"TINYINT": "spark_to_tinyint", "SMALLINT": "spark_to_smallint", "INTEGER": "spark_to_int",
                  "BIGINT": "spark_to_bigint"}  # fmt: skip


def _cast(node: exp.Cast, ctx: Context) -> exp.Expression:
    if spark_type(node.this, ctx) == variant_sql.VARIANT:
        return variant_sql.variant_cast(node, ctx, _cast)
    if nestedcasts.nested_kind(node.to) is not None:
        return nestedcasts.nested_cast(node, ctx, lambda part: _cast(part, ctx))
    return casts.cast(node, ctx, to_string, _INTEGRAL_CAST)


def _listagg(node: exp.GroupConcat, ctx: Context) -> exp.Expression:
    """listagg / string_agg: the values' text in the WITHIN GROUP order, NULLs skipped; the delimiter ''
    unless given (DuckDB's default is ',')."""
    value, order = node.this, None
    if isinstance(value, exp.Order):
        value, order = value.this, value
    distinct = isinstance(value, exp.Distinct)
    if distinct:
        if len(value.expressions) != 1:
            raise NotSupportedLocally("listagg(DISTINCT ...) of several values")
        value = value.expressions[0]
    if order is None:
        raise NotSupportedLocally("listagg without WITHIN GROUP (ORDER BY ...)",
                                  "add WITHIN GROUP (ORDER BY ...): without it Databricks joins the values in "
                                  "no particular order")  # fmt: skip
    if distinct and [o.this for o in order.expressions] != [value]:
        raise RejectedByDatabricks("INVALID_WITHIN_GROUP_EXPRESSION.MISMATCH_WITH_DISTINCT_INPUT",
                                   "listagg(DISTINCT x) WITHIN GROUP ordered by other than x")  # fmt: skip
    kind = known_type(value, ctx, "listagg")
    if kind == "BLOB":
        raise NotSupportedLocally("listagg of BINARY values")
    if distinct and kind != "VARCHAR":
        # DuckDB orders a DISTINCT aggregate only by its argument, here the value's text, not the value.
        raise NotSupportedLocally(f"listagg(DISTINCT ...) of a {kind}", "CAST it to STRING and order by that")
    text = value if kind == "VARCHAR" else to_string(value, kind)
    separator = node.args.get("separator")
    if separator is None or isinstance(separator, exp.Null):
        separator = exp.Literal.string("")
    elif spark_type(separator, ctx) != "VARCHAR":
        raise NotSupportedLocally("listagg with a delimiter that is not a string")
    inner = exp.Distinct(expressions=[text]) if distinct else text
    ordered = exp.Order(this=inner, expressions=order.expressions)
    return typed(exp.GroupConcat(this=ordered, separator=separator), "VARCHAR")


def to_string(value: exp.Expression, source: str | None) -> exp.Expression:
    """CAST(value AS STRING) with Databricks' text for every type the corpus checks."""
    if is_decimal(source) and decimal_parts(source)[0] == decimal_parts(source)[1]:
        # DuckDB writes a DECIMAL whose digits are all after the point without its 0 (.2, -.25).
        return duck("regexp_replace({t}, '^(-?)[.]', '\\10.')", t=cast_to(value, "VARCHAR"))
    if source in ("VARCHAR",) or is_integral(source) or is_decimal(source) or source == "BOOLEAN":
        return cast_to(value, "VARCHAR")
    if source == "DATE":
        return call("spark_date_to_string", value)
    if source == "FLOAT":
        # Java 17's Float.toString, which does not always print the shortest digits (9.9999998E12).
        return call("spark_float_to_string", cast_to(value, "FLOAT"))
    if source == "DOUBLE":
        return call("spark_double_to_string", cast_to(value, "DOUBLE"))
    if source == "TIMESTAMP":
        return call("spark_timestamp_to_string", value)
    if source is not None and source.startswith("INTERVAL"):
        # Databricks writes INTERVAL '3' DAY; DuckDB writes 3 days.
        raise NotSupportedLocally("the text of an INTERVAL (CAST to STRING, concat)")
    if source == "LIST":
        return call("spark_list_to_string", value)
    return call("spark_to_string", value)


def _div(node: exp.Div, ctx: Context) -> exp.Expression:
    a, b = node.this, node.expression
    left, right = operand_types(a, b, spark_type(a, ctx), spark_type(b, ctx))
    if left and right and is_numeric(left) and is_numeric(right):
        if (is_decimal(left) or is_decimal(right)) and not ({left, right} & {"DOUBLE", "FLOAT"}):
            return _decimal_divide(node.this, node.expression, left, right)
        return call("spark_divide", cast_to(node.this, "DOUBLE"), cast_to(node.expression, "DOUBLE"))
    return call("spark_divide_checked", node.this, node.expression)


def _decimal_divide(a: exp.Expression, b: exp.Expression, left: str, right: str) -> exp.Expression:
    """DECIMAL / DECIMAL rounded half-up to Spark's result scale, computed exactly on 128-bit integers."""
    result = decimal_division_type(left, right)
    if not decimals.fits_natively("/", left, right, result):
        return decimals.exact_arithmetic("/", a, b, left, right, result)
    _, scale = decimal_parts(result)
    p1, s1 = decimal_parts(left)
    p2, s2 = decimal_parts(right)
    shift = scale + s2 - s1
    numerator = f"{decimals.unscaled('a', p1, s1)} * CAST({10**shift} AS HUGEINT)"
    denominator = decimals.unscaled("b", p2, s2)
    unit = decimals.unit_in_last_place(scale)
    quotient = f"CAST(spark_div_half_up({numerator}, {denominator}) AS DECIMAL(38,0)) * {unit}"
    return typed(cast_to(duck(decimals.divisor_first(quotient), a=a, b=b), result), result)


def _mod(node: exp.Mod, ctx: Context) -> exp.Expression:
    left, right = numbers.widen_operands([node.this, node.expression], spark_type(node, ctx), ctx)
    return _remainder_type(node, call("spark_mod", left, right), ctx)


def _int_div(node: exp.IntDiv, ctx: Context) -> exp.Expression:
    left, right = spark_type(node.this, ctx), spark_type(node.expression, ctx)
    numbers.check_int_div(left, right)
    if is_integral(left) and is_integral(right):
        # On BIGINTs, as Databricks divides: an INT's smallest value DIV -1 is 2147483648, no overflow.
        return call("spark_int_divide", cast_to(node.this, "BIGINT"), cast_to(node.expression, "BIGINT"))
    if is_numeric(left) and is_numeric(right):
        if {left, right} & {"DOUBLE", "FLOAT"}:
            return call("spark_frac_divide", node.this, node.expression)
        return _decimal_int_divide(node.this, node.expression, left, right)
    raise NotSupportedLocally("DIV of operands of unknown type", "CAST them to a numeric type")


def _decimal_int_divide(a: exp.Expression, b: exp.Expression, left: str, right: str) -> exp.Expression:
    """a DIV b of DECIMALs (an integer among them counted as a DECIMAL of its digits), as Databricks takes
    it: the exact quotient, truncated toward zero, on 128-bit integers, its low 64 bits past the BIGINT
    range. DuckDB divides DECIMALs as DOUBLEs, whose 53 bits lost the last digits of a large quotient."""
    (p1, s1), (p2, s2) = decimal_parts(left), decimal_parts(right)
    if p1 + s2 > 38 or p2 + s1 > 38:
        raise NotSupportedLocally(f"DIV of a {left} and a {right}", "CAST them to narrower DECIMALs or to DOUBLE")
    numerator = f"{decimals.unscaled('a', p1, s1)} * CAST({10**s2} AS HUGEINT)"
    denominator = f"{decimals.unscaled('b', p2, s2)} * CAST({10**s1} AS HUGEINT)"
    quotient = f"spark_long_value(({numerator}) // ({denominator}))"
    return typed(duck(decimals.divisor_first(quotient), a=a, b=b), "BIGINT")


def _concat(node: exp.Concat, ctx: Context) -> exp.Expression:
    kinds = [spark_type(a, ctx) for a in node.expressions]
    if "MAP" in kinds or "STRUCT" in kinds:
        raise RejectedByDatabricks("DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE", "concat of a MAP or STRUCT")
    if "LIST" in kinds:
        # concat of arrays is an array; arrays and strings do not mix.
        if any(k != "LIST" for k in kinds):
            if None in kinds:
                raise NotSupportedLocally("concat of an array and a value whose type the local target cannot tell")
            raise RejectedByDatabricks("DATATYPE_MISMATCH.DATA_DIFF_TYPES", "concat of arrays and other values")
        check_same_kind(list(node.expressions), ctx, "concat()")
        names = [f"{{a{i}}}" for i in range(len(kinds))]
        template = (
            f"CASE WHEN {' OR '.join(n + ' IS NULL' for n in names)} THEN NULL ELSE list_concat({', '.join(names)}) END"
        )
        return typed(duck(template, **{f"a{i}": a for i, a in enumerate(node.expressions)}), "LIST")
    parts = [
        a if spark_type(a, ctx) == "VARCHAR" or isinstance(a, exp.Null) else to_string(a, spark_type(a, ctx))
        for a in node.expressions
    ]
    if len(parts) > 1 and not all(map(lazy.cannot_fail, parts)) and any(map(_may_fold_to_null, parts)):
        # DuckDB folds `NULL || p` to NULL unevaluated; Databricks evaluates p and raises its error.
        return typed(call("spark_concat_all", exp.Array(expressions=parts)), "VARCHAR")
    out = parts[0]
    for part in parts[1:]:
        out = exp.DPipe(this=out, expression=part, safe=False)
    return exp.Paren(this=out) if len(parts) > 1 else out


def _may_fold_to_null(node: exp.Expression) -> bool:
    """Whether DuckDB may take `node` for a NULL constant: it reads no column and is not a literal."""
    return not isinstance(node, exp.Literal) and node.find(exp.Column) is None


def _dpipe(node: exp.DPipe, ctx: Context) -> exp.Expression:
    # `a || b` is concat(a, b) on Databricks: two arrays are joined, an array and a string do not mix.
    return _concat(exp.Concat(expressions=[node.this, node.expression]), ctx)


_BACKSLASH = exp.Var(this="E'\\\\'")  # DuckDB's escape-string form of one backslash


def _like(node: exp.Like, ctx: Context) -> exp.Expression:
    like.check_patterns(node)
    # Databricks' default escape character is the backslash; DuckDB has none.
    return exp.Escape(this=node, expression=_BACKSLASH.copy())


def _ilike(node: exp.ILike, ctx: Context) -> exp.Expression:
    like.check_patterns(node)
    return exp.Escape(this=node, expression=_BACKSLASH.copy())


def _escape(node: exp.Escape, ctx: Context) -> exp.Expression:
    inner = node.this
    if isinstance(inner, exp.Escape):  # LIKE ... ESCAPE written by the user: keep theirs
        inner.set("expression", node.expression)
        return inner
    return node


def _day_of_week(node: exp.DayOfWeek, ctx: Context) -> exp.Expression:
    return call("spark_dayofweek", _to_date(node.this, ctx))


def _to_date(value: exp.Expression, ctx: Context) -> exp.Expression:
    return casts.as_date(value, ctx)


def _ts_or_ds_to_date(node: exp.TsOrDsToDate, ctx: Context) -> exp.Expression:
    fmt = node.args.get("format")
    if fmt is not None:
        return _parse_datetime(node.this, fmt, "DATE")
    return _to_date(node.this, ctx)


def _parse_datetime(
    value: exp.Expression, fmt: exp.Expression, target: str, *, or_null: bool = False
) -> exp.Expression:
    """`value` read with a Java datetime pattern: text the pattern does not read fails, or is NULL (`or_null`)."""
    pattern = literal_string(fmt)
    if pattern is None:
        raise NotSupportedLocally("a datetime pattern that is not a string literal")
    spec = java_to_strftime(pattern, parsing=True)
    text = cast_to(value, "VARCHAR")
    parsed: exp.Expression = call("try_strptime" if or_null else "strptime", text, exp.Literal.string(spec))
    if has_two_digit_year(pattern):
        # Java reads 'yy' as 2000-2099; DuckDB's %y puts 69-99 in the 1900s.
        parsed = duck("CASE WHEN year({p}) < 2000 THEN {p} + INTERVAL 100 YEAR ELSE {p} END", p=parsed)
    # DuckDB's strptime also takes fewer digits and trailing blanks; Spark's parser does not.
    failure = ("error('[CANNOT_PARSE_TIMESTAMP] Text ''' || {t} || ''' could not be parsed with the pattern "
               + pattern.replace("'", "''").replace("{", "{{").replace("}", "}}") + "')")  # fmt: skip
    if or_null:
        failure = "NULL"
    checked = duck("CASE WHEN {t} IS NULL THEN NULL WHEN regexp_full_match({t}, {shape}) THEN {p} ELSE " + failure
                   + " END", t=text, shape=exp.Literal.string(java_parse_shape(pattern)), p=parsed)  # fmt: skip
    return cast_to(checked, target)


def _try_to(target: str) -> Callable[[exp.Anonymous, Context], exp.Expression]:
    """try_to_timestamp, try_to_date: try_cast without a pattern; with one, NULL for text it does not read."""

    def translate(node: exp.Anonymous, ctx: Context) -> exp.Expression:
        value, *fmt = arguments(node, 1, 2)
        if fmt:
            return typed(_parse_datetime(value, fmt[0], target, or_null=True), target)
        return _cast(exp.TryCast(this=value, to=exp.DataType.build(target)), ctx)

    return translate


# Java pattern letters of a zone or offset: a TIMESTAMP_NTZ read with one keeps the wall clock and drops
# the zone, which the local parse does not do.
_ZONE_LETTERS = re.compile(r"[VzOXxZ]")


def _to_timestamp_ntz(node: exp.Anonymous, ctx: Context) -> exp.Expression:
    """to_timestamp_ntz(x): CAST(x AS TIMESTAMP_NTZ); with a pattern, the text read as to_timestamp reads
    it (both engines run in UTC, so the wall clock is the same), a TIMESTAMP_NTZ."""
    value, *fmt = arguments(node, 1, 2)
    if not fmt:
        return _implicit_cast(value, "TIMESTAMP_NTZ", ctx)
    pattern = literal_string(fmt[0])
    if pattern is not None and _ZONE_LETTERS.search(re.sub(r"'[^']*'", "", pattern)):
        raise NotSupportedLocally("to_timestamp_ntz with a pattern that reads a zone or offset")
    return _without_time_zone(typed(_parse_datetime(value, fmt[0], "TIMESTAMP"), "TIMESTAMP"))


def _make_timestamp_ntz(node: exp.Anonymous, ctx: Context) -> exp.Expression:
    """make_timestamp_ntz(y, mo, d, h, mi, s): make_timestamp's wall clock, a TIMESTAMP_NTZ."""
    if len(node.expressions) != 6:
        raise NotSupportedLocally("make_timestamp_ntz without six parts")
    parts = dict(zip(datetimes.PARTS, node.expressions, strict=True))
    return _without_time_zone(datetimes.make_timestamp(exp.TimestampFromParts(**parts), ctx))


def _localtimestamp(node: exp.Localtimestamp, ctx: Context) -> exp.Expression:
    """localtimestamp(): the time the query started in the session's zone (UTC), a TIMESTAMP_NTZ."""
    return _without_time_zone(typed(cast_to(exp.CurrentTimestamp(), "TIMESTAMP"), "TIMESTAMP"))


def _without_time_zone(result: exp.Expression) -> exp.Expression:
    result.meta[casts.WITHOUT_TIME_ZONE] = True
    return result


def _named_by_pattern(pattern: str) -> Callable[[exp.Expression, Context], exp.Expression]:
    """dayname and monthname: date_format with the pattern that writes the English abbreviation."""

    def translate(node: exp.Expression, ctx: Context) -> exp.Expression:
        kind = spark_type(node.this, ctx)
        if kind not in ("DATE", "TIMESTAMP", "VARCHAR", None):
            name = type(node).__name__.lower()
            raise RejectedByDatabricks("DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE", f"{name} of a {kind}")
        return _time_to_str(exp.TimeToStr(this=node.this, format=exp.Literal.string(pattern)), ctx)

    return translate


def _str_to_date(node: exp.StrToDate, ctx: Context) -> exp.Expression:
    return _parse_datetime(node.this, node.args["format"], "DATE")


def _try_make_timestamp_ntz(node: exp.Anonymous, ctx: Context) -> exp.Expression:
    """try_make_timestamp_ntz(y, mo, d, h, mi, s): try_make_timestamp's wall clock, a TIMESTAMP_NTZ."""
    if len(node.expressions) != 6:
        raise NotSupportedLocally("try_make_timestamp_ntz without six parts")
    made = datetimes.try_make_timestamp(exp.Anonymous(this="try_make_timestamp", expressions=node.expressions), ctx)
    return _without_time_zone(made)


def _interval_part(value: exp.Expression, kind: str, ctx: Context, name: str) -> exp.Expression:
    """An argument of make_dt_interval / make_ym_interval: a number or STRING as Databricks casts it to
    `kind`; a BOOLEAN, date or collection rejected."""
    written = None if isinstance(value, exp.Null) else known_type(value, ctx, name)
    if written is not None and written != "VARCHAR" and not is_numeric(written):
        raise RejectedByDatabricks("DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE", f"{name} of a {written}")
    return value if written == kind else _implicit_cast(value, kind, ctx)


_INTERVAL_OVERFLOW = (
    "error('[INTERVAL_ARITHMETIC_OVERFLOW.WITHOUT_SUGGESTION] Integer overflow while operating with intervals. "
    "Try devising appropriate values for the interval parameters.')"
)
# The range of the count an interval holds: microseconds in a BIGINT, months in an INT.
_COUNT_RANGE = {"BIGINT": (-(2**63), 2**63 - 1), "INTEGER": (-(2**31), 2**31 - 1)}


def _interval_of(total: exp.Expression, count_type: str, make: str) -> exp.Expression:
    """The interval `make(total)`, failing with INTERVAL_ARITHMETIC_OVERFLOW past the count's range."""
    low, high = _COUNT_RANGE[count_type]
    return duck(
        f"CASE WHEN {{n}} NOT BETWEEN {low} AND {high} THEN {_INTERVAL_OVERFLOW} "
        f"ELSE {make}(CAST({{n}} AS {count_type})) END",
        n=total,
    )


def _make_dt_interval(node: exp.Anonymous, ctx: Context) -> exp.Expression:
    """make_dt_interval([days [, hours [, mins [, secs]]]]): an INTERVAL DAY TO SECOND of that many
    microseconds (seconds rounded half up to microseconds, integers truncated as CAST does), failing past
    the BIGINT range of microseconds; NULL for a NULL part."""
    given = arguments(node, 0, 4)
    parts = [_interval_part(v, "INTEGER", ctx, "make_dt_interval") for v in given[:3]]
    parts += [exp.Literal.number(0)] * (3 - len(parts))
    seconds = _interval_part(given[3], "DECIMAL(18,6)", ctx, "make_dt_interval") if len(given) == 4 else None
    micros = duck(
        "CAST({d} AS HUGEINT) * 86400000000 + CAST({h} AS HUGEINT) * 3600000000 + CAST({m} AS HUGEINT) * 60000000"
        " + CAST({s} * 1000000 AS HUGEINT)",
        d=parts[0], h=parts[1], m=parts[2], s=seconds if seconds is not None else exp.Literal.number(0),
    )  # fmt: skip
    return typed(_interval_of(micros, "BIGINT", "to_microseconds"), "INTERVAL DT")


def _make_ym_interval(node: exp.Anonymous, ctx: Context) -> exp.Expression:
    """make_ym_interval([years [, months]]): an INTERVAL YEAR TO MONTH of years * 12 + months, failing past
    the INT range of months; NULL for a NULL part."""
    given = arguments(node, 0, 2)
    parts = [_interval_part(v, "INTEGER", ctx, "make_ym_interval") for v in given]
    parts += [exp.Literal.number(0)] * (2 - len(parts))
    months = duck("CAST({y} AS BIGINT) * 12 + {m}", y=parts[0], m=parts[1])
    return typed(_interval_of(months, "INTEGER", "to_months"), "INTERVAL YM")


def _str_to_time(node: exp.StrToTime, ctx: Context) -> exp.Expression:
    return _parse_datetime(node.this, node.args["format"], "TIMESTAMP")


def _time_str_to_time(node: exp.TimeStrToTime, ctx: Context) -> exp.Expression:
    return casts.as_timestamp(node.this, ctx, "to_timestamp")


def _time_to_str(node: exp.TimeToStr, ctx: Context) -> exp.Expression:
    pattern = literal_string(node.args.get("format"))
    if pattern is None:
        raise NotSupportedLocally("date_format with a pattern that is not a string literal")
    spec = java_to_strftime(pattern, parsing=False, date_format=True)
    value = node.this
    if isinstance(value, exp.TimeStrToTime):
        value = value.this
    kind = spark_type(value, ctx)
    if kind not in ("DATE", "TIMESTAMP"):
        value = cast_to(value, "TIMESTAMP")
    formatted = _formatted(cast_to(value, "TIMESTAMP"), spec)
    if has_short_year(pattern):
        return duck("CASE WHEN year({v}) < 1000 THEN error('[UNSUPPORTED] the datetime pattern letter ''y'' for a "
                    "year before 1000 is not supported on the local target; run it on Databricks') ELSE {f} END",
                    v=value, f=formatted)  # fmt: skip
    return formatted


def _formatted(timestamp: exp.Expression, spec: str) -> exp.Expression:
    """strftime of a translated Java pattern, with the quarter and the year (its marks) written as Java writes them."""
    formatted = call("strftime", timestamp, exp.Literal.string(spec))
    marks = {mark: QUARTER_TEXTS[count] for count, mark in QUARTER_MARKS.items()} | {YEAR_MARK: YEAR_TEXT} | HOUR_TEXTS
    for mark, text in marks.items():
        if mark in spec:
            formatted = call("replace", formatted, exp.Literal.string(mark), duck(text, t=timestamp))
    return formatted


def _add_interval(node: exp.Add | exp.Sub, ctx: Context) -> exp.Expression:
    left, right = spark_type(node.this, ctx), spark_type(node.expression, ctx)
    if right and right.startswith("INTERVAL"):
        if left == "DATE":
            if right == "INTERVAL YM":
                return cast_to(node, "DATE")
            raise NotSupportedLocally("DATE + an INTERVAL of days or time", "use date_add(date, days)")
        if left == "TIMESTAMP":
            return node
        raise NotSupportedLocally("+ INTERVAL on a value of unknown type", "CAST it to DATE or TIMESTAMP")
    if left in ("DATE", "TIMESTAMP") or right in ("DATE", "TIMESTAMP"):
        raise NotSupportedLocally(f"{'+' if isinstance(node, exp.Add) else '-'} on dates", "use date_add or datediff")
    if left == "VARCHAR" or right == "VARCHAR":
        raise NotSupportedLocally("arithmetic on strings", "CAST the string to a number")
    if (left is None or right is None) and not (is_numeric(left) or is_numeric(right)):
        return node
    return node


def _add_months(node: exp.AddMonths, ctx: Context) -> exp.Expression:
    kind = None if isinstance(node.expression, exp.Null) else spark_type(node.expression, ctx)
    if kind in ("LIST", "MAP", "STRUCT", "BOOLEAN", "DATE", "TIMESTAMP", "BLOB"):
        raise RejectedByDatabricks("DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE", f"add_months with a {kind} of months")
    return cast_to(duck("{d} + to_months(CAST({n} AS INTEGER))", d=_to_date(node.this, ctx), n=node.expression), "DATE")


def _unit_name(node: exp.Expression) -> str:
    """The unit a date function counts in, DAY when none is written."""
    unit = node.args.get("unit")
    return (unit.name if unit is not None else "DAY").upper()


def _ts_or_ds_add(node: exp.TsOrDsAdd | exp.DateAdd, ctx: Context) -> exp.Expression:
    unit = _unit_name(node)
    if unit != "DAY":
        raise NotSupportedLocally(f"date_add with unit {unit}")
    amount = node.expression
    if spark_type(amount, ctx) == "VARCHAR":
        amount = _implicit_cast(amount, "INTEGER", ctx)  # Databricks reads the text as an INT
    kind = spark_type(amount, ctx)
    if kind is not None and not is_integral(kind):
        raise NotSupportedLocally("date_add with a number of days that is not an integer")
    datetimes.refuse_wide_day_count(kind)
    sign = "-" if node.meta.get("subtract") else "+"  # date_sub (dialect.desugar)
    return cast_to(duck("{d} " + sign + " CAST({n} AS INTEGER)", d=_to_date(node.this, ctx), n=amount), "DATE")


def _bitwise_not(node: exp.BitwiseNot, ctx: Context) -> exp.Expression:
    # DuckDB's ~ takes all that follows it (~7 * 2 is ~14); Databricks' binds to its operand.
    return typed(duck("(~{x})", x=node.this), spark_type(node, ctx))


def _date_add(node: exp.DateAdd, ctx: Context) -> exp.Expression:
    return _ts_or_ds_add(node, ctx)


def _date_diff(node: exp.DateDiff, ctx: Context) -> exp.Expression:
    unit = _unit_name(node)
    if unit != "DAY":
        raise NotSupportedLocally(f"datediff({unit}, ...)")
    return duck("CAST({a} AS DATE) - CAST({b} AS DATE)", a=_to_date(node.this, ctx), b=_to_date(node.expression, ctx))


def _months_between(node: exp.MonthsBetween, ctx: Context) -> exp.Expression:
    round_off = node.args.get("roundoff") or exp.true()
    a, b = node.this, node.expression
    for value in (a, b):
        if spark_type(value, ctx) not in ("DATE", "TIMESTAMP", "VARCHAR", None):
            raise NotSupportedLocally("months_between of a value that is not a date or timestamp")
    return call("spark_months_between", casts.as_timestamp(a, ctx), casts.as_timestamp(b, ctx), round_off)


_TRUNC_DATE_UNITS = {"YEAR": "year", "YYYY": "year", "YY": "year", "MONTH": "month", "MON": "month", "MM": "month",
                     "QUARTER": "quarter", "WEEK": "week"}  # fmt: skip


def _date_trunc(node: exp.DateTrunc, ctx: Context) -> exp.Expression:
    # trunc(date, fmt): a DATE; NULL for a unit trunc does not know.
    unit = node.args.get("unit")
    name = (unit.name if unit is not None else "").upper()
    if name not in _TRUNC_DATE_UNITS:
        if unit is not None and isinstance(unit, (exp.Literal, exp.Var)):
            return cast_to(exp.Null(), "DATE")  # Databricks: NULL for a format trunc does not know
        raise NotSupportedLocally("trunc(date, fmt) with a format that is not a literal")
    return cast_to(call("date_trunc", exp.Literal.string(_TRUNC_DATE_UNITS[name]), _to_date(node.this, ctx)), "DATE")


_TRUNC_TS_UNITS = {"YEAR": "year", "YYYY": "year", "YY": "year", "MONTH": "month", "MON": "month", "MM": "month",
                   "QUARTER": "quarter", "WEEK": "week", "DAY": "day", "DD": "day", "HOUR": "hour",
                   "MINUTE": "minute", "SECOND": "second"}  # fmt: skip


def _timestamp_trunc(node: exp.TimestampTrunc, ctx: Context) -> exp.Expression:
    unit = node.args.get("unit")
    name = (unit.name if unit is not None else "").upper()
    if name not in _TRUNC_TS_UNITS:
        raise NotSupportedLocally(f"date_trunc('{name}', ...)")
    value = node.this
    return call("date_trunc", exp.Literal.string(_TRUNC_TS_UNITS[name]), casts.as_timestamp(value, ctx))


def _str_to_unix(node: exp.StrToUnix, ctx: Context) -> exp.Expression:
    value = node.this
    fmt = node.args.get("format")
    kind = spark_type(value, ctx)
    if value is None:
        raise NotSupportedLocally("unix_timestamp() without an argument")
    if kind in ("DATE", "TIMESTAMP"):
        return call("spark_unix_timestamp", value)
    if kind == "VARCHAR" and fmt is not None and literal_string(fmt) != "yyyy-MM-dd HH:mm:ss":
        # Read as to_timestamp(text, pattern) reads it, failing on text the pattern does not read.
        return call("spark_unix_timestamp", _parse_datetime(value, fmt, "TIMESTAMP"))
    if kind == "VARCHAR":
        text = typed(call("spark_default_pattern_text", value), "VARCHAR")
        return call("spark_unix_timestamp", casts.as_timestamp(text, ctx))
    raise NotSupportedLocally("unix_timestamp of a value of unknown type", "CAST it to TIMESTAMP")


def _current_timestamp(node: exp.CurrentTimestamp, ctx: Context) -> exp.Expression:
    return cast_to(exp.CurrentTimestamp(), "TIMESTAMP")


def _ln(node: exp.Ln, ctx: Context) -> exp.Expression:
    return call("spark_ln", node.this)


def _log(node: exp.Log, ctx: Context) -> exp.Expression:
    if node.expression is None:
        return call("spark_ln", node.this)
    return call("spark_log", node.this, node.expression)


def _sqrt(node: exp.Sqrt, ctx: Context) -> exp.Expression:
    return call("spark_sqrt", node.this)


def _substring(node: exp.Substring, ctx: Context) -> exp.Expression:
    start = node.args.get("start") or exp.Literal.number(1)
    length = node.args.get("length")
    if length is None:
        return call("spark_substring_from", node.this, start)
    return call("spark_substring", node.this, start, length)


def _argument_as(value: exp.Expression, kind: str, ctx: Context, name: str) -> exp.Expression:
    """An argument of a function that takes a `kind` (VARCHAR or INTEGER): as it is, or with the CAST
    Databricks adds (a number's text as CAST to STRING writes it); refused where its type is unknown, and
    for a BINARY, array, map or struct."""
    written = known_type(value, ctx, name) if not isinstance(value, exp.Null) else kind
    if written in ("BLOB", "LIST", "MAP", "STRUCT"):
        raise NotSupportedLocally(f"{name} of a {written}")
    return value if written == kind else _implicit_cast(value, kind, ctx)


def _conv(node: exp.Anonymous, ctx: Context) -> exp.Expression:
    """conv(num, from_base, to_base): Spark's NumberConverter (javafunctions.conv) over num's text."""
    num, from_base, to_base = arguments(node, 3)
    parts = [_argument_as(num, "VARCHAR", ctx, "conv")]
    parts += [_argument_as(base, "INTEGER", ctx, "conv") for base in (from_base, to_base)]
    return typed(call("spark_conv", *parts), "VARCHAR")


def _number_format(value: exp.Expression | None, name: str, *, for_to_number: bool) -> str | None:
    """The number format of to_number / to_char: a string literal (Databricks wants it constant), checked as
    Databricks checks it before running anything; None for a NULL format."""
    if value is None or isinstance(value, exp.Null):
        return None
    text = literal_string(value)
    if text is None:
        raise NotSupportedLocally(f"{name} with a format that is not a string literal")
    try:
        if for_to_number:
            numberformat.result_type(text)  # also refuses a format of more than 38 digits
        else:
            numberformat.check_format(text)
    except numberformat.NumberFormatError as exc:
        raise RejectedByDatabricks(exc.error_class, str(exc).split("] ", 1)[1]) from exc
    return text


def _to_number(node: exp.Expression, ctx: Context) -> exp.Expression:
    """to_number / try_to_number(text, format): the DECIMAL of the format's digits (dialect/numberformat.py);
    a value that is not a STRING is read by its text. try_to_number answers NULL where the text does not
    match the format."""
    if isinstance(node, exp.ToNumber):
        name, text, given = "to_number", node.this, node.args.get("format")
        if any(node.args.get(k) is not None for k in ("nlsparam", "precision", "scale")):
            raise NotSupportedLocally("to_number with more than two arguments")
    else:
        name, (text, given) = "try_to_number", arguments(node, 2)
    fmt = _number_format(given, name, for_to_number=True)
    if fmt is None:
        return typed(cast_to(exp.Null(), "DECIMAL(10,0)"), "DECIMAL(10,0)")
    precision, scale = numberformat.result_type(fmt)
    kind = f"DECIMAL({precision},{scale})"
    parsed = call(f"spark_{name}", _argument_as(text, "VARCHAR", ctx, name), exp.Literal.string(fmt))
    return typed(cast_to(parsed, kind), kind)


# The DECIMAL to_char formats a number as, by the number's type (a STRING as Databricks reads it).
_TO_CHAR_DECIMALS = {"TINYINT": "DECIMAL(3,0)", "SMALLINT": "DECIMAL(5,0)", "INTEGER": "DECIMAL(10,0)",
                     "BIGINT": "DECIMAL(20,0)", "VARCHAR": "DECIMAL(38,18)", "DOUBLE": "DECIMAL(30,15)",
                     "FLOAT": "DECIMAL(14,7)"}  # fmt: skip


def _to_char(node: exp.Expression, ctx: Context) -> exp.Expression:
    """to_char / to_varchar(value, format): a number by the number format (dialect/numberformat.py), an
    integer or STRING first cast to the DECIMAL Databricks casts it to; a date or timestamp by date_format."""
    value, given = (node.this, node.args.get("format")) if isinstance(node, exp.ToChar) else arguments(node, 2)
    name = "to_char" if isinstance(node, exp.ToChar) else "to_varchar"
    if given is None:
        raise RejectedByDatabricks("WRONG_NUM_ARGS.WITHOUT_SUGGESTION", f"{name} without a format")
    kind = None if isinstance(value, exp.Null) else spark_type(value, ctx)
    if kind in ("DATE", "TIMESTAMP"):
        return typed(_time_to_str(exp.TimeToStr(this=value, format=given), ctx), "VARCHAR")
    fmt = _number_format(given, name, for_to_number=False)
    if kind is None and not isinstance(value, exp.Null):
        raise NotSupportedLocally(f"{name} of a value whose type is unknown", "CAST it to its type")
    if kind is not None and not is_decimal(kind) and kind not in _TO_CHAR_DECIMALS:
        raise RejectedByDatabricks("DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE", f"{name} of a {kind}")
    if fmt is None or kind is None:
        return typed(cast_to(exp.Null(), "VARCHAR"), "VARCHAR")
    number = value if is_decimal(kind) else _implicit_cast(value, _TO_CHAR_DECIMALS[kind], ctx)
    if kind in ("DOUBLE", "FLOAT"):  # NaN and the infinities have no DECIMAL: NULL
        number = duck("CASE WHEN isnan({v}) OR isinf({v}) THEN NULL ELSE {n} END", v=value.copy(), n=number)
    return typed(call("spark_to_char", cast_to(number, "VARCHAR"), exp.Literal.string(fmt)), "VARCHAR")


def _current_timezone(node: exp.CurrentTimezone, ctx: Context) -> exp.Expression:
    """The session's time zone: the local target's is UTC, as a SQL warehouse's is by default (SET TIME ZONE
    is refused locally)."""
    return typed(exp.Literal.string("UTC"), "VARCHAR")


def _quote(node: exp.Anonymous, ctx: Context) -> exp.Expression:
    """quote(s): s between single quotes, each quote in it escaped by a backslash (a backslash kept as it is)."""
    (text,) = arguments(node, 1)
    template = r"'''' || replace({s}, '''', '\''') || ''''"
    return typed(duck(template, s=_argument_as(text, "VARCHAR", ctx, "quote")), "VARCHAR")


def _utf8_check(name: str) -> Callable[[exp.Anonymous, Context], exp.Expression]:
    """is_valid_utf8, make_valid_utf8, validate_utf8, try_validate_utf8 of a STRING: every local STRING is
    valid UTF-8 (DuckDB checks text as it is made), so the text itself, or true (NULL for NULL)."""

    def handler(node: exp.Anonymous, ctx: Context) -> exp.Expression:
        (text,) = arguments(node, 1)
        value = _argument_as(text, "VARCHAR", ctx, name)
        if name == "is_valid_utf8":
            return typed(duck("CASE WHEN {s} IS NULL THEN NULL ELSE true END", s=value), "BOOLEAN")
        return typed(value, "VARCHAR")

    return handler


def _luhn_check(node: exp.Anonymous, ctx: Context) -> exp.Expression:
    """luhn_check(s): the Luhn checksum of s's digits (javafunctions.luhn_check); a number by its text."""
    (text,) = arguments(node, 1)
    return typed(call("spark_luhn_check", _argument_as(text, "VARCHAR", ctx, "luhn_check")), "BOOLEAN")


def _parse_url(node: exp.Expression, ctx: Context) -> exp.Expression:
    """parse_url / try_parse_url(url, part[, key]) as java.net.URI reads the URL (dialect/javaurl.py); the
    arguments by their text. try_parse_url answers NULL where parse_url fails with INVALID_URL."""
    if isinstance(node, exp.ParseUrl):
        name, given = "parse_url", [node.this, node.args["part_to_extract"], node.args.get("key")]
    else:
        name, given = "try_parse_url", arguments(node, 2, 3)
    texts = [_argument_as(value, "VARCHAR", ctx, name) for value in given if value is not None]
    suffix = "_key" if len(texts) == 3 else ""
    return typed(call(f"spark_{name}{suffix}", *texts), "VARCHAR")


def _overlay(node: exp.Overlay, ctx: Context) -> exp.Expression:
    """overlay(s PLACING r FROM p [FOR l]) of strings (a number, date or boolean by its text), p and l as INTs."""
    text, replacement = (_argument_as(v, "VARCHAR", ctx, "overlay") for v in (node.this, node.expression))
    length = node.args.get("for_")
    positions = [_argument_as(v, "INTEGER", ctx, "overlay") for v in (node.args["from_"], length) if v is not None]
    if length is None:
        positions.append(exp.Literal.number(-1))  # r's length
    return typed(call("spark_overlay", text, replacement, *positions), "VARCHAR")


def _pad(node: exp.Pad, ctx: Context) -> exp.Expression:
    fill = node.args.get("fill_pattern") or exp.Literal.string(" ")
    name = "lpad" if node.args.get("is_left") else "rpad"
    return call(name, node.this, node.expression, fill)


def _trim(node: exp.Trim, ctx: Context) -> exp.Expression:
    return node


def _url_codec(function: str, *extra: exp.Expression) -> Callable[[exp.Anonymous, Context], exp.Expression]:
    """url_encode, url_decode, try_url_decode: java.net's URLEncoder and URLDecoder over the text of the
    argument (a number as CAST to STRING writes it)."""

    def translate(node: exp.Anonymous, ctx: Context) -> exp.Expression:
        (value,) = arguments(node, 1)
        return typed(call(function, _argument_as(value, "VARCHAR", ctx, node.name.lower()), *extra), "VARCHAR")

    return translate


def _pmod(node: exp.Anonymous, ctx: Context) -> exp.Expression:
    if len(node.expressions) != 2:
        count = len(node.expressions)
        raise RejectedByDatabricks("WRONG_NUM_ARGS.WITHOUT_SUGGESTION", f"pmod takes 2 arguments, not {count}")
    left, right = numbers.widen_operands(node.expressions, spark_type(node, ctx), ctx)
    return _remainder_type(node, call("spark_pmod", left, right), ctx)


def _weekday(node: exp.Anonymous, ctx: Context) -> exp.Expression:
    return call("spark_weekday", _to_date(node.expressions[0], ctx))


def _chained_hash(function: str, step: str) -> Callable[[exp.Anonymous, Context], exp.Expression]:
    """xxhash64 or hash: each argument hashed with the hash of those before it as the seed (42 first); an
    array's elements as arguments of their own."""

    def rewrite(node: exp.Anonymous, ctx: Context) -> exp.Expression:
        out: exp.Expression = exp.Literal.number(42)
        for arg in node.expressions:
            kind = spark_type(arg, ctx)
            if isinstance(arg, exp.Null):
                continue
            if kind is None:
                # The bytes hashed depend on the type (an INT hashes 4 bytes, a BIGINT 8).
                raise NotSupportedLocally(f"{function} of a value whose type the local target cannot tell",
                                          "CAST it to its type")  # fmt: skip
            if kind == "LIST":
                # The elements are hashed by DuckDB's element type, which is Databricks' only for a stored
                # column or an array of literals (a lambda's index is a BIGINT in DuckDB, an INT there):
                # another array is cast to the element type Databricks gives it, where that is known.
                plain = all(isinstance(e, (exp.Literal, exp.Boolean, exp.Null)) for e in arg.expressions)
                if not (isinstance(arg, exp.Column) or (isinstance(arg, exp.Array) and plain)):
                    element = _scalar_element(arg.meta.get("spark_shape"))
                    if element is None:
                        raise NotSupportedLocally(f"{function} of an array computed in the statement, of elements "
                                                  "of a type the local target cannot tell or hash",
                                                  "hash a column, or CAST it to an ARRAY of a scalar type")  # fmt: skip
                    arg = cast_to(arg, f"{element}[]")
                out = call(step.replace("_step", "_elements_step"), out, arg)
                continue
            if not (is_numeric(kind) or kind in ("VARCHAR", "DATE", "TIMESTAMP", "BOOLEAN")):
                raise NotSupportedLocally(f"{function} of a {kind} value")
            out = call(step, out, cast_to(arg, kind))
        return out

    return rewrite


def _scalar_element(shape: object) -> str | None:
    """The element type of an array of numbers, strings, dates, timestamps or BOOLEANs, else None."""
    if not (isinstance(shape, tuple) and shape[0] == "LIST" and isinstance(shape[1], str)):
        return None
    element = shape[1]
    return element if is_numeric(element) or element in ("VARCHAR", "DATE", "TIMESTAMP", "BOOLEAN") else None


def _approx_count_distinct(node: exp.ApproxDistinct, ctx: Context) -> exp.Expression:
    """approx_count_distinct over the xxhash64 of each value, as Databricks' sketch takes it (DISTINCT changes
    nothing): dialect.aggregates.approx_count_distinct."""
    value = node.this.expressions[0] if isinstance(node.this, exp.Distinct) else node.this
    hashed = _chained_hash("approx_count_distinct", "spark_xxhash64_step")(
        exp.Anonymous(this="xxhash64", expressions=[value.copy()]), ctx
    )
    return aggregates.approx_count_distinct(node, value, hashed)


def _rand(node: exp.Rand, ctx: Context) -> exp.Expression:
    """rand() as DuckDB's random(); with a seed Databricks repeats its own sequence, which DuckDB has not."""
    if node.this is not None:
        raise NotSupportedLocally("rand with a seed", "drop the seed, or run it on Databricks for its seeded sequence")
    return node


def _uuid(node: exp.Uuid, ctx: Context) -> exp.Expression:
    """uuid() is a STRING on Databricks; DuckDB's is a UUID, which string functions do not take."""
    return typed(cast_to(node, "VARCHAR"), "VARCHAR")


def _isnull(node: exp.Anonymous, ctx: Context) -> exp.Expression:
    return exp.Is(this=node.expressions[0], expression=exp.Null())


def _isnotnull(node: exp.Anonymous, ctx: Context) -> exp.Expression:
    return exp.Not(this=exp.Is(this=node.expressions[0], expression=exp.Null()))


def _named(name: str) -> Callable[[exp.Anonymous, Context], exp.Expression]:
    def handler(node: exp.Anonymous, ctx: Context) -> exp.Expression:
        return call(name, *node.expressions)

    return handler


def _timestamp_diff(node: exp.TimestampDiff, ctx: Context) -> exp.Expression:
    raise NotSupportedLocally("timestampdiff(...)")


def _var_map(node: exp.VarMap, ctx: Context) -> exp.Expression:
    return node


def _collect_list(node: exp.ArrayAgg, ctx: Context) -> exp.Expression:
    return node


_PLAIN_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _identifier(node: exp.Identifier, ctx: Context) -> exp.Expression:
    # `name` and name are the same name in Databricks and in DuckDB (both ignore case); writing it
    # unquoted where it can be keeps variable references recognisable to the scripting interpreter.
    # sqlglot quotes again whatever DuckDB reserves.
    if node.quoted and _PLAIN_NAME.fullmatch(node.name):
        node.set("quoted", False)
    return node


def _case(node: exp.Case, ctx: Context) -> exp.Expression:
    for branch in node.args.get("ifs") or []:
        if isinstance(branch.this, exp.Null):
            raise NotSupportedLocally("CASE WHEN NULL", "a condition must be a BOOLEAN")
    return node


def _sha2(node: exp.SHA2, ctx: Context) -> exp.Expression:
    """sha2(s, bits) of a BINARY's bytes or a STRING's UTF-8 bytes: SHA-224, -256 (also for 0), -384 or -512
    in hex, NULL for any other length. Databricks wants BINARY, which a STRING becomes; a number or date is
    rejected."""
    text, bits = node.this, node.args.get("length")
    kind = None if isinstance(text, exp.Null) else spark_type(text, ctx)
    if kind not in ("VARCHAR", "BLOB", None):
        raise RejectedByDatabricks("DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE", f"sha2 of a {kind}")
    if literal_int(bits) in (0, 256):
        return typed(call("sha256", text), "VARCHAR")
    bits = exp.Literal.number(256) if bits is None else _argument_as(bits, "INTEGER", ctx, "sha2")
    return typed(call("spark_sha2_bytes" if kind == "BLOB" else "spark_sha2", text, bits), "VARCHAR")


def _crc32(node: exp.Anonymous, ctx: Context) -> exp.Expression:
    """crc32(x) of a BINARY's bytes or a STRING's UTF-8 bytes."""
    (value,) = arguments(node, 1)
    blob = spark_type(value, ctx) == "BLOB"
    return call("spark_crc32_bytes" if blob else "spark_crc32", value)


def _extract(node: exp.Extract, ctx: Context) -> exp.Expression:
    unit = node.this.name.upper()
    if unit not in _PLAIN_PARTS:
        raise NotSupportedLocally(f"EXTRACT({unit} FROM ...)")
    return call(_PLAIN_PARTS[unit], node.expression)


_PLAIN_PARTS = {"YEAR": "year", "YEARS": "year", "MONTH": "month", "MONTHS": "month", "DAY": "day", "DAYS": "day",
                "HOUR": "hour", "HOURS": "hour", "MINUTE": "minute", "MINUTES": "minute", "QUARTER": "quarter",
                "DOY": "dayofyear", "WEEK": "weekofyear", "W": "weekofyear"}  # fmt: skip


def _date_part(node: exp.Anonymous, ctx: Context) -> exp.Expression:
    unit = literal_string(node.expressions[0])
    if unit is None or unit.upper() not in _PLAIN_PARTS:
        raise NotSupportedLocally(f"date_part({unit!r}, ...)")
    return call(_PLAIN_PARTS[unit.upper()], node.expressions[1])


def _unix_to_str(node: exp.UnixToStr, ctx: Context) -> exp.Expression:
    pattern = literal_string(node.args.get("format")) or "yyyy-MM-dd HH:mm:ss"
    spec = java_to_strftime(pattern, parsing=False)
    # Databricks reads the seconds as a BIGINT: a fraction is cut toward zero, not rounded.
    seconds = call("trunc", node.this) if is_fractional(spark_type(node.this, ctx)) else node.this
    timestamp = call("make_timestamp", call("spark_wrapped_micros", cast_to(seconds, "BIGINT")))
    return _formatted(timestamp, spec)


def _date_from_unix_date(node: exp.Expression, ctx: Context) -> exp.Expression:
    """The DATE so many days after 1970-01-01. Databricks takes an INT: a number or string is cast to one
    as CAST does (5.5 is 5 days, not DuckDB's rounded 6); a BOOLEAN, date or collection is rejected."""
    value = node.this
    if isinstance(value, exp.Null):
        return typed(cast_to(value, "DATE"), "DATE")
    kind = spark_type(value, ctx)
    if kind is None:
        raise NotSupportedLocally("date_from_unix_date of a value whose type is unknown", "CAST the argument to INT")
    if not (is_numeric(kind) or kind == "VARCHAR"):
        raise RejectedByDatabricks("DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE", f"date_from_unix_date of a {kind}")
    days = value if kind == "INTEGER" else _implicit_cast(value, "INTEGER", ctx)
    # CAST again: a value Databricks types INT may be a BIGINT in DuckDB (weekday), and DATE + BIGINT does not bind.
    return typed(cast_to(duck("DATE '1970-01-01' + CAST({n} AS INTEGER)", n=days), "DATE"), "DATE")


def _unix_date(node: exp.UnixDate, ctx: Context) -> exp.Expression:
    kind = spark_type(node.this, ctx)
    if kind is None:
        raise NotSupportedLocally("unix_date of a value whose type is unknown", "CAST the argument to DATE")
    if kind != "DATE":
        # Databricks takes only a DATE here: not a TIMESTAMP, nor a string.
        raise RejectedByDatabricks("DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE", f"unix_date of a {kind}")
    return typed(duck("CAST({d} - DATE '1970-01-01' AS INTEGER)", d=node.this), "INTEGER")


def _array_slice(node: exp.ArraySlice, ctx: Context) -> exp.Expression:
    if not node.args.get("is_length"):
        raise NotSupportedLocally("slice(...)")
    return call("spark_slice", node.this, node.args["start"], node.args["end"])


def _array_distinct(node: exp.ArrayDistinct, ctx: Context) -> exp.Expression:
    return call("spark_array_distinct", node.this)


def _values(node: exp.Values, ctx: Context) -> exp.Values:
    """An inline table, its columns named as Databricks names them."""
    check_inline_table(node, ctx)
    alias = node.args.get("alias")
    if isinstance(node.parent, (exp.From, exp.Join)) and not (alias is not None and alias.columns):
        # Databricks names the columns of an inline table col1, col2, ...; DuckDB col0, col1, ...
        names = [exp.to_identifier(column) for column in values_columns(node)]
        name = alias.this if alias is not None and alias.this else exp.to_identifier("inline_table")
        node.set("alias", exp.TableAlias(this=name, columns=names))
    return node


def _projection_types(query: exp.Expression, ctx: Context) -> list[str | None] | None:
    """The types of a query's columns as its first SELECT lists them; None where a star hides them."""
    while isinstance(query, (exp.Subquery, exp.SetOperation)):
        query = query.this
    if not isinstance(query, exp.Select):
        return None
    if len(query.expressions) == 1 and query.expressions[0].is_star and not query.args.get("joins"):
        source = query.args.get("from_") or query.args.get("from")
        inner = source.this if source is not None else None
        return _projection_types(inner, ctx) if isinstance(inner, exp.Subquery) else None  # SELECT * FROM (...)
    if any(p.is_star for p in query.expressions):
        return None
    return [spark_type(p, ctx) for p in query.expressions]


def _set_operation(node: exp.SetOperation, ctx: Context) -> exp.Expression:
    """UNION, INTERSECT, EXCEPT: Databricks casts a string column to the other side's type (an integer to
    BIGINT, a DECIMAL to DOUBLE, a DATE), failing on text that is not one; DuckDB makes both strings."""
    check_set_operation(node, ctx)
    left, right = _projection_types(node.this, ctx), _projection_types(node.expression, ctx)
    for a, b in zip(left or [], right or [], strict=False):
        if a != b and "VARCHAR" in (a, b) and None not in (a, b):
            other = b if a == "VARCHAR" else a
            operation = type(node).__name__.upper()
            raise NotSupportedLocally(
                f"{operation} of a string column and a {other} column", "CAST the string column to the other's type"
            )
    _widen_floats(node, ctx)
    return _ordered_by_expressions(node)


def _ordered_by_expressions(node: exp.SetOperation) -> exp.Expression:
    """A set operation ordered by an expression of its columns (`ORDER BY x + 1`, `ORDER BY s.a`) as a query
    over it: DuckDB orders a UNION only by its columns themselves."""
    order = node.args.get("order")
    if order is None or all(_names_an_output(o.this) for o in order.expressions):
        return node
    queries = branches(node)
    sources = {source.alias_or_name.lower() for source in query_sources(queries[0])} if queries else set()
    for column in order.find_all(exp.Column):
        if column.table.lower() in sources:
            column.set("table", None)  # `t.x` of the first query's table t: the column x it gives
    outer = exp.select("*").from_(exp.Subquery(this=node, alias=exp.TableAlias(this=exp.to_identifier("ordered"))))
    for key in ("order", "limit", "offset"):
        outer.set(key, node.args.get(key))
        node.set(key, None)
    return outer


def _names_an_output(key: exp.Expression) -> bool:
    return (isinstance(key, exp.Column) and not key.table) or (isinstance(key, exp.Literal) and not key.is_string)


def _widen_floats(node: exp.SetOperation, ctx: Context) -> None:
    """A FLOAT column set beside integers or DECIMALs is a DOUBLE on Databricks; DuckDB would keep
    the FLOAT and round 16777217 to 16777216. The FLOAT queries' columns are cast to DOUBLE."""
    queries = branches(node)
    if any(p.is_star for b in queries for p in b.expressions):
        return
    for position in range(min((len(b.expressions) for b in queries), default=0)):
        kinds = {spark_type(b.expressions[position], ctx) for b in queries}
        if "FLOAT" not in kinds or not all(is_numeric(k) for k in kinds - {None}) or len(kinds - {None}) < 2:
            continue
        for branch in queries:
            projection = branch.expressions[position]
            if spark_type(projection, ctx) != "FLOAT":
                continue
            value = projection.this if isinstance(projection, exp.Alias) else projection
            widened = typed(cast_to(value.copy(), "DOUBLE"), "DOUBLE")
            name = projection.alias_or_name
            named = exp.alias_(widened, name) if isinstance(projection, (exp.Alias, exp.Column)) and name else widened
            branch.expressions[position].replace(named)


def _group(node: exp.Group, ctx: Context) -> exp.Group:
    if any(isinstance(e, exp.Tuple) and not e.expressions for e in node.expressions):
        raise RejectedByDatabricks("PARSE_SYNTAX_ERROR", "GROUP BY ()")
    # GROUP BY a, b WITH ROLLUP (or CUBE) is ROLLUP(a, b); DuckDB knows only the second form.
    for modifier, kind in (("rollup", exp.Rollup), ("cube", exp.Cube)):
        if node.args.get(modifier):
            node.set("expressions", [kind(expressions=node.expressions)])
            node.set(modifier, None)
    return node


def _grouping_columns(node: exp.Expression, construct: str) -> list[exp.Expression]:
    """The grouping expressions of the GROUP BY above `node`, in the order they first appear there;
    rejected, as on Databricks, where that GROUP BY has no ROLLUP, CUBE or GROUPING SETS."""
    select = node.find_ancestor(exp.Select)
    group = select.args.get("group") if select is not None else None
    sets = (exp.Rollup, exp.Cube, exp.GroupingSets)
    if group is None or not (group.args.get("rollup") or group.args.get("cube") or group.find(*sets)):
        sets_missing = f"{construct} without ROLLUP, CUBE or GROUPING SETS"
        raise RejectedByDatabricks("UNSUPPORTED_GROUPING_EXPRESSION", sets_missing)

    def flattened(item: exp.Expression) -> list[exp.Expression]:
        if isinstance(item, (*sets, exp.Tuple)):
            return [e for inner in item.expressions for e in flattened(inner)]
        return flattened(item.this) if isinstance(item, exp.Paren) else [item]

    found: list[exp.Expression] = []
    for expression in (e for item in group.expressions for e in flattened(item)):
        if not any(expression == seen for seen in found):
            found.append(expression)
    return found


def _grouping(node: exp.Grouping, ctx: Context) -> exp.Expression:
    """grouping(col): 1 where the row aggregates over col (a TINYINT on Databricks, a BIGINT in DuckDB)."""
    arguments(node, 1)
    _grouping_columns(node, "grouping()")
    return typed(cast_to(node, "TINYINT"), "TINYINT")


def _grouping_id(node: exp.GroupingId, ctx: Context) -> exp.Expression:
    """grouping_id(c1, ..., cn): the bits of grouping(c1) ... grouping(cn), c1 the highest. The columns
    are those of the GROUP BY; written out, they must be exactly those, in that order."""
    columns = _grouping_columns(node, "grouping_id()")
    if not all(isinstance(c, exp.Column) for c in columns):
        raise NotSupportedLocally("grouping_id() over a GROUP BY of expressions", "group by columns")
    if not node.expressions:
        node.set("expressions", [c.copy() for c in columns])
    elif len(node.expressions) != len(columns) or any(a != b for a, b in zip(node.expressions, columns, strict=False)):
        raise RejectedByDatabricks("GROUPING_ID_COLUMN_MISMATCH", "grouping_id of other columns than the GROUP BY's")
    return typed(node, "BIGINT")


def _cast_function(kind: str) -> Callable[[exp.Anonymous, Context], exp.Expression]:
    """bigint(x), smallint(x), tinyint(x), decimal(x): Databricks' names for CAST(x AS type)."""

    def cast_function(node: exp.Anonymous, ctx: Context) -> exp.Expression:
        (value,) = arguments(node, 1)
        return _cast(typed(exp.Cast(this=value, to=exp.DataType.build(kind)), kind), ctx)

    return cast_function


def _map_contains_key(node: exp.MapContainsKey, ctx: Context) -> exp.Expression:
    key = node.args["key"]
    return typed(duck("CASE WHEN {m} IS NULL OR {k} IS NULL THEN NULL ELSE list_contains(map_keys({m}), {k}) END",
                      m=node.this, k=key), "BOOLEAN")  # fmt: skip


def _map_entries(node: exp.Anonymous, ctx: Context) -> exp.Expression:
    if len(node.expressions) != 1:
        raise RejectedByDatabricks("WRONG_NUM_ARGS.WITHOUT_SUGGESTION", "map_entries without one argument")
    return typed(duck("CASE WHEN {m} IS NULL THEN NULL ELSE map_entries({m}) END", m=node.expressions[0]), "LIST")


def _generate_series(node: exp.GenerateSeries, ctx: Context) -> exp.Expression:
    start, end, step = node.args.get("start"), node.args.get("end"), node.args.get("step")
    if start is None or end is None:
        raise RejectedByDatabricks("WRONG_NUM_ARGS.WITHOUT_SUGGESTION", "sequence without a start and a stop")
    for value in (start, end, step):
        if value is not None and not is_integral(spark_type(value, ctx)):
            raise NotSupportedLocally("sequence of values that are not integers")
    return call("generate_series", start, end, *([step] if step is not None else []))


def _array_size(node: exp.ArraySize, ctx: Context) -> exp.Expression:
    # NULL for NULL: -1 is the answer only with ANSI mode off, which Databricks SQL does not run
    kind = spark_type(node.this, ctx)
    if kind == "MAP":
        return duck("CAST(cardinality({m}) AS INTEGER)", m=node.this)
    if kind == "LIST":
        return duck("CAST(len({a}) AS INTEGER)", a=node.this)
    raise NotSupportedLocally("size of a value of unknown type")


def _array_index(index: exp.Expression, ctx: Context, construct: str) -> exp.Expression:
    """An array index: an integer, or a string read as an INT."""
    kind = spark_type(index, ctx)
    if kind == "VARCHAR":
        return _implicit_cast(index, "INTEGER", ctx)
    if isinstance(index, exp.Null) or kind is None or is_integral(kind):
        return index
    raise RejectedByDatabricks("DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE", f"{construct} with a {kind} index")


def _get(node: exp.Anonymous, ctx: Context) -> exp.Expression:
    """get(array, index): the element at index, from 0; NULL out of bounds."""
    array, index = arguments(node, 2)
    if spark_type(array, ctx) != "LIST":
        raise NotSupportedLocally("get of a value that is not known to be an array")
    return call("spark_array_get", array, _array_index(index, ctx, "get"))


def _elt(node: exp.Elt, ctx: Context) -> exp.Expression:
    """elt(n, v1, v2, ...): the n-th value as a STRING; an n out of range fails as an array index does."""
    index, values = node.this, node.expressions
    if not values:
        raise RejectedByDatabricks("WRONG_NUM_ARGS.WITHOUT_SUGGESTION", "elt with 1 argument")
    kind = spark_type(index, ctx)
    if not (isinstance(index, exp.Null) or kind in ("INTEGER", "SMALLINT", "TINYINT", "VARCHAR")):
        raise NotSupportedLocally(f"elt with an index of type {kind or 'unknown'}", "CAST it to INT")
    if any(spark_type(v, ctx) in ("LIST", "MAP", "STRUCT") for v in values):
        raise RejectedByDatabricks("DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE", "elt of an array, map or struct")
    if kind == "VARCHAR":
        index = _implicit_cast(index, "INTEGER", ctx)
    texts = [v if spark_type(v, ctx) == "VARCHAR" or isinstance(v, exp.Null) else _implicit_cast(v, "VARCHAR", ctx)
             for v in values]  # fmt: skip
    listed = exp.Array(expressions=[cast_to(t, "VARCHAR") for t in texts])
    template = """CASE WHEN {i} IS NULL THEN NULL WHEN {i} < 1 OR {i} > {n}
        THEN error('[INVALID_ARRAY_INDEX] The index ' || {i} || ' is out of bounds. The array has {n} elements.')
        ELSE list_extract({a}, {i}) END"""
    return typed(duck(template.replace("{n}", str(len(values))), i=index, a=listed), "VARCHAR")


def _nullifzero(node: exp.Anonymous, ctx: Context) -> exp.Expression:
    """nullifzero(x): NULL where x is 0, else x."""
    (value,) = arguments(node, 1)
    kind = spark_type(value, ctx)
    if isinstance(value, exp.Null):
        return value
    if not is_numeric(kind):
        raise NotSupportedLocally(f"nullifzero of a value of type {kind or 'unknown'}", "CAST it to a number")
    return typed(duck("CASE WHEN {x} = 0 THEN NULL ELSE {x} END", x=value), kind)


def _bracket(node: exp.Bracket, ctx: Context) -> exp.Expression:
    kind = spark_type(node.this, ctx)
    if len(node.expressions) != 1:
        raise NotSupportedLocally("a subscript with several indexes")
    index = node.expressions[0]
    safe = bool(node.args.get("safe"))
    if kind == "MAP":
        return call("spark_map_value", node.this, index)  # a missing key is NULL for both
    if kind == "LIST":
        if safe:
            if isinstance(index, exp.Null):
                raise RejectedByDatabricks("DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE", "try_element_at(array, NULL)")
            return call("spark_try_element_at", node.this, _array_index(index, ctx, "try_element_at"))
        if node.args.get("offset") == 1:
            if isinstance(index, exp.Null):
                raise RejectedByDatabricks("DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE", "element_at(array, NULL)")
            return call("spark_element_at", node.this, index)
        return call("spark_array_index", node.this, index)
    raise NotSupportedLocally("a subscript of a value whose type (array or map) the local target cannot tell")


def _json_extract(node: exp.JSONExtract, ctx: Context) -> exp.Expression:
    if spark_type(node.this, ctx) == variant_sql.VARIANT:
        return variant_sql.colon_path(node, ctx)
    return jsonfunctions.colon_path(node, ctx)


def _safe_divide(node: exp.SafeDivide, ctx: Context) -> exp.Expression:
    divided = _div(exp.Div(this=node.this.copy(), expression=node.expression.copy()), ctx)
    return duck("CASE WHEN {b} = 0 THEN NULL ELSE {d} END", b=node.expression, d=divided)


def _try_mod(node: exp.Anonymous, ctx: Context) -> exp.Expression:
    """try_mod(a, b): a % b, NULL where b is 0."""
    dividend, divisor = arguments(node, 2)
    if "VARCHAR" in (spark_type(dividend, ctx), spark_type(divisor, ctx)):
        raise NotSupportedLocally("try_mod of a STRING", "CAST it to a number")
    remainder = _mod(exp.Mod(this=dividend.copy(), expression=divisor.copy()), ctx)
    return duck("CASE WHEN {b} = 0 THEN NULL ELSE {r} END", b=divisor, r=remainder)


def _unhex(node: exp.Unhex, ctx: Context) -> exp.Expression:
    """unhex(s): the bytes of s's hex digits (dialect/binary.py), NULL for any other character."""
    if node.args.get("expression") is not None:
        raise NotSupportedLocally("unhex with a second argument")
    return typed(call("spark_unhex", _argument_as(node.this, "VARCHAR", ctx, "unhex")), "BLOB")


def _unbase64(node: exp.FromBase64, ctx: Context) -> exp.Expression:
    """unbase64(s): decoded as Java's MIME decoder decodes it (dialect/binary.py)."""
    return typed(call("spark_unbase64", _argument_as(node.this, "VARCHAR", ctx, "unbase64")), "BLOB")


# to_binary's formats and the functions that read each, failing (to_binary) or NULL (try_to_binary).
_BINARY_FORMATS = {
    "hex": ("spark_unhex_strict", "spark_unhex"),
    "base64": ("spark_unbase64_strict", "spark_try_unbase64_strict"),
    "utf-8": ("encode", "encode"),
    "utf8": ("encode", "encode"),
}


def _to_binary(node: exp.Expression, ctx: Context) -> exp.Expression:
    """to_binary(s [, format]) and try_to_binary: s read as hex (the default), base64 or UTF-8 text; a
    format other than those rejected by to_binary and NULL from try_to_binary, NULL for a NULL format."""
    tolerant = isinstance(node, exp.Anonymous)
    name = "try_to_binary" if tolerant else "to_binary"
    if tolerant:
        value, *rest = arguments(node, 1, 2)
        written = rest[0] if rest else None
    else:
        value, written = node.this, node.args.get("format")
    text = _argument_as(value, "VARCHAR", ctx, name)
    if isinstance(written, exp.Null):
        return typed(exp.cast(exp.null(), "BLOB"), "BLOB")
    form = "hex" if written is None else literal_string(written)
    if form is None:
        raise NotSupportedLocally(f"{name} with a format that is not a string literal")
    functions = _BINARY_FORMATS.get(form.lower())
    if functions is None:
        if tolerant:
            return typed(exp.cast(exp.null(), "BLOB"), "BLOB")
        raise RejectedByDatabricks(
            "DATATYPE_MISMATCH.INVALID_ARG_VALUE", f"{name} with the format {form!r} (hex, utf-8, utf8 or base64)"
        )
    return typed(call(functions[1] if tolerant else functions[0], text), "BLOB")


def _to_base64(node: exp.ToBase64, ctx: Context) -> exp.Expression:
    kind = spark_type(node.this, ctx)
    if kind not in ("VARCHAR", "BLOB"):
        raise NotSupportedLocally("base64 of a value that is not a STRING or BINARY")
    return call("spark_base64", node.this if kind == "BLOB" else call("encode", node.this))


def _byte_length(node: exp.Expression, ctx: Context) -> exp.Expression:
    """length(b), octet_length(b) of a BINARY: its bytes (DuckDB's length takes only text)."""
    value = node.this if isinstance(node, exp.Length) else arguments(node, 1)[0]
    if spark_type(value, ctx) == "BLOB":
        return typed(call("octet_length", value), "INTEGER")
    return node if isinstance(node, exp.Length) else call("strlen", value)


def _decode_binary(node: exp.Decode, ctx: Context) -> exp.Expression:
    """decode(b, 'UTF-8') of a BINARY (an invalid byte sequence fails, as in Databricks); other character
    sets refused (Databricks fails on names such as 'utf8' as the statement runs)."""
    charset = literal_string(node.args.get("charset"))
    if spark_type(node.this, ctx) != "BLOB" or charset is None or charset.lower() != "utf-8":
        raise NotSupportedLocally("decode other than of a BINARY from 'UTF-8'")
    return typed(call("decode", node.this), "VARCHAR")


def _cardinality(node: exp.Anonymous, ctx: Context) -> exp.Expression:
    return _array_size(exp.ArraySize(this=node.expressions[0]), ctx)


def _e(node: exp.Anonymous, ctx: Context) -> exp.Expression:
    return call("exp", exp.Literal.number(1))


# Array functions whose arguments' types the local target checks as the statement runs (dialect/arrays.py).
_RUNTIME_TYPE_CHECKS = (exp.ArrayAppend, exp.ArrayPrepend, exp.ArrayInsert, exp.ArrayRemove, exp.ArrayIntersect,
                        exp.ArrayExcept, exp.ArrayContains, exp.ArrayPosition)  # fmt: skip


def _checked_as_it_runs(node: exp.Expression) -> bool:
    return any(
        isinstance(part, _RUNTIME_TYPE_CHECKS)
        or (isinstance(part, exp.Anonymous) and part.name.lower() in ("array_union", "arrays_overlap"))
        for part in node.walk()
    )


def _typeof(node: exp.Typeof, ctx: Context) -> exp.Expression:
    kind = spark_type(node.this, ctx)
    if kind == variant_sql.VARIANT:
        return typed(exp.Literal.string("variant"), "VARCHAR")  # Databricks does not evaluate the value
    if node.meta.get("checked_as_it_runs"):
        # The check is evaluated with the value, and typeof does not evaluate it.
        raise NotSupportedLocally("typeof of an array function whose argument types are checked as it runs")
    if kind == "TIMESTAMP":
        # DuckDB keeps both kinds of timestamp as its TIMESTAMP
        name = "timestamp" if casts.has_time_zone(node.this, ctx, "typeof") else "timestamp_ntz"
    elif kind in ("LIST", "MAP", "STRUCT"):
        # A TIMESTAMP inside may be a TIMESTAMP_NTZ where the statement writes one.
        found = type_name(shape_of(node.this, ctx), "timestamp" if not ctx.mentions_ntz else None)
        if found is None:
            raise NotSupportedLocally("typeof of an array, map or struct holding types the local target cannot tell")
        name = found
    elif isinstance(node.this, exp.Null):
        name = "void"
    elif (found := type_name(kind)) is not None:
        name = found
    else:
        raise NotSupportedLocally("typeof of a value whose type the local target cannot tell")
    if not _holds_aggregate(node.this):
        if not any(_of_this_query(c, node.this) for c in node.this.find_all(exp.Column)):
            return exp.Literal.string(name)
        # DuckDB's typeof binds the column without reading it, so an aggregate query without the
        # column in its GROUP BY fails as on Databricks instead of answering.
        return call("left", exp.DPipe(this=exp.Literal.string(name), expression=call("typeof", node.this)),
                    exp.Literal.number(len(name)))  # fmt: skip
    # The name, but the aggregate or window still computed: as a constant, `typeof(sum(x))` would
    # turn an aggregate query into one row per input row.
    computed = duck("CAST(({v}) IS NULL AS VARCHAR)", v=node.this)
    return call("left", exp.DPipe(this=exp.Literal.string(name), expression=computed), exp.Literal.number(len(name)))


def _holds_aggregate(value: exp.Expression) -> bool:
    """Whether `value` computes an aggregate or window function of the query it is in (not of a subquery)."""
    return any(_of_this_query(found, value) for found in value.find_all(exp.AggFunc, exp.Window))


def _of_this_query(found: exp.Expr, value: exp.Expr) -> bool:
    """Whether `found`, inside `value`, belongs to the query `value` is in rather than to a subquery."""
    node: exp.Expr | None = found
    while node is not None and node is not value and not isinstance(node, (exp.Select, exp.Subquery)):
        node = node.parent
    return node is value


def _assert_true(node: exp.Anonymous, ctx: Context) -> exp.Expression:
    return duck(
        "CASE WHEN {c} THEN CAST(NULL AS VARCHAR) ELSE error('[USER_RAISED_EXCEPTION] assert_true failed') END",
        c=node.expressions[0],
    )


def _void_adapts(value: exp.Expression) -> bool:
    """Whether a VOID value here takes the type of the values beside it: a branch of if, nvl2 or CASE, a
    value of coalesce, or a select item of its own."""
    parent = value.parent
    if isinstance(parent, (exp.If, exp.Nvl2)):
        return value.arg_key in ("true", "false")
    if isinstance(parent, exp.Case):
        return value.arg_key == "default"
    return isinstance(parent, (exp.Coalesce, exp.Alias, exp.Select))


def _raise_error(node: exp.Anonymous, ctx: Context) -> exp.Expression:
    """raise_error(message): fails the statement with USER_RAISED_EXCEPTION and the message as a STRING
    (NULL as `null`), where and when it is evaluated."""
    if len(node.expressions) != 1:
        raise RejectedByDatabricks(
            "WRONG_NUM_ARGS.WITHOUT_SUGGESTION", f"raise_error of {len(node.expressions)} arguments (it takes one)"
        )
    value: exp.Expression = node
    while isinstance(value.parent, exp.Paren):
        value = value.parent
    if not _void_adapts(value):
        # DuckDB answers NULL for an operator or function of a NULL-typed value without evaluating it.
        raise NotSupportedLocally(
            "raise_error as an argument of an operator or function", "make it a branch of CASE, if or coalesce"
        )
    message = node.expressions[0]
    kind = None if isinstance(message, exp.Null) else spark_type(message, ctx)
    if kind is None and not isinstance(message, exp.Null):
        raise NotSupportedLocally("raise_error of a value whose type the local target cannot tell", "CAST it to STRING")
    text = message if kind in (None, "VARCHAR") else _implicit_cast(message, "VARCHAR", ctx)
    # Typed as Databricks types it, VOID: beside a value of any type it takes that type.
    return typed(duck("error('[USER_RAISED_EXCEPTION] ' || coalesce({m}, 'null'))", m=text), "NULL")


def _zeroifnull(node: exp.Anonymous, ctx: Context) -> exp.Expression:
    return exp.Coalesce(this=node.expressions[0], expressions=[exp.Literal.number(0)])


def _quantile(node: exp.Quantile, ctx: Context) -> exp.Expression:
    # percentile(x, p): exact, interpolated between the two nearest values.
    if not isinstance(node.args.get("quantile"), exp.Literal):
        raise NotSupportedLocally("percentile with a percentage that is not a literal")
    return call("quantile_cont", node.this, node.args["quantile"])


def _identity(node: exp.GeneratedAsIdentityColumnConstraint, ctx: Context) -> exp.Expression:
    raise NotSupportedLocally(
        "GENERATED ... AS IDENTITY in a table created with `exec`",
        "create the table without it and number rows with row_number(), or run it on Databricks",
    )


HANDLERS: dict[type, Callable] = {
    exp.GroupConcat: _listagg,
    exp.And: lazy.and_or,
    exp.Or: lazy.and_or,
    exp.Between: lazy.between,
    exp.Greatest: nested_order.greatest_or_least,
    exp.Least: nested_order.greatest_or_least,
    exp.In: lazy.in_list,
    exp.Repeat: strings.repeat,
    exp.Quantile: _quantile,
    exp.Typeof: _typeof,
    exp.WidthBucket: lambda node, ctx: call("spark_width_bucket", *[v for v in node.args.values() if v is not None]),
    # Math.cbrt to the last bit (javafunctions.cbrt); the C library's differs for about half of all inputs.
    exp.Cbrt: lambda node, ctx: call("spark_cbrt", cast_to(node.this, "DOUBLE")),
    exp.GeneratedAsIdentityColumnConstraint: _identity,
    exp.Case: _case,
    exp.SHA2: _sha2,
    exp.Extract: _extract,
    exp.UnixToStr: _unix_to_str,
    exp.DateFromUnixDate: _date_from_unix_date,
    exp.UnixDate: _unix_date,
    exp.MapContainsKey: _map_contains_key,
    exp.SafeAdd: numbers.try_arithmetic,
    exp.SafeSubtract: numbers.try_arithmetic,
    exp.SafeMultiply: numbers.try_arithmetic,
    exp.SubstringIndex: strings.substring_index,
    exp.UnixSeconds: datetimes.unix_time,
    exp.UnixMillis: datetimes.unix_time,
    exp.UnixMicros: datetimes.unix_time,
    exp.Values: _values,
    exp.Union: _set_operation,
    exp.Intersect: _set_operation,
    exp.Except: _set_operation,
    exp.Group: _group,
    exp.Elt: _elt,
    exp.Grouping: _grouping,
    exp.GroupingId: _grouping_id,
    exp.ArraySort: arrays.array_sort,
    exp.ArrayMin: arrays.array_min_or_max,
    exp.ArrayMax: arrays.array_min_or_max,
    exp.ArraySlice: _array_slice,
    exp.ArrayDistinct: _array_distinct,
    exp.Reduce: arrays.aggregate,
    exp.GenerateSeries: _generate_series,
    exp.Bracket: _bracket,
    exp.JSONExtract: _json_extract,
    exp.SafeDivide: _safe_divide,
    exp.Length: _byte_length,
    exp.Decode: _decode_binary,
    exp.ToBase64: _to_base64,
    exp.Unhex: _unhex,
    exp.FromBase64: _unbase64,
    exp.ToBinary: _to_binary,
    exp.Identifier: _identifier,
    exp.Table: _table,
    exp.Column: _column,
    exp.Dot: arrays.dot_through_array,
    exp.Literal: _literal,
    exp.DataType: _data_type,
    exp.Cast: _cast,
    exp.TryCast: _cast,
    exp.Div: _div,
    exp.Mod: _mod,
    exp.IntDiv: _int_div,
    exp.Concat: _concat,
    exp.DPipe: _dpipe,
    exp.Like: _like,
    exp.ILike: _ilike,
    exp.Escape: _escape,
    exp.DayOfWeek: _day_of_week,
    exp.TsOrDsToDate: _ts_or_ds_to_date,
    exp.StrToDate: _str_to_date,
    exp.StrToTime: _str_to_time,
    exp.TimeStrToTime: _time_str_to_time,
    exp.TimeToStr: _time_to_str,
    exp.Add: _add_interval,
    exp.Sub: _add_interval,
    exp.AddMonths: _add_months,
    exp.TsOrDsAdd: _ts_or_ds_add,
    exp.DateAdd: _date_add,
    exp.BitwiseNot: _bitwise_not,
    exp.DateDiff: _date_diff,
    exp.MonthsBetween: _months_between,
    exp.DateTrunc: _date_trunc,
    exp.TimestampTrunc: _timestamp_trunc,
    exp.StrToUnix: _str_to_unix,
    exp.CurrentTimestamp: _current_timestamp,
    exp.Ln: _ln,
    exp.Log: _log,
    exp.Sqrt: _sqrt,
    exp.Substring: _substring,
    exp.ArraySize: _array_size,
    exp.JSONExtract: _json_extract,
    exp.Pad: _pad,
    exp.TimestampDiff: _timestamp_diff,
    exp.Map: arrays.map_from_arrays,
    exp.VarMap: _var_map,
}

ANONYMOUS: dict[str, Callable] = {
    "pmod": _pmod,
    "try_mod": _try_mod,
    "conv": _conv,
    "url_encode": _url_codec("spark_url_encode"),
    "url_decode": _url_codec("spark_url_decode", exp.false()),
    "try_url_decode": _url_codec("spark_url_decode", exp.true()),
    "to_timestamp_ntz": _to_timestamp_ntz,
    "make_timestamp_ntz": _make_timestamp_ntz,
    "try_make_timestamp_ntz": _try_make_timestamp_ntz,
    "make_dt_interval": _make_dt_interval,
    "make_ym_interval": _make_ym_interval,
    "json_tuple": arrays.generator,  # in a SELECT list; a LATERAL VIEW takes it in lateral_view
    "try_to_timestamp": _try_to("TIMESTAMP"),
    "try_to_date": _try_to("DATE"),
    "weekday": _weekday,
    "xxhash64": _chained_hash("xxhash64", "spark_xxhash64_step"),
    "hash": _chained_hash("hash", "spark_hash_step"),
    "make_date": datetimes.make_date,
    "isnull": _isnull,
    "isnotnull": _isnotnull,
    "date_part": _date_part,
    "cardinality": _cardinality,
    "e": _e,
    "zeroifnull": _zeroifnull,
    "crc32": _crc32,
    "map_values": _named("map_values"),
    "json_array_length": _named("json_array_length"),
    "octet_length": _byte_length,
    "btrim": _named("trim"),
    "array_union": arrays.array_union,
    "assert_true": _assert_true,
    "try_to_binary": _to_binary,
    "schema_of_json": jsonschema.schema_of_json,
    "try_parse_json": variant_sql.parse_json,
    "variant_get": lambda node, ctx: variant_sql.variant_get(node, ctx, _cast),
    "try_variant_get": lambda node, ctx: variant_sql.variant_get(node, ctx, _cast),
    "is_variant_null": variant_sql.is_variant_null,
    "schema_of_variant": variant_sql.schema_of_variant,
    "schema_of_variant_agg": variant_sql.schema_of_variant_agg,
    "raise_error": _raise_error,
    "width_bucket": _named("spark_width_bucket"),
}

# Silence "imported but unused" for helpers kept for handlers that refine later.
_ = (is_fractional,)


def _decode(node: exp.DecodeCase, ctx: Context) -> exp.Expression:
    """decode(expr, search, result, ..., default): the first search equal to expr, NULL equal to NULL."""
    subject, *pairs = node.expressions
    default = pairs.pop() if len(pairs) % 2 else exp.Null()
    ifs = [
        exp.If(this=exp.NullSafeEQ(this=subject.copy(), expression=search), true=result)
        for search, result in zip(pairs[::2], pairs[1::2], strict=True)
    ]
    return exp.Case(ifs=ifs, default=default)


def _concat_ws(node: exp.ConcatWs, ctx: Context) -> exp.Expression:
    return strings.concat_ws(node, ctx, to_string)


def _format_string(node: exp.Expression, ctx: Context) -> exp.Expression:
    return strings.format_string(node, ctx, to_string)


def _to_json(node: exp.JSONFormat, ctx: Context) -> exp.Expression:
    if spark_type(node.this, ctx) == variant_sql.VARIANT:
        if node.args.get("options") is not None:
            raise NotSupportedLocally("to_json of a VARIANT with options")
        return variant_sql.to_json(node.this)
    return jsonfunctions.to_json(node, ctx, to_string)


def _arg_max_or_min(node: exp.ArgMax | exp.ArgMin, ctx: Context) -> exp.Expression:
    if node.args.get("count") is not None:
        raise NotSupportedLocally("max_by / min_by with a number of values")
    # max_by(v, w) is v at the largest w even when that v is NULL (DuckDB's arg_max skips NULL values).
    name = "arg_max_null" if isinstance(node, exp.ArgMax) else "arg_min_null"
    if nested_order.is_nested(node.expression, ctx):
        return call(name, node.this, nested_order.order_key(node.expression, ctx, "max_by / min_by"))
    return call(name, node.this, node.expression)


def _nth_value(node: exp.NthValue, ctx: Context) -> exp.Expression:
    """nth_value(x, n) over a window: the value of the frame's n-th row, NULLs counted (NULL while the frame
    has fewer rows); DuckDB's frames and ordering of NULLs are Databricks' here."""
    offset = node.args.get("offset")
    if not (
        isinstance(offset, exp.Literal) and not offset.is_string and offset.name.isdigit() and int(offset.name) > 0
    ):
        raise NotSupportedLocally("nth_value with an offset that is not a positive integer literal")
    window = node.parent.parent if isinstance(node.parent, exp.IgnoreNulls) else node.parent
    if not isinstance(window, exp.Window):
        raise NotSupportedLocally("nth_value outside a window")
    return typed(node, spark_type(node.this, ctx))


def _lag_or_lead(node: exp.Lag | exp.Lead, ctx: Context) -> exp.Expression:
    """The default is cast to the value's type as CAST does it (2.7 for an INT is 2; DuckDB rounds)."""
    default = node.args.get("default")
    if default is None or isinstance(default, exp.Null):
        return node
    target, source = spark_type(node.this, ctx), spark_type(default, ctx)
    if target == source and target is not None:
        return node
    nested = ("LIST", "MAP", "STRUCT")
    if target is None or source is None or target in nested or source in nested:
        raise NotSupportedLocally("lag / lead with a default of another type", "CAST the default to the value's type")
    node.set("default", _implicit_cast(default, target, ctx))
    return node


def _nested_order_refused(value: exp.Expression, construct: str, ctx: Context) -> None:
    reject_map_ordering([value], ctx, construct)
    # Databricks orders NULL elements and fields first inside an array or struct, DuckDB last.
    if spark_type(value, ctx) in ("LIST", "STRUCT", "MAP"):
        raise NotSupportedLocally(f"{construct} of an array or struct", "order by its elements or fields")


def _ordered(node: exp.Ordered, ctx: Context) -> exp.Expression:
    value = _named_output(node) or node.this
    if nested_order.is_nested(value, ctx):
        reference = value if value is node.this else _output_reference(value)
        node.set("this", nested_order.order_key(reference, ctx, "ORDER BY"))
        return node
    _nested_order_refused(value, "ORDER BY", ctx)
    return node


def _named_output(node: exp.Ordered) -> exp.Expression | None:
    """The value of the SELECT's own output an ORDER BY names by its position or its alias (Databricks looks
    for an alias before the columns of the sources)."""
    select = node.parent.parent if isinstance(node.parent, exp.Order) else None
    if not isinstance(select, exp.Select):
        return None
    named = node.this
    if isinstance(named, exp.Literal) and not named.is_string and named.name.isdigit():
        position = int(named.name)
        return select.expressions[position - 1].unalias() if 0 < position <= len(select.expressions) else None
    if isinstance(named, exp.Column) and not named.table:
        # an alias, or a column of the sources selected under its own name (`SELECT s ... ORDER BY s`)
        outputs = [item for item in select.expressions if isinstance(item, (exp.Alias, exp.Column))]
        aliased = [item for item in outputs if item.alias_or_name.lower() == named.name.lower()]
        if len(aliased) == 1:
            return aliased[0].this if isinstance(aliased[0], exp.Alias) else aliased[0]
    return None


def _output_reference(value: exp.Expression) -> exp.Expression:
    """What the key of an ORDER BY of an output by position or alias is built over: the output's value again
    (an alias in the key could name a column of the sources instead), typed as the output."""
    if lazy.volatile(value):
        raise NotSupportedLocally("ORDER BY the position or alias of an array or struct that changes at each "
                                  "evaluation", "order by a column of a subquery that computes it")  # fmt: skip
    reference = value.copy()
    reference.meta.update({key: value.meta[key] for key in ("spark_type", "spark_shape") if key in value.meta})
    return reference


def _max_or_min(node: exp.Max | exp.Min, ctx: Context) -> exp.Expression:
    if nested_order.is_nested(node.this, ctx):
        # The value at its largest (smallest) key: Databricks' order, NULLs skipped as max and min skip them.
        name = "arg_max" if isinstance(node, exp.Max) else "arg_min"
        return call(name, node.this, nested_order.order_key(node.this, ctx, name.replace("arg_", "")))
    _nested_order_refused(node.this, "max / min", ctx)
    return node


def _pow(node: exp.Pow, ctx: Context) -> exp.Expression:
    return call("spark_pow", cast_to(node.this, "DOUBLE"), cast_to(node.expression, "DOUBLE"))


def _remainder_type(node: exp.Expression, remainder: exp.Expression, ctx: Context) -> exp.Expression:
    """% and pmod in Databricks' result type (a DECIMAL remainder that does not fit fails)."""
    result = spark_type(node, ctx)
    if not is_decimal(result):
        return remainder
    return typed(cast_to(remainder, result), result)


HANDLERS.update({
    # strings
    exp.Upper: strings.upper, exp.Lower: strings.lower, exp.Initcap: strings.initcap, exp.Reverse: strings.reverse,
    exp.Soundex: strings.soundex,
    exp.Left: strings.left,
    exp.Right: strings.right, exp.Pad: strings.pad, exp.Replace: strings.replace,
    exp.StrPosition: strings.str_position, exp.Chr: strings.chr_, exp.Space: strings.space,
    exp.SplitPart: strings.split_part, exp.Levenshtein: strings.levenshtein, exp.ConcatWs: _concat_ws,
    exp.Format: _format_string,
    # regular expressions
    exp.RegexpLike: regexfunctions.rlike, exp.RegexpSplit: regexfunctions.split,
    exp.RegexpExtract: regexfunctions.regexp_extract, exp.RegexpReplace: regexfunctions.regexp_replace,
    exp.RegexpCount: regexfunctions.regexp_count, exp.RegexpSubstr: regexfunctions.regexp_substr,
    exp.RegexpExtractAll: regexfunctions.regexp_extract_all,
    # numbers
    exp.Sign: numbers.sign, exp.Floor: numbers.floor, exp.Ceil: numbers.ceil, exp.Round: numbers.round_,
    exp.Asin: numbers.asin, exp.Acos: numbers.acos, exp.Sin: numbers.sin, exp.Cos: numbers.cos,
    exp.Atan: numbers.atan, exp.Atan2: numbers.atan2, exp.Exp: numbers.exp_, exp.Sinh: numbers.sinh,
    exp.Cosh: numbers.cosh, exp.Tanh: numbers.tanh, exp.Asinh: numbers.asinh, exp.Acosh: numbers.acosh,
    exp.Atanh: numbers.atanh, exp.Rint: numbers.rint, exp.Skewness: aggregates.moments("skewness"),
    exp.Kurtosis: aggregates.moments("kurtosis"),
    exp.Tan: numbers.tan, exp.Cot: numbers.cot, exp.Sec: numbers.sec, exp.Csc: numbers.csc,
    exp.Factorial: numbers.factorial, exp.Nanvl: numbers.nanvl, exp.IsNan: numbers.isnan,
    exp.Dayname: _named_by_pattern("EEE"), exp.Monthname: _named_by_pattern("MMM"),
    exp.Negative: numbers.negative, exp.Pow: _pow, exp.Neg: numbers.negation, exp.Rand: _rand,
    exp.Uuid: _uuid,
    # dates and times
    exp.Add: datetimes.add_or_subtract, exp.Sub: datetimes.add_or_subtract, exp.Mul: datetimes.decimal_result,
    exp.TimestampAdd: datetimes.timestamp_add, exp.TimestampDiff: datetimes.timestamp_diff,
    exp.Extract: datetimes.extract, exp.TimestampFromParts: datetimes.make_timestamp,
    exp.NextDay: datetimes.next_day, exp.LastDay: datetimes.last_day, exp.Year: datetimes.date_field("year", "DATE"),
    exp.Month: datetimes.date_field("month", "DATE"), exp.Day: datetimes.date_field("day", "DATE"),
    exp.DayOfMonth: datetimes.date_field("dayofmonth", "DATE"),
    exp.DayOfYear: datetimes.date_field("dayofyear", "DATE"), exp.Quarter: datetimes.date_field("quarter", "DATE"),
    exp.WeekOfYear: datetimes.date_field("weekofyear", "DATE"), exp.Hour: datetimes.date_field("hour", "TIMESTAMP"),
    exp.Minute: datetimes.date_field("minute", "TIMESTAMP"), exp.Second: datetimes.date_field("second", "TIMESTAMP"),
    # arrays
    exp.ArrayContains: arrays.array_contains, exp.ArrayPosition: arrays.array_position,
    exp.GenerateSeries: arrays.sequence, exp.Transform: arrays.transform, exp.ArrayFilter: arrays.array_filter,
    exp.Exists: arrays.exists, exp.ArrayRemove: arrays.array_remove, exp.Flatten: arrays.flatten,
    exp.ArrayAppend: arrays.array_append, exp.ArrayPrepend: arrays.array_prepend,
    # aggregates
    exp.Window: aggregates.wrapper, exp.Filter: aggregates.wrapper, exp.Sum: aggregates.sum_,
    exp.Avg: aggregates.avg, exp.Median: aggregates.median, exp.Quantile: aggregates.percentile,
    exp.ApproxQuantile: aggregates.percentile_approx,
    exp.ApproxDistinct: _approx_count_distinct,
    exp.Overlay: _overlay,
    exp.RegexpInstr: regexfunctions.regexp_instr,
    exp.WithinGroup: aggregates.within_group, exp.First: aggregates.first_or_last, exp.Last: aggregates.first_or_last,
    exp.IgnoreNulls: aggregates.ignore_nulls, exp.RespectNulls: aggregates.respect_nulls, exp.Mode: aggregates.mode,
    exp.RowNumber: aggregates.ranking, exp.Rank: aggregates.ranking, exp.DenseRank: aggregates.ranking,
    exp.Ntile: aggregates.ranking, exp.Corr: aggregates.corr, exp.ArrayAgg: aggregates.collection,
    exp.ArrayUniqueAgg: aggregates.collection, exp.Any: aggregates.any_, exp.ArgMax: _arg_max_or_min,
    exp.ArgMin: _arg_max_or_min,
    exp.Stddev: aggregates.numeric_only("stddev"), exp.StddevPop: aggregates.numeric_only("stddev_pop"),
    exp.StddevSamp: aggregates.numeric_only("stddev_samp"), exp.Variance: aggregates.numeric_only("variance"),
    exp.VariancePop: aggregates.numeric_only("var_pop"), exp.CovarPop: aggregates.numeric_only("covar_pop"),
    exp.CovarSamp: aggregates.numeric_only("covar_samp"),
    exp.RegrSlope: aggregates.regr_slope,
    exp.RegrIntercept: aggregates.numeric_only("regr_intercept"),
    exp.RegrR2: aggregates.numeric_only("regr_r2"),
    exp.RegrCount: aggregates.numeric_only("regr_count"),
    exp.RegrAvgx: aggregates.regr_average("regr_avgx"), exp.RegrAvgy: aggregates.regr_average("regr_avgy"),
    exp.RegrSxx: aggregates.numeric_only("regr_sxx"),
    exp.RegrSyy: aggregates.numeric_only("regr_syy"),
    exp.RegrSxy: aggregates.numeric_only("regr_sxy"),
    exp.LogicalAnd: aggregates.boolean_only("bool_and"), exp.LogicalOr: aggregates.boolean_only("bool_or"),
    exp.BitwiseAndAgg: aggregates.bitwise("bit_and"), exp.BitwiseOrAgg: aggregates.bitwise("bit_or"),
    exp.BitwiseXorAgg: aggregates.bitwise("bit_xor"),
    # JSON
    exp.JSONExtractScalar: jsonfunctions.get_json_object, exp.JSONFormat: _to_json,
    exp.FromJson: jsonfunctions.from_json, exp.DecodeCase: _decode, exp.ParseJSON: variant_sql.parse_json,
    exp.ArrayExcept: arrays.array_except, exp.ArrayIntersect: arrays.array_intersect,
    exp.ConvertTimezone: datetimes.convert_timezone, exp.Localtimestamp: _localtimestamp,
    exp.CurrentTimezone: _current_timezone, exp.JSONKeys: jsonfunctions.json_object_keys,
    exp.ToNumber: _to_number, exp.ToChar: _to_char,
    exp.Select: arrays.ordered_around_spread,
    exp.Lateral: arrays.lateral_view, exp.Explode: arrays.generator, exp.Posexplode: arrays.generator,
    exp._ExplodeOuter: arrays.generator, exp.PosexplodeOuter: arrays.generator, exp.Inline: arrays.generator,
    exp.Stack: arrays.generator,
    exp.Aliases: arrays.generator_columns, exp.Array: arrays.array_values,
    exp.Struct: arrays.struct_values, exp.WindowSpec: window_frame,
    exp.Lag: _lag_or_lead, exp.Lead: _lag_or_lead, exp.NthValue: _nth_value,
    exp.ArrayToString: arrays.array_join,
    exp.Ordered: _ordered, exp.Max: _max_or_min, exp.Min: _max_or_min,
    exp.BitwiseLeftShift: functools.partial(bits.shift, cast=_implicit_cast),
    exp.BitwiseRightShift: functools.partial(bits.shift, cast=_implicit_cast),
    exp.ArrayInsert: arrays.array_insert, exp.MapFromEntries: arrays.map_from_entries,
    exp.ArraysZip: arrays.arrays_zip, exp.StrToMap: regexfunctions.str_to_map, exp.ParseUrl: _parse_url,
    exp.BitwiseCount: bits.bit_count, exp.Getbit: functools.partial(bits.getbit, cast=_implicit_cast),
})  # fmt: skip

ANONYMOUS.update({
    "map_entries": _map_entries,
    "try_sum": aggregates.try_sum, "try_avg": aggregates.try_avg,
    "bigint": _cast_function("BIGINT"), "smallint": _cast_function("SMALLINT"),
    "tinyint": _cast_function("TINYINT"), "decimal": _cast_function("DECIMAL(10,0)"),
    "find_in_set": strings.find_in_set,
    "map_filter": arrays.map_lambda, "transform_values": arrays.map_lambda, "transform_keys": arrays.map_lambda,
    "map_concat": arrays.map_concat,
    "get": _get, "nullifzero": _nullifzero, "range": _range, "printf": _format_string,
    "from_utc_timestamp": datetimes.utc_timestamp, "to_utc_timestamp": datetimes.utc_timestamp,
    "timestamp_seconds": datetimes.timestamp_from_epoch, "timestamp_millis": datetimes.timestamp_from_epoch,
    "timestamp_micros": datetimes.timestamp_from_epoch,
    "bround": numbers.bround, "positive": numbers.positive, "format_number": strings.format_number,
    "date_part": datetimes.date_part, "trunc": datetimes.trunc, "date_trunc": datetimes.date_trunc,
    "forall": arrays.forall, "log10": lambda node, ctx: call("spark_log10", *node.expressions),
    "array_repeat": arrays.array_repeat, "every": aggregates.every_or_some("every"),
    "some": aggregates.every_or_some("some"), "json_array_length": jsonfunctions.json_array_length,
    "shiftrightunsigned": functools.partial(bits.shift, cast=_implicit_cast),
    "bin": functools.partial(bits.bin_, cast=_implicit_cast),
    "mask": strings.mask, "luhn_check": _luhn_check,
    "expm1": numbers.strict_math("expm1", 1, _implicit_cast), "log1p": numbers.strict_math("log1p", 1, _implicit_cast),
    "hypot": numbers.strict_math("hypot", 2, _implicit_cast),
    "arrays_overlap": arrays.arrays_overlap, "zip_with": arrays.zip_with, "try_parse_url": _parse_url,
    "map_zip_with": arrays.map_zip_with,
    "try_make_timestamp": datetimes.try_make_timestamp, "quote": _quote,
    "try_to_number": _to_number, "to_varchar": _to_char,
    "is_valid_utf8": _utf8_check("is_valid_utf8"), "make_valid_utf8": _utf8_check("make_valid_utf8"),
    "validate_utf8": _utf8_check("validate_utf8"), "try_validate_utf8": _utf8_check("try_validate_utf8"),
})  # fmt: skip

PASS.update({exp.ArrayCompact, exp.PercentileCont, exp.PercentileDisc})  # only inside WITHIN GROUP
