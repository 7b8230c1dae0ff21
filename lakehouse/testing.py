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
from runner.project import Renderer
from runner.quality.rules import RUN_RULES, SEVERITIES
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


def run_rules(engine: Engine, target: Target, names: list[str], run_id: str) -> None:
    """Run some registered rules through sp_data_quality_checks, storing their results under run_id."""
    sql = Renderer(target).render_statement(RUN_RULES, fail_on_critical=False, chosen_rules=True)
    engine.execute(sql, [run_id, list(names)])
