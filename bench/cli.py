"""`python -m bench --events N`: the local pipeline at scale, as ratios measured in one run."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from bench.ingest_rate import DEFAULT_LATENCIES, bench_ingest, print_ingest
from bench.landing import Scale, cached_landing, land_events
from bench.measure import REPO, json_floor, run_child

PARTS = ("scales", "ingest", "interpreter", "search")


@dataclass
class ScaleResult:
    events: int
    landed_mb: float
    generate_s: float
    floor_s: float
    full_run_s: float
    incremental_run_s: float
    no_change_run_s: float
    peak_rss_mb: float
    steps: list[tuple[str, float]] = field(default_factory=list)

    @property
    def ratios(self) -> dict[str, float]:
        return {
            "full_over_floor": self.full_run_s / self.floor_s,
            "incremental_over_full": self.incremental_run_s / self.full_run_s,
            "no_change_over_full": self.no_change_run_s / self.full_run_s,
        }


def _hardlink_tree(source: Path, target: Path) -> None:
    """Share the cached landing files with a fresh data directory without copying gigabytes."""
    for path in source.rglob("*.json"):
        destination = target / path.relative_to(source)
        destination.parent.mkdir(parents=True, exist_ok=True)
        os.link(path, destination)


def bench_scale(cache: Path, events: int, say) -> ScaleResult:
    scale = Scale(events)
    started = time.perf_counter()
    landing = cached_landing(cache, scale)
    generate_s = time.perf_counter() - started
    landed = sum(p.stat().st_size for p in landing.rglob("*.json")) / 2**20
    say(f"[{events:,} events] landing ready: {landed:,.0f} MB ({generate_s:.1f}s, cached after the first time)")
    floor_s = json_floor(landing)
    say(f"[{events:,} events] floor (DuckDB reads all landed JSON once): {floor_s:.2f}s")

    data_dir = cache / f"run-{events}"
    shutil.rmtree(data_dir, ignore_errors=True)
    _hardlink_tree(landing, data_dir / "landing")
    env = {k: v for k, v in os.environ.items() if k != "TICKETMASTER_API_KEY"}
    command = ["-m", "runner", "run", "--skip-ingest", "--data-dir", str(data_dir)]
    full = run_child(command, env)
    say(f"[{events:,} events] full run: {full.seconds:.2f}s, peak {full.peak_rss_mb:,.0f} MB")

    extra = max(1, events // 100)
    land_events(data_dir / "landing", scale, events, extra, day="2026/01/02", prefix="incremental")
    incremental = run_child(command, env)
    say(f"[{events:,} events] incremental run (+{extra:,} events): {incremental.seconds:.2f}s")
    no_change = run_child(command, env)
    say(f"[{events:,} events] no-change run: {no_change.seconds:.2f}s")
    shutil.rmtree(data_dir, ignore_errors=True)
    return ScaleResult(
        events=events,
        landed_mb=round(landed, 1),
        generate_s=round(generate_s, 2),
        floor_s=round(floor_s, 3),
        full_run_s=round(full.seconds, 3),
        incremental_run_s=round(incremental.seconds, 3),
        no_change_run_s=round(no_change.seconds, 3),
        peak_rss_mb=round(max(full.peak_rss_mb, incremental.peak_rss_mb, no_change.peak_rss_mb), 1),
        steps=full.steps,
    )


def bench_interpreter(iterations: int) -> dict[str, float]:
    from scripting.bench import benchmark_while_loop

    per_iteration = benchmark_while_loop(iterations)
    return {"iterations": iterations, "ms_per_iteration": round(per_iteration * 1000, 4)}


def bench_search_quality(cache: Path, say) -> dict[str, dict[str, float]]:
    """Recall@5 and MRR of BM25, vectors and hybrid on the labelled queries over the offline sample."""
    from assistant.benchmark import run_benchmark_on
    from runner.config import load_target

    data_dir = cache / "search-sample"
    env = {k: v for k, v in os.environ.items() if k != "TICKETMASTER_API_KEY"}
    run_child(["-m", "runner", "run", "--data-dir", str(data_dir)], env)  # the labelled set is over the sample
    results = run_benchmark_on(load_target("local", data_dir=data_dir), say=say)
    return {name: {"recall_at_5": round(q.recall_at_k, 3), "mrr": round(q.mrr, 3)} for name, q in results.items()}


def memory_limit() -> str:
    """DuckDB's buffer budget in the measured runs: it bounds peak memory and costs some speed."""
    from runner.engines.duckdb_engine import DEFAULT_MEMORY_LIMIT, MEMORY_LIMIT_ENV

    return os.environ.get(MEMORY_LIMIT_ENV) or DEFAULT_MEMORY_LIMIT


def print_table(results: list[ScaleResult], ingest: dict | None, interpreter: dict | None) -> None:
    if results:
        _print_scales(results)
    if ingest:
        print_ingest(ingest)
    if interpreter:
        print(f"procedure interpreter: {interpreter['ms_per_iteration']} ms per WHILE iteration (SET + IF)")


def _print_scales(results: list[ScaleResult]) -> None:
    print(f"\nDuckDB memory limit {memory_limit()} (set LAKEHOUSE_DUCKDB_MEMORY_LIMIT to change it)")
    print("scale        landed MB  floor s  full s  full/floor  incr s  incr/full  no-change s  nochg/full  peak MB")
    for r in results:
        ratio = r.ratios
        print(
            f"{r.events:>10,}  {r.landed_mb:>9,.0f}  {r.floor_s:>7.2f}  {r.full_run_s:>6.2f}  "
            f"{ratio['full_over_floor']:>10.2f}  {r.incremental_run_s:>6.2f}  {ratio['incremental_over_full']:>9.1%}  "
            f"{r.no_change_run_s:>11.2f}  {ratio['no_change_over_full']:>10.1%}  {r.peak_rss_mb:>7,.0f}"
        )
    for r in results:
        print(f"\nsteps of the full run at {r.events:,} events:")
        for what, seconds in r.steps:
            print(f"  {seconds:>8.2f}s  {what}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--events", type=int, action="append", help="scale; repeat for several (default 10000)")
    parser.add_argument("--cache", type=Path, default=REPO / ".bench-cache", help="generated landing data (reused)")
    parser.add_argument("--json", type=Path, default=Path("bench-results.json"), help="where to write the results")
    parser.add_argument(
        "--only", choices=PARTS, action="append", help="run only this part; repeat for several (default: all)"
    )
    parser.add_argument(
        "--ingest-events", type=int, default=10_000, help="events of one day pulled from the fake API (0 skips)"
    )
    parser.add_argument(
        "--ingest-latency",
        type=float,
        action="append",
        metavar="SECONDS",
        help="the fake API's answer time; repeat for several (default: "
        + ", ".join(f"{x:g}" for x in DEFAULT_LATENCIES)
        + ")",
    )
    parser.add_argument("--rate-limit", type=float, default=5.0, help="requests per second the fake API allows")
    parser.add_argument("--interpreter-iterations", type=int, default=10_000)
    parser.add_argument(
        "--no-search-quality", action="store_true", help="skip retrieval quality (embeds the sample once, ~1 min)"
    )
    args = parser.parse_args(argv)

    def say(line: str) -> None:
        print(line, flush=True)

    parts = set(args.only or PARTS)
    args.cache.mkdir(parents=True, exist_ok=True)
    results = [bench_scale(args.cache, n, say) for n in (args.events or [10_000])] if "scales" in parts else []
    latencies = tuple(args.ingest_latency or DEFAULT_LATENCIES)
    ingest = (
        bench_ingest(args.ingest_events, args.rate_limit, latencies)
        if "ingest" in parts and args.ingest_events
        else None
    )
    interpreter = (
        bench_interpreter(args.interpreter_iterations)
        if "interpreter" in parts and args.interpreter_iterations
        else None
    )
    search = bench_search_quality(args.cache, say) if "search" in parts and not args.no_search_quality else None
    print_table(results, ingest, interpreter)
    payload = {
        "machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0], "duckdb_memory_limit": memory_limit()},
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "scales": [{**asdict(r), "ratios": r.ratios} for r in results],
        "ingest": ingest,
        "interpreter": interpreter,
        "search_quality": search,
    }
    args.json.write_text(json.dumps(payload, indent=2) + "\n")
    print(f"\nresults written to {args.json}")
    return 0
