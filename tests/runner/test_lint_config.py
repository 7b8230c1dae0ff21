"""`make lint` checks the whole project: every package is type-checked, every hook's tool comes with `make setup`."""

from __future__ import annotations

import shlex
import sys
import tomllib
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]


def test_mypy_checks_every_package():
    packages = {init.parent.name for init in REPO.glob("*/__init__.py")}
    checked = set(tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["mypy"]["files"])
    assert packages, "no package found beside pyproject.toml"
    assert packages <= checked, f"add {sorted(packages - checked)} to [tool.mypy] files in pyproject.toml"


def test_every_hook_runs_a_tool_of_the_virtual_environment():
    config = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text())
    assert [repo["repo"] for repo in config["repos"]] == ["local"], "hooks must not download anything"
    bin_dir = Path(sys.executable).parent
    for hook in config["repos"][0]["hooks"]:
        assert hook["language"] == "system", hook["id"]
        tool = shlex.split(hook["entry"])[0]
        assert (bin_dir / tool).exists(), f"{hook['id']} runs {tool}, which the dev extras do not install"
