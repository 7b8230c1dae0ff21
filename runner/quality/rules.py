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

from runner.config import Target
from runner.macros import duckdb_string, sql_string
from runner.splitter import Statement, strip_comments

SEVERITIES = ("CRITICAL", "HIGH", "MEDIUM", "LOW")
# The same weights as the data_quality_scores view; kept here for the report's legend only.
SEVERITY_WEIGHTS = {"CRITICAL": 10, "HIGH": 5, "MEDIUM": 2, "LOW": 1}
QUALITY_PROCEDURE = "sp_data_quality_checks"
RULES_TABLE = "data_quality_rules"
RESULTS_TABLE = "data_quality_results"
SCORES_VIEW = "data_quality_scores"

_HEADER_KEYS = {"rule", "severity", "description", "checks", "max_failing_share"}
_REQUIRED = ("rule", "severity", "description", "checks")
_QUERY_KEYWORDS = {"SELECT", "WITH"}
_REF = re.compile(r"^(bronze|silver|gold)\.[A-Za-z_][A-Za-z0-9_]*$")


@dataclass(frozen=True)
class Rule:
    name: str
    severity: str
    description: str
    checks: tuple[str, ...]  # refs, e.g. silver.events
    max_failing_share: float
    sql: str  # the rendered query


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


def _literal(target: Target):
    # Repository text in a literal, as COMMENT strings are: Databricks escapes with backslashes,
    # DuckDB doubles the quote.
    return sql_string if target.engine == "databricks" else duckdb_string


def checked_sql(target: Target, rule: Rule) -> str:
    counts = [f"(SELECT count(*) FROM {target.qualify(*ref.split('.', 1))})" for ref in rule.checks]
    return "SELECT " + " + ".join(counts) + " AS rows_checked"


def registration_sql(target: Target, rule: Rule) -> str:
    """Deploy-time MERGE of one rule into gold.data_quality_rules; unchanged rules stay untouched."""
    lit = _literal(target)
    table = target.qualify("gold", RULES_TABLE)
    return "\n".join(
        [
            f"MERGE INTO {table} AS tgt",
            "USING (",
            "    SELECT",
            f"        {lit(rule.name)} AS rule_name,",
            f"        {lit(rule.severity)} AS severity,",
            f"        {lit(rule.description)} AS description,",
            f"        {lit(', '.join(rule.checks))} AS checked_tables,",
            f"        CAST({rule.max_failing_share!r} AS DOUBLE) AS max_failing_share,",
            f"        {lit(rule.sql)} AS rule_sql,",
            f"        {lit(checked_sql(target, rule))} AS checked_sql",
            ") AS src",
            "ON tgt.rule_name = src.rule_name",
            "WHEN MATCHED AND (",
            "    NOT tgt.is_active OR tgt.severity <> src.severity OR tgt.description <> src.description",
            "    OR tgt.checked_tables <> src.checked_tables OR tgt.max_failing_share <> src.max_failing_share",
            "    OR tgt.rule_sql <> src.rule_sql OR tgt.checked_sql <> src.checked_sql",
            ") THEN UPDATE SET",
            "    severity = src.severity,",
            "    description = src.description,",
            "    checked_tables = src.checked_tables,",
            "    max_failing_share = src.max_failing_share,",
            "    rule_sql = src.rule_sql,",
            "    checked_sql = src.checked_sql,",
            "    is_active = TRUE,",
            "    registered_at = current_timestamp",
            "WHEN NOT MATCHED THEN INSERT (",
            "    rule_name, severity, description, checked_tables, max_failing_share, rule_sql, checked_sql,",
            "    is_active, registered_at",
            ") VALUES (",
            "    src.rule_name, src.severity, src.description, src.checked_tables, src.max_failing_share,",
            "    src.rule_sql, src.checked_sql, TRUE, current_timestamp",
            ")",
        ]
    )


def deactivation_sql(target: Target, names: list[str]) -> str:
    """Rules whose files are gone stop running; their past results stay."""
    lit = _literal(target)
    listed = ", ".join(lit(n) for n in sorted(names))
    return (
        f"UPDATE {target.qualify('gold', RULES_TABLE)} SET is_active = FALSE, registered_at = current_timestamp\n"
        f"WHERE is_active AND rule_name NOT IN ({listed})"
    )


def quality_call_sql(target: Target) -> str:
    return f"CALL {target.qualify('gold', QUALITY_PROCEDURE)}()"
