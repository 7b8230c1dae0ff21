"""`lakehouse status`: the last runs from gold.etl_log and the latest quality results, for a terminal."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import IO, Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from runner.config import Target
from runner.engines.base import Engine
from runner.errors import LakehouseError
from runner.project import Renderer
from runner.runlog import ETL_LOG, RUNNER


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
    command: str = ""

    @property
    def seconds(self) -> float | None:
        return None if self.ended_at is None else (self.ended_at - self.started_at).total_seconds()


def read_rows(engine: Engine, sql: str, params: list | None = None) -> list[tuple[Any, ...]]:
    try:
        return engine.execute(sql, params).rows
    except Exception as exc:
        if "does not exist" in str(exc) or "TABLE_OR_VIEW_NOT_FOUND" in str(exc):
            raise LakehouseError(
                "This lakehouse has no run log yet: run `lakehouse run` (or `lakehouse deploy`) first."
            ) from exc
        raise


def _query(target: Target, name: str) -> str:
    """A read of `status`, from sql/runner/status_<name>.sql."""
    return Renderer(target).render_statement(f"runner/status_{name}.sql")


def last_runs(engine: Engine, target: Target, limit: int) -> list[Run]:
    rows = read_rows(engine, _query(target, "last_runs"), [int(limit), RUNNER])
    return [
        Run(run_id, started, ended, status, error, steps, failed, affected, _score(score), _command(description))
        for run_id, started, ended, status, error, description, affected, score, steps, failed in rows
    ]


def _score(value: Any) -> float | None:
    return None if value is None else float(value)


def _command(description: Any) -> str:
    """The verb of a logged run: `run` or `test` (older runs logged `python -m runner run`)."""
    words = str(description or "").split()
    return words[-1] if words else ""


def run_steps_of(engine: Engine, target: Target, run_id: str) -> list[tuple[Any, ...]]:
    return read_rows(engine, _query(target, "run_steps"), [run_id])


def latest_results(engine: Engine, target: Target) -> tuple[str | None, list[tuple[Any, ...]]]:
    latest = read_rows(engine, _query(target, "latest_quality_run"))
    run_id = latest[0][0] if latest else None
    if run_id is None:
        return None, []
    return run_id, read_rows(engine, _query(target, "quality_results"), [run_id])


def _seconds(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:.1f}s" if value < 120 else f"{value / 60:.1f}m"


def _short(text: Any, width: int) -> str:
    value = "" if text is None else " ".join(str(text).split())
    return value if len(value) <= width else value[: width - 1] + "…"


# Steps whose rows_affected are rows written into their object (DELETE, ANALYZE and bookkeeping are not).
_WRITING = ("INSERT", "MERGE", "UPDATE", "COPY", "REFRESH")
_BOOKKEEPING = ("load_state", "etl_log")


@dataclass
class ObjectSteps:
    """The logged steps of one object in one run, folded into one line."""

    name: str
    steps: int = 0
    status: str = "succeeded"
    seconds: float = 0.0
    rows: int | None = None
    logged_by: str = "runner"
    errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "object": self.name, "status": self.status, "steps": self.steps, "seconds": round(self.seconds, 3),
            "rows": self.rows, "logged_by": self.logged_by, "errors": self.errors,
        }  # fmt: skip


def objects_of_run(steps: list[tuple[Any, ...]]) -> list[ObjectSteps]:
    folded: dict[str, ObjectSteps] = {}
    for _, name, description, started, ended, rows, status, error, by in steps:
        obj = folded.setdefault(str(name), ObjectSteps(str(name), logged_by=str(by)))
        obj.steps += 1
        if ended is not None and started is not None:
            obj.seconds += (ended - started).total_seconds()
        if status == "failed":
            obj.status = "failed"
            if error:
                obj.errors.append(str(error))
        words = str(description or "").split(" ", 1)
        own = not any(word in str(description) for word in _BOOKKEEPING) or any(w in obj.name for w in _BOOKKEEPING)
        if rows is not None and own and words[0].upper() in _WRITING:
            obj.rows = (obj.rows or 0) + int(rows)
    return list(folded.values())


def status_data(engine: Engine, target: Target, *, runs: int = 5) -> dict:
    """What `status` shows, as plain values (`status --format json`)."""
    recent = last_runs(engine, target, runs)
    data: dict[str, Any] = {"target": target.name, "log": target.qualify("gold", ETL_LOG), "runs": []}
    for r in recent:
        data["runs"].append(
            {
                "run_id": r.run_id, "verb": r.command, "started_at": r.started_at.isoformat(),
                "ended_at": None if r.ended_at is None else r.ended_at.isoformat(),
                "seconds": None if r.seconds is None else round(r.seconds, 3), "status": r.status,
                "error": r.error_message, "steps": r.steps, "failed_steps": r.failed_steps,
                "rows_affected": r.rows_affected, "quality_score": r.quality_score,
            }
        )  # fmt: skip
    if recent:
        steps = run_steps_of(engine, target, recent[0].run_id)
        data["latest_run"] = {"run_id": recent[0].run_id, "objects": [o.as_dict() for o in objects_of_run(steps)]}
    run_id, results = latest_results(engine, target) if recent else (None, [])
    data["quality"] = {
        "run_id": run_id,
        "results": [
            {
                "severity": severity, "rule": rule, "status": status, "rows_failing": failing, "rows_checked": checked,
                "failing_sample": sample, "error": error, "description": description,
            }
            for severity, rule, status, failing, checked, sample, error, description in results
        ],
    }  # fmt: skip
    return data


def _table(*columns: str, numeric: tuple[str, ...] = ()) -> Table:
    table = Table(box=None, pad_edge=False, padding=(0, 2, 0, 0), header_style="bold")
    for name in columns:
        table.add_column(name, justify="right" if name in numeric else "left", no_wrap=name != columns[-1])
    return table


STATUS_STYLES = {"succeeded": "green", "passed": "green", "failed": "bold red", "FAILED": "bold red",
                 "ERROR": "bold red", "running": "yellow"}  # fmt: skip


def _styled(value: str) -> Text:
    return Text(value, style=STATUS_STYLES.get(value.split(" ")[0], ""))


def show_status(engine: Engine, target: Target, console: Console | IO[str], *, runs: int = 5) -> None:
    if not isinstance(console, Console):
        from lakehouse.console import PIPED_WIDTH, PipeAwareConsole

        console = PipeAwareConsole(file=console, highlight=False, soft_wrap=True, width=PIPED_WIDTH)
    recent = last_runs(engine, target, runs)
    if not recent:
        console.print("No runs logged yet: `lakehouse run` builds the lakehouse and logs every step.")
        return
    console.print(f"Last {len(recent)} run(s), newest first ({target.qualify('gold', ETL_LOG)}):", markup=False)
    table = _table("run id", "verb", "started", "duration", "status", "steps", "rows", "quality", numeric=(
        "duration", "steps", "rows", "quality"))  # fmt: skip
    for r in recent:
        table.add_row(
            r.run_id,
            r.command,
            f"{r.started_at:%Y-%m-%d %H:%M:%S}",
            _seconds(r.seconds),
            _styled(r.status + (f" ({r.failed_steps} failed step)" if r.failed_steps else "")),
            str(r.steps),
            "-" if r.rows_affected is None else f"{r.rows_affected:,}",
            "-" if r.quality_score is None else f"{r.quality_score:.1f}",
        )
    console.print(table)
    latest = recent[0]
    if latest.error_message:
        console.print(Text(f"\nerror: {_short(latest.error_message, 300)}", style="red"))
    objects = objects_of_run(run_steps_of(engine, target, latest.run_id))
    if objects:
        console.print(f"\nObjects of run {latest.run_id}:", markup=False)
    table = _table("object", "status", "steps", "time", "rows", numeric=("steps", "time", "rows"))
    for obj in objects:
        table.add_row(
            obj.name if obj.logged_by == "runner" else f"{obj.name} (logged by the procedure)",
            _styled(obj.status),
            str(obj.steps),
            _seconds(obj.seconds),
            "-" if obj.rows is None else f"{obj.rows:,}",
        )
    if objects:
        console.print(table)
    for obj in objects:
        for error in obj.errors:
            console.print(Text(f"  {obj.name} failed: {_short(error, 300)}", style="red"))
    run_id, results = latest_results(engine, target)
    if run_id is None:
        console.print("\nNo quality results yet.")
        return
    score = next((r.quality_score for r in recent if r.run_id == run_id), None)
    score_text = f", score {score:.1f}" if score is not None else ""
    console.print(f"\nQuality results of run {run_id}{score_text} (failures first):", markup=False)
    table = _table("severity", "rule", "status", "failing", "checked", "sample of failing keys / error",
                   numeric=("failing", "checked"))  # fmt: skip
    for severity, rule, status, failing, checked, sample, error, _ in results:
        table.add_row(
            severity,
            rule,
            _styled(status.upper() if status != "passed" else status),
            "-" if failing is None else f"{failing:,}",
            "-" if checked is None else f"{checked:,}",
            _short(error if status == "error" else sample, 60),
        )
    console.print(table)
