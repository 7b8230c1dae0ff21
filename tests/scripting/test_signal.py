"""SIGNAL as the signal-stmt reference documents it: MESSAGE_TEXT is a STRING literal; a computed message is
the errorMessage argument of USER_RAISED_EXCEPTION (SQLSTATE P0001), and is what the caller reads."""

from __future__ import annotations

import pytest

from scripting import ScriptError, ScriptingSession


def procedure(body: str) -> str:
    return f"""CREATE OR REPLACE PROCEDURE check_count(IN n INT)
LANGUAGE SQL
AS BEGIN
{body}
END"""


@pytest.mark.parametrize(
    "message",
    ["'failed: ' || n", "concat('failed ', CAST(n AS STRING))", "msg"],
    ids=["concatenation", "function", "variable"],
)
def test_a_computed_message_text_is_refused_at_create(session: ScriptingSession, message: str) -> None:
    body = (
        "  DECLARE msg STRING DEFAULT 'x';\n"
        "  IF n > 0 THEN\n"
        f"    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = {message};\n"
        "  END IF;"
    )
    with pytest.raises(ScriptError) as info:
        session.execute(procedure(body))
    text = str(info.value)
    assert "MESSAGE_TEXT takes a STRING literal" in text and "MESSAGE_ARGUMENTS = map('errorMessage'" in text
    assert info.value.line == 6
    assert session.procedures() == []  # nothing was created


def test_a_literal_message_text_is_accepted(session: ScriptingSession) -> None:
    session.execute(procedure("  SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'always fails';"))
    with pytest.raises(ScriptError) as info:
        session.execute("CALL check_count(1)")
    assert info.value.sqlstate == "45000" and "always fails" in str(info.value)


def test_message_arguments_raise_user_raised_exception_with_the_computed_message(session: ScriptingSession) -> None:
    body = (
        "  IF n > 0 THEN\n"
        "    SIGNAL USER_RAISED_EXCEPTION\n"
        "      SET MESSAGE_ARGUMENTS = map('errorMessage', n || ' CRITICAL rule(s) failed');\n"
        "  END IF;"
    )
    session.execute(procedure(body))
    session.execute("CALL check_count(0)")
    with pytest.raises(ScriptError) as info:
        session.execute("CALL check_count(2)")
    err = info.value
    assert (err.sqlstate, err.condition) == ("P0001", "USER_RAISED_EXCEPTION")
    assert "2 CRITICAL rule(s) failed" in str(err)


def test_message_arguments_from_a_map_variable(session: ScriptingSession) -> None:
    # The form of the documented example: the map is built in a variable, then signalled.
    body = (
        "  DECLARE arguments MAP<STRING, STRING>;\n"
        "  SET arguments = MAP {'errorMessage': 'n is ' || n};\n"
        "  SIGNAL USER_RAISED_EXCEPTION SET MESSAGE_ARGUMENTS = arguments;"
    )
    session.execute(procedure(body))
    with pytest.raises(ScriptError) as info:
        session.execute("CALL check_count(7)")
    assert info.value.sqlstate == "P0001" and "n is 7" in str(info.value)


def test_a_handler_reads_the_message_and_state(session: ScriptingSession, conn) -> None:
    body = (
        "  DECLARE msg STRING;\n"
        "  DECLARE state STRING;\n"
        "  DECLARE EXIT HANDLER FOR SQLEXCEPTION\n"
        "    BEGIN\n"
        "      GET DIAGNOSTICS CONDITION 1 msg = MESSAGE_TEXT, state = RETURNED_SQLSTATE;\n"
        "      INSERT INTO audit_log VALUES (n, state || ': ' || msg);\n"
        "    END;\n"
        "  SIGNAL USER_RAISED_EXCEPTION SET MESSAGE_ARGUMENTS = map('errorMessage', 'too many: ' || n);"
    )
    session.execute(procedure(body))
    session.execute("CALL check_count(3)")
    assert conn.execute("SELECT * FROM audit_log").fetchall() == [(3, "P0001: too many: 3")]


def test_other_argument_names_do_not_match_user_raised_exception(session: ScriptingSession) -> None:
    session.execute(procedure("  SIGNAL USER_RAISED_EXCEPTION SET MESSAGE_ARGUMENTS = map('message', 'x');"))
    with pytest.raises(ScriptError) as info:
        session.execute("CALL check_count(1)")
    assert info.value.condition == "USER_RAISED_EXCEPTION_PARAMETER_MISMATCH" and "`errorMessage`" in str(info.value)


def test_message_arguments_go_with_a_condition_name_not_a_sqlstate(session: ScriptingSession) -> None:
    with pytest.raises(ScriptError, match="with SQLSTATE only MESSAGE_TEXT is allowed"):
        session.execute(procedure("  SIGNAL SQLSTATE '45000' SET MESSAGE_ARGUMENTS = map('errorMessage', 'x');"))


def test_the_quality_procedure_still_says_which_run_failed(tmp_path, monkeypatch) -> None:
    """The project's own procedure, rendered for the local target, keeps its informative message."""
    from runner.config import load_target
    from runner.project import compile_project

    target = load_target("local", data_dir=tmp_path)
    [quality] = [o for o in compile_project(target) if o.key == "procedures.sp_data_quality_checks"]
    source = quality.deploy[0].sql
    assert "SIGNAL USER_RAISED_EXCEPTION SET MESSAGE_ARGUMENTS = failure_arguments" in source
    assert "MESSAGE_TEXT =" not in source.split("SIGNAL", 1)[1].split(";", 1)[0]
