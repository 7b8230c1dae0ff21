"""Generate landing data at benchmark scale with the project's generator, in parallel, cached on disk."""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from filelock import FileLock

from ingest import ndjson
from ingest.generator import Generator, classification_trees

EVENTS_PER_FILE = 200  # one API page
WINDOW = (datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 12, 31, 23, 59, tzinfo=UTC))


@dataclass(frozen=True)
class Scale:
    """Pools sized like a large market's pull: about 5K venues and 20K attractions at the top end."""

    events: int
    seed: int = 7

    @property
    def venue_pool(self) -> int:
        return max(150, min(5_000, self.events // 20))

    @property
    def attraction_pool(self) -> int:
        return max(600, min(20_000, self.events // 5))

    def generator(self) -> Generator:
        return Generator(self.seed, venue_pool=self.venue_pool, attraction_pool=self.attraction_pool)


def _write_events(args: tuple[Scale, Path, int, int, str]) -> tuple[set[str], set[str], int]:
    """Write events first..last as page files; return the venue and attraction ids they use, and the bytes."""
    scale, folder, first, last, prefix = args
    generator = scale.generator()
    venues: set[str] = set()
    attractions: set[str] = set()
    size = 0
    for start in range(first, last, EVENTS_PER_FILE):
        page = [generator.event(i, *WINDOW) for i in range(start, min(start + EVENTS_PER_FILE, last))]
        for event in page:
            embedded = event.get("_embedded", {})
            venues.update(v["id"] for v in embedded.get("venues", []))
            attractions.update(a["id"] for a in embedded.get("attractions", []))
        data = ndjson.encode(page)
        size += len(data)
        (folder / f"{prefix}-{start:09d}.json").write_bytes(data)
    return venues, attractions, size


def land_events(landing: Path, scale: Scale, first: int, count: int, *, day: str, prefix: str) -> int:
    """Land events [first, first+count) with the venues and attractions they reference; returns bytes."""
    folders = {e: landing / e / day for e in ("events", "venues", "attractions", "classifications")}
    for folder in folders.values():
        folder.mkdir(parents=True, exist_ok=True)
    workers = max(1, min(os.cpu_count() or 1, 8))
    step = max(EVENTS_PER_FILE, -(-count // (workers * 4)) // EVENTS_PER_FILE * EVENTS_PER_FILE)
    chunks = [
        (scale, folders["events"], a, min(a + step, first + count), prefix) for a in range(first, first + count, step)
    ]
    venue_ids: set[str] = set()
    attraction_ids: set[str] = set()
    size = 0
    with ProcessPoolExecutor(workers) as pool:
        for used_venues, used_attractions, written in pool.map(_write_events, chunks):
            venue_ids |= used_venues
            attraction_ids |= used_attractions
            size += written
    generator = scale.generator()
    venues = [v for v in generator.venues() if v["id"] in venue_ids]
    attractions = [a for a in generator.attractions() if a["id"] in attraction_ids]
    for entity, objects in (("venues", venues), ("attractions", attractions)):
        for n in range(0, len(objects), EVENTS_PER_FILE):
            data = ndjson.encode(objects[n : n + EVENTS_PER_FILE])
            size += len(data)
            (folders[entity] / f"{prefix}-{n:09d}.json").write_bytes(data)
    data = ndjson.encode(classification_trees())
    (folders["classifications"] / f"{prefix}-trees.json").write_bytes(data)
    return size + len(data)


@contextlib.contextmanager
def cache_lock(cache: Path, name: str) -> Iterator[None]:
    """Hold `name` of the cache for this benchmark alone; another one waits until it is released."""
    cache.mkdir(parents=True, exist_ok=True)
    with FileLock(cache / f"{name}.lock"):
        yield


def cached_landing(cache: Path, scale: Scale) -> Path:
    """The full landing for a scale, generated once and reused by later benchmark runs.

    Generated under a lock: a benchmark started while another one generates the same landing waits
    for it and reuses it, instead of writing into it at the same time."""
    root = cache / f"events-{scale.events}-seed-{scale.seed}"
    with cache_lock(cache, root.name):
        if not (root / ".complete").exists():
            shutil.rmtree(root, ignore_errors=True)  # what an interrupted generation left
            land_events(root / "landing", scale, 0, scale.events, day="2026/01/01", prefix="base")
            (root / ".complete").write_text("ok\n")
    return root / "landing"
