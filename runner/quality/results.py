"""What the quality step of a run found, read back from gold.data_quality_results."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from runner.config import Target
from runner.engines.base import Engine, QueryResult
from runner.project import Renderer
from runner.quality.rules import RESULTS_TABLE

Say = Callable[[str], None]


@dataclass(frozen=True)
class RuleResult:
    rule_name: str
    severity: str
    status: str
    rows_failing: int | None
    rows_checked: int | None
    failing_sample: str | None
    error_message: str | None

    def line(self) -> str:
        if self.status == "error":
            return f"{self.severity:<8} {self.rule_name}: the rule query failed: {self.error_message}"
        checked = f" of {self.rows_checked}" if self.rows_checked is not None else ""
        keys = f"; e.g. {self.failing_sample}" if self.failing_sample else ""
        return f"{self.severity:<8} {self.rule_name}: {self.rows_failing}{checked} row(s) fail{keys}"


@dataclass(frozen=True)
class QualityOutcome:
    run_id: str
    score: float | None
    results: list[RuleResult]

    @property
    def failed(self) -> list[RuleResult]:
        return [r for r in self.results if r.status != "passed"]

    @property
    def critical(self) -> list[RuleResult]:
        return [r for r in self.failed if r.severity == "CRITICAL"]


def read_outcome(engine: Engine, target: Target, run_id: str) -> QualityOutcome:
    renderer = Renderer(target)
    results = engine.execute(renderer.render_statement("runner/quality_run_results.sql"), [run_id])
    score = engine.execute(renderer.render_statement("runner/quality_run_score.sql"), [run_id])
    value = score.rows[0][0] if score.rows else None
    return QualityOutcome(run_id, None if value is None else float(value), [RuleResult(*row) for row in results.rows])


def outcome_of(engine: Engine, target: Target, quality: QueryResult | None) -> QualityOutcome | None:
    """The stored results of the quality step whose result set (run id, score) is `quality`."""
    if quality is None or not quality.rows:
        return None
    run_id = str(dict(zip(quality.columns, quality.rows[0], strict=True))["run_id"])
    return read_outcome(engine, target, run_id)


def failure_of(outcome: QualityOutcome, target: Target) -> str | None:
    """Why the run fails (a CRITICAL rule failed), else None."""
    if not outcome.critical:
        return None
    names = ", ".join(r.rule_name for r in outcome.critical)
    return (
        f"{len(outcome.critical)} CRITICAL quality rule(s) failed: {names}. Everything loaded by this run is kept; "
        f"the evidence is in {target.qualify('gold', RESULTS_TABLE)} (run_id {outcome.run_id}); `lakehouse status` "
        "shows it."
    )


def check_run(engine: Engine, target: Target, quality: QueryResult | None, say: Say = print) -> str | None:
    """Report the run's quality results; return why the run fails (a CRITICAL rule failed), else None."""
    outcome = outcome_of(engine, target, quality)
    if outcome is None:
        return None
    passed = len(outcome.results) - len(outcome.failed)
    say(
        f"quality: score {outcome.score} for run {outcome.run_id} ({len(outcome.results)} rule(s): {passed} passed, "
        f"{len(outcome.failed)} failed)"
    )
    for result in outcome.failed:
        say(f"  {'failed' if result.severity == 'CRITICAL' else 'warning'}: {result.line()}")
    return failure_of(outcome, target)
