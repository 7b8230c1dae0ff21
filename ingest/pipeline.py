"""A complete, resumable pull of one scope into the landing area.

What is fetched, each piece recorded in the batch manifest so a restart skips what already landed:
1. events, by date window: a window whose result is deeper than the API lets us page (page * size
   must stay below 1,000) is split into sub-windows, recursively, until each can be read to the end;
2. undated (TBA/TBD) events, when the scope asks for them;
3. venues and attractions referenced by the landed events, fetched by id in batches, formed as the ids
   turn up;
4. the classification trees.

Requests overlap, because the API answers slowly compared with its rate limit: up to ``max_in_flight``
are under way at once, each started as soon as it is known (a window's later pages once its first page
gives the count, sub-windows as soon as a window is split), while the rate limiter keeps every request
1/rate after the one before. Worker threads only fetch; one coordinating thread lands each answer and
keeps the manifest, so landing and bookkeeping happen in one place, one page at a time.

The first answer of a date window is the longest wait of a pull: until it tells how many events the
window holds, nothing else is known to fetch. The slots that wait would leave empty are filled with
probes: the first pages of the window's first sixteenths, sent one per slot while nothing else is ready.
If the window turns out too deep to read in one go, the probes become its first sub-windows and the
rest of it is split by the count; if it can be read whole, the probes are dropped unread. Their answers
are held until the window decides, so a probe lands nothing that its window would land again.

Events are deduplicated by id within a batch; every landed file is one API page (minus events already
landed from another window) and is named after the batch, window and page, so re-running lands nothing
twice. A run that resumes first takes in the files an interrupted run landed but had not yet recorded.
"""

from __future__ import annotations

import heapq
import itertools
import logging
import math
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import requests

from ingest import ndjson
from ingest.client import ApiError, Cancelled, DiscoveryClient, QuotaExhausted, _json_object
from ingest.config import IngestSettings, Scope, format_api_date, parse_api_date
from ingest.errors import IngestError, LandingError
from ingest.landing import ENTITIES, Landing, entity_path, open_landing
from ingest.manifest import COMPLETE, FAILED, QUOTA, Manifest, ManifestStore
from ingest.page_text import read_page
from ingest.progress import Progress

log = logging.getLogger("ingest")

DONE_STATES = ("done", "split", "truncated", "dropped")
REFERENCE_ENTITIES = ("venues", "attractions")
# Split so that each child is expected to hold at most this share of the reachable depth, leaving room
# for uneven distributions without another round of splitting.
SPLIT_FILL = 0.8
SAVE_EVERY_S = 0.5
# Probes of a date window awaiting its first answer: its first parts on a grid of this many, at most
# MAX_PROBES of them (only slots that would otherwise stay empty send one, so a fast API sees none).
PROBE_GRID = 16
MAX_PROBES = 8

# Order in which ready requests are sent: first pages reveal more work (page counts, splits), so they go
# first; reference batches go when nothing else is waiting, which fills the slots at the end of a pull.
_FIRST_PAGE, _LATER_PAGE, _CLASSIFICATIONS, _REFERENCE = range(4)


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
    rate_limited: int = 0  # requests answered 429 spike arrest (retried)
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
        limited = f", {self.rate_limited} rate-limited" if self.rate_limited else ""
        detail = (
            f"{self.files_written} files written, {self.requests} requests "
            f"({self.requests / max(self.elapsed_s, 1e-9):.2f}/s{limited}) in {self.elapsed_s:.1f}s, "
            f"{self.windows} windows ({self.splits} split)"
        )
        extra = f"; {self.message}" if self.message else ""
        return f"{head}; {detail}{extra}"


def _object(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _objects(value: Any) -> list[dict[str, Any]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _ids(objects: Any) -> list[str]:
    """Ids of embedded objects; anything malformed is skipped (bronze judges the event itself)."""
    return [str(item["id"]) for item in _objects(objects) if item.get("id")]


def _ids_from_links(links: Any) -> list[str]:
    out = []
    for link in _objects(links):
        href = str(link.get("href", ""))
        tail = href.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]
        if tail:
            out.append(tail)
    return out


def _references(event: Any, line: bytes = b"") -> tuple[str | None, bytes, tuple[str, ...], tuple[str, ...]]:
    """The event's id, ``line``, and the venues and attractions it refers to."""
    if not isinstance(event, dict):
        return None, line, (), ()
    embedded = _object(event.get("_embedded"))
    links = _object(event.get("_links"))
    venues = _ids(embedded.get("venues")) + _ids_from_links(links.get("venues"))
    attractions = _ids(embedded.get("attractions")) + _ids_from_links(links.get("attractions"))
    return event.get("id") or None, line, tuple(venues), tuple(attractions)


@dataclass(frozen=True)
class _EventLine:
    """One event as it will be landed, with the ids it refers to."""

    id: str | None
    line: bytes
    venues: tuple[str, ...]
    attractions: tuple[str, ...]

    @classmethod
    def of(cls, event: Any, text: str | None = None) -> _EventLine:
        """``text``: the event as the API sent it, landed as is when it is one line.

        Something that is not an object is landed too, for bronze to set aside with a reason.
        """
        if text is not None and "\n" not in text and "\r" not in text:
            line = text.encode("utf-8") + b"\n"
        else:
            line = ndjson.encode_line(event)
        return cls(*_references(event, line))


@dataclass(frozen=True)
class _EventsPage:
    """A page of the events search reduced to what is landed and counted (no decoded objects kept)."""

    total: int
    total_pages: int
    events: list[_EventLine]

    @classmethod
    def read(cls, text: str) -> _EventsPage:
        page, events = read_page(text, "events")
        info = page.get("page") or {}
        return cls(
            int(info.get("totalElements", 0)),
            int(info.get("totalPages", 0)),
            [_EventLine.of(event, raw) for event, raw in events],
        )


@dataclass(frozen=True)
class _Task:
    """One request to make (with the by-id follow-ups of a reference batch)."""

    kind: str  # events | reference | classifications
    window: str = ""  # events: window id
    page: int = 0  # events, classifications
    params: tuple[tuple[str, Any], ...] = ()  # events: the search parameters
    entity: str = ""  # reference: venues | attractions
    number: int = 0  # reference: batch number
    ids: tuple[str, ...] = ()  # reference: the batch's ids


@dataclass
class _Fetched:
    page: _EventsPage | None = None  # events
    body: dict[str, Any] | None = None  # classifications
    rows: list[dict[str, Any]] = field(default_factory=list)  # reference
    missing: list[str] = field(default_factory=list)  # reference ids the API does not know


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
        self.referenced: dict[str, set[str]] = {entity: set() for entity in REFERENCE_ENTITIES}
        self.assigned: dict[str, set[str]] = {entity: set() for entity in REFERENCE_ENTITIES}
        self.files_written = 0
        # Pages reachable under the deep-paging rule (page * size < max_depth).
        self.max_pages = max(1, math.ceil(settings.max_depth / settings.page_size))
        self.max_items = self.max_pages * settings.page_size
        self.batch_size = max(1, min(settings.id_batch_size, settings.page_size))
        self._queue: list[tuple[int, int, _Task]] = []
        self._order = itertools.count()
        self._saved_at = 0.0
        # Requests started whose turn to be sent has not come yet; a probe goes only when none is waiting.
        self._turns: dict[Future[_Fetched], threading.Event] = {}
        self.held: dict[str, _EventsPage] = {}  # probe window id -> its first answer, until its window decides

    # -- bookkeeping ----------------------------------------------------------------------------------

    def save(self, *, pointer: bool = False) -> None:
        """Write the manifest now: before anything is fetched that depends on what it says."""
        self.manifest.data["requests"] = self.manifest.data.get("requests_before", 0) + self.client.requests_made
        self.store.save(self.manifest, pointer=pointer)
        self._saved_at = time.monotonic()

    def save_progress(self) -> None:
        """Write the manifest at most every SAVE_EVERY_S for a page that landed.

        Nothing is lost in between: a resumed run takes in the files landed but not yet recorded
        (``adopt_unrecorded``), and writing the manifest after every page would double the disk
        flushes that hold up the landing thread.
        """
        if time.monotonic() - self._saved_at >= SAVE_EVERY_S:
            self.save()

    def tick(self) -> None:
        self.progress.update(
            requests=self.client.requests_made, events=len(self.seen_events), quota_left=self.client.quota.available
        )

    def note(self, line: _EventLine) -> None:
        if line.id:
            self.seen_events.add(line.id)
        self.referenced["venues"].update(line.venues)
        self.referenced["attractions"].update(line.attractions)

    def note_events(self, events: Iterable[Any]) -> None:
        for event in events:
            self.note(_EventLine(*_references(event)))

    def land(self, entity: str, name: str, rows: list[dict[str, Any]]) -> None:
        self.land_encoded(entity, name, ndjson.encode(rows), len(rows))

    def land_encoded(self, entity: str, name: str, data: bytes, rows: int) -> bool:
        """Land one file unless it is there; True if written. Either way the manifest lists it."""
        rel = entity_path(entity, self.manifest.batch_date, name)
        written = self.landing.put_new(rel, data)
        if written:
            self.files_written += 1
        else:
            # Landed by a run that stopped before recording it: keep that copy, never rewrite.
            held = ndjson.decode(self.landing.read(rel) or b"")
            if entity == "events":
                self.note_events(held)
            rows = len(held)
        self.manifest.add_file(entity, rel, rows)
        return written

    def events_file(self, window_id: str, page: int) -> str:
        return f"{self.manifest.batch_id}-events-{window_id}-p{page:02d}.json"

    def reference_file(self, entity: str, number: int) -> str:
        return f"{self.manifest.batch_id}-{entity}-{number:04d}.json"

    def classifications_file(self, page: int) -> str:
        return f"{self.manifest.batch_id}-classifications-p{page:02d}.json"

    def window(self, window_id: str) -> dict[str, Any]:
        return next(w for w in self.manifest.windows if w["id"] == window_id)

    # -- planning and resuming ------------------------------------------------------------------------

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

    def recover(self) -> None:
        """On resume, rebuild what earlier runs landed and recorded.

        Probes whose window had not answered yet are forgotten: they landed nothing (their answers are
        held in memory until the window decides), and this run probes afresh if it waits again. Those of a
        window that had decided are settled as it decided.
        """
        undecided = set()
        for window in self.manifest.windows:
            if not window.get("probe_of"):
                continue
            parent = self.window(window["probe_of"])
            if parent["status"] == "split":
                del window["probe_of"]
            elif "pages" in parent:
                del window["probe_of"]
                window["status"] = "dropped"
            else:
                undecided.add(window["id"])
        if undecided:
            self.manifest.windows[:] = [w for w in self.manifest.windows if w["id"] not in undecided]
            for window in self.manifest.windows:
                if "probes" in window:
                    window["probes"] = [p for p in window["probes"] if p not in undecided]
        for rel in self.manifest.files("events"):
            raw = self.landing.read(rel)
            if raw is not None:
                self.note_events(ndjson.decode(raw))

    def adopt_unrecorded(self) -> None:
        """On resume, take in files an interrupted run landed but stopped before recording.

        Only a request still to make can have such a file. Taking them in before anything new lands
        keeps every event in one file, whatever order the pages are fetched in this time.
        """
        for window in self.manifest.windows:
            if window["status"] in DONE_STATES:
                continue
            for page in range(window.get("pages", 1)):
                if page in window["pages_done"]:
                    continue
                rel = entity_path("events", self.manifest.batch_date, self.events_file(window["id"], page))
                raw = self.landing.read(rel)
                if raw is None:
                    continue
                rows = ndjson.decode(raw)
                self.note_events(rows)
                self.manifest.add_file("events", rel, len(rows))
                if "pages" in window:  # the first page must still be fetched for the page count
                    window["pages_done"].append(page)
                    window["landed"] = window.get("landed", 0) + len(rows)
        for entity in REFERENCE_ENTITIES:
            section = self.manifest.section(entity)
            for number, batch in enumerate(section["batches"]):
                if number in section["batches_done"]:
                    continue
                rel = entity_path(entity, self.manifest.batch_date, self.reference_file(entity, number))
                raw = self.landing.read(rel)
                if raw is not None:
                    rows = ndjson.decode(raw)
                    self.manifest.add_file(entity, rel, len(rows))
                    section["missing"].extend(sorted(set(batch) - {row.get("id") for row in rows}))
                    section["batches_done"].append(number)
        section = self.manifest.section("classifications")
        for page in range(section.get("pages", 1)):
            if page in section["pages_done"]:
                continue
            rel = entity_path("classifications", self.manifest.batch_date, self.classifications_file(page))
            raw = self.landing.read(rel)
            if raw is not None:
                self.manifest.add_file("classifications", rel, len(ndjson.decode(raw)))
                if "pages" in section:
                    section["pages_done"].append(page)

    def prepare_sections(self) -> None:
        for entity in REFERENCE_ENTITIES:
            section = self.manifest.section(entity)
            section.setdefault("missing", [])
            if "batches_done" in section and "batches" not in section:
                # A batch begun by an earlier version, which numbered batches of the sorted ids of all the
                # events once they had all landed: the same numbering keeps its landed files meaningful.
                ordered = sorted(self.referenced[entity])
                section["batches"] = [ordered[i : i + self.batch_size] for i in range(0, len(ordered), self.batch_size)]
            section.setdefault("batches", [])
            section.setdefault("batches_done", [])
            for batch in section["batches"]:
                self.assigned[entity].update(batch)
        classifications = self.manifest.section("classifications")
        classifications.setdefault("pages_done", [])

    def queue_initial(self) -> None:
        for window in self.manifest.windows:
            self.queue_window(window)
        for entity in REFERENCE_ENTITIES:
            section = self.manifest.section(entity)
            for number, batch in enumerate(section["batches"]):
                if number not in section["batches_done"]:
                    self.push(_REFERENCE, _Task("reference", entity=entity, number=number, ids=tuple(batch)))
        section = self.manifest.section("classifications")
        if "pages" in section:
            for page in range(min(section["pages"], self.max_pages)):
                if page not in section["pages_done"]:
                    self.push(_CLASSIFICATIONS, _Task("classifications", page=page))
        elif 0 not in section["pages_done"]:
            self.push(_CLASSIFICATIONS, _Task("classifications", page=0))

    def queue_window(self, window: dict[str, Any]) -> None:
        if window["status"] in DONE_STATES:
            return
        if "pages" not in window:
            self.push_page(window, 0)
            return
        missing = [p for p in range(window["pages"]) if p not in window["pages_done"]]
        if not missing:
            self.finish_window(window)
        for page in missing:
            self.push_page(window, page)

    def finish_window(self, window: dict[str, Any]) -> None:
        window["status"] = "truncated" if window.get("truncated") else "done"

    # -- scheduling -----------------------------------------------------------------------------------

    def push(self, rank: int, task: _Task) -> None:
        heapq.heappush(self._queue, (rank, next(self._order), task))

    def push_page(self, window: dict[str, Any], page: int) -> None:
        params = tuple(self.event_params(window, page).items())
        self.push(
            _FIRST_PAGE if page == 0 else _LATER_PAGE, _Task("events", window=window["id"], page=page, params=params)
        )

    def events_planned(self) -> bool:
        """Every window's page count is known: no event yet to land can come from an unknown page."""
        return all(w["status"] in DONE_STATES or "pages" in w for w in self.manifest.windows)

    def assign_batches(self, *, flush: bool) -> bool:
        """Form reference batches from ids not yet in one: full ones, and with ``flush`` the rest too."""
        assigned = False
        for entity in REFERENCE_ENTITIES:
            section = self.manifest.section(entity)
            free = sorted(self.referenced[entity] - self.assigned[entity])
            while len(free) >= self.batch_size or (flush and free):
                batch, free = free[: self.batch_size], free[self.batch_size :]
                number = len(section["batches"])
                section["batches"].append(batch)
                self.assigned[entity].update(batch)
                self.push(_REFERENCE, _Task("reference", entity=entity, number=number, ids=tuple(batch)))
                assigned = True
            section["referenced"] = len(self.referenced[entity])
        return assigned

    def next_task(self) -> _Task | None:
        while True:
            # With nothing else to send and no page left whose count is unknown, the ids not yet in a
            # batch go out as a smaller one: it uses a slot that would otherwise stay empty.
            if not self._queue and self.events_planned() and self.assign_batches(flush=True):
                self.save()  # a batch is on record before it is fetched: its number names its file
            if not self._queue and not self.waiting_for_turn():
                self.probe()
            if not self._queue:
                return None
            _, _, task = heapq.heappop(self._queue)
            if task.kind == "events" and self.window(task.window)["status"] in DONE_STATES:
                continue  # the window was split meanwhile; its sub-windows fetch these events
            return task

    # -- probing the first answer's wait -------------------------------------------------------------

    def waiting_for_turn(self) -> bool:
        return any(not turn.is_set() for turn in self._turns.values())

    def probe_target(self) -> dict[str, Any] | None:
        """A date window whose first answer is awaited and that may send another probe."""
        for window in self.manifest.windows:
            if (
                window["mode"] == "dated"
                and window["status"] == "pending"
                and "pages" not in window
                and not window.get("probe_of")
                and window["id"].count(".") == 0  # top-level: later splits follow counts already known
                and len(window.get("probes", [])) < MAX_PROBES
                and self.window_seconds(window) >= 2 * PROBE_GRID
            ):
                return window
        return None

    def window_seconds(self, window: dict[str, Any]) -> int:
        return int((parse_api_date(window["end"]) - parse_api_date(window["start"])).total_seconds()) + 1

    def probe(self) -> None:
        """Queue the first page of the next probe of a window awaiting its first answer."""
        window = self.probe_target()
        if window is None:
            return
        probes = window.setdefault("probes", [])
        start = parse_api_date(window["start"])
        seconds = self.window_seconds(window)
        i = len(probes)
        child = {
            "id": f"{window['id']}.{i}",
            "mode": "dated",
            "start": format_api_date(start + timedelta(seconds=(i * seconds) // PROBE_GRID)),
            "end": format_api_date(start + timedelta(seconds=((i + 1) * seconds) // PROBE_GRID - 1)),
            "status": "pending",
            "pages_done": [],
            "probe_of": window["id"],
        }
        probes.append(child["id"])
        position = self.manifest.windows.index(window) + len(probes)
        self.manifest.windows.insert(position, child)
        self.push_page(child, 0)

    def decide_probes(self, window: dict[str, Any], *, adopt: bool) -> None:
        """The window's first answer is in: its probes become sub-windows (``adopt``) or are dropped."""
        for probe_id in window.get("probes", []):
            probe = self.window(probe_id)
            if not probe.get("probe_of"):
                continue
            del probe["probe_of"]
            held = self.held.pop(probe_id, None)
            if not adopt:
                probe["status"] = "dropped"
            elif held is not None:
                self.apply_events(probe, 0, held)

    def run(self) -> None:
        """Fetch with up to ``max_in_flight`` requests under way; land each answer as it arrives."""
        running: dict[Future[_Fetched], _Task] = {}
        failure: IngestError | None = None
        workers = max(1, self.settings.max_in_flight)
        executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="ingest")
        try:
            while True:
                self.fill(running, executor, workers, failure)
                if not running:
                    break
                # While a probe may fill the next empty slot, look again once the waiting request has left.
                timeout = self.client.limiter.interval / 2 if self.probe_target() is not None else None
                done, _ = wait(running, timeout=timeout, return_when=FIRST_COMPLETED)
                for future in done:
                    task = running.pop(future)
                    self._turns.pop(future, None)
                    try:
                        fetched = future.result()
                    except Cancelled:
                        continue
                    except IngestError as exc:
                        if failure is None and not self.absorb(task, exc):
                            # Stop starting requests; what is under way still lands.
                            failure = exc
                            self.client.cancel()
                        continue
                    self.apply(task, fetched)
                    self.tick()
                    # Start what this answer made possible before landing the next one.
                    self.fill(running, executor, workers, failure)
        finally:
            self.client.cancel()
            executor.shutdown(wait=True, cancel_futures=True)
        if failure is not None:
            raise failure

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

    def fill(
        self,
        running: dict[Future[_Fetched], _Task],
        executor: ThreadPoolExecutor,
        workers: int,
        failure: IngestError | None,
    ) -> None:
        while failure is None and len(running) < workers:
            task = self.next_task()
            if task is None:
                return
            turn = threading.Event()
            future = executor.submit(self.fetch, task, turn.set)
            running[future] = task
            self._turns[future] = turn

    # -- work done by the worker threads (they never touch the manifest) ------------------------------

    def fetch(self, task: _Task, on_turn: Callable[[], None]) -> _Fetched:
        if task.kind == "events":
            return _Fetched(page=self.client.get_as("events", dict(task.params), _EventsPage.read, on_turn=on_turn))
        if task.kind == "classifications":
            page: dict[str, Any] = {"size": self.settings.page_size, "page": task.page}
            return _Fetched(body=self.client.get_as("classifications", page, _json_object, on_turn=on_turn))
        by_id: dict[str, Any] = {"id": ",".join(task.ids), "size": len(task.ids)}
        body = self.client.get_as(task.entity, by_id, _json_object, on_turn=on_turn)
        found = (body.get("_embedded") or {}).get(task.entity) or []
        wanted = set(task.ids)
        rows = [row for row in found if row.get("id") in wanted]
        # A search that ignored the id filter, or an id the search index lacks: ask by id.
        for missing_id in sorted(wanted - {row.get("id") for row in rows}):
            try:
                rows.append(self.client.get(f"{task.entity}/{missing_id}", {}))
            except ApiError as exc:
                if exc.status != 404:
                    raise
        return _Fetched(rows=rows, missing=sorted(wanted - {row.get("id") for row in rows}))

    # -- landing answers (coordinating thread) --------------------------------------------------------

    def absorb(self, task: _Task, exc: IngestError) -> bool:
        """True if the error was handled: the API refused a page as too deep, so the window is split."""
        if not (task.kind == "events" and isinstance(exc, ApiError) and exc.code == "DIS1035"):
            return False
        window = self.window(task.window)
        if window["status"] in DONE_STATES:
            return True
        if not self.split(window, window.get("total") or self.max_items * 2):
            return False
        self.decide_probes(window, adopt=True)
        self.save()
        return True

    def apply(self, task: _Task, fetched: _Fetched) -> None:
        if task.kind == "events":
            assert fetched.page is not None
            self.apply_events(self.window(task.window), task.page, fetched.page)
        elif task.kind == "reference":
            self.apply_reference(task, fetched)
        else:
            self.apply_classifications(task.page, fetched.body or {})

    def split(self, window: dict[str, Any], total: int) -> bool:
        """Replace ``window`` by sub-windows; False if it cannot be split any further."""
        if window["mode"] != "dated":
            return False
        seconds = self.window_seconds(window)
        if seconds < 2:
            return False
        # Probes already cover the window's first parts; the rest is split by its expected share.
        probes = [self.window(p) for p in window.get("probes", []) if self.window(p).get("probe_of")]
        start = parse_api_date(probes[-1]["end"]) + timedelta(seconds=1) if probes else parse_api_date(window["start"])
        rest = int((parse_api_date(window["end"]) - start).total_seconds()) + 1
        expected = math.ceil(total * rest / seconds / (self.max_items * SPLIT_FILL))
        parts = min(rest, max(1 if probes else 2, expected)) if rest > 0 else 0
        children = []
        for i in range(parts):
            lo = start + timedelta(seconds=(i * rest) // parts)
            hi = start + timedelta(seconds=((i + 1) * rest) // parts - 1)
            children.append(
                {
                    "id": f"{window['id']}.{len(probes) + i}",
                    "mode": "dated",
                    "start": format_api_date(lo),
                    "end": format_api_date(hi),
                    "status": "pending",
                    "pages_done": [],
                }
            )
        window["status"] = "split"
        window["children"] = [p["id"] for p in probes] + [c["id"] for c in children]
        position = self.manifest.windows.index(window) + len(probes)
        self.manifest.windows[position + 1 : position + 1] = children
        for child in children:
            self.queue_window(child)
        log.info(
            "window %s..%s holds %d events; split into %d",
            window["start"],
            window["end"],
            total,
            len(window["children"]),
        )
        return True

    def apply_events(self, window: dict[str, Any], page: int, answer: _EventsPage) -> None:
        if window["status"] in DONE_STATES:
            return  # split (or dropped) while this page was under way; other windows fetch its events
        if window.get("probe_of"):
            self.held[window["id"]] = answer  # landed once its window decides to keep it
            return
        planned = "pages" not in window  # the first page: the window's page count becomes known
        if planned:
            total = answer.total
            if total > self.max_items:
                window["total"] = total
                if self.split(window, total):
                    self.decide_probes(window, adopt=True)
                    self.save()
                    return
                window["truncated"] = True
                warning = (
                    f"window {window['id']} ({window.get('start', window['mode'])}) holds {total} events; "
                    f"only {self.max_items} are reachable and it cannot be split further"
                )
                self.manifest.data["warnings"].append(warning)
                log.warning(warning)
            window["total"] = total
            self.decide_probes(window, adopt=False)
            # totalPages is 0 and _embedded absent on an empty result.
            window["pages"] = min(answer.total_pages, self.max_pages)
            for later in range(1, window["pages"]):
                if later not in window["pages_done"]:
                    self.push_page(window, later)
        fresh = [e for e in answer.events if e.id not in self.seen_events]
        if fresh:
            name = self.events_file(window["id"], page)
            if self.land_encoded("events", name, b"".join(e.line for e in fresh), len(fresh)):
                for event in fresh:
                    self.note(event)
        if page not in window["pages_done"]:
            window["pages_done"].append(page)
        window["landed"] = window.get("landed", 0) + len(fresh)
        finished = all(p in window["pages_done"] for p in range(window["pages"]))
        if finished:
            self.finish_window(window)
        if self.assign_batches(flush=False) or planned or finished:
            self.save()
        else:
            self.save_progress()

    def apply_reference(self, task: _Task, fetched: _Fetched) -> None:
        section = self.manifest.section(task.entity)
        if fetched.rows:
            self.land(task.entity, self.reference_file(task.entity, task.number), fetched.rows)
        section["missing"].extend(fetched.missing)
        section["batches_done"].append(task.number)
        self.save_progress()

    def apply_classifications(self, page: int, body: dict[str, Any]) -> None:
        section = self.manifest.section("classifications")
        planned = "pages" not in section
        if planned:
            section["pages"] = int((body.get("page") or {}).get("totalPages", 0))
            for later in range(1, min(section["pages"], self.max_pages)):
                if later not in section["pages_done"]:
                    self.push(_CLASSIFICATIONS, _Task("classifications", page=later))
        rows = (body.get("_embedded") or {}).get("classifications") or []
        if rows:
            self.land("classifications", self.classifications_file(page), rows)
        section["pages_done"].append(page)
        if planned:
            self.save()
        else:
            self.save_progress()


# How long a thread may keep the interpreter while another waits for it, during a pull. The default
# (5 ms) is added to most requests' departure, since the thread whose turn has come usually finds a page
# being read by another; every millisecond lost there is lost from the rate limit for good.
SWITCH_INTERVAL_S = 0.0005


@contextmanager
def _prompt_thread_switches() -> Iterator[None]:
    before = sys.getswitchinterval()
    sys.setswitchinterval(min(before, SWITCH_INTERVAL_S))
    try:
        yield
    finally:
        sys.setswitchinterval(before)


def ingest(
    landing_root: str, scope: Scope, *, settings: IngestSettings | None = None, session: requests.Session | None = None
) -> IngestReport:
    """Pull ``scope`` into ``landing_root`` (a local folder or ``/Volumes/...``).

    Returns a report; a spent daily quota ends the run cleanly with status ``quota_exhausted`` (run again
    after ``quota_reset_at`` to resume). A rejected key, another unrecoverable API error or a landing
    folder that cannot be written is raised (``IngestError``) after the manifest records it where it
    can; nothing is ever half-written.
    """
    settings = settings or IngestSettings()
    started = time.monotonic()
    client = DiscoveryClient(settings, session=session)  # fails fast without a key
    try:
        landing = open_landing(landing_root)
        store = ManifestStore(landing, scope)
        # One run at a time per batch folder. Holding it, a temporary file is what a killed run left.
        with landing.exclusive(store.folder) as alone:
            if alone:
                _remove_what_a_killed_run_left(landing, store)
            return _pull(landing, store, client, settings, scope, landing_root, started, swept=alone)
    finally:
        client.close()


def _remove_what_a_killed_run_left(landing: Landing, store: ManifestStore) -> None:
    """Temporary manifests (a run killed in its first save has no batch for a resume to clear) and the
    entity temporaries of an unfinished batch, whether this run resumes it or begins another."""
    landing.remove_temporary(store.folder, "")
    unfinished = store.unfinished()
    if unfinished:
        _remove_entity_temporaries(landing, unfinished)


def _remove_entity_temporaries(landing: Landing, manifest: Manifest) -> None:
    """The hidden files a killed run of this batch was writing (readers skip them)."""
    for entity in ENTITIES:
        landing.remove_temporary(entity_path(entity, manifest.batch_date, ""), manifest.batch_id)


def _pull(
    landing: Landing,
    store: ManifestStore,
    client: DiscoveryClient,
    settings: IngestSettings,
    scope: Scope,
    landing_root: str,
    started: float,
    *,
    swept: bool,
) -> IngestReport:
    """The pull itself; `swept`: what a killed run left is already removed (under the folder's lock)."""
    progress = Progress(settings.progress)
    try:
        manifest, resumed = store.open(resume=settings.resume, settings=settings.public())
    except BaseException:
        progress.close()
        raise
    manifest.data["requests_before"] = manifest.data.get("requests", 0)
    run = _Run(landing, store, manifest, client, settings, scope, progress)
    report = IngestReport(
        batch_id=manifest.batch_id,
        status=manifest.status,
        landing_root=str(landing_root),
        manifest=landing.location(store.path(manifest.batch_id)),
        resumed=resumed,
    )
    try:
        run.plan_windows()
        if resumed:
            if not swept:  # no lock here: only this batch's own leftovers are known to be nobody's
                _remove_entity_temporaries(landing, manifest)
                landing.remove_temporary(store.folder, manifest.batch_id)
            run.recover()
        run.prepare_sections()
        if resumed:
            run.adopt_unrecorded()
        store.save(manifest, pointer=True)
        run.queue_initial()
        with _prompt_thread_switches():
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
    _finish(run, report, started)
    return report


def _finish(run: _Run, report: IngestReport, started: float) -> None:
    manifest = run.manifest
    try:
        run.save(pointer=True)
    except LandingError:
        if manifest.status == COMPLETE:
            raise
        # The landing cannot be written (the error being reported, most likely); the manifest on disk
        # still describes what landed, and the next run resumes from it.
    report.status = manifest.status
    counts = manifest.data["counts"]
    report.counts = {entity: counts[entity] for entity in ENTITIES if entity in counts}
    report.files_written = run.files_written
    report.requests = run.client.requests_made
    report.retries = run.client.retries
    report.rate_limited = run.client.spike_arrests
    report.windows = sum(1 for w in manifest.windows if w["status"] != "dropped")
    report.splits = sum(1 for w in manifest.windows if w["status"] == "split")
    report.warnings = list(manifest.data["warnings"])
    report.elapsed_s = time.monotonic() - started
    log.info("%s", report.summary())
