"""DuckDB functions with Databricks semantics, installed on a connection before translated SQL runs.

The translator (`dialect.translate`) rewrites a Databricks function or operator whose DuckDB
namesake means something else into a call of one of these. They are TEMP macros (gone with the
connection, never written to the lakehouse file) and, where SQL cannot express the algorithm,
Python functions (`xxhash64`).
"""

from __future__ import annotations

import duckdb

# Error texts carry Databricks' error class in brackets, so a handler for DIVIDE_BY_ZERO can match.
_DIVIDE_BY_ZERO = "[DIVIDE_BY_ZERO] Division by zero. Use try_divide to tolerate divisor being 0 and return NULL."
_REMAINDER_BY_ZERO = "[REMAINDER_BY_ZERO] Remainder by zero. Use try_mod to tolerate divisor being 0 and return NULL."
# As Databricks divides: the divisor first (NULL: the dividend is not evaluated), then the dividend.
_DIVISOR_FIRST = "CASE WHEN b IS NULL THEN NULL WHEN a IS NULL THEN NULL"

# The characters Databricks ignores around the text it casts: to an integer, DATE, TIMESTAMP or
# BOOLEAN every ASCII control character and the space (UTF8String's whitespace-or-ISO-control
# trim); to DOUBLE, FLOAT or DECIMAL those up to the space only (Java's String.trim).
# One literal holds them (only NUL cannot be written in one): every cast macro inlines this text,
# and as 33 chr() calls it made binding those macros, and each query using them, ten times slower.
_CONTROLS_AND_SPACE = "chr(0) || '" + "".join(chr(code) for code in range(1, 0x21)) + "'"
_TRIM_MACROS = {
    "spark_trim_controls(s)": f"trim(s, {_CONTROLS_AND_SPACE} || chr(127))",
    "spark_java_trim(s)": f"trim(s, {_CONTROLS_AND_SPACE})",
}

# An integral cast with Databricks' meaning (ANSI mode) whatever the operand's type: fractional
# numbers truncate toward zero, strings must spell an integer (surrounding controls allowed), booleans
# are 0/1, a TIMESTAMP is its whole seconds since 1970; another type fails, NULL or not, as Databricks
# rejects the statement. Every branch only reads `CAST(x AS VARCHAR)`, so it binds for any operand type;
# `typeof` is a constant, so the branch is chosen once per query.
_TO_INTEGRAL = """CASE
  WHEN typeof(x) NOT IN ('TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'HUGEINT', 'UTINYINT', 'USMALLINT', 'UINTEGER',
                         'UBIGINT', 'DOUBLE', 'FLOAT', 'BOOLEAN', 'VARCHAR', 'TIMESTAMP', '"NULL"')
       AND typeof(x) NOT LIKE 'DECIMAL%'
    THEN error('[DATATYPE_MISMATCH] cannot cast ' || typeof(x) || ' to {name}')
  WHEN x IS NULL THEN NULL
  WHEN typeof(x) = 'TIMESTAMP'
    THEN coalesce(TRY_CAST(spark_whole_seconds(CAST(CAST(x AS VARCHAR) AS TIMESTAMP)) AS {t}),
      error('[CAST_OVERFLOW] The value ' || CAST(x AS VARCHAR) || ' of the type "TIMESTAMP" cannot be cast to '
            || '"{name}" due to an overflow. Use `try_cast` to tolerate overflow and return NULL instead.'))
  WHEN typeof(x) IN ('TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'HUGEINT', 'UTINYINT', 'USMALLINT', 'UINTEGER',
                     'UBIGINT') THEN CAST(CAST(x AS VARCHAR) AS {t})
  WHEN typeof(x) LIKE 'DECIMAL%' THEN CAST(split_part(CAST(x AS VARCHAR), '.', 1) AS {t})
  WHEN typeof(x) IN ('DOUBLE', 'FLOAT') THEN CAST(trunc(CAST(CAST(x AS VARCHAR) AS DOUBLE)) AS {t})
  WHEN typeof(x) = 'BOOLEAN' THEN CAST(CAST(x AS VARCHAR) = 'true' AS {t})
  WHEN typeof(x) = 'VARCHAR' AND regexp_full_match(spark_trim_controls(CAST(x AS VARCHAR)), '[+-]?[0-9]+')
    THEN CAST(spark_trim_controls(CAST(x AS VARCHAR)) AS {t})
  WHEN typeof(x) = 'VARCHAR' THEN error('[CAST_INVALID_INPUT] The value ''' || CAST(x AS VARCHAR)
    || ''' of the type "STRING" cannot be cast to "{name}" because it is malformed.')
  ELSE error('[DATATYPE_MISMATCH] cannot cast ' || typeof(x) || ' to {name}')
END"""

# try_cast(string AS <integral>): NULL where the string does not spell an integer in range.
_TRY_INTEGRAL = (
    "CASE WHEN regexp_full_match(spark_trim_controls(x), '[+-]?[0-9]+') "
    "THEN TRY_CAST(spark_trim_controls(x) AS {t}) END"
)

MACROS: dict[str, str] = {
    # Java's Math.floorDiv: DuckDB's // rounds toward zero, so an instant before 1970 would round up.
    "spark_floor_div(x, d)": "(x - ((x % d) + d) % d) // d",
    # A TIMESTAMP's whole seconds since 1970, rounded down (an instant before 1970 too).
    "spark_whole_seconds(t)": "spark_floor_div(epoch_us(t), 1000000)",
    **_TRIM_MACROS,
    # An integer rounded half to even to a multiple of q (a power of ten), exactly: DuckDB's round_even
    # goes through a DOUBLE.
    "spark_half_even(u, q)": """sign(u) * (abs(u) // q + CASE WHEN 2 * (abs(u) % q) > q THEN 1
        WHEN 2 * (abs(u) % q) < q THEN 0 ELSE (abs(u) // q) % 2 END) * q""",
    # A NULL operand gives NULL before a zero divisor fails, as in Databricks.
    "spark_divide(a, b)": f"{_DIVISOR_FIRST} WHEN b = 0 THEN error('{_DIVIDE_BY_ZERO}') ELSE a / b END",
    "spark_int_divide(a, b)": f"{_DIVISOR_FIRST} WHEN b = 0 THEN error('{_DIVIDE_BY_ZERO}') "
    "ELSE CAST(a // b AS BIGINT) END",
    # Java's BigDecimal.longValue of an integer q: its low 64 bits, as Databricks' DIV of DECIMALs takes
    # a quotient past the BIGINT range (it wraps around, no error).
    "spark_long_value(q)": """CAST(((q + CAST(9223372036854775808 AS HUGEINT)) % CAST(18446744073709551616 AS HUGEINT)
        + CAST(18446744073709551616 AS HUGEINT)) % CAST(18446744073709551616 AS HUGEINT)
        - CAST(9223372036854775808 AS HUGEINT) AS BIGINT)""",
    "spark_frac_divide(a, b)": f"{_DIVISOR_FIRST} WHEN b = 0 THEN error('{_DIVIDE_BY_ZERO}') "
    "ELSE CAST(trunc(a / b) AS BIGINT) END",
    # Java's remainder: the smallest INT or BIGINT % -1 is 0 (DuckDB's division overflows); x % -1 is x % 1.
    "spark_rem(a, b)": "CASE WHEN b = -1 THEN a % 1 ELSE a % b END",
    "spark_mod(a, b)": f"{_DIVISOR_FIRST} WHEN b = 0 THEN error('{_REMAINDER_BY_ZERO}') ELSE spark_rem(a, b) END",
    "spark_pmod(a, b)": f"{_DIVISOR_FIRST} WHEN b = 0 THEN error('{_REMAINDER_BY_ZERO}') "
    "WHEN spark_rem(a, b) < 0 THEN spark_rem(spark_rem(a, b) + b, b) ELSE spark_rem(a, b) END",
    # Java's Math.pow where it differs from C's: a NaN exponent, and |base| = 1 to an infinite power.
    "spark_pow(a, b)": """CASE WHEN a IS NULL THEN NULL WHEN b IS NULL THEN NULL WHEN b = 0 THEN CAST(1 AS DOUBLE)
        WHEN isnan(CAST(b AS DOUBLE)) THEN CAST('NaN' AS DOUBLE)
        WHEN abs(a) = 1 AND isinf(CAST(b AS DOUBLE)) THEN CAST('NaN' AS DOUBLE) ELSE pow(a, b) END""",
    "spark_to_tinyint(x)": _TO_INTEGRAL.format(t="TINYINT", name="TINYINT"),
    "spark_to_smallint(x)": _TO_INTEGRAL.format(t="SMALLINT", name="SMALLINT"),
    "spark_to_int(x)": _TO_INTEGRAL.format(t="INTEGER", name="INT"),
    "spark_to_bigint(x)": _TO_INTEGRAL.format(t="BIGINT", name="BIGINT"),
    # Databricks: 1 = Sunday ... 7 = Saturday; weekday: 0 = Monday ... 6 = Sunday.
    "spark_dayofweek(d)": "isodow(d) % 7 + 1",
    "spark_weekday(d)": "isodow(d) - 1",
    # months_between: whole months when both days are equal or both are month ends, else the day and
    # time difference over a 31-day month; rounded to 8 digits unless roundOff is false.
    # The time of day counts in whole seconds, as Spark computes it.
    "spark_months_between_raw(t1, t2)": """CASE
        WHEN day(t1) = day(t2) OR (day(t1) = day(last_day(t1)) AND day(t2) = day(last_day(t2)))
          THEN CAST((year(t1) - year(t2)) * 12 + month(t1) - month(t2) AS DOUBLE)
        ELSE (year(t1) - year(t2)) * 12 + month(t1) - month(t2)
          + (day(t1) - day(t2)) / 31.0
          + (floor(epoch(CAST(t1 AS TIMESTAMP)) - epoch(date_trunc('day', CAST(t1 AS TIMESTAMP))))
             - floor(epoch(CAST(t2 AS TIMESTAMP)) - epoch(date_trunc('day', CAST(t2 AS TIMESTAMP))))) / (31.0 * 86400)
        END""",
    "spark_months_between(t1, t2, round_off)": """CASE WHEN t1 IS NULL THEN NULL WHEN t2 IS NULL THEN NULL
        WHEN round_off THEN round(spark_months_between_raw(t1, t2), 8) ELSE spark_months_between_raw(t1, t2) END""",
    # try_element_at: NULL where element_at fails for an index out of bounds (index 0 fails for both).
    "spark_try_element_at(a, i)": """CASE
        WHEN a IS NULL THEN NULL WHEN i IS NULL THEN NULL
        WHEN i = 0 THEN error('[INVALID_INDEX_OF_ZERO] The index 0 is invalid. An index shall be either < 0 or > 0 '
                              || '(the first element has index 1).')
        WHEN abs(i) > len(a) THEN NULL
        WHEN i > 0 THEN a[i] ELSE a[len(a) + 1 + i] END""",
    "spark_element_at(a, i)": """CASE
        WHEN i <> 0 AND abs(i) > len(a) THEN error('[INVALID_ARRAY_INDEX_IN_ELEMENT_AT] The index ' || i
                                                   || ' is out of bounds. The array has ' || len(a) || ' elements.')
        ELSE spark_try_element_at(a, i) END""",
    # get(array, index): from 0, NULL out of bounds.
    "spark_array_get(a, i)": """CASE
        WHEN a IS NULL OR i IS NULL OR i < 0 OR i >= len(a) THEN NULL
        ELSE a[i + 1] END""",
    "spark_array_index(a, i)": """CASE
        WHEN i < 0 OR i >= len(a) THEN error('[INVALID_ARRAY_INDEX] The index ' || i
                                             || ' is out of bounds. The array has ' || len(a) || ' elements.')
        ELSE spark_array_get(a, i) END""",
    "spark_map_value(m, k)": """CASE
        WHEN m IS NULL THEN NULL WHEN k IS NULL THEN NULL
        WHEN NOT contains(map_keys(m), k) THEN NULL
        ELSE m[k] END""",
    "spark_substring(s, p, l)": """CASE
        WHEN s IS NULL THEN NULL WHEN p IS NULL THEN NULL WHEN l IS NULL THEN NULL
        WHEN l <= 0 THEN ''
        WHEN p > 0 THEN substring(s, p, l)
        WHEN p = 0 THEN substring(s, 1, l - 1 + 1)
        WHEN length(s) + p < 0 THEN substring(s, 1, greatest(l + length(s) + p, 0))
        ELSE substring(s, length(s) + p + 1, l) END""",
    "spark_substring_from(s, p)": """CASE
        WHEN s IS NULL THEN NULL WHEN p IS NULL THEN NULL
        WHEN p > 0 THEN substring(s, p)
        WHEN p = 0 THEN s
        WHEN length(s) + p < 0 THEN substring(s, 1, greatest(length(s) + p + 2147483647, 0))
        ELSE substring(s, length(s) + p + 1) END""",
    "spark_float_to_string(x)": "CASE WHEN x IS NULL THEN NULL WHEN isnan(x) THEN 'NaN' ELSE spark_java_float(x) END",
    "spark_double_to_string(x)": """CASE
        WHEN x IS NULL THEN NULL
        WHEN isnan(x) THEN 'NaN'
        WHEN isinf(x) THEN CASE WHEN x > 0 THEN 'Infinity' ELSE '-Infinity' END
        WHEN x = 0 THEN CASE WHEN CAST(x AS VARCHAR) LIKE '-%' THEN '-0.0' ELSE '0.0' END
        ELSE spark_java_double(x) END""",
    # StrictMath's logarithm to the last bit (dialect/strictmath.py); a NaN is answered here, since DuckDB
    # reads a NaN that a Python function returns as NULL.
    "spark_strict_ln(x)": "CASE WHEN isnan(x) THEN x ELSE spark_java_log(x) END",
    # The base first: NULL stops there; otherwise x is evaluated (and fails on its error) before either
    # is compared with 0 (`IS NOT DISTINCT FROM`, which DuckDB does not fold away).
    "spark_log(b, x)": """CASE WHEN b IS NULL THEN NULL WHEN x IS NOT DISTINCT FROM NULL THEN NULL
        WHEN b <= 0 OR x <= 0 THEN NULL
        ELSE spark_strict_ln(CAST(x AS DOUBLE)) / spark_strict_ln(CAST(b AS DOUBLE)) END""",
    "spark_ln(x)": "CASE WHEN x <= 0 THEN NULL ELSE spark_strict_ln(CAST(x AS DOUBLE)) END",
    "spark_log10(x)": """CASE WHEN x <= 0 THEN NULL WHEN isnan(CAST(x AS DOUBLE)) THEN CAST(x AS DOUBLE)
        ELSE spark_java_log10(CAST(x AS DOUBLE)) END""",
    "spark_cbrt(x)": "CASE WHEN isnan(x) THEN x ELSE spark_java_cbrt(x) END",
    "spark_log2(x)": "CASE WHEN x <= 0 THEN NULL ELSE spark_strict_ln(CAST(x AS DOUBLE)) / spark_java_log(2.0) END",
    "spark_sqrt(x)": "CASE WHEN x < 0 THEN CAST('NaN' AS DOUBLE) ELSE sqrt(x) END",
    # Whole seconds toward zero, as Databricks divides microseconds (a fraction before 1970 is dropped).
    "spark_unix_timestamp(t)": "epoch_us(CAST(t AS TIMESTAMP)) // 1000000",
    # The default pattern yyyy-MM-dd HH:mm:ss is strict: a date alone, a 'T' or a fraction fail.
    "spark_default_pattern_text(s)": r"""CASE WHEN s IS NULL THEN NULL
        WHEN regexp_full_match(s, '\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}') THEN s
        ELSE error('[CANNOT_PARSE_TIMESTAMP] Text ''' || s || ''' could not be parsed with the pattern '
                   || 'yyyy-MM-dd HH:mm:ss') END""",
    # Seconds as microseconds the way from_unixtime multiplies them: in 64 bits, wrapping around past
    # the range (from_unixtime of the largest BIGINT is 1969-12-31 23:59:59).
    "spark_wrapped_micros(s)": """CAST(((CAST(s AS HUGEINT) * 1000000 + 9223372036854775808) % 18446744073709551616
        + 18446744073709551616) % 18446744073709551616 - 9223372036854775808 AS BIGINT)""",
    # A string beside a value whose type the translation could not tell (dialect/typecheck.py).
    "spark_string_beside_unknown(u, s)": """CASE WHEN typeof(u) IN ('VARCHAR', '"NULL"') THEN s
        ELSE error('[UNSUPPORTED] a string beside a value whose type the local target could not tell (here '
                   || typeof(u) || ') in a comparison, IN, CASE or coalesce is not supported on the local target; '
                   || 'CAST one of them') END""",
    # The kind of a type as typeof writes it: 'numeric', 'string', 'boolean', 'datetime' (NULL for others).
    "spark_value_class(t)": """CASE WHEN t IN ('TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'HUGEINT', 'FLOAT', 'DOUBLE')
          OR t LIKE 'DECIMAL%' THEN 'numeric'
        WHEN t = 'VARCHAR' THEN 'string' WHEN t = 'BOOLEAN' THEN 'boolean'
        WHEN t IN ('DATE', 'TIMESTAMP', 'TIMESTAMP WITH TIME ZONE') THEN 'datetime' END""",
    # A value of a type the translation could not tell beside values of one kind ('numeric', 'datetime' or
    # 'boolean'): a string is refused (Databricks would cast it), another kind fails as Databricks fails.
    "spark_unknown_beside_typed(u, kind)": """CASE
        WHEN typeof(u) = 'VARCHAR' THEN error('[UNSUPPORTED] a string of a type the local target could not '
             || 'tell beside a number, date or boolean in a comparison, IN, CASE or coalesce is not supported on '
             || 'the local target; CAST it')
        WHEN typeof(u) = '"NULL"' OR spark_value_class(typeof(u)) = kind THEN u
        ELSE error('[DATATYPE_MISMATCH.BINARY_OP_DIFF_TYPES] a value of type ' || typeof(u) || ' beside a '
             || kind || ' value: the types differ') END""",
    # v, or the error Databricks reports before running anything where a branch u of a type the translation
    # could not tell has another kind than the other branches'; typeof(u) does not evaluate u.
    "spark_kinds_meet(v, u, kind)": """CASE
        WHEN typeof(u) IN ('"NULL"', 'VARCHAR') OR spark_value_class(typeof(u)) = kind THEN v
        ELSE error('[DATATYPE_MISMATCH.DATA_DIFF_TYPES] a value of type ' || typeof(u) || ' beside a '
             || kind || ' value: the types differ') END""",
    # base64 writes lines of 76 characters ended by CR LF, as Java's MIME encoder (Databricks'
    # spark.sql.chunkBase64String.enabled, on by default).
    "spark_base64(b)": r"""rtrim(regexp_replace(to_base64(b), '(.{76})', '\1' || chr(13) || chr(10), 'g'),
        chr(13) || chr(10))""",
    "spark_divide_checked(a, b)": f"""CASE
        WHEN b IS NULL THEN NULL
        WHEN a IS NULL THEN NULL
        WHEN typeof(a) LIKE 'DECIMAL%' OR typeof(b) LIKE 'DECIMAL%' THEN error('[UNSUPPORTED] DECIMAL division of '
             || 'operands whose types the local target cannot tell is not supported on the local target; CAST them '
             || 'to DECIMAL(p, s) or DOUBLE')
        WHEN b = 0 THEN error('{_DIVIDE_BY_ZERO}')
        ELSE CAST(a AS DOUBLE) / CAST(b AS DOUBLE) END""",
    # n / d rounded half away from zero, exactly, on 128-bit integers.
    "spark_div_half_up(n, d)": """CASE WHEN (n < 0) = (d < 0) THEN (2 * abs(n) + abs(d)) // (2 * abs(d))
        ELSE -((2 * abs(n) + abs(d)) // (2 * abs(d))) END""",
    # Java writes years outside 1-9999 as ISO-8601 does: 1 BC is 0000, 2 BC is -0001, then +10000.
    "spark_year_text(y)": "CASE WHEN y < 0 THEN '-' WHEN y > 9999 THEN '+' ELSE '' END "
    "|| lpad(CAST(abs(y) AS VARCHAR), CAST(greatest(4, length(CAST(abs(y) AS VARCHAR))) AS INTEGER), '0')",
    "spark_datetime_text(text, y)": r"""CASE WHEN y BETWEEN 1 AND 9999 THEN text
        ELSE regexp_replace(replace(text, ' (BC)', ''), '^\d+', spark_year_text(y)) END""",
    "spark_date_to_string(d)": "spark_datetime_text(CAST(d AS VARCHAR), year(d))",
    "spark_timestamp_text(t)": "spark_datetime_text(CAST(t AS VARCHAR), year(t))",
    "spark_timestamp_to_string(t)": "spark_timestamp_text(CAST(t AS TIMESTAMP))",
    "spark_to_string(x)": """CASE
        WHEN typeof(x) = 'DOUBLE' THEN spark_double_to_string(CAST(CAST(x AS VARCHAR) AS DOUBLE))
        WHEN typeof(x) = 'FLOAT' THEN spark_float_to_string(CAST(CAST(x AS VARCHAR) AS FLOAT))
        WHEN typeof(x) LIKE 'MAP%' OR typeof(x) LIKE 'STRUCT%' OR typeof(x) LIKE '%[]' OR typeof(x) = 'BLOB'
          OR typeof(x) = 'INTERVAL'
          THEN error('[UNSUPPORTED] CAST of a ' || typeof(x) || ' value to STRING is not supported on the local '
                     || 'target; run it on Databricks')
        ELSE CAST(x AS VARCHAR) END""",
    # An array's text: its elements' texts in brackets, NULL written as null. An element that is itself an
    # array, a struct or a map is refused by spark_to_string.
    "spark_list_to_string(a)": "'[' || array_to_string(list_transform(a, e -> coalesce(spark_to_string(e), 'null')), "
    "', ') || ']'",
    "spark_slice(a, s, l)": """CASE
        WHEN a IS NULL THEN NULL WHEN s IS NULL THEN NULL WHEN l IS NULL THEN NULL
        WHEN s = 0 THEN error('[INVALID_PARAMETER_VALUE.START] The value of parameter start is invalid: 0')
        WHEN l < 0 THEN error('[INVALID_PARAMETER_VALUE.LENGTH] The value of parameter length is invalid: ' || l)
        WHEN l = 0 OR s > len(a) OR len(a) + s < 0 THEN list_filter(a, x -> false)
        WHEN s > 0 THEN list_slice(a, s, s + l - 1)
        ELSE list_slice(a, len(a) + s + 1, len(a) + s + l) END""",
    # First occurrences, in order, as Databricks keeps them (DuckDB's list_distinct does not keep order).
    "spark_array_distinct(a)": "list_filter(a, (x, i) -> list_position(a, x) = i)",
    "spark_try_to_int(x)": _TRY_INTEGRAL.format(t="INTEGER"),
    "spark_try_to_bigint(x)": _TRY_INTEGRAL.format(t="BIGINT"),
    "spark_try_to_smallint(x)": _TRY_INTEGRAL.format(t="SMALLINT"),
    "spark_try_to_tinyint(x)": _TRY_INTEGRAL.format(t="TINYINT"),
    # width_bucket: Databricks computes the bucket in DOUBLE and answers a BIGINT, so integers past 2^31
    # do not overflow (nor does n + 1 for the largest INT n). n is taken as a BIGINT, a DECIMAL or
    # DOUBLE n cut toward zero (30.5 buckets are 30).
    "spark_width_bucket(v, lo, hi, n)": """CASE
        WHEN v IS NULL THEN NULL WHEN lo IS NULL THEN NULL WHEN hi IS NULL THEN NULL WHEN n IS NULL THEN NULL
        WHEN trunc(n) <= 0 OR lo = hi THEN NULL
        WHEN isnan(CAST(v AS DOUBLE)) OR isnan(CAST(lo AS DOUBLE)) OR isnan(CAST(hi AS DOUBLE))
          OR isinf(CAST(lo AS DOUBLE)) OR isinf(CAST(hi AS DOUBLE)) THEN NULL
        WHEN lo < hi AND v < lo THEN 0 WHEN lo < hi AND v >= hi THEN CAST(trunc(n) AS BIGINT) + 1
        WHEN lo > hi AND v > lo THEN 0 WHEN lo > hi AND v <= hi THEN CAST(trunc(n) AS BIGINT) + 1
        ELSE CAST(floor(CAST(trunc(n) AS DOUBLE) * (CAST(v AS DOUBLE) - CAST(lo AS DOUBLE))
          / (CAST(hi AS DOUBLE) - CAST(lo AS DOUBLE))) AS BIGINT) + 1 END""",
    # xxhash64(a, b, ...): Spark's XXH64, seed 42, each argument hashed with the previous hash as seed.
    "spark_xxhash64_step(seed, x)": "spark_xxh64(seed, typeof(x), CAST(x AS VARCHAR))",
    # hash(a, b, ...): Spark's Murmur3 (x86, 32 bits), chained the same way.
    "spark_hash_step(seed, x)": "spark_murmur3(seed, typeof(x), CAST(x AS VARCHAR))",
    # An array: its elements chained in order, as separate arguments would be (NULL elements skipped; a NULL
    # array leaves the seed as it is).
    "spark_xxhash64_elements_step(seed, a)": r"""spark_xxh64_elements(seed, regexp_replace(typeof(a), '\[\]$', ''),
        list_transform(a, e -> CAST(e AS VARCHAR)))""",
    "spark_hash_elements_step(seed, a)": r"""spark_murmur3_elements(seed, regexp_replace(typeof(a), '\[\]$', ''),
        list_transform(a, e -> CAST(e AS VARCHAR)))""",
}


def install(conn: duckdb.DuckDBPyConnection) -> None:
    """Create the functions on `conn`; safe to call again."""
    from dialect import aggregates, arrays, bits, casts, datetimes, jsonfunctions, numbers, strings
    from dialect.binary import install_binary_functions
    from dialect.decimals import install_decimal_functions
    from dialect.hashing import install_hashes
    from dialect.javafunctions import install_java_functions
    from dialect.variant import install_variant_functions

    install_hashes(conn)
    install_java_functions(conn)
    install_binary_functions(conn)
    install_variant_functions(conn)
    install_decimal_functions(conn)
    jsonfunctions.install_json_functions(conn)
    everything = {**MACROS}
    for module in (strings, numbers, bits, datetimes, arrays, jsonfunctions, aggregates, casts):
        everything.update(getattr(module, "MACROS", {}))
    for signature, body in everything.items():
        conn.execute(f"CREATE OR REPLACE TEMP MACRO {signature} AS ({body})")
