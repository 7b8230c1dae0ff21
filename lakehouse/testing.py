"""`lakehouse test --select`: which quality rules to run, and running a chosen few.

A term selects rules by name (`fact_grain`, `quality.fact_grain`), by severity (`critical`,
`severity:high`), or through the objects they check (`silver.events`, `gold`, `+gold.fact_events`):
every rule that checks or reads a selected object.
"""

from __future__ import annotations

from collections.abc import Sequence

from runner.config import Target
from runner.engines.base import Engine
from runner.errors import LakehouseError
from runner.quality.rules import RESULTS_TABLE, RULES_TABLE, SEVERITIES
from runner.selectors import Graph, split_terms


def _rules_of_term(graph: Graph, rules: dict, term: str) -> set[str]:
    method, sep, value = term.partition(":")
    severity = (value if sep and method == "severity" else term).upper()
    if severity in SEVERITIES:
        return {name for name, obj in rules.items() if obj.rule.severity == severity}
    name = term.removeprefix("quality.")
    if name in rules:
        return {name}
    keys = graph.match(term)
    return {name for name, obj in rules.items() if obj.key in keys or keys & (set(obj.rule.checks) | set(obj.refs))}


def chosen_rules(objects: Sequence, select: str | Sequence[str] | None, exclude: str | Sequence[str] | None) -> list:
    """The names of the rules a selection keeps, sorted; every rule when nothing is selected."""
    rules = {obj.file.name: obj for obj in objects if obj.rule is not None}
    graph = Graph(objects)
    terms, excluded = split_terms(select), split_terms(exclude)
    chosen = set(rules) if not terms else set()
    for term in terms:
        chosen |= _rules_of_term(graph, rules, term)
    for term in excluded:
        chosen -= _rules_of_term(graph, rules, term)
    if not chosen:
        raise LakehouseError("the selection keeps no quality rule; `lakehouse ls --select kind:rule` lists them.")
    return sorted(chosen)


def evaluate_rules(engine: Engine, target: Target, names: list[str], run_id: str) -> None:
    """Run the registered queries of some rules as sp_data_quality_checks does, storing one result row each."""
    markers = ", ".join("?" for _ in names)
    registered = engine.execute(
        "SELECT rule_name, severity, max_failing_share, rule_sql, checked_sql "
        f"FROM {target.qualify('gold', RULES_TABLE)} WHERE is_active AND rule_name IN ({markers}) ORDER BY rule_name",
        list(names),
    ).rows
    insert = (
        f"INSERT INTO {target.qualify('gold', RESULTS_TABLE)} (run_id, rule_name, severity, rows_failing, "
        "rows_checked, max_failing_share, status, failing_sample, error_message, checked_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, current_timestamp)"
    )
    for name, severity, share, rule_sql, checked_sql in registered:
        failing = checked = sample = error = None
        try:
            failing = int(engine.execute(f"SELECT count(*) FROM ({rule_sql}) AS offending").rows[0][0])
            checked = int(engine.execute(checked_sql).rows[0][0])
            if failing > 0:
                sample = engine.execute(
                    "SELECT string_agg(failing_key, ?) FROM (SELECT CAST(failing_key AS STRING) AS failing_key "
                    f"FROM ({rule_sql}) AS offending ORDER BY 1 LIMIT 10) AS sampled",
                    [", "],
                ).rows[0][0]
        except Exception as exc:
            error = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        if error is not None:
            status = "error"
        elif (failing or 0) > (checked or 0) * float(share):
            status = "failed"
        else:
            status = "passed"
        engine.execute(insert, [run_id, name, severity, failing, checked, share, status, sample, error])
