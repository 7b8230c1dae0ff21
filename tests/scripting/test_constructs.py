"""One small procedure per construct, called on DuckDB, compared with what Databricks semantics give."""

from __future__ import annotations

import pytest

from scripting import ScriptingSession
from tests.scripting.cases import CASES, Case

BY_ID = {case.id: case for case in CASES}


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_construct(case: Case, session: ScriptingSession, conn) -> None:
    for required in case.requires:
        session.execute(BY_ID[required].source)
    for statement in case.session_setup:
        session.execute(statement)
    result = session.execute(case.source)
    assert "registered" in result.message
    for call, expected in case.calls:
        assert session.execute(call).rows == expected, call
    if case.check is not None:
        query, expected = case.check
        assert conn.execute(query).fetchall() == expected
    for name, value in case.session_vars.items():
        assert session.session_scope.vars[name].value == value, name
