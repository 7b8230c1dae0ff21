"""`python -m runner debug`: what the runner would use, and whether it is ready, one line per check.

Locally: the configuration, the data directory, the DuckDB version, and what exists (the database file,
its schemas and tables, the files landed per entity). On Databricks: the checks of
workspace/checks.py, each pass, fail (with its fix) or todo (deploy creates it).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from runner.config import LAYERS, Target, settings_path
from runner.errors import LakehouseError

Say = Callable[[str], None]
ENTITIES = ("events", "venues", "attractions", "classifications")


def add_command(commands: argparse._SubParsersAction, common: Callable[..., None]) -> None:
    debug = commands.add_parser("debug", help="check the configuration and the target, one line per check")
    common(debug, select=False)


def run(args: argparse.Namespace, target: Target, say: Say = print) -> int:
    say(f"target     {target.name}")
    path = settings_path(args.config)
    say(f"settings   {path}" + ("" if path.is_file() else " (absent: defaults apply)"))
    if target.is_local:
        return _local(target, say)
    return _databricks(target, args.workspace, say)


def _local(target: Target, say: Say) -> int:
    import duckdb

    assert target.data_dir is not None
    say(f"data dir   {target.data_dir}" + ("" if target.data_dir.is_dir() else " (absent: run creates it)"))
    say(f"duckdb     {duckdb.__version__}")
    database = target.database_path
    if not database.is_file():
        say(f"database   {database} does not exist yet: `python -m runner run` creates it")
    else:
        say(f"database   {database} ({database.stat().st_size / 1e6:.1f} MB)")
        try:
            with duckdb.connect(str(database), read_only=True) as connection:
                rows = connection.execute(
                    "SELECT schema_name, count(*) FROM duckdb_tables() WHERE NOT internal GROUP BY 1 ORDER BY 1"
                ).fetchall()
        except duckdb.Error as exc:
            say(f"database   cannot be opened read-only: {str(exc).splitlines()[0]}")
            return 1
        tables = dict(rows)
        say("schemas    " + ", ".join(f"{layer} ({tables.get(layer, 0)} tables)" for layer in LAYERS))
    landing = Path(target.landing_root)
    counts = [f"{entity} {_files(landing / entity)}" for entity in ENTITIES]
    say(f"landing    {landing}: " + ", ".join(counts) + " file(s)")
    return 0


def _files(folder: Path) -> int:
    return sum(1 for p in folder.rglob("*") if p.is_file() and not p.name.startswith(".")) if folder.is_dir() else 0


def _databricks(target: Target, settings, say: Say) -> int:
    from workspace.checks import client_for, configuration_checks, workspace_checks

    say(f"catalog    {target.catalog}; schemas {', '.join(target.schema(layer) for layer in LAYERS)}")
    say(f"landing    {target.landing_root}")
    if settings is None:
        say("env        none: add --env dev|prod to check the secret scope too")
    checks = configuration_checks(target)
    failed = False
    for check in checks:
        say(check.line())
        failed = failed or check.failed
    if failed:
        return 1
    try:
        for check in workspace_checks(lambda: client_for(target), target, settings):
            say(check.line())
            failed = failed or check.failed
    except LakehouseError as exc:
        say(f"  fail  {'':10}  {exc}")
        return 1
    return 1 if failed else 0
