"""Forms the Databricks SQL reference documents and sqlfluff's databricks dialect rejects.

sqlfluff is the second parser of what the databricks target sends; Spark's is the first
(tests/oracle/test_parse_gate.py), and Spark parses every form listed here. Where sqlfluff rejects a
documented form, the statement is exempted with the page that documents it rather than bent to suit
the linter. An exemption is used only while sqlfluff still rejects the statement, so one that a
newer sqlfluff learns is reported and can go.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

import sqlfluff
from sqlfluff.api.simple import APIParsingError, get_simple_config
from sqlfluff.core import Linter
from sqlfluff.core.linter import ParsedString

from runner.splitter import strip_comments
from tests.conftest import PARSED_DIR

DOCS = "https://docs.databricks.com/aws/en/sql/language-manual"


@dataclass(frozen=True)
class Exemption:
    form: str
    pattern: re.Pattern[str]
    page: str
    example: str

    @property
    def reason(self) -> str:
        return f"sqlfluff rejects {self.form}, which Databricks documents ({self.page})"


def _exemption(form: str, pattern: str, page: str, example: str) -> Exemption:
    return Exemption(form, re.compile(pattern, re.I | re.S), page, example)


EXEMPTIONS = (
    _exemption(
        "REFRESH MATERIALIZED VIEW / STREAMING TABLE and REFRESH TABLE with FULL, SYNC or ASYNC",
        r"^REFRESH\s+(?:MATERIALIZED\s+VIEW\s+\S+|STREAMING\s+TABLE\s+\S+|TABLE\s+\S+\s+(?:FULL|SYNC|ASYNC))"
        r"(?:\s+(?:FULL|SYNC|ASYNC))?$",
        f"{DOCS}/sql-ref-syntax-ddl-refresh-full",
        "REFRESH STREAMING TABLE main.bronze.events_raw FULL",
    ),
    _exemption(
        "ANALYZE TABLE ... COMPUTE STATISTICS FOR ALL COLUMNS",
        r"^ANALYZE\s+TABLE\s+\S+\s+COMPUTE\s+STATISTICS\s+FOR\s+ALL\s+COLUMNS$",
        f"{DOCS}/sql-ref-syntax-aux-analyze-table",
        "ANALYZE TABLE main.gold.fact_events COMPUTE STATISTICS FOR ALL COLUMNS",
    ),
    _exemption(
        "GRANT REFRESH (on materialized views and streaming tables)",
        r"^GRANT\s+(?:[A-Z ]+,\s*)*REFRESH\b",
        "https://docs.databricks.com/aws/en/data-governance/unity-catalog/manage-privileges/privileges",
        "GRANT REFRESH ON TABLE main.gold.mv_monthly_summary TO `ticketmaster_pipeline`",
    ),
    _exemption(
        "CREATE PROCEDURE with an empty parameter list ()",
        r"^CREATE\s+(?:OR\s+REPLACE\s+)?PROCEDURE\s+[\w`.]+\s*\(\s*\)",
        f"{DOCS}/sql-ref-syntax-ddl-create-procedure",
        "CREATE OR REPLACE PROCEDURE main.gold.p() LANGUAGE SQL AS BEGIN SELECT 1; END",
    ),
    _exemption(
        "unnamed parameter markers (?), the values a statement is sent with",
        r"^(?:[^'?]|'(?:[^'\\]|\\.)*')*\?",
        f"{DOCS}/sql-ref-parameter-marker",
        "UPDATE main.gold.data_quality_rules SET is_active = FALSE WHERE rule_name NOT IN (?, ?)",
    ),
    # Inside a procedure body.
    _exemption(
        "SET (variable, ...) = (query) in a compound statement",
        r"^CREATE\b.*\bSET\s*\(\s*[\w`]+(?:\s*,\s*[\w`]+)*\s*\)\s*=\s*\(",
        f"{DOCS}/sql-ref-syntax-aux-set-variable",
        "CREATE OR REPLACE PROCEDURE main.gold.p(IN n INT) LANGUAGE SQL AS BEGIN\n"
        "  DECLARE a INT;\n  DECLARE b INT;\n  SET (a, b) = (SELECT 1, 2);\n  SELECT a, b;\nEND",
    ),
    _exemption(
        "EXECUTE IMMEDIATE ... INTO (variable, ...)",
        r"^CREATE\b.*\bEXECUTE\s+IMMEDIATE\b[^;]*\bINTO\s*\(",
        f"{DOCS}/sql-ref-syntax-aux-execute-immediate",
        "CREATE OR REPLACE PROCEDURE main.gold.p(IN n INT) LANGUAGE SQL AS BEGIN\n"
        "  DECLARE a INT;\n  DECLARE b INT;\n  EXECUTE IMMEDIATE 'SELECT 1, 2' INTO (a, b);\n  SELECT a, b;\nEND",
    ),
)


def exemption_for(sql: str) -> Exemption | None:
    text = strip_comments(sql).strip()
    return next((e for e in EXEMPTIONS if e.pattern.match(text)), None)


@functools.cache
def _linter(dialect: str) -> Linter:
    # The configuration sqlfluff.parse builds on every call (ignoring local config files), built once.
    return Linter(config=get_simple_config(dialect=dialect))


@functools.cache
def sqlfluff_parsed(sql: str, dialect: str = "databricks") -> ParsedString:
    """sqlfluff's parse of one statement: each text is parsed once per session and dialect."""
    return _linter(dialect).parse_string(sql)


def _parsed_mark(sql: str, dialect: str) -> Path | None:
    folder = os.environ.get(PARSED_DIR)
    if not folder:
        return None
    key = hashlib.sha256(f"{sqlfluff.__version__}\0{dialect}\0{sql}".encode()).hexdigest()
    return Path(folder) / key


def sqlfluff_parse(sql: str, dialect: str = "databricks") -> None:
    """sqlfluff.parse without the tree it returns: raises APIParsingError when the statement does not parse.

    A text any process of the session parsed without violation is not parsed again; a rejected one always is."""
    mark = _parsed_mark(sql, dialect)
    if mark is not None and mark.exists():
        return
    violations = sqlfluff_parsed(sql, dialect).violations
    if violations:
        raise APIParsingError(violations)
    if mark is not None:
        mark.touch()


def sqlfluff_rejects(sql: str) -> bool:
    try:
        sqlfluff_parse(sql)
    except APIParsingError:
        return True
    return False


def parse_with_sqlfluff(sql: str) -> Exemption | None:
    """Parse with sqlfluff's databricks dialect; a documented form it lacks is exempted (returned).

    Raises APIParsingError for a statement sqlfluff rejects without an exemption, and AssertionError
    for an exemption sqlfluff no longer needs."""
    exemption = exemption_for(sql)
    if exemption is None:
        sqlfluff_parse(sql)
        return None
    assert sqlfluff_rejects(sql), f"sqlfluff now parses {exemption.form}: drop its exemption\n{sql}"
    return exemption
