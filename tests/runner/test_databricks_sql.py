"""Everything the Databricks target would send parses with sqlfluff's databricks dialect, the second
parser after Spark's (tests/oracle/test_parse_gate.py). A form the Databricks reference documents and
sqlfluff rejects is exempted with its page (tests/sqlfluff_exemptions.py), not bent to suit sqlfluff."""

from __future__ import annotations

import pytest
import sqlfluff
from sqlfluff.api.simple import APIParsingError

from runner.config import load_target
from runner.project import compile_project
from runner.steps import deploy_steps, run_steps
from scripting.lexer import STRING, tokenize
from tests.sqlfluff_exemptions import (
    EXEMPTIONS,
    exemption_for,
    parse_with_sqlfluff,
    sqlfluff_parse,
    sqlfluff_rejects,
)


def databricks_statements() -> list[tuple[str, str]]:
    target = load_target("databricks")
    objects = compile_project(target)
    steps = deploy_steps(target, objects) + run_steps(target, objects)
    found = [(f"{s.phase}:{s.object_key}:{n}", s.sql) for n, s in enumerate(steps) if s.sql]
    sent = {sql for _, sql in found}
    full_refresh = run_steps(target, objects, full_refresh=True)
    found += [(f"full-refresh:{s.object_key}:{n}", s.sql) for n, s in enumerate(full_refresh) if s.sql not in sent]
    return found


STATEMENTS = databricks_statements()


def test_every_object_renders_statements_for_databricks():
    names = {name.split(":")[1] for name, _ in STATEMENTS}
    assert {"setup.schemas", "bronze.landing", "bronze.events_raw", "bronze.venues_raw"} <= names


def assert_parses_as_databricks(sql: str, name: str = "statement") -> None:
    """sqlfluff parses the statement, or it is a documented form sqlfluff lacks (exempted)."""
    try:
        parse_with_sqlfluff(sql)
    except APIParsingError as exc:
        pytest.fail(f"{name} does not parse as Databricks SQL:\n{sql}\n{exc}")


@pytest.mark.parametrize(("name", "sql"), STATEMENTS, ids=[name for name, _ in STATEMENTS])
def test_statement_parses_with_the_databricks_dialect(name, sql):
    assert_parses_as_databricks(sql, name)


def test_full_refresh_statements_are_covered():
    assert any(name.startswith("full-refresh:") and sql.endswith(" FULL") for name, sql in STATEMENTS)


def test_an_exemption_covers_only_its_documented_grammar():
    assert exemption_for("REFRESH STREAMING TABLE main.bronze.events_raw FULL")
    assert exemption_for("REFRESH MATERIALIZED VIEW main.gold.mv_monthly_summary")
    assert not exemption_for("REFRESH MATERIALIZED VIEW main.gold.mv; DROP TABLE x")
    assert not exemption_for("REFRESH TABLE main.gold.mv_monthly_summary")
    assert exemption_for("GRANT REFRESH ON MATERIALIZED VIEW main.gold.mv_x TO `pipeline`")


@pytest.mark.parametrize("exemption", EXEMPTIONS, ids=[e.form for e in EXEMPTIONS])
def test_each_exemption_is_still_needed(exemption):
    # Fails once sqlfluff parses the form: the exemption can then go.
    assert sqlfluff_rejects(exemption.example), exemption.reason


def test_the_parser_check_can_fail():
    # Guards the test above against a sqlfluff that accepts anything.
    with pytest.raises(APIParsingError):
        sqlfluff.parse("CREATE OR REFRESH STREAMING TABLE AS FROM STREAM", dialect="databricks")
    with pytest.raises(APIParsingError):  # and the session's cached parse says the same
        sqlfluff_parse("CREATE OR REFRESH STREAMING TABLE AS FROM STREAM")


def doubled_quotes(sql: str) -> list[str]:
    """The single-quoted literals in which a quote is escaped by doubling it (`'it''s'`). Databricks
    documents `\\'` as the escape of a quote and reads `'it''s'` as two literals run together, `its`;
    Spark 4 and DuckDB read one quote, so neither engine would notice. The scripting lexer reads a doubled
    quote as part of its literal and skips comments and backquoted names."""
    return [t.text for t in tokenize(sql) if t.kind == STRING and t.text.startswith("'") and "''" in t.text[1:-1]]


def test_no_literal_escapes_a_quote_by_doubling_it():
    assert doubled_quotes("SELECT 'it''s'") and doubled_quotes("SELECT ''''")
    assert doubled_quotes("SET text = 'SELECT ''' || name || ''' AS rule_name'")
    assert not doubled_quotes("SELECT 'it\\'s', '', chr(39) -- don''t\n/* it''s */ FROM `a''b`")
    offending = {name: doubled_quotes(sql) for name, sql in STATEMENTS if doubled_quotes(sql)}
    assert not offending, offending
