"""Expressions, queries and scripts nobody wrote into the corpus, generated to look for different answers.

Each function the translator admits is called with edge inputs (NULL, empty strings, zero and
negative numbers, values at .5, leap days, month ends, the ends of a day, unicode, empty arrays),
operators and casts are combined across the types the translator admits, and aggregates and window
functions run over small VALUES tables with NULLs and ties. Arguments are literals or, in a share of
the cases, columns of a one-row VALUES table, since the translator treats the two differently.

    .venv/bin/python -m tests.fidelity.generated --seed 1 --count 4000    # prints the figures and every
                                                                         # case that is not equal

`tests/fidelity/test_generated.py` runs a fixed share of it in CI.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass

from tests.fidelity.corpus import Case, expression_case

# -- inputs, as Databricks SQL literals ---------------------------------------------------------------

POOLS: dict[str, list[str]] = {
    "int": ["0", "1", "-1", "2", "3", "7", "-7", "10", "100", "255", "256", "65", "2147483647", "-2147483647",
            "CAST(NULL AS INT)"],
    # small integers: positions, lengths, counts, scales
    "pos": ["0", "1", "2", "3", "-1", "-2", "5", "10", "-10", "CAST(NULL AS INT)"],
    # Array indexes: Spark 4.3 reads a NULL index column of an inline table as 0 (a defect of the
    # oracle, not Databricks' behaviour), so a NULL index is only written as a literal.
    "index": ["0", "1", "2", "3", "-1", "5"],
    "bigint": ["CAST(0 AS BIGINT)", "CAST(-1 AS BIGINT)", "3000000000", "-3000000000", "9223372036854775807",
               "1700000000", "CAST(NULL AS BIGINT)"],
    "decimal": ["2.5", "-2.5", "0.5", "-0.5", "1.005", "0.00", "123.456", "99999.99", "1.50", "0.1", "-0.1",
                "1234567.891", "CAST(NULL AS DECIMAL(5,2))", "CAST(7 AS DECIMAL(10,0))", "3.14159265358979"],
    "double": ["2.5D", "-2.5D", "0.5D", "1.005D", "0.0D", "-0.0D", "1e20", "1e-7", "3.14159D", "123456789.125D",
               "CAST('NaN' AS DOUBLE)", "CAST('Infinity' AS DOUBLE)", "CAST(NULL AS DOUBLE)", "-1.5E10", "0.1D",
               "100.0D"],
    "string": ["''", "'abc'", "' a b '", "'Hello World'", "'héllo'", "'日本語'", "'a,b,,c'", "'123'", "'-7'",
               "'12.5'", "'x%_y'", "'ß'", "'İstanbul'", "'o''neil-smith'", "'  '", "CAST(NULL AS STRING)",
               "'ABC def'", "'true'", "'2024-02-29'", "'2025-02-30'", "'2025-03-01 10:11:12'", "'NaN'", "'a'",
               "'Straße'", "'ǅemal'", "'1e3'", "' 42 '", "'yes'", "'1d'", "'0x1F'", "'1_000'", "'2025/01/01'",
               "'2025'", "'2025-3-1'", "' 2025-03-01 '", "'2025-03-01T10:11'", "'2025-03-01 10:11:12+01:00'",
               "'2025-03-01 10:11:12Z'", "'2025-03-01 25:00:00'", "'2025-03-01 10:11:12.1234567'", "'-0.005'",
               "'Infinity'", "'-inf'", "'.5'", "'5.'", "'+5'", "'1.0'", "'9999999999'", "'T'", "'no'"],
    "date": ["DATE'2024-02-29'", "DATE'2025-01-31'", "DATE'2025-12-31'", "DATE'1970-01-01'", "DATE'2025-03-01'",
             "DATE'1999-12-31'", "DATE'2000-02-28'", "DATE'2025-06-15'", "CAST(NULL AS DATE)", "DATE'1900-01-01'",
             "DATE'2025-01-05'", "DATE'2025-01-06'", "DATE'2024-12-30'", "DATE'2021-01-03'"],
    "timestamp": ["TIMESTAMP'2025-03-01 00:00:00'", "TIMESTAMP'2024-02-29 23:59:59.999999'",
                  "TIMESTAMP'2025-12-31 12:00:00'", "TIMESTAMP'1970-01-01 00:00:00'",
                  "TIMESTAMP'2025-01-31 13:45:30.5'", "TIMESTAMP'1969-12-31 23:59:59'",
                  "TIMESTAMP'2025-06-15 00:00:00.000001'", "CAST(NULL AS TIMESTAMP)", "TIMESTAMP'2025-03-30 02:30:00'",
                  "TIMESTAMP'2025-11-02 01:30:00'", "TIMESTAMP'2025-07-04 23:59:59'"],
    "boolean": ["true", "false", "CAST(NULL AS BOOLEAN)"],
    "array": ["array(1, 2, 3)", "array(3, 1, 2, 1)", "array(1, NULL, 3)", "array(-1)", "array(5, 5)", "array()",
              "array(0)"],
    "strings": ["array('b', 'a', 'c')", "array('x')", "array('a', NULL, 'b')", "array('')", "array('b', 'a', 'b')"],
    "map": ["map('a', 1, 'b', 2)", "map('x', NULL)", "map('b', 2, 'a', 1)"],
    "json": ["'{\"a\": 1, \"b\": [1, 2, {\"c\": \"x\"}]}'", "'{\"a\": null}'", "'[1, 2, 3]'", "'{\"a\": 1.50}'",
             "'not json'", "''", "'{\"a\": {\"b\": true}}'", "'{\"a\": 12345678901234567890}'", "CAST(NULL AS STRING)",
             "'{\"a\": \"x y\", \"b\": []}'", "'[]'", "'{\"a\": 1e2}'", "'{\"A\": 1, \"a\": 2}'",
             "'{\"a\": {\"b\": 1e7, \"c\": [\"x\", 1]}, \"m\": {\"k\": 5, \"j\": null}}'", "'{\"m\": {\"k\": \"x\"}}'",
             "'[{\"a\": \"2.5\", \"b\": true}, {\"a\": 1, \"b\": \"no\"}]'", "'{\"a\": [127, 200, -5]}'",
             "'{\"d\": \"2025-3-1\", \"t\": \"2025-03-01T10:00:00.5+02:00\"}'",
             "'{\"d\": \"19723\", \"t\": 1700000000}'", "'{\"d\": \"2025-02-30\", \"t\": \"2025-03-01 10:00Z\"}'"],
    "jsonpath": ["'$.a'", "'$.b[0]'", "'$.b[2].c'", "'$.b'", "'$.a.b'", "'$'", "'$.z'", "'$[0]'", "'$.b[*]'",
                 "'$.A'", "'$[1]'"],
    "format": ["'yyyy-MM-dd'", "'dd/MM/yyyy'", "'yyyyMMdd'", "'HH:mm:ss'", "'hh:mm a'", "'MMM d, yyyy'", "'EEEE'",
               "'E'", "'yyyy-MM-dd HH:mm:ss.SSS'", "'D'", "'yy'", "'M/d/yy'", "'MMMM'", "'h'", "'yyyy-MM'",
               "'yyyy-MM-dd''T''HH:mm'", "'a'", "'EEE, d MMM yyyy'", "'ss.SSSSSS'", "'DDD'", "'H'", "'L'"],
    "trunc_unit": ["'MM'", "'MONTH'", "'MON'", "'YEAR'", "'YYYY'", "'YY'", "'QUARTER'", "'WEEK'", "'DD'", "'Q'",
                   "'day'", "'mm'", "'year'"],
    "date_trunc_unit": ["'YEAR'", "'QUARTER'", "'MONTH'", "'WEEK'", "'DAY'", "'HOUR'", "'MINUTE'", "'SECOND'",
                        "'DD'", "'MM'", "'MON'", "'YYYY'", "'yy'", "'hour'", "'MILLISECOND'"],
    "part": ["'YEAR'", "'MONTH'", "'DAY'", "'HOUR'", "'MINUTE'", "'QUARTER'", "'DOY'", "'WEEK'", "'DOW'",
             "'day'", "'DAYOFWEEK'", "'SECOND'"],
    "unit": ["YEAR", "MONTH", "DAY", "HOUR", "MINUTE", "SECOND", "WEEK", "QUARTER", "MILLISECOND"],
    "day_name": ["'Mon'", "'MO'", "'monday'", "'Sun'", "'FRIDAY'", "'tu'", "'xx'"],
    "regex": ["'[0-9]+'", "'([a-z]+)'", "'^a'", "'[a-z]'", "'b|c'", "'(a)(b)?'", "'.'", "'[,]'", "'\\\\d+'",
              "'l+'", "'(\\\\w+) (\\\\w+)'", "'$'", "'[aeiou]'"],
    "replacement": ["'#'", "'$1'", "''", "'<$0>'", "'x'"],
    "pattern": ["'a%'", "'%b%'", "'_bc'", "'%'", "''", "'a\\\\%'", "'%\\\\_%'", "'H%'", "'%é%'", "'ABC%'"],
    "interval": ["INTERVAL 1 DAY", "INTERVAL -1 DAY", "INTERVAL 2 HOURS", "INTERVAL 30 MINUTE",
                 "INTERVAL 1 MONTH", "INTERVAL -1 MONTH", "INTERVAL 1 YEAR", "INTERVAL 10 SECONDS",
                 "INTERVAL '1' DAY", "INTERVAL 1 WEEK", "INTERVAL '1-2' YEAR TO MONTH",
                 "INTERVAL '1 02:00:00' DAY TO SECOND", "INTERVAL 13 MONTHS", "INTERVAL 36 HOURS",
                 "INTERVAL 1 DAY 2 HOURS", "INTERVAL 1 YEAR 2 MONTHS"],
    "scale": ["0", "1", "2", "-1", "-2", "3"],
    "sep": ["','", "'-'", "''", "' '", "'|'"],
}  # fmt: skip

# Kinds of value, by the pools that hold them; "number" is any numeric pool.
NUMERIC = ("int", "bigint", "decimal", "double")
VALUE_KINDS = ("int", "bigint", "decimal", "double", "string", "date", "timestamp", "boolean", "array", "strings",
               "map")  # fmt: skip
CAST_TARGETS = ("TINYINT", "SMALLINT", "INT", "BIGINT", "DECIMAL(5,2)", "DECIMAL(10,0)", "DECIMAL(38,10)", "DOUBLE",
                "FLOAT", "STRING", "DATE", "TIMESTAMP", "BOOLEAN")  # fmt: skip
# A value inside an array, map or struct, and the type of that kind it is cast or stored as ({} is a scalar
# type); now and then one of another kind, which Databricks rejects.
NESTED = (("array({})", "ARRAY<{}>"), ("map('k', {})", "MAP<STRING, {}>"), ("named_struct('a', {})", "STRUCT<x: {}>"),
          ("array(named_struct('a', {}))", "ARRAY<STRUCT<y: {}>>"))  # fmt: skip

# Functions and operators: (template, argument kinds, result kind). A kind is a pool name, "number"
# (any numeric pool) or "any" (any value kind).
SIGNATURES: list[tuple[str, tuple[str, ...], str]] = [
    # strings
    ("upper({0})", ("string",), "string"), ("lower({0})", ("string",), "string"),
    ("lcase({0})", ("string",), "string"), ("ucase({0})", ("string",), "string"),
    ("length({0})", ("string",), "int"), ("char_length({0})", ("string",), "int"),
    ("character_length({0})", ("string",), "int"), ("len({0})", ("string",), "int"),
    ("trim({0})", ("string",), "string"), ("ltrim({0})", ("string",), "string"), ("rtrim({0})", ("string",), "string"),
    ("trim(BOTH {1} FROM {0})", ("string", "string"), "string"),
    ("trim(LEADING {1} FROM {0})", ("string", "string"), "string"),
    ("trim(TRAILING {1} FROM {0})", ("string", "string"), "string"),
    ("btrim({0})", ("string",), "string"), ("btrim({0}, {1})", ("string", "string"), "string"),
    ("lpad({0}, {1}, {2})", ("string", "pos", "string"), "string"),
    ("rpad({0}, {1}, {2})", ("string", "pos", "string"), "string"),
    ("lpad({0}, {1})", ("string", "pos"), "string"), ("rpad({0}, {1})", ("string", "pos"), "string"),
    ("substring({0}, {1}, {2})", ("string", "pos", "pos"), "string"),
    ("substring({0}, {1})", ("string", "pos"), "string"), ("substr({0}, {1}, {2})", ("string", "pos", "pos"), "string"),
    ("substring({0} FROM {1} FOR {2})", ("string", "pos", "pos"), "string"),
    ("left({0}, {1})", ("string", "pos"), "string"), ("right({0}, {1})", ("string", "pos"), "string"),
    ("replace({0}, {1}, {2})", ("string", "string", "string"), "string"),
    ("replace({0}, {1})", ("string", "string"), "string"),
    ("repeat({0}, {1})", ("string", "pos"), "string"), ("reverse({0})", ("string",), "string"),
    ("instr({0}, {1})", ("string", "string"), "int"), ("locate({0}, {1})", ("string", "string"), "int"),
    ("locate({0}, {1}, {2})", ("string", "string", "pos"), "int"),
    ("position({0} IN {1})", ("string", "string"), "int"),
    ("startswith({0}, {1})", ("string", "string"), "boolean"), ("endswith({0}, {1})", ("string", "string"), "boolean"),
    ("contains({0}, {1})", ("string", "string"), "boolean"),
    ("ascii({0})", ("string",), "int"), ("chr({0})", ("int",), "string"), ("char({0})", ("int",), "string"),
    ("initcap({0})", ("string",), "string"), ("translate({0}, {1}, {2})", ("string", "string", "string"), "string"),
    ("concat({0}, {1})", ("string", "any"), "string"), ("concat({0}, {1}, {2})", ("any", "string", "any"), "string"),
    ("{0} || {1}", ("any", "any"), "string"),
    ("concat_ws({0}, {1}, {2})", ("sep", "string", "string"), "string"),
    ("concat_ws({0}, {1})", ("sep", "strings"), "string"),
    ("split({0}, {1})", ("string", "sep"), "strings"), ("split({0}, {1})", ("string", "regex"), "strings"),
    ("split_part({0}, {1}, {2})", ("string", "sep", "pos"), "string"),
    ("regexp_extract({0}, {1}, {2})", ("string", "regex", "pos"), "string"),
    ("regexp_extract({0}, {1})", ("string", "regex"), "string"),
    ("regexp_replace({0}, {1}, {2})", ("string", "regex", "replacement"), "string"),
    ("{0} rlike {1}", ("string", "regex"), "boolean"), ("{0} regexp {1}", ("string", "regex"), "boolean"),
    ("regexp_like({0}, {1})", ("string", "regex"), "boolean"),
    ("{0} LIKE {1}", ("string", "pattern"), "boolean"), ("{0} ILIKE {1}", ("string", "pattern"), "boolean"),
    ("{0} NOT LIKE {1}", ("string", "pattern"), "boolean"),
    ("md5({0})", ("string",), "string"),
    ("sha2({0}, 256)", ("string",), "string"), ("sha1({0})", ("string",), "string"),
    ("sha({0})", ("string",), "string"), ("levenshtein({0}, {1})", ("string", "string"), "int"),
    ("octet_length({0})", ("string",), "int"), ("bit_length({0})", ("string",), "int"),
    ("base64({0})", ("string",), "string"), ("hex({0})", ("string",), "string"), ("crc32({0})", ("string",), "bigint"),
    ("xxhash64({0})", ("any",), "bigint"), ("xxhash64({0}, {1})", ("any", "any"), "bigint"),
    ("hash({0})", ("any",), "int"), ("hash({0}, {1})", ("any", "any"), "int"), ("soundex({0})", ("string",), "string"),
    ("nullif({0}, {1})", ("string", "string"), "string"), ("space({0})", ("pos",), "string"),
    ("format_number({0}, {1})", ("number", "scale"), "string"),
    # numbers
    ("abs({0})", ("number",), "number"), ("sign({0})", ("number",), "double"), ("signum({0})", ("number",), "double"),
    ("exp({0})", ("number",), "double"), ("pow({0}, {1})", ("number", "number"), "double"),
    ("power({0}, {1})", ("number", "number"), "double"), ("floor({0})", ("number",), "number"),
    ("ceil({0})", ("number",), "number"), ("ceiling({0})", ("number",), "number"),
    ("round({0})", ("number",), "number"),
    ("round({0}, {1})", ("number", "scale"), "number"), ("bround({0})", ("number",), "number"),
    ("bround({0}, {1})", ("number", "scale"), "number"), ("sqrt({0})", ("number",), "double"),
    ("cbrt({0})", ("number",), "double"), ("ln({0})", ("number",), "double"), ("log({0})", ("number",), "double"),
    ("log({0}, {1})", ("number", "number"), "double"), ("log10({0})", ("number",), "double"),
    ("log2({0})", ("number",), "double"), ("greatest({0}, {1}, {2})", ("number", "number", "number"), "number"),
    ("least({0}, {1})", ("number", "number"), "number"), ("pmod({0}, {1})", ("number", "number"), "number"),
    ("mod({0}, {1})", ("number", "number"), "number"), ("degrees({0})", ("number",), "double"),
    ("radians({0})", ("number",), "double"), ("sin({0})", ("number",), "double"), ("cos({0})", ("number",), "double"),
    ("tan({0})", ("number",), "double"), ("asin({0})", ("number",), "double"), ("acos({0})", ("number",), "double"),
    ("atan({0})", ("number",), "double"), ("atan2({0}, {1})", ("number", "number"), "double"),
    ("factorial({0})", ("int",), "bigint"), ("hex({0})", ("int",), "string"), ("hex({0})", ("bigint",), "string"),
    ("width_bucket({0}, {1}, {2}, {3})", ("number", "number", "number", "pos"), "bigint"),
    ("try_divide({0}, {1})", ("number", "number"), "number"), ("nanvl({0}, {1})", ("double", "double"), "double"),
    ("isnull({0})", ("any",), "boolean"), ("isnotnull({0})", ("any",), "boolean"),
    ("zeroifnull({0})", ("number",), "number"), ("isnan({0})", ("double",), "boolean"),
    ("{0} & {1}", ("int", "int"), "int"), ("{0} | {1}", ("int", "int"), "int"),
    ("negative({0})", ("number",), "number"), ("positive({0})", ("number",), "number"),
    # operators
    ("{0} + {1}", ("number", "number"), "number"), ("{0} - {1}", ("number", "number"), "number"),
    ("{0} * {1}", ("number", "number"), "number"), ("{0} / {1}", ("number", "number"), "number"),
    ("{0} % {1}", ("number", "number"), "number"), ("{0} div {1}", ("number", "number"), "bigint"),
    ("-{0}", ("number",), "number"), ("({0} + {1}) * {2}", ("number", "number", "number"), "number"),
    ("{0} = {1}", ("any", "any"), "boolean"), ("{0} <> {1}", ("any", "any"), "boolean"),
    ("{0} < {1}", ("any", "any"), "boolean"), ("{0} >= {1}", ("any", "any"), "boolean"),
    ("{0} <=> {1}", ("any", "any"), "boolean"), ("{0} == {1}", ("any", "any"), "boolean"),
    ("{0} AND {1}", ("boolean", "boolean"), "boolean"), ("{0} OR {1}", ("boolean", "boolean"), "boolean"),
    ("NOT {0}", ("boolean",), "boolean"), ("{0} IS NULL", ("any",), "boolean"),
    ("{0} IS NOT NULL", ("any",), "boolean"), ("{0} IN ({1}, {2})", ("any", "any", "any"), "boolean"),
    ("{0} NOT IN ({1}, {2})", ("any", "any", "any"), "boolean"),
    ("{0} BETWEEN {1} AND {2}", ("any", "any", "any"), "boolean"),
    ("{0} IS TRUE", ("boolean",), "boolean"), ("{0} IS DISTINCT FROM {1}", ("any", "any"), "boolean"),
    # conditionals
    ("coalesce({0}, {1})", ("any", "any"), "any"), ("nvl({0}, {1})", ("any", "any"), "any"),
    ("ifnull({0}, {1})", ("any", "any"), "any"), ("nvl2({0}, {1}, {2})", ("any", "any", "any"), "any"),
    ("nullif({0}, {1})", ("any", "any"), "any"), ("if({0}, {1}, {2})", ("boolean", "any", "any"), "any"),
    ("CASE WHEN {0} THEN {1} ELSE {2} END", ("boolean", "any", "any"), "any"),
    ("CASE {0} WHEN {1} THEN 'x' ELSE 'y' END", ("any", "any"), "string"),
    ("equal_null({0}, {1})", ("any", "any"), "boolean"),
    ("greatest({0}, {1})", ("any", "any"), "any"), ("least({0}, {1})", ("any", "any"), "any"),
    # dates and times
    ("year({0})", ("date",), "int"), ("month({0})", ("date",), "int"), ("day({0})", ("date",), "int"),
    ("dayofmonth({0})", ("timestamp",), "int"), ("dayofyear({0})", ("date",), "int"),
    ("quarter({0})", ("date",), "int"), ("weekofyear({0})", ("date",), "int"), ("dayofweek({0})", ("date",), "int"),
    ("weekday({0})", ("date",), "int"), ("year({0})", ("timestamp",), "int"), ("month({0})", ("string",), "int"),
    ("dayofweek({0})", ("timestamp",), "int"), ("hour({0})", ("timestamp",), "int"),
    ("minute({0})", ("timestamp",), "int"), ("second({0})", ("timestamp",), "int"), ("hour({0})", ("string",), "int"),
    ("extract({0} FROM {1})", ("unit", "timestamp"), "int"), ("extract({0} FROM {1})", ("unit", "date"), "int"),
    ("date_part({0}, {1})", ("part", "timestamp"), "int"), ("date_part({0}, {1})", ("part", "date"), "int"),
    ("last_day({0})", ("date",), "date"), ("last_day({0})", ("timestamp",), "date"),
    ("next_day({0}, {1})", ("date", "day_name"), "date"), ("trunc({0}, {1})", ("date", "trunc_unit"), "date"),
    ("trunc({0}, {1})", ("timestamp", "trunc_unit"), "date"),
    ("date_trunc({0}, {1})", ("date_trunc_unit", "timestamp"), "timestamp"),
    ("date_trunc({0}, {1})", ("date_trunc_unit", "date"), "timestamp"),
    ("date_format({0}, {1})", ("timestamp", "format"), "string"),
    ("date_format({0}, {1})", ("date", "format"), "string"),
    ("to_date({0})", ("string",), "date"), ("to_date({0})", ("timestamp",), "date"),
    ("to_timestamp({0})", ("string",), "timestamp"), ("to_timestamp({0})", ("date",), "timestamp"),
    ("unix_timestamp({0})", ("timestamp",), "bigint"), ("unix_timestamp({0})", ("date",), "bigint"),
    ("from_unixtime({0})", ("bigint",), "string"), ("from_unixtime({0}, {1})", ("int", "format"), "string"),
    ("make_date({0}, {1}, {2})", ("int", "pos", "pos"), "date"),
    ("make_timestamp({0}, {1}, {2}, {3}, {4}, {5})", ("int", "pos", "pos", "pos", "pos", "decimal"), "timestamp"),
    ("date_from_unix_date({0})", ("int",), "date"), ("add_months({0}, {1})", ("date", "pos"), "date"),
    ("add_months({0}, {1})", ("timestamp", "int"), "date"), ("date_add({0}, {1})", ("date", "pos"), "date"),
    ("date_add({0}, {1})", ("date", "int"), "date"), ("date_sub({0}, {1})", ("date", "pos"), "date"),
    ("date_add({0}, {1})", ("timestamp", "pos"), "date"), ("date_add({0}, {1})", ("string", "pos"), "date"),
    ("datediff({0}, {1})", ("date", "date"), "int"), ("datediff({0}, {1})", ("timestamp", "timestamp"), "int"),
    ("datediff({0}, {1}, {2})", ("unit", "date", "date"), "bigint"),
    ("datediff({0}, {1}, {2})", ("unit", "timestamp", "timestamp"), "bigint"),
    ("dateadd({0}, {1}, {2})", ("unit", "pos", "date"), "timestamp"),
    ("dateadd({0}, {1}, {2})", ("unit", "pos", "timestamp"), "timestamp"),
    ("date_add({0}, {1}, {2})", ("unit", "int", "timestamp"), "timestamp"),
    ("timestampadd({0}, {1}, {2})", ("unit", "pos", "timestamp"), "timestamp"),
    ("timestampadd({0}, {1}, {2})", ("unit", "pos", "date"), "timestamp"),
    ("timestampdiff({0}, {1}, {2})", ("unit", "timestamp", "timestamp"), "bigint"),
    ("timestampdiff({0}, {1}, {2})", ("unit", "date", "date"), "bigint"),
    ("months_between({0}, {1})", ("timestamp", "timestamp"), "double"),
    ("months_between({0}, {1})", ("date", "date"), "double"),
    ("{0} + {1}", ("date", "interval"), "date"), ("{0} - {1}", ("date", "interval"), "date"),
    ("{0} + {1}", ("timestamp", "interval"), "timestamp"), ("{0} - {1}", ("timestamp", "interval"), "timestamp"),
    ("{0} - {1}", ("date", "date"), "any"), ("{0} - {1}", ("timestamp", "timestamp"), "any"),
    ("{0} + {1}", ("date", "int"), "date"), ("{0} - {1}", ("date", "int"), "date"),
    ("{0} < {1}", ("date", "timestamp"), "boolean"), ("{0} = {1}", ("date", "string"), "boolean"),
    ("current_date() >= {0}", ("date",), "boolean"),
    # collections
    ("{0}[{1}]", ("array", "index"), "int"), ("element_at({0}, {1})", ("array", "index"), "int"),
    ("size({0})", ("array",), "int"), ("cardinality({0})", ("strings",), "int"), ("array_size({0})", ("array",), "int"),
    ("array_contains({0}, {1})", ("array", "int"), "boolean"),
    ("array_contains({0}, {1})", ("strings", "string"), "boolean"),
    ("array_distinct({0})", ("array",), "array"), ("sort_array({0})", ("array",), "array"),
    ("sort_array({0}, {1})", ("strings", "boolean"), "strings"), ("array_join({0}, {1})", ("strings", "sep"), "string"),
    ("array_max({0})", ("array",), "int"), ("array_min({0})", ("strings",), "string"),
    ("array_position({0}, {1})", ("array", "int"), "bigint"),
    ("slice({0}, {1}, {2})", ("array", "pos", "pos"), "array"),
    ("transform({0}, x -> x * 2)", ("array",), "array"), ("filter({0}, x -> x > 1)", ("array",), "array"),
    ("transform({0}, (x, i) -> x + i)", ("array",), "array"),
    ("aggregate({0}, 0, (acc, x) -> acc + x)", ("array",), "int"),
    ("exists({0}, x -> x > 2)", ("array",), "boolean"), ("forall({0}, x -> x > 0)", ("array",), "boolean"),
    ("array_union({0}, {1})", ("array", "array"), "array"), ("flatten(array({0}, {1}))", ("array", "array"), "array"),
    ("sequence({0}, {1})", ("pos", "pos"), "array"), ("array({0}, {1})", ("any", "any"), "any"),
    ("{0}[{1}]", ("map", "string"), "int"), ("element_at({0}, {1})", ("map", "string"), "int"),
    ("map_keys({0})", ("map",), "strings"), ("map_values({0})", ("map",), "array"), ("size({0})", ("map",), "int"),
    ("map({0}, {1})", ("string", "any"), "map"), ("struct({0}, {1})", ("any", "any"), "any"),
    ("named_struct('a', {0}, 'b', {1}).b", ("any", "any"), "any"),
    ("array_append({0}, {1})", ("array", "int"), "array"), ("array_compact({0})", ("array",), "array"),
    ("array_remove({0}, {1})", ("array", "int"), "array"), ("array_except({0}, {1})", ("array", "array"), "array"),
    ("array_intersect({0}, {1})", ("array", "array"), "array"), ("array_repeat({0}, {1})", ("int", "pos"), "array"),
    ("try_element_at({0}, {1})", ("array", "index"), "int"),
    # JSON
    ("get_json_object({0}, {1})", ("json", "jsonpath"), "string"), ("json_array_length({0})", ("json",), "int"),
    ("to_json(named_struct('a', {0}))", ("any",), "string"),
    ("to_json(named_struct('a', {0}, 'b', {1}))", ("any", "any"), "string"),
    ("to_json({0})", ("array",), "string"), ("to_json({0})", ("map",), "string"),
    ("to_json(array({0}, {1}))", ("any", "any"), "string"),
    ("to_json(array(named_struct('a', {0}), named_struct('a', {1})))", ("any", "any"), "string"),
    ("to_json(map('k', array({0})))", ("any",), "string"),
    ("to_json(from_json({0}, 'a STRUCT<b: DOUBLE, c: ARRAY<STRING>>, m MAP<STRING, DECIMAL(12,9)>'))", ("json",),
     "string"),
    ("from_json({0}, 'a INT')", ("json",), "any"), ("from_json({0}, 'a STRING, b ARRAY<INT>')", ("json",), "any"),
    ("from_json({0}, 'a STRUCT<b: DOUBLE, c: ARRAY<STRING>>, m MAP<STRING, BIGINT>')", ("json",), "any"),
    ("from_json({0}, 'ARRAY<STRUCT<a: DECIMAL(6,2), b: BOOLEAN>>')", ("json",), "any"),
    ("size(from_json({0}, 'a ARRAY<TINYINT>').a)", ("json",), "int"),
    ("from_json({0}, 'd DATE, t TIMESTAMP')", ("json",), "any"),
    ("from_json({0}, 'd DATE, t TIMESTAMP').t", ("json",), "timestamp"),
    # VARIANT: made and read in the same expression (the local target keeps it nowhere else)
    ("to_json(try_parse_json({0}))", ("json",), "string"),
    ("schema_of_variant(try_parse_json({0}))", ("json",), "string"),
    ("try_variant_get(try_parse_json({0}), {1}, 'string')", ("json", "jsonpath"), "string"),
    ("try_variant_get(try_parse_json({0}), {1}, 'int')", ("json", "jsonpath"), "int"),
    ("try_variant_get(try_parse_json({0}), {1}, 'decimal(10,2)')", ("json", "jsonpath"), "any"),
    ("try_cast(try_parse_json({0}):a AS DOUBLE)", ("json",), "double"),
    ("CAST(try_parse_json({0}):b[0] AS STRING)", ("json",), "string"),
    ("is_variant_null(try_parse_json({0}):a)", ("json",), "boolean"),
    ("CAST(parse_json(to_json(named_struct('a', {0}))):a AS STRING)", ("any",), "string"),
    # misc
    ("typeof({0})", ("any",), "string"), ("isnull({0})", ("any",), "boolean"),
    ("typeof(array({0}, {1}))", ("any", "any"), "string"), ("typeof(named_struct('a', {0}))", ("any",), "string"),
    ("typeof(map('k', array({0})))", ("any",), "string"),
    ("typeof(array_append({0}, {1}))", ("array", "any"), "string"),
    ("array(array({0}), array({1}))", ("any", "any"), "any"), ("concat(array({0}), array({1}))", ("any", "any"), "any"),
    ("coalesce(named_struct('a', {0}), named_struct('a', {1}))", ("any", "any"), "any"),
    ("nvl2({0}, 1, 0)", ("any",), "int"), ("decode({0}, 1, 'one', 2, 'two', 'other')", ("int",), "string"),
    ("assert_true({0})", ("boolean",), "any"),
    ("mask({0})", ("string",), "string"), ("mask({0}, 'Q', NULL, 'd', '*')", ("string",), "string"),
    ("luhn_check({0})", ("string",), "boolean"), ("quote({0})", ("string",), "string"),
    ("json_object_keys({0})", ("json",), "strings"), ("parse_url({0}, 'HOST')", ("string",), "string"),
    ("try_parse_url({0}, 'QUERY', 'a')", ("string",), "string"), ("str_to_map({0})", ("string",), "any"),
    ("regexp_instr({0}, {1}, 1)", ("string", "regex"), "int"),
    # bits
    ("shiftleft({0}, {1})", ("int", "pos"), "int"), ("shiftright({0}, {1})", ("bigint", "pos"), "bigint"),
    ("shiftrightunsigned({0}, {1})", ("int", "pos"), "int"), ("{0} << {1}", ("bigint", "scale"), "bigint"),
    ("{0} >> {1} & {2}", ("int", "scale", "int"), "int"), ("{0} | {1} ^ {2}", ("int", "int", "int"), "int"),
    ("bit_count({0})", ("int",), "int"), ("bit_count({0})", ("bigint",), "int"), ("bin({0})", ("number",), "string"),
    ("getbit({0}, {1})", ("int", "scale"), "int"),
    # math after StrictMath
    ("expm1({0})", ("number",), "double"), ("log1p({0})", ("number",), "double"),
    ("hypot({0}, {1})", ("number", "number"), "double"), ("cot({0})", ("double",), "double"),
    ("sec({0})", ("number",), "double"), ("csc({0})", ("number",), "double"),
    ("asinh({0})", ("number",), "double"), ("acosh({0})", ("number",), "double"),
    ("atanh({0})", ("double",), "double"), ("rint({0})", ("number",), "double"),
    ("if({0} > {1}, raise_error('over ' || {1}), {0})", ("int", "int"), "int"),
    ("coalesce({0}, raise_error('no value'))", ("string",), "string"),
    ("{0} regexp {1}", ("string", "string"), "boolean"),
    # text read as BINARY, and BINARY's own functions
    ("unhex({0})", ("string",), "any"), ("try_to_binary({0}, 'base64')", ("string",), "any"),
    ("hex(unhex({0}))", ("string",), "string"), ("base64(to_binary({0}, 'utf-8'))", ("string",), "string"),
    ("crc32(to_binary({0}, 'utf8'))", ("string",), "bigint"), ("length(try_to_binary({0}))", ("string",), "int"),
    ("to_timestamp_ltz({0})", ("date",), "timestamp"),
    ("{0} + make_dt_interval({1}, {2})", ("timestamp", "int", "int"), "timestamp"),
    ("{0} - make_ym_interval({1}, {2})", ("date", "int", "int"), "date"),
    # collections
    ("arrays_overlap({0}, {1})", ("array", "array"), "boolean"),
    ("array_insert({0}, {1}, {2})", ("array", "pos", "int"), "array"),
    ("zip_with({0}, {1}, (x, y) -> coalesce(x, 0) + coalesce(y, 0))", ("array", "array"), "array"),
    ("arrays_zip({0}, {1})", ("array", "strings"), "any"),
    ("map_from_entries(arrays_zip({0}, {1}))", ("strings", "array"), "map"),
    ("array_sort({0}, (x, y) -> CASE WHEN x < y THEN 1 WHEN x > y THEN -1 ELSE 0 END)", ("array",), "array"),
    ("array_sort({0}, (x, y) -> length(x) - length(y))", ("strings",), "strings"),
    ("map_zip_with({0}, {1}, (k, a, b) -> coalesce(a, 0) + coalesce(b, 0))", ("map", "map"), "map"),
    # arrays and structs in order: a NULL element or field comes first in Databricks, last in DuckDB
    ("sort_array(array({0}, {1}, NULL))", ("array", "array"), "any"),
    ("sort_array(array({0}, {1}), false)", ("strings", "strings"), "any"),
    ("array_min(array({0}, {1}))", ("array", "array"), "any"),
    ("array_max(array({0}, {1}))", ("array", "array"), "any"),
    ("array_sort(array(named_struct('a', {0}, 'b', {1}), named_struct('a', {1}, 'b', {0})))", ("int", "int"), "any"),
    ("{0} < {1}", ("array", "array"), "boolean"), ("{0} >= {1}", ("strings", "strings"), "boolean"),
    ("greatest({0}, {1})", ("array", "array"), "any"), ("least({0}, {1}, NULL)", ("strings", "strings"), "any"),
    ("struct({0}, {1}) < struct({1}, {0})", ("int", "int"), "boolean"),
    ("least(named_struct('a', {0}, 'b', {1}), named_struct('a', {1}, 'b', {0}))", ("int", "int"), "any"),
    ("sha2({0}, 384)", ("string",), "string"),
    ("format_string('%08.2f|%+.3e', {0}, {0})", ("double",), "string"),
    ("printf('%,d|%x|%o', {0}, {0}, {0})", ("int",), "string"),
    ("format_string('%-6s|%S|%b', {0}, {0}, {0})", ("string",), "string"),
    ("printf('%(,.1f', {0})", ("double",), "string"),
    # number formats
    ("to_number({0}, '999.99')", ("string",), "decimal"), ("try_to_number({0}, 'S9,999')", ("string",), "decimal"),
    ("to_char({0}, '9,999.00PR')", ("decimal",), "string"), ("to_char({0}, '0000S')", ("int",), "string"),
    ("to_char({0}, 'yyyy-MM-dd')", ("date",), "string"),
]  # fmt: skip

AGGREGATES = ["count(v)", "count(*)", "sum(v)", "avg(v)", "min(v)", "max(v)", "count(DISTINCT v)", "stddev(v)",
              "variance(v)", "stddev_pop(v)", "var_pop(v)", "median(v)", "percentile(v, 0.5)", "percentile(v, 0.25)",
              "percentile(v, array(0.5, 0.1))",
              "size(collect_set(v))", "sort_array(collect_list(v))", "max_by(v, w)", "min_by(v, w)",
              "sum(DISTINCT v)", "avg(DISTINCT v)", "sum(v) FILTER (WHERE w > 2)", "count_if(v IS NULL)",
              "first(v)", "any_value(v) IS NULL OR true", "array_sort(collect_set(v))", "mode(v, true)",
              "percentile_cont(0.5) WITHIN GROUP (ORDER BY v)", "stddev_samp(v)", "corr(w, w)",
              "bool_or(v IS NULL)", "every(v IS NOT NULL)", "try_sum(v)", "try_avg(v)",
              "listagg(CAST(v AS STRING), ',') WITHIN GROUP (ORDER BY v)", "collect_list(v)[0]",
              "skewness(w)", "kurtosis(w)", "skewness(DISTINCT w)", "mean(w)", "max(array(v, NULL))",
              "min_by(w, named_struct('a', CAST(NULL AS INT), 'b', v, 'c', w))", "max_by(w, array(v, w))"]  # fmt: skip
WINDOWS = ["row_number() OVER (ORDER BY v)", "rank() OVER (ORDER BY v)", "dense_rank() OVER (ORDER BY v DESC)",
           "percent_rank() OVER (ORDER BY v)", "cume_dist() OVER (ORDER BY v)", "ntile(3) OVER (ORDER BY v)",
           "lag(v) OVER (ORDER BY v)", "lead(v, 2) OVER (ORDER BY v)", "lag(v, 1, v) OVER (ORDER BY v)",
           "sum(v) OVER (ORDER BY v)", "count(v) OVER (ORDER BY v)", "avg(v) OVER (ORDER BY v)",
           "sum(v) OVER (ORDER BY v ROWS BETWEEN 1 PRECEDING AND CURRENT ROW)",
           "max(v) OVER (ORDER BY v ROWS BETWEEN CURRENT ROW AND 1 FOLLOWING)",
           "count(*) OVER (ORDER BY v RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)",
           "first_value(v) OVER (ORDER BY v)", "last_value(v) OVER (ORDER BY v)",
           "min(v) OVER ()", "count(*) OVER ()", "row_number() OVER (ORDER BY v NULLS LAST)",
           "rank() OVER (ORDER BY v DESC NULLS FIRST)", "sum(v) OVER (ORDER BY v DESC)",
           "first_value(v, true) OVER (ORDER BY v)", "nth_value(v, 2) OVER (ORDER BY v)",
           "lag(v, 1, v) IGNORE NULLS OVER (ORDER BY v)", "lead(v) IGNORE NULLS OVER (ORDER BY v NULLS LAST)",
           "nth_value(v, 2) IGNORE NULLS OVER (ORDER BY v)"]  # fmt: skip
TABLE_KINDS = {
    "int": ["1", "2", "2", "NULL", "-3", "0", "7", "2147483647"],
    "decimal": ["1.50", "2.25", "2.25", "NULL", "-0.10", "0.00", "99.99"],
    "double": ["1.5D", "2.5D", "2.5D", "NULL", "-0.5D", "0.0D", "1e10"],
    "string": ["'b'", "'a'", "'a'", "NULL", "''", "'B'", "'é'"],
    "date": ["DATE'2025-01-31'", "DATE'2024-02-29'", "DATE'2024-02-29'", "NULL", "DATE'1970-01-01'"],
    "boolean": ["true", "false", "false", "NULL"],
}  # fmt: skip


@dataclass
class _Builder:
    """Builds one expression; in column mode its leaves become columns of a one-row VALUES table."""

    rng: random.Random
    prefix: str
    columns: bool
    bindings: list[tuple[str, str]]

    def leaf(self, kind: str) -> str:
        if kind == "number":
            kind = self.rng.choice(NUMERIC)
        if kind == "any":
            kind = self.rng.choice(VALUE_KINDS)
        value = self.rng.choice(POOLS[kind])
        # Only values travel as columns: units, patterns, regexes and intervals stay literals, as users write them.
        if self.columns and kind in VALUE_KINDS + ("pos", "index", "json") and self.rng.random() < 0.8:
            name = f"{self.prefix}_{len(self.bindings)}"
            self.bindings.append((name, value))
            return name
        return value

    def expression(self, kind: str, depth: int) -> str:
        if depth > 0 and kind in VALUE_KINDS + ("number", "any", "pos") and self.rng.random() < 0.3:
            wanted = {"number": NUMERIC, "any": VALUE_KINDS, "pos": ("int",)}.get(kind, (kind,))
            options = [s for s in SIGNATURES if s[2] in wanted]
            if options:
                template, args, _ = self.rng.choice(options)
                return "(" + template.format(*[self.expression(a, depth - 1) for a in args]) + ")"
        return self.leaf(kind)

    def call(self, signature: tuple[str, tuple[str, ...], str], depth: int) -> str:
        template, args, _ = signature
        return template.format(*[self.expression(a, depth) for a in args])


def _expression_cases(rng: random.Random, count: int, start: int) -> Iterator[Case]:
    """Every signature in turn, with random inputs; then casts of every kind of value to every type."""
    n = start
    while n < start + count:
        for signature in SIGNATURES:
            depth = rng.choice((0, 0, 0, 1, 1, 2))
            yield _one(rng, n, lambda b, s=signature, d=depth: b.call(s, depth=d))
            n += 1
            if n >= start + count:
                return
        for source in VALUE_KINDS + ("json",):
            for _ in range(8 if source == "string" else 3):
                target = rng.choice(CAST_TARGETS)
                cast = rng.choice(("CAST({0} AS {1})", "try_cast({0} AS {1})", "{0}::{1}"))
                yield _one(rng, n, lambda b, c=cast, s=source, t=target: c.format(b.expression(s, 1), t))
                n += 1
                if n >= start + count:
                    return
            # the same value inside an array, map or struct, cast to one of them
            cast = rng.choice(("CAST({0} AS {1})", "try_cast({0} AS {1})"))
            yield _one(rng, n, lambda b, c=cast, s=source: c.format(*_nested_value_and_type(rng, b.expression(s, 1))))
            n += 1
            if n >= start + count:
                return


def _nested_value_and_type(rng: random.Random, value: str) -> tuple[str, str]:
    wrap, _ = rng.choice(NESTED)
    _, target = rng.choice(NESTED) if rng.random() < 0.15 else next(pair for pair in NESTED if pair[0] == wrap)
    return wrap.format(value), target.format(rng.choice(CAST_TARGETS))


def _one(rng: random.Random, n: int, build) -> Case:
    builder = _Builder(rng, f"c{n}", columns=rng.random() < 0.3, bindings=[])
    expression = build(builder)
    return expression_case(f"generated#{n}", expression, builder.bindings)


def _table(rng: random.Random, kind: str) -> str:
    rows = rng.sample(TABLE_KINDS[kind], k=rng.randint(3, len(TABLE_KINDS[kind])))
    groups = ["'x'", "'y'", "NULL"]
    values = ", ".join(f"({rng.choice(groups)}, {v}, {i})" for i, v in enumerate(rows, start=1))
    return f"VALUES {values} AS t(k, v, w)"


def _query_cases(rng: random.Random, count: int, start: int) -> Iterator[Case]:
    """Aggregates (whole table and grouped), set operations and window functions over small tables with NULLs
    and ties."""
    for n in range(start, start + count):
        kind = rng.choice(list(TABLE_KINDS))
        table = _table(rng, kind)
        shape = rng.random()
        if shape < 0.35:
            sql = f"SELECT {rng.choice(AGGREGATES)} FROM {table}"
        elif shape < 0.6:
            sql = f"SELECT k, {rng.choice(AGGREGATES)} AS a FROM {table} GROUP BY k"
        elif shape < 0.8:
            # A set operation of columns of two kinds, bare or inside an array or a struct: the kinds must have
            # a common type (a BOOLEAN beside a number has none), read through a subquery or not.
            other = _table(rng, rng.choice(list(TABLE_KINDS))).replace("AS t(", "AS u(")
            wrap = rng.choice(("{}", "array({})", "named_struct('f', {})"))
            operation = rng.choice(("UNION ALL", "UNION", "INTERSECT", "EXCEPT"))
            first = rng.choice((f"SELECT {wrap.format('v')} AS c FROM {table}",
                                f"SELECT c FROM (SELECT {wrap.format('v')} AS c FROM {table})"))  # fmt: skip
            sql = f"{first} {operation} SELECT {wrap.format('v')} FROM {other}"
        elif shape < 0.9:
            # Only the ordering value and the window's result are projected: ties cannot make rows differ.
            window = rng.choice(WINDOWS)
            if rng.random() < 0.4:
                window = window.replace("OVER (", "OVER (PARTITION BY k ").replace(
                    "OVER (PARTITION BY k )", "OVER (PARTITION BY k)"
                )
                sql = f"SELECT k, v, {window} AS x FROM {table}"
            else:
                sql = f"SELECT v, {window} AS x FROM {table}"
        else:
            sql = f"SELECT v FROM {table} ORDER BY v{rng.choice(('', ' DESC', ' NULLS LAST', ' DESC NULLS FIRST'))}"
        yield Case(f"generated_query#{n}", sql)


# The SQLSTATEs of failures inside functions and casts (Spark 4 has no GET DIAGNOSTICS to read one).
_SQLSTATES = ("22003", "22012", "22018", "22023", "22007", "22009", "2200E", "23505", "42K09", "P0001")
_SCRIPT_TYPES = {"INT": "int", "BIGINT": "bigint", "DECIMAL(10,2)": "decimal", "DOUBLE": "double", "STRING": "string",
                 "DATE": "date", "TIMESTAMP": "timestamp", "BOOLEAN": "boolean"}  # fmt: skip


def _script_cases(rng: random.Random, count: int, start: int) -> Iterator[Case]:
    """Variables assigned expressions of any type, loops, conditions and handlers around generated expressions."""
    for n in range(start, start + count):
        builder = _Builder(rng, f"s{n}", columns=False, bindings=[])
        declared, kind = rng.choice(list(_SCRIPT_TYPES.items()))
        shape = rng.randrange(6)
        if shape == 0:  # assignment of a value of any kind: the declared type decides
            value = builder.expression(rng.choice((kind, kind, "any")), 1)
            sql = f"BEGIN DECLARE v {declared}; SET v = {value}; SELECT v; END"
        elif shape == 1:  # a handler turns a failure into a value both sides must agree on: its SQLSTATE
            value = builder.call(rng.choice(SIGNATURES), depth=1)
            by_state = " ".join(f"DECLARE EXIT HANDLER FOR SQLSTATE '{s}' SET r = '{s}';" for s in _SQLSTATES)
            # SQLEXCEPTION last: Spark 4.3 runs none declared before a handler for a SQLSTATE (docs/fidelity.md)
            sql = (f"BEGIN DECLARE r STRING DEFAULT 'ok'; BEGIN {by_state} DECLARE EXIT HANDLER FOR SQLEXCEPTION"
                   f" SET r = 'failed'; SET r = CAST(({value}) AS STRING); END; SELECT r; END")  # fmt: skip
        elif shape == 2:  # a loop accumulating arithmetic
            step = rng.choice(POOLS[rng.choice(NUMERIC)][:-1])
            op = rng.choice(("+", "-", "*"))
            sql = (f"BEGIN DECLARE i INT DEFAULT 0; DECLARE acc {declared if kind in NUMERIC else 'DOUBLE'} DEFAULT 1; "
                   f"WHILE i < {rng.randint(1, 4)} DO SET acc = acc {op} {step}; SET i = i + 1; END WHILE; "
                   "SELECT acc; END")  # fmt: skip
        elif shape == 3:  # a condition of any boolean expression, NULL included
            condition = builder.expression("boolean", 2)
            sql = (f"BEGIN DECLARE r STRING; IF {condition} THEN SET r = 'then'; ELSE SET r = 'else'; END IF; "
                   "SELECT r; END")  # fmt: skip
        elif shape == 5:  # a value inside an array, map or struct stored in a table column of such a type
            value, column = _nested_value_and_type(rng, builder.expression("any", 1))
            sql = (f"BEGIN CREATE TABLE stored_{n} (c {column}); INSERT INTO stored_{n} VALUES ({value}); "
                   f"SELECT c FROM stored_{n}; END")  # fmt: skip
        else:  # a FOR loop over a table, summing a function of each row
            table = _table(rng, rng.choice(("int", "decimal", "double")))
            sql = (f"BEGIN DECLARE total DOUBLE DEFAULT 0; FOR r AS SELECT v FROM {table} DO "
                   "SET total = total + coalesce(r.v, 0); END FOR; SELECT total; END")  # fmt: skip
        yield Case(f"generated_script#{n}", sql, kind="script")


def generate(seed: int, expressions: int, queries: int, scripts: int) -> list[Case]:
    rng = random.Random(seed)
    cases = list(_expression_cases(rng, expressions, 0))
    cases += list(_query_cases(rng, queries, expressions))
    cases += list(_script_cases(rng, scripts, expressions + queries))
    return cases


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--count", type=int, default=2000, help="expression cases")
    parser.add_argument("--queries", type=int, default=None, help="aggregate and window queries (count / 10)")
    parser.add_argument("--scripts", type=int, default=None, help="SQL scripts (count / 40)")
    parser.add_argument("--show", choices=("different", "failed", "refused", "all"), default="failed",
                        help="print the cases up to this verdict")  # fmt: skip
    args = parser.parse_args(argv)
    import tempfile
    from pathlib import Path

    from runner.config import load_target
    from runner.engines.duckdb_engine import DuckDBEngine
    from tests.fidelity.corpus import evaluate, summary
    from tests.spark_oracle import start_spark
    from usersql.session import UserSql

    queries = args.queries if args.queries is not None else args.count // 10
    scripts = args.scripts if args.scripts is not None else args.count // 40
    cases = generate(args.seed, args.count, queries, scripts)
    began = time.monotonic()
    spark = start_spark()
    with tempfile.TemporaryDirectory() as tmp:
        shared = UserSql(DuckDBEngine(load_target("local", data_dir=Path(tmp) / "q")))
        try:
            outcomes = evaluate(
                spark,
                cases,
                shared,
                lambda: UserSql(DuckDBEngine(load_target("local", data_dir=Path(tmp) / "s"))),
                strict=True,
            )
        finally:
            shared.engine.close()
    verdicts = ("different", "unreadable", "failed", "refused", "equal")
    shown = verdicts[: verdicts.index(args.show) + 1] if args.show != "all" else verdicts
    for outcome in outcomes:
        if outcome.verdict in shown:
            print(f"{outcome.verdict:9} {outcome.case.sql}\n          {outcome.detail[:400]}")
    print(summary(outcomes, f"generated (seed {args.seed})"), f"in {time.monotonic() - began:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
