"""Each construct users paste from the Databricks documentation: its local answer, or its refusal."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from dialect import NotSupportedLocally, translate
from lakehouse.cli import main
from runner.config import load_target
from runner.engines.duckdb_engine import DuckDBEngine
from runner.errors import LakehouseError
from runner.splitter import split_statements
from usersql.session import UserSql


def rows(user: UserSql, sql: str) -> list[tuple]:
    return user.query(sql).rows


def run_file(user: UserSql, text: str) -> list[tuple]:
    result_rows: list[tuple] = []
    for statement in split_statements(text):
        result = user.execute(statement.sql, line=statement.line)
        if result.columns:
            result_rows = result.rows
    return result_rows


def test_concat_with_null_is_null(user):
    assert rows(user, "SELECT concat('a', NULL, 'b'), 'a' || NULL") == [(None, None)]


def test_decimal_and_double_casts_to_int_truncate(user):
    assert rows(user, "SELECT CAST(2025.7 AS INT), CAST(-2.5 AS INT), CAST(3.7D AS BIGINT)") == [(2025, -2, 3)]


def test_a_malformed_string_to_int_fails_as_on_databricks(user):
    with pytest.raises(Exception, match="CAST_INVALID_INPUT"):
        rows(user, "SELECT CAST('3.7' AS INT)")


def test_division_by_zero_raises(user):
    with pytest.raises(Exception, match="DIVIDE_BY_ZERO"):
        rows(user, "SELECT 1 / 0")


def test_decimal_division_has_databricks_scale(user):
    assert str(rows(user, "SELECT 1.0 / 3")[0][0]) == "0.333333"


def test_log_is_natural_with_one_argument(user):
    value, base10 = rows(user, "SELECT log(100), log(10, 100)")[0]
    assert round(value, 6) == 4.60517 and base10 == pytest.approx(2.0)


def test_dayofweek_counts_from_sunday(user):
    assert rows(user, "SELECT dayofweek(DATE'2025-01-05'), weekday(DATE'2025-01-05')") == [(1, 6)]


def test_date_plus_months_stays_a_date(user):
    assert rows(user, "SELECT DATE'2025-01-31' + INTERVAL 1 MONTH, add_months(DATE'2025-01-31', 1)") == [
        (date(2025, 2, 28), date(2025, 2, 28))
    ]


def test_nulls_sort_first_ascending(user):
    ordered = rows(user, "SELECT v FROM VALUES (2), (NULL), (1) AS t(v) ORDER BY v")
    assert ordered == [(None,), (1,), (2,)]


def test_like_escapes_with_backslash_by_default(user):
    assert rows(user, r"SELECT 'a_b' LIKE 'a\\_b', 'axb' LIKE 'a\\_b'") == [(True, False)]


def test_xxhash64_is_sparks(user):
    assert rows(user, "SELECT xxhash64('a')") == [(-8582455328737087284,)]


def test_array_index_out_of_range_fails(user):
    with pytest.raises(Exception, match="INVALID_ARRAY_INDEX"):
        rows(user, "SELECT array(1, 2)[5]")


def test_a_sequence_too_long_to_hold_is_refused_before_it_fills_memory(user):
    # sequence(-1, hash(...)) would build a billion-element list in one row and exhaust the machine.
    with pytest.raises(Exception, match="not supported on the local target"):
        rows(user, "SELECT sequence(-1, hash('x'))")
    assert rows(user, "SELECT size(sequence(1, 9999999))") == [(9999999,)]


def test_a_text_too_long_to_hold_is_refused_before_it_fills_memory(user):
    for sql in ("SELECT space(2000000000)", "SELECT repeat('ab', 60000000)", "SELECT lpad('a', 200000000, 'x')"):
        with pytest.raises(Exception, match="not supported on the local target"):
            rows(user, sql)
    assert rows(user, "SELECT space(3), repeat('ab', 2), repeat('x', -1), lpad('a', 3, 'xy')") == [
        ("   ", "abab", "", "xya")
    ]


def test_backticks_and_current_timestamp_with_parentheses(user):
    assert rows(user, "SELECT `v` + 1, current_timestamp() IS NOT NULL FROM VALUES (1) AS t(`v`)") == [(2, True)]


def test_an_unverified_function_is_refused_in_one_line():
    with pytest.raises(NotSupportedLocally) as refused:
        translate("SELECT sentences(x) FROM t")
    assert str(refused.value) == "sentences(...) is not supported on the local target; run it on Databricks"


def test_hash_of_a_value_of_unknown_type_is_refused_not_guessed():
    # An INT hashes 4 bytes and a BIGINT 8: without the type the hash could be another one.
    with pytest.raises(NotSupportedLocally, match="hash of a value whose type the local target cannot tell"):
        translate("SELECT hash(x) FROM t")


def test_pmod_with_the_wrong_number_of_arguments_is_rejected_as_on_databricks():
    with pytest.raises(NotSupportedLocally) as rejected:
        translate("SELECT pmod(7)")
    assert str(rejected.value).startswith("[WRONG_NUM_ARGS.WITHOUT_SUGGESTION] pmod takes 2 arguments, not 1")


def test_a_cast_databricks_rejects_names_the_types_as_written():
    # TIMESTAMP is the user's word, whatever the local target stores it as; INTEGER is Databricks' INT.
    with pytest.raises(NotSupportedLocally) as rejected:
        translate("SELECT CAST(true AS TIMESTAMP), CAST(CAST(1 AS INT) AS TIMESTAMP_NTZ)")
    assert str(rejected.value).startswith("[DATATYPE_MISMATCH.CAST_WITHOUT_SUGGESTION] CAST of a BOOLEAN to TIMESTAMP ")
    with pytest.raises(NotSupportedLocally) as rejected:
        translate("SELECT CAST(CAST(1 AS INT) AS TIMESTAMP_NTZ)")
    assert "CAST of an INT to TIMESTAMP_NTZ" in str(rejected.value)


def test_listagg_without_an_order_is_refused_with_what_to_add():
    # Databricks joins the values in no particular order; the local target would answer in one order.
    with pytest.raises(NotSupportedLocally, match=r"add WITHIN GROUP \(ORDER BY ...\)"):
        translate("SELECT listagg(name, ', ') FROM t")


def test_three_part_names_of_the_configured_catalog_reach_the_local_database(user):
    run_file(user, "CREATE SCHEMA demo; CREATE TABLE main.demo.t (k INT); INSERT INTO main.demo.t VALUES (7);")
    assert rows(user, "SELECT k FROM main.demo.t") == [(7,)]


def test_another_catalog_is_an_error(user):
    with pytest.raises(LakehouseError, match="catalog other_catalog"):
        rows(user, "SELECT * FROM other_catalog.gold.fact_events")


def test_call_of_another_catalog_does_not_reach_a_local_procedure(user):
    run_file(user, "CREATE PROCEDURE p_local(IN x INT DEFAULT 1) LANGUAGE SQL AS BEGIN SELECT x; END")
    with pytest.raises(Exception, match="catalog other_catalog"):
        run_file(user, "CALL other_catalog.main.p_local()")


def test_the_call_documentation_example_runs(user):
    text = """
    CREATE OR REPLACE PROCEDURE area_of_rectangle(IN x INT, IN y INT, OUT area INT, INOUT acc INT)
    LANGUAGE SQL SQL SECURITY INVOKER
    AS BEGIN
      -- a comment right after BEGIN
      SET area = x * y;
      SET acc = acc + area;
    END;
    DECLARE area INT;
    DECLARE VARIABLE acc INT DEFAULT 10;
    CALL area_of_rectangle(5, 10, area, acc);
    SELECT area, acc;
    """
    assert run_file(user, text) == [(50, 60)]


def test_an_exit_handler_for_divide_by_zero_fires(user):
    text = """BEGIN
      DECLARE r STRING DEFAULT 'not caught';
      BEGIN
        DECLARE x INT;
        DECLARE EXIT HANDLER FOR DIVIDE_BY_ZERO SET r = 'caught';
        SET x = 10 / 0;
      END;
      SELECT r;
    END"""
    assert run_file(user, text) == [("caught",)]


def test_assigning_a_fraction_to_an_int_variable_truncates(user):
    assert run_file(user, "BEGIN DECLARE x INT; SET x = 3.7; SELECT x; END") == [(3,)]


def test_a_missing_out_argument_is_rejected(user):
    run_file(user, "CREATE PROCEDURE needs_out(IN x INT, OUT y INT) LANGUAGE SQL AS BEGIN SET y = x; END")
    with pytest.raises(Exception, match="REQUIRED_PARAMETER_NOT_FOUND"):
        run_file(user, "CALL needs_out(1)")


def test_a_label_on_the_top_level_block_is_rejected(user):
    with pytest.raises(Exception, match="top-level compound statement cannot have a label"):
        run_file(user, "lbl: BEGIN SELECT 1; END")


def test_a_string_for_a_date_parameter_is_rejected(user):
    run_file(user, "CREATE PROCEDURE next_of(IN d DATE, OUT n DATE) LANGUAGE SQL AS BEGIN SET n = d; END")
    with pytest.raises(Exception, match="DATATYPE_MISMATCH"):
        run_file(user, "DECLARE VARIABLE r DATE; CALL next_of('2025-01-31', r)")
    assert run_file(user, "CALL next_of(DATE'2025-01-31', r); SELECT r") == [(date(2025, 1, 31),)]


def test_identity_columns_in_a_users_table_are_refused_clearly(user):
    with pytest.raises(LakehouseError, match="GENERATED ... AS IDENTITY .* not supported on the local target"):
        run_file(user, "CREATE TABLE ids (id BIGINT GENERATED ALWAYS AS IDENTITY, name STRING)")


def test_a_users_procedure_is_stored_as_databricks_sql(user):
    run_file(user, "CREATE PROCEDURE mine(IN x INT DEFAULT 1) LANGUAGE SQL AS BEGIN SELECT x; END")
    dialect = user.engine.connection.execute(
        "SELECT dialect FROM _runner.procedures WHERE procedure_name = 'mine'"
    ).fetchone()
    assert dialect == ("databricks",)


def test_the_projects_procedures_run_as_rendered(tmp_path):
    engine = DuckDBEngine(load_target("local", data_dir=tmp_path))
    try:
        engine.execute("CREATE PROCEDURE rendered_one(OUT r DOUBLE) LANGUAGE SQL AS BEGIN SET r = 1 / 0; END")
        stored = engine.connection.execute("SELECT dialect FROM _runner.procedures").fetchone()
        assert stored == ("rendered",)
        # DuckDB's own division: not translated, so no DIVIDE_BY_ZERO.
        assert engine.scripting.call("rendered_one").out_params == {"r": float("inf")}
    finally:
        engine.close()


def test_a_comment_right_after_begin_keeps_the_block_whole():
    statements = split_statements("BEGIN -- why\n  SELECT 1;\n  SELECT 2;\nEND;\nSELECT 3;")
    assert [s.first_keyword for s in statements] == ["BEGIN", "SELECT"]


def test_query_and_exec_commands_speak_databricks(tmp_path, capsys):
    data = tmp_path / "data"
    DuckDBEngine(load_target("local", data_dir=data)).close()
    assert main(["query", "SELECT concat('a', NULL) IS NULL AS n, dayofweek(DATE'2025-01-05') AS d",
                 "--data-dir", str(data), "--format", "csv"]) == 0  # fmt: skip
    assert capsys.readouterr().out.strip().splitlines()[-1] == "True,1"
    script = Path(tmp_path / "doc.sql")
    script.write_text("DECLARE VARIABLE n INT DEFAULT 2;\nSELECT n * 21 AS answer;\n")
    assert main(["exec", str(script), "--data-dir", str(data), "--format", "csv"]) == 0
    assert capsys.readouterr().out.strip().splitlines()[-1] == "42"
    assert main(["query", "SELECT months_between(DATE'2025-03-01', x) FROM VALUES (1) AS t(x)",
                 "--data-dir", str(data)]) == 1  # fmt: skip
    assert "months_between" in capsys.readouterr().err


def test_a_refusal_found_while_the_query_runs_reads_as_one_line(tmp_path, capsys):
    # Some refusals come from the dialect's Python functions, once a value is seen (a DECIMAL too wide
    # to hash, JSON text with NaN): the user reads the refusal, not DuckDB's wrapping and a traceback.
    data = tmp_path / "data"
    DuckDBEngine(load_target("local", data_dir=data)).close()
    refusals = {
        "SELECT hash(CAST(1 AS DECIMAL(20,2)))": "hash of a DECIMAL(20,2) value is not supported on the local target",
        """SELECT from_json('{"a": NaN}', 'a DOUBLE')""": "JSON text with NaN or Infinity is not supported",
    }
    for sql, refusal in refusals.items():
        assert main(["query", sql, "--data-dir", str(data)]) == 1
        script = tmp_path / "refused.sql"
        script.write_text(f"BEGIN\n  DECLARE m STRING DEFAULT 'none';\n  {sql};\nEND;\n", encoding="utf-8")
        assert main(["exec", str(script), "--data-dir", str(data)]) == 1
        errors = capsys.readouterr().err.strip().splitlines()
        assert len(errors) == 2, errors
        for line in errors:
            assert refusal in line
            assert "Python exception" not in line and "UDF" not in line


def test_a_refusal_inside_a_handler_is_not_caught(user):
    # On Databricks the statement runs and the handler does not fire; locally it cannot run, so the
    # script stops instead of taking the handler's branch.
    text = """BEGIN
      DECLARE r STRING DEFAULT 'ran';
      BEGIN
        DECLARE EXIT HANDLER FOR SQLEXCEPTION SET r = 'handled';
        SET r = version();
      END;
      SELECT r;
    END"""
    with pytest.raises(Exception, match=r"version\(\.\.\.\) is not supported on the local target"):
        run_file(user, text)


@pytest.mark.parametrize(
    ("declared", "statement"),
    [
        ("z STRING DEFAULT 'PST'", "SET r = CAST(from_utc_timestamp(TIMESTAMP'2020-01-01 00:00:00', z) AS STRING)"),
        ("n INT DEFAULT 20000000", "SET r = CAST(size(sequence(1, n)) AS STRING)"),
    ],
)
def test_a_refusal_found_at_run_time_inside_a_handler_is_not_caught(user, declared, statement):
    # The value that cannot be handled locally is known only when the statement runs, not when it is
    # translated: the refusal comes from DuckDB as an error, and still no handler may take it.
    text = f"""BEGIN
      DECLARE r STRING DEFAULT 'ran';
      DECLARE {declared};
      BEGIN
        DECLARE EXIT HANDLER FOR SQLEXCEPTION SET r = 'handled';
        {statement};
      END;
      SELECT r;
    END"""
    with pytest.raises(Exception, match="is not supported on the local target"):
        run_file(user, text)


def test_date_plus_days_stays_a_date_and_date_minus_date_is_days(user):
    plus, minus, hours = rows(
        user, "SELECT DATE'2024-02-28' + INTERVAL 1 DAY, DATE'2025-03-01' - DATE'2025-02-01', "
        "DATE'2025-01-31' + INTERVAL 2 HOURS"
    )[0]  # fmt: skip
    assert plus == date(2024, 2, 29)
    assert minus.days == 28
    assert (hours.hour, hours.day) == (2, 31)


def test_timestampdiff_counts_whole_units_as_databricks(user):
    assert rows(
        user, "SELECT timestampdiff(MONTH, DATE'2025-01-31', DATE'2025-03-01'), "
        "timestampdiff(MONTH, TIMESTAMP'2025-01-31 10:00:00', TIMESTAMP'2025-02-28 09:00:00'), "
        "datediff(HOUR, TIMESTAMP'2025-03-02 01:00:00', TIMESTAMP'2025-03-01 23:30:00')"
    ) == [(1, 0, -1)]  # fmt: skip


def test_colon_paths_match_names_without_regard_to_case(user):
    doc = """'{"owner": "amy", "item": [{"price": 6.12}, {"price": 9.24}]}'"""
    assert rows(user, f"SELECT j:OWNER, j:['OWNER'], j:item[1].price FROM VALUES ({doc}) AS t(j)") == [
        ("amy", None, "9.24")
    ]


def test_try_cast_reads_strings_as_databricks_does(user):
    assert rows(
        user, "SELECT try_cast('2025' AS DATE), try_cast('2025-01-01 10:00:00+01:00' AS TIMESTAMP), "
        "try_cast('1d' AS DOUBLE), try_cast('yes' AS BOOLEAN), try_cast('2025/01/01' AS DATE)"
    ) == [(date(2025, 1, 1), datetime(2025, 1, 1, 9, 0), 1.0, True, None)]  # fmt: skip


def test_a_decimal_average_has_databricks_scale(user):
    assert str(rows(user, "SELECT avg(v) FROM VALUES (0.10), (0.20), (0.40) AS t(v)")[0][0]) == "0.233333"


def test_comparing_a_boolean_with_a_number_is_rejected_as_databricks_does():
    with pytest.raises(NotSupportedLocally, match=r"\[DATATYPE_MISMATCH\].*Databricks rejects"):
        translate("SELECT true = 1")


def test_a_name_takes_the_type_of_the_query_it_resolves_to(user):
    # `v` is a DECIMAL in one CTE and an INT in the other; each reference has the type of its own source.
    sql = (
        "WITH a AS (SELECT 1.25 AS v), b AS (SELECT 3 AS v) SELECT typeof(b.v), v / 7, (SELECT typeof(v) FROM a) FROM b"
    )
    assert rows(user, sql) == [("int", 3 / 7, "decimal(3,2)")]
    user.execute("CREATE TABLE prices AS SELECT * FROM VALUES (1.5D) AS t(v)")
    assert rows(user, "SELECT typeof(v) FROM (SELECT CAST(v AS INT) AS v FROM prices)") == [("int",)]
    assert rows(user, "SELECT typeof(v) FROM prices JOIN (SELECT 1 AS w) ON true") == [("double",)]
    # A star stands for its source's columns: x is a DECIMAL(3,2) there and a DECIMAL(12,2) in the union.
    star = "SELECT typeof(avg(x)) FROM (SELECT * FROM VALUES (1.5), (2.25) AS t(x) UNION ALL SELECT 3)"
    assert rows(user, star) == [("decimal(16,6)",)]


def test_a_name_whose_source_cannot_be_told_is_refused_where_its_type_matters(user):
    user.execute("CREATE TABLE prices AS SELECT * FROM VALUES (1.5D) AS t(v)")
    with pytest.raises(LakehouseError, match="typeof of a value whose type the local target cannot tell"):
        rows(user, "SELECT typeof(v) FROM prices JOIN (SELECT 1 AS v) ON true")  # ambiguous on Databricks


def test_an_inline_table_names_its_columns_from_col1(user):
    result = user.query("SELECT * FROM VALUES (1, 'a') UNION ALL SELECT col1 + 1, col2 FROM VALUES (2, 'b')")
    assert result.columns == ["col1", "col2"]
    assert sorted(result.rows) == [(1, "a"), (3, "b")]


def test_typeof_of_a_column_keeps_the_grouping_rules(user):
    with pytest.raises(Exception, match="must appear in the GROUP BY clause"):
        rows(user, "SELECT typeof(v), avg(v) FROM VALUES (1.5), (2.5) AS t(v)")  # MISSING_GROUP_BY on Databricks
    assert rows(user, "SELECT typeof(v), avg(v) FROM VALUES (1.5), (2.5) AS t(v) GROUP BY 1") == [
        ("decimal(2,1)", Decimal("2.00000"))
    ]


def test_a_string_beside_a_value_of_unknown_type_fails_unless_that_value_is_a_string(user):
    # A column a LATERAL VIEW makes is of a type the local target cannot tell.
    sql = "SELECT v = '7.0' FROM (SELECT 1) LATERAL VIEW explode(array({})) t AS v"
    with pytest.raises(Exception, match=r"\[UNSUPPORTED\] a string beside a value whose type .* CAST one"):
        rows(user, sql.format("7"))  # Databricks would fail to read '7.0' as an INT
    assert rows(user, sql.format("'7.0'")) == [(True,)]


def test_a_value_of_unknown_type_beside_a_number_fails_if_it_is_a_string(user):
    # Databricks would cast the string to a BIGINT and fail on '7.5'; DuckDB would read it its own way.
    sql = "SELECT v = 8 FROM (SELECT 1) LATERAL VIEW explode(array({})) t AS v"
    with pytest.raises(Exception, match=r"\[UNSUPPORTED\] a string of a type the local target could not tell"):
        rows(user, sql.format("'7.5'"))
    assert rows(user, sql.format("8")) == [(True,)]


USERS_SQL_IN_NEW_YORK = """
import sys
from runner.config import load_target
from runner.engines.duckdb_engine import DuckDBEngine
from usersql.session import UserSql

engine = DuckDBEngine(load_target("local", data_dir=sys.argv[1]))
user = UserSql(engine)
print(user.query("SELECT hour(CAST(TIMESTAMP'2025-01-01 05:00:00' AS TIMESTAMP))").rows)
print(engine.connection.execute("SELECT current_setting('TimeZone')").fetchone())
engine.close()
"""


def test_users_sql_runs_in_utc_whatever_the_machine(tmp_path):
    env = {**os.environ, "TZ": "America/New_York", "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    done = subprocess.run(
        [sys.executable, "-c", USERS_SQL_IN_NEW_YORK, str(tmp_path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["[(5,)]", "('UTC',)"]


def test_a_typed_literal_before_double_colon_keeps_its_meaning(user):
    assert rows(user, "SELECT DATE'2025-01-31'::TIMESTAMP, -2.5D::STRING") == [(datetime(2025, 1, 31), "-2.5")]


def test_the_index_of_a_lambda_counts_from_zero(user):
    assert rows(user, "SELECT transform(array(10, 20), (x, i) -> x + i)") == [([10, 21],)]


def test_aggregate_carries_an_accumulator_of_another_type_than_the_elements(user):
    # DuckDB's own list_reduce refuses a start of another type than the elements at planning.
    assert rows(user, "SELECT aggregate(array('ab', 'c'), 0L, (acc, x) -> acc + length(x))") == [(3,)]
    assert rows(user, "SELECT aggregate(array(1, 2, 3), 0, (acc, x) -> acc + x, acc -> acc * 10)") == [(60,)]


def test_aggregate_whose_merge_changes_the_type_is_refused_even_over_an_empty_array(user):
    # Databricks rejects it when it analyses the query, whatever the array holds.
    sql = "SELECT aggregate(filter(array(CAST(1 AS BIGINT)), x -> x > 5), 0, (acc, x) -> acc + x)"
    with pytest.raises(Exception, match=r"merge gives a BIGINT from a INTEGER start .*CAST the start"):
        rows(user, sql)


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT 1 AS a UNION ALL SELECT '2'",
        "SELECT DATE'2024-01-01' AS a INTERSECT SELECT '2024-01-01'",
        "SELECT * FROM (SELECT 1 AS a) UNION ALL (SELECT 'x')",
        "SELECT x FROM VALUES (1) AS t(x) EXCEPT SELECT y FROM VALUES ('2') AS s(y)",
    ],
)
def test_a_set_operation_of_a_string_and_another_type_is_refused(user, sql):
    # Databricks casts the string side to the other's type (and fails on 'x'); DuckDB makes both strings.
    with pytest.raises(LakehouseError, match="of a string column and a .* column is not supported on the local target"):
        rows(user, sql)


def test_to_json_leaves_out_null_fields_and_writes_doubles_as_java(user):
    assert rows(user, "SELECT to_json(named_struct('a', 1, 'b', NULL, 'c', 1e20))") == [('{"a":1,"c":1.0E20}',)]


def test_from_json_reads_dates_and_timestamps_as_spark(user):
    # A string as CAST reads it (NULL when malformed); days since 1970 in a string; seconds since 1970.
    sql = (
        'SELECT from_json(\'{"d":"2025-3-1","t":"2025-03-01T05:00:00+02:00","e":"5","s":60,"x":"no"}\', '
        "'d DATE, t TIMESTAMP, e DATE, s TIMESTAMP, x DATE')"
    )
    assert rows(user, sql) == [
        ({"d": date(2025, 3, 1), "t": datetime(2025, 3, 1, 3, 0), "e": date(1970, 1, 6),
          "s": datetime(1970, 1, 1, 0, 1), "x": None},)
    ]  # fmt: skip


def test_a_timestamp_text_with_a_zone_before_its_seconds_is_malformed(user):
    assert rows(user, "SELECT try_cast('2025-03-01 05:00:00+02:00' AS TIMESTAMP)") == [(datetime(2025, 3, 1, 3, 0),)]
    for text in ("2025-03-01 05:00+02:00", "2025-03-01 05Z", "2025-03-01T"):
        assert rows(user, f"SELECT try_cast('{text}' AS TIMESTAMP)") == [(None,)]


def test_to_json_writes_arrays_maps_and_structs_inside_each_other_as_databricks(user):
    # A NULL field is left out at any depth, a NULL element or map value written; Java's numbers.
    sql = "SELECT to_json(map('k', array(named_struct('a', 1.5D, 'b', NULL), NULL), 'n', NULL))"
    assert rows(user, sql) == [('{"k":[{"a":1.5},null],"n":null}',)]
    sql = "SELECT to_json(collect_list(named_struct('id', x, 'f', CAST(x / 10 AS FLOAT)))) FROM VALUES (1), (2) AS t(x)"
    assert rows(user, sql) == [('[{"id":1,"f":0.1},{"id":2,"f":0.2}]',)]
    assert rows(user, "SELECT to_json(from_json('{\"a\":[1,null]}', 'a ARRAY<INT>, b STRING'))") == [
        ('{"a":[1,null]}',)
    ]


def test_to_json_writes_decimals_as_bigdecimal_and_timestamp_ntz_without_zone(user):
    sql = "SELECT to_json(named_struct('d', CAST(0.00000010 AS DECIMAL(10,8)), 'e', array(CAST(0 AS DECIMAL(9,8)))))"
    assert rows(user, sql) == [('{"d":1.0E-7,"e":[0E-8]}',)]
    sql = "SELECT to_json(named_struct('n', TIMESTAMP_NTZ'2024-01-02 03:04:05', 't', TIMESTAMP'2024-01-02 03:04:05'))"
    assert rows(user, sql) == [('{"n":"2024-01-02T03:04:05.000","t":"2024-01-02T03:04:05.000Z"}',)]
    # Inside an array the local target cannot tell the two kinds apart: refused where either may be.
    for inside in ("array(TIMESTAMP_NTZ'2024-01-02 03:04:05')", "array(named_struct('t', TIMESTAMP_NTZ'2024-01-02'))"):
        with pytest.raises(Exception, match="TIMESTAMP_NTZ.*not supported on the local target"):
            rows(user, f"SELECT to_json({inside})")


def test_to_json_of_a_scalar_is_rejected_as_databricks_rejects_it(user):
    with pytest.raises(LakehouseError, match="INVALID_JSON_SCHEMA"):
        rows(user, "SELECT to_json(1.5)")


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT array(named_struct('a', false), named_struct('a', 1))",
        "SELECT coalesce(named_struct('a', 1), named_struct('b', 1))",
        "SELECT array(named_struct('a', 1, 'b', 2), named_struct('a', 1))",
        "SELECT map('k', array(1), 'j', array(true))",
        "SELECT array(map('a', 1), map('b', true))",
        "SELECT array(array(1), array(true), c) FROM VALUES (array(2)) AS t(c)",
        "SELECT array(array(true), c) FROM VALUES (array(1)) AS t(c)",
        "SELECT array(array(true), c) FROM (SELECT array(1) AS c)",
        "WITH w AS (SELECT named_struct('a', 1) AS c) SELECT array(named_struct('a', true), c) FROM w",
        "SELECT array(map('a', true), c) FROM (SELECT c FROM (SELECT map('a', 1) AS c))",
        "SELECT concat(array(1), array(true))",
        "SELECT array(array(true), transform(c, x -> x)) FROM (SELECT array(1) AS c)",
        "SELECT array(array(true), collect_list(c)) FROM (SELECT 1 AS c)",
        "SELECT array(array(true), map_values(m)) FROM (SELECT map('a', 1) AS m)",
        "SELECT array(array(true), flatten(c)) FROM (SELECT array(array(1)) AS c)",
        "SELECT array(array(true), zip_with(array(1), array(2), (a, b) -> a + b))",
        "SELECT array(array(true), arrays_zip(array(1)))",
        "SELECT array(map(1, true), transform_values(m, (k, v) -> v + 1)) FROM (SELECT map(1, 2) AS m)",
        "SELECT array(map(true, true), transform_keys(map(1, 2), (k, v) -> k + 1))",
        "SELECT array(map(1, true), map_from_entries(array(struct(1, 2))))",
        "SELECT array(array(true), map_entries(map(1, 2)))",
    ],
)
def test_structs_arrays_and_maps_without_a_common_type_are_rejected(user, sql):
    # DuckDB would cast the BOOLEAN to a number, or merge the structs' fields by name.
    with pytest.raises(LakehouseError, match="DATA_DIFF_TYPES"):
        rows(user, sql)


def test_unnamed_struct_fields_are_named_as_databricks_names_them(user):
    # A column, a struct's field and a map's value by a key written as a string give their names.
    values = "(SELECT 5 AS c, array(1) AS a, map('k', 1) AS m, map('k', array(3)) AS ma)"
    sql = f"SELECT struct((c), named_struct('q', 2).q, m['k'], element_at(m, 'k')) FROM {values}"
    assert rows(user, sql) == [({"c": 5, "q": 2, "k": 1, "col4": 1},)]
    sql = f"SELECT typeof(arrays_zip((a), ma['k'], array(2))) FROM {values}"
    assert rows(user, sql) == [("array<struct<a:int,k:int,2:int>>",)]
    # Databricks keeps two fields of one name; a DuckDB struct cannot.
    with pytest.raises(LakehouseError, match="a struct of two fields of one name .*name the fields apart"):
        rows(user, "SELECT struct(c, c) FROM (SELECT 1 AS c)")


def test_a_cast_to_an_array_map_or_struct_casts_each_part_as_databricks(user):
    # DuckDB rounds 1.5 to 2 and fails on 'x' where Databricks' try_cast gives NULL.
    sql = (
        "SELECT CAST(array(1.5, 2.5) AS ARRAY<INT>), try_cast(array('1', 'x') AS ARRAY<INT>), "
        "CAST(map('a', 1.5) AS MAP<STRING, INT>), CAST(named_struct('a', 1.5, 'b', 2) AS STRUCT<x: INT, y: STRING>)"
    )
    assert rows(user, sql) == [([1, 2], [1, None], {"a": 1}, {"x": 1, "y": "2"})]
    for rejected in (
        "SELECT CAST(array(1) AS MAP<INT, INT>)",
        "SELECT CAST(named_struct('a', 1) AS STRUCT<a: INT, b: INT>)",
    ):
        with pytest.raises(LakehouseError, match="CAST_WITHOUT_SUGGESTION"):
            rows(user, rejected)


def test_an_array_or_struct_is_stored_part_by_part_as_databricks_stores_it(user):
    # DuckDB would round 1.5 to 2, read '7' as an INT and match the struct's fields by name.
    user.execute("CREATE TABLE stored (a ARRAY<INT>, s STRUCT<x: INT, y: STRING>)")
    user.execute("INSERT INTO stored VALUES (array(1), named_struct('x', 1, 'y', 'u'))")
    assert rows(user, "SELECT typeof(a), typeof(s) FROM stored") == [("array<int>", "struct<x:int,y:string>")]
    user.execute("INSERT INTO stored VALUES (array(1.5), named_struct('p', 2.7, 'q', 5))")
    assert rows(user, "SELECT a, s FROM stored ORDER BY s.x") == [([1], {"x": 1, "y": "u"}), ([1], {"x": 2, "y": "5"})]
    for value, error in (
        ("(array('7'), NULL)", r"CANNOT_SAFELY_CAST.*`a`\.`element` \"STRING\" to \"INT\""),
        ("(NULL, named_struct('x', 1))", r"STRUCT_MISSING_FIELDS.*`y`"),
    ):
        with pytest.raises(LakehouseError, match=error):
            user.execute(f"INSERT INTO stored VALUES {value}")
    assert rows(user, "SELECT count(*) FROM stored") == [(2,)]
    # The local target keeps one kind of timestamp: a TIMESTAMP_NTZ inside a column's type is refused.
    with pytest.raises(LakehouseError, match="with a TIMESTAMP_NTZ inside is not supported"):
        user.execute("CREATE TABLE stamps (a ARRAY<TIMESTAMP_NTZ>)")


def test_struct_of_every_column_names_each_field_as_its_column(user):
    # Databricks expands the star to the query's columns (DuckDB alone would pack nothing).
    sql = (
        "SELECT to_json(struct(*)), to_json(struct(b.*)) "
        "FROM VALUES (1) AS a(k) JOIN VALUES ('z', 2) AS b(V, w) ON true"
    )
    assert rows(user, sql) == [('{"k":1,"V":"z","w":2}', '{"V":"z","w":2}')]
    # Two columns of one name would be two fields of one name, which DuckDB cannot hold.
    with pytest.raises(LakehouseError, match=r"struct\(\*\) of columns of the same name .*name the columns"):
        rows(user, "SELECT struct(*) FROM VALUES (1) AS a(k) JOIN VALUES (1) AS b(k) ON true")


@pytest.mark.parametrize(
    "frame", ["GROUPS BETWEEN 1 PRECEDING AND CURRENT ROW", "ROWS 1 PRECEDING EXCLUDE CURRENT ROW"]
)
def test_a_window_frame_databricks_cannot_parse_is_rejected(user, frame):
    with pytest.raises(LakehouseError, match="PARSE_SYNTAX_ERROR"):
        rows(user, f"SELECT count(v) OVER (ORDER BY v {frame}) FROM VALUES (1), (2) AS t(v)")


def test_columns_of_a_table_are_checked_by_the_types_inside_them(user):
    # The table's DuckDB types say what its arrays and structs hold; DuckDB alone would cast the BOOLEAN.
    user.execute("CREATE TABLE shaped AS SELECT array(1, 2) AS c, named_struct('a', 1, 'b', 'z') AS st")
    for sql in (
        "SELECT concat(c, array(true)) FROM shaped",
        "SELECT array(st, named_struct('a', true, 'b', 'q')) FROM shaped",
        "SELECT array(st, named_struct('x', 2, 'y', 'q')) FROM shaped",
    ):
        with pytest.raises(LakehouseError, match="DATA_DIFF_TYPES"):
            rows(user, sql)
    assert rows(user, "SELECT concat(c, array(2.5D)) FROM shaped") == [([1.0, 2.0, 2.5],)]


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT 1 UNION ALL SELECT true",
        "SELECT array(1) UNION ALL SELECT array(true)",
        "SELECT map('a', 1) INTERSECT SELECT map('a', true)",
        "SELECT x FROM VALUES (array(1)) AS t(x) EXCEPT SELECT array(true)",
    ],
)
def test_set_operations_of_columns_without_a_common_type_are_rejected(user, sql):
    # DuckDB would cast the BOOLEAN to a number.
    with pytest.raises(LakehouseError, match="INCOMPATIBLE_COLUMN_TYPE"):
        rows(user, sql)


def test_a_union_of_structs_named_apart_pairs_their_fields_by_place(user):
    # Databricks pairs the fields by place and keeps the first query's names; DuckDB merges them by name.
    sql = "SELECT named_struct('a', 1, 'b', 'x') AS s UNION ALL SELECT named_struct('p', 2, 'q', 'y')"
    assert sorted(rows(user, sql), key=lambda r: r[0]["a"]) == [({"a": 1, "b": "x"},), ({"a": 2, "b": "y"},)]
    # Named apart, Databricks finds no common type for fields of two types, nor INTERSECT and EXCEPT one.
    for rejected in (
        "SELECT named_struct('a', 1) UNION ALL SELECT named_struct('b', 2.5D)",
        "SELECT named_struct('a', 1) INTERSECT SELECT named_struct('b', 1)",
    ):
        with pytest.raises(LakehouseError, match="INCOMPATIBLE_COLUMN_TYPE"):
            rows(user, rejected)
    sql = "SELECT named_struct('a', 1) AS s UNION ALL SELECT named_struct('a', 2.5D)"
    assert sorted(r[0]["a"] for r in rows(user, sql)) == [1, 2.5]


def test_a_lambda_over_an_array_column_reads_its_elements_as_databricks_types_them(user):
    # Elements of an ARRAY<STRING> are strings (read as numbers beside one), of an ARRAY<INT> INTs.
    user.execute("CREATE TABLE lambdas AS SELECT array('3', '4') AS s, array(1, 2147483647) AS c")
    assert rows(user, "SELECT transform(s, x -> x + 1), transform(c, x -> typeof(x)) FROM lambdas") == [
        ([4, 5], ["int", "int"])
    ]
    with pytest.raises(Exception, match="Overflow in multiplication of INT32"):
        rows(user, "SELECT transform(c, x -> x * 2) FROM lambdas")


def test_a_set_operation_orders_by_expressions_of_its_columns(user):
    # DuckDB alone orders a UNION only by its columns themselves.
    assert rows(user, "SELECT 1 AS x UNION ALL SELECT 2 UNION ALL SELECT 3 ORDER BY x % 2, -x LIMIT 2") == [(2,), (3,)]
    sql = "SELECT t.x FROM VALUES (1), (2) AS t(x) UNION ALL SELECT 3 ORDER BY t.x DESC"
    assert rows(user, sql) == [(3,), (2,), (1,)]


def test_a_handler_sees_the_sqlstate_databricks_rejects_a_statement_with(user):
    # A statement Databricks rejects is not a local refusal (0A000): a handler of its SQLSTATE catches it.
    script = (
        "BEGIN DECLARE r STRING DEFAULT 'none'; BEGIN DECLARE EXIT HANDLER FOR SQLSTATE '42825' SET r = 'caught'; "
        "SELECT 1 UNION ALL SELECT true; END; SELECT r; END"
    )
    assert user.execute(script).rows == [("caught",)]
    with pytest.raises(Exception, match=r"\[INCOMPATIBLE_COLUMN_TYPE\] UNION .* \(SQLSTATE 42825\)"):
        user.execute(script.replace("'42825'", "'0A000'"))


def test_a_null_typed_value_read_from_a_column_is_rejected_where_databricks_rejects_it(user):
    # A map of NULL values is a MAP<STRING, VOID>: array_contains refuses its value's VOID type.
    with pytest.raises(LakehouseError, match="NULL_TYPE"):
        rows(user, "SELECT array_contains(array(1, 2, 3), element_at(c, 'k')) FROM VALUES (map('x', NULL)) AS t(c)")
    # Another row's value types the column.
    sql = (
        "SELECT array_contains(array(1, 2, 3), element_at(c, 'x')) FROM VALUES (map('x', NULL)), (map('x', 1)) AS t(c)"
    )
    assert rows(user, sql) == [(None,), (True,)]


def test_a_failing_left_side_beside_a_constant_is_evaluated(user):
    # DuckDB folds `x AND false` to false without x; Databricks evaluates x first and fails on 'x'.
    with pytest.raises(Exception, match="CAST_INVALID_INPUT"):
        rows(user, "SELECT CAST(c AS BIGINT) > 0 AND 10 <= 1 FROM VALUES ('x') AS t(c)")
    sql = "SELECT CAST(c AS BIGINT) > 0 AND false, CAST(c AS BIGINT) > 0 OR NULL FROM VALUES ('1'), (NULL) AS t(c)"
    assert rows(user, sql) == [(False, True), (False, None)]


def test_rows_of_a_values_whose_arrays_have_no_common_type_are_rejected(user):
    # DuckDB cast the BOOLEAN and answered two [1].
    with pytest.raises(LakehouseError, match="INCOMPATIBLE_TYPES_IN_INLINE_TABLE"):
        rows(user, "SELECT * FROM VALUES (array(1)), (array(true)) AS t(c)")


def test_structs_named_apart_are_compared_by_place(user):
    # Databricks pairs the fields by place (true here), DuckDB by name.
    assert rows(user, "SELECT named_struct('a', 1, 'b', 2) = named_struct('b', 1, 'a', 2)") == [(True,)]
    # Of other types by place, or ordered, they stay refused.
    with pytest.raises(LakehouseError, match="named differently.*not supported on the local target"):
        rows(user, "SELECT named_struct('a', 1) = named_struct('b', 1L)")


def test_utc_timestamp_in_a_zone_named_otherwise_than_by_region_is_refused(user):
    # Java reads offsets and abbreviations by rules of its own (PST is America/Los_Angeles, EST is -05:00).
    for zone in ("+05:30", "PST", "GMT+2"):
        with pytest.raises(LakehouseError, match="name a region such as America/New_York"):
            rows(user, f"SELECT from_utc_timestamp(TIMESTAMP'2025-06-01 00:00:00', '{zone}')")
    sql = "SELECT to_utc_timestamp(t, z) FROM VALUES (TIMESTAMP'2025-06-01 12:00:00', '+02:00') AS v(t, z)"
    with pytest.raises(Exception, match=r"UNSUPPORTED\] the time zone '\+02:00'"):
        rows(user, sql)
    # region IDs from a column are read
    sql = "SELECT to_utc_timestamp(t, z) FROM VALUES (TIMESTAMP'2025-06-01 12:00:00', 'Europe/Berlin') AS v(t, z)"
    assert rows(user, sql) == [(datetime(2025, 6, 1, 10, 0),)]


def test_rollup_gives_subtotals_and_grouping_tells_them_apart(user):
    sql = (
        "SELECT a, b, sum(c), grouping(a), grouping_id() FROM VALUES ('x', 1, 10), ('x', 2, 20), ('y', 1, 5) "
        "AS t(a, b, c) GROUP BY a, b WITH ROLLUP ORDER BY a NULLS LAST, b NULLS LAST"
    )
    assert rows(user, sql) == [
        ("x", 1, 10, 0, 0), ("x", 2, 20, 0, 0), ("x", None, 30, 0, 1),
        ("y", 1, 5, 0, 0), ("y", None, 5, 0, 1), (None, None, 35, 1, 3),
    ]  # fmt: skip


def test_grouping_id_over_grouped_expressions_is_refused(user):
    sql = "SELECT upper(a), grouping_id() FROM VALUES ('x') AS t(a) GROUP BY ROLLUP(upper(a))"
    with pytest.raises(LakehouseError, match="grouping_id\\(\\) over a GROUP BY of expressions"):
        rows(user, sql)


def test_typeof_an_aggregate_keeps_the_query_an_aggregate(user):
    assert rows(user, "SELECT typeof(sum(x)), typeof(row_number() OVER (ORDER BY 1)) FROM VALUES (1), (2) AS t(x)") == [
        ("bigint", "int")
    ]


def test_first_ignoring_nulls_under_a_filter_is_refused(user):
    with pytest.raises(LakehouseError, match="IGNORE NULLS here"):
        rows(user, "SELECT first(x, true) FILTER (WHERE y > 1) FROM VALUES (NULL, 1), (2, 2) AS t(x, y)")
    assert rows(user, "SELECT first(x, true), last(x) IGNORE NULLS FROM VALUES (NULL), (2), (3), (NULL) AS t(x)") == [
        (2, 3)
    ]


def test_posexplode_numbers_elements_from_zero_under_the_views_name(user):
    sql = (
        "SELECT id, x.pos, x.col FROM VALUES (1, array('a', 'b')), (2, NULL) AS t(id, arr) "
        "LATERAL VIEW OUTER posexplode(arr) x ORDER BY id, pos"
    )
    assert rows(user, sql) == [(1, 0, "a"), (1, 1, "b"), (2, None, None)]
    assert rows(user, "SELECT posexplode(array(10, 20)) AS (p, v) ORDER BY p") == [(0, 10), (1, 20)]


def test_a_decimal_column_keeps_its_type_through_a_subquery(user):
    sql = "SELECT avg(s) FROM (SELECT s FROM VALUES (1.5), (2.25) AS t(s)) AS x"
    assert rows(user, sql) == [(Decimal("1.875000"),)]


def test_avg_of_a_value_of_unknown_type_is_refused_not_guessed(user):
    # DuckDB's avg of a DECIMAL is a DOUBLE; Databricks' a DECIMAL: without the type, no answer.
    with pytest.raises(LakehouseError, match="avg of a value whose type the local target cannot tell"):
        rows(user, "SELECT avg(v) FROM (SELECT element_at(map_values(map('a', x)), 1) AS v FROM VALUES (1.5) AS t(x))")


def test_pivot_groups_by_the_other_columns_and_counts_nothing_as_null(user):
    sql = (
        "SELECT * FROM (SELECT y, q, s FROM VALUES (2024, 1, 10), (2024, 2, 20), (2025, 1, 5) AS t(y, q, s)) "
        "PIVOT (sum(s) AS total, count(s) AS n FOR q IN (1 AS q1, 2 AS q2)) ORDER BY y"
    )
    result = user.query(sql)
    assert result.columns == ["y", "q1_total", "q1_n", "q2_total", "q2_n"]
    assert result.rows == [(2024, 10, 1, 20, 1), (2025, 5, 1, None, None)]


def test_pivot_of_a_table_or_of_other_aggregates_is_refused(user):
    user.execute("CREATE TABLE sales AS SELECT * FROM VALUES ('n', 'jan', 3) AS t(region, month, amount)")
    with pytest.raises(LakehouseError, match="use a subquery that names its columns"):
        rows(user, "SELECT * FROM sales PIVOT (sum(amount) FOR month IN ('jan'))")
    with pytest.raises(LakehouseError, match="use count, sum, avg, min or max"):
        rows(
            user,
            "SELECT * FROM (SELECT region, month, amount FROM sales) PIVOT (collect_list(amount) FOR month IN ('jan'))",
        )


def test_unpivot_gives_the_other_columns_then_name_and_value(user):
    sql = "SELECT * FROM VALUES (1, 10, NULL) AS t(id, a, b) UNPIVOT INCLUDE NULLS (amount FOR month IN (a AS jan, b))"
    result = user.query(sql)
    assert result.columns == ["id", "month", "amount"]
    assert sorted(result.rows, key=str) == [(1, "b", None), (1, "jan", 10)]
    excluded = user.query(sql.replace(" INCLUDE NULLS", ""))
    assert excluded.rows == [(1, "jan", 10)]


def test_range_in_from_gives_bigint_ids(user):
    result = user.query("SELECT id, typeof(id) FROM range(1, 7, 3) ORDER BY id")
    assert result.columns[0] == "id"
    assert result.rows == [(1, "bigint"), (4, "bigint")]


def test_format_string_writes_as_java_and_refuses_what_it_cannot(user):
    assert rows(user, "SELECT printf('%05d|%-4s|%s', -42, 'ab', NULL)") == [("-0042|ab  |null",)]
    # Java rounds half up on the double's shortest digits (2.675 is 2.67499999... exactly; C writes 2.67).
    assert rows(user, "SELECT format_string('%.2f|%x', 2.675D, -1)") == [("2.68|ffffffff",)]
    with pytest.raises(LakehouseError, match="the format specifier '%s' of a DATE"):
        rows(user, "SELECT format_string('%s', DATE'2024-01-02')")  # Java would print the day number


def test_map_concat_with_a_key_in_two_maps_fails_as_on_databricks(user):
    with pytest.raises(Exception, match="DUPLICATED_MAP_KEY"):
        rows(user, "SELECT map_concat(map('a', 1), map('a', 2))")
    assert rows(user, "SELECT map_filter(map('a', 1, 'b', 2), (k, v) -> v > 1)") == [({"b": 2},)]


def test_the_smallest_bigint_literal_is_one_literal(user):
    assert rows(user, "SELECT -9223372036854775808L, 1 - 5L, CASE WHEN true THEN -5S END") == [(-(2**63), -4, -5)]
