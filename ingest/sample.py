"""The offline sample: generated API data landed per the landing contract, no network needed.

The batch date and file names are fixed by (seed, event count), so landing the same sample again finds
every file present and writes nothing: bronze sees each file once, however often the runner calls this.
"""

from __future__ import annotations

import pathlib
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import Any

from ingest import ndjson
from ingest.generator import Generator, classification_trees, referenced_attractions, referenced_venues
from ingest.landing import ENTITIES, LocalLanding, entity_path

SAMPLE_BATCH_DATE = date(2025, 1, 15)
# Events start within these six months after the batch date, like a forward-looking search.
_UTC = timezone(timedelta(0))
SAMPLE_WINDOW = (datetime(2025, 2, 1, tzinfo=_UTC), datetime(2025, 7, 31, 23, 59, 59, tzinfo=_UTC))
FILE_ROWS = 200  # one file per API page of the maximum size


@dataclass
class SampleReport:
    landing_root: pathlib.Path
    batch_date: date
    counts: dict[str, int] = field(default_factory=dict)
    files_written: list[pathlib.Path] = field(default_factory=list)
    files_present: list[pathlib.Path] = field(default_factory=list)

    @property
    def nothing_new(self) -> bool:
        return not self.files_written

    def summary(self) -> str:
        counts = ", ".join(f"{self.counts.get(e, 0)} {e}" for e in ENTITIES)
        if self.nothing_new:
            return f"sample already landed in {self.landing_root} ({counts}); nothing new written"
        return (
            f"sample landed in {self.landing_root}: {counts}; {len(self.files_written)} files written, "
            f"{len(self.files_present)} already present"
        )


def _chunks(rows: list[Any], size: int) -> list[list[Any]]:
    return [rows[i : i + size] for i in range(0, len(rows), size)] or [[]]


def land_sample(landing_root: pathlib.Path, *, events: int = 500, seed: int = 7) -> SampleReport:
    """Land ``events`` generated events with their venues, attractions and the classification trees."""
    if events < 0:
        raise ValueError("events must be >= 0")
    landing = LocalLanding(landing_root)
    generator = Generator(seed)
    event_rows = list(generator.events(events, *SAMPLE_WINDOW))
    per_entity: dict[str, list[Any]] = {
        "events": event_rows,
        "venues": referenced_venues(event_rows),
        "attractions": referenced_attractions(event_rows),
        "classifications": classification_trees(),
    }
    report = SampleReport(landing_root=pathlib.Path(landing_root), batch_date=SAMPLE_BATCH_DATE)
    for entity, rows in per_entity.items():
        report.counts[entity] = len(rows)
        if not rows:
            continue
        # Classification trees do not depend on the seed, so every sample shares one file for them.
        stem = f"sample-s{seed}-n{events}-{entity}"
        if entity == "classifications":
            stem = "sample-classifications"
        for number, chunk in enumerate(_chunks(rows, FILE_ROWS), start=1):
            rel = entity_path(entity, SAMPLE_BATCH_DATE, f"{stem}-{number:04d}.json")
            full = report.landing_root.joinpath(*rel.split("/"))
            if landing.put_new(rel, ndjson.encode(chunk)):
                report.files_written.append(full)
            else:
                report.files_present.append(full)
    return report
