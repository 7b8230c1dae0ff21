"""Test support: run the command line and kill the process (SIGKILL) just before statement N.

    python -m tests.reliability.crashing_run N TRACE_FILE run --skip-ingest --data-dir DIR
    python -m tests.reliability.crashing_run batch START WORK N1 N2 ...
    python -m tests.reliability.crashing_run snapshots START WORK N1 N2 ...

Statements are counted where the runner and the SQL-scripting interpreter send them: every deploy
and run step, every bronze refresh, and every SQL statement and EXECUTE IMMEDIATE inside a
procedure (the gold refresh, the summary, the quality checks). Each one reached is written to
TRACE_FILE as `number<TAB>label`; N = 0 never kills, which lists a run's statements.

`batch` tries each crash point in turn on a fresh copy of START (always at WORK/data, so the
compiled project can be reused): a forked process runs `run` and is killed before statement N, a
second forked process runs `run` to the end, and a third writes the gold content it left to
WORK/N.pickle with the outcome. Forking from one warm process saves the interpreter start, the
imports and the compile of every trial; every kill is a real SIGKILL of a whole process.

`snapshots` makes the same crash states in one run: a forked process runs `run` on a copy of START
and, just before each statement N, copies the data directory as it is on disk at that moment. A
SIGKILL there would leave exactly those files: the kernel keeps every write the process made, and
loses what it still held in memory (buffers, an open transaction), which a copy does not see either.
Each copy then gets the recovering run and the record, as in `batch`. The run before the first
crash point is paid once instead of once per point. A point whose files are, byte for byte, those of
an earlier point (a statement before it that wrote nothing) shares that point's recovery: the same
files give the same run. Nothing here is part of the shipped runner.
"""

from __future__ import annotations

import hashlib
import importlib
import os
import pickle
import shutil
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any


def install_crash_hook(crash_before: int, trace_path: Path, snapshot: Callable[[int], None] | None = None) -> None:
    """Counts statements; kills the process before statement `crash_before`, or calls `snapshot(N)` before
    every statement N when given one (and kills nothing)."""
    trace = open(trace_path, "a", buffering=1, encoding="utf-8")  # noqa: SIM115 - open until the process ends
    count = 0

    def reached(label: str) -> None:
        nonlocal count
        count += 1
        if snapshot is not None:
            snapshot(count)
        elif count == crash_before:
            trace.write(f"KILL\t{count}\t{label}\n")
            trace.flush()
            os.kill(os.getpid(), signal.SIGKILL)
        trace.write(f"{count}\t{label}\n")

    from runner import pipeline
    from scripting.interpreter import Interpreter
    from streaming.tables import LocalStreamingTable

    execute_step = pipeline._execute

    def counted_step(engine: Any, step: Any) -> Any:
        reached(f"{step.phase} {step.object_key}: {step.description}")
        return execute_step(engine, step)

    refresh_table = LocalStreamingTable.refresh

    def counted_refresh(self: Any, *args: Any, **kwargs: Any) -> Any:
        reached(f"run bronze: REFRESH {self.spec.name}")
        return refresh_table(self, *args, **kwargs)

    sql_statement = Interpreter._sql

    def counted_sql(self: Any, frame: Any, node: Any, scope: Any) -> Any:
        reached(f"  {frame.procedure}: {node.sql.summary(70)}")
        return sql_statement(self, frame, node, scope)

    execute_immediate = Interpreter._execute_immediate

    def counted_immediate(self: Any, frame: Any, node: Any, scope: Any) -> Any:
        reached(f"  {frame.procedure}: EXECUTE IMMEDIATE")
        return execute_immediate(self, frame, node, scope)

    pipeline._execute = counted_step
    LocalStreamingTable.refresh = counted_refresh
    Interpreter._sql = counted_sql
    Interpreter._execute_immediate = counted_immediate


def run_args(data_dir: Path) -> list[str]:
    return ["run", "--skip-ingest", "--data-dir", str(data_dir)]


def _in_child(work: Path, name: str, action: Any) -> int:
    """Run `action` in a forked process with its output in WORK/name.log; return the raw wait status."""
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            log = os.open(work / f"{name}.log", os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
            os.dup2(log, 1)
            os.dup2(log, 2)
            code = action()
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code if isinstance(code, int) else 0)
    return os.waitpid(pid, 0)[1]


# What a run imports only once it needs it: imported before the first fork, so that no trial imports
# (and compiles) them again.
IMPORTED_BY_A_RUN = (
    "lakehouse.build",
    "lakehouse.search_commands",
    "runner.pipeline",
    "scripting.interpreter",
    "streaming.tables",
    "assistant.after_run",
    "assistant.keywords",
    "tests.reliability.gold_content",
)


def _compiled_once(data_dir: Path) -> Any:
    """The command line module, compiling the project for `data_dir` once for every run that follows."""
    from lakehouse import cli
    from runner.config import load_target

    for module in IMPORTED_BY_A_RUN:
        importlib.import_module(module)
    compiled = cli.compile_project(load_target("local", data_dir=data_dir))
    cli.compile_project = lambda target, select=None, **_: compiled if select is None else None
    return cli


def _recover_and_record(cli: Any, work: Path, point: int, crashed: bool) -> None:
    """A normal run on the crash state at WORK/data, then its outcome and gold content in WORK/N.pickle."""
    from tests.reliability.gold_content import gold_content

    data_dir = work / "data"
    recovered = _in_child(work, f"recover-{point}", lambda: cli.main(run_args(data_dir)))

    def record() -> int:
        outcome = {
            "crashed": crashed,
            "recovered": os.WIFEXITED(recovered) and os.WEXITSTATUS(recovered) == 0,
            "gold": None,
        }
        if outcome["recovered"]:
            outcome["gold"] = gold_content(data_dir)
        (work / f"{point}.pickle").write_bytes(pickle.dumps(outcome))
        return 0

    _in_child(work, f"record-{point}", record)


def batch(start: Path, work: Path, crash_points: list[int]) -> None:
    data_dir = work / "data"
    cli = _compiled_once(data_dir)
    for point in crash_points:
        shutil.rmtree(data_dir, ignore_errors=True)
        shutil.copytree(start, data_dir)

        def crash(point: int = point) -> int:
            install_crash_hook(point, work / f"trace-{point}")
            return cli.main(run_args(data_dir))

        crashed = _in_child(work, f"crash-{point}", crash)
        killed = os.WIFSIGNALED(crashed) and os.WTERMSIG(crashed) == signal.SIGKILL
        _recover_and_record(cli, work, point, killed)
    shutil.rmtree(data_dir, ignore_errors=True)


def _digest(folder: Path) -> str:
    """What is on disk under `folder`: every file's path and bytes."""
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest.update(f"{path.relative_to(folder)}\0{path.stat().st_size}\0".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def snapshots(start: Path, work: Path, crash_points: list[int]) -> None:
    data_dir = work / "data"
    cli = _compiled_once(data_dir)
    shutil.rmtree(data_dir, ignore_errors=True)
    shutil.copytree(start, data_dir)
    wanted = set(crash_points)
    first_with: dict[str, int] = {}  # files on disk -> the first point that left them

    def copy_at(point: int) -> None:
        if point in wanted:
            first = first_with.setdefault(_digest(data_dir), point)
            if first == point:
                shutil.copytree(data_dir, work / f"at-{point}")
            else:
                (work / f"at-{point}.same").write_text(str(first))

    def run_with_snapshots() -> int:
        install_crash_hook(0, work / "trace", snapshot=copy_at)
        return cli.main(run_args(data_dir))

    finished = _in_child(work, "snapshots", run_with_snapshots)
    if not (os.WIFEXITED(finished) and os.WEXITSTATUS(finished) == 0):
        raise SystemExit(f"the run that takes the snapshots failed: see {work / 'snapshots.log'}")
    shared = {p: int((work / f"at-{p}.same").read_text()) for p in crash_points if (work / f"at-{p}.same").exists()}
    for point in crash_points:
        if point in shared:
            continue
        shutil.rmtree(data_dir, ignore_errors=True)
        copied = (work / f"at-{point}").exists()
        if copied:
            (work / f"at-{point}").rename(data_dir)
        _recover_and_record(cli, work, point, copied)
    for point, first in shared.items():
        outcome = pickle.loads((work / f"{first}.pickle").read_bytes())
        (work / f"{point}.pickle").write_bytes(pickle.dumps({**outcome, "same_files_as": first}))
    shutil.rmtree(data_dir, ignore_errors=True)


def one_thread_per_run() -> None:
    """DuckDB on one thread in every run of this process: the test's lakehouse is a few hundred rows, where
    a second thread only adds work (about a tenth of a run's CPU), and the trials share the machine's
    cores already. What a run writes, and so what a crash leaves, does not depend on the thread count."""
    from runner.engines import duckdb_engine

    engine_config = duckdb_engine._engine_config
    duckdb_engine._engine_config = lambda path: {**engine_config(path), "threads": "1"}


def main(argv: list[str]) -> int:
    one_thread_per_run()
    if argv[0] in ("batch", "snapshots"):
        trials = batch if argv[0] == "batch" else snapshots
        trials(Path(argv[1]), Path(argv[2]), [int(n) for n in argv[3:]])
        return 0
    install_crash_hook(int(argv[0]), Path(argv[1]))
    from lakehouse.cli import main as cli

    return cli(argv[2:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
