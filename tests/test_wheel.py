"""An installed wheel works without a checkout: it carries sql/ and genie/ and compiles what a checkout does.

Builds the wheel (offline, with this environment's setuptools), installs it into a folder of its own and
runs it from a directory outside the checkout. Marked `wheel`: `pytest -m "not wheel"` leaves it out.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT

pytestmark = pytest.mark.wheel

# What a build must not see: environments, caches, run output, and what the wheel leaves out anyway.
NOT_SOURCES = shutil.ignore_patterns(
    ".git", ".venv", "__pycache__", "*.egg-info", "build", "data", "target", "tests", ".*cache"
)
# Run in the wheel's folder: the packages, the Genie space and the SQL it found, as the wheel sees them.
PROBE = """
import json, runner, workspace.genie
from runner.config import load_target
from runner.project import SQL_ROOT
space = workspace.genie.load_space(load_target("local", data_dir="unused"))
print(json.dumps({"runner": runner.__file__, "sql": str(SQL_ROOT), "examples": len(space.examples)}))
"""


def _setuptools_version() -> tuple[int, ...]:
    import setuptools

    return tuple(int(part) for part in setuptools.__version__.split(".")[:2] if part.isdigit())


def _run(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, f"{' '.join(command)} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def _tree(root: Path) -> dict[str, str]:
    return {path.relative_to(root).as_posix(): path.read_text() for path in sorted(root.rglob("*")) if path.is_file()}


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder the wheel was installed into (pip --target), beside nothing of the checkout."""
    if _setuptools_version() < (77,):
        pytest.skip("building the wheel needs setuptools>=77: pip install -e '.[dev]'")
    base = tmp_path_factory.mktemp("wheel")
    source, dist, site = base / "source", base / "dist", base / "site"
    shutil.copytree(REPO_ROOT, source, ignore=NOT_SOURCES)
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--no-input", "-q"]
    _run([*pip, "wheel", "--no-deps", "--no-build-isolation", "-w", str(dist), str(source)], cwd=base)
    (wheel,) = dist.glob("*.whl")
    _run([*pip, "install", "--no-deps", "--no-index", "--target", str(site), str(wheel)], cwd=base)
    return site


def _wheel_env(site: Path) -> dict[str, str]:
    # The wheel's folder first on the path, ahead of the checkout's editable install; the dependencies
    # (duckdb, jinja2, sqlglot, ...) come from this environment.
    return {**os.environ, "PYTHONPATH": str(site)}


def test_wheel_ships_the_packages_and_not_the_fakes(installed: Path):
    shipped = {path.name for path in installed.iterdir() if path.is_dir() and not path.name.endswith(".dist-info")}
    assert {"lakehouse", "runner", "streaming", "ingest", "dialect", "scripting", "assistant", "workspace"} <= shipped
    assert not shipped & {"fakes", "tests", "bench", "sql", "genie"}
    assert not list(installed.rglob("fake*.py"))
    assert (installed / "runner" / "sql").is_dir() and (installed / "runner" / "genie" / "space.toml").is_file()


def test_wheel_compiles_what_the_checkout_compiles(installed: Path, tmp_path: Path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = _wheel_env(installed)
    found = json.loads(_run([sys.executable, "-c", PROBE], cwd=elsewhere, env=env))
    assert Path(found["runner"]).is_relative_to(installed), "the checkout's runner was imported, not the wheel's"
    assert Path(found["sql"]) == installed / "runner" / "sql"
    assert found["examples"] == len(list((REPO_ROOT / "genie" / "examples").glob("*.sql")))

    # One data folder for both: the local target's landing paths are part of the compiled text.
    data = ["--data-dir", str(tmp_path / "data")]
    printed = _run([sys.executable, "-m", "lakehouse", "compile", *data, "--out", "compiled"], cwd=elsewhere, env=env)
    _run([sys.executable, "-m", "runner", "compile", *data, "--out", str(tmp_path / "checkout")], cwd=REPO_ROOT)
    from_wheel, from_checkout = _tree(elsewhere / "compiled"), _tree(tmp_path / "checkout")
    assert f"compiled {len(from_wheel)} object(s)" in printed
    assert {"bronze", "silver", "gold"} <= {name.split("/")[1] for name in from_wheel}
    assert from_wheel == from_checkout


def test_wheel_reads_the_settings_file_of_the_folder_it_runs_in(installed: Path, tmp_path: Path):
    project = tmp_path / "project"
    project.mkdir()
    settings = (REPO_ROOT / "lakehouse.toml").read_text()
    assert 'catalog = "main"' in settings
    (project / "lakehouse.toml").write_text(settings.replace('catalog = "main"', 'catalog = "events_lake"', 1))
    env = {k: v for k, v in _wheel_env(installed).items() if k not in {"LAKEHOUSE_SETTINGS", "LAKEHOUSE_CATALOG"}}
    _run(
        [sys.executable, "-m", "lakehouse", "compile", "--target", "databricks", "--out", "compiled"],
        cwd=project,
        env=env,
    )
    compiled = "\n".join(_tree(project / "compiled").values())
    assert "CREATE SCHEMA IF NOT EXISTS events_lake.bronze" in compiled
    assert "main.bronze" not in compiled
