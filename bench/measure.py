"""Time commands in a child process and read their peak memory from the kernel's accounting."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# The object lines of `lakehouse run`: "12/19  silver.events  OK  500 rows  0.67s" (or "1m02.3s").
_STEP = re.compile(r"^\s*\d+/\d+\s+(?P<what>\S+)\s+OK\b.*?\s(?:(?P<minutes>\d+)m)?(?P<seconds>[0-9.]+)s(?:\s+\S.*)?$")


@dataclass
class Measured:
    seconds: float
    peak_rss_mb: float
    output: str = ""
    steps: list[tuple[str, float]] = field(default_factory=list)


def run_child(args: list[str], env: dict[str, str] | None = None) -> Measured:
    """Run `python args...` from the repository and measure wall time and peak resident memory."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, *args], cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    assert process.stdout is not None
    output = process.stdout.read()
    # Reap the child ourselves: wait4 returns its own resource usage, peak memory included.
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - started
    if process.returncode:
        raise RuntimeError(f"`python {' '.join(args)}` failed:\n{output[-4000:]}")
    steps = [
        (m["what"][:70], 60 * int(m["minutes"] or 0) + float(m["seconds"]))
        for m in map(_STEP.match, output.splitlines())
        if m
    ]
    return Measured(seconds, usage.ru_maxrss / 1024, output, steps)  # ru_maxrss is in KiB on Linux


def json_floor(landing: Path) -> float:
    """Seconds for DuckDB to read every landed JSON file once: SELECT count(*) over read_json.

    Measured in a child process: a parent that held DuckDB's buffers would hand its resident size
    to every child it starts next (Linux counts the pre-exec image in the child's peak memory).
    """
    measured = run_child(["-m", "bench.floor", str(landing)])
    return float(measured.output.split()[-1])
