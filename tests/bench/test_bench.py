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
         "--ingest-events", "100", "--ingest-latency", "0.2", "--rate-limit", "20", "--interpreter-iterations", "200",
         "--no-search-quality"],
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
    [pull] = results["ingest"]["runs"]
    assert pull["latency_s"] == 0.2 and pull["fraction_of_limit"] > 0 and pull["max_in_rolling_second"] <= 20
    assert results["interpreter"]["ms_per_iteration"] > 0
    assert scale["first_search_s"] > 0 and scale["vectors_ready_s"] > 0
    # Every target of the table is listed, measured or said to be not run at this scale.
    assert "targets (one run):" in done.stdout
    whats = [t["what"] for t in results["targets"]]
    assert "ingest rate, 0.8 s API latency" in whats and "10K no-change run / full run" in whats
    assert "peak RSS at 1M" in whats and "first search answer, fresh 100K lakehouse" in whats
    assert all(t["met"] == "-" for t in results["targets"] if t["measured"].startswith("not run"))
    # The landing is cached: a second run reuses it instead of generating again.
    assert (tmp_path / "cache" / "events-400-seed-7" / ".complete").exists()
    # The data directory of the runs is the benchmark's own, and gone once it is done.
    assert not [p for p in (tmp_path / "cache").iterdir() if p.is_dir() and p.name.startswith("run-")]


def test_bench_only_ingest_skips_the_rest(tmp_path):
    out = tmp_path / "results.json"
    done = subprocess.run(
        [sys.executable, "-m", "bench", "--only", "ingest", "--ingest-events", "300", "--ingest-latency", "0",
         "--ingest-latency", "0.3", "--rate-limit", "20", "--cache", str(tmp_path / "cache"), "--json", str(out)],
        cwd=REPO, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "share of limit" in done.stdout and "full/floor" not in done.stdout
    results = json.loads(out.read_text())
    assert results["scales"] == [] and results["interpreter"] is None and results["search_quality"] is None
    assert [pull["latency_s"] for pull in results["ingest"]["runs"]] == [0.0, 0.3]
    assert all(pull["requests"] > 0 and 0 <= pull["share_429"] <= 1 for pull in results["ingest"]["runs"])
