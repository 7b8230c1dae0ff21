"""The procedure sources the interpreter runs also parse as Databricks SQL (sqlfluff's dialect).

sqlfluff stands in for the warehouse's parser (DESIGN.md section 2). Where sqlfluff itself lacks a
form that Databricks accepts, the case is an expected failure with the reason, so a sqlfluff
upgrade that fixes it shows up as XPASS.
"""

from __future__ import annotations

import pytest

from tests.scripting.cases import CASES, Case

sqlfluff_core = pytest.importorskip("sqlfluff.core")

_LINTER = None


def _parse_problems(sql: str) -> list[str]:
    global _LINTER
    if _LINTER is None:
        _LINTER = sqlfluff_core.Linter(dialect="databricks")
    parsed = _LINTER.parse_string(sql)
    problems = [str(v.desc()) for v in parsed.violations]
    if parsed.tree is None:
        return problems or ["no parse tree"]
    problems += [f"unparsable: {seg.raw[:60]!r}" for seg in parsed.tree.recursive_crawl("unparsable")]
    return problems


def _params(case: Case):
    marks = [pytest.mark.xfail(reason=case.sqlfluff_gap, strict=True)] if case.sqlfluff_gap else []
    return pytest.param(case, id=case.id, marks=marks)


@pytest.mark.parametrize("case", [_params(c) for c in CASES])
def test_procedure_source_parses_as_databricks(case: Case) -> None:
    assert _parse_problems(case.source) == []


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
@pytest.mark.xfail(reason="sqlfluff 4.5's databricks dialect lacks this form; the interpreter accepts it", strict=True)
def test_known_sqlfluff_gaps(sql: str) -> None:
    assert _parse_problems(sql) == []


@pytest.mark.parametrize("sql", list(GAPS.values()), ids=list(GAPS))
def test_interpreter_accepts_the_forms_sqlfluff_lacks(sql: str, session) -> None:
    session.execute(sql)
    assert session.execute("CALL p(0)").rows == [(1, 2)]
