"""Aggregates with Databricks' result types: exact DECIMAL averages, DOUBLE medians, empty collections.

A rewrite of an aggregate often wraps it (`CAST(sum(x) AS BIGINT)`) or combines two (`sum(x)` and
`count(x)` for a DECIMAL average). Inside `OVER (...)` or `FILTER (WHERE ...)` the wrapping belongs
around the whole window or filter, so a rewrite is written against `over(aggregate)`, which adds
the window and filter the aggregate came with.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from sqlglot import exp

from dialect.common import Context, arguments, call, cast_to, duck, known_type, spark_type, typed
from dialect.errors import NotSupportedLocally, RejectedByDatabricks
from dialect.lazy import volatile
from dialect.types import decimal_parts, is_decimal, is_integral, is_numeric

Over = Callable[[exp.Expression], exp.Expression]
_WRAPPERS = (exp.Window, exp.Filter)


def aggregate(node: exp.Expression, build: Callable[[Over], exp.Expression], kind: str | None) -> exp.Expression:
    """The rewrite `build(over)`, now, or once the window or filter around `node` is rewritten."""
    parent = node.parent
    if isinstance(parent, _WRAPPERS) and parent.this is node:
        node.meta["over"] = (build, kind)
        return node
    return typed(build(lambda agg: agg), kind)


def wrapper(node: exp.Window | exp.Filter, ctx: Context) -> exp.Expression:
    """A window or filter whose aggregate asked to be wrapped: wrap it (or pass the request outward)."""
    if isinstance(node, exp.Window):
        _check_window(node)
    pending = node.this.meta.pop("over", None)
    if pending is None:
        return node
    build, kind = pending

    def over(agg: exp.Expression) -> exp.Expression:
        copy = node.copy()
        copy.set("this", agg)
        return copy

    parent = node.parent
    if isinstance(parent, _WRAPPERS) and parent.this is node:
        node.meta["over"] = (lambda outer: build(lambda agg: outer(over(agg))), kind)
        return node
    return typed(build(over), kind)


_NEED_ORDER = (
    exp.Ntile,
    exp.Lag,
    exp.Lead,
    exp.RowNumber,
    exp.Rank,
    exp.DenseRank,
    exp.PercentRank,
    exp.CumeDist,
    exp.NthValue,
)


def reject_nondeterministic_arguments(tree: exp.Expression) -> None:
    """rand() or uuid() in the arguments or FILTER of an aggregate, which Databricks rejects (in a window's
    aggregate it allows them); DuckDB aggregated the values."""
    for function in tree.find_all(exp.AggFunc):
        wrapper = function.parent if isinstance(function.parent, exp.Filter) else None
        if isinstance((wrapper or function).parent, exp.Window):
            continue
        name = function.sql(dialect="databricks")
        if any(volatile(argument) for argument in function.iter_expressions()):
            raise RejectedByDatabricks(
                "AGGREGATE_FUNCTION_WITH_NONDETERMINISTIC_EXPRESSION",
                f"Non-deterministic expression {name} should not appear in the arguments of an aggregate function",
            )
        if wrapper is not None and volatile(wrapper.expression):
            raise RejectedByDatabricks(
                "INVALID_AGGREGATE_FILTER.NON_DETERMINISTIC", f"The FILTER of {name} is not deterministic"
            )


# The one frame a ranking function runs over: Databricks rejects any other written frame, DuckDB ignores it.
_RANKING_FRAMES = {
    exp.RowNumber: "ROWS",
    exp.Rank: "ROWS",
    exp.DenseRank: "ROWS",
    exp.PercentRank: "ROWS",
    exp.Ntile: "ROWS",
    exp.CumeDist: "RANGE",
}


def _check_window(node: exp.Window) -> None:
    """Windows Databricks rejects and DuckDB runs: DISTINCT aggregates, ranking without an ORDER BY, a frame
    written for a function that has its own."""
    function = node.this.this if isinstance(node.this, exp.Filter) else node.this
    if isinstance(function.this, exp.Distinct):
        raise RejectedByDatabricks("DISTINCT_WINDOW_FUNCTION_UNSUPPORTED", "an aggregate of DISTINCT values OVER (...)")
    name = function.sql(dialect="databricks").split("(", 1)[0].lower()
    if isinstance(function, _NEED_ORDER) and node.args.get("order") is None:
        raise RejectedByDatabricks("WINDOW_FUNCTION_FRAME_NOT_ORDERED", f"{name} OVER (...) without ORDER BY")
    spec = node.args.get("spec")
    if spec is None:
        return
    frame = _frame(spec)
    if isinstance(function, (exp.Lag, exp.Lead)) and frame != _offset_frame(function):
        raise RejectedByDatabricks("_LEGACY_ERROR_TEMP_1035", f"Cannot specify window frame for {name} function")
    kind = _RANKING_FRAMES.get(type(function))
    if kind is not None and frame != (kind, "UNBOUNDED PRECEDING", "CURRENT ROW"):
        raise RejectedByDatabricks(
            "_LEGACY_ERROR_TEMP_1036",
            f"{name} OVER (... {frame[0]} BETWEEN {frame[1]} AND {frame[2]}): its frame is {kind} BETWEEN UNBOUNDED "
            "PRECEDING AND CURRENT ROW, written or not",
        )


def _frame(spec: exp.WindowSpec) -> tuple[str, str, str]:
    """A written frame as (kind, start, end); `ROWS 2 PRECEDING` ends at the current row."""

    def bound(value: exp.Expression | str | None, side: str | None) -> str:
        text = value.sql() if isinstance(value, exp.Expression) else str(value)
        return f"{text} {side}".upper() if side else text.upper()

    end = spec.args.get("end")
    ends_at = bound(end, spec.args.get("end_side")) if end is not None else "CURRENT ROW"
    return str(spec.args.get("kind")).upper(), bound(spec.args.get("start"), spec.args.get("start_side")), ends_at


def _offset_frame(function: exp.Lag | exp.Lead) -> tuple[str, str, str] | None:
    """The frame Databricks lets lead be written with (ROWS BETWEEN n FOLLOWING AND n FOLLOWING); none for lag."""
    offset = function.args.get("offset") or exp.Literal.number(1)
    if isinstance(function, exp.Lag) or not (isinstance(offset, exp.Literal) and not offset.is_string):
        return None
    return "ROWS", f"{offset.name} FOLLOWING", f"{offset.name} FOLLOWING"


def _argument_kind(value: exp.Expression, ctx: Context, construct: str) -> str | None:
    """The type of a numeric aggregate's argument; refused where Databricks' answer could differ."""
    if isinstance(value, exp.Distinct):
        value = value.expressions[0]
    kind = spark_type(value, ctx)
    if kind == "VARCHAR":
        raise NotSupportedLocally(f"{construct} of a STRING", "CAST it to a numeric type")
    if kind is not None and not is_numeric(kind):
        raise RejectedByDatabricks("DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE", f"{construct} of a {kind}")
    return kind


def sum_(node: exp.Sum, ctx: Context) -> exp.Expression:
    kind = _argument_kind(node.this, ctx, "sum")
    if is_integral(kind):
        return aggregate(node, lambda over: _integral_sum(node, over, _OVERFLOW), "BIGINT")
    if is_decimal(kind):
        result = known_type(node, ctx, "sum")
        # DECIMAL(p + 10, s) as Databricks sums, failing on overflow as it does.
        return aggregate(node, lambda over: _fitting(cast_to(over(node), result), result), result)
    return node


_LARGEST, _SMALLEST = exp.Literal.number(2**63 - 1), exp.Literal.number(-(2**63))
_OVERFLOW = "error('[ARITHMETIC_OVERFLOW] overflow. Use ''try_sum'' to tolerate overflow and return NULL instead.')"
_ORDER_DEPENDENT = (
    "error('[UNSUPPORTED] a sum of integers whose running total passes the BIGINT range in some order of the rows "
    "is not supported on the local target: Databricks adds the rows in its own order and overflows (or not) on the "
    "way; run it on Databricks or CAST the values to DECIMAL(38,0)')"
)


def _integral_sum(node: exp.Sum, over: Over, past_range: str) -> exp.Expression:
    """sum of integers as a BIGINT. Databricks adds row by row in BIGINT, so it overflows (failing, or NULL
    for try_sum: `past_range`) wherever a running total leaves the range. DuckDB sums exactly: a total out
    of range overflows in any order; a total in range whose positive or negative part is not overflows in
    some orders only, which the local target cannot know, so it refuses as the statement runs."""
    value = node.this
    distinct = isinstance(value, exp.Distinct)
    inner = value.expressions[0] if distinct else value

    def part(comparison: str) -> exp.Expression:
        signed = duck(f"CASE WHEN {{v}} {comparison} 0 THEN {{v}} END", v=inner.copy())
        return over(exp.Sum(this=exp.Distinct(expressions=[signed]) if distinct else signed))

    template = (
        "CASE WHEN {t} NOT BETWEEN {lo} AND {hi} THEN " + past_range
        + " WHEN {p} > {hi} OR {n} < {lo} THEN " + _ORDER_DEPENDENT + " ELSE CAST({t} AS BIGINT) END"
    )  # fmt: skip
    total = over(exp.Sum(this=value.copy()))
    return duck(template, t=total, p=part(">"), n=part("<"), lo=_SMALLEST, hi=_LARGEST)


def _fitting(total: exp.Expression, result: str | None, *, or_null: bool = False) -> exp.Expression:
    """A DECIMAL(38, s) sum checked against 38 digits: DuckDB's 128-bit sum and CAST let it grow past them.
    Past them, ARITHMETIC_OVERFLOW, or NULL (`or_null`, for try_sum)."""
    if not is_decimal(result) or decimal_parts(result)[0] < 38:
        return total
    scale = decimal_parts(result)[1]
    largest = exp.Literal.number("9" * (38 - scale) + ("." + "9" * scale if scale else ""))
    overflow = exp.Literal.string("[ARITHMETIC_OVERFLOW] Overflow in sum of decimals. Use 'try_sum' to tolerate "
                                  "overflow and return NULL instead.")  # fmt: skip
    past = exp.Null() if or_null else call("error", overflow)
    return typed(duck("CASE WHEN abs({t}) > {m} THEN {p} ELSE {t} END", t=total, m=largest, p=past), result)


def try_sum(node: exp.Anonymous, ctx: Context) -> exp.Expression:
    """try_sum(x): sum(x) in the type Databricks sums in (BIGINT, DECIMAL(p + 10, s), DOUBLE), NULL where
    the sum overflows that type instead of failing."""
    (value,) = arguments(node, 1)
    kind = _argument_kind(value, ctx, "try_sum")
    total = exp.Sum(this=value.copy())
    result = spark_type(total, ctx)
    if kind is None or result is None:
        raise NotSupportedLocally("try_sum of a value whose type the local target cannot tell", "CAST it to its type")
    if is_integral(kind):
        return aggregate(node, lambda over: _integral_sum(total, over, "NULL"), "BIGINT")
    if is_decimal(kind):
        target = exp.DataType.build(result, dialect="duckdb")
        return aggregate(
            node, lambda over: _fitting(exp.TryCast(this=over(total.copy()), to=target), result, or_null=True), result
        )
    return aggregate(node, lambda over: over(total.copy()), result)


def try_avg(node: exp.Anonymous, ctx: Context) -> exp.Expression:
    """try_avg(x) of integers or fractions: their average as a DOUBLE, which no sum of them overflows."""
    (value,) = arguments(node, 1)
    kind = _argument_kind(value, ctx, "try_avg")
    if kind is None or is_decimal(kind):
        raise NotSupportedLocally("try_avg of a DECIMAL or of a value whose type the local target cannot tell")
    return aggregate(node, lambda over: over(exp.Avg(this=value.copy())), "DOUBLE")


def avg(node: exp.Avg, ctx: Context) -> exp.Expression:
    kind = _argument_kind(node.this, ctx, "avg")
    if kind is None and not isinstance(node.this, exp.Null):
        raise NotSupportedLocally("avg of a value whose type the local target cannot tell")
    if not is_decimal(kind):
        return node
    result = known_type(node, ctx, "avg")
    _, scale = decimal_parts(kind)
    value = node.this

    def build(over: Over) -> exp.Expression:
        # sum / count rounded half up to the scale + 4 Databricks gives an average, exactly (over the
        # distinct values for avg(DISTINCT ...): the value is then a DISTINCT node, which both take).
        total = exp.Sum(this=value.copy())
        count = exp.Count(this=value.copy())
        quotient = duck(
            "spark_div_half_up(CAST(round({s} * {shift}) AS HUGEINT) * 10000, CAST({c} AS HUGEINT))",
            s=over(total), c=over(count), shift=exp.Literal.number(10**scale),
        )  # fmt: skip
        return cast_to(duck("CAST({q} AS DECIMAL(38,0)) * {unit}", q=quotient, unit=_unit(scale + 4)), result)

    return aggregate(node, build, result)


def _unit(scale: int) -> exp.Expression:
    """10^-scale as an exact DECIMAL literal."""
    return exp.Literal.number("0." + "0" * (scale - 1) + "1") if scale > 0 else exp.Literal.number(1)


def median(node: exp.Median, ctx: Context) -> exp.Expression:
    _argument_kind(node.this, ctx, "median")
    return aggregate(node, lambda over: over(call("quantile_cont", cast_to(node.this, "DOUBLE"),
                                                  exp.Literal.number("0.5"))), "DOUBLE")  # fmt: skip


def percentile(node: exp.Quantile, ctx: Context) -> exp.Expression:
    fraction = node.args.get("quantile")
    if isinstance(node.this, exp.Distinct):
        raise NotSupportedLocally("percentile(DISTINCT ...)")
    # One percentage, or an array of them (an array of the percentiles, in that order).
    fractions: list[exp.Literal] = []
    for value in fraction.expressions if isinstance(fraction, exp.Array) else [fraction]:
        if not isinstance(value, exp.Literal) or value.is_string:
            raise NotSupportedLocally("percentile with a percentage that is not a number literal")
        fractions.append(value)
    if not fractions:
        raise NotSupportedLocally("percentile of an empty array of percentages")
    _argument_kind(node.this, ctx, "percentile")
    kind = "LIST" if isinstance(fraction, exp.Array) else "DOUBLE"
    wanted: exp.Expression = exp.Array(expressions=fractions) if kind == "LIST" else fractions[0]
    return aggregate(node, lambda over: over(call("quantile_cont", cast_to(node.this, "DOUBLE"), wanted)), kind)


# percentile_approx's default accuracy; 1 / accuracy is its relative error.
_DEFAULT_ACCURACY = 10_000
# Doubles hold every integer up to 2^53 (Databricks keeps percentile_approx's values as doubles).
_EXACT_IN_DOUBLE = 2**53


def percentile_approx(node: exp.ApproxQuantile, ctx: Context) -> exp.Expression:
    """percentile_approx(x, p [, accuracy]) (approx_percentile): Databricks keeps a quantile summary of
    relative error 1/accuracy, which holds every value exactly while there are fewer than accuracy / 2 of
    them: it answers the value at rank ceil(p * n) (a DOUBLE product), the smallest for p <= 1/accuracy
    and the largest for p >= 1 - 1/accuracy. So does this rewrite, over those groups; a larger group
    fails as it runs (its answer depends on how Databricks summarised the rows). An array of percentages
    gives an array. Of an integer, DOUBLE, FLOAT, DECIMAL of up to 15 digits, DATE or TIMESTAMP."""
    value = node.this
    if isinstance(value, exp.Distinct) or node.args.get("weight") or node.args.get("error_tolerance"):
        raise NotSupportedLocally("percentile_approx with DISTINCT or a weight")
    kind = known_type(value, ctx, "percentile_approx")
    if not (is_numeric(kind) or kind in ("DATE", "TIMESTAMP")) or kind == "VARCHAR":
        raise RejectedByDatabricks("DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE", f"percentile_approx of a {kind}")
    if is_decimal(kind) and decimal_parts(kind)[0] > 15:
        raise NotSupportedLocally("percentile_approx of a DECIMAL of more than 15 digits (kept as a double)")
    accuracy = _accuracy_literal(node.args.get("accuracy"), _DEFAULT_ACCURACY)
    quantile = node.args["quantile"]
    fractions = quantile.expressions if isinstance(quantile, exp.Array) else [quantile]
    shares = [_fraction_literal(f) for f in fractions]
    error = 1 / accuracy

    def build(over) -> exp.Expression:
        count = over(exp.Count(this=value.copy()))
        ordered = call(
            "list_sort", over(call("list", value.copy())), exp.Literal.string("ASC"), exp.Literal.string("NULLS LAST")
        )
        picks = [_rank(share, error, count) for share in shares]
        found = [call("list_extract", ordered.copy(), pick) for pick in picks]  # ranks count from 1
        answer = exp.Array(expressions=found) if isinstance(quantile, exp.Array) else found[0]
        checks = [
            exp.If(
                this=exp.GTE(this=count.copy(), expression=exp.Literal.number(-(-accuracy // 2))),
                true=duck(
                    "error('[UNSUPPORTED] percentile_approx over ' || {n} || ' values is not supported on the local "
                    "target, which answers as Databricks below accuracy / 2 values (" + f"{accuracy // 2:,}" + "); "
                    "pass an accuracy above twice the number of values, or run it on Databricks')",
                    n=count.copy(),
                ),
            )
        ]
        if kind == "BIGINT":
            largest = over(exp.Max(this=exp.Abs(this=value.copy())))
            checks.append(
                exp.If(
                    this=exp.GTE(this=largest, expression=exp.Literal.number(_EXACT_IN_DOUBLE)),
                    true=duck(
                        "error('[UNSUPPORTED] percentile_approx of a BIGINT past 2^53 is not supported on "
                        "the local target (Databricks keeps the values as doubles)')"
                    ),  # fmt: skip
                )
            )
        empty = exp.If(this=exp.EQ(this=count.copy(), expression=exp.Literal.number(0)), true=exp.null())
        return exp.Case(ifs=[empty, *checks], default=answer)  # no values: NULL, not an array of NULLs

    return aggregate(node, build, None if isinstance(quantile, exp.Array) else kind)


# The estimates up to which HyperLogLog++ answers by linear counting, by the sketch's precision p (index
# bits), as the HyperLogLog++ paper (Heule, Nunkesser, Hall) gives them and Databricks uses them.
_LINEAR_COUNTING_UP_TO = {4: 10, 5: 20, 6: 40, 7: 80, 8: 220, 9: 400, 10: 900, 11: 1800, 12: 3100, 13: 6500,
                          14: 11500, 15: 20000, 16: 50000, 17: 120000, 18: 350000}  # fmt: skip


def approx_count_distinct(node: exp.ApproxDistinct, value: exp.Expression, hashed: exp.Expression) -> exp.Expression:
    """approx_count_distinct(x [, relativeSD]): Databricks' HyperLogLog++ sketch of 2^p registers (p from the
    relative error, 9 by default), each value's register the top p bits of its xxhash64. While the
    estimate m * ln(m / V) over the V registers no value reached stays within the paper's linear-counting
    range, that rounded estimate is the answer, and it needs only which registers were reached: the
    rewrite counts them. Past that range Databricks corrects the estimate by tables the local target
    does not carry: such a group fails as it runs. `hashed` is xxhash64 of `value` (BIGINT)."""
    given = node.args.get("accuracy")
    if given is not None and (not isinstance(given, exp.Literal) or given.is_string):
        raise NotSupportedLocally("approx_count_distinct with a relative error that is not a number literal")
    error = 0.05 if given is None else float(given.this)
    bits = math.ceil(2.0 * math.log(1.106 / error) / math.log(2.0)) if error > 0 else 0
    if bits not in _LINEAR_COUNTING_UP_TO:
        raise NotSupportedLocally(f"approx_count_distinct with the relative error {error}")
    registers, limit = 1 << bits, _LINEAR_COUNTING_UP_TO[bits]
    index = duck(f"CASE WHEN {{v}} IS NOT NULL THEN ({{h}} >> {64 - bits}) & {registers - 1} END", v=value, h=hashed)
    refusal = (
        "error('[UNSUPPORTED] approx_count_distinct of this many distinct values (an estimate past "
        f"{limit:,}, where Databricks corrects it by tables of its own) is not supported on the local target; "
        "use count(DISTINCT ...), or run it on Databricks')"
    )

    def build(over) -> exp.Expression:
        reached = over(exp.Count(this=exp.Distinct(expressions=[index])))
        estimate = duck(f"{registers} * ln(CAST({registers} AS DOUBLE) / ({registers} - {{r}}))", r=reached)
        beyond = f"{{r}} = {registers} OR {{e}} > {limit}"  # every register reached, or past linear counting
        rounded = "CAST(floor({e} + 0.5) AS BIGINT)"  # Math.round
        return duck(f"CASE WHEN {beyond} THEN {refusal} ELSE {rounded} END", r=reached.copy(), e=estimate)

    return aggregate(node, build, "BIGINT")


def _rank(share: float, error: float, count: exp.Expression) -> exp.Expression:
    """The 1-based rank percentile_approx answers for a share of `count` values."""
    if share <= error:
        return exp.Literal.number(1)
    if share >= 1 - error:
        return count.copy()
    return duck("CAST(ceil(CAST({p} AS DOUBLE) * {n}) AS BIGINT)", p=exp.Literal.number(repr(share)), n=count.copy())


def _fraction_literal(node: exp.Expression) -> float:
    if not isinstance(node, exp.Literal) or node.is_string:
        raise NotSupportedLocally("percentile_approx with a percentage that is not a number literal")
    share = float(node.this)
    if not 0 <= share <= 1:
        raise RejectedByDatabricks("DATATYPE_MISMATCH.VALUE_OUT_OF_RANGE", f"percentile_approx of {node.this}")
    return share


def _accuracy_literal(node: exp.Expression | None, default: int) -> int:
    if node is None:
        return default
    if not isinstance(node, exp.Literal) or node.is_string or not node.this.isdigit():
        raise NotSupportedLocally("percentile_approx with an accuracy that is not a positive integer literal")
    if not 0 < int(node.this) < 2**31:
        raise RejectedByDatabricks("DATATYPE_MISMATCH.VALUE_OUT_OF_RANGE", f"percentile_approx accuracy {node.this}")
    return int(node.this)


def within_group(node: exp.WithinGroup, ctx: Context) -> exp.Expression:
    """percentile_cont(p) WITHIN GROUP (ORDER BY x [DESC]): interpolated, a DOUBLE. percentile_disc:
    the first value in that order whose cumulative share of the rows reaches p, as a DOUBLE."""
    function = node.this
    order = node.expression
    if not isinstance(function, (exp.PercentileCont, exp.PercentileDisc)) or not isinstance(order, exp.Order):
        raise NotSupportedLocally(f"{function.sql(dialect='databricks')} WITHIN GROUP")
    name = "percentile_cont" if isinstance(function, exp.PercentileCont) else "percentile_disc"
    keys = order.expressions
    fraction = function.this
    if len(keys) != 1 or not isinstance(fraction, exp.Literal) or fraction.is_string:
        raise NotSupportedLocally(f"{name} with a percentage that is not a number literal")
    value = keys[0].this
    _argument_kind(value, ctx, name)
    if isinstance(function, exp.PercentileDisc):
        return _percentile_disc(value, fraction, bool(keys[0].args.get("desc")), ctx)
    if keys[0].args.get("desc"):
        fraction = exp.Literal.number(str(1 - float(fraction.this)))
    return typed(call("quantile_cont", cast_to(value, "DOUBLE"), fraction), "DOUBLE")


def first_or_last(node: exp.First | exp.Last, ctx: Context) -> exp.Expression:
    """first(x), last(x): the value of the group's first or last row, NULL included; in the order rows
    arrive, which neither engine promises after a shuffle or in parallel."""
    return typed(node, spark_type(node.this, ctx))


def ignore_nulls(node: exp.IgnoreNulls, ctx: Context) -> exp.Expression:
    """first(x, true) or first(x) IGNORE NULLS (last, first_value, last_value too): the first or last
    non-NULL value; lag, lead and nth_value IGNORE NULLS over a window count non-NULL rows only. Over a
    window, DuckDB's first_value/last_value(x IGNORE NULLS); as an aggregate,
    first/last of the rows FILTERed to non-NULL values (DuckDB takes IGNORE NULLS in windows only)."""
    inner = node.this
    kind = spark_type(inner.this, ctx) if isinstance(inner, exp.Func) else None
    windowed = isinstance(node.parent, exp.Window) and node.parent.this is node
    if windowed and isinstance(inner, (exp.First, exp.Last, exp.FirstValue, exp.LastValue)):
        value = exp.FirstValue if isinstance(inner, (exp.First, exp.FirstValue)) else exp.LastValue
        return typed(exp.IgnoreNulls(this=value(this=inner.this)), kind)
    if windowed and isinstance(inner, (exp.Lag, exp.Lead, exp.NthValue)):
        return typed(node, kind)  # the offset counts the rows that are not NULL, in both engines
    if not isinstance(inner, (exp.First, exp.Last)) or isinstance(node.parent, exp.Filter):
        raise NotSupportedLocally(f"{inner.sql(dialect='databricks')} IGNORE NULLS here", "filter out the NULLs")
    present = exp.Where(this=exp.Not(this=exp.Is(this=inner.this.copy(), expression=exp.Null())))
    return typed(exp.Filter(this=inner, expression=present), kind)


def respect_nulls(node: exp.RespectNulls, ctx: Context) -> exp.Expression:
    """`f(x) RESPECT NULLS`: what f does without it, in both engines."""
    return node.this


def mode(node: exp.Mode, ctx: Context) -> exp.Expression:
    """mode(x [, deterministic]): the most frequent non-NULL value; among values as frequent, the
    smallest (what Databricks returns with deterministic => true, and one of those it may return without)."""
    deterministic = node.args.get("deterministic")
    if deterministic is not None and not isinstance(deterministic, exp.Boolean):
        raise NotSupportedLocally("mode with a deterministic flag that is not TRUE or FALSE")
    kind = spark_type(node.this, ctx)
    if kind is not None and kind.startswith(("LIST", "MAP", "STRUCT")):
        raise NotSupportedLocally("mode of an array, map or struct")

    def build(over: Over) -> exp.Expression:
        counts = over(call("histogram", node.this))
        return duck("list_sort(list_transform(map_entries({h}), e -> {{'n': -e.value, 'v': e.key}}))[1].v", h=counts)

    return aggregate(node, build, kind)


def _null_where_flat(
    node: exp.Expression, ctx: Context, construct: str, y: exp.Expression, x: exp.Expression, sums: tuple[str, ...]
) -> exp.Expression:
    """The aggregate of pairs (y, x), NULL where one of the sums of squares is zero (one pair, or a constant
    column): Databricks divides by it and gives NULL, DuckDB gives NaN."""
    for value in (y, x):
        _argument_kind(value, ctx, construct)

    def build(over: Over) -> exp.Expression:
        flat = {f"s{i}": over(call(name, y.copy(), x.copy())) for i, name in enumerate(sums)}
        product = " * ".join(f"{{{key}}}" for key in flat)
        return duck(f"CASE WHEN {product} = 0 THEN NULL ELSE {{a}} END", a=over(node), **flat)

    return aggregate(node, build, "DOUBLE")


# skewness and kurtosis from the central moments of the non-NULL values: n, then the sums of the values'
# distances from their mean to the powers 2, 3 and 4 (two passes over the values, where Databricks
# updates the moments value by value: the answers agree to the rounding of the sums, except over values
# far from their mean's magnitude, where Databricks' updates lose digits these passes keep). Values that
# are all one finite number have no spread (m2 = 0) exactly, as Databricks finds by its updates.
MACROS = {
    # The distances are taken from a first mean m0 and then from their own mean: the mean itself, rounded
    # to a double near 1e6, would move every distance of about 0.1 by the same 1e-10.
    "spark_central_moments(xs)": """list_transform([list_avg(xs)],
        m0 -> list_transform([list_transform(xs, v -> v - m0)],
            es -> list_transform([list_avg(es)], m -> [len(xs),
                CASE WHEN list_min(xs) = list_max(xs) AND isfinite(m0) THEN 0
                    ELSE list_sum(list_transform(es, e -> (e - m) * (e - m))) END,
                list_sum(list_transform(es, e -> (e - m) * (e - m) * (e - m))),
                list_sum(list_transform(es, e -> (e - m) * (e - m) * ((e - m) * (e - m))))])[1])[1])[1]""",
    # NULL for no values and for values without spread, as Databricks answers (not NaN).
    "spark_skewness(l)": """list_transform([spark_central_moments(list_filter(l, v -> v IS NOT NULL))],
        s -> CASE WHEN s[1] = 0 OR s[2] = 0 THEN NULL ELSE sqrt(s[1]) * s[3] / sqrt(s[2] * s[2] * s[2]) END)[1]""",
    "spark_kurtosis(l)": """list_transform([spark_central_moments(list_filter(l, v -> v IS NOT NULL))],
        s -> CASE WHEN s[1] = 0 OR s[2] = 0 THEN NULL ELSE s[1] * s[4] / (s[2] * s[2]) - 3 END)[1]""",
}


def moments(name: str) -> Callable[[exp.Expression, Context], exp.Expression]:
    """skewness(x) and kurtosis(x) (excess kurtosis) of the values as a population, as DOUBLEs; with
    DISTINCT, FILTER and OVER as written."""

    def handler(node: exp.Expression, ctx: Context) -> exp.Expression:
        value = node.this
        distinct = isinstance(value, exp.Distinct)
        inner = value.expressions[0] if distinct else value
        if _argument_kind(inner, ctx, name) is None and not isinstance(inner, exp.Null):
            raise NotSupportedLocally(f"{name} of a value whose type the local target cannot tell",
                                      "CAST it to DOUBLE")  # fmt: skip
        double = cast_to(inner.copy(), "DOUBLE")
        collected = exp.Distinct(expressions=[double]) if distinct else double

        def build(over: Over) -> exp.Expression:
            return call(f"spark_{name}", over(call("list", collected.copy())))

        return aggregate(node, build, "DOUBLE")

    return handler


def corr(node: exp.Corr, ctx: Context) -> exp.Expression:
    # corr(x, y): both variances.
    return _null_where_flat(node, ctx, "corr", node.expression, node.this, ("regr_sxx", "regr_syy"))


def numeric_only(construct: str) -> Callable[[exp.Expression, Context], exp.Expression]:
    def handler(node: exp.Expression, ctx: Context) -> exp.Expression:
        _argument_kind(node.this, ctx, construct)
        for other in ("expression",):
            if isinstance(node.args.get(other), exp.Expression):
                _argument_kind(node.args[other], ctx, construct)
        return node

    return handler


def regr_slope(node: exp.RegrSlope, ctx: Context) -> exp.Expression:
    # regr_slope(y, x): the variance of x.
    return _null_where_flat(node, ctx, "regr_slope", node.this, node.expression, ("regr_sxx",))


def regr_average(construct: str) -> Callable[[exp.Expression, Context], exp.Expression]:
    """regr_avgx / regr_avgy: an average of one side of the pairs, a DECIMAL for DECIMALs on Databricks."""

    def handler(node: exp.Expression, ctx: Context) -> exp.Expression:
        averaged = node.expression if construct == "regr_avgx" else node.this
        for value in (node.this, node.expression):
            _argument_kind(value, ctx, construct)
        if is_decimal(spark_type(averaged, ctx)):
            raise NotSupportedLocally(f"{construct} of a DECIMAL", "CAST it to DOUBLE")
        return node

    return handler


def collection(node: exp.ArrayAgg | exp.ArrayUniqueAgg, ctx: Context) -> exp.Expression:
    """collect_list / collect_set: an empty array (not NULL) when no value is collected."""
    return aggregate(node, lambda over: duck("coalesce({a}, [])", a=over(node)), "LIST")


def bitwise(name: str) -> Callable[[exp.Expression, Context], exp.Expression]:
    """bit_and, bit_or, bit_xor of integers: of the argument's type, NULLs skipped, NULL over no rows."""

    def handler(node: exp.Expression, ctx: Context) -> exp.Expression:
        value = node.this
        distinct = isinstance(value, exp.Distinct)
        kind = spark_type(value.expressions[0] if distinct else value, ctx)
        if kind is None:
            raise NotSupportedLocally(f"{name} of a value whose type the local target cannot tell",
                                      "CAST it to an integer type")  # fmt: skip
        if not is_integral(kind):
            raise RejectedByDatabricks("DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE", f"{name} of a {kind}")
        return typed(node, kind)

    return handler


def boolean_only(construct: str) -> Callable[[exp.Expression, Context], exp.Expression]:
    def handler(node: exp.Expression, ctx: Context) -> exp.Expression:
        kind = spark_type(node.this, ctx)
        if kind is not None and kind != "BOOLEAN":
            raise RejectedByDatabricks("DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE", f"{construct} of a {kind}")
        return node

    return handler


def any_(node: exp.Any, ctx: Context) -> exp.Expression:
    """any(b) as an aggregate (bool_or); `x = ANY (subquery)` keeps its meaning."""
    inner = node.this.this if isinstance(node.this, exp.Paren) else node.this
    if isinstance(inner, (exp.Select, exp.Subquery, exp.Union)) or isinstance(node.parent, exp.Binary):
        return node
    return boolean_only("any")(exp.LogicalOr(this=inner), ctx)


def every_or_some(name: str) -> Callable[[exp.Anonymous, Context], exp.Expression]:
    def handler(node: exp.Anonymous, ctx: Context) -> exp.Expression:
        if len(node.expressions) != 1:
            raise NotSupportedLocally(f"{name}(...)")
        cls = exp.LogicalAnd if name == "every" else exp.LogicalOr
        return boolean_only(name)(cls(this=node.expressions[0]), ctx)

    return handler


def _percentile_disc(value: exp.Expression, fraction: exp.Expression, desc: bool, ctx: Context) -> exp.Expression:
    # A DOUBLE on Databricks. DuckDB answers the smallest value for percentage 0 in descending order;
    # the first value in that order is the largest, the answer for percentage 1 in ascending order.
    if desc and isinstance(fraction, exp.Literal) and float(fraction.this) == 0:
        fraction, desc = exp.Literal.number(1), False
    order = exp.Order(expressions=[exp.Ordered(this=value, desc=desc, nulls_first=False)])
    disc = exp.WithinGroup(this=exp.PercentileDisc(this=fraction), expression=order)
    return typed(cast_to(disc, "DOUBLE"), "DOUBLE")


def ranking(node: exp.Expression, ctx: Context) -> exp.Expression:
    """row_number(), rank(), dense_rank(), ntile(n): an INT on Databricks, a BIGINT in DuckDB."""
    return aggregate(node, lambda over: cast_to(over(node), "INTEGER"), "INTEGER")
