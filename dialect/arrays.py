"""Array functions and lambdas with Databricks' NULL rules, index base and ordering.

`array_contains` is NULL (not false) when the value is missing and the array holds a NULL, the
index of a `(x, i) ->` lambda counts from 0, `sequence` counts down when the end is smaller, and
`exists`/`forall` take a lambda where SQL's EXISTS takes a subquery.
"""

from __future__ import annotations

from sqlglot import exp

from dialect import nested_order
from dialect.casts import spark_name
from dialect.common import Context, arguments, call, cast_to, duck, own_name, spark_type, typed
from dialect.errors import NotSupportedLocally, RejectedByDatabricks
from dialect.jsonfunctions import json_tuple_fields
from dialect.lazy import volatile
from dialect.names import names_a_source
from dialect.shapes import category, differences, shape_of
from dialect.star_columns import star_columns
from dialect.types import common_type, is_decimal

# array_insert fills at most this many NULLs locally (Databricks allows an array of 2^31 - 16 elements).
_LONGEST_GAP = 10_000_000

MACROS = {
    # The type of an array's elements, as typeof writes it ('INTEGER' for an INTEGER[]).
    "spark_element_type(a)": r"regexp_replace(typeof(a), '\[\]$', '')",
    # The error Databricks reports for f(a, x) when the array's elements and the value do not meet.
    "spark_element_type_error(a, x, f)": """error('[DATATYPE_MISMATCH.ARRAY_FUNCTION_DIFF_TYPES] ' || f || ' of a '
        || typeof(a) || ' and a ' || typeof(x) || ' (Databricks rejects this statement too)')""",
    # true, or that error; the macros below test it first, so it fails first. Databricks finds no common
    # type for a string and a number, a BOOLEAN or a date (no string promotion in array functions), where
    # DuckDB casts one to the other: such an element and value are rejected.
    "spark_same_element_class(a, x, f)": r"""CASE
        WHEN spark_value_class(spark_element_type(a)) <> spark_value_class(typeof(x))
          THEN spark_element_type_error(a, x, f)
        ELSE true END""",
    # array_append, array_prepend, array_position and array_remove want Spark's tightest common type of the
    # element and the value: numbers other than DECIMAL widen into each other, an integer into a DECIMAL
    # with room for all its digits, a DATE into a TIMESTAMP; two different DECIMALs, or a DECIMAL and a
    # floating point number, have none. Arrays, structs and maps are left to DuckDB.
    "spark_integer_digits(t)": """CASE t WHEN 'TINYINT' THEN 3 WHEN 'SMALLINT' THEN 5 WHEN 'INTEGER' THEN 10
        WHEN 'BIGINT' THEN 20 END""",
    "spark_decimal_holds(d, i)": r"""d LIKE 'DECIMAL(%' AND spark_integer_digits(i) IS NOT NULL
        AND TRY_CAST(regexp_extract(d, 'DECIMAL\((\d+),(\d+)\)', 1) AS INTEGER)
            - TRY_CAST(regexp_extract(d, 'DECIMAL\((\d+),(\d+)\)', 2) AS INTEGER) >= spark_integer_digits(i)""",
    "spark_tightest_common(t, u)": """t = u OR t = '"NULL"' OR u = '"NULL"'
        OR (t || u) LIKE '%STRUCT(%' OR (t || u) LIKE '%MAP(%' OR (t || u) LIKE '%[]%'
        OR (t IN ('TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'FLOAT', 'DOUBLE')
            AND u IN ('TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'FLOAT', 'DOUBLE'))
        OR (t IN ('DATE', 'TIMESTAMP') AND u IN ('DATE', 'TIMESTAMP'))
        OR spark_decimal_holds(t, u) OR spark_decimal_holds(u, t)""",
    # b, or the error Databricks reports where two arrays compared have elements without a tightest common
    # type (a number and a string, an INT and a DECIMAL(2,1)); DuckDB would cast one to the other.
    "spark_comparable_lists(a, b)": r"""CASE
        WHEN NOT spark_tightest_common(spark_element_type(a), spark_element_type(b))
          THEN error('[DATATYPE_MISMATCH.BINARY_OP_DIFF_TYPES] a comparison of a ' || typeof(a) || ' and a '
            || typeof(b) || ' (Databricks rejects this statement too)')
        ELSE b END""",
    # b, or a refusal where an array IN a list of arrays meets one whose elements have no tightest common
    # type: Databricks casts both to a wider type there (array('1') IN (array(1)) is true), which may fail.
    "spark_in_comparable_lists(a, b)": r"""CASE
        WHEN NOT spark_tightest_common(spark_element_type(a), spark_element_type(b))
          THEN error('[UNSUPPORTED] a ' || typeof(b) || ' IN a list with a ' || typeof(a) || ' is not supported '
            || 'on the local target; CAST the arrays to one type')
        ELSE b END""",
    # true, or the error Databricks reports for f(a, b) of two arrays whose elements have no tightest
    # common type (array_union(array(1.5), array(1)), or of DECIMAL(2,1) and DECIMAL(3,2) elements).
    "spark_same_array_class(a, b, f)": r"""CASE
        WHEN NOT spark_tightest_common(spark_element_type(a), spark_element_type(b))
          THEN error('[DATATYPE_MISMATCH.BINARY_ARRAY_DIFF_TYPES] ' || f || ' of a ' || typeof(a) || ' and a '
            || typeof(b) || ' (Databricks rejects this statement too)')
        ELSE true END""",
    # true, or that error when the element and the value have no common type.
    "spark_tightest_element(a, x, f)": r"""CASE
        WHEN NOT spark_tightest_common(spark_element_type(a), typeof(x))
          THEN spark_element_type_error(a, x, f)
        ELSE true END""",
    "spark_array_append(a, x)": """CASE WHEN NOT spark_tightest_element(a, x, 'array_append') THEN NULL
        WHEN a IS NULL THEN NULL ELSE list_append(a, x) END""",
    "spark_array_prepend(a, x)": """CASE WHEN NOT spark_tightest_element(a, x, 'array_prepend') THEN NULL
        WHEN a IS NULL THEN NULL ELSE list_prepend(x, a) END""",
    "spark_array_contains(a, x)": """CASE WHEN NOT spark_same_element_class(a, x, 'array_contains') THEN NULL
        WHEN a IS NULL THEN NULL WHEN x IS NULL THEN NULL WHEN list_contains(a, x) THEN true
        WHEN list_contains(list_transform(a, e -> e IS NULL), true) THEN NULL ELSE false END""",
    "spark_array_position(a, x)": """CASE WHEN NOT spark_tightest_element(a, x, 'array_position') THEN NULL
        WHEN a IS NULL THEN NULL WHEN x IS NULL THEN NULL ELSE coalesce(list_position(a, x), 0) END""",
    "spark_sequence(a, b, s)": """CASE WHEN a IS NULL THEN NULL WHEN b IS NULL THEN NULL WHEN s IS NULL THEN NULL
        WHEN NOT ((s > 0 AND a <= b) OR (s < 0 AND a >= b) OR (s = 0 AND a = b))
          THEN error('[ILLEGAL_SEQUENCE_BOUNDARIES] Illegal sequence boundaries: ' || a || ' to ' || b || ' by ' || s)
        WHEN s = 0 THEN [a]
        WHEN abs((CAST(b AS DOUBLE) - CAST(a AS DOUBLE)) / CAST(s AS DOUBLE)) >= 10000000 THEN error('[UNSUPPORTED] '
          || 'a sequence of more than 10000000 elements is not supported on the local target (it would be held in '
          || 'memory whole); run it on Databricks')
        ELSE generate_series(a, b, s) END""",
    # sequence of dates by a number of days, or of months (each element the start plus i steps, so the
    # 31st of a month steps to the last day of a shorter one and back to the 31st).
    "spark_date_sequence(a, b, s, months)": """CASE WHEN a IS NULL THEN NULL WHEN b IS NULL THEN NULL
        WHEN NOT ((s > 0 AND a <= b) OR (s < 0 AND a >= b))
          THEN error('[ILLEGAL_SEQUENCE_BOUNDARIES] Illegal sequence boundaries: ' || a || ' to ' || b || ' by ' || s
            || CASE WHEN months THEN ' months' ELSE ' days' END)
        WHEN months THEN list_filter(
          list_transform(
            generate_series(0, ((year(b) - year(a)) * 12 + month(b) - month(a)) // s),
            i -> CAST(a + to_months(CAST(i * s AS INTEGER)) AS DATE)),
          d -> CASE WHEN s > 0 THEN d <= b ELSE d >= b END)
        ELSE list_transform(generate_series(0, (b - a) // s), i -> a + CAST(i * s AS INTEGER)) END""",
    # exists / forall over the results of a lambda, three-valued as Databricks has them.
    "spark_any_true(r)": """CASE WHEN r IS NULL THEN NULL WHEN list_contains(r, true) THEN true
        WHEN list_contains(list_transform(r, e -> e IS NULL), true) THEN NULL ELSE false END""",
    "spark_all_true(r)": """CASE WHEN r IS NULL THEN NULL WHEN list_contains(r, false) THEN false
        WHEN list_contains(list_transform(r, e -> e IS NULL), true) THEN NULL ELSE true END""",
    # flatten: NULL when any inner array is NULL.
    "spark_flatten(a)": """CASE WHEN a IS NULL THEN NULL
        WHEN list_contains(list_transform(a, x -> x IS NULL), true) THEN NULL ELSE flatten(a) END""",
    # The elements take the common type of element and value (an INT array less a DOUBLE is DOUBLEs).
    "spark_array_remove(a, x)": """CASE WHEN NOT spark_tightest_element(a, x, 'array_remove') THEN NULL
        WHEN x IS NULL THEN NULL
        ELSE list_filter(list_transform(a, e -> CASE WHEN false THEN x ELSE e END), e -> e IS NULL OR e <> x) END""",
    # Distinct elements of a (in a's order) not in / also in b; NULL counts as a value.
    "spark_array_except(a, b)": """CASE WHEN NOT spark_same_array_class(a, b, 'array_except') THEN NULL
        WHEN a IS NULL THEN NULL WHEN b IS NULL THEN NULL
        ELSE spark_array_distinct(list_filter(a,
        e -> CASE WHEN e IS NULL THEN NOT list_contains(list_transform(b, y -> y IS NULL), true)
             ELSE NOT list_contains(b, e) END)) END""",
    "spark_array_union(a, b)": """CASE WHEN NOT spark_same_array_class(a, b, 'array_union') THEN NULL
        WHEN a IS NULL THEN NULL WHEN b IS NULL THEN NULL
        ELSE spark_array_distinct(list_concat(a, b)) END""",
    "spark_array_intersect(a, b)": """CASE WHEN NOT spark_same_array_class(a, b, 'array_intersect') THEN NULL
        WHEN a IS NULL THEN NULL WHEN b IS NULL THEN NULL
        ELSE spark_array_distinct(list_filter(a,
        e -> CASE WHEN e IS NULL THEN list_contains(list_transform(b, y -> y IS NULL), true)
             ELSE list_contains(b, e) END)) END""",
    # array_join skips NULL elements (or writes the replacement) and writes the others as CAST does.
    "spark_array_join(a, sep)": """CASE WHEN a IS NULL THEN NULL WHEN sep IS NULL THEN NULL
        ELSE spark_join_texts(list_transform(list_filter(a, x -> x IS NOT NULL), x -> spark_to_string(x)), sep) END""",
    "spark_array_join_replacing(a, sep, r)": """CASE
        WHEN a IS NULL THEN NULL WHEN sep IS NULL THEN NULL WHEN r IS NULL THEN NULL
        ELSE spark_join_texts(list_transform(a, x -> coalesce(spark_to_string(x), r)), sep) END""",
    # true if the arrays share a non-NULL element; else NULL if both have elements and either a NULL; else false.
    "spark_arrays_overlap(a, b)": """CASE WHEN NOT spark_same_array_class(a, b, 'arrays_overlap') THEN NULL
        WHEN a IS NULL OR b IS NULL THEN NULL WHEN list_has_any(a, b) THEN true
        WHEN len(a) > 0 AND len(b) > 0 AND (list_contains(list_transform(a, e -> e IS NULL), true)
          OR list_contains(list_transform(b, e -> e IS NULL), true)) THEN NULL
        ELSE false END""",
    # array_insert(a, p, x): x at position p from the start (p > 0) or after position -p from the end
    # (p < 0, -1 appending), NULLs filling the gap past either end.
    "spark_array_insert(a, p, x)": f"""CASE WHEN NOT spark_tightest_element(a, x, 'array_insert') THEN NULL
        WHEN a IS NULL OR p IS NULL THEN NULL
        WHEN p = 0 THEN error('[INVALID_INDEX_OF_ZERO] The index 0 is invalid. An index shall be either < 0 or > 0 '
          || '(the first element has index 1).')
        WHEN abs(CAST(p AS BIGINT)) > len(a) + {_LONGEST_GAP} THEN error('[UNSUPPORTED] array_insert leaving more '
          || 'than {_LONGEST_GAP} NULLs is not supported on the local target; run it on Databricks')
        WHEN p > 0 AND p <= len(a) + 1 THEN list_concat(list_slice(a, 1, p - 1), [x], list_slice(a, p, len(a)))
        WHEN p > 0 THEN list_concat(a, list_transform(range(p - len(a) - 1), i -> NULL), [x])
        WHEN -p <= len(a) + 1
          THEN list_concat(list_slice(a, 1, len(a) + p + 1), [x], list_slice(a, len(a) + p + 2, len(a)))
        ELSE list_concat([x], list_transform(range(-p - len(a) - 1), i -> NULL), a) END""",
    # The fields of an array's struct type as typeof writes them, nested types taken out (four levels deep).
    "spark_struct_fields(t)": r"""regexp_replace(regexp_replace(regexp_replace(regexp_replace(
        regexp_extract(t, '^STRUCT\((.*)\)\[\]$', 1),
        '\([^()]*\)', '', 'g'), '\([^()]*\)', '', 'g'), '\([^()]*\)', '', 'g'), '\([^()]*\)', '', 'g')""",
    # map_from_entries takes an array of two-field structs (Databricks rejects any other array); NULL if
    # any entry is; a NULL or repeated key fails.
    "spark_map_from_entries(a)": """CASE
        WHEN spark_struct_fields(typeof(a)) = '' OR spark_struct_fields(typeof(a)) LIKE '%(%'
          OR length(spark_struct_fields(typeof(a))) - length(replace(spark_struct_fields(typeof(a)), ',', '')) <> 1
          THEN error('[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] map_from_entries of a ' || typeof(a)
            || ', not an array of two-field structs (Databricks rejects this statement too)')
        WHEN a IS NULL THEN NULL
        WHEN list_contains(list_transform(a, e -> e IS NULL), true) THEN NULL
        WHEN list_contains(list_transform(a, e -> struct_extract_at(e, 1) IS NULL), true)
          THEN error('[NULL_MAP_KEY] Cannot use null as map key.')
        WHEN len(list_distinct(list_transform(a, e -> struct_extract_at(e, 1)))) < len(a)
          THEN error('[DUPLICATED_MAP_KEY] Duplicate map key was found, please check the input data.')
        ELSE map_from_entries(list_transform(a,
          e -> {'key': struct_extract_at(e, 1), 'value': struct_extract_at(e, 2)})) END""",
    "spark_array_repeat(x, n)": """CASE WHEN n IS NULL THEN NULL WHEN n <= 0 THEN list_transform([], i -> x)
        ELSE list_transform(range(CAST(n AS BIGINT)), i -> x) END""",
}


def array_contains(node: exp.ArrayContains, ctx: Context) -> exp.Expression:
    # A NULL-typed value is refused before the rewrite (typecheck.reject_null_typed_arguments).
    return call("spark_array_contains", node.this, node.expression)


def array_position(node: exp.ArrayPosition, ctx: Context) -> exp.Expression:
    return call("spark_array_position", node.this, node.expression)


def sequence(node: exp.GenerateSeries, ctx: Context) -> exp.Expression:
    from dialect.types import is_integral

    start, end, step = node.args.get("start"), node.args.get("end"), node.args.get("step")
    if start is None or end is None:
        raise RejectedByDatabricks("WRONG_NUM_ARGS.WITHOUT_SUGGESTION", "sequence without a start and a stop")
    if spark_type(start, ctx) == "DATE" and spark_type(end, ctx) == "DATE":
        return _date_sequence(start, end, step)
    for value in (start, end, step):
        if value is not None and not is_integral(spark_type(value, ctx)):
            raise NotSupportedLocally("sequence of values that are not integers")
    if step is None:
        step = duck("CASE WHEN {a} <= {b} THEN 1 ELSE -1 END", a=start, b=end)
    return typed(call("spark_sequence", start, end, step), "LIST")


_STEP_UNITS = {"DAY": (1, False), "WEEK": (7, False), "MONTH": (1, True), "YEAR": (12, True)}


def _date_sequence(start: exp.Expression, end: exp.Expression, step: exp.Expression | None) -> exp.Expression:
    """sequence of DATEs: by a day either way, or by a literal INTERVAL of whole days, weeks, months or years."""
    if step is None:
        count, months = duck("CASE WHEN {a} <= {b} THEN 1 ELSE -1 END", a=start, b=end), False
    else:
        unit = step.text("unit").upper().rstrip("S") if isinstance(step, exp.Interval) else ""
        amount = step.this.name if isinstance(step, exp.Interval) and isinstance(step.this, exp.Literal) else ""
        if unit not in _STEP_UNITS or not amount.lstrip("-").isdigit() or int(amount) == 0:
            raise NotSupportedLocally(
                f"sequence of dates by {step.sql(dialect='databricks')}",
                "step by a literal INTERVAL of whole days, weeks, months or years",
            )
        factor, months = _STEP_UNITS[unit]
        count = exp.Literal.number(int(amount) * factor)
    return typed(call("spark_date_sequence", start, end, count, exp.Boolean(this=months)), "LIST")


def _zero_based(function: exp.Lambda) -> exp.Lambda:
    """A `(x, i) -> ...` lambda reads i from 0 in Databricks, from 1 in DuckDB, as an INT there (a BIGINT
    in DuckDB, which would not overflow where Databricks does)."""
    params = function.expressions
    if len(params) < 2:
        return function
    index = params[1].name

    def shift(n: exp.Expression) -> exp.Expression:
        bare = not n.table if isinstance(n, exp.Column) else isinstance(n, exp.Identifier)
        if bare and n.name == index and not isinstance(n.parent, exp.Lambda):
            zero_based = exp.Sub(this=exp.Identifier(this=index), expression=exp.Literal.number(1))
            return typed(cast_to(zero_based, "INTEGER"), "INTEGER")
        return n

    body = function.this.transform(shift)
    return exp.Lambda(this=body, expressions=params)


def transform(node: exp.Transform, ctx: Context) -> exp.Expression:
    function = node.expression
    if isinstance(function, exp.Lambda):
        node.set("expression", _zero_based(function))
    return node


def array_filter(node: exp.ArrayFilter, ctx: Context) -> exp.Expression:
    function = node.expression
    if isinstance(function, exp.Lambda):
        node.set("expression", _zero_based(function))
    return node


def exists(node: exp.Exists, ctx: Context) -> exp.Expression:
    """exists(array, x -> ...) is a function of an array; EXISTS (subquery) keeps its meaning."""
    function = node.args.get("expression")
    if function is None:
        return node
    if not isinstance(function, exp.Lambda):
        raise NotSupportedLocally("exists(array, function) without a lambda")
    return typed(call("spark_any_true", call("list_transform", node.this, _zero_based(function))), "BOOLEAN")


def forall(node: exp.Anonymous, ctx: Context) -> exp.Expression:
    array, function = node.expressions
    if not isinstance(function, exp.Lambda):
        raise NotSupportedLocally("forall(array, function) without a lambda")
    return typed(call("spark_all_true", call("list_transform", array, _zero_based(function))), "BOOLEAN")


def array_remove(node: exp.ArrayRemove, ctx: Context) -> exp.Expression:
    return call("spark_array_remove", node.this, node.expression)


def array_append(node: exp.ArrayAppend, ctx: Context) -> exp.Expression:
    return typed(call("spark_array_append", node.this, node.expression), "LIST")


def array_prepend(node: exp.ArrayPrepend, ctx: Context) -> exp.Expression:
    return typed(call("spark_array_prepend", node.this, node.expression), "LIST")


def array_repeat(node: exp.Anonymous, ctx: Context) -> exp.Expression:
    """array_repeat(x, n): Databricks takes an INT count only (not a TINYINT, BIGINT or STRING)."""
    value, count = arguments(node, 2)
    kind = spark_type(count, ctx)
    if kind is None and not isinstance(count, exp.Null):
        raise NotSupportedLocally("array_repeat with a count whose type the local target cannot tell", "CAST it to INT")
    if kind not in (None, "INTEGER"):
        raise RejectedByDatabricks(
            "DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE", f"array_repeat with a {spark_name(kind)} count"
        )
    return call("spark_array_repeat", value, count)


def array_except(node: exp.ArrayExcept, ctx: Context) -> exp.Expression:
    return typed(call("spark_array_except", node.this, node.expression), "LIST")


def array_union(node: exp.Anonymous, ctx: Context) -> exp.Expression:
    # list_concat reads a NULL array as an empty one; Databricks' union with a NULL array is NULL.
    return typed(call("spark_array_union", *arguments(node, 2)), "LIST")


def array_intersect(node: exp.ArrayIntersect, ctx: Context) -> exp.Expression:
    if len(node.expressions) != 2:
        raise NotSupportedLocally("array_intersect of more than two arrays")
    return typed(call("spark_array_intersect", *node.expressions), "LIST")


def flatten(node: exp.Flatten, ctx: Context) -> exp.Expression:
    if isinstance(node.this, exp.Array) and not node.this.expressions:
        raise RejectedByDatabricks(
            "DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE", "flatten(array()): not an array of arrays"
        )
    return typed(call("spark_flatten", node.this), "LIST")


def array_join(node: exp.ArrayToString, ctx: Context) -> exp.Expression:
    replacement = node.args.get("null")
    if replacement is None:
        return typed(call("spark_array_join", node.this, node.expression), "VARCHAR")
    return typed(call("spark_array_join_replacing", node.this, node.expression, replacement), "VARCHAR")


def array_sort(node: exp.ArraySort, ctx: Context) -> exp.Expression:
    """sort_array puts NULLs first ascending and last descending; array_sort puts them last."""
    if node.args.get("expression") is not None:
        return _sorted_by_comparator(node.this, node.args["expression"])
    asc = node.args.get("asc")
    if asc is not None and not isinstance(asc, exp.Boolean):
        raise NotSupportedLocally("sort_array with an order that is not TRUE or FALSE")
    descending = isinstance(asc, exp.Boolean) and not asc.this
    nulls_first = node.args.get("nulls_first")
    nulls = "NULLS FIRST" if isinstance(nulls_first, exp.Boolean) and nulls_first.this else "NULLS LAST"
    order = "DESC" if descending else "ASC"
    if nested_order.elements_nested(node.this, ctx):
        return nested_order.sort_by_key(node.this, ctx, order, nulls)
    return call("list_sort", node.this, exp.Literal.string(order), exp.Literal.string(nulls))


def array_min_or_max(node: exp.ArrayMin | exp.ArrayMax, ctx: Context) -> exp.Expression:
    """array_min and array_max of arrays or structs, in Databricks' order; NULL elements skipped."""
    if not nested_order.elements_nested(node.this, ctx):
        return node
    order = "ASC" if isinstance(node, exp.ArrayMin) else "DESC"
    sorted_ = nested_order.sort_by_key(node.this, ctx, order, "NULLS LAST")
    return call("list_extract", sorted_, exp.Literal.number(1))


_SORT = "__sort"


def _sorted_by_comparator(array: exp.Expression, function: exp.Expression) -> exp.Expression:
    """array_sort(a, (x, y) -> ...): a stable sort by the comparator (Java's, as Databricks sorts): each
    element goes after those the comparator puts before it and the equal ones before it in the array. The
    comparator must answer an INT, never NULL; one that is not an order (`(x, y) -> 1`) is refused as it
    runs, since Databricks' answer then depends on how its sort visits the pairs."""
    if not isinstance(function, exp.Lambda) or len(function.expressions) != 2:
        raise NotSupportedLocally("array_sort with a comparator that is not a lambda of two parameters")
    if volatile(array):
        raise NotSupportedLocally("array_sort of an array that changes at each evaluation")
    level = _next_level(function, _SORT)
    i, j, r = (f"{_SORT}_{role}_{level}" for role in ("i", "j", "r"))
    first, second = (param.name for param in function.expressions)
    elements = {first: duck(f"{{a}}[{j} + 1]", a=array), second: duck(f"{{a}}[{i} + 1]", a=array)}
    compared = _substitute(function.this, elements)
    before = duck(
        f"""CASE WHEN typeof({{c}}) <> 'INTEGER' THEN error('[DATATYPE_MISMATCH.UNEXPECTED_RETURN_TYPE] array_sort '
        || 'with a comparator of type ' || typeof({{c}}) || ', not INT (Databricks rejects this statement too)')
        WHEN {{c}} IS NULL THEN error('[COMPARATOR_RETURNS_NULL] The comparator has returned a NULL.')
        ELSE {{c}} < 0 OR ({{c}} = 0 AND {j} < {i}) END""",
        c=compared,
    )  # fmt: skip
    ranks = duck(f"list_transform(range(len({{a}})), {i} -> len(list_filter(range(len({{a}})), {j} -> {{b}})))",
                 a=array, b=before)  # fmt: skip
    return typed(duck(
        f"""CASE WHEN {{a}} IS NULL THEN NULL
        WHEN list_sort({{ranks}}) <> range(len({{a}})) THEN error('[UNSUPPORTED] array_sort with a comparator that is '
          || 'not an order (it does not rank the elements one way) is not supported on the local target; '
          || 'run it on Databricks')
        ELSE list_transform(range(len({{a}})), {r} -> {{a}}[list_position({{ranks}}, {r})]) END""",
        a=array, ranks=ranks,
    ), "LIST")  # fmt: skip


_GENERATORS = (exp.Explode, exp.Posexplode, exp.Inline, exp.Stack)


def lateral_view(node: exp.Lateral, ctx: Context) -> exp.Expression:
    """LATERAL VIEW OUTER keeps a row whose array is empty or NULL, with NULLs: a LEFT JOIN."""
    generator = node.this
    of_map = isinstance(generator, exp.Explode) and spark_type(generator.this, ctx) == "MAP"
    # LATERAL VIEW explode_outer(a) keeps the empty and NULL arrays as LATERAL VIEW OUTER explode(a) does.
    outer = bool(node.args.get("outer")) or isinstance(generator, exp.ExplodeOuter)
    if node.args.get("view") and (isinstance(generator, exp.Posexplode) or of_map):
        return _entries_view(generator, node.args.get("alias"), outer=outer, of_map=of_map)
    if isinstance(generator, exp.Stack) or is_json_tuple(generator):
        return _fixed_rows_view(node, generator, ctx)
    if isinstance(generator, exp.Inline):
        _check_inline_argument(generator, ctx)
        return _inline_view(node, generator, outer=outer or bool(generator.meta.get("outer")))
    if not node.args.get("view") and isinstance(generator, _GENERATORS):
        if of_map:
            raise NotSupportedLocally("LATERAL explode of a MAP in FROM", "use LATERAL VIEW")
        return _lateral_generator(node, generator)
    if not node.args.get("view") or not outer:
        return node
    if not isinstance(generator, exp.Explode) or isinstance(generator, exp.Posexplode):
        raise NotSupportedLocally(f"LATERAL VIEW OUTER {type(generator).__name__.lower()}(...)")
    if spark_type(generator.this, ctx) != "LIST":
        raise NotSupportedLocally("LATERAL VIEW OUTER explode of a value that is not known to be an array")
    unnest = exp.Unnest(expressions=[generator.this], alias=node.args.get("alias"))
    return exp.Join(this=unnest, side="LEFT", on=exp.true())


def _lateral_generator(node: exp.Lateral, generator: exp.Expression) -> exp.Expression:
    """`FROM t, LATERAL explode(a) AS x(v)` (or a JOIN to it): the elements as a joined UNNEST, its column
    named `col` as Databricks names it unless the alias names it."""
    if type(generator) is not exp.Explode or not isinstance(node.parent, exp.Join):
        raise NotSupportedLocally(f"LATERAL {type(generator).__name__.lower()}(...) in FROM", "use LATERAL VIEW")
    alias = node.args.get("alias")
    table = alias.this if isinstance(alias, exp.TableAlias) and alias.this else exp.to_identifier("col")
    columns = alias.columns if isinstance(alias, exp.TableAlias) and alias.columns else [exp.to_identifier("col")]
    return exp.Unnest(expressions=[generator.this], alias=exp.TableAlias(this=table.copy(), columns=columns))


def _entries_view(generator: exp.Explode, alias: exp.Expression | None, outer: bool, of_map: bool) -> exp.Expression:
    """LATERAL VIEW [OUTER] posexplode(a) v [AS pos, col], or explode / posexplode of a map
    (v [AS [pos,] key, value]): a join to the entries, under the view's name, so that v.pos or v.key can
    be read. Positions count from 0, an INT; OUTER keeps a row of NULLs for an empty or NULL value."""
    numbered = isinstance(generator, exp.Posexplode)
    written = _written_name(generator)
    if not isinstance(alias, exp.TableAlias) or not alias.this:
        raise NotSupportedLocally(f"LATERAL VIEW {written} without a name for the view", "name it")
    names = _column_names(generator, [c.name for c in alias.columns], of_map)
    columns = _entry_columns(of_map, duck("CAST(__ordinal - 1 AS INTEGER)") if numbered else None)
    entries = call("map_entries", generator.this) if of_map else generator.this
    rows = duck("SELECT 1 FROM UNNEST({entries}) WITH ORDINALITY AS __entries(__entry, __ordinal)", entries=entries)
    rows.set("expressions", [exp.alias_(c, name) for c, name in zip(columns, names, strict=True)])
    view = exp.TableAlias(this=alias.this.copy(), columns=[exp.to_identifier(n) for n in names])
    if outer:
        return exp.Join(this=exp.Subquery(this=rows, alias=view), side="LEFT", on=exp.true())
    return exp.Join(this=exp.Subquery(this=rows, alias=view), kind="CROSS")


def _inline_view(node: exp.Lateral, generator: exp.Inline, outer: bool) -> exp.Expression:
    """LATERAL VIEW [OUTER] inline(a) v [AS x, y], or `FROM t, LATERAL inline(a) AS v`: a join to the
    fields of each struct of the array, named by the fields unless names are given."""
    alias = node.args.get("alias")
    name = alias.this if isinstance(alias, exp.TableAlias) and alias.this else None
    if name is None and node.args.get("view"):
        raise NotSupportedLocally("LATERAL VIEW inline without a name for the view", "name it")
    given = [c.name for c in alias.columns] if isinstance(alias, exp.TableAlias) else []
    rows = duck("SELECT 1 FROM UNNEST({a}) AS __entries(__entry)", a=generator.this)
    rows.set("expressions", _inline_fields(given) if given else [duck("__entry.*")])
    columns = [exp.to_identifier(n) for n in given]
    view = exp.TableAlias(this=(name or exp.to_identifier("inline")).copy(), columns=columns)
    if not node.args.get("view"):
        return exp.Subquery(this=rows, alias=view)  # joined as the FROM clause joins it
    if outer:
        return exp.Join(this=exp.Subquery(this=rows, alias=view), side="LEFT", on=exp.true())
    return exp.Join(this=exp.Subquery(this=rows, alias=view), kind="CROSS")


# Rows of NULLs stack pads with, each written out in the translation.
_MOST_STACKED_ROWS = 10_000


def _fixed_rows_view(node: exp.Lateral, generator: exp.Expression, ctx: Context) -> exp.Expression:
    """LATERAL VIEW stack(n, ...) v [AS x, y]: a join to the n rows (columns col0, col1, ... unless named);
    LATERAL VIEW json_tuple(doc, k1, ...) v [AS x, y]: to its one row (c0, c1, ...)."""
    alias = node.args.get("alias")
    written = _written_name(generator)
    # OUTER changes nothing: stack always makes its n rows, json_tuple its one.
    if not node.args.get("view") or not isinstance(alias, exp.TableAlias) or not alias.this:
        raise NotSupportedLocally(f"{written}(...) other than in a SELECT list or a named LATERAL VIEW")
    given = [c.name for c in alias.columns]
    rows = duck("SELECT UNNEST({rows}, max_depth := 2)", rows=_fixed_rows(generator, given, ctx))
    view = exp.TableAlias(this=alias.this.copy(), columns=[exp.to_identifier(n) for n in given])
    return exp.Join(this=exp.Subquery(this=rows, alias=view), kind="CROSS")


def _stack_rows(node: exp.Expression, given: list[str], ctx: Context) -> list[exp.Expression]:
    """stack(n, v1, ..., vk): n rows of ceil(k / n) columns, filled row by row, NULLs after the last value;
    each row a struct of the columns, named col0, col1, ... or by `given`. The values of a column must be
    of one type (NULLs aside), as Databricks requires; where the translator cannot tell, it refuses."""
    count = node.this
    values = list(node.expressions)
    if not values:
        raise RejectedByDatabricks("WRONG_NUM_ARGS.WITHOUT_SUGGESTION", "stack with 1 argument")
    if not (isinstance(count, exp.Literal) and not count.is_string and count.name.isdigit()):
        if isinstance(count, exp.Column):
            raise RejectedByDatabricks("DATATYPE_MISMATCH.NON_FOLDABLE_INPUT", "stack of a row count from a column")
        raise NotSupportedLocally("stack with a number of rows that is not an INT literal", "write the number")
    rows = int(count.name)
    if spark_type(count, ctx) != "INTEGER" or rows == 0:
        raise RejectedByDatabricks("DATATYPE_MISMATCH.VALUE_OUT_OF_RANGE", f"stack of {count.sql()} rows")
    if rows > max(len(values), _MOST_STACKED_ROWS):
        raise NotSupportedLocally(f"stack of {rows:,} rows", "the local target writes each row out; make fewer")
    width = -(-len(values) // rows)
    names = given or [f"col{i}" for i in range(width)]
    if len(names) != width:
        raise RejectedByDatabricks("UDTF_ALIAS_NUMBER_MISMATCH", f"stack of {width} columns with {len(names)} names")
    cells = values + [exp.null()] * (rows * width - len(values))
    for column in range(width):
        written = [v for v in cells[column::width] if not isinstance(v, exp.Null)]
        kinds = {spark_type(v, ctx) for v in written}
        if len(written) > 1 and (None in kinds or "LIST" in kinds or "MAP" in kinds or "STRUCT" in kinds):
            raise NotSupportedLocally("stack of values whose types the local target cannot tell", "CAST them")
        if len(kinds) > 1:
            listed = ", ".join(sorted(str(k) for k in kinds))
            raise RejectedByDatabricks("DATATYPE_MISMATCH.STACK_COLUMN_DIFF_TYPES", f"stack column {column}: {listed}")
        if len(written) > 1 and ctx.mentions_ntz and kinds == {"TIMESTAMP"}:
            raise NotSupportedLocally("stack of TIMESTAMP values beside TIMESTAMP_NTZ ones", "CAST them")
    return [_row(names, cells[row * width : (row + 1) * width]) for row in range(rows)]


def is_json_tuple(node: exp.Expression) -> bool:
    return isinstance(node, exp.Anonymous) and node.name.lower() == "json_tuple"


def _fixed_rows(node: exp.Expression, given: list[str], ctx: Context) -> exp.Expression:
    """The rows of stack(...) or json_tuple(...), generators whose rows the statement writes out: a list of
    structs, one per row."""
    made = _stack_rows(node, given, ctx) if isinstance(node, exp.Stack) else _json_tuple_row(node, given, ctx)
    return exp.Array(expressions=made)


def _json_tuple_row(node: exp.Expression, given: list[str], ctx: Context) -> list[exp.Expression]:
    """json_tuple's one row as a struct, its columns named c0, c1, ... or by `given`."""
    fields = json_tuple_fields(node, ctx)
    names = given or [f"c{i}" for i in range(len(fields))]
    if len(names) != len(fields):
        raise RejectedByDatabricks(
            "UDTF_ALIAS_NUMBER_MISMATCH", f"json_tuple of {len(fields)} keys, {len(names)} names"
        )
    return [_row(names, fields)]


def _check_inline_argument(node: exp.Inline, ctx: Context) -> None:
    """inline takes an array of structs: a value known to be something else is rejected as Databricks rejects
    it. An array of something else fails as DuckDB binds the rewrite (struct_concat, _inline_fields)."""
    kind = spark_type(node.this, ctx)
    if kind is not None and kind != "LIST":
        raise RejectedByDatabricks("DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE", f"{_written_name(node)} of a {kind}")


def _inline_fields(names: list[str]) -> list[exp.Expression]:
    """The fields of the struct `__entry` by position, under `names`. The struct must have as many fields
    as there are names: DuckDB meets it with a struct of that many NULLs when it binds the statement, which
    fails for a struct of any other size (Databricks rejects it, UDTF_ALIAS_NUMBER_MISMATCH)."""
    nulls = ", ".join(["NULL"] * len(names))
    checked = duck(f"CASE WHEN FALSE THEN row({nulls}) ELSE __entry END")
    fields = [call("struct_extract_at", exp.column("__entry"), exp.Literal.number(i + 1)) for i in range(len(names))]
    fields[0] = call("struct_extract_at", checked, exp.Literal.number(1))
    return [exp.Alias(this=field, alias=exp.to_identifier(name)) for field, name in zip(fields, names, strict=True)]


def array_values(node: exp.Array, ctx: Context) -> exp.Expression:
    """array(...) as DuckDB's list; the one UNPIVOT is written as (dialect.pivot) first checks that its
    values meet, with the error Databricks gives where they do not (DuckDB's would name list_value)."""
    if node.meta.get("unpivoted"):
        values = [entry.expressions[1].expression for entry in node.expressions]
        kinds = {spark_type(v, ctx) for v in values if not isinstance(v, exp.Null)}
        if len({category(kind) for kind in kinds}) > 1 and None not in kinds:
            listed = ", ".join(sorted(k for k in kinds if k))
            raise RejectedByDatabricks("UNPIVOT_VALUE_DATA_TYPE_MISMATCH", f"UNPIVOT of values of types {listed}")
    return node


def struct_values(node: exp.Struct, ctx: Context) -> exp.Expression:
    """struct(...) and named_struct(...); `struct(*)` and `struct(t.*)` of the query's columns (of t's),
    each field named as its column, where DuckDB would pack nothing."""
    values = node.expressions
    stars = [v for v in values if isinstance(v, exp.Star) or (isinstance(v, exp.Column) and v.is_star)]
    if not stars:
        names = [v.this.name.lower() for v in values if isinstance(v, exp.PropertyEQ)]
        if len(set(names)) < len(names) and not isinstance(node.parent, exp.JSONFormat):
            # Databricks keeps both fields; a DuckDB struct cannot hold two of one name (to_json of a
            # struct written in the statement writes each field itself).
            raise NotSupportedLocally(
                "a struct of two fields of one name", "name the fields apart: struct(a AS a1, a AS a2)"
            )
        return node
    select = node.find_ancestor(exp.Select)
    qualifier = stars[0].table if isinstance(stars[0], exp.Column) else ""
    columns = star_columns(select, qualifier, ctx) if select is not None and len(values) == 1 else None
    if columns is None:
        raise NotSupportedLocally("struct(*) of columns the local target cannot list here",
                                  "name the columns: struct(a, b, ...)")  # fmt: skip
    names = [c.name.lower() for c in columns]
    if len(set(names)) < len(names):
        raise NotSupportedLocally("struct(*) of columns of the same name", "name the columns: struct(a, b, ...)")
    return exp.Struct(expressions=[exp.PropertyEQ(this=exp.to_identifier(c.name), expression=c) for c in columns])


def generator_columns(node: exp.Aliases, ctx: Context) -> exp.Expression:
    """`posexplode(a) AS (pos, v)`: names for a generator's columns, which nothing else takes."""
    if node.this.meta.get("spread"):
        return node.this
    if not _is_generator(node.this):
        raise NotSupportedLocally("AS (...) after a value that is not a generator")
    return node


def generator(node: exp.Expression, ctx: Context) -> exp.Expression:
    """explode and friends: alone in a SELECT item or a LATERAL VIEW, as Databricks allows them."""
    parent = node.parent
    named = isinstance(parent, (exp.Alias, exp.Aliases))  # AS v, or AS (pos, v)
    holder = parent.parent if named and parent is not None else parent
    if isinstance(holder, exp.Lateral):
        return node
    item = parent if named and parent is not None else node
    if not isinstance(holder, exp.Select) or item not in holder.expressions:
        name = _written_name(node)
        raise RejectedByDatabricks("UNSUPPORTED_GENERATOR", f"{name}(...) inside an expression or outside SELECT")
    if sum(1 for e in holder.expressions if _is_generator(e.unalias())) > 1:
        # Databricks returns every combination of the generated rows; DuckDB pairs them up.
        raise NotSupportedLocally("two generators in one SELECT list", "use one LATERAL VIEW per generator")
    if isinstance(node, (exp.Inline, exp.Stack)) or is_json_tuple(node):
        given = [c.name for c in parent.expressions] if isinstance(parent, exp.Aliases) else []
        if isinstance(parent, exp.Alias):
            given = [parent.alias]
        if not isinstance(node, exp.Inline):
            return _spread_rows(_fixed_rows(node, given, ctx))
        _check_inline_argument(node, ctx)
        return _inline_spread(node.this, given, outer=bool(node.meta.get("outer")))
    of_map = spark_type(node.this, ctx) == "MAP"
    outer = isinstance(node, exp.ExplodeOuter)
    numbered = isinstance(node, exp.Posexplode)
    if not of_map and not outer:
        return node
    if not of_map and not numbered:
        return exp.Explode(this=_one_null_if_empty(node.this))
    given = [c.name for c in parent.expressions] if isinstance(parent, exp.Aliases) else []
    if isinstance(parent, exp.Alias):
        given = [parent.alias]
    names = _column_names(node, given, of_map)
    return _spread(node.this, names, of_map=of_map, numbered=numbered, outer=outer)


def _is_generator(node: exp.Expression) -> bool:
    return isinstance(node, _GENERATORS) or is_json_tuple(node)


def _written_name(node: exp.Expression) -> str:
    if node.meta.get("outer") and isinstance(node, exp.Inline):
        return "inline_outer"
    if isinstance(node, exp.Anonymous):
        return node.name.lower()
    written: dict[type, str] = {exp._ExplodeOuter: "explode_outer", exp.PosexplodeOuter: "posexplode_outer"}
    return written.get(type(node), type(node).__name__.lower())


def _column_names(generator: exp.Expression, given: list[str], of_map: bool) -> list[str]:
    """The names of a generator's columns: those given, else Databricks' (pos, col / key, value); a number
    of names other than the columns' is rejected as Databricks rejects it."""
    defaults = ["pos"] * isinstance(generator, exp.Posexplode) + (["key", "value"] if of_map else ["col"])
    if given and len(given) != len(defaults):
        written = _written_name(generator)
        raise RejectedByDatabricks("UDTF_ALIAS_NUMBER_MISMATCH", f"{written} with {len(given)} column names")
    return given or defaults


def _entry_columns(of_map: bool, position: exp.Expression | None) -> list[exp.Expression]:
    """The columns a generator makes of `__entry`: the element, or a map entry's key and value; the
    position first where there is one."""
    columns: list[exp.Expression] = [exp.column("__entry")]
    if of_map:
        columns = [_field("__entry", "key"), _field("__entry", "value")]
    return [position, *columns] if position is not None else columns


def _one_null_if_empty(array: exp.Expression) -> exp.Expression:
    """The array, or one NULL in place of an empty or NULL array: what explode_outer unnests."""
    return _unless_empty(array, array, exp.null())


def _unless_empty(entries: exp.Expression, rows: exp.Expression, empty: exp.Expression) -> exp.Expression:
    """`rows` made of `entries`, or the one row `empty` where there are none (an empty or NULL array or
    map): what the _outer generators unnest. `entries` is read twice, so it must not change in between."""
    if volatile(entries):
        raise NotSupportedLocally("an _outer generator of a value that changes at each evaluation")
    return duck("CASE WHEN len({e}) > 0 THEN {rows} ELSE [{empty}] END", e=entries, rows=rows, empty=empty)


def _spread(value: exp.Expression, names: list[str], *, of_map: bool, numbered: bool, outer: bool) -> exp.Expression:
    """A generator in a SELECT list whose rows have several columns: posexplode's position (from 0, an
    INT), a map's key and value. Each entry becomes a struct of the columns, which UNNEST spreads into
    columns one level deep (a struct inside stays one). The _outer forms give an empty or NULL array or
    map one row of NULLs, the position too (GENERATE_SUBSCRIPTS would number that row 0)."""
    entries = call("map_entries", value) if of_map else value
    parts = _entry_columns(of_map, duck("CAST(__index - 1 AS INTEGER)") if numbered else None)

    each = exp.Lambda(this=_row(names, parts), expressions=[exp.to_identifier("__entry"), exp.to_identifier("__index")])
    rows = call("list_transform", entries, each)
    if outer:
        empty: list[exp.Expression] = [duck("CAST(NULL AS INTEGER)")] * numbered
        empty += [exp.null()] * (len(names) - numbered)
        rows = _unless_empty(entries, rows, _row(names, empty))
    return _spread_rows(rows)


def _inline_spread(value: exp.Expression, names: list[str], *, outer: bool) -> exp.Expression:
    """inline(a) in a SELECT list: a row per struct of the array, a column per field, named by the fields
    or by AS (x, y); a NULL struct gives a row of NULLs. inline_outer gives an empty or NULL array one
    row of NULLs. An element that is not a struct fails as DuckDB binds struct_concat."""
    struct = (
        _row(names, [f.this for f in _inline_fields(names)]) if names else call("struct_concat", exp.column("__entry"))
    )
    rows = call("list_transform", value, exp.Lambda(this=struct, expressions=[exp.to_identifier("__entry")]))
    if outer:
        rows = _unless_empty(value, rows, exp.null())
    return _spread_rows(rows)


def ordered_around_spread(node: exp.Select, ctx: Context) -> exp.Expression:
    """A SELECT whose list has a generator of several columns (a spread) and an ORDER BY: DuckDB cannot
    order by the columns UNNEST spreads, so the query is ordered around it (`SELECT * FROM (...) ORDER BY
    ... LIMIT ...`). Only where the ORDER BY names no column by its table: Databricks reads an unqualified
    name from the SELECT list first, as the outer query does; a qualified one is left to DuckDB."""
    order = node.args.get("order")
    if order is None or not any(item.meta.get("spread") for item in node.expressions):
        return node
    if any(column.table for column in order.find_all(exp.Column)):
        return node
    moved = {key: node.args.get(key) for key in ("order", "limit", "offset")}
    for key in moved:
        node.set(key, None)
    around = exp.select(exp.Star()).from_(
        exp.Subquery(this=node, alias=exp.TableAlias(this=exp.to_identifier("__generated")))
    )
    for key, value in moved.items():
        if value is not None:
            around.set(key, value)
    return around


def _row(names: list[str], values: list[exp.Expression]) -> exp.Expression:
    """One row of a generator with several columns: a struct of the values under the column names."""
    return exp.Struct(
        expressions=[
            exp.PropertyEQ(this=exp.to_identifier(name, quoted=True), expression=value)
            for name, value in zip(names, values, strict=True)
        ]
    )


def _spread_rows(rows: exp.Expression) -> exp.Expression:
    """A list of rows (structs) as a generator in a SELECT list: UNNEST spreads each struct into its columns,
    one level deep (a struct inside stays one)."""
    spread = duck("UNNEST({rows}, max_depth := 2)", rows=rows)
    spread.meta["spread"] = True  # its columns are named already: AS (x, y) goes (generator_columns)
    return spread


# The rewrite of aggregate names its own lambdas' parameters with this prefix and a number, one more than
# any aggregate inside it uses, so that a merge reading an outer aggregate's element is not captured.
_NAME = "__aggregate"


def _substitute(body: exp.Expression, names: dict[str, exp.Expression]) -> exp.Expression:
    """`body` with each lambda parameter in `names` replaced by its expression."""
    for inner in body.find_all(exp.Lambda):
        if any(param.name in names for param in inner.expressions):
            raise NotSupportedLocally("aggregate whose merge holds a lambda reusing its parameter names")

    def replace(n: exp.Expression) -> exp.Expression:
        # sqlglot reads a lambda's parameters as identifiers; a field name (x.p) or a struct key is one too.
        is_name = isinstance(n, exp.Identifier) and not (
            isinstance(n.parent, (exp.Lambda, exp.Column))
            or (isinstance(n.parent, exp.Dot) and n.arg_key == "expression")
            or (isinstance(n.parent, exp.PropertyEQ) and n.arg_key == "this")
        )
        if (is_name or isinstance(n, exp.Column) and not n.table) and n.name in names:
            return exp.Paren(this=names[n.name].copy())
        return n

    return body.transform(replace)


def _next_level(node: exp.Expression, prefix: str) -> int:
    """One more than the nesting level of any lambda name `<prefix>_..._<level>` inside `node`, so that a
    rewrite's own lambda never captures an inner one's parameter."""
    inner = [int(n.name.rsplit("_", 1)[1]) for n in node.find_all(exp.Identifier) if n.name.startswith(prefix + "_")]
    return max(inner, default=0) + 1


def _own_names(node: exp.Expression) -> tuple[str, str, str, str]:
    """Names for the lambdas of this aggregate: accumulator, next element, paired element, result."""
    level = _next_level(node, _NAME)
    return tuple(f"{_NAME}_{role}_{level}" for role in ("acc", "next", "x", "result"))  # type: ignore[return-value]


def _field(struct: str, name: str) -> exp.Expression:
    return exp.Dot(this=exp.column(struct), expression=exp.to_identifier(name))


def aggregate(node: exp.Reduce, ctx: Context) -> exp.Expression:
    """aggregate(array, start, merge[, finish]), with an accumulator of any type.

    DuckDB's list_reduce wants its start of the elements' type; Databricks' accumulator may be of any
    type (a count over strings). So the reduction runs over structs {a: accumulator, x: element}: the
    array with a NULL in front, each element paired with the start."""
    array, start, merge = node.this, node.args["initial"], node.args["merge"]
    finish = node.args.get("finish")
    if not isinstance(merge, exp.Lambda) or len(merge.expressions) != 2:
        raise NotSupportedLocally("aggregate whose merge is not a lambda of two parameters")
    if finish is not None and (not isinstance(finish, exp.Lambda) or len(finish.expressions) != 1):
        raise NotSupportedLocally("aggregate whose finish is not a lambda of one parameter")
    if is_decimal(spark_type(start, ctx)):
        # Databricks rejects a merge whose DECIMAL result is wider than the start; DuckDB widens the start.
        raise NotSupportedLocally("aggregate with a DECIMAL start", "CAST the start to DOUBLE or to the result's type")
    acc, element = (param.name for param in merge.expressions)
    accumulated, following, paired_name, result_name = _own_names(node)
    merged = _substitute(merge.this, {acc: _field(accumulated, "a"), element: _field(following, "x")})
    pair = exp.Lambda(
        this=duck("{{'a': {s}, 'x': {x}}}", s=start, x=exp.column(paired_name)),
        expressions=[exp.to_identifier(paired_name)],
    )
    paired = call("list_transform", call("list_prepend", exp.Null(), array), pair)
    reducer = exp.Lambda(
        this=duck("{{'a': {m}, 'x': {x}}}", m=merged, x=_field(following, "x")),
        expressions=[exp.to_identifier(accumulated), exp.to_identifier(following)],
    )
    reduced = duck("CASE WHEN {l} IS NULL THEN NULL ELSE list_reduce({p}, {f}).a END", l=array, p=paired, f=reducer)
    # Databricks rejects a merge whose type is not the start's (an INT start over BIGINTs), whatever the
    # array holds; DuckDB would cast each merge to the start's type. The merge's type, as DuckDB types it
    # when planning (typeof does not evaluate its argument), must be the start's, or the call is refused.
    merge_type = call("typeof", _substitute(merge.this, {acc: start, element: duck("{l}[1]", l=array)}))
    checked = duck("CASE WHEN {m} <> typeof({s}) THEN error('[UNSUPPORTED] aggregate whose merge gives a ' || {m} "
                   "|| ' from a ' || typeof({s}) || ' start is not supported on the local target; CAST the start "
                   "to the type of the merge') ELSE {r} END", m=merge_type, r=reduced, s=start)  # fmt: skip
    if finish is None:
        return checked
    finished = _substitute(finish.this, {finish.expressions[0].name: exp.column(result_name)})
    applied = exp.Lambda(this=finished, expressions=[exp.to_identifier(result_name)])
    return duck("list_transform([{c}], {f})[1]", c=checked, f=applied)


_ENTRY = "__map_entry"


def map_lambda(node: exp.Anonymous, ctx: Context) -> exp.Expression:
    """map_filter, transform_values, transform_keys(map, (k, v) -> ...): over the map's entries, each
    lambda parameter read from the entry; the map rebuilt from them (a repeated or NULL key fails)."""
    name = node.name.lower()
    if len(node.expressions) != 2 or not isinstance(node.expressions[1], exp.Lambda):
        raise RejectedByDatabricks("WRONG_NUM_ARGS.WITHOUT_SUGGESTION", f"{name} without a map and a lambda")
    mapping, function = node.expressions
    if spark_type(mapping, ctx) not in ("MAP", None) or isinstance(mapping, exp.Null):
        raise RejectedByDatabricks("DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE", f"{name} of a value that is not a map")
    params = [p.name for p in function.expressions]
    if len(params) != 2:
        raise RejectedByDatabricks(
            "INVALID_LAMBDA_FUNCTION_CALL.NUM_ARGS_MISMATCH", f"{name} with a lambda of {len(params)}"
        )
    entry = f"{_ENTRY}_{_next_level(function, _ENTRY)}"
    body = _substitute(function.this, {params[0]: _field(entry, "key"), params[1]: _field(entry, "value")})
    lam = exp.Lambda(this=body, expressions=[exp.to_identifier(entry)])
    entries = call("map_entries", mapping)
    if name == "map_filter":
        kept = call("list_filter", entries, lam)
    else:
        key = body if name == "transform_keys" else _field(entry, "key")
        value = body if name == "transform_values" else _field(entry, "value")
        pair = exp.Struct(expressions=[exp.PropertyEQ(this=exp.to_identifier("key"), expression=key),
                                       exp.PropertyEQ(this=exp.to_identifier("value"), expression=value)])  # fmt: skip
        kept = call("list_transform", entries, exp.Lambda(this=pair, expressions=[exp.to_identifier(entry)]))
    return typed(call("map_from_entries", kept), "MAP")


def map_concat(node: exp.Expression, ctx: Context) -> exp.Expression:
    """map_concat(m1, m2, ...): NULL if any map is; a key in two maps fails (DUPLICATED_MAP_KEY), where
    DuckDB would keep the later value."""
    maps = node.expressions
    if any(isinstance(m, exp.Null) or spark_type(m, ctx) not in ("MAP", None) for m in maps):
        raise RejectedByDatabricks("DATATYPE_MISMATCH.MAP_CONCAT_DIFF_TYPES", "map_concat of a value that is not a map")
    if not maps:
        raise NotSupportedLocally("map_concat()")
    if len(maps) == 1:
        return typed(maps[0], "MAP")
    maps = _maps_of_one_type(maps, ctx)
    keys = call("list_concat", *[call("map_keys", m) for m in maps])
    joined = call("map_concat", *maps)
    template = """CASE WHEN len(list_distinct({k})) < len({k}) THEN
        error('[DUPLICATED_MAP_KEY] Duplicate map key was found, please check the input data.') ELSE {m} END"""
    return typed(duck(template, k=keys, m=joined), "MAP")


def _maps_of_one_type(maps: list[exp.Expression], ctx: Context) -> list[exp.Expression]:
    """The maps of map_concat, each cast to their common type where their keys or values are of several
    types (numbers, or a NULL beside a value: Databricks widens them, DuckDB's map_concat takes one type
    only); rejected where they have none."""
    shapes = [shape for shape in (shape_of(m, ctx) for m in maps) if isinstance(shape, tuple) and shape[0] == "MAP"]
    if len(shapes) < len(maps):
        return maps
    found = {d for i, a in enumerate(shapes) for b in shapes[i + 1 :] for d in differences(a, b)}
    if found & {"kind", "name"}:
        raise RejectedByDatabricks("DATATYPE_MISMATCH.MAP_CONCAT_DIFF_TYPES", "map_concat of maps of different types")
    if "string" in found:
        raise NotSupportedLocally(
            "map_concat of maps with a STRING where another has a number", "CAST them to one type"
        )
    if len(set(shapes)) == 1 or not all(isinstance(part, str) for shape in shapes for part in shape[1:]):
        return maps  # one type already, or arrays, maps or structs inside: left to DuckDB
    key, value = (common_type([str(shape[index]) for shape in shapes]) for index in (1, 2))
    if key is None or value is None:
        return maps
    return [cast_to(m, f"MAP({key}, {value})") for m in maps]


def map_from_arrays(node: exp.Expression, ctx: Context) -> exp.Expression:
    """map_from_arrays(keys, values): NULL if either is; arrays of different lengths, a NULL key or a
    repeated key fail, on both engines."""
    keys, values = node.args["keys"], node.args["values"]
    if spark_type(keys, ctx) not in ("LIST", None) or spark_type(values, ctx) not in ("LIST", None):
        raise RejectedByDatabricks(
            "DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE", "map_from_arrays of values that are not arrays"
        )
    template = "CASE WHEN {k} IS NULL OR {v} IS NULL THEN NULL ELSE map({k}, {v}) END"
    return typed(duck(template, k=keys, v=values), "MAP")


def _array_argument(value: exp.Expression, ctx: Context, construct: str, error: str) -> exp.Expression:
    """An argument Databricks wants an ARRAY for: a NULL literal or a value of another known type rejected."""
    if isinstance(value, exp.Null) or spark_type(value, ctx) not in ("LIST", None):
        raise RejectedByDatabricks(error, f"{construct} of a value that is not an array")
    return value


def arrays_overlap(node: exp.Anonymous, ctx: Context) -> exp.Expression:
    a, b = (_array_argument(v, ctx, "arrays_overlap", "DATATYPE_MISMATCH.BINARY_ARRAY_DIFF_TYPES")
            for v in arguments(node, 2))  # fmt: skip
    return typed(call("spark_arrays_overlap", a, b), "BOOLEAN")


def array_insert(node: exp.ArrayInsert, ctx: Context) -> exp.Expression:
    """array_insert(a, pos, x): pos an INT (a TINYINT or SMALLINT widened; a BIGINT, fraction or STRING
    rejected, as Databricks does not cast it); the element and x of a common type."""
    array = _array_argument(node.this, ctx, "array_insert", "DATATYPE_MISMATCH.ARRAY_FUNCTION_DIFF_TYPES")
    position = node.args["position"]
    kind = None if isinstance(position, exp.Null) else spark_type(position, ctx)
    if kind not in ("TINYINT", "SMALLINT", "INTEGER", None) or isinstance(position, exp.Null):
        raise RejectedByDatabricks("DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE", "array_insert's position must be an INT")
    return typed(call("spark_array_insert", array, position, node.expression), "LIST")


def map_from_entries(node: exp.MapFromEntries, ctx: Context) -> exp.Expression:
    """map_from_entries(array of two-field structs)."""
    entries = _array_argument(node.this, ctx, "map_from_entries", "DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE")
    if isinstance(entries, exp.Array) and not entries.expressions:
        raise RejectedByDatabricks("DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE", "map_from_entries of array()")
    return typed(call("spark_map_from_entries", entries), "MAP")


_ZIP = "__zip_index"


def zip_with(node: exp.Anonymous, ctx: Context) -> exp.Expression:
    """zip_with(a, b, (x, y) -> ...): the function of each position's pair, the shorter array read as NULLs
    past its end; NULL if either array is."""
    a, b, function = arguments(node, 3)
    for value in (a, b):
        _array_argument(value, ctx, "zip_with", "DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE")
    if not isinstance(function, exp.Lambda):
        raise NotSupportedLocally("zip_with without a lambda")
    if len(function.expressions) != 2:
        raise RejectedByDatabricks(
            "INVALID_LAMBDA_FUNCTION_CALL.NUM_ARGS_MISMATCH", f"zip_with with a lambda of {len(function.expressions)}"
        )
    if volatile(a) or volatile(b):
        raise NotSupportedLocally("zip_with of an array that changes at each evaluation")
    index = f"{_ZIP}_{_next_level(function, _ZIP)}"
    x, y = (param.name for param in function.expressions)
    element = {x: duck(f"{{a}}[{index} + 1]", a=a), y: duck(f"{{b}}[{index} + 1]", b=b)}
    body = exp.Lambda(this=_substitute(function.this, element), expressions=[exp.to_identifier(index)])
    pairs = duck("range(greatest(len({a}), len({b})))", a=a.copy(), b=b.copy())
    zipped = duck("CASE WHEN {a} IS NULL OR {b} IS NULL THEN NULL ELSE {z} END", a=a.copy(), b=b.copy(),
                  z=call("list_transform", pairs, body))  # fmt: skip
    return typed(zipped, "LIST")


def arrays_zip(node: exp.ArraysZip, ctx: Context) -> exp.Expression:
    """arrays_zip(a, b, ...): an array of structs, one per position up to the longest array (NULL past the
    end of a shorter one), the fields named after the columns given (`a`, `t.b` and `s.b` are `b`) and by
    position (`0`, `1`, ...) for anything else; NULL if any array is."""
    arrays = node.expressions
    if not arrays:
        raise NotSupportedLocally("arrays_zip()")
    if all(isinstance(value, exp.Null) for value in arrays):
        raise NotSupportedLocally("arrays_zip of NULLs alone")
    for value in arrays:
        if not isinstance(value, exp.Null):
            _array_argument(value, ctx, "arrays_zip", "DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE")
        if volatile(value):
            raise NotSupportedLocally("arrays_zip of an array that changes at each evaluation")
    # Named from the arguments as written (the shape read before they were rewritten), else as they are.
    shape = node.meta.get("spark_shape")
    written = shape[1][1] if isinstance(shape, tuple) and isinstance(shape[1], tuple) else ()
    if len(written) == len(arrays):
        names = [name for name, _ in written]
    else:
        names = [own_name(value) or str(position) for position, value in enumerate(arrays)]
    if len(set(names)) < len(names):
        raise NotSupportedLocally("arrays_zip of two arrays of one name", "give the arrays different names")
    index = f"{_ZIP}_{_next_level(node, _ZIP)}"
    fields = [
        exp.PropertyEQ(this=exp.to_identifier(name, quoted=True), expression=duck(f"{{a}}[{index} + 1]", a=value))
        for name, value in zip(names, arrays, strict=True)
    ]
    longest = call("greatest", *[call("len", value.copy()) for value in arrays])
    rows = call(
        "list_transform",
        call("range", longest),
        exp.Lambda(this=exp.Struct(expressions=fields), expressions=[exp.to_identifier(index)]),
    )
    any_null = exp.or_(*[exp.Is(this=value.copy(), expression=exp.Null()) for value in arrays])
    return typed(exp.Case(ifs=[exp.If(this=any_null, true=exp.Null())], default=rows), "LIST")


_ELEMENT = "__element"


def column_through_array(node: exp.Column, ctx: Context) -> exp.Expression:
    """`arr.f` where `arr` is an array of structs (a column, or a field of one: `s.items.price`): the array
    of each element's field, as Databricks reads it (DuckDB cannot take a field of an array). Anything
    else is returned as it is."""
    parts = list(node.parts)
    start = 1 if names_a_source(node, parts[0].name) else 0
    path = parts[start].name.lower()
    for index in range(start + 1, len(parts)):
        kind = ctx.type_of_name(path)
        if kind == "LIST":
            base = _dotted(parts[:index])
            return field_of_elements(base, [p.name for p in parts[index:]], path, ctx)
        if kind != "STRUCT":
            break
        path = f"{path}.{parts[index].name.lower()}"
    # Four names or more are a catalog's to DuckDB: written as the fields they are.
    return _dotted(parts) if node.args.get("catalog") else node


def dot_through_array(node: exp.Dot, ctx: Context) -> exp.Expression:
    """`<array of structs>.f` (`array(named_struct('a', 1)).a`, `arrays_zip(a, b).a`): each element's field."""
    if isinstance(node.expression, exp.Identifier) and spark_type(node.this, ctx) == "LIST":
        return field_of_elements(node.this, [node.expression.name], None, ctx)
    return node


def field_of_elements(array: exp.Expression, names: list[str], path: str | None, ctx: Context) -> exp.Expression:
    """The array of `element.names[0].names[1]...` for each element; a field that is itself an array of
    structs below it is refused (Databricks takes a field of one level of arrays only)."""
    if path is not None:
        element = f"{path}[]"
        for name in names[:-1]:
            element = f"{element}.{name.lower()}"
            if ctx.type_of_name(element) == "LIST":
                raise NotSupportedLocally(f"the field {'.'.join(names)} of an array of arrays")
    parameter = f"{_ELEMENT}_{_next_level(array, _ELEMENT)}"
    body: exp.Expression = exp.column(parameter)
    for name in names:
        body = exp.Dot(this=body, expression=exp.to_identifier(name))
    lam = exp.Lambda(this=body, expressions=[exp.to_identifier(parameter)])
    return typed(call("list_transform", array, lam), "LIST")


def _dotted(parts: list[exp.Expr]) -> exp.Expression:
    """A column (with its table) and the fields after it, as DuckDB reads them."""
    head: exp.Expression = (
        exp.Column(this=parts[0].copy()) if len(parts) == 1 else exp.Column(this=parts[1].copy(), table=parts[0].copy())
    )
    for part in parts[2:]:
        head = exp.Dot(this=head, expression=part.copy())
    return head


_ZIP_KEY = "__map_zip_key"


def map_zip_with(node: exp.Anonymous, ctx: Context) -> exp.Expression:
    """map_zip_with(m1, m2, (k, v1, v2) -> ...): a map of every key of m1, then each key of m2 not in m1,
    to the lambda of that key and its value in each map (NULL where a map lacks it); NULL if either map
    is. Keys of two kinds (a number and a string) fail as Databricks rejects them."""
    first, second, function = arguments(node, 3)
    for value in (first, second):
        if isinstance(value, exp.Null) or spark_type(value, ctx) not in ("MAP", None):
            raise RejectedByDatabricks(
                "DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE", "map_zip_with of a value that is not a map"
            )
        if volatile(value):
            raise NotSupportedLocally("map_zip_with of a map that changes at each evaluation")
    if not isinstance(function, exp.Lambda):
        raise NotSupportedLocally("map_zip_with without a lambda")
    if len(function.expressions) != 3:
        raise RejectedByDatabricks(
            "INVALID_LAMBDA_FUNCTION_CALL.NUM_ARGS_MISMATCH",
            f"map_zip_with with a lambda of {len(function.expressions)}",
        )
    key = f"{_ZIP_KEY}_{_next_level(function, _ZIP_KEY)}"
    k, v1, v2 = (param.name for param in function.expressions)
    column = exp.column(key)
    values = {k: column, v1: call("map_extract_value", first, column.copy()),
              v2: call("map_extract_value", second, column.copy())}  # fmt: skip
    entry = exp.Struct(expressions=[
        exp.PropertyEQ(this=exp.to_identifier("key"), expression=column.copy()),
        exp.PropertyEQ(this=exp.to_identifier("value"), expression=_substitute(function.this, values)),
    ])  # fmt: skip
    new_keys = f"list_filter(map_keys({{b}}), {key} -> NOT list_contains(map_keys({{a2}}), {key}))"
    keys = duck(f"list_concat(map_keys({{a}}), {new_keys})", a=first.copy(), b=second.copy(), a2=first.copy())
    checked = duck(
        "CASE WHEN spark_value_class(regexp_extract(typeof({a}), '^MAP\\(([^,]+),', 1)) IS DISTINCT FROM "
        "spark_value_class(regexp_extract(typeof({b}), '^MAP\\(([^,]+),', 1)) THEN error('[DATATYPE_MISMATCH."
        "MAP_ZIP_WITH_DIFF_TYPES] map_zip_with of maps whose keys are of different types (Databricks rejects this "
        "statement too)') WHEN {a} IS NULL OR {b} IS NULL THEN NULL ELSE map_from_entries({e}) END",
        a=first.copy(), b=second.copy(),
        e=call("list_transform", keys, exp.Lambda(this=entry, expressions=[exp.to_identifier(key)])),
    )  # fmt: skip
    return typed(checked, "MAP")
