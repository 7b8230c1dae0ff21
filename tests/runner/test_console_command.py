"""The `lakehouse` console command as a process: version, run output, pipes, Ctrl-C, errors in one line."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from ingest.generator import Generator
from tests.runner.conftest import rows

REPO = Path(__file__).resolve().parents[2]
LAKEHOUSE = Path(sys.executable).parent / "lakehouse"
OBJECT_LINE = re.compile(r"^\s*(\d+)/(\d+)\s+([a-z_]+(?:\.[a-z_]+)?)\s+(OK|ERROR)\b")
pytestmark = pytest.mark.skipif(not LAKEHOUSE.exists(), reason="the console script is not installed (pip install -e .)")


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("TICKETMASTER_API_KEY", "LAKEHOUSE_DATA_DIR", "COLUMNS")}
    return {**env, **extra}


def lakehouse(*args: str, cwd: Path, timeout: int = 600, **kwargs) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LAKEHOUSE), *args], cwd=cwd, env=_env(), capture_output=True, text=True, timeout=timeout, **kwargs
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess[str]]:
    """`lakehouse run` on the offline sample, once for the module: its folder and what it printed."""
    folder = tmp_path_factory.mktemp("console")
    done = lakehouse("run", "--data-dir", str(folder / "data"), cwd=folder)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    return folder, done


def test_version_names_the_command_and_the_release(tmp_path):
    done = lakehouse("--version", cwd=tmp_path)
    assert done.returncode == 0
    assert re.fullmatch(r"lakehouse \d+\.\d+\.\d+\S*\n", done.stdout)


def test_run_prints_one_line_per_object_and_a_summary(built):
    _, done = built
    lines = done.stdout.splitlines()
    objects = [OBJECT_LINE.match(line) for line in lines]
    numbered = [m for m in objects if m]
    total = int(numbered[0].group(2))
    assert [int(m.group(1)) for m in numbered] == list(range(1, total + 1))
    keys = [m.group(3) for m in numbered]
    assert len(keys) == len(set(keys)), "each object once"
    assert {"bronze.events_raw", "silver.events", "gold.fact_events", "quality"} <= set(keys)
    # bookkeeping is folded into its object; no raw SQL
    assert "silver.load_state" not in keys
    assert "MERGE INTO" not in done.stdout and "INSERT INTO" not in done.stdout
    silver_events = next(line for line in lines if " silver.events " in line)
    assert re.search(r"OK\s+500 rows\s+\d+\.\d+s$", silver_events)
    assert re.fullmatch(
        r"Done in \S+: \d+ object\(s\), \d+ OK, [\d,]+ row\(s\) written; quality PASS=21 WARN=0 FAIL=0", lines[-1]
    )
    # piped, so no colour and no live progress line
    assert "\x1b[" not in done.stdout and "\r" not in done.stdout


def test_the_statements_go_to_a_log_file(built):
    folder, _ = built
    log = (folder / "data" / "logs" / "lakehouse.log").read_text()
    assert "MERGE INTO silver.load_state" in log
    assert re.search(r"run: silver\.events: MERGE INTO silver\.events .*\[\d+\.\d+s, 500 row\(s\)\]", log)


def test_quiet_prints_the_summary_only_and_verbose_every_statement(built):
    folder, _ = built
    data = str(folder / "data")
    quiet = lakehouse("run", "--skip-ingest", "-q", "--data-dir", data, cwd=folder)
    assert quiet.returncode == 0, quiet.stderr
    assert len(quiet.stdout.splitlines()) == 1 and quiet.stdout.startswith("Done in ")
    verbose = lakehouse("run", "--skip-ingest", "-v", "--select", "silver.events", "--data-dir", data, cwd=folder)
    assert verbose.returncode == 0, verbose.stderr
    assert "run: silver.events: MERGE INTO silver.load_state" in verbose.stdout


def test_status_as_json_is_valid_and_folds_steps_per_object(built):
    folder, _ = built
    done = lakehouse("status", "--format", "json", "--data-dir", str(folder / "data"), cwd=folder)
    assert done.returncode == 0, done.stderr
    status = json.loads(done.stdout)
    assert status["runs"][0]["status"] == "succeeded" and status["runs"][0]["verb"] == "run"
    objects = [o["object"] for o in status["latest_run"]["objects"]]
    assert len(objects) == len(set(objects)) and "silver.events" in objects
    assert {r["status"] for r in status["quality"]["results"]} == {"passed"}


@pytest.mark.parametrize(
    "command",
    [
        "{lakehouse} query 'SELECT * FROM gold.fact_events' --format json --data-dir {data} | head -1",
        "{lakehouse} status --data-dir {data} | head -1",
        "{lakehouse} ls | head -2",
    ],
)
def test_a_closed_pipe_ends_quietly(built, command):
    folder, _ = built
    line = command.format(lakehouse=LAKEHOUSE, data=folder / "data")
    done = subprocess.run(
        ["bash", "-o", "pipefail", "-c", line], cwd=folder, env=_env(), capture_output=True, text=True, timeout=300
    )
    assert done.stderr == "", done.stderr
    assert done.returncode in (0, 141)
    assert len(done.stdout.splitlines()) >= 1


def test_ingest_with_a_bad_date_is_one_line(tmp_path):
    done = lakehouse("ingest", "--landing", str(tmp_path / "landing"), "--start", "2025-13-01", cwd=tmp_path)
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert done.stderr.startswith("error: --start '2025-13-01' is not a valid date")


def test_an_unknown_setting_names_the_closest_key(tmp_path):
    settings = tmp_path / "lakehouse.toml"
    settings.write_text('[workspace]\ncatalg = "lake"\n')
    done = lakehouse("plan", "--config", str(settings), "--data-dir", str(tmp_path / "data"), cwd=tmp_path)
    assert done.returncode == 1
    assert done.stderr == f"error: {settings}: unknown setting workspace.catalg; did you mean catalog?\n"


def test_a_misspelt_selection_is_one_short_line(tmp_path):
    done = lakehouse("run", "--select", "silver.evnts", "--data-dir", str(tmp_path / "data"), cwd=tmp_path)
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1 and len(done.stderr) < 200
    assert "did you mean silver.events" in done.stderr
    assert not (tmp_path / "data" / "lakehouse.duckdb").exists(), "nothing ran"


# ---------------------------------------------------------------- Ctrl-C


def _land_many(landing: Path, files: int, per_file: int) -> None:
    events = list(
        Generator(7).events(files * per_file, datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 3, 1, tzinfo=UTC))
    )
    folder = landing / "events" / "2026" / "01" / "01"
    folder.mkdir(parents=True)
    for n in range(files):
        chunk = events[n * per_file : (n + 1) * per_file]
        (folder / f"page-{n:04d}.json").write_text("".join(json.dumps(e) + "\n" for e in chunk))


def _as_at_a_terminal() -> None:
    # A shell that started pytest in the background may have SIGINT ignored, and a CI runner may have
    # it blocked (inherited across exec); a user at a terminal has neither.
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def test_ctrl_c_during_run_exits_130_at_once_and_checks_nothing(tmp_path):
    data = tmp_path / "data"
    _land_many(data / "landing", files=400, per_file=5)
    # One file per batch: the events refresh is hundreds of small commits, long enough to interrupt.
    env = _env(LAKEHOUSE_FILES_PER_BATCH="1", PYTHONUNBUFFERED="1")
    victim = subprocess.Popen(
        [str(LAKEHOUSE), "run", "--skip-ingest", "--data-dir", str(data)],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=_as_at_a_terminal,
    )
    assert victim.stdout is not None
    seen = []
    for line in victim.stdout:  # the objects before bronze.events_raw finish first
        seen.append(line)
        if "bronze.classifications_raw" in line:
            break
    time.sleep(0.3)
    assert victim.poll() is None, "the run ended before it could be interrupted: " + "".join(seen)
    sent = time.monotonic()
    victim.send_signal(signal.SIGINT)
    out, err = victim.communicate(timeout=120)
    waited = time.monotonic() - sent
    assert victim.returncode == 130, err
    assert waited < 10, f"took {waited:.1f}s to stop"
    assert "interrupted: completed steps are kept" in err
    assert "Traceback" not in err and "rollback" not in err.lower()
    assert "quality" not in out, "no checks after Ctrl-C"
    [(run_id, status, message)] = rows(
        data, "SELECT run_id, status, error_message FROM gold.etl_log WHERE step_name = 'run'"
    )
    assert status == "failed" and message.startswith("interrupted")
    assert rows(data, "SELECT count(*) FROM gold.data_quality_results WHERE run_id = ?", [run_id]) == [(0,)]
    kept = rows(data, "SELECT count(DISTINCT _source_file) FROM bronze.events_raw")[0][0]
    assert kept < 400
    # what completed is kept, and the next run reads the rest, each file once
    again = subprocess.run(
        [str(LAKEHOUSE), "run", "--skip-ingest", "-q", "--data-dir", str(data)],
        cwd=tmp_path, env=_env(LAKEHOUSE_FILES_PER_BATCH="100"), capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert again.returncode == 0, again.stderr
    assert rows(data, "SELECT count(*), count(DISTINCT _source_file) FROM bronze.events_raw") == [(2000, 400)]


def test_on_a_terminal_the_output_has_colour(built):
    """The same command on a pseudo-terminal: rich adds colour (and the live line) only there."""
    import pty

    folder, _ = built
    main, child = pty.openpty()
    done = subprocess.run(
        [str(LAKEHOUSE), "test", "--select", "critical", "--data-dir", str(folder / "data")],
        cwd=folder, env=_env(TERM="xterm-256color"), stdout=child, stderr=child, timeout=300,
    )  # fmt: skip
    os.close(child)
    output = b""
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:
            break
        if not chunk:
            break
        output += chunk
    os.close(main)
    assert done.returncode == 0
    text = output.decode()
    assert "\x1b[" in text and "PASS=5" in text
