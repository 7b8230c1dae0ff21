"""Values travel as bound parameters; procedures persist in the database file; the Python API."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from scripting import ScriptingSession, benchmark_while_loop, is_scripting_statement

HOSTILE = "'); DROP TABLE events; -- \" ` $1 ? :p \\' END; BEGIN"

ECHO = """CREATE OR REPLACE PROCEDURE echo(IN v STRING, OUT copied STRING)
LANGUAGE SQL
AS BEGIN
  DECLARE local STRING DEFAULT v;
  INSERT INTO audit_log VALUES (1, v);
  SET copied = (SELECT note FROM audit_log WHERE note = local);
  IF copied = v THEN
    EXECUTE IMMEDIATE 'INSERT INTO audit_log VALUES (2, ?)' USING local;
  END IF;
  SELECT step, note, note = v AS same FROM audit_log ORDER BY step;
END"""


def test_hostile_value_passes_through_unchanged(session: ScriptingSession, conn) -> None:
    session.execute(ECHO)
    result = session.call("echo", HOSTILE)
    assert result.rows == [(1, HOSTILE, True), (2, HOSTILE, True)]
    assert result.out_params == {"copied": HOSTILE}
    assert conn.execute("SELECT count(*) FROM events").fetchone() == (4,)


def test_hostile_value_from_a_sql_call(session: ScriptingSession, conn) -> None:
    session.execute(ECHO)
    result = session.execute(
        "BEGIN\n  DECLARE out_var STRING;\n  CALL echo('x''); DROP TABLE events; --', out_var);\n  SELECT out_var;\nEND"
    )
    assert result.rows == [("x'); DROP TABLE events; --",)]
    assert conn.execute("SELECT count(*) FROM events").fetchone() == (4,)


def test_persistence_across_connections(tmp_path: Path) -> None:
    path = str(tmp_path / "lake.duckdb")
    first = duckdb.connect(path)
    first.execute("CREATE SCHEMA gold")
    ScriptingSession(first).execute(
        "CREATE OR REPLACE PROCEDURE gold.sp_add(IN a INT, IN b INT DEFAULT 1)\nLANGUAGE SQL\n"
        "AS BEGIN\n  SELECT a + b AS total;\nEND"
    )
    first.close()

    second = duckdb.connect(path)
    session = ScriptingSession(second)
    assert session.procedures() == ["gold.sp_add"]
    assert session.execute("CALL gold.sp_add(2)").rows == [(3,)]
    assert session.call("gold.sp_add", 2, b=5).rows == [(7,)]
    stored = second.execute(
        "SELECT parameters, body FROM _runner.procedures WHERE procedure_name = 'sp_add'"
    ).fetchone()
    assert '"name": "b"' in stored[0] and stored[1].startswith("BEGIN")
    session.execute("DROP PROCEDURE gold.sp_add")
    session.execute("DROP PROCEDURE IF EXISTS gold.sp_add")
    assert session.procedures() == []
    second.close()


def test_unqualified_names_resolve_in_the_current_schema(session: ScriptingSession, conn) -> None:
    conn.execute("CREATE SCHEMA silver")
    conn.execute("USE silver")
    session.execute("CREATE PROCEDURE where_am_i(IN x INT) LANGUAGE SQL AS BEGIN SELECT x; END")
    assert session.procedures() == ["silver.where_am_i"]
    conn.execute("USE main")
    assert session.execute("CALL silver.where_am_i(1)").rows == [(1,)]


def test_python_call_returns_out_parameters(session: ScriptingSession) -> None:
    session.execute("""CREATE PROCEDURE stats(IN wanted STRING, OUT n BIGINT, INOUT tally INT)
LANGUAGE SQL AS BEGIN
  SET n = (SELECT count(*) FROM events WHERE status = wanted);
  SET tally = tally + n;
END""")
    result = session.call("stats", "onsale", tally=10)
    assert result.columns == ["n", "tally"] and result.rows == [(2, 12)]
    assert result.out_params == {"n": 2, "tally": 12}


def test_anonymous_compound_and_execute_immediate_at_top_level(session: ScriptingSession) -> None:
    assert session.execute("BEGIN\n  DECLARE x INT DEFAULT 2;\n  SELECT x * 21 AS answer;\nEND").rows == [(42,)]
    assert session.execute("EXECUTE IMMEDIATE 'SELECT ? + 1' USING 41").rows == [(42,)]


def test_maintenance_statements_are_local_no_ops(session: ScriptingSession) -> None:
    result = session.execute("BEGIN\n  OPTIMIZE events ZORDER BY (id);\n  SELECT 1;\nEND")
    assert result.rows == [(1,)] and any("OPTIMIZE" in note for note in result.notes)


@pytest.mark.parametrize(
    "sql, expected",
    [
        ("CREATE OR REPLACE PROCEDURE p(IN a INT) AS BEGIN SELECT 1; END", True),
        ("CREATE PROCEDURE IF NOT EXISTS s.p(IN a INT) AS BEGIN SELECT 1; END", True),
        ("DROP PROCEDURE IF EXISTS s.p", True),
        ("CALL s.p(1)", True),
        ("  -- comment\nBEGIN\n  SELECT 1;\nEND", True),
        ("lbl: BEGIN SELECT 1; END lbl", True),
        ("/* a */ -- b\nlbl : BEGIN SELECT 1; END lbl", True),
        ("create /* kind */ procedure p() AS BEGIN SELECT 1; END", True),
        ("EXECUTE IMMEDIATE 'SELECT 1'", True),
        ("DECLARE VARIABLE v INT", True),
        ("SET VAR v = 1", True),
        ("BEGIN TRANSACTION", False),
        ("BEGIN", False),
        ("SELECT 'CALL p()'", False),
        ("CREATE OR REPLACE TABLE t AS SELECT 1", False),
        ("-- PROCEDURE\nCREATE VIEW v AS SELECT 'CALL p()'", False),
        ("MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN DELETE", False),
        ("SET threads = 2", False),
        ("", False),
    ],
)
def test_is_scripting_statement(sql: str, expected: bool) -> None:
    assert is_scripting_statement(sql) is expected


def test_benchmark_runs() -> None:
    assert benchmark_while_loop(50) > 0
