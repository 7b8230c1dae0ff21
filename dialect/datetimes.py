"""Date and time arithmetic as Databricks does it: intervals, timestampadd/diff, extract, trunc.

`DATE + INTERVAL 1 DAY` stays a DATE (a time part makes it a TIMESTAMP), `DATE + n` adds days,
`DATE - DATE` is an INTERVAL of days, and timestampdiff counts whole units the way Java's
ChronoUnit does (months compare the day and time of day; smaller units divide the microseconds).
"""

from __future__ import annotations

import re

from sqlglot import exp

from dialect.common import Context, arguments, call, cast_to, duck, literal_string, spark_type, typed
from dialect.errors import NotSupportedLocally, RejectedByDatabricks
from dialect.types import decimal_parts, is_integral, is_interval, is_numeric

# Region IDs of the tz database (America/Argentina/Buenos_Aires, Etc/GMT+5), UTC and GMT.
_REGION_ZONE = r"(UTC|GMT|[A-Z][A-Za-z]+(/[A-Z][A-Za-z0-9_+-]*)+)"
_DAYS = ", ".join(f"('{d}', {i + 1})" for i, d in enumerate(("MO", "TU", "WE", "TH", "FR", "SA", "SU")))
MACROS = {
    # next_day(date, 'MO' | 'MON' | 'MONDAY', any case): the next such day after the date.
    "spark_day_number(name)": """CASE
        WHEN upper(name) IN ('MO', 'MON', 'MONDAY') THEN 1 WHEN upper(name) IN ('TU', 'TUE', 'TUESDAY') THEN 2
        WHEN upper(name) IN ('WE', 'WED', 'WEDNESDAY') THEN 3 WHEN upper(name) IN ('TH', 'THU', 'THURSDAY') THEN 4
        WHEN upper(name) IN ('FR', 'FRI', 'FRIDAY') THEN 5 WHEN upper(name) IN ('SA', 'SAT', 'SATURDAY') THEN 6
        WHEN upper(name) IN ('SU', 'SUN', 'SUNDAY') THEN 7 END""",
    "spark_next_day(d, name)": """CASE WHEN d IS NULL THEN NULL WHEN name IS NULL THEN NULL
        WHEN spark_day_number(name) IS NULL
          THEN error('[ILLEGAL_DAY_OF_WEEK] Illegal input for day of week: ' || name)
        ELSE CAST(d + CAST((spark_day_number(name) - isodow(d) + 6) % 7 + 1 AS INTEGER) AS DATE) END""",
    "spark_make_date(y, m, d)": """CASE WHEN y IS NULL THEN NULL WHEN m IS NULL THEN NULL WHEN d IS NULL THEN NULL
        ELSE make_date(CAST(y AS BIGINT), CAST(m AS BIGINT), CAST(d AS BIGINT)) END""",
    "spark_make_timestamp(y, mo, d, h, mi, s)": """CASE
        WHEN y IS NULL THEN NULL WHEN mo IS NULL THEN NULL WHEN d IS NULL THEN NULL
        WHEN h IS NULL THEN NULL WHEN mi IS NULL THEN NULL WHEN s IS NULL THEN NULL
        WHEN mo < 1 OR mo > 12 THEN error('[DATETIME_FIELD_OUT_OF_BOUNDS] Invalid value for MonthOfYear: ' || mo)
        WHEN d < 1 OR d > day(last_day(make_date(y, mo, 1))) THEN
        error('[DATETIME_FIELD_OUT_OF_BOUNDS] Invalid date: day ' || d || ' of month ' || mo || ' of ' || y)
        WHEN h < 0 OR h > 23 THEN error('[DATETIME_FIELD_OUT_OF_BOUNDS] Invalid value for HourOfDay: ' || h)
        WHEN mi < 0 OR mi > 59 THEN error('[DATETIME_FIELD_OUT_OF_BOUNDS] Invalid value for MinuteOfHour: ' || mi)
        WHEN s < 0 OR s >= 61 THEN error('[DATETIME_FIELD_OUT_OF_BOUNDS] Invalid value for SecondOfMinute: ' || s)
        WHEN s > 60 THEN error('[INVALID_FRACTION_OF_SECOND] Valid range for seconds is [0, 60] (inclusive)')
        ELSE make_timestamp(y, mo, d, h, mi, s) END""",
    # try_make_timestamp: NULL where make_timestamp fails on a field out of its range.
    "spark_try_make_timestamp(y, mo, d, h, mi, s)": """CASE
        WHEN y IS NULL OR mo IS NULL OR d IS NULL OR h IS NULL OR mi IS NULL OR s IS NULL THEN NULL
        WHEN y < 1 OR y > 9999 THEN error('[UNSUPPORTED] try_make_timestamp of the year ' || y
          || ' is not supported on the local target; run it on Databricks')
        WHEN mo < 1 OR mo > 12 OR d < 1 OR d > day(last_day(make_date(y, greatest(1, least(12, mo)), 1)))
          OR h < 0 OR h > 23 OR mi < 0 OR mi > 59 OR s < 0 OR s > 60 THEN NULL
        ELSE spark_make_timestamp(y, mo, d, h, mi, s) END""",
    # Whole months from t1 to t2 as java.time's LocalDateTime.until(MONTHS): the end date moves a day
    # when its time of day has not reached the start's, then whole months by (month * 32 + day).
    "spark_until_end_date(t1, t2)": """CASE
        WHEN CAST(t2 AS DATE) > CAST(t1 AS DATE) AND CAST(t2 AS TIME) < CAST(t1 AS TIME) THEN CAST(t2 AS DATE) - 1
        WHEN CAST(t2 AS DATE) < CAST(t1 AS DATE) AND CAST(t2 AS TIME) > CAST(t1 AS TIME) THEN CAST(t2 AS DATE) + 1
        ELSE CAST(t2 AS DATE) END""",
    "spark_month_days(d)": "(year(d) * 12 + month(d)) * 32 + day(d)",
    "spark_toward_zero(n, d)": "CASE WHEN n < 0 THEN -((-n) // d) ELSE n // d END",
    "spark_months_until(t1, t2)": (
        "spark_toward_zero(spark_month_days(spark_until_end_date(t1, t2)) - spark_month_days(t1), 32)"
    ),
    # Whole units of `micros` microseconds from t1 to t2, truncated toward zero.
    "spark_micros_until(t1, t2, micros)": "spark_toward_zero(epoch_us(t2) - epoch_us(t1), micros)",
    # The UTC time of wall-clock time t in zone z. Where the clock went back and t occurs twice, java.time
    # takes the earlier instant (the offset before the change) and ICU the later: t less the offset of a
    # day before is taken when it is earlier and shows t in z.
    "spark_utc_by_icu(t, z)": "CAST(timezone(z, t) AS TIMESTAMP)",
    "spark_utc_by_day_before(t, z)": """t - (timezone(z, CAST(spark_utc_by_icu(t, z) - INTERVAL 1 DAY AS TIMESTAMPTZ))
        - (spark_utc_by_icu(t, z) - INTERVAL 1 DAY))""",
    "spark_to_utc(t, z)": """CASE WHEN spark_utc_by_day_before(t, z) < spark_utc_by_icu(t, z)
          AND timezone(z, CAST(spark_utc_by_day_before(t, z) AS TIMESTAMPTZ)) = t THEN spark_utc_by_day_before(t, z)
        ELSE spark_utc_by_icu(t, z) END""",
    # A time zone both engines read alike: a region ID of the tz database, UTC or GMT. Offsets and
    # abbreviations (+05:30, PST) are read by rules of Java's own, which the local engine lacks.
    "spark_region_zone(z)": f"""CASE WHEN z IS NULL OR regexp_full_match(z, '{_REGION_ZONE}') THEN z
        ELSE error('[UNSUPPORTED] the time zone ''' || z || ''' is not supported on the local target, which reads '
          || 'region IDs such as America/New_York, and UTC; run it on Databricks') END""",
}

_MICROS = {"MICROSECOND": 1, "MILLISECOND": 1_000, "SECOND": 1_000_000, "MINUTE": 60_000_000,
           "HOUR": 3_600_000_000, "DAY": 86_400_000_000, "DAYOFYEAR": 86_400_000_000,
           "WEEK": 7 * 86_400_000_000}  # fmt: skip
_MONTHS = {"MONTH": 1, "QUARTER": 3, "YEAR": 12}
_ADD_UNITS = {"MICROSECOND": "to_microseconds", "MILLISECOND": "to_milliseconds", "SECOND": "to_seconds",
              "MINUTE": "to_minutes", "HOUR": "to_hours", "DAY": "to_days", "DAYOFYEAR": "to_days",
              "WEEK": "to_weeks", "MONTH": "to_months", "QUARTER": "to_months", "YEAR": "to_years"}  # fmt: skip


def _unit(node: exp.Expression) -> str:
    unit = node.args.get("unit")
    name = (literal_string(unit) or (unit.name if unit is not None else "")).upper()
    if name not in _MICROS and name not in _MONTHS:
        raise RejectedByDatabricks("INVALID_PARAMETER_VALUE.DATETIME_UNIT", f"the unit {name or '(none)'}")
    return name


def _as_timestamp(value: exp.Expression, ctx: Context, construct: str) -> exp.Expression:
    from dialect.casts import as_timestamp

    return as_timestamp(value, ctx, construct)


def next_day(node: exp.NextDay, ctx: Context) -> exp.Expression:
    from dialect.casts import as_date

    return typed(call("spark_next_day", as_date(node.this, ctx, "next_day"), node.expression), "DATE")


def make_date(node: exp.Anonymous, ctx: Context) -> exp.Expression:
    return typed(call("spark_make_date", *node.expressions), "DATE")


def date_field(function: str, on: str):
    """year(x), hour(x), ...: x read as a DATE or TIMESTAMP as Databricks reads it; an INT."""

    def handler(node: exp.Expression, ctx: Context) -> exp.Expression:
        from dialect.casts import as_date, as_timestamp

        value = as_date(node.this, ctx, function) if on == "DATE" else as_timestamp(node.this, ctx, function)
        return typed(cast_to(call(function, value), "INTEGER"), "INTEGER")

    return handler


def last_day(node: exp.LastDay, ctx: Context) -> exp.Expression:
    from dialect.casts import as_date

    return typed(cast_to(call("last_day", as_date(node.this, ctx, "last_day")), "DATE"), "DATE")


PARTS = ("year", "month", "day", "hour", "min", "sec")


def make_timestamp(node: exp.TimestampFromParts, ctx: Context) -> exp.Expression:
    given = [node.args.get(k) for k in PARTS]
    parts = [p for p in given if p is not None]
    # sqlglot keeps a seventh argument (the time zone) in `zone`, `milli` or `nano`, depending on the reader.
    extra = [v for k, v in node.args.items() if k not in PARTS and v is not None]
    if len(parts) < len(given) or len(extra) > 1:
        raise NotSupportedLocally("make_timestamp without six parts")
    made = call("spark_make_timestamp", *parts)
    return typed(_in_zone(made, extra[0], ctx, "make_timestamp") if extra else made, "TIMESTAMP")


def try_make_timestamp(node: exp.Anonymous, ctx: Context) -> exp.Expression:
    """try_make_timestamp(y, mo, d, h, mi, s [, zone]): make_timestamp, NULL for a field out of its range."""
    parts = arguments(node, 6, 7)
    made = call("spark_try_make_timestamp", *parts[:6])
    return typed(_in_zone(made, parts[6], ctx, "try_make_timestamp") if len(parts) == 7 else made, "TIMESTAMP")


def _in_zone(wall_clock: exp.Expression, zone: exp.Expression, ctx: Context, name: str) -> exp.Expression:
    """The instant a wall-clock time in `zone` names, as to_utc_timestamp finds it (Databricks answers the
    same for make_timestamp with a zone, at summer-time gaps and overlaps too)."""
    return call("spark_to_utc", wall_clock, _region_zone(zone, ctx, name))


# timestamp_seconds / _millis / _micros: microseconds per unit of the argument.
_EPOCH_UNITS = {"timestamp_seconds": 1_000_000, "timestamp_millis": 1_000, "timestamp_micros": 1}


def timestamp_from_epoch(node: exp.Anonymous, ctx: Context) -> exp.Expression:
    """The TIMESTAMP so many seconds, milliseconds or microseconds after 1970-01-01 00:00:00 UTC."""
    name = node.name.lower()
    (value,) = arguments(node, 1)
    kind = spark_type(value, ctx)
    if isinstance(value, exp.Null):
        return typed(cast_to(exp.Null(), "TIMESTAMP"), "TIMESTAMP")
    if kind is None or not is_integral(kind):
        # Databricks takes a DECIMAL or DOUBLE in timestamp_seconds (fractions of a second): not translated.
        raise NotSupportedLocally(f"{name} of a value that is not an integer", "CAST it to BIGINT")
    from dialect.casts import epoch_timestamp

    return epoch_timestamp(value, _EPOCH_UNITS[name])


def utc_timestamp(node: exp.Anonymous, ctx: Context) -> exp.Expression:
    """from_utc_timestamp(ts, zone): the wall-clock time in `zone` of the UTC time `ts`; to_utc_timestamp:
    the UTC time of the wall-clock time `ts` in `zone` (a time skipped by a change to summer time moves
    forward by the gap, one that occurs twice is the earlier instant). Both engines run in UTC, so a
    TIMESTAMP's wall clock is its UTC time."""
    name = node.name.lower()
    value, zone = arguments(node, 2)
    timestamp = _as_timestamp(value, ctx, name)
    checked = _region_zone(zone, ctx, name)
    if name == "from_utc_timestamp":
        return typed(_wall_clock_in(checked, timestamp), "TIMESTAMP")
    return typed(call("spark_to_utc", timestamp, checked), "TIMESTAMP")


def _region_zone(zone: exp.Expression, ctx: Context, name: str) -> exp.Expression:
    """A time zone argument both engines read alike, checked as it runs where it is not a literal."""
    zone_type = spark_type(zone, ctx)
    if zone_type not in ("VARCHAR", None) and not isinstance(zone, exp.Null):
        raise RejectedByDatabricks("DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE", f"{name} with a {zone_type} time zone")
    text = literal_string(zone)
    if text is not None and not re.fullmatch(_REGION_ZONE, text):
        raise NotSupportedLocally(f"{name} in the time zone {text!r}", "name a region such as America/New_York, or UTC")
    return zone if text is not None else call("spark_region_zone", zone)


def _wall_clock_in(zone: exp.Expression, utc: exp.Expression) -> exp.Expression:
    return duck("timezone({z}, CAST({t} AS TIMESTAMPTZ))", t=utc, z=zone)


def convert_timezone(node: exp.ConvertTimezone, ctx: Context) -> exp.Expression:
    """convert_timezone([source,] target, ts): the wall-clock time in `target` of the wall-clock time `ts`
    in `source` (the session's zone, UTC, when it is left out), a TIMESTAMP_NTZ. A time skipped by a
    change to summer time moves forward by the gap, one that occurs twice is the earlier instant, as in
    to_utc_timestamp. A string is read as a TIMESTAMP_NTZ (a zone or offset in it dropped)."""
    from dialect.casts import WITHOUT_TIME_ZONE, as_timestamp_ntz

    value = node.args["timestamp"]
    kind = spark_type(value, ctx)
    if kind is not None and kind not in ("TIMESTAMP", "DATE", "VARCHAR"):
        raise RejectedByDatabricks("DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE", f"convert_timezone of a {kind}")
    if kind == "VARCHAR":
        value = as_timestamp_ntz(value, ctx)
    timestamp = _as_timestamp(value, ctx, "convert_timezone")
    target = _region_zone(node.args["target_tz"], ctx, "convert_timezone")
    source = node.args.get("source_tz")
    utc = call("spark_to_utc", timestamp, _region_zone(source, ctx, "convert_timezone")) if source else timestamp
    result = typed(_wall_clock_in(target, utc), "TIMESTAMP")
    result.meta[WITHOUT_TIME_ZONE] = True
    return result


# unix_seconds / _millis / _micros: the name, and microseconds per unit of the result.
_UNIX_UNITS: dict[type[exp.Expression], tuple[str, int]] = {
    exp.UnixSeconds: ("unix_seconds", 1_000_000), exp.UnixMillis: ("unix_millis", 1_000),
    exp.UnixMicros: ("unix_micros", 1)}  # fmt: skip


def unix_time(node: exp.Expression, ctx: Context) -> exp.Expression:
    """The whole seconds, milliseconds or microseconds of a TIMESTAMP since 1970 (rounded down), a BIGINT."""
    name, unit = _UNIX_UNITS[type(node)]
    kind = spark_type(node.this, ctx)
    if kind != "TIMESTAMP":
        if kind is None:
            raise NotSupportedLocally(f"{name} of a value whose type is unknown", "CAST it to TIMESTAMP")
        raise RejectedByDatabricks("DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE", f"{name} of a {kind}")
    micros = call("epoch_us", node.this)
    return typed(micros if unit == 1 else call("spark_floor_div", micros, exp.Literal.number(unit)), "BIGINT")


def timestamp_add(node: exp.TimestampAdd, ctx: Context) -> exp.Expression:
    """timestampadd / dateadd / date_add(unit, n, ts): a TIMESTAMP, months clamped to the month's end."""
    unit = _unit(node)
    amount = node.expression
    kind = spark_type(amount, ctx)
    if not is_numeric(kind):
        raise NotSupportedLocally("timestampadd with an amount that is not a number")
    whole = amount if is_integral(kind) else call("trunc", amount)
    count: exp.Expression = cast_to(whole, "BIGINT")
    if unit == "QUARTER":
        count = exp.Mul(this=count, expression=exp.Literal.number(3))
    interval = call(
        _ADD_UNITS[unit],
        cast_to(count, "INTEGER") if unit in ("DAY", "DAYOFYEAR", "WEEK", "MONTH", "YEAR", "QUARTER") else count,
    )
    return typed(exp.Add(this=_as_timestamp(node.this, ctx, "timestampadd"), expression=interval), "TIMESTAMP")


def timestamp_diff(node: exp.TimestampDiff, ctx: Context) -> exp.Expression:
    """timestampdiff / datediff(unit, start, end): whole units from start to end, a BIGINT."""
    unit = _unit(node)
    end = _as_timestamp(node.this, ctx, "timestampdiff")
    start = _as_timestamp(node.expression, ctx, "timestampdiff")
    if unit in _MONTHS:
        months = call("spark_months_until", start, end)
        if _MONTHS[unit] == 1:
            return typed(months, "BIGINT")
        return typed(call("spark_toward_zero", months, exp.Literal.number(_MONTHS[unit])), "BIGINT")
    return typed(call("spark_micros_until", start, end, exp.Literal.number(_MICROS[unit])), "BIGINT")


def refuse_wide_day_count(kind: str | None) -> None:
    """Databricks takes a number of days to add to a DATE as an INT at most (DATE + n is date_add)."""
    if kind in ("BIGINT", "HUGEINT"):
        raise RejectedByDatabricks(
            "DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE",
            f"a {kind} number of days added to or taken from a DATE (date_add, date_sub and DATE +/- n take an INT)",
        )


def add_or_subtract(node: exp.Add | exp.Sub, ctx: Context) -> exp.Expression:
    """`+` and `-` where a DATE, TIMESTAMP or INTERVAL takes part; numbers are left as they are."""
    left, right = spark_type(node.this, ctx), spark_type(node.expression, ctx)
    subtract = isinstance(node, exp.Sub)
    sign = "-" if subtract else "+"
    if is_interval(left) and is_interval(right):
        # INTERVAL 1 DAY 2 HOURS is read as a sum of intervals; months and days do not mix.
        if (left == "INTERVAL YM") != (right == "INTERVAL YM"):
            raise RejectedByDatabricks("DATATYPE_MISMATCH", "a year-month interval mixed with a day-time one")
        return exp.Paren(this=node)  # one interval: ts - INTERVAL 1 DAY 2 HOURS subtracts both parts
    if is_interval(right):
        if left == "DATE":
            if right in ("INTERVAL YM", "INTERVAL D"):
                return typed(cast_to(node, "DATE"), "DATE")
            return typed(cast_to(node, "TIMESTAMP"), "TIMESTAMP")
        if left == "TIMESTAMP":
            return typed(cast_to(node, "TIMESTAMP"), "TIMESTAMP")
        raise NotSupportedLocally(f"{sign} INTERVAL on a value of unknown type", "CAST it to DATE or TIMESTAMP")
    if is_interval(left):
        if right in ("DATE", "TIMESTAMP") and not subtract:
            swapped = exp.Add(this=node.expression, expression=node.this)
            return add_or_subtract(typed(swapped, None), ctx)
        raise NotSupportedLocally("arithmetic on an interval")
    dates = ("DATE", "TIMESTAMP")
    if left in dates or right in dates:
        if left == "DATE" and is_integral(right):
            refuse_wide_day_count(right)
            days = cast_to(node.expression, "INTEGER")
            return typed(cast_to(duck("{d} " + sign + " {n}", d=node.this, n=days), "DATE"), "DATE")
        if right == "DATE" and is_integral(left) and not subtract:
            refuse_wide_day_count(left)
            days = cast_to(node.this, "INTEGER")
            return typed(cast_to(duck("{d} + {n}", d=node.expression, n=days), "DATE"), "DATE")
        if subtract and left == "DATE" and right == "DATE":
            return typed(call("to_days", cast_to(node, "INTEGER")), "INTERVAL D")
        if subtract and left in dates and right in dates:
            return typed(duck("CAST({a} AS TIMESTAMP) - CAST({b} AS TIMESTAMP)", a=node.this, b=node.expression),
                         "INTERVAL DT")  # fmt: skip
        if left is None or right is None:
            raise NotSupportedLocally(f"{sign} on a date and a value of unknown type", "CAST it to INT or DATE")
        raise RejectedByDatabricks("DATATYPE_MISMATCH.BINARY_OP_DIFF_TYPES", f"{left} {sign} {right}")
    if left == "VARCHAR" or right == "VARCHAR":
        raise NotSupportedLocally("arithmetic on strings", "CAST the string to a number")
    if left == "BOOLEAN" or right == "BOOLEAN":
        raise RejectedByDatabricks("DATATYPE_MISMATCH.BINARY_OP_DIFF_TYPES", f"{sign} on a BOOLEAN")
    return decimal_result(node, ctx)


def decimal_result(node: exp.Add | exp.Sub | exp.Mul, ctx: Context) -> exp.Expression:
    """DECIMAL arithmetic in Databricks' result type (its precision and scale, rounded half up)."""
    from dialect.decimals import exact_arithmetic, fits_natively
    from dialect.types import decimal_arithmetic_type, decimal_operands

    left, right = decimal_operands(node, spark_type(node.this, ctx), spark_type(node.expression, ctx))
    operator = "*" if isinstance(node, exp.Mul) else "+"
    result = decimal_arithmetic_type(operator, left, right)
    if result is not None and not fits_natively(operator, left, right, result):
        operator = "-" if isinstance(node, exp.Sub) else operator
        return exact_arithmetic(operator, node.this, node.expression, left, right, result)
    if result is None:
        from dialect.numbers import widen_operands

        node.set("this", widen_operands([node.this], spark_type(node, ctx), ctx)[0])
        node.set("expression", widen_operands([node.expression], spark_type(node, ctx), ctx)[0])
        return node
    _widen_past_64_bits(node, left, right)
    return typed(cast_to(node, result), result)


def _widen_past_64_bits(node: exp.Add | exp.Sub | exp.Mul, left: str, right: str) -> None:
    """DuckDB adds or multiplies two DECIMALs of at most 18 digits in 64 bits, in at most 18 digits:
    a product or sum that needs more fails (`(-0.5 + 1700000000) * 2147483647` overflows, and in
    `1700000000 - 3.14159265358979` the integer does not fit a DECIMAL(18,14)). The left operand is
    then widened to 19 digits, so that DuckDB computes in 128 bits and up to 38 digits."""
    (p1, s1), (p2, s2) = decimal_parts(left), decimal_parts(right)
    needed = p1 + p2 if isinstance(node, exp.Mul) else max(p1 - s1, p2 - s2) + max(s1, s2) + 1
    if p1 <= 18 and p2 <= 18 and needed > 18:
        node.set("this", cast_to(node.this, f"DECIMAL(19, {s1})"))


# extract / date_part fields, as the Databricks reference names them, to DuckDB functions.
_FIELDS = {
    **dict.fromkeys(("YEAR", "Y", "YEARS", "YR", "YRS"), "year"),
    **dict.fromkeys(("QUARTER", "QTR"), "quarter"),
    **dict.fromkeys(("MONTH", "MON", "MONS", "MONTHS"), "month"),
    **dict.fromkeys(("WEEK", "W", "WEEKS"), "weekofyear"),
    **dict.fromkeys(("DAY", "D", "DAYS"), "day"),
    **dict.fromkeys(("DAYOFWEEK", "DOW"), "spark_dayofweek"),
    **dict.fromkeys(("DAYOFWEEK_ISO", "DOW_ISO"), "isodow"),
    "DOY": "dayofyear",
    **dict.fromkeys(("HOUR", "H", "HOURS", "HR", "HRS"), "hour"),
    **dict.fromkeys(("MINUTE", "M", "MIN", "MINS", "MINUTES"), "minute"),
}
_SECOND_FIELDS = ("SECOND", "S", "SEC", "SECONDS", "SECS")


def _field(field: str, value: exp.Expression, ctx: Context, construct: str) -> exp.Expression:
    kind = spark_type(value, ctx)
    if kind not in ("DATE", "TIMESTAMP", "VARCHAR", None):
        raise RejectedByDatabricks("DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE", f"{construct} of a {kind}")
    upper = field.upper()
    if upper in _SECOND_FIELDS:
        # Seconds with their fraction, DECIMAL(8,6).
        micros = duck("date_part('microseconds', CAST({t} AS TIMESTAMP))", t=value)
        return typed(cast_to(duck("CAST({m} AS DECIMAL(8,0)) * 0.000001", m=micros), "DECIMAL(8,6)"), "DECIMAL(8,6)")
    if upper not in _FIELDS:
        raise NotSupportedLocally(f"{construct}({field})")
    function = _FIELDS[upper]
    from dialect.casts import as_date, as_timestamp

    argument = value if kind in ("DATE", "TIMESTAMP") else as_timestamp(value, ctx, construct)
    if function in ("spark_dayofweek",):
        argument = as_date(value, ctx, construct)
    return typed(cast_to(call(function, argument), "INTEGER"), "INTEGER")


def extract(node: exp.Extract, ctx: Context) -> exp.Expression:
    return _field(node.this.name, node.expression, ctx, "extract")


def date_part(node: exp.Anonymous, ctx: Context) -> exp.Expression:
    field = literal_string(node.expressions[0])
    if field is None:
        raise NotSupportedLocally("date_part with a field that is not a string literal")
    return _field(field, node.expressions[1], ctx, "date_part")


_TRUNC_UNITS = {"YEAR": "year", "YYYY": "year", "YY": "year", "QUARTER": "quarter", "MONTH": "month", "MM": "month",
                "MON": "month", "WEEK": "week"}  # fmt: skip
_DATE_TRUNC_UNITS = {**_TRUNC_UNITS, "DAY": "day", "DD": "day", "HOUR": "hour", "MINUTE": "minute",
                     "SECOND": "second", "MILLISECOND": "millisecond", "MICROSECOND": "microsecond"}  # fmt: skip


def trunc(node: exp.Anonymous, ctx: Context) -> exp.Expression:
    """trunc(date, fmt): a DATE; NULL for a format trunc does not know (such as 'Q' or 'DD')."""
    if len(node.expressions) != 2:
        raise NotSupportedLocally("trunc of a number", "use floor or round")
    value, unit = node.expressions
    kind = spark_type(value, ctx)
    if is_numeric(kind):
        raise NotSupportedLocally("trunc of a number", "use floor or round")
    name = literal_string(unit)
    if name is None:
        raise NotSupportedLocally("trunc(date, fmt) with a format that is not a string literal")
    if name.upper() not in _TRUNC_UNITS:
        return typed(cast_to(exp.Null(), "DATE"), "DATE")
    from dialect.casts import as_date

    date = as_date(value, ctx, "trunc")
    return typed(cast_to(call("date_trunc", exp.Literal.string(_TRUNC_UNITS[name.upper()]), date), "DATE"), "DATE")


def date_trunc(node: exp.Anonymous, ctx: Context) -> exp.Expression:
    """date_trunc(fmt, ts): a TIMESTAMP; NULL for a format it does not know."""
    unit, value = node.expressions
    name = literal_string(unit)
    if name is None:
        raise NotSupportedLocally("date_trunc with a format that is not a string literal")
    if name.upper() not in _DATE_TRUNC_UNITS:
        return typed(cast_to(exp.Null(), "TIMESTAMP"), "TIMESTAMP")
    stamp = _as_timestamp(value, ctx, "date_trunc")
    return typed(call("date_trunc", exp.Literal.string(_DATE_TRUNC_UNITS[name.upper()]), stamp), "TIMESTAMP")
