"""`runner status` in a terminal and `runner report` as a self-contained page a browser loads cleanly."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.quality.conftest import StaleRerun

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def test_status_lists_runs_steps_and_quality_results(stale_rerun: StaleRerun, capsys):
    assert stale_rerun.lakehouse.cli("status") == 0
    out = capsys.readouterr().out
    assert out.startswith("Last 2 run(s), newest first")
    assert "Steps of run" in out and "bronze.events_raw" in out and "quality" in out
    assert re.search(r"HIGH\s+landing_freshness\s+FAILED\s+1\s+\d+", out)
    assert max(len(line) for line in out.splitlines()) < 200


def test_status_without_a_lakehouse_says_what_to_do(tmp_path: Path, monkeypatch, capsys):
    from lakehouse.cli import main

    monkeypatch.chdir(tmp_path)
    assert main(["status", "--data-dir", str(tmp_path / "none")]) == 1
    assert "runner run" in capsys.readouterr().err


@pytest.fixture(scope="module")
def report(stale_rerun: StaleRerun, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report") / "report.html"
    assert stale_rerun.lakehouse.cli("report", "--out", str(out)) == 0
    return out


def test_report_is_one_self_contained_page(report: Path):
    html = report.read_text()
    assert html.startswith("<!DOCTYPE html>")
    assert html.count("<svg") == 2  # score over time, rows per layer per run
    assert "landing_freshness" in html and "Rows written per layer per run" in html
    # nothing fetched from elsewhere
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    assert "<script" not in html and "@import" not in html


@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (apt-get install -y chromium)")
def test_headless_chromium_loads_the_report_without_console_errors(report: Path, tmp_path: Path):
    assert CHROMIUM is not None
    done = subprocess.run(
        [
            CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--enable-logging=stderr", "--v=0",
            f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom", report.as_uri(),
        ],
        capture_output=True, text=True, timeout=90, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "Lakehouse run and quality report" in done.stdout
    assert "<svg" in done.stdout
    console = [line for line in done.stderr.splitlines() if ":CONSOLE" in line]
    assert console == []
