"""The verbs that change a target: `deploy`, `run` and `test`, each reported one line per object."""

from __future__ import annotations

import argparse
import contextlib
import time

from assistant.after_run import refresh_search_index
from lakehouse.console import Console, ObjectProgress, QualityCounts, seconds_text, summary
from runner import interrupt
from runner.config import Target
from runner.engines import Engine, open_engine
from runner.errors import LakehouseError
from runner.project import CompiledObject
from runner.quality.results import QualityOutcome, failure_of, outcome_of, read_outcome
from runner.runlog import RunLog
from runner.steps import deploy_steps, run_steps


def _stop_on_interrupt(engine: Engine) -> None:
    connection = getattr(engine, "connection", None)
    if connection is not None and hasattr(connection, "interrupt"):
        interrupt.on_interrupt(connection.interrupt)


def deploy_command(args: argparse.Namespace, target: Target, objects: list[CompiledObject], console: Console) -> int:
    from lakehouse.plan import record_deployed
    from runner.pipeline import deploy

    started = time.perf_counter()
    engine = open_engine(target)
    progress: ObjectProgress | None = None
    failed = True
    try:
        if args.workspace is not None:
            from workspace.deploy import deploy_workspace, workspace_client

            deploy_workspace(workspace_client(target), args.workspace, target, objects, engine, console.say)
        elif not target.is_local:
            from workspace.deploy import workspace_client
            from workspace.landing import deploy_sql

            deploy_sql(workspace_client(target), target, objects, engine, console.say)
        else:
            from lakehouse.plan import plan_objects

            said = {"create": "created", "change": "changed", "unchanged": "unchanged"}
            notes = {p.key: said[p.state] for p in plan_objects(target, objects)}
            keys = [s.object_key for s in deploy_steps(target, objects)]
            progress = ObjectProgress(console, "deploy", keys, notes=notes)
            try:
                deploy(target, objects, engine, say=console.detail, progress=progress)
            finally:
                progress.close()
        record_deployed(target, objects)
        failed = False
    finally:
        engine.close()
        summary(
            console, verb="deploy", progress=progress, quality=None, seconds=time.perf_counter() - started,
            failed=failed,
        )  # fmt: skip
    return 0


def run_command(args: argparse.Namespace, target: Target, objects: list[CompiledObject], console: Console) -> int:
    from lakehouse.plan import record_deployed
    from runner import run_state
    from runner.pipeline import deploy, land_step, refresh

    started = time.perf_counter()
    log = RunLog(target, say=console.warn, command="lakehouse run")
    deployed: list = []
    engine: Engine | None = None
    progress: ObjectProgress | None = None
    quality: QualityCounts | None = None
    failed = True
    with interrupt.interruptible():
        try:
            if not args.skip_ingest:
                land_step(
                    log, target, sample=args.sample, continue_on_error=args.continue_on_ingest_error, say=console.say
                )
            engine = open_engine(target)
            _stop_on_interrupt(engine)
            if target.is_local:
                from collections import Counter

                from lakehouse.plan import plan_states

                states: Counter[str] = Counter()

                def plan() -> None:
                    # Compared with what the last deploy recorded: only worth doing when a deploy runs.
                    states.update(plan_states(target, objects, catalog=False).values())

                deploy_started = time.perf_counter()
                deployed = log.timed(
                    "deploy",
                    "create or update every object",
                    lambda: deploy(target, objects, engine, say=console.detail, skip_unchanged=True, before=plan),
                )
                took = seconds_text(time.perf_counter() - deploy_started)
                if deployed:
                    record_deployed(target, objects)
                    said = {"create": "created", "change": "changed", "unchanged": "unchanged"}
                    what = ", ".join(f"{states[state]} {word}" for state, word in said.items() if states[state])
                    console.say(f"deploy: {len(objects)} object(s), {what}, in {took}")
                else:
                    console.say(f"deploy: {len(objects)} object(s) unchanged since the last deploy, skipped")
            # Attached after the local deploy, which creates the log table on a fresh lakehouse.
            log.attach(engine)
            console.detail(f"run {log.run_id} on {target.name}: {len(objects)} object(s) selected")
            # Taken before bronze reads a file: a run that stops before the end leaves no mark behind.
            marked = run_state.take(engine.connection, target) if target.is_local else None  # type: ignore[attr-defined]
            whole = target.is_local and not args.select and not args.exclude
            steps = run_steps(target, objects, full_refresh=args.full_refresh)
            progress = ObjectProgress(console, "run", [s.object_key for s in steps])
            try:
                report = refresh(
                    target, objects, engine, full_refresh=args.full_refresh, say=console.detail, log=log,
                    progress=progress,
                    stop_when_nothing_landed=whole and marked is not None and not deployed and not args.full_refresh,
                )  # fmt: skip
            finally:
                progress.close()
            if report.nothing_landed and marked is not None:
                outcome = quality_as_before(engine, target, objects, marked, log, console)
            else:
                refresh_search_index(target, engine, console)
                outcome = outcome_of(engine, target, report.quality)
            interrupt.stop_if_requested()  # the search index's statements were stopped after the steps
            failure = None
            if outcome is not None:
                show_outcome(console, outcome)
                quality = QualityCounts.of(outcome.results)
                failure = failure_of(outcome, target)
            log.finish(failure)
            failed = failure is not None
            if whole and not failed:
                run_state.mark(engine.connection, target, log.run_id)  # type: ignore[attr-defined]
            summary(
                console, verb="run", progress=progress, quality=quality, seconds=time.perf_counter() - started,
                failed=failed,
            )  # fmt: skip
            if failure:
                console.error(failure)
                return 1
            return 0
        except BaseException as exc:
            # Ctrl-C surfaces as KeyboardInterrupt, or as the error of the statement it stopped.
            if isinstance(exc, KeyboardInterrupt) or interrupt.requested():
                interrupt.settle()
                log.quiet()
                _roll_back(engine)
                log.enabled = True  # a write refused inside the stopped transaction is no reason to stop logging
                _log_failed_run(log, target, engine, interrupt.MESSAGE)
                raise KeyboardInterrupt from None
            _log_failed_run(log, target, engine, exc)
            summary(
                console, verb="run", progress=progress, quality=quality, seconds=time.perf_counter() - started,
                failed=True,
            )  # fmt: skip
            raise
        finally:
            if engine is not None:
                engine.close()


def quality_as_before(
    engine: Engine, target: Target, objects: list[CompiledObject], marked: str, log: RunLog, console: Console
) -> QualityOutcome | None:
    """A run that found nothing new: the results of the marked run stand for this run, except the rules
    that read the clock (landing freshness), which are checked again."""
    from lakehouse.testing import run_rules
    from runner import run_state
    from runner.runlog import now

    started_at = now()
    rules = [obj.rule for obj in objects if obj.rule is not None]
    clock = sorted(rule.name for rule in rules if run_state.reads_clock(rule.sql))
    carried = run_state.carry_results(engine, target, marked, log.run_id, clock) if rules else 0
    if clock:
        run_rules(engine, target, clock, log.run_id)
    what = f"nothing new landed since run {marked}, which refreshed every layer: silver and gold are current"
    if rules:
        again = f"; {', '.join(clock)} checked again" if clock else ""
        what += f"; its {carried} quality result(s) stand for this run{again}"
    console.say(what)
    log.record("quality", what, started_at)
    return read_outcome(engine, target, log.run_id) if rules else None


def _roll_back(engine: Engine | None) -> None:
    """The statement Ctrl-C stopped may leave its transaction open and aborted; end it so the log can be written."""
    connection = getattr(engine, "connection", None)
    if connection is None:
        return
    with contextlib.suppress(Exception):  # no transaction was open
        connection.execute("ROLLBACK")


def _log_failed_run(log: RunLog, target: Target, engine: Engine | None, exc: BaseException | str) -> None:
    """Best effort: a run that failed before it could log (ingest, a locked file) still leaves its rows."""
    try:
        if engine is None:
            engine = open_engine(target)
            log.quiet()  # on a lakehouse not deployed yet there is no log to write; the error says enough
            try:
                log.attach(engine)
                log.finish(exc)
            finally:
                engine.close()
            return
        if not log.attached:  # the deploy failed
            log.attach(engine)
        log.finish(exc)
    except Exception:
        pass


# -- quality -----------------------------------------------------------------------------------------
def show_outcome(console: Console, outcome: QualityOutcome) -> None:
    """One line per rule that did not pass: WARN for a non-critical failure, FAIL for a critical one."""
    from rich.text import Text

    for result in outcome.failed:
        label = "ERROR" if result.status == "error" else "FAIL" if result.severity == "CRITICAL" else "WARN"
        text = Text("  ")
        text.append(f"{label:<5}", style="bold red" if label != "WARN" else "yellow")
        text.append(f"  {result.line()}")
        console.line(text, always=label != "WARN")
    score = "-" if outcome.score is None else f"{outcome.score:.1f}"
    console.detail(f"quality: score {score} for run {outcome.run_id}")


def show_rules(console: Console, outcome: QualityOutcome, names: list[str]) -> None:
    """One line per rule run: its verdict, severity and how many of the rows checked fail."""
    from rich.text import Text

    by_name = {r.rule_name: r for r in outcome.results}
    width = max((len(n) for n in names), default=10)
    digits = len(str(len(names)))
    for number, name in enumerate(names, start=1):
        result = by_name.get(name)
        if result is None or result.status == "error":
            verdict = "ERROR"
        elif result.status == "failed":
            verdict = "FAIL" if result.severity == "CRITICAL" else "WARN"
        else:
            verdict = "PASS"
        text = Text(f"{number:>{digits}}/{len(names)}  {name:<{width}}  ")
        text.append(f"{verdict:<5}", style={"PASS": "green", "WARN": "yellow"}.get(verdict, "bold red"))
        if result is not None:
            checked = "" if result.rows_checked is None else f" of {result.rows_checked:,}"
            failing = "-" if result.rows_failing is None else f"{result.rows_failing:,}"
            text.append(f"  {result.severity:<8}  {failing}{checked} failing")
        console.line(text, always=verdict in ("FAIL", "ERROR"))


def test_command(args: argparse.Namespace, target: Target, objects: list[CompiledObject], console: Console) -> int:
    """The quality rules alone, on the data as it is: nothing is deployed or refreshed first."""
    from lakehouse.testing import chosen_rules, run_rules
    from runner.project import Renderer
    from runner.quality.rules import RULES_TABLE, RUN_RULES

    started = time.perf_counter()
    rules = chosen_rules(objects, args.select, args.exclude)
    engine = open_engine(target)
    log = RunLog(target, say=console.warn, command="lakehouse test")
    failed = True
    quality: QualityCounts | None = None
    try:
        registered = _registered_rules(engine, target, RULES_TABLE)
        missing = sorted(set(rules) - registered)
        if missing:
            raise LakehouseError(
                f"rule(s) {', '.join(missing)} are not registered in {target.qualify('gold', RULES_TABLE)}: "
                "`lakehouse deploy` registers the rule files."
            )
        log.attach(engine)
        console.say(f"test: {len(rules)} quality rule(s) on {target.name}")
        status = console.out.status(f"test: {len(rules)} rule(s)") if console.is_terminal else None
        if status is not None:
            status.start()
        try:
            if set(rules) == registered:
                # The same call as the last step of `run`: the procedure stores results under this run's id.
                engine.execute(Renderer(target).render_statement(RUN_RULES, fail_on_critical=False))
            else:
                run_rules(engine, target, rules, log.run_id)
        finally:
            if status is not None:
                status.stop()
        outcome = read_outcome(engine, target, log.run_id)
        show_rules(console, outcome, rules)
        show_outcome(console, outcome)
        quality = QualityCounts.of(outcome.results)
        failure = failure_of(outcome, target)
        log.finish(failure)
        failed = failure is not None
        if failure:
            console.error(failure)
            return 1
        return 0
    except BaseException as exc:
        _log_failed_run(log, target, engine, exc)
        raise
    finally:
        engine.close()
        summary(
            console, verb="test", progress=None, quality=quality, seconds=time.perf_counter() - started,
            failed=failed,
        )  # fmt: skip


def _registered_rules(engine: Engine, target: Target, table: str) -> set[str]:
    try:
        rows = engine.execute(f"SELECT rule_name FROM {target.qualify('gold', table)} WHERE is_active").rows
    except Exception as exc:
        raise LakehouseError(
            "This lakehouse has no quality rules registered yet: `lakehouse deploy` (or `lakehouse run`) first."
        ) from exc
    return {str(row[0]) for row in rows}
