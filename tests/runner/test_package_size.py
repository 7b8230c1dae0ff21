"""The runner stays the orchestrator: the SQL-scripting interpreter, users' SQL, the assistant and the
workspace deploy are packages of their own, and `runner/` holds at most 3,000 lines of Python."""

from __future__ import annotations

from pathlib import Path

RUNNER = Path(__file__).resolve().parents[2] / "runner"
MAX_LINES = 3_000


def test_the_runner_package_holds_at_most_3000_lines_of_python():
    lines = {path.relative_to(RUNNER).as_posix(): len(path.read_text().splitlines()) for path in RUNNER.rglob("*.py")}
    largest = sorted(lines.items(), key=lambda item: -item[1])[:8]
    assert sum(lines.values()) <= MAX_LINES, f"{sum(lines.values())} lines; the largest files: {largest}"
