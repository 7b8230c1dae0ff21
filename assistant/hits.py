"""What a search returns, and the ways it can search: light enough for the command line to load at start."""

from __future__ import annotations

from dataclasses import dataclass, field

METHODS = ("hybrid", "bm25", "vector")


@dataclass
class Hit:
    event_id: str
    score: float
    ranks: dict[str, int] = field(default_factory=dict)
    similarity: float | None = None
    bm25: float | None = None
    event_key: str | None = None
    event_name: str | None = None
    start_local_date: object = None
    venue_name: str | None = None
    city_name: str | None = None
    status_code: str | None = None
    document: str = ""
