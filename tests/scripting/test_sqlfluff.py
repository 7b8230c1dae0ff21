"""The procedure sources the interpreter runs also parse as Databricks SQL (sqlfluff's dialect).

sqlfluff is the second parser after Spark's. Where sqlfluff lacks a form that the Databricks
reference documents, the source is exempted with that page (tests/sqlfluff_exemptions.py) while
sqlfluff still rejects it; a sqlfluff that learns the form makes the test say the exemption can go.
"""

from __future__ import annotations

import pytest

from tests.scripting.cases import CASES, Case
from tests.sqlfluff_exemptions import exemption_for, sqlfluff_parsed


def _parse_problems(sql: str) -> list[str]:
    parsed = sqlfluff_parsed(sql)
    problems = [str(v.desc()) for v in parsed.violations]
    if parsed.tree is None:
        return problems or ["no parse tree"]
    problems += [f"unparsable: {seg.raw[:60]!r}" for seg in parsed.tree.recursive_crawl("unparsable")]
    return problems


def _parses_or_is_exempted(sql: str) -> None:
    exemption = exemption_for(sql)
    if exemption is None:
        assert _parse_problems(sql) == []
    else:
        assert _parse_problems(sql), f"sqlfluff now parses {exemption.form}: its exemption can go"


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_procedure_source_parses_as_databricks(case: Case) -> None:
    # A case says why sqlfluff cannot parse it exactly when its form is exempted.
    assert bool(case.sqlfluff_gap) == (exemption_for(case.source) is not None)
    _parses_or_is_exempted(case.source)


GAPS = {
    "SET (a, b) = (query) without VAR": (
        "CREATE OR REPLACE PROCEDURE p(IN n INT) LANGUAGE SQL AS BEGIN\n"
        "  DECLARE a INT;\n  DECLARE b INT;\n  SET (a, b) = (SELECT 1, 2);\n  SELECT a, b;\nEND"
    ),
    "EXECUTE IMMEDIATE ... INTO (a, b)": (
        "CREATE OR REPLACE PROCEDURE p(IN n INT) LANGUAGE SQL AS BEGIN\n"
        "  DECLARE a INT;\n  DECLARE b INT;\n  EXECUTE IMMEDIATE 'SELECT 1, 2' INTO (a, b);\n  SELECT a, b;\nEND"
    ),
}


@pytest.mark.parametrize("sql", list(GAPS.values()), ids=list(GAPS))
def test_forms_sqlfluff_lacks_are_exempted(sql: str) -> None:
    assert exemption_for(sql) is not None
    _parses_or_is_exempted(sql)


@pytest.mark.parametrize("sql", list(GAPS.values()), ids=list(GAPS))
def test_interpreter_accepts_the_forms_sqlfluff_lacks(sql: str, session) -> None:
    session.execute(sql)
    assert session.execute("CALL p(0)").rows == [(1, 2)]
