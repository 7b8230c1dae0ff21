"""`make lint` checks what ships: every package is type-checked, and every hook's tool comes with `make setup`."""

from __future__ import annotations

import shlex
import sys
import tomllib
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]


def _pyproject() -> dict:
    return tomllib.loads((REPO / "pyproject.toml").read_text())


def test_mypy_checks_every_shipped_package():
    pyproject = _pyproject()
    shipped = {pattern.rstrip("*") for pattern in pyproject["tool"]["setuptools"]["packages"]["find"]["include"]}
    checked = set(pyproject["tool"]["mypy"]["files"])
    assert shipped <= checked, f"add {sorted(shipped - checked)} to [tool.mypy] files in pyproject.toml"


def test_every_hook_runs_a_tool_of_the_virtual_environment():
    config = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text())
    assert [repo["repo"] for repo in config["repos"]] == ["local"], "hooks must not download anything"
    bin_dir = Path(sys.executable).parent
    for hook in config["repos"][0]["hooks"]:
        assert hook["language"] == "system", hook["id"]
        tool = shlex.split(hook["entry"])[0]
        assert (bin_dir / tool).exists(), f"{hook['id']} runs {tool}, which the dev extras do not install"
