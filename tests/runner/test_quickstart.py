"""The README quickstart is a test: its run command, on a fresh copy of the repository, succeeds."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def quickstart_commands() -> list[str]:
    readme = (REPO / "README.md").read_text()
    section = readme.split("## Quickstart", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```sh\n(.*?)```", section, re.S)
    assert block, "the README quickstart has no sh block"
    return [line.strip() for line in block.group(1).splitlines() if line.strip()]


def test_quickstart_is_two_commands_and_ci_runs_the_test_one():
    commands = quickstart_commands()
    assert commands == ["make run", "make test"]
    assert "\nmake test\n" in (REPO / ".ci" / "run").read_text()


def fresh_copy(destination: Path) -> Path:
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split("\0")
    for name in filter(None, listed):
        source = REPO / name
        if source.is_file():
            target = destination / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    return destination


def test_the_run_command_works_in_a_fresh_folder(tmp_path):
    """Runs `make run` word for word: it creates its own virtual environment and installs the project."""
    clone = fresh_copy(tmp_path / "clone")
    env = {
        k: v for k, v in os.environ.items() if k not in ("TICKETMASTER_API_KEY", "VIRTUAL_ENV", "LAKEHOUSE_DATA_DIR")
    }
    # pip leaves the byte-code of the thousands of installed modules (pyspark's above all) to the first
    # import instead of compiling them all at install: the same environment, a fraction of the CPU.
    env["PIP_COMPILE"] = "0"  # pip reads PIP_NO_COMPILE=1 the other way round
    result = subprocess.run(
        quickstart_commands()[0].split(), cwd=clone, env=env, capture_output=True, text=True, timeout=900
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "offline sample" in result.stdout
    assert (clone / ".venv" / "bin" / "python").exists()
    query = subprocess.run(
        [
            str(clone / ".venv/bin/lakehouse"),
            "query",
            "SELECT count(*) FROM bronze.events_raw",
            "--format",
            "csv",
        ],
        cwd=clone,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert query.returncode == 0, query.stderr
    assert int(query.stdout.splitlines()[1]) > 0
