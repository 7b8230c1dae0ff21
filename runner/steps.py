"""Turn compiled SQL files into the ordered steps that deploy and run execute, and plan shows."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from runner.config import Target
from runner.project import CompiledObject, Renderer, discover
from runner.quality.rules import DEACTIVATE_REMOVED_RULES, RUN_RULES
from runner.splitter import strip_comments
from runner.streaming_sql import StreamingTableSpec

Phase = Literal["deploy", "run"]


@dataclass(frozen=True)
class Step:
    object_key: str
    phase: Phase
    description: str
    sql: str | None = None
    streaming: StreamingTableSpec | None = None
    line: int = 0
    params: tuple[object, ...] = ()  # the values of the statement's `?` markers


def describe(sql: str) -> str:
    """A short human description of a statement: its words up to the first parenthesis or AS."""
    text = " ".join(strip_comments(sql).split())
    head = re.split(
        r"\s*\(|\s+AS\s+(?=SELECT|BEGIN|\()|\s+COMMENT\s+|\s+CLUSTER\s+BY\s+|\s+IS\s+'", text, maxsplit=1, flags=re.I
    )[0]
    return head if len(head) <= 100 else head[:97] + "..."


def _deploy_description(obj: CompiledObject, sql: str) -> str:
    if obj.rule is not None:
        return f"register quality rule {obj.rule.name} ({obj.rule.severity}) in data_quality_rules"
    return describe(sql)


def deploy_steps(target: Target, objects: list[CompiledObject]) -> list[Step]:
    steps = [
        Step(obj.key, "deploy", _deploy_description(obj, st.sql), sql=st.sql, line=st.line, params=st.params)
        for obj in objects
        for st in obj.deploy
    ]
    rules = [obj for obj in objects if obj.rule]
    if rules:
        # Only a deploy of every rule file knows which registered rules lost theirs.
        sql_root = rules[0].file.path.parent.parent
        every_rule = {f.name for f in discover(sql_root) if f.layer == "quality"}
        if every_rule == {obj.file.name for obj in rules}:
            names = sorted(every_rule)
            sql = Renderer(target, sql_root).render_statement(DEACTIVATE_REMOVED_RULES)
            steps.append(Step("quality", "deploy", "deactivate rules whose files were removed", sql, params=(names,)))
    return steps


def run_steps(
    target: Target, objects: list[CompiledObject], *, full_refresh: bool = False, fail_on_critical: bool = False
) -> list[Step]:
    """`fail_on_critical`: the quality procedure raises when a CRITICAL rule fails (a job has no runner to)."""
    steps: list[Step] = []
    for obj in objects:
        for spec in obj.streaming_tables:
            if target.is_local:
                what = "re-read every landed file" if full_refresh else "read files landed since the last run"
                steps.append(Step(obj.key, "run", f"REFRESH {spec.name}: {what} in {spec.source}", streaming=spec))
            else:
                # The documented form for the kind: the server checks it (NON_STREAMING_TABLE).
                sql = f"REFRESH STREAMING TABLE {spec.name}" + (" FULL" if full_refresh else "")
                steps.append(Step(obj.key, "run", sql, sql=sql))
        steps.extend(Step(obj.key, "run", describe(st.sql), sql=st.sql, line=st.line) for st in obj.run)
        for name in obj.materialized_views:
            # The documented form for the kind (NON_MATERIALIZED_VIEW); locally the engine refills the table.
            sql = f"REFRESH MATERIALIZED VIEW {name}"
            steps.append(Step(obj.key, "run", sql, sql=sql))
    rules = [obj for obj in objects if obj.rule]
    if rules:
        # Last of the run, after the gold refresh: the rules check this run's data, not yesterday's.
        sql_root = rules[0].file.path.parent.parent
        sql = Renderer(target, sql_root).render_statement(RUN_RULES, fail_on_critical=fail_on_critical)
        what = f"{sql}: run {len(rules)} quality rule(s), store results, score the run"
        steps.append(Step("quality", "run", what, sql=sql))
    return steps
