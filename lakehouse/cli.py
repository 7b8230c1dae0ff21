"""`lakehouse`: plan, compile, deploy, run, test, query and exec the lakehouse on a target."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from pathlib import Path
from typing import NoReturn

from lakehouse.compiled import compile_project
from lakehouse.console import Console, log_path_for
from lakehouse.output import DEFAULT_LIMIT, FORMATS, write_result
from runner import interrupt
from runner.config import DATA_DIR_ENV, TARGETS, Target, load_target, read_settings
from runner.engines import open_engine
from runner.engines.duckdb_engine import without_pandas
from runner.errors import LakehouseError
from runner.project import CompiledObject, Renderer
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
    verbosity = parser.add_mutually_exclusive_group()
    verbosity.add_argument("-q", "--quiet", action="store_true", help="print errors and the closing summary only")
    verbosity.add_argument("-v", "--verbose", action="store_true", help="print every statement as it runs")
    if select:
        add_selection(parser)
        parser.add_argument("--full-refresh", action="store_true", help="rebuild from everything landed")


def add_selection(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-s",
        "--select",
        nargs="+",
        metavar="TERM",
        help="objects to include: silver.events, events, a layer, kind:mv, +name (with what it reads), "
        "name+ (with what reads it); several terms, separated by spaces or commas, add up",
    )
    parser.add_argument("--exclude", nargs="+", metavar="TERM", help="objects to leave out, written as for --select")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="lakehouse",
        description="Build and run the Ticketmaster lakehouse: bronze, silver and gold from landed API data.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {version()}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    plan = commands.add_parser("plan", help="what deploy would create or change, and the order run follows")
    _common(plan)
    plan.add_argument("--format", choices=("table", "json"), default="table")

    ls = commands.add_parser("ls", help="list the objects of the project with their layer and kind")
    _common(ls)
    ls.add_argument("--format", choices=("table", "json"), default="table")

    test = commands.add_parser("test", help="run the quality rules on the data as it is (no deploy, no refresh)")
    _common(test, select=False)
    add_selection(test)
    test.epilog = "--select takes rule names, severities (critical, high, ...) or objects whose rules to run"

    docs = commands.add_parser("docs", help="draw the ref() lineage of the objects as an SVG file (offline)")
    _common(docs)
    docs.add_argument("--out", type=Path, default=Path("target/lineage.svg"), help="(default target/lineage.svg)")

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
        "--limit", type=int, help=f"rows the table shows (default {DEFAULT_LIMIT}; 0: all; csv and json print all)"
    )
    query.add_argument(
        "--timeout", type=float, metavar="SECONDS", help="stop the statement after this long (default 300; 0: no limit)"
    )

    exec_ = commands.add_parser("exec", help="run a SQL file on a target (procedures included) and print results")
    _common(exec_, select=False)
    exec_.add_argument("file", type=Path, help="a .sql file; Jinja and the project's macros apply")
    exec_.add_argument("--format", choices=FORMATS, default="table")
    exec_.add_argument("--limit", type=int, help=f"rows each table shows (default {DEFAULT_LIMIT}; 0: all)")

    status = commands.add_parser("status", help="the last runs, their steps and durations, the latest quality results")
    _common(status, select=False)
    status.add_argument("--runs", type=int, default=5, help="how many runs to list (default 5)")
    status.add_argument("--format", choices=("table", "json"), default="table")

    report = commands.add_parser("report", help="write a self-contained HTML report of runs, quality and row counts")
    _common(report, select=False)
    report.add_argument("--out", type=Path, default=Path("target/report.html"), help="(default target/report.html)")
    report.add_argument("--runs", type=int, default=30, help="how many runs to include (default 30)")

    commands.add_parser(
        "ingest",
        add_help=False,
        help="pull Discovery API data into a landing zone with a scope of your choice (`lakehouse ingest --help`)",
    )

    from lakehouse.debug import add_command as add_debug
    from lakehouse.search_commands import add_commands
    from workspace.destroy import add_command as add_destroy

    add_commands(commands, _common)
    add_debug(commands, _common)
    add_destroy(commands, _common)
    return parser


def _target(args: argparse.Namespace) -> Target:
    read_settings(args.config)  # a misspelt setting is an error on every target, not ignored
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
    from lakehouse.listing import show_plan, write_json
    from lakehouse.plan import plan_objects

    if args.workspace is not None:
        _ensure_ready(args, target)
    planned = plan_objects(target, objects, full_refresh=args.full_refresh)
    if args.format == "json":
        write_json({"target": target.name, "objects": [p.as_dict() for p in planned]}, sys.stdout)
        return 0
    show_plan(args.console.out, target, planned, verbose=args.verbose)
    if args.workspace is not None:
        from workspace.deploy import show_plan as show_workspace_plan
        from workspace.deploy import workspace_client

        show_workspace_plan(workspace_client(target), args.workspace, target, objects)
    elif not target.is_local:
        print("\nworkspace: add --env dev|prod to plan the job, grants, files and Genie space (see docs/databricks.md)")
    return 0


def cmd_ls(args: argparse.Namespace, target: Target, objects: list[CompiledObject]) -> int:
    from lakehouse.listing import show_ls, write_json
    from lakehouse.plan import PlannedObject
    from runner.selectors import kind_of

    listed = [PlannedObject(o.key, o.file.layer, kind_of(o), "", o.header, [], []) for o in objects]
    if args.format == "json":
        write_json([{"object": o.key, "layer": o.layer, "kind": o.kind, "description": o.header} for o in listed],
                   sys.stdout)  # fmt: skip
        return 0
    show_ls(args.console.out, listed)
    return 0


def cmd_docs(args: argparse.Namespace, target: Target, objects: list[CompiledObject]) -> int:
    from lakehouse.lineage import write_lineage

    path = write_lineage(objects, args.out)
    print(f"lineage: {path.resolve()} ({len(objects)} objects)")
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
                if step.params:
                    # Sent beside the statement, as the values of its ? markers, in order.
                    lines.append(f"-- bound parameters: {json.dumps(list(step.params))}")
                lines.append(f"{step.sql};" if step.sql else f"-- {step.description} (done by the runner, not SQL)")
        path = out / obj.file.layer / f"{obj.file.name}.sql"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"compiled {len(objects)} object(s) for {target.name} into {out}")
    if args.workspace is not None:
        from workspace.compiled import write_workspace_sql

        count = write_workspace_sql(out, args.workspace, target, objects)
        print(f"compiled {count} workspace file(s) (grants, job tasks) for {args.workspace.env} into {out}/workspace")
    return 0


def cmd_deploy(args: argparse.Namespace, target: Target, objects: list[CompiledObject]) -> int:
    from lakehouse.build import deploy_command

    _ensure_ready(args, target)
    return deploy_command(args, target, objects, args.console)


def cmd_run(args: argparse.Namespace, target: Target, objects: list[CompiledObject]) -> int:
    from lakehouse.build import run_command

    _ensure_ready(args, target)
    return run_command(args, target, objects, args.console)


def cmd_test(args: argparse.Namespace, target: Target) -> int:
    from lakehouse.build import test_command

    _ensure_ready(args, target)
    return test_command(args, target, compile_project(target), args.console)


def cmd_query(args: argparse.Namespace, target: Target) -> int:
    from usersql.readonly import check_read_only  # sqlglot: only `query` pays for its import
    from usersql.session import UserSql, configured_catalog, configured_timeout

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
    write_result(result, args.format, limit=args.limit)
    return 0


def cmd_exec(args: argparse.Namespace, target: Target) -> int:
    if not args.file.is_file():
        raise LakehouseError(f"{args.file} does not exist.")
    from usersql.session import UserSql, configured_catalog

    statements = Renderer(target).render_text(
        args.file.read_text(encoding="utf-8"), str(args.file), macros_engine="databricks"
    )
    engine = open_engine(target)
    try:
        if target.is_local:
            from runner import run_state

            # A hand edit may change what the last run computed: the next run refreshes every layer.
            run_state.forget(engine.connection, target)  # type: ignore[attr-defined]
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
                write_result(result, args.format, limit=args.limit)
            else:
                # Said on stderr: stdout stays the result sets, for a pipe or a file.
                done = "done" if result.rowcount is None else f"{result.rowcount} row(s) affected"
                args.console.err.print(f"line {statement.line}: {statement.first_keyword} {done}", markup=False)
    finally:
        engine.close()
    return 0


def cmd_status(args: argparse.Namespace, target: Target) -> int:
    from lakehouse.status import show_status

    engine = open_engine(target, read_only=True)
    try:
        if args.format == "json":
            from lakehouse.listing import write_json
            from lakehouse.status import status_data

            write_json(status_data(engine, target, runs=max(args.runs, 1)), sys.stdout)
        else:
            show_status(engine, target, args.console.out, runs=max(args.runs, 1))
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


def version() -> str:
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as installed_version

    try:
        return installed_version("ticketmaster-lakehouse")
    except PackageNotFoundError:
        return "unknown (not installed: `pip install -e .`)"


def _console(args: argparse.Namespace, target: Target | None) -> Console:
    verbosity = -1 if getattr(args, "quiet", False) else 1 if getattr(args, "verbose", False) else 0
    log_file = log_path_for(target) if target is not None and args.command in ("run", "deploy", "test") else None
    return Console(verbosity, log_file)


def main(argv: list[str] | None = None) -> int:
    """The console command; a closed pipe (`lakehouse status | head`) ends it quietly."""
    try:
        code = _main(argv)
        sys.stdout.flush()
        return code
    except BrokenPipeError:
        # The reader left: further writes (and the flush at exit) would raise again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141


def exit_process(code: int) -> NoReturn:
    """End the process with `code` once its output and exit hooks have run, without tearing down
    every module and object first: DuckDB and the other extension modules took a tenth of a second
    or more to unload, after the work was done and said. For a command line (`python -m`), never
    in a process that goes on (tests call `main`). A thread still running ends the usual way."""
    import atexit
    import threading

    if threading.active_count() > 1:
        sys.exit(code)
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    atexit._run_exitfuncs()  # what the standard library registered: logging flushes its files
    os._exit(code)


def console_main() -> NoReturn:
    """The `lakehouse` console command."""
    exit_process(main())


def _main(argv: list[str] | None) -> int:
    arguments = sys.argv[1:] if argv is None else list(argv)
    if arguments[:1] == ["ingest"]:
        # The ingest command line as it is, with its own options and exit codes.
        from ingest.__main__ import main as ingest_main

        return ingest_main(arguments[1:])
    args = build_parser().parse_args(arguments)
    args.console = _console(args, None)
    try:
        target = _target(args)
        args.console = _console(args, target)
        with without_pandas() if target.is_local else contextlib.nullcontext():
            return _command(args, target)
    except LakehouseError as exc:
        args.console.error(str(exc))
        return exc.exit_code
    except KeyboardInterrupt:
        args.console.err.print(interrupt.MESSAGE, markup=False, style="yellow")
        return interrupt.EXIT_CODE
    finally:
        args.console.close()


def _command(args: argparse.Namespace, target: Target) -> int:
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
        from lakehouse.search_commands import run as run_assistant

        return run_assistant(args, target)
    if args.command == "test":
        return cmd_test(args, target)
    objects = compile_project(target, args.select, exclude=args.exclude, keep_setup=args.command != "ls")
    handler = {
        "plan": cmd_plan, "compile": cmd_compile, "deploy": cmd_deploy, "run": cmd_run, "ls": cmd_ls,
        "docs": cmd_docs,
    }[args.command]  # fmt: skip
    return handler(args, target, objects)
