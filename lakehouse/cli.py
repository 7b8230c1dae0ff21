"""`python -m runner`: plan, compile, deploy, run, query and exec the lakehouse on a target."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from runner.config import DATA_DIR_ENV, TARGETS, Target, load_target
from runner.engines import Engine, open_engine
from runner.errors import LakehouseError
from runner.output import FORMATS, write_result
from runner.project import CompiledObject, Renderer, compile_project
from runner.readonly import check_read_only
from runner.runlog import RunLog
from runner.steps import deploy_steps, run_steps
from workspace.settings import ENVIRONMENTS, load_settings


def _common(parser: argparse.ArgumentParser, *, select: bool = True) -> None:
    parser.add_argument("--target", choices=TARGETS, default="local", help="where to run (default: local)")
    parser.add_argument(
        "--data-dir",
        help=f"local target: folder of the DuckDB file and the landing zone (default ./data, or ${DATA_DIR_ENV})",
    )
    parser.add_argument(
        "--config",
        type=Path,
        help="settings file (default: lakehouse.toml at the project root, or $LAKEHOUSE_SETTINGS)",
    )
    parser.add_argument(
        "--env",
        choices=ENVIRONMENTS,
        help="databricks target: an [env.*] of lakehouse.toml; adds the workspace side",
    )
    if select:
        parser.add_argument("--select", help="one layer (bronze, silver, gold, ...) or object (bronze.events_raw)")
        parser.add_argument("--full-refresh", action="store_true", help="rebuild from everything landed")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m runner",
        description="Build and run the Ticketmaster lakehouse: bronze, silver and gold from landed API data.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    plan = commands.add_parser("plan", help="show the ordered steps of deploy and run for a target")
    _common(plan)

    compile_ = commands.add_parser("compile", help="write the rendered SQL, one file per object")
    _common(compile_)
    compile_.add_argument("--out", type=Path, default=Path("target/compiled"), help="folder (default target/compiled)")

    deploy = commands.add_parser("deploy", help="create schemas, tables, views and procedures (safe to repeat)")
    _common(deploy)

    run = commands.add_parser("run", help="land data, then refresh every layer in order")
    _common(run)
    run.add_argument("--skip-ingest", action="store_true", help="use what is already landed")
    run.add_argument("--sample", action="store_true", help="land the offline sample even if an API key is set")
    run.add_argument(
        "--continue-on-ingest-error",
        action="store_true",
        help="if ingest stops (daily API quota spent, API or landing error), refresh with what has landed "
        "instead of ending the run (exit code 3 or 4)",
    )

    query = commands.add_parser("query", help="run one read-only statement and print its rows")
    _common(query, select=False)
    query.add_argument("sql", help='one read-only statement, e.g. "SELECT count(*) FROM bronze.events_raw"')
    query.add_argument("--format", choices=FORMATS, default="table")
    query.add_argument(
        "--timeout", type=float, metavar="SECONDS", help="stop the statement after this long (default 300; 0: no limit)"
    )

    exec_ = commands.add_parser("exec", help="run a SQL file on a target (procedures included) and print results")
    _common(exec_, select=False)
    exec_.add_argument("file", type=Path, help="a .sql file; Jinja and the project's macros apply")
    exec_.add_argument("--format", choices=FORMATS, default="table")

    status = commands.add_parser("status", help="the last runs, their steps and durations, the latest quality results")
    _common(status, select=False)
    status.add_argument("--runs", type=int, default=5, help="how many runs to list (default 5)")

    report = commands.add_parser("report", help="write a self-contained HTML report of runs, quality and row counts")
    _common(report, select=False)
    report.add_argument("--out", type=Path, default=Path("target/report.html"), help="(default target/report.html)")
    report.add_argument("--runs", type=int, default=30, help="how many runs to include (default 30)")

    from assistant.commands import add_commands
    from lakehouse.debug import add_command as add_debug
    from workspace.destroy import add_command as add_destroy

    add_commands(commands, _common)
    add_debug(commands, _common)
    add_destroy(commands, _common)
    return parser


def _target(args: argparse.Namespace) -> Target:
    target = load_target(args.target, data_dir=args.data_dir, config_path=args.config)
    args.workspace = None
    if args.env:
        if target.is_local:
            raise LakehouseError("--env applies to --target databricks only.")
        # Validated here, before any connection or request.
        args.workspace = load_settings(args.env, args.config)
        target = args.workspace.apply_to(target)
    return target


def _ensure_ready(args: argparse.Namespace, target: Target) -> None:
    """Databricks: host, credentials, warehouse and catalog are checked before any work, in that order."""
    if target.is_local:
        return
    from workspace.checks import ensure_ready

    ensure_ready(target, args.workspace, say=print)


def cmd_plan(args: argparse.Namespace, target: Target, objects: list[CompiledObject]) -> int:
    if args.workspace is not None:
        _ensure_ready(args, target)
    where = f"DuckDB at {target.database_path}" if target.is_local else f"catalog {target.catalog}"
    print(f"target: {target.name} ({where}); landing: {target.landing_root}")
    for title, steps in (
        ("deploy", deploy_steps(target, objects)),
        ("run", run_steps(target, objects, full_refresh=args.full_refresh)),
    ):
        print(
            f"\n{title}:" + ("  (run deploys first on the local target)" if title == "run" and target.is_local else "")
        )
        if title == "run":
            print("   0  ingest                     land new API data (or the offline sample) in the landing zone")
        for number, step in enumerate(steps, start=1):
            print(f"  {number:>2}  {step.object_key:<26} {step.description}")
    if args.workspace is not None:
        from workspace.deploy import show_plan, workspace_client

        show_plan(workspace_client(target), args.workspace, target, objects)
    elif not target.is_local:
        print("\nworkspace: add --env dev|prod to plan the job, grants, files and Genie space (see docs/databricks.md)")
    return 0


def cmd_compile(args: argparse.Namespace, target: Target, objects: list[CompiledObject]) -> int:
    out: Path = args.out / target.name
    out.mkdir(parents=True, exist_ok=True)
    for stale in out.rglob("*.sql"):
        stale.unlink()
    for obj in objects:
        deploy = deploy_steps(target, [obj])
        run = run_steps(target, [obj], full_refresh=args.full_refresh)
        lines = [f"-- source: sql/{obj.file.layer}/{obj.file.name}.sql, rendered for the {target.name} target"]
        for phase, steps in (("deploy", deploy), ("run", run)):
            if not steps:
                continue
            lines.append(f"\n-- {phase}")
            for step in steps:
                lines.append(f"{step.sql};" if step.sql else f"-- {step.description} (done by the runner, not SQL)")
        path = out / obj.file.layer / f"{obj.file.name}.sql"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(lines) + "\n")
    print(f"compiled {len(objects)} object(s) for {target.name} into {out}")
    if args.workspace is not None:
        from workspace.compiled import write_workspace_sql

        count = write_workspace_sql(out, args.workspace, target, objects)
        print(f"compiled {count} workspace file(s) (grants, job tasks) for {args.workspace.env} into {out}/workspace")
    return 0


def cmd_deploy(args: argparse.Namespace, target: Target, objects: list[CompiledObject]) -> int:
    from runner.pipeline import deploy

    _ensure_ready(args, target)
    engine = open_engine(target)
    try:
        if args.workspace is not None:
            from workspace.deploy import deploy_workspace, workspace_client

            deploy_workspace(workspace_client(target), args.workspace, target, objects, engine)
        elif not target.is_local:
            from workspace.deploy import workspace_client
            from workspace.landing import deploy_sql

            deploy_sql(workspace_client(target), target, objects, engine, print)
        else:
            deploy(target, objects, engine)
    finally:
        engine.close()
    return 0


def cmd_run(args: argparse.Namespace, target: Target, objects: list[CompiledObject]) -> int:
    from runner.pipeline import deploy, land_step, refresh
    from runner.quality.results import check_run

    _ensure_ready(args, target)
    log = RunLog(target)
    engine = None
    try:
        if not args.skip_ingest:
            land_step(log, target, sample=args.sample, continue_on_error=args.continue_on_ingest_error)
        engine = open_engine(target)
        if target.is_local:
            log.timed("deploy", "create or update every object", lambda: deploy(target, objects, engine))
        # Attached after the local deploy, which creates the log table on a fresh lakehouse.
        log.attach(engine)
        report = refresh(target, objects, engine, full_refresh=args.full_refresh, log=log)
        _keep_embeddings_current(target, engine)
        failure = check_run(engine, target, report.quality)
        log.finish(failure)
        if failure:
            print(f"error: {failure}", file=sys.stderr)
            return 1
        return 0
    except BaseException as exc:
        _log_failed_run(log, target, engine, exc)
        raise
    finally:
        if engine is not None:
            engine.close()


def _keep_embeddings_current(target: Target, engine: Engine) -> None:
    """Once `search` or `ask` has built the local embeddings, every run embeds the events that changed.

    Before that, nothing is embedded: the first embedding of a large lakehouse takes minutes, and a
    user who never searches should not pay for it."""
    if not target.is_local:
        return  # on Databricks the Delta Sync index follows the documents table by itself
    exists = engine.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'gold' AND table_name = 'event_document_embeddings'"
    )
    if not exists.rows or not exists.rows[0][0]:
        return
    from assistant.embedder import default_embedder
    from assistant.index import sync_embeddings

    result = sync_embeddings(engine.connection, default_embedder(), print)  # type: ignore[attr-defined]
    if result.embedded or result.removed:
        print(result.summary())


def _log_failed_run(log: RunLog, target: Target, engine: Engine | None, exc: BaseException) -> None:
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


def cmd_query(args: argparse.Namespace, target: Target) -> int:
    from runner.usersql import UserSql, configured_catalog, configured_timeout

    statement = check_read_only(args.sql)
    timeout = configured_timeout(args.config, args.timeout)
    engine = open_engine(target, read_only=True)
    try:
        # Databricks SQL: on the local target translated to DuckDB (or refused with the reason).
        result = UserSql(engine, configured_catalog(args.config), timeout=timeout).query(statement)
    except LakehouseError:
        raise
    except Exception as exc:
        raise LakehouseError(f"query failed: {exc}") from exc
    finally:
        engine.close()
    write_result(result, args.format)
    return 0


def cmd_exec(args: argparse.Namespace, target: Target) -> int:
    if not args.file.is_file():
        raise LakehouseError(f"{args.file} does not exist.")
    from runner.usersql import UserSql, configured_catalog

    statements = Renderer(target).render_text(args.file.read_text(), str(args.file), macros_engine="databricks")
    engine = open_engine(target)
    try:
        user = UserSql(engine, configured_catalog(args.config))
        for statement in statements:
            try:
                result = user.execute(statement.sql, origin=str(args.file), line=statement.line)
            except LakehouseError:
                raise
            except Exception as exc:
                # Interpreter errors already name the file, procedure and line.
                where = "" if type(exc).__name__ == "ScriptError" else f"{args.file}, line {statement.line}: "
                raise LakehouseError(f"{where}{exc}") from exc
            if result.columns:
                write_result(result, args.format)
    finally:
        engine.close()
    return 0


def cmd_status(args: argparse.Namespace, target: Target) -> int:
    from lakehouse.status import show_status

    engine = open_engine(target, read_only=True)
    try:
        show_status(engine, target, sys.stdout, runs=max(args.runs, 1))
    finally:
        engine.close()
    return 0


def cmd_report(args: argparse.Namespace, target: Target) -> int:
    from lakehouse.report import write_report

    engine = open_engine(target, read_only=True)
    try:
        path = write_report(engine, target, args.out, runs=max(args.runs, 1))
    finally:
        engine.close()
    print(f"report: {path.resolve()}")
    return 0


def cmd_destroy(args: argparse.Namespace, target: Target) -> int:
    if args.workspace is None:
        raise LakehouseError("destroy needs --target databricks --env dev|prod: the environment to remove.")
    from workspace.deploy import workspace_client
    from workspace.destroy import destroy

    engine = open_engine(target)
    try:
        return destroy(workspace_client(target), args.workspace, target, engine.execute, yes=args.yes)
    finally:
        engine.close()


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        target = _target(args)
        if args.command == "query":
            return cmd_query(args, target)
        if args.command == "exec":
            return cmd_exec(args, target)
        if args.command in ("status", "report"):
            return {"status": cmd_status, "report": cmd_report}[args.command](args, target)
        if args.command == "debug":
            from lakehouse.debug import run as run_debug

            return run_debug(args, target)
        if args.command == "destroy":
            return cmd_destroy(args, target)
        if args.command in ("search", "ask"):
            from assistant.commands import run as run_assistant

            return run_assistant(args, target)
        objects = compile_project(target, args.select)
        handler = {"plan": cmd_plan, "compile": cmd_compile, "deploy": cmd_deploy, "run": cmd_run}[args.command]
        return handler(args, target, objects)
    except LakehouseError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("interrupted: every completed step is committed; run again to continue.", file=sys.stderr)
        return 130
