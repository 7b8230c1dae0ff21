"""Quality rules: the files of sql/quality, each a query that returns the offending rows.

A rule file opens with a header of `-- key: value` lines, then holds one SELECT (or WITH) statement:

    -- rule: silver_primary_keys_unique
    -- severity: CRITICAL
    -- description: Every silver table has at most one row per primary key.
    -- checks: silver.events, silver.venues
    -- max_failing_share: 0.05          (optional; default 0: any offending row fails the rule)
    SELECT ... AS failing_key, ... FROM {{ ref('silver.events') }} ...

The query returns one row per offending row, with a `failing_key` column naming it (evidence kept in
data_quality_results). Deploy renders each rule for the target and registers it in
gold.data_quality_rules; sp_data_quality_checks runs the registered rules after the gold refresh.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import jinja2

from runner.config import PROJECT_ROOT
from runner.splitter import Statement, strip_comments

# The statements the runner sends for the rules, under sql/runner/.
REGISTER_RULE = "runner/register_quality_rule.sql"
DEACTIVATE_REMOVED_RULES = "runner/deactivate_removed_quality_rules.sql"
ROWS_CHECKED = "runner/quality_rule_rows_checked.sql"
RUN_RULES = "runner/run_quality_rules.sql"
RULES_TABLE = "data_quality_rules"
RESULTS_TABLE = "data_quality_results"


def _severity_weights() -> dict[str, int]:
    """The severities, most severe first, with their weights in the score: defined once, in SQL."""
    environment = jinja2.Environment(loader=jinja2.FileSystemLoader(str(PROJECT_ROOT / "sql")))
    return dict(environment.get_template("macros/quality.jinja").module.severity_weights)  # type: ignore[attr-defined]


SEVERITY_WEIGHTS = _severity_weights()
SEVERITIES = tuple(SEVERITY_WEIGHTS)

_HEADER_KEYS = {"rule", "severity", "description", "checks", "max_failing_share"}
_REQUIRED = ("rule", "severity", "description", "checks")
_QUERY_KEYWORDS = {"SELECT", "WITH"}
_REF = re.compile(r"^(bronze|silver|gold)\.[A-Za-z_][A-Za-z0-9_]*$")
# sp_data_quality_checks writes each rule's name into the statement that runs them all, as a literal.
_RULE_NAME = re.compile(r"[a-z][a-z0-9_]*")


@dataclass(frozen=True)
class Rule:
    name: str
    severity: str
    description: str
    checks: tuple[str, ...]  # refs, e.g. silver.events
    max_failing_share: float
    sql: str  # the rendered query
    checked_sql: str = ""  # the rendered count of the rows it checks (sql/runner/quality_rule_rows_checked.sql)

    @property
    def registration_values(self) -> list[object]:
        """The bound parameters of sql/runner/register_quality_rule.sql, in its order."""
        return [
            self.name, self.severity, self.description, ", ".join(self.checks), self.max_failing_share, self.sql,
            self.checked_sql,
        ]  # fmt: skip


class RuleError(ValueError):
    pass


def parse_header(text: str) -> dict[str, str]:
    """The `-- key: value` lines before the first statement; other comment lines are prose."""
    header: dict[str, str] = {}
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("--"):
            break
        key, sep, value = stripped.lstrip("-").strip().partition(":")
        key = key.strip().lower()
        if sep and key in _HEADER_KEYS:
            header[key] = value.strip()
    return header


def build_rule(file_name: str, text: str, statements: list[Statement]) -> Rule:
    """Check a rendered rule file and return its rule; errors say what the file must change."""
    header = parse_header(text)
    missing = [key for key in _REQUIRED if not header.get(key)]
    if missing:
        raise RuleError(f"the rule header lacks {', '.join(f'`-- {k}: ...`' for k in missing)}")
    if header["rule"] != file_name:
        raise RuleError(f"`-- rule: {header['rule']}` must be the file's name, {file_name}")
    if not _RULE_NAME.fullmatch(file_name):
        raise RuleError(
            f"a rule's name is lowercase letters, digits and underscores, starting with a letter: {file_name!r}"
        )
    severity = header["severity"].upper()
    if severity not in SEVERITIES:
        raise RuleError(f"severity {header['severity']!r} is not one of {', '.join(SEVERITIES)}")
    checks = tuple(part.strip() for part in header["checks"].split(",") if part.strip())
    bad = [c for c in checks if not _REF.match(c)]
    if not checks or bad:
        raise RuleError(f"`-- checks:` takes tables as layer.name, comma separated; got {header['checks']!r}")
    try:
        share = float(header.get("max_failing_share") or 0)
    except ValueError as exc:
        raise RuleError(
            f"max_failing_share must be a number between 0 and 1, got {header['max_failing_share']!r}"
        ) from exc
    if not 0 <= share < 1:
        raise RuleError(f"max_failing_share must be at least 0 and below 1, got {share}")
    if len(statements) != 1 or statements[0].first_keyword not in _QUERY_KEYWORDS:
        raise RuleError("a rule file holds exactly one SELECT (or WITH) query returning the offending rows")
    # Comments go: the procedure wraps the query in a subquery, where a trailing comment would eat the ')'.
    query = strip_comments(statements[0].sql).strip()
    return Rule(file_name, severity, header["description"], checks, share, query)
