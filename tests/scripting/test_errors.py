"""Runtime failures name the procedure, the statement and its line, with DuckDB's own words."""

from __future__ import annotations

import importlib.util
import json
import re
import threading
import zipfile
from pathlib import Path

import duckdb
import pytest

from scripting import ScriptError, ScriptingSession
from scripting.errors import _RAISED_CLASSES, _UNCLASSED

DIALECT = Path(__file__).resolve().parents[2] / "dialect"

FAILING = """CREATE OR REPLACE PROCEDURE gold.sp_fail(IN bad STRING)
LANGUAGE SQL
AS BEGIN
  DECLARE n INT DEFAULT 0;
  SET n = n + 1;
  INSERT INTO audit_log VALUES (n, 'ok');
  INSERT INTO audit_log VALUES (CAST(bad AS INT), 'boom');
  SET n = n + 1;
END"""


@pytest.fixture
def gold(conn) -> None:
    conn.execute("CREATE SCHEMA gold")


def test_error_names_procedure_statement_line_and_duckdb_text(session: ScriptingSession, gold: None) -> None:
    session.execute(FAILING, first_line=10)
    with pytest.raises(ScriptError) as info:
        session.execute("CALL gold.sp_fail('abc')")
    err = info.value
    text = str(err)
    assert err.procedure == "gold.sp_fail" and "gold.sp_fail" in text
    assert err.line == 16 and "line 16" in text  # line 7 of the statement, which starts on line 10
    assert "INSERT INTO audit_log VALUES (CAST(bad AS INT), 'boom')" in text
    assert "Could not convert string 'abc' to INT32" in text  # DuckDB's message
    assert err.sqlstate == "22018" and err.condition == "CAST_INVALID_INPUT"


def test_statements_before_the_failure_stay_done(session: ScriptingSession, conn, gold: None) -> None:
    session.execute(FAILING)
    with pytest.raises(ScriptError):
        session.execute("CALL gold.sp_fail('abc')")
    assert conn.execute("SELECT * FROM audit_log").fetchall() == [(1, "ok")]


def test_error_in_nested_call_points_at_the_inner_procedure(session: ScriptingSession, gold: None) -> None:
    session.execute(FAILING)
    session.execute("""CREATE OR REPLACE PROCEDURE gold.sp_outer(IN x INT)
LANGUAGE SQL
AS BEGIN
  CALL gold.sp_fail('nope');
END""")
    with pytest.raises(ScriptError) as info:
        session.execute("CALL gold.sp_outer(1)")
    assert info.value.procedure == "gold.sp_fail" and info.value.line == 7


def test_unhandled_signal(session: ScriptingSession) -> None:
    with pytest.raises(ScriptError) as info:
        session.execute("BEGIN\n  SIGNAL SQLSTATE '45123' SET MESSAGE_TEXT = 'custom failure';\nEND")
    assert info.value.sqlstate == "45123" and "custom failure" in str(info.value) and info.value.line == 2


def test_unknown_procedure(session: ScriptingSession) -> None:
    with pytest.raises(ScriptError, match="ROUTINE_NOT_FOUND"):
        session.execute("CALL nowhere(1)")


def test_wrong_arguments(session: ScriptingSession) -> None:
    session.execute("CREATE PROCEDURE p(IN a INT, IN b INT DEFAULT 2) LANGUAGE SQL AS BEGIN SELECT a + b; END")
    with pytest.raises(ScriptError, match="no value for parameter a"):
        session.execute("CALL p()")
    with pytest.raises(ScriptError, match="no parameter named c"):
        session.execute("CALL p(1, c => 3)")
    with pytest.raises(ScriptError, match="takes 2 arguments"):
        session.execute("CALL p(1, 2, 3)")
    with pytest.raises(ScriptError, match="CAST_INVALID_INPUT"):
        session.execute("CALL p('x')")


def test_out_argument_must_be_a_variable(session: ScriptingSession) -> None:
    session.execute("CREATE PROCEDURE p(OUT a INT) LANGUAGE SQL AS BEGIN SET a = 1; END")
    with pytest.raises(ScriptError, match="must be a variable"):
        session.execute("CALL p(1 + 1)")


def test_out_arguments_unchanged_when_the_procedure_fails(session: ScriptingSession) -> None:
    session.execute("""CREATE PROCEDURE p(INOUT a INT) LANGUAGE SQL AS BEGIN
  SET a = 99;
  SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'late failure';
END""")
    session.execute("DECLARE VARIABLE v INT DEFAULT 5")
    with pytest.raises(ScriptError, match="late failure"):
        session.execute("CALL p(v)")
    assert session.session_scope.vars["v"].value == 5
    session.execute("SET VAR v = 6")
    assert session.session_scope.vars["v"].value == 6


def test_aborted_transaction_is_not_swallowed_by_a_handler(session: ScriptingSession, conn) -> None:
    conn.execute("CREATE TABLE uniq (id INTEGER PRIMARY KEY)")
    conn.execute("BEGIN TRANSACTION")
    try:
        with pytest.raises(ScriptError, match="TRANSACTION_ABORTED"):
            session.execute(
                "BEGIN\n  DECLARE CONTINUE HANDLER FOR SQLEXCEPTION BEGIN END;\n"
                "  INSERT INTO uniq VALUES (1);\n  INSERT INTO uniq VALUES (1);\n  INSERT INTO uniq VALUES (2);\nEND"
            )
    finally:
        conn.execute("ROLLBACK")


def test_a_cancelled_statement_ends_the_call_without_running_its_handler(
    session: ScriptingSession, conn, gold: None
) -> None:
    # Ctrl-C cancels what runs: no EXIT handler may catch that and let the caller carry on.
    session.execute("""CREATE OR REPLACE PROCEDURE gold.sp_long()
LANGUAGE SQL
AS BEGIN
  DECLARE EXIT HANDLER FOR SQLEXCEPTION INSERT INTO audit_log VALUES (0, 'caught');
  INSERT INTO audit_log SELECT count(*)::INT, 'counted' FROM range(20000000000) AS t(x) WHERE x % 7 = 3;
END""")
    timer = threading.Timer(0.3, conn.interrupt)
    timer.start()
    with pytest.raises(duckdb.InterruptException):
        session.execute("CALL gold.sp_long()")
    timer.join()
    assert conn.execute("SELECT count(*) FROM audit_log").fetchone() == (0,)


# The classes the dialect's functions raise as the statement runs: `error('[CLASS] ...')` in its macros.
_RAISED = re.compile(r"error\(f?['\"]{1,3}\[([A-Z_]+)[\].]")


def test_every_class_the_dialect_raises_has_a_sqlstate() -> None:
    # A class without one would be INVALID_PARAMETER_VALUE (22023) to a handler, whatever Databricks says.
    raised = {m for path in DIALECT.glob("*.py") for m in _RAISED.findall(path.read_text())}
    assert raised, "no raised classes found: the pattern no longer matches the dialect's macros"
    assert raised - set(_RAISED_CLASSES) - _UNCLASSED == set()


def test_sqlstates_of_raised_classes_are_spark_ones() -> None:
    jars = _spark_jars()
    jar = next(iter(sorted(jars.glob("spark-common-utils_*.jar"))), None) if jars else None
    if jar is None:
        pytest.skip("pyspark (with its jars) is not installed")
    with zipfile.ZipFile(jar) as archive:
        conditions = json.loads(archive.read("error/error-conditions.json"))
    for name, state in _RAISED_CLASSES.items():
        expected = "0A000" if name == "UNSUPPORTED" else conditions[name]["sqlState"]
        assert state == expected, name
    for name in _UNCLASSED:
        assert name not in conditions  # Spark raises a bare exception there, without a class


def _spark_jars() -> Path | None:
    spec = importlib.util.find_spec("pyspark")
    if spec is None or spec.origin is None:
        return None
    return Path(spec.origin).parent / "jars"


@pytest.mark.parametrize(
    ("expression", "sqlstate", "condition"),
    [
        ("CAST(300 AS TINYINT)", "22003", "CAST_OVERFLOW"),
        ("CAST(12345.6 AS DECIMAL(3,1))", "22003", "NUMERIC_VALUE_OUT_OF_RANGE"),
        ("CAST('x' AS INT)", "22018", "CAST_INVALID_INPUT"),
        ("make_date(2020, 13, 1)", "22023", "DATETIME_FIELD_OUT_OF_BOUNDS"),
        ("CAST(9223372036854775807 AS DECIMAL(5,0))", "22003", "NUMERIC_VALUE_OUT_OF_RANGE"),
        ("MAP([1, 1], [2, 3])[1]", "23505", "DUPLICATED_MAP_KEY"),  # DuckDB SQL: this session translates nothing
    ],
)
def test_duckdb_errors_take_databricks_classes(
    session: ScriptingSession, expression: str, sqlstate: str, condition: str
) -> None:
    with pytest.raises(ScriptError) as info:
        session.execute(f"BEGIN\n  DECLARE v STRING;\n  SET v = CAST(({expression}) AS STRING);\nEND")
    assert (info.value.sqlstate, info.value.condition) == (sqlstate, condition)


def test_a_failure_databricks_raises_without_a_sqlstate_is_caught_by_no_handler(session: ScriptingSession) -> None:
    # Databricks fails `sequence(1, 5, -1)` with a bare Java exception: neither SQLEXCEPTION nor XX000 catches it.
    script = (
        "BEGIN\n  DECLARE r STRING DEFAULT 'none';\n"
        "  DECLARE EXIT HANDLER FOR SQLSTATE 'XX000' SET r = 'XX000';\n"
        "  DECLARE EXIT HANDLER FOR SQLEXCEPTION SET r = 'caught';\n"
        "  SET r = error('[ILLEGAL_SEQUENCE_BOUNDARIES] Illegal sequence boundaries: 1 to 5 by -1');\nEND"
    )
    with pytest.raises(ScriptError, match="Illegal sequence boundaries"):
        session.execute(script)
