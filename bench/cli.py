"""`python -m bench --events N`: the local pipeline at scale, as ratios measured in one run."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from bench.ingest_rate import DEFAULT_LATENCIES, bench_ingest, print_ingest
from bench.landing import Scale, cache_lock, cached_landing, land_events
from bench.measure import REPO, json_floor, run_child

PARTS = ("scales", "ingest", "interpreter", "search")
# Every vector is built only up to the scale of the vectors target (hours of embedding at 1M on 2 cores).
EMBED_ALL_UP_TO = 100_000


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
    first_search_s: float = 0.0  # `search` on the lakehouse just built, no vectors yet: start to answer
    vectors_ready_s: float = 0.0  # `search --embed-all` right after: every event's vector built
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

    # A data directory of this benchmark's own (another one on the same cache has its own), removed
    # however the benchmark ends: at 1M events it holds tens of gigabytes.
    data_dir = Path(tempfile.mkdtemp(prefix=f"run-{events}-", dir=cache))
    try:
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
        search = ["-m", "runner", "search", "jazz in Chicago", "--data-dir", str(data_dir), "--embed-for", "0"]
        first_search = run_child(search, env)
        say(f"[{events:,} events] first search, no vectors built: {first_search.seconds:.2f}s")
        vectors_ready_s = 0.0
        if events <= EMBED_ALL_UP_TO:
            embed_all = run_child([*search[:-2], "--embed-all"], env)
            vectors_ready_s = embed_all.seconds
            say(f"[{events:,} events] search with every vector built first: {vectors_ready_s:.2f}s")
        # Every statement of the three runs with its time, for finding where the seconds go.
        statements = cache / f"run-{events}-statements.log"
        with contextlib.suppress(OSError):
            shutil.copyfile(data_dir / "logs" / "lakehouse.log", statements)
            say(f"[{events:,} events] every statement of the runs, timed: {statements}")
    finally:
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
        first_search_s=round(first_search.seconds, 2),
        vectors_ready_s=round(vectors_ready_s, 2),
        steps=full.steps,
    )


def bench_interpreter(iterations: int) -> dict[str, float]:
    from scripting.bench import benchmark_while_loop

    per_iteration = benchmark_while_loop(iterations)
    return {"iterations": iterations, "ms_per_iteration": round(per_iteration * 1000, 4)}


EMBED_SAMPLE = 2048


def bench_search_quality(cache: Path, say) -> dict[str, dict[str, float]]:
    """Recall@5 and MRR of BM25, vectors and hybrid on the labelled queries over the offline sample, and
    how many event documents a second the model embeds (the sample's first EMBED_SAMPLE, in chunks as
    the search index embeds them)."""
    data_dir = cache / "search-sample"
    with cache_lock(cache, data_dir.name):  # kept between benchmarks, with its vectors: one at a time
        return _search_quality(data_dir, say)


def _search_quality(data_dir: Path, say) -> dict[str, dict[str, float]]:
    import duckdb

    from assistant.benchmark import run_benchmark_on
    from assistant.embedder import default_embedder
    from assistant.index import CHUNK, DOCUMENTS
    from runner.config import load_target

    env = {k: v for k, v in os.environ.items() if k != "TICKETMASTER_API_KEY"}
    run_child(["-m", "runner", "run", "--data-dir", str(data_dir)], env)  # the labelled set is over the sample
    target = load_target("local", data_dir=data_dir)
    with duckdb.connect(str(target.database_path), read_only=True) as db:
        texts = [r[0] for r in db.execute(f"SELECT document FROM {DOCUMENTS} ORDER BY event_id").fetchall()]
    embedder = default_embedder()
    embedder.embed(texts[:1])  # the model loads on its first text, outside the timing
    started = time.perf_counter()
    sample = texts[:EMBED_SAMPLE]
    for begin in range(0, len(sample), CHUNK):
        embedder.embed(sample[begin : begin + CHUNK])
    per_second = len(sample) / (time.perf_counter() - started)
    say(f"embedding: {per_second:.1f} event documents/s")
    results = run_benchmark_on(target, say=say)
    quality = {name: {"recall_at_5": round(q.recall_at_k, 3), "mrr": round(q.mrr, 3)} for name, q in results.items()}
    return {**quality, "embedding": {"documents_per_s": round(per_second, 1)}}


def memory_limit() -> str:
    """DuckDB's buffer budget in the measured runs: it bounds peak memory and costs some speed."""
    from runner.engines.duckdb_engine import DEFAULT_MEMORY_LIMIT, MEMORY_LIMIT_ENV

    return os.environ.get(MEMORY_LIMIT_ENV) or DEFAULT_MEMORY_LIMIT


def print_table(
    results: list[ScaleResult], ingest: dict | None, interpreter: dict | None, search: dict | None = None
) -> None:
    if results:
        _print_scales(results)
    if ingest:
        print_ingest(ingest)
    if interpreter:
        print(f"procedure interpreter: {interpreter['ms_per_iteration']} ms per WHILE iteration (SET + IF)")
    print_targets(results, ingest, search)


# Retrieval quality on the labelled set that hybrid search must keep (recall@5, MRR).
QUALITY_FLOOR = (0.972, 0.855)
VECTORS_READY_S = 15 * 60


def targets(results: list[ScaleResult], ingest: dict | None, search: dict | None) -> list[tuple[str, str, str, str]]:
    """(what, measured, target, met: yes | no | -) for each target, from this run's figures."""
    by_scale = {r.events: r for r in results}

    def verdict(ok: bool) -> str:
        return "yes" if ok else "no"

    rows: list[tuple[str, str, str, str]] = []
    run = next((r for r in (ingest or {}).get("runs", []) if r["latency_s"] == 0.8), None)
    if run:
        ok = run["fraction_of_limit"] >= 0.9 and run["share_429"] <= 0.01
        measured = f"{run['fraction_of_limit']:.1%} of the limit, {run['share_429']:.1%} answered 429"
        rows.append(("ingest rate, 0.8 s API latency", measured, ">= 90%, <= 1% 429", verdict(ok)))
    else:
        rows.append(("ingest rate, 0.8 s API latency", "not run (--only ingest)", ">= 90%, <= 1% 429", "-"))
    for events, label in ((1_000_000, "1M"), (10_000, "10K")):
        r = by_scale.get(events)
        ratio = r.ratios if r else {}
        limit = 2.0 if events == 1_000_000 else 3.0
        rows.append(
            (f"{label} full run / floor", f"{ratio['full_over_floor']:.2f}x" if r else f"not run (--events {events})",
             f"<= {limit:g}x", verdict(ratio["full_over_floor"] <= limit) if r else "-")
        )  # fmt: skip
        if events == 1_000_000:
            rows.append(
                ("1M +1% run / full run", f"{ratio['incremental_over_full']:.1%}" if r else "not run",
                 "<= 5%", verdict(ratio["incremental_over_full"] <= 0.05) if r else "-")
            )  # fmt: skip
        limit = 0.025 if events == 1_000_000 else 0.15
        rows.append(
            (f"{label} no-change run / full run", f"{ratio['no_change_over_full']:.1%}" if r else "not run",
             f"<= {limit:.1%}", verdict(ratio["no_change_over_full"] <= limit) if r else "-")
        )  # fmt: skip
    r = by_scale.get(100_000)
    rows.append(
        ("first search answer, fresh 100K lakehouse", f"{r.first_search_s:.2f}s" if r else "not run (--events 100000)",
         "<= 5 s", verdict(r.first_search_s <= 5) if r else "-")
    )  # fmt: skip
    rate = (search or {}).get("embedding", {}).get("documents_per_s")
    if r and r.vectors_ready_s:
        rows.append(
            ("vectors ready, fresh 100K lakehouse", f"{r.vectors_ready_s / 60:.1f} min", "<= 15 min",
             verdict(r.vectors_ready_s <= VECTORS_READY_S))
        )  # fmt: skip
    elif rate:
        projected = 100_000 / rate
        rows.append(
            ("vectors ready, 100K events (projected)", f"{projected / 60:.0f} min at {rate:g} documents/s",
             "<= 15 min", verdict(projected <= VECTORS_READY_S))
        )  # fmt: skip
    hybrid = (search or {}).get("hybrid")
    if hybrid:
        ok = hybrid["recall_at_5"] >= QUALITY_FLOOR[0] and hybrid["mrr"] >= QUALITY_FLOOR[1]
        rows.append(
            ("retrieval recall@5 / MRR, labelled set", f"{hybrid['recall_at_5']:.3f} / {hybrid['mrr']:.3f}",
             f">= {QUALITY_FLOOR[0]} / {QUALITY_FLOOR[1]}", verdict(ok))
        )  # fmt: skip
    else:
        rows.append(("retrieval recall@5 / MRR, labelled set", "not run (--only search)", "not lower", "-"))
    r = by_scale.get(1_000_000)
    rows.append(
        ("peak RSS at 1M", f"{r.peak_rss_mb / 1024:.2f} GB" if r else "not run", "<= 1.5 GB",
         verdict(r.peak_rss_mb <= 1.5 * 1024) if r else "-")
    )  # fmt: skip
    return rows


def print_targets(results: list[ScaleResult], ingest: dict | None, search: dict | None) -> None:
    rows = targets(results, ingest, search)
    width = max(len(what) for what, *_ in rows)
    measured_width = max(len(measured) for _, measured, *_ in rows)
    print("\ntargets (one run):")
    print(f"{'what':<{width}}  {'measured':<{measured_width}}  {'target':<18}  met")
    for what, measured, target, met in rows:
        print(f"{what:<{width}}  {measured:<{measured_width}}  {target:<18}  {met}")


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
    print_table(results, ingest, interpreter, search)
    payload = {
        "machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0], "duckdb_memory_limit": memory_limit()},
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "scales": [{**asdict(r), "ratios": r.ratios} for r in results],
        "ingest": ingest,
        "interpreter": interpreter,
        "search_quality": search,
        "targets": [
            dict(zip(("what", "measured", "target", "met"), row, strict=True))
            for row in targets(results, ingest, search)
        ],
    }
    args.json.write_text(json.dumps(payload, indent=2) + "\n")
    print(f"\nresults written to {args.json}")
    return 0
