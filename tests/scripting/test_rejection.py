"""Sources outside the supported subset fail at CREATE time, with the line, and register nothing."""

from __future__ import annotations

import pytest

from scripting import ScriptError, ScriptingSession

HEADER = "CREATE OR REPLACE PROCEDURE bad(IN n INT)\nLANGUAGE SQL\nAS BEGIN\n"

REJECTED = [
    # (id, body lines after the header, line of the offending statement, words the message must contain)
    ("cursor", "  DECLARE c CURSOR FOR SELECT 1;\nEND", 4, "cursor"),
    ("open_cursor", "  DECLARE x INT;\n  OPEN c;\nEND", 5, "OPEN"),
    ("leave_unknown_label", "  WHILE n > 0 DO\n    LEAVE nowhere;\n  END WHILE;\nEND", 5, "LEAVE nowhere"),
    ("iterate_a_block", "  blk: BEGIN\n    ITERATE blk;\n  END blk;\nEND", 5, "names a block"),
    ("undeclared_set", "  DECLARE x INT;\n  SET y = 1;\nEND", 5, "variable y is not declared"),
    ("declare_after_statement", "  SET n = 1;\n  DECLARE x INT;\nEND", 5, "must come first"),
    ("declare_in_loop", "  WHILE n > 0 DO\n    DECLARE x INT;\n  END WHILE;\nEND", 5, "only allowed at the beginning"),
    ("duplicate_variable", "  DECLARE x INT;\n  DECLARE x STRING;\nEND", 5, "declared twice"),
    (
        "get_diagnostics_outside_handler",
        "  DECLARE m STRING;\n  GET DIAGNOSTICS CONDITION 1 m = MESSAGE_TEXT;\nEND",
        5,
        "only allowed inside a condition handler",
    ),
    ("resignal_outside_handler", "  RESIGNAL;\nEND", 4, "RESIGNAL"),
    ("unsupported_type", "  DECLARE v VARIANT;\nEND", 4, "VARIANT"),
    ("set_config", "  SET spark.sql.ansi.enabled = true;\nEND", 4, "not a local variable"),
    ("end_label_mismatch", "  a: WHILE n > 0 DO\n    SET n = n - 1;\n  END WHILE b;\nEND", 6, "does not match"),
    ("missing_end_if", "  IF n > 0 THEN\n    SET n = 1;\n  END WHILE;\nEND", 6, "expected IF"),
    ("unknown_statement", "  FROBNICATE n;\nEND", 4, "FROBNICATE"),
    ("transaction", "  COMMIT;\nEND", 4, "transaction"),
    (
        "nested_create_procedure",
        "  CREATE PROCEDURE inner_p(IN a INT) AS BEGIN SELECT 1; END;\nEND",
        4,
        "CREATE PROCEDURE",
    ),
    ("sqlwarning", "  DECLARE EXIT HANDLER FOR SQLWARNING SET n = 1;\nEND", 4, "SQLWARNING"),
    (
        "duplicate_handler",
        "  DECLARE EXIT HANDLER FOR SQLEXCEPTION SET n = 1;\n"
        "  DECLARE CONTINUE HANDLER FOR SQLEXCEPTION SET n = 2;\nEND",
        5,
        "two handlers",
    ),
    ("bad_sqlstate", "  SIGNAL SQLSTATE '123' SET MESSAGE_TEXT = 'x';\nEND", 4, "5 characters"),
    ("begin_atomic", "  BEGIN ATOMIC\n    SET n = 1;\n  END;\nEND", 4, "ATOMIC"),
    ("python_language", None, 2, "LANGUAGE SQL"),
]


@pytest.mark.parametrize("case_id, body, line, words", REJECTED, ids=[r[0] for r in REJECTED])
def test_rejected_at_registration(
    session: ScriptingSession, case_id: str, body: str | None, line: int, words: str
) -> None:
    source = (
        HEADER + body
        if body is not None
        else ("CREATE OR REPLACE PROCEDURE bad(IN n INT)\nLANGUAGE PYTHON\nAS BEGIN\n  SELECT 1;\nEND")
    )
    with pytest.raises(ScriptError) as info:
        session.execute(source)
    message = str(info.value)
    assert f"line {line}:" in message, message
    assert words.lower() in message.lower(), message
    assert "bad" in message
    assert session.procedures() == []


def test_line_numbers_count_from_the_file_when_the_runner_says_where(session: ScriptingSession) -> None:
    with pytest.raises(ScriptError) as info:
        session.execute(HEADER + "  FETCH c INTO n;\nEND", first_line=20, origin="sql/procedures/bad.sql")
    assert "sql/procedures/bad.sql:23:" in str(info.value)
    assert info.value.line == 23


def test_replacing_with_an_invalid_body_keeps_the_old_procedure(session: ScriptingSession) -> None:
    session.execute(HEADER + "  SELECT n;\nEND")
    with pytest.raises(ScriptError):
        session.execute(HEADER + "  SELECT n;\n  LEAVE nowhere;\nEND")
    assert session.execute("CALL bad(7)").rows == [(7,)]


def test_create_without_replace_refuses_an_existing_name(session: ScriptingSession) -> None:
    session.execute(HEADER + "  SELECT n;\nEND")
    with pytest.raises(ScriptError, match="ROUTINE_ALREADY_EXISTS"):
        session.execute("CREATE PROCEDURE bad(IN n INT) LANGUAGE SQL AS BEGIN SELECT 2; END")
    session.execute("CREATE PROCEDURE IF NOT EXISTS bad(IN n INT) LANGUAGE SQL AS BEGIN SELECT 2; END")
    assert session.execute("CALL bad(1)").rows == [(1,)]


def test_create_in_a_missing_schema_fails(session: ScriptingSession) -> None:
    with pytest.raises(ScriptError, match="SCHEMA_NOT_FOUND"):
        session.execute("CREATE PROCEDURE nosuch.p(IN n INT) LANGUAGE SQL AS BEGIN SELECT n; END")
