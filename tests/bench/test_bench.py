"""The benchmark command runs end to end at a tiny scale and writes comparable JSON."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_bench_prints_a_table_and_writes_json(tmp_path):
    out = tmp_path / "results.json"
    done = subprocess.run(
        [sys.executable, "-m", "bench", "--events", "400", "--cache", str(tmp_path / "cache"), "--json", str(out),
         "--ingest-events", "100", "--rate-limit", "20", "--interpreter-iterations", "200", "--no-search-quality"],
        cwd=REPO, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "full/floor" in done.stdout and "ms per WHILE iteration" in done.stdout
    results = json.loads(out.read_text())
    [scale] = results["scales"]
    assert scale["events"] == 400
    assert scale["floor_s"] > 0 and scale["full_run_s"] > 0 and scale["peak_rss_mb"] > 0
    assert set(scale["ratios"]) == {"full_over_floor", "incremental_over_full", "no_change_over_full"}
    assert any("bronze.events_raw" in what for what, _ in scale["steps"])
    assert results["ingest"]["events"] == 100
    assert results["ingest"]["fraction_of_limit"] > 0
    assert results["interpreter"]["ms_per_iteration"] > 0
    # The landing is cached: a second run reuses it instead of generating again.
    assert (tmp_path / "cache" / "events-400-seed-7" / ".complete").exists()
