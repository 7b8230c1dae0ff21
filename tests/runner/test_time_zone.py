"""A run on a machine whose clock is not set to UTC writes the times a Databricks SQL warehouse writes.

A warehouse runs in UTC; DuckDB would take the machine's zone. In that zone every TIMESTAMP the
pipeline derives from a moment (load times, watermarks, run and check times) would be the local wall
clock: another answer than Databricks', a day off east of Greenwich, and not even increasing across
the hour a daylight-saving change repeats.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from ingest import land_sample

REPO = Path(__file__).resolve().parents[2]
# Fourteen hours ahead of UTC: its wall clock is always on another day than UTC's evening and night.
FAR_EAST = "Pacific/Kiritimati"


def _utc_now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def test_a_run_on_a_machine_far_from_utc_writes_utc_times(tmp_path):
    data_dir = tmp_path / "data"
    land_sample(data_dir / "landing", events=20)
    env = {k: v for k, v in os.environ.items() if k not in ("TICKETMASTER_API_KEY", "LAKEHOUSE_DATA_DIR")}
    env["TZ"] = FAR_EAST
    before = _utc_now()
    done = subprocess.run(
        [sys.executable, "-m", "lakehouse", "run", "--skip-ingest", "--data-dir", str(data_dir)],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    after = _utc_now()
    assert done.returncode == 0, done.stderr
    with duckdb.connect(str(data_dir / "lakehouse.duckdb"), read_only=True) as connection:
        connection.execute("SET TimeZone = 'UTC'")  # read the bronze moment as UTC, whatever this machine's zone
        (landed,) = connection.execute("SELECT max(_ingestion_timestamp) FROM bronze.events_raw").fetchone()
        (parsed,) = connection.execute("SELECT max(_ingestion_timestamp) FROM silver.events").fetchone()
        (watermark,) = connection.execute(
            "SELECT high_watermark FROM silver.load_state WHERE object_name = 'silver.events'"
        ).fetchone()
        started, ended = connection.execute("SELECT min(started_at), max(ended_at) FROM gold.etl_log").fetchone()
        (checked,) = connection.execute("SELECT max(checked_at) FROM gold.data_quality_results").fetchone()
    landed_utc = landed.astimezone(UTC).replace(tzinfo=None)
    assert parsed == landed_utc and watermark == landed_utc
    assert before <= started <= ended <= after
    assert before <= checked <= after
