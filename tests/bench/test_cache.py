"""Benchmarks started at once on one cache share its landing: generated once, read whole by both."""

from __future__ import annotations

import json
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import bench.landing
from bench.landing import Scale, cached_landing


def _events(landing: Path) -> list[str]:
    return [json.loads(line)["id"] for f in sorted((landing / "events").rglob("*.json")) for line in f.open()]


def test_a_benchmark_started_while_another_generates_the_landing_waits_and_reuses_it(tmp_path, monkeypatch):
    scale = Scale(4_000)
    events_folder = tmp_path / f"events-{scale.events}-seed-{scale.seed}" / "landing" / "events"
    generated = []
    generate = bench.landing.land_events

    def counted(*args, **kwargs):
        generated.append(args)
        return generate(*args, **kwargs)

    monkeypatch.setattr(bench.landing, "land_events", counted)

    def first():
        landing = cached_landing(tmp_path, scale)
        return landing, _events(landing)

    def second():
        # Starts once the first benchmark has written part of the landing, not all of it.
        deadline = time.monotonic() + 60
        while not any(events_folder.rglob("*.json")) and time.monotonic() < deadline:
            time.sleep(0.005)
        assert not (events_folder.parent.parent / ".complete").exists(), "the landing was ready too soon to test"
        landing = cached_landing(tmp_path, scale)
        return landing, _events(landing)

    with ThreadPoolExecutor(2) as pool:
        started = [pool.submit(first), pool.submit(second)]
        (landing, first_events), (second_landing, second_events) = [f.result() for f in started]
    assert len(generated) == 1
    assert second_landing == landing
    assert len(first_events) == len(set(first_events)) == scale.events
    assert second_events == first_events
