"""A complete, resumable pull of one scope into the landing area.

Phases, each recorded in the batch manifest so a restart skips what already landed:
1. events, by date window: a window whose result is deeper than the API lets us page (page * size
   must stay below 1,000) is split into sub-windows, recursively, until each can be read to the end;
2. undated (TBA/TBD) events, when the scope asks for them;
3. venues and attractions referenced by the landed events, fetched by id in batches;
4. the classification trees.

Events are deduplicated by id within a batch; every landed file is one API page (minus events already
landed from another window) and is named after the batch, window and page, so re-running lands nothing
twice.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import requests

from ingest import ndjson
from ingest.client import ApiError, DiscoveryClient, IngestError, QuotaExhausted
from ingest.config import IngestSettings, Scope, format_api_date, parse_api_date
from ingest.landing import Landing, entity_path, open_landing
from ingest.manifest import COMPLETE, FAILED, QUOTA, Manifest, ManifestStore
from ingest.progress import Progress

log = logging.getLogger("ingest")

DONE_STATES = ("done", "split", "truncated")
# Split so that each child is expected to hold at most this share of the reachable depth, leaving room
# for uneven distributions without another round of splitting.
SPLIT_FILL = 0.8


@dataclass
class IngestReport:
    batch_id: str
    status: str  # complete | quota_exhausted | failed
    landing_root: str
    manifest: str
    counts: dict[str, int] = field(default_factory=dict)  # objects landed in the batch so far
    files_written: int = 0  # by this run
    requests: int = 0  # by this run
    retries: int = 0
    windows: int = 0
    splits: int = 0
    resumed: bool = False
    elapsed_s: float = 0.0
    quota_reset_at: datetime | None = None
    warnings: list[str] = field(default_factory=list)
    message: str = ""

    @property
    def complete(self) -> bool:
        return self.status == COMPLETE

    def summary(self) -> str:
        counts = ", ".join(f"{n:,} {entity}" for entity, n in self.counts.items())
        head = f"batch {self.batch_id} {self.status}: {counts or 'nothing landed'}"
        detail = (
            f"{self.files_written} files written, {self.requests} requests "
            f"({self.requests / max(self.elapsed_s, 1e-9):.2f}/s) in {self.elapsed_s:.1f}s, "
            f"{self.windows} windows ({self.splits} split)"
        )
        extra = f"; {self.message}" if self.message else ""
        return f"{head}; {detail}{extra}"


def _ids_from_links(links: Iterable[dict[str, Any]]) -> list[str]:
    out = []
    for link in links:
        href = str(link.get("href", ""))
        tail = href.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]
        if tail:
            out.append(tail)
    return out


class _Run:
    """State of one ingest run over one batch."""

    def __init__(
        self,
        landing: Landing,
        store: ManifestStore,
        manifest: Manifest,
        client: DiscoveryClient,
        settings: IngestSettings,
        scope: Scope,
        progress: Progress,
    ) -> None:
        self.landing = landing
        self.store = store
        self.manifest = manifest
        self.client = client
        self.settings = settings
        self.scope = scope
        self.progress = progress
        self.seen_events: set[str] = set()
        self.venue_ids: set[str] = set()
        self.attraction_ids: set[str] = set()
        self.files_written = 0
        # Pages reachable under the deep-paging rule (page * size < max_depth).
        self.max_pages = max(1, math.ceil(settings.max_depth / settings.page_size))
        self.max_items = self.max_pages * settings.page_size

    # -- bookkeeping ----------------------------------------------------------------------------------

    def save(self, *, pointer: bool = False) -> None:
        self.manifest.data["requests"] = self.manifest.data.get("requests_before", 0) + self.client.requests_made
        self.store.save(self.manifest, pointer=pointer)

    def tick(self) -> None:
        self.progress.update(
            requests=self.client.requests_made, events=len(self.seen_events), quota_left=self.client.quota.available
        )

    def note_events(self, events: Iterable[dict[str, Any]]) -> None:
        for event in events:
            self.seen_events.add(event["id"])
            embedded = event.get("_embedded") or {}
            links = event.get("_links") or {}
            self.venue_ids.update(v["id"] for v in embedded.get("venues", []) if v.get("id"))
            self.venue_ids.update(_ids_from_links(links.get("venues", [])))
            self.attraction_ids.update(a["id"] for a in embedded.get("attractions", []) if a.get("id"))
            self.attraction_ids.update(_ids_from_links(links.get("attractions", [])))

    def recover(self) -> None:
        """On resume, rebuild what earlier runs landed from the files the manifest lists."""
        for rel in self.manifest.files("events"):
            raw = self.landing.read(rel)
            if raw is not None:
                self.note_events(ndjson.decode(raw))

    def land(self, entity: str, name: str, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Land ``rows`` as one file; returns what the file holds (an earlier run's copy if present)."""
        rel = entity_path(entity, self.manifest.batch_date, name)
        if self.landing.put_new(rel, ndjson.encode(rows)):
            self.files_written += 1
            held = rows
        else:
            # Landed by a run that stopped before recording it: keep that copy, never rewrite.
            raw = self.landing.read(rel) or b""
            held = ndjson.decode(raw)
        self.manifest.add_file(entity, rel, len(held))
        return held

    # -- events ---------------------------------------------------------------------------------------

    def event_params(self, window: dict[str, Any], page: int) -> dict[str, Any]:
        params: dict[str, Any] = dict(self.scope.filter_params())
        if window["mode"] == "dated":
            params["startDateTime"] = window["start"]
            params["endDateTime"] = window["end"]
        elif window["mode"] == "tba":
            params["includeTBA"] = "only"
        else:
            params["includeTBD"] = "only"
        params.update(sort=self.settings.sort, size=self.settings.page_size, page=page)
        return params

    def plan_windows(self) -> None:
        if self.manifest.windows:
            return
        self.manifest.windows.append(
            {
                "id": "w0",
                "mode": "dated",
                "start": format_api_date(self.scope.start_dt),
                "end": format_api_date(self.scope.end_dt),
                "status": "pending",
                "pages_done": [],
            }
        )
        if self.scope.include_undated:
            for mode in ("tba", "tbd"):
                self.manifest.windows.append({"id": mode, "mode": mode, "status": "pending", "pages_done": []})

    def split(self, window: dict[str, Any], total: int) -> bool:
        """Replace ``window`` by sub-windows; False if it cannot be split any further."""
        if window["mode"] != "dated":
            return False
        start = parse_api_date(window["start"])
        seconds = int((parse_api_date(window["end"]) - start).total_seconds()) + 1
        if seconds < 2:
            return False
        parts = min(seconds, max(2, math.ceil(total / (self.max_items * SPLIT_FILL))))
        children = []
        for i in range(parts):
            lo = start + timedelta(seconds=(i * seconds) // parts)
            hi = start + timedelta(seconds=((i + 1) * seconds) // parts - 1)
            children.append(
                {
                    "id": f"{window['id']}.{i}",
                    "mode": "dated",
                    "start": format_api_date(lo),
                    "end": format_api_date(hi),
                    "status": "pending",
                    "pages_done": [],
                }
            )
        window["status"] = "split"
        window["children"] = [c["id"] for c in children]
        position = self.manifest.windows.index(window)
        self.manifest.windows[position + 1 : position + 1] = children
        log.info("window %s..%s holds %d events; split into %d", window["start"], window["end"], total, parts)
        return True

    def fetch_events_page(self, window: dict[str, Any], page: int) -> dict[str, Any] | None:
        """One page of a window, or None when the API refuses the depth (the window was split)."""
        try:
            return self.client.get("events", self.event_params(window, page))
        except ApiError as exc:
            if exc.code == "DIS1035" and self.split(window, window.get("total") or self.max_items * 2):
                return None
            raise

    def run_window(self, window: dict[str, Any]) -> None:
        page = 0
        while True:
            if page in window["pages_done"]:
                page += 1
                if page >= window.get("pages", 0):
                    break
                continue
            body = self.fetch_events_page(window, page)
            self.tick()
            if body is None:
                self.save()
                return
            info = body.get("page") or {}
            total = int(info.get("totalElements", 0))
            total_pages = int(info.get("totalPages", 0))
            if page == 0 and total > self.max_items:
                window["total"] = total
                if self.split(window, total):
                    self.save()
                    return
                window["status"] = "truncated"
                warning = (
                    f"window {window['id']} ({window.get('start', window['mode'])}) holds {total} events; "
                    f"only {self.max_items} are reachable and it cannot be split further"
                )
                self.manifest.data["warnings"].append(warning)
                log.warning(warning)
            window["total"] = total
            window["pages"] = min(total_pages, self.max_pages)
            events = (body.get("_embedded") or {}).get("events") or []
            fresh = [e for e in events if e.get("id") not in self.seen_events]
            if fresh:
                held = self.land("events", f"{self.manifest.batch_id}-events-{window['id']}-p{page:02d}.json", fresh)
                self.note_events(held)
            window["pages_done"].append(page)
            window["landed"] = window.get("landed", 0) + len(fresh)
            self.save()
            page += 1
            # Stop on the last page: totalPages is 0 and _embedded absent on an empty result.
            if page >= window["pages"] or not events:
                break
        if window["status"] != "truncated":
            window["status"] = "done"
        self.save()

    def run_events(self) -> None:
        self.plan_windows()
        index = 0
        # Splitting inserts children right after their parent, so this walks the tree depth-first.
        while index < len(self.manifest.windows):
            window = self.manifest.windows[index]
            if window["status"] not in DONE_STATES:
                self.run_window(window)
                if window["status"] not in DONE_STATES:
                    continue  # a DIS1035 split it mid-way; walk into the children
            index += 1

    # -- venues, attractions, classifications ---------------------------------------------------------

    def run_reference(self, entity: str, ids: set[str]) -> None:
        section = self.manifest.section(entity)
        done = set(section.setdefault("batches_done", []))
        missing = section.setdefault("missing", [])
        ordered = sorted(ids)
        size = max(1, min(self.settings.id_batch_size, self.settings.page_size))
        batches = [ordered[i : i + size] for i in range(0, len(ordered), size)]
        section["referenced"] = len(ordered)
        for number, batch in enumerate(batches):
            if number in done:
                continue
            body = self.client.get(entity, {"id": ",".join(batch), "size": len(batch)})
            self.tick()
            found = (body.get("_embedded") or {}).get(entity) or []
            wanted = set(batch)
            rows = [row for row in found if row.get("id") in wanted]
            # A search that ignored the id filter, or an id the search index lacks: ask by id.
            for missing_id in sorted(wanted - {row.get("id") for row in rows}):
                try:
                    rows.append(self.client.get(f"{entity}/{missing_id}", {}))
                except ApiError as exc:
                    if exc.status != 404:
                        raise
                self.tick()
            if rows:
                self.land(entity, f"{self.manifest.batch_id}-{entity}-{number:04d}.json", rows)
            missing.extend(sorted(wanted - {row.get("id") for row in rows}))
            section["batches_done"].append(number)
            self.save()

    def run_classifications(self) -> None:
        section = self.manifest.section("classifications")
        done = set(section.setdefault("pages_done", []))
        page = 0
        pages = section.get("pages", 1)
        while page < pages and page < self.max_pages:
            if page not in done:
                body = self.client.get("classifications", {"size": self.settings.page_size, "page": page})
                self.tick()
                pages = int((body.get("page") or {}).get("totalPages", 0))
                section["pages"] = pages
                rows = (body.get("_embedded") or {}).get("classifications") or []
                if rows:
                    self.land("classifications", f"{self.manifest.batch_id}-classifications-p{page:02d}.json", rows)
                section["pages_done"].append(page)
                self.save()
            page += 1

    def run(self) -> None:
        self.run_events()
        self.run_reference("venues", self.venue_ids)
        self.run_reference("attractions", self.attraction_ids)
        self.run_classifications()


def ingest(
    landing_root: str, scope: Scope, *, settings: IngestSettings | None = None, session: requests.Session | None = None
) -> IngestReport:
    """Pull ``scope`` into ``landing_root`` (a local folder or ``/Volumes/...``).

    Returns a report; a spent daily quota ends the run cleanly with status ``quota_exhausted`` (run again
    after ``quota_reset_at`` to resume). A rejected key or another unrecoverable API error is raised
    (``IngestError``) after the manifest records it; nothing is ever half-written.
    """
    settings = settings or IngestSettings()
    started = time.monotonic()
    client = DiscoveryClient(settings, session=session)  # fails fast without a key
    landing = open_landing(landing_root)
    store = ManifestStore(landing, scope)
    manifest, resumed = store.open(resume=settings.resume, settings=settings.public())
    manifest.data["requests_before"] = manifest.data.get("requests", 0)
    progress = Progress(settings.progress)
    run = _Run(landing, store, manifest, client, settings, scope, progress)
    report = IngestReport(
        batch_id=manifest.batch_id,
        status=manifest.status,
        landing_root=str(landing_root),
        manifest=landing.location(store.path(manifest.batch_id)),
        resumed=resumed,
    )
    try:
        if resumed:
            run.recover()
        store.save(manifest, pointer=True)
        run.run()
        manifest.data["status"] = COMPLETE
    except QuotaExhausted as exc:
        manifest.data["status"] = QUOTA
        manifest.data["quota_reset_at"] = format_api_date(exc.reset_at) if exc.reset_at else None
        report.quota_reset_at = exc.reset_at
        report.message = f"{exc}; run again to resume"
    except IngestError as exc:
        manifest.data["status"] = FAILED
        manifest.data["error"] = client.redact(exc)
        report.message = client.redact(exc)
        _finish(run, report, started)
        raise
    finally:
        progress.close()
        client.close()
    _finish(run, report, started)
    return report


def _finish(run: _Run, report: IngestReport, started: float) -> None:
    manifest = run.manifest
    run.save(pointer=True)
    report.status = manifest.status
    report.counts = dict(manifest.data["counts"])
    report.files_written = run.files_written
    report.requests = run.client.requests_made
    report.retries = run.client.retries
    report.windows = len(manifest.windows)
    report.splits = sum(1 for w in manifest.windows if w["status"] == "split")
    report.warnings = list(manifest.data["warnings"])
    report.elapsed_s = time.monotonic() - started
    log.info("%s", report.summary())
