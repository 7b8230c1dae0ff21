"""Fixtures shared by every test package."""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from filelock import FileLock

REPO_ROOT = Path(__file__).resolve().parents[1]
# Real recorded API responses live beside the clone (../shared/fixtures) for developers and CI;
# a user's clone has none, so tests that read them skip.
SHARED_DIR = REPO_ROOT.parent / "shared"
# A folder the test session's processes share: one empty file per statement sqlfluff parsed without a
# violation (tests/sqlfluff_exemptions.py), so that no other xdist worker parses the same text again.
PARSED_DIR = "LAKEHOUSE_TEST_SQLFLUFF_PARSED_DIR"


@pytest.fixture
def shared_dir() -> Path:
    if not SHARED_DIR.is_dir():
        pytest.skip("../shared is not present beside this clone")
    return SHARED_DIR


@pytest.fixture
def fixtures_dir(shared_dir: Path) -> Path:
    path = shared_dir / "fixtures" / "ticketmaster"
    if not path.is_dir():
        pytest.skip("../shared/fixtures/ticketmaster is not present")
    return path


@pytest.fixture(scope="session")
def spark():
    """A local Spark session answering as the Databricks Runtime does (tests/spark_oracle.py)."""
    from tests.spark_oracle import NO_JDK, java_available, start_spark

    if not java_available():
        pytest.skip(NO_JDK)
    pytest.importorskip("pyspark", reason="pyspark is a test dependency: pip install -e '.[dev]'")
    session = start_spark()
    yield session
    session.stop()


# ---------------------------------------------------------------- the sample lakehouse, built once


def _fingerprint(data_dir: Path) -> dict[str, tuple[int, int]]:
    """Every file and folder under the data directory with its size and modification time."""
    found = {}
    for path in sorted(data_dir.rglob("*")):
        info = path.lstat()
        found[path.relative_to(data_dir).as_posix()] = (info.st_size, info.st_mtime_ns)
    return found


def _set_writable(root: Path, writable: bool) -> None:
    write_bits = stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH
    for path in [root, *root.rglob("*")]:
        mode = path.stat().st_mode
        path.chmod(mode | stat.S_IWUSR if writable else mode & ~write_bits)


def copy_sample_lakehouse(source: Path, data_dir: Path, *, landing: bool = True) -> Path:
    """A writable copy of a built data directory (the DuckDB file, and the landed files unless told not to).

    Bronze remembers landed files by their place in the landing zone, so a run on the copy reads nothing
    again; `_source_file` in bronze rows still names the files where they were first read."""
    ignore = None if landing else shutil.ignore_patterns("landing")
    shutil.copytree(source, data_dir, ignore=ignore)
    _set_writable(data_dir, True)
    return data_dir


_SHARED_SAMPLES: list[tuple[Path, dict[str, tuple[int, int]]]] = []


def session_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The temporary folder every process of this test session shares (the xdist workers' parent)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@pytest.fixture(scope="session")
def sample_lakehouse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The data directory of the offline sample, built once per session as a user's first run builds it.

    `run --sample` on a fresh directory: the sample landed in `landing/`, then bronze, silver, gold and
    the quality step in `lakehouse.duckdb`. Shared by every test that only reads it: open the database
    read-only (`duckdb.connect(path, read_only=True)`, `DuckDBEngine(target, read_only=True)`, the
    `query` command). Its files are read-only on disk and any change to them fails the test that made it.
    A test that writes, runs the pipeline again or lands more takes `sample_lakehouse_copy` instead (or
    `copy_sample_lakehouse` for a module- or session-scoped copy). With xdist, the first worker to need it
    builds it and the others share it."""
    from lakehouse.cli import main

    root = session_root(tmp_path_factory) / "sample_lakehouse"
    data_dir = root / "data"
    fingerprint_file = root / "fingerprint.json"
    built_here = False
    with FileLock(root.parent / "sample_lakehouse.lock"):  # one test process (xdist worker) builds it
        if not fingerprint_file.exists():
            shutil.rmtree(root, ignore_errors=True)  # what a build that failed left
            root.mkdir()
            with pytest.MonkeyPatch.context() as patch, contextlib.redirect_stdout(io.StringIO()) as out:
                patch.delenv("TICKETMASTER_API_KEY", raising=False)
                patch.chdir(root)
                code = main(["run", "--sample", "--data-dir", str(data_dir)])
            assert code == 0, f"run --sample exited with {code}:\n{out.getvalue()}"
            _set_writable(data_dir, False)
            fingerprint_file.write_text(json.dumps(_fingerprint(data_dir)))
            built_here = True
    fingerprint = {name: tuple(value) for name, value in json.loads(fingerprint_file.read_text()).items()}
    _SHARED_SAMPLES.append((data_dir, fingerprint))
    yield data_dir
    if built_here:
        _set_writable(data_dir, True)


@pytest.fixture
def sample_lakehouse_copy(sample_lakehouse: Path, tmp_path: Path) -> Path:
    """A private, writable copy of `sample_lakehouse` at `tmp_path / "data"`, for a test that changes it."""
    return copy_sample_lakehouse(sample_lakehouse, tmp_path / "data")


@pytest.fixture(autouse=True)
def _shared_sample_stays_unchanged(request: pytest.FixtureRequest) -> Iterator[None]:
    """Fails the test that changed the shared sample lakehouse (root ignores the read-only file modes)."""
    yield
    for data_dir, before in _SHARED_SAMPLES:
        after = _fingerprint(data_dir)
        if after != before:
            changed = sorted(name for name in before.keys() | after.keys() if before.get(name) != after.get(name))
            _SHARED_SAMPLES.remove((data_dir, before))  # reported once, by the test that changed it
            pytest.fail(
                f"{request.node.nodeid} changed the shared sample lakehouse ({', '.join(changed)}): "
                "use sample_lakehouse_copy for a test that writes",
                pytrace=False,
            )


# ---------------------------------------------------------------- tiers: `-m unit` and `-m integration`

# A test needing one of these, itself or through another fixture, is an integration test: a built
# lakehouse or a data directory the command line builds, Spark, the embedding model, or a server on
# loopback (the fake workspace, chat, Discovery API, an unreachable host).
INTEGRATION_FIXTURES = frozenset(
    {
        "sample_lakehouse",
        "data_dir",
        "lake",
        "spark",
        "embedder",
        "fake",
        "fake_chat",
        "workspace_host",
        "sent",
        "api",
        "outcomes",
    }
)
# Tests that start a server, a subprocess or a pipeline run in their own body (a module, or one test).
INTEGRATION_TESTS = (
    "tests/bench/test_bench.py",
    "tests/ingest/test_concurrency.py",
    "tests/ingest/test_dates.py::test_cli_end_date_pulls_the_events_of_that_whole_day",
    "tests/ingest/test_landing_errors.py",
    "tests/ingest/test_pipeline.py",
    "tests/ingest/test_recorded_fixtures.py",
    "tests/ingest/test_units.py::test_fake_api_limits_per_second_and_per_day",
    "tests/ingest/test_units.py::test_cli_help",
    "tests/ingest/test_volume.py",
    "tests/runner/test_quickstart.py",
    "tests/runner/test_run_end_to_end.py",
    "tests/test_wheel.py",
    "tests/workspace/test_vector_sync.py",
)


# ---------------------------------------------------------------- running on several cores (pytest-xdist)

# `-n auto --dist loadgroup` (pyproject.toml) sends each test to whichever worker is free, except groups
# that must share one process: everything on the Spark session (one JVM), everything on the embedding
# model and its embedded lakehouse, and each module with a module-scoped fixture (built once).
# Long units start first, so that no worker is left with one at the end; those that mostly wait (on a
# child process, a server, the disk) early too, beside the ones that keep the cores busy.
LONG_FIRST = (
    "tests/reliability/",
    "@spark",
    "tests/runner/test_quickstart.py",
    "tests/workspace/test_fail_fast.py",
    "tests/ingest/test_concurrency.py",
    "@embedder",
    "tests/runner/test_console_command.py",
    "tests/runner/test_cli_verbs.py",
    "tests/test_wheel.py",
    "tests/oracle/",
    "tests/bench/",
    "tests/runner/test_run_end_to_end.py",
    "tests/silver_gold/test_changes.py",
    "tests/runner/test_nothing_landed.py",
)


def _xdist_group(item: pytest.Item) -> str | None:
    if "spark" in item.fixturenames:
        return "spark"
    if "embedder" in item.fixturenames:
        return "embedder"
    definitions = getattr(item, "_fixtureinfo", None)
    if definitions is not None and any(
        defs and defs[-1].scope == "module" for defs in definitions.name2fixturedefs.values()
    ):
        return item.nodeid.split("::")[0]
    return None


def _start_rank(item: pytest.Item, group: str | None) -> int:
    for rank, prefix in enumerate(LONG_FIRST):
        if prefix.startswith("@") and group == prefix[1:] or item.nodeid.startswith(prefix):
            return rank
    return len(LONG_FIRST)


# pytest-xdist 3.8 names a group by a suffix to the test's id that pytest 9 no longer keeps, so the workers
# write each test's group to a file and the controller's scheduler reads it (pytest_xdist_make_scheduler).
_GROUPS_FILE = "LAKEHOUSE_TEST_GROUPS_FILE"


def pytest_configure(config: pytest.Config) -> None:
    if os.environ.get("PYTEST_XDIST_WORKER"):
        # A worker starts with COLUMNS=80 the controller did not have; the command line's tables honour
        # COLUMNS, so the tests see the output of the terminal pytest was started from.
        if os.environ.get("LAKEHOUSE_TEST_COLUMNS") == "":
            os.environ.pop("COLUMNS", None)
        return
    os.environ["LAKEHOUSE_TEST_COLUMNS"] = os.environ.get("COLUMNS", "")
    # Statements sqlfluff parsed, shared by the workers (tests/sqlfluff_exemptions.py).
    os.environ[PARSED_DIR] = tempfile.mkdtemp(prefix="lakehouse-test-sqlfluff-")
    if config.pluginmanager.hasplugin("xdist"):
        folder = tempfile.mkdtemp(prefix="lakehouse-test-groups-")
        os.environ[_GROUPS_FILE] = os.path.join(folder, "groups.json")  # the workers inherit it


def pytest_unconfigure(config: pytest.Config) -> None:
    if os.environ.get("PYTEST_XDIST_WORKER"):
        return
    if os.environ.get(_GROUPS_FILE):
        shutil.rmtree(Path(os.environ.pop(_GROUPS_FILE)).parent, ignore_errors=True)
    if os.environ.get(PARSED_DIR):
        shutil.rmtree(os.environ.pop(PARSED_DIR), ignore_errors=True)


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int | None:
    """`-n auto`: two workers more than there are cores. Many tests wait without using a core (on a server
    on loopback, a child process, the disk); the extra workers run other tests meanwhile. On 2 cores the
    whole suite took 411 s with 3 workers, 354 s with 4 and 348 s with 5."""
    if os.environ.get("PYTEST_XDIST_AUTO_NUM_WORKERS"):
        return None  # xdist's own setting wins
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return cores + 2


def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> object | None:
    """`--dist loadgroup`: one unit of work per group of tests/conftest.py, each other test alone."""
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class GroupScheduling(LoadScopeScheduling):
        groups: dict[str, str] | None = None

        def _split_scope(self, nodeid: str) -> str:
            if self.groups is None:
                path = Path(os.environ[_GROUPS_FILE])
                self.groups = json.loads(path.read_text()) if path.exists() else {}
            return self.groups.get(nodeid, nodeid)

        def _reschedule(self, node: object) -> None:
            # A worker gets its next unit only once it runs the last test it has (xdist's default queues
            # one more unit while two tests are left): a unit queued behind a long test would wait for it
            # while another worker is free. A worker holds its last test until it knows the next one, so
            # one test left is the moment to send more.
            if not node.shutting_down and self.workqueue and self._pending_of(self.assigned_work[node]) > 1:  # type: ignore[attr-defined]
                return
            super()._reschedule(node)  # type: ignore[arg-type]

    return GroupScheduling(config, log)


def pytest_itemcollected(item: pytest.Item) -> None:
    """Puts the test in its xdist group, before xdist names the groups (in pytest_collection_modifyitems)."""
    group = _xdist_group(item)
    if group:
        item.add_marker(pytest.mark.xdist_group(group))


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Marks every test `unit` or `integration` (an explicit mark wins), before `-m` selects; orders the
    tests for xdist, long units first (the order within a module is kept)."""
    ranks = {}
    for item in items:
        mark = item.get_closest_marker("xdist_group")
        ranks[item.nodeid] = _start_rank(item, mark.args[0] if mark else None)
        if item.get_closest_marker("unit") or item.get_closest_marker("integration"):
            continue
        integration = item.nodeid.startswith(INTEGRATION_TESTS) or not INTEGRATION_FIXTURES.isdisjoint(
            item.fixturenames
        )
        item.add_marker(pytest.mark.integration if integration else pytest.mark.unit)
    items.sort(key=lambda item: ranks[item.nodeid])
    if os.environ.get("PYTEST_XDIST_WORKER") and os.environ.get(_GROUPS_FILE):
        groups = {}
        for item in items:
            mark = item.get_closest_marker("xdist_group")
            if mark:
                groups[item.nodeid] = "@" + mark.args[0]
        path = Path(os.environ[_GROUPS_FILE])
        partial = path.with_name(f"{path.name}.{os.environ['PYTEST_XDIST_WORKER']}")
        partial.write_text(json.dumps(groups))
        os.replace(partial, path)  # every worker collects the same tests, so any one's file will do
