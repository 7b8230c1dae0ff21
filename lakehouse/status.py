"""`python -m runner status`: the last runs from gold.etl_log and the latest quality results, for a terminal."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import IO, Any

from runner.config import Target
from runner.engines.base import Engine
from runner.errors import LakehouseError
from runner.quality.rules import RESULTS_TABLE, RULES_TABLE, SCORES_VIEW
from runner.runlog import ETL_LOG


@dataclass(frozen=True)
class Run:
    run_id: str
    started_at: datetime
    ended_at: datetime | None
    status: str
    error_message: str | None
    steps: int
    failed_steps: int
    rows_affected: int | None
    quality_score: float | None

    @property
    def seconds(self) -> float | None:
        return None if self.ended_at is None else (self.ended_at - self.started_at).total_seconds()


def read_rows(engine: Engine, sql: str, params: list | None = None) -> list[tuple[Any, ...]]:
    try:
        return engine.execute(sql, params).rows
    except Exception as exc:
        if "does not exist" in str(exc) or "TABLE_OR_VIEW_NOT_FOUND" in str(exc):
            raise LakehouseError(
                "This lakehouse has no run log yet: run `python -m runner run` (or `deploy`) first."
            ) from exc
        raise


def last_runs(engine: Engine, target: Target, limit: int) -> list[Run]:
    log = target.qualify("gold", ETL_LOG)
    scores = target.qualify("gold", SCORES_VIEW)
    rows = read_rows(
        engine,
        f"""
        WITH runs AS (
            SELECT run_id, started_at, ended_at, status, error_message
            FROM {log}
            WHERE step_name = 'run'
            ORDER BY started_at DESC
            LIMIT {int(limit)}
        ),

        steps AS (
            SELECT
                run_id,
                count(*) AS steps,
                count_if(status = 'failed') AS failed_steps,
                sum(rows_affected) AS rows_affected
            FROM {log}
            WHERE step_name <> 'run' AND logged_by = 'runner'
            GROUP BY run_id
        )

        SELECT
            runs.run_id, runs.started_at, runs.ended_at, runs.status, runs.error_message,
            coalesce(steps.steps, 0), coalesce(steps.failed_steps, 0), steps.rows_affected, scores.quality_score
        FROM runs
        LEFT JOIN steps ON runs.run_id = steps.run_id
        LEFT JOIN {scores} AS scores ON runs.run_id = scores.run_id
        ORDER BY runs.started_at DESC
        """,
    )
    return [Run(*row[:8], None if row[8] is None else float(row[8])) for row in rows]


def run_steps_of(engine: Engine, target: Target, run_id: str) -> list[tuple[Any, ...]]:
    return read_rows(
        engine,
        f"SELECT step_number, step_name, step_description, started_at, ended_at, rows_affected, status, "
        f"error_message, logged_by FROM {target.qualify('gold', ETL_LOG)} "
        "WHERE run_id = ? AND step_name <> 'run' ORDER BY started_at, step_number",
        [run_id],
    )


def latest_results(engine: Engine, target: Target) -> tuple[str | None, list[tuple[Any, ...]]]:
    results = target.qualify("gold", RESULTS_TABLE)
    latest = read_rows(engine, f"SELECT max_by(run_id, checked_at) FROM {results}")
    run_id = latest[0][0] if latest else None
    if run_id is None:
        return None, []
    rows = read_rows(
        engine,
        f"""
        SELECT r.severity, r.rule_name, r.status, r.rows_failing, r.rows_checked, r.failing_sample,
            r.error_message, d.description
        FROM {results} AS r
        LEFT JOIN {target.qualify("gold", RULES_TABLE)} AS d ON r.rule_name = d.rule_name
        WHERE r.run_id = ?
        ORDER BY CASE r.status WHEN 'passed' THEN 1 ELSE 0 END,
            CASE r.severity WHEN 'CRITICAL' THEN 0 WHEN 'HIGH' THEN 1 WHEN 'MEDIUM' THEN 2 ELSE 3 END,
            r.rule_name
        """,
        [run_id],
    )
    return run_id, rows


def _seconds(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:.1f}s" if value < 120 else f"{value / 60:.1f}m"


def _short(text: Any, width: int) -> str:
    value = "" if text is None else " ".join(str(text).split())
    return value if len(value) <= width else value[: width - 1] + "…"


def _table(out: IO[str], header: list[str], rows: list[list[str]]) -> None:
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(header)]
    out.write("  " + "  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)).rstrip() + "\n")
    for row in rows:
        out.write("  " + "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() + "\n")


def show_status(engine: Engine, target: Target, out: IO[str], *, runs: int = 5) -> None:
    recent = last_runs(engine, target, runs)
    if not recent:
        out.write("No runs logged yet: `python -m runner run` builds the lakehouse and logs every step.\n")
        return
    out.write(f"Last {len(recent)} run(s), newest first ({target.qualify('gold', ETL_LOG)}):\n")
    _table(
        out,
        ["run id", "started", "duration", "status", "steps", "rows", "quality"],
        [
            [
                r.run_id,
                f"{r.started_at:%Y-%m-%d %H:%M:%S}",
                _seconds(r.seconds),
                r.status + (f" ({r.failed_steps} failed step)" if r.failed_steps else ""),
                str(r.steps),
                "-" if r.rows_affected is None else str(r.rows_affected),
                "-" if r.quality_score is None else f"{r.quality_score:.1f}",
            ]
            for r in recent
        ],
    )
    latest = recent[0]
    if latest.error_message:
        out.write(f"\n  error: {_short(latest.error_message, 300)}\n")
    steps = run_steps_of(engine, target, latest.run_id)
    out.write(f"\nSteps of run {latest.run_id}:\n")
    _table(
        out,
        ["#", "step", "what", "status", "time", "rows"],
        [
            [
                "-" if number is None else str(number),
                _short(name, 28),
                _short(description, 60),
                status if by == "runner" else f"{status} ({by})",
                _seconds(None if ended is None else (ended - started).total_seconds()),
                "-" if rows is None else str(rows),
            ]
            for number, name, description, started, ended, rows, status, _, by in steps
        ],
    )
    for number, name, _, _, _, _, status, error, _ in steps:
        if status == "failed" and error:
            out.write(f"  step {number} {name} failed: {_short(error, 300)}\n")
    run_id, results = latest_results(engine, target)
    if run_id is None:
        out.write("\nNo quality results yet.\n")
        return
    score = next((r.quality_score for r in recent if r.run_id == run_id), None)
    score_text = f", score {score:.1f}" if score is not None else ""
    out.write(f"\nQuality results of run {run_id}{score_text} (failures first):\n")
    _table(
        out,
        ["severity", "rule", "status", "failing", "checked", "sample of failing keys / error"],
        [
            [
                severity,
                rule,
                status.upper() if status != "passed" else status,
                "-" if failing is None else str(failing),
                "-" if checked is None else str(checked),
                _short(error if status == "error" else sample, 60),
            ]
            for severity, rule, status, failing, checked, sample, error, _ in results
        ],
    )
