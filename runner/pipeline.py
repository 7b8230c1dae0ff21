"""Execute steps on an engine: deploy creates objects, run lands data and refreshes every layer."""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from runner import deploy_state, interrupt, run_state
from runner.config import Target
from runner.engines.base import Engine, QueryResult
from runner.errors import LakehouseError
from runner.project import CompiledObject
from runner.runlog import RunLog
from runner.runlog import now as log_now
from runner.splitter import first_keyword
from runner.steps import Step, deploy_steps, run_steps
from streaming.tables import LocalStreamingTable, RefreshReport, ensure_state_tables

API_KEY_ENV = "TICKETMASTER_API_KEY"
ROW_WRITING = {"INSERT", "MERGE", "UPDATE", "COPY", "REFRESH"}
Say = Callable[[str], None]


class Progress(Protocol):
    """Where each statement's start and end are reported (the command line draws one line per object)."""

    def begin(self, key: str, description: str) -> None: ...
    def done(self, key: str, description: str, seconds: float, rows: int | None = None) -> None: ...
    def failed(self, key: str, description: str, seconds: float, error: BaseException) -> None: ...
    def note(self, message: str) -> None: ...


@dataclass
class StepTiming:
    step: Step
    seconds: float
    detail: str = ""


@dataclass
class RunReport:
    timings: list[StepTiming] = field(default_factory=list)
    refreshes: list[RefreshReport] = field(default_factory=list)
    # The result set of the quality step (run id and score), when the run included the rules.
    quality: QueryResult | None = None
    # The run stopped after bronze: nothing new had landed (see `refresh`).
    nothing_landed: bool = False


def _execute(engine: Engine, step: Step) -> QueryResult:
    assert step.sql is not None
    try:
        params = list(step.params) if step.params else None
        return engine.execute(step.sql, params, origin=step.object_key, line=step.line or 1)
    except LakehouseError:
        raise
    except Exception as exc:
        where = f"{step.object_key} (line {step.line})" if step.line else step.object_key
        raise LakehouseError(f"{where}: {step.description} failed: {exc}") from exc


def deploy(
    target: Target,
    objects: list[CompiledObject],
    engine: Engine,
    say: Say = print,
    progress: Progress | None = None,
    *,
    skip_unchanged: bool = False,
    before: Callable[[], None] | None = None,
) -> list[Step]:
    """Create schemas, tables, views and procedures; every statement is safe to repeat.

    With `progress`, each statement is reported to it (one line per object); else one line in all.
    `skip_unchanged` (local target): do nothing if the lakehouse holds what this deploy would create
    (see `deploy_state`); a run uses it, an explicit deploy always deploys. `before` is called once it
    is known that the statements will run, before the first (a skipped deploy does not call it)."""
    steps = deploy_steps(target, objects)
    current = ""
    if target.is_local:
        specs = [spec for obj in objects for spec in obj.streaming_tables]
        current = deploy_state.fingerprint(steps, target.landing_root, specs)
        if skip_unchanged and deploy_state.unchanged(engine.connection, current):  # type: ignore[attr-defined]
            say(f"deploy: unchanged since the last deploy on {target.name}, skipped")
            return []
    if before is not None:
        before()
    local = target.is_local
    if local:
        # One transaction for the whole deploy: a commit per statement was most of its time, and a
        # deploy that fails half-way now leaves the lakehouse as it was.
        _migrate_state_tables(engine, target)
        engine.connection.execute("BEGIN TRANSACTION")  # type: ignore[attr-defined]
    try:
        for step in steps:
            if progress is None:
                _execute(engine, step)
                continue
            started = time.perf_counter()
            progress.begin(step.object_key, step.description)
            try:
                _execute(engine, step)
            except BaseException as exc:
                progress.failed(step.object_key, step.description, time.perf_counter() - started, exc)
                raise
            progress.done(step.object_key, step.description, time.perf_counter() - started)
        if local:
            ensure_state_tables(engine.connection, target.landing_root)  # type: ignore[attr-defined]
            # Objects may have changed: the next run refreshes every layer (see run_state).
            run_state.forget(engine.connection, target)  # type: ignore[attr-defined]
            engine.connection.execute("COMMIT")  # type: ignore[attr-defined]
    except BaseException:
        if local:
            with contextlib.suppress(Exception):  # Ctrl-C may have ended the transaction already
                engine.connection.execute("ROLLBACK")  # type: ignore[attr-defined]
        raise
    if local:
        deploy_state.record(engine.connection, current)  # type: ignore[attr-defined]
    if progress is None:
        say(f"deploy: {len(steps)} statement(s) on {target.name}")
    return steps


def _migrate_state_tables(engine: Engine, target: Target) -> None:
    """Bring bronze's read state of an older version up to date before the deploy's transaction opens
    (the upgrade runs its own)."""
    connection = engine.connection  # type: ignore[attr-defined]
    exists = connection.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'bronze' AND table_name = '_ingested_files' "
        "AND database_name = current_database()"
    ).fetchone()
    if exists and exists[0]:
        ensure_state_tables(connection, target.landing_root)


def refresh(
    target: Target,
    objects: list[CompiledObject],
    engine: Engine,
    *,
    full_refresh: bool = False,
    say: Say = print,
    log: RunLog | None = None,
    progress: Progress | None = None,
    stop_when_nothing_landed: bool = False,
) -> RunReport:
    """Refresh every layer in order: bronze from landed files, then the run statements of each file.

    With `progress`, each step is reported to it (one line per object); else one line per step.
    `stop_when_nothing_landed` (local): the caller knows every layer is current with bronze (see
    `run_state`), so when the bronze refreshes read no new file the run ends after them."""
    report = RunReport()
    steps = run_steps(target, objects, full_refresh=full_refresh)
    note = progress.note if progress is not None else say
    for index, step in enumerate(steps):
        started = time.perf_counter()
        started_at = log_now()
        if progress is not None:
            progress.begin(step.object_key, step.description)
        detail = ""
        rows: int | None = None
        try:
            if step.streaming is not None:
                table = LocalStreamingTable(engine.connection, step.streaming, target.landing_root)  # type: ignore[attr-defined]
                result = table.refresh(full=full_refresh)
                report.refreshes.append(result)
                detail = result.summary()
                rows = result.rows
                if progress is not None and (result.quarantined or result.unreadable or result.recognised):
                    # Kept aside, unreadable or recognised files are news; new columns go to the log.
                    note(result.summary())
                for line in result.details():
                    note(line)
            else:
                outcome = _execute(engine, step)
                detail = step.description
                # A CALL reports its last DML's count, not the call's; the procedure logs its own rows.
                counted = outcome.rowcount is not None and outcome.rowcount >= 0 and not step.sql.startswith("CALL")
                rows = outcome.rowcount if counted else None
                if step.object_key == "quality":
                    report.quality = outcome
        except BaseException as exc:
            if progress is not None:
                progress.failed(step.object_key, step.description, time.perf_counter() - started, exc)
            if interrupt.requested() or isinstance(exc, KeyboardInterrupt):
                # Ctrl-C: the statement in flight was stopped; nothing more runs, no checks either. The
                # caller ends the open transaction, then logs the interruption.
                interrupt.settle()
                raise KeyboardInterrupt from None
            if log is not None:
                log.record(step.object_key, step.description, started_at, error=exc)
            if isinstance(exc, Exception):
                _check_after_failure(target, engine, steps[index + 1 :], log, note)
            if isinstance(exc, Exception) and not isinstance(exc, LakehouseError):
                # Committed batches stay committed; the rest is read again by the next run.
                raise LakehouseError(f"{step.object_key}: {step.description} failed: {exc}") from exc
            raise
        if log is not None:
            log.record(step.object_key, step.description, started_at, rows=rows)
        seconds = time.perf_counter() - started
        report.timings.append(StepTiming(step, seconds, detail))
        if progress is not None:
            # Rows written into the object; DELETE, ANALYZE and the like do not count as its rows.
            writes = step.streaming is not None or first_keyword(step.sql or "") in ROW_WRITING
            progress.done(step.object_key, detail, seconds, rows if writes else None)
        else:
            say(f"run: {detail} [{seconds:.2f}s]")
        interrupt.stop_if_requested()  # e.g. inside a Python function DuckDB called
        last_bronze = step.streaming is not None and (index + 1 == len(steps) or steps[index + 1].streaming is None)
        if stop_when_nothing_landed and last_bronze and all(r.new_files == 0 for r in report.refreshes):
            report.nothing_landed = True
            return report
    return report


def _check_after_failure(target: Target, engine: Engine, remaining: list[Step], log: RunLog | None, say: Say) -> None:
    """A run stopped by an error still checks what it leaves behind, so the evidence is stored with its id.

    Best effort: the original error is what the run reports, whatever happens here."""
    from runner.quality.results import check_run

    quality = next((s for s in remaining if s.object_key == "quality" and s.sql), None)
    if quality is None:
        return
    started_at = log_now()
    try:
        outcome = _execute(engine, quality)
    except Exception as exc:
        if log is not None:
            log.record(quality.object_key, quality.description, started_at, error=exc)
        say(f"quality: could not check the data the failed run left: {exc}")
        return
    if log is not None:
        log.record(quality.object_key, quality.description, started_at)
    say("quality: the run failed; checking the data it left behind")
    try:
        check_run(engine, target, outcome, say)
    except Exception as exc:
        say(f"quality: could not read the results: {exc}")


# How far ahead `run` pulls events when an API key is set; override with the environment.
INGEST_DAYS_ENV = "LAKEHOUSE_INGEST_DAYS"
INGEST_COUNTRY_ENV = "LAKEHOUSE_INGEST_COUNTRY"
INGEST_STEP = "land new API data or the offline sample"


class IngestFailed(LakehouseError):
    """Ingest stopped before landing everything: the API, the key or the landing folder failed."""

    exit_code = 4


class IngestQuotaSpent(IngestFailed):
    """The daily API quota ran out; the next run resumes the batch."""

    exit_code = 3


def land_step(log: RunLog, target: Target, *, sample: bool, continue_on_error: bool, say: Say = print) -> None:
    """The ingest step of `run`, logged; a failed ingest ends the run unless told to go on with what landed."""
    started_at = log_now()
    try:
        land(target, sample=sample, say=say)
    except IngestFailed as exc:
        log.record("ingest", INGEST_STEP, started_at, error=exc)
        if not continue_on_error:
            raise
        say(f"ingest: {exc}; continuing with what has landed (--continue-on-ingest-error)")
        return
    except BaseException as exc:
        log.record("ingest", INGEST_STEP, started_at, error=exc)
        raise
    log.record("ingest", INGEST_STEP, started_at)


def land(target: Target, *, sample: bool = False, say: Say = print) -> None:
    """The ingest step: the Ticketmaster API when a key is set, else the built-in offline sample."""
    if os.environ.get(API_KEY_ENV) and not sample:
        _land_from_api(target, say)
        return
    if not target.is_local:
        raise LakehouseError(
            f"{API_KEY_ENV} is not set, so there is nothing to ingest into {target.landing_root}. Set it (on "
            "Databricks the scheduled job reads it from the secret scope), or pass --skip-ingest."
        )
    from ingest import IngestError, land_sample

    try:
        result = land_sample(Path(target.landing_root))
    except IngestError as exc:
        raise IngestFailed(f"ingest stopped: {exc}") from None
    counts = ", ".join(f"{n} {entity}" for entity, n in result.counts.items())
    landed = f"{len(result.files_written)} new file(s)" if result.files_written else "already landed, nothing new"
    say(
        f"ingest: {API_KEY_ENV} is not set, so the built-in offline sample was used (generated "
        f"Ticketmaster-shaped data, not real events): {counts}; {landed}."
    )


def _land_from_api(target: Target, say: Say) -> None:
    from datetime import UTC, datetime, timedelta

    from ingest import IngestError, Scope, ingest

    try:
        days = int(os.environ.get(INGEST_DAYS_ENV, "30"))
    except ValueError as exc:
        raise LakehouseError(f"{INGEST_DAYS_ENV} must be a whole number of days.") from exc
    today = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    scope = Scope(
        start=today,
        end=today + timedelta(days=days) - timedelta(seconds=1),
        country_code=os.environ.get(INGEST_COUNTRY_ENV) or None,
    )
    try:
        result = ingest(target.landing_root, scope)
    except IngestError as exc:
        # Ingest errors are already redacted; what landed before the error stays landed.
        raise IngestFailed(f"ingest stopped: {exc}") from None
    say(f"ingest: {result.summary()}")
    if result.status == "quota_exhausted":
        raise IngestQuotaSpent(
            f"ingest stopped: {result.message}; what landed is kept, and the next run continues the same batch"
        )
    if not result.complete:
        raise IngestFailed(f"ingest stopped: {result.message or result.status}")
