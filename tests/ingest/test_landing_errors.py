"""A landing folder that cannot be written (read-only, or its disk full) stops ingest with one clear line.

The faults are real: a read-only bind mount or a 64 KB tmpfs in a private mount namespace
(tests/filesystems.py), so the errors come from the operating system inside the real writes.
"""

from __future__ import annotations

import os
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from fakes.discovery_api import FakeDataset, FakeDiscoveryAPI
from tests.filesystems import run_on

UTC = timezone(timedelta(0))
DAY = datetime(2025, 3, 1, tzinfo=UTC)
KEY = "landing-test-key"
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def api():
    dataset = FakeDataset.generated(300, DAY, DAY + timedelta(hours=20), undated_share=0)
    with FakeDiscoveryAPI(dataset, api_key=KEY, rate_limit=100) as fake:
        yield fake


def _ingest_command(folder: Path) -> list[str]:
    return [sys.executable, "-m", "ingest", "--landing", str(folder), "--start", "2025-03-01", "--end", "2025-03-01",
            "--rate-limit", "50", "--progress", "off"]  # fmt: skip


def _env(api: FakeDiscoveryAPI) -> dict[str, str]:
    return {**os.environ, "TICKETMASTER_API_KEY": KEY, "TICKETMASTER_BASE_URL": api.base_url}


def _one_clean_line(stderr: str) -> str:
    assert "Traceback" not in stderr, stderr
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    return lines[0]


def test_a_full_disk_is_one_line_and_leaves_no_temporary_file(tmp_path: Path, api: FakeDiscoveryAPI):
    folder = tmp_path / "landing"
    done = run_on("full", folder, _ingest_command(folder), env=_env(api), cwd=REPO)
    assert done.returncode == 1
    line = _one_clean_line(done.stderr)
    assert line.startswith("error: no space left on the disk of the landing folder"), line
    assert "run again" in line and KEY not in line
    assert not [p for p in done.left_behind if p.endswith(".tmp")], done.left_behind
    # Whatever is there is whole: no entity file was cut short (they are far larger than the disk).
    assert not [p for p in done.left_behind if p.startswith("events/") and p.endswith(".json")]


def test_a_read_only_landing_folder_is_one_line(tmp_path: Path, api: FakeDiscoveryAPI):
    folder = tmp_path / "landing"
    done = run_on("readonly", folder, _ingest_command(folder), env=_env(api), cwd=REPO)
    assert done.returncode == 1
    line = _one_clean_line(done.stderr)
    assert line.startswith("error: cannot write to the landing folder") and "Read-only file system" in line, line
    assert done.left_behind == []


@pytest.mark.parametrize("kind", ["readonly", "full"])
def test_run_with_an_unwritable_landing_exits_4_with_one_line(tmp_path: Path, kind: str):
    data_dir = tmp_path / "data"
    env = {k: v for k, v in os.environ.items() if k != "TICKETMASTER_API_KEY"}
    command = [sys.executable, "-m", "runner", "run", "--data-dir", str(data_dir)]
    done = run_on(kind, data_dir / "landing", command, env=env, cwd=REPO)
    assert done.returncode == 4, done.stderr
    assert "Traceback" not in done.stderr
    errors = [line for line in done.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "landing folder" in errors[0], done.stderr
    assert not [p for p in done.left_behind if p.endswith(".tmp")]
