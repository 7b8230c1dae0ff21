"""A local fake of the Discovery API v2 for tests and benchmarks.

Serves a dataset (generated, or real recorded objects) over HTTP on 127.0.0.1 with the behaviour that
matters to an ingest: HAL pagination with ``_links``, no ``_embedded`` on an empty result, size > 200
(DIS1036), deep paging (DIS1035, ``page * size`` must stay below 1,000), ``totalElements`` capped at
10,000, bad date formats (DIS1015), a rolling-second spike arrest (a request arriving when the last
second already holds ``rate_limit`` requests, answered or not, gets the spike-arrest 429) and a daily
quota with the real ``Rate-Limit*`` headers and 429 bodies, 401 for a wrong key, a configurable answer
time (``latency_s``: real answers of a full page take about a second) and injectable faults (5xx, slow
responses that time out, truncated bodies, dropped connections). Every request is recorded on arrival
so tests can check what the client did.

Assumptions where the real API is undocumented: an event with only a ``localDate`` (time TBA) is
placed at that date's midnight UTC for date filters; events without any date (TBA/TBD) are excluded
when a date filter is sent unless ``includeTBA``/``includeTBD`` say otherwise.
"""

from __future__ import annotations

import bisect
import json
import re
import select
import socket
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from ingest.config import API_DATE_FORMAT, UTC
from ingest.generator import Generator, classification_trees, referenced_attractions, referenced_venues

PREFIX = "/discovery/v2"
DATE_PARAMS = ("startDateTime", "endDateTime", "onsaleStartDateTime", "onsaleEndDateTime")
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")

FaultRule = Callable[[int, str, dict[str, str]], "str | None"]
SPIKE_ARREST = "spike_arrest"  # RequestRecord.fault of a request the spike arrest rejected


def _compact(obj: Any) -> bytes:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def event_instant(event: dict[str, Any]) -> datetime | None:
    start = event.get("dates", {}).get("start", {})
    if start.get("dateTime"):
        return datetime.strptime(start["dateTime"], API_DATE_FORMAT).replace(tzinfo=UTC)
    if start.get("localDate"):
        return datetime.strptime(start["localDate"], "%Y-%m-%d").replace(tzinfo=UTC)
    return None


@dataclass
class FakeDataset:
    events: list[dict[str, Any]]
    venues: list[dict[str, Any]]
    attractions: list[dict[str, Any]]
    classifications: list[dict[str, Any]]

    @classmethod
    def generated(
        cls,
        events: int,
        start: datetime,
        end: datetime,
        *,
        seed: int = 7,
        venue_pool: int = 150,
        attraction_pool: int = 600,
        undated_share: float = 0.05,
    ) -> FakeDataset:
        generator = Generator(seed, venue_pool=venue_pool, attraction_pool=attraction_pool, undated_share=undated_share)
        rows = list(generator.events(events, start, end))
        return cls(rows, referenced_venues(rows), referenced_attractions(rows), classification_trees())

    @classmethod
    def from_objects(
        cls,
        events: Iterable[dict[str, Any]],
        venues: Iterable[dict[str, Any]] = (),
        attractions: Iterable[dict[str, Any]] = (),
        classifications: Iterable[dict[str, Any]] = (),
    ) -> FakeDataset:
        rows = list(events)
        venue_map = {v["id"]: v for v in referenced_venues(rows)}
        venue_map.update({v["id"]: v for v in venues})
        attraction_map = {a["id"]: a for a in referenced_attractions(rows)}
        attraction_map.update({a["id"]: a for a in attractions})
        return cls(rows, list(venue_map.values()), list(attraction_map.values()), list(classifications))


@dataclass
class RequestRecord:
    at: float  # time.monotonic() on arrival
    path: str
    params: dict[str, str]  # without the apikey
    status: int
    fault: str | None = None


@dataclass
class _Indexed:
    obj: dict[str, Any]
    raw: bytes
    instant: datetime | None = None
    tba: bool = False
    tbd: bool = False
    search_text: str = ""
    names: frozenset[str] = frozenset()


def _classification_names(obj: dict[str, Any]) -> frozenset[str]:
    names = set()
    for cls in obj.get("classifications", []) or []:
        for level in ("segment", "genre", "subGenre", "type", "subType"):
            node = cls.get(level) or {}
            if node.get("name"):
                names.add(node["name"].lower())
            if node.get("id"):
                names.add(node["id"].lower())
    return frozenset(names)


class RequestLog:
    """Measurements over the requests a fake API received, in order of arrival."""

    requests: list[RequestRecord]

    def max_requests_in_any_second(self) -> int:
        times = sorted(r.at for r in self.requests)
        best = 0
        left = 0
        for right, t in enumerate(times):
            while t - times[left] >= 1.0:
                left += 1
            best = max(best, right - left + 1)
        return best

    def share_rate_limited(self) -> float:
        """Share of requests answered with the spike-arrest 429."""
        limited = sum(1 for r in self.requests if r.status == 429 and r.fault == SPIKE_ARREST)
        return limited / max(1, len(self.requests))

    def min_gap(self) -> float:
        times = sorted(r.at for r in self.requests)
        return min((b - a for a, b in zip(times, times[1:], strict=False)), default=float("inf"))


class FakeDiscoveryAPI(RequestLog):
    """Run with ``with FakeDiscoveryAPI(dataset) as api:`` and point the client at ``api.base_url``."""

    def __init__(
        self,
        dataset: FakeDataset,
        *,
        api_key: str = "fake-key",
        rate_limit: float = 5.0,
        daily_quota: int = 5000,
        max_size: int = 200,
        max_depth: int = 1000,
        max_total: int = 10_000,
        faults: dict[int, str] | FaultRule | None = None,
        slow_response_s: float = 1.0,
        latency_s: float = 0.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.api_key = api_key
        self.rate_limit = rate_limit
        self.daily_quota = daily_quota
        self.max_size = max_size
        self.max_depth = max_depth
        self.max_total = max_total
        self.slow_response_s = slow_response_s
        self.latency_s = latency_s
        self._faults = faults
        self._clock = clock
        self._lock = threading.Lock()
        self._recent: list[float] = []  # arrivals of the last seconds, sorted
        self.quota_used = 0
        self.quota_reset_ms = int(time.time() * 1000) + 24 * 3600 * 1000
        self.requests: list[RequestRecord] = []
        self._load(dataset)
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- data -----------------------------------------------------------------------------------------

    def _load(self, dataset: FakeDataset) -> None:
        events = []
        for obj in dataset.events:
            start = obj.get("dates", {}).get("start", {})
            texts = [obj.get("name", "")] + [a.get("name", "") for a in obj.get("_embedded", {}).get("attractions", [])]
            events.append(
                _Indexed(
                    obj,
                    _compact(obj),
                    event_instant(obj),
                    bool(start.get("dateTBA")),
                    bool(start.get("dateTBD")),
                    " ".join(texts).lower(),
                    _classification_names(obj),
                )
            )
        far = datetime.max.replace(tzinfo=UTC)
        events.sort(key=lambda e: (e.instant or far, e.obj.get("id", "")))
        self.events = events
        # Dated events come first, in time order: a date window is found by bisection, not a scan.
        self._instants = [e.instant for e in events if e.instant is not None]
        self.venues = [_Indexed(v, _compact(v), search_text=v.get("name", "").lower()) for v in dataset.venues]
        self.attractions = [
            _Indexed(a, _compact(a), search_text=a.get("name", "").lower(), names=_classification_names(a))
            for a in dataset.attractions
        ]
        self.classifications = [_Indexed(c, _compact(c)) for c in dataset.classifications]

    def reset_quota(self) -> None:
        """What midnight does to the real quota."""
        with self._lock:
            self.quota_used = 0
            self.quota_reset_ms = int(time.time() * 1000) + 24 * 3600 * 1000

    # -- lifecycle ------------------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        assert self._server is not None, "server not started"
        return f"http://127.0.0.1:{self._server.server_address[1]}{PREFIX}"

    def start(self) -> FakeDiscoveryAPI:
        handler = type("Handler", (_Handler,), {"api": self})
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="fake-discovery-api", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> FakeDiscoveryAPI:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- request handling -----------------------------------------------------------------------------

    def _fault_for(self, number: int, path: str, params: dict[str, str]) -> str | None:
        if self._faults is None:
            return None
        if callable(self._faults):
            return self._faults(number, path, params)
        return self._faults.get(number)

    def _rate_headers(self) -> dict[str, str]:
        return {
            "Rate-Limit": str(self.daily_quota),
            "Rate-Limit-Available": str(max(0, self.daily_quota - self.quota_used)),
            "Rate-Limit-Over": str(max(0, self.quota_used - self.daily_quota)),
            "Rate-Limit-Reset": str(self.quota_reset_ms),
        }

    def handle(self, raw_path: str, *, arrived: float | None = None) -> tuple[int, dict[str, str], bytes, str | None]:
        """(status, headers, body, fault) for one GET that ``arrived`` (default: now)."""
        now = self._clock() if arrived is None else arrived
        split = urlsplit(raw_path)
        params = dict(parse_qsl(split.query, keep_blank_values=True))
        key = params.pop("apikey", None)
        path = split.path[:-5] if split.path.endswith(".json") else split.path
        with self._lock:
            number = len(self.requests) + 1
            record = RequestRecord(now, path, params, 0)
            self.requests.append(record)
            fault = self._fault_for(number, path, params)
            if key == self.api_key and self._spike_arrest(now):
                fault = SPIKE_ARREST
            record.fault = fault
            status, headers, body = self._respond(now, key, path, params, fault)
            record.status = status
        return status, headers, body, fault

    def _spike_arrest(self, now: float) -> bool:
        """True if ``rate_limit`` requests already arrived within the second before ``now``.

        Every arrival counts, rejected or not: a client that keeps sending gets nothing through.
        """
        # Threads may record arrivals slightly out of order, so the window is counted, not assumed.
        del self._recent[: bisect.bisect_left(self._recent, now - 2.0)]
        window = bisect.bisect_right(self._recent, now) - bisect.bisect_right(self._recent, now - 1.0)
        bisect.insort(self._recent, now)
        return window >= self.rate_limit

    def _respond(
        self, now: float, key: str | None, path: str, params: dict[str, str], fault: str | None
    ) -> tuple[int, dict[str, str], bytes]:
        if key != self.api_key:
            return (
                401,
                {},
                _compact(
                    {"fault": {"faultstring": "Invalid ApiKey", "detail": {"errorcode": "oauth.v2.InvalidApiKey"}}}
                ),
            )
        if fault == SPIKE_ARREST:
            return (
                429,
                {},
                _compact(
                    {
                        "fault": {
                            "faultstring": f"Spike arrest violation. Allowed rate : MessageRate{{messagesPerPeriod="
                            f"{int(self.rate_limit)}, periodInMicroseconds=1000000, maxBurstMessageCount=1.0}}",
                            "detail": {"errorcode": "policies.ratelimit.SpikeArrestViolation"},
                        }
                    }
                ),
            )
        if self.quota_used >= self.daily_quota:
            # The real quota body echoes the key; clients must redact it.
            return (
                429,
                self._rate_headers(),
                _compact(
                    {
                        "fault": {
                            "faultstring": f"Rate limit quota violation. Quota limit  exceeded. Identifier : {key}",
                            "detail": {"errorcode": "policies.ratelimit.QuotaViolation"},
                        }
                    }
                ),
            )
        self.quota_used += 1
        if fault and fault.isdigit():
            return int(fault), {}, b"<html><body>Service Unavailable</body></html>"
        status, body = self._route(path, params)
        headers = self._rate_headers() if status == 200 else {}
        return status, headers, body

    def _route(self, path: str, params: dict[str, str]) -> tuple[int, bytes]:
        if not path.startswith(PREFIX + "/"):
            return 404, _error("DIS1001", "Resource not found", "404")
        parts = path[len(PREFIX) + 1 :].split("/")
        collections = {
            "events": self.events,
            "venues": self.venues,
            "attractions": self.attractions,
            "classifications": self.classifications,
        }
        if parts[0] not in collections:
            return 404, _error("DIS1001", "Resource not found", "404")
        items = collections[parts[0]]
        if len(parts) == 2:
            for item in items:
                if item.obj.get("id") == parts[1] or item.obj.get("segment", {}).get("id") == parts[1]:
                    return 200, item.raw
            return 404, _error(
                "DIS1004", f"Resource not found with provided criteria (locale=en-us, id={parts[1]})", "404"
            )
        if len(parts) != 1:
            return 404, _error("DIS1001", "Resource not found", "404")
        for name in DATE_PARAMS:
            if name in params and not _DATE_RE.match(params[name]):
                return 400, _error(
                    "DIS1015",
                    "Query param with date must be of valid format "
                    "YYYY-MM-DDTHH:mm:ssZ {example: 2020-08-01T14:00:00Z }",
                )
        try:
            size = int(params.get("size", "20"))
            page = int(params.get("page", "0"))
        except ValueError:
            return 400, _error("DIS1016", "Query param size and page must be numbers")
        if size > self.max_size:
            return 400, _error("DIS1036", f'Query param "size" must be less than {self.max_size}')
        if size < 1 or page < 0:
            return 400, _error("DIS1016", "Query param size and page must be positive")
        if page * size >= self.max_depth:
            return 400, _error(
                "DIS1035", "API Limits Exceeded: Max paging depth exceeded. (page * size) must be less than 1,000"
            )
        matches = self._search(parts[0], items, params)
        return 200, self._page_body(parts[0], path, params, matches, page, size)

    def _search(self, resource: str, items: list[_Indexed], params: dict[str, str]) -> list[_Indexed]:
        ids = set(filter(None, params.get("id", "").split(",")))
        keyword = params.get("keyword", "").lower()
        classes = {c.strip().lower() for c in params.get("classificationName", "").split(",") if c.strip()}
        class_ids = {
            c.strip().lower()
            for k in ("classificationId", "segmentId")
            for c in params.get(k, "").split(",")
            if c.strip()
        }
        out = []
        if resource != "events":
            for item in items:
                if ids and item.obj.get("id") not in ids:
                    continue
                if keyword and keyword not in item.search_text:
                    continue
                if classes and not (classes & item.names):
                    continue
                out.append(item)
            return out
        start = _parse(params.get("startDateTime"))
        end = _parse(params.get("endDateTime"))
        dated = start is not None or end is not None
        tba = params.get("includeTBA", "no" if dated else "yes").lower()
        tbd = params.get("includeTBD", "no" if dated else "yes").lower()
        if "only" not in (tba, tbd) and items is self.events:
            lo = bisect.bisect_left(self._instants, start) if start is not None else 0
            hi = bisect.bisect_right(self._instants, end) if end is not None else len(self._instants)
            items = items[lo:hi] + items[len(self._instants) :]
        for item in items:
            event = item.obj
            if ids and event.get("id") not in ids:
                continue
            if tba == "only" or tbd == "only":
                if not ((tba == "only" and item.tba) or (tbd == "only" and item.tbd)):
                    continue
            elif item.instant is None:
                if (item.tba and tba != "yes") or (item.tbd and tbd != "yes") or not (item.tba or item.tbd):
                    continue
            else:
                if start is not None and item.instant < start:
                    continue
                if end is not None and item.instant > end:
                    continue
            if not _venue_matches(event, params):
                continue
            if keyword and keyword not in item.search_text:
                continue
            if classes and not (classes & item.names):
                continue
            if class_ids and not (class_ids & item.names):
                continue
            if "attractionId" in params and params["attractionId"] not in {
                a.get("id") for a in event.get("_embedded", {}).get("attractions", [])
            }:
                continue
            out.append(item)
        sort = params.get("sort", "relevance,desc")
        if sort.startswith("name"):
            out.sort(key=lambda i: (i.obj.get("name", ""), i.obj.get("id", "")), reverse=sort.endswith("desc"))
        elif sort.startswith("id"):
            out.sort(key=lambda i: i.obj.get("id", ""))
        elif sort == "date,desc":
            out.reverse()
        return out

    def _page_body(
        self, resource: str, path: str, params: dict[str, str], matches: list[_Indexed], page: int, size: int
    ) -> bytes:
        total = min(len(matches), self.max_total)  # the API never reports more
        total_pages = (total + size - 1) // size
        chunk = matches[page * size : (page + 1) * size]
        base = {k: v for k, v in params.items() if k not in ("page", "size")}

        def href(number: int) -> dict[str, str]:
            query = urlencode({**base, "page": number, "size": size})
            return {"href": f"{path}?{query}"}

        links: dict[str, Any] = {"first": href(0), "self": href(page)}
        if page > 0:
            links["prev"] = href(page - 1)
        if page + 1 < total_pages:
            links["next"] = href(page + 1)
        links["last"] = href(max(0, total_pages - 1))
        tail = _compact(
            {"_links": links, "page": {"size": size, "totalElements": total, "totalPages": total_pages, "number": page}}
        )
        if not chunk:
            return tail
        embedded = b'{"_embedded":{"' + resource.encode() + b'":[' + b",".join(i.raw for i in chunk) + b"]},"
        return embedded + tail[1:]


def _venue_matches(event: dict[str, Any], params: dict[str, str]) -> bool:
    venues = event.get("_embedded", {}).get("venues", [])
    checks = {
        "countryCode": lambda v: v.get("country", {}).get("countryCode"),
        "stateCode": lambda v: v.get("state", {}).get("stateCode"),
        "city": lambda v: (v.get("city", {}).get("name") or "").strip(),
        "postalCode": lambda v: v.get("postalCode"),
        "venueId": lambda v: v.get("id"),
    }
    for name, getter in checks.items():
        if name in params:
            wanted = params[name].lower()
            if not any(str(getter(v) or "").lower() == wanted for v in venues):
                return False
    if "dmaId" in params and not any(str(d.get("id")) == params["dmaId"] for v in venues for d in v.get("dmas", [])):
        return False
    return not (
        "marketId" in params
        and not any(str(m.get("id")) == params["marketId"] for v in venues for m in v.get("markets", []))
    )


def _parse(text: str | None) -> datetime | None:
    return datetime.strptime(text, API_DATE_FORMAT).replace(tzinfo=UTC) if text else None


def _error(code: str, detail: str, status: str = "400 BAD_REQUEST") -> bytes:
    return _compact(
        {
            "errors": [
                {
                    "_links": {"about": {"href": f"/discovery/v2/errors.html#{code}"}},
                    "code": code,
                    "detail": detail,
                    "status": status,
                }
            ]
        }
    )


# Linux stamps each received packet with its arrival time when a socket asks (SO_TIMESTAMPNS; the socket
# module has no name for it). Arrivals are then exact however late the handler thread gets to run.
_SO_TIMESTAMPNS = 35


class _Handler(BaseHTTPRequestHandler):
    api: FakeDiscoveryAPI
    protocol_version = "HTTP/1.1"
    rbufsize = 0  # unbuffered reads: the next request stays in the socket, where its arrival is stamped
    arrived: float | None = None

    def setup(self) -> None:
        super().setup()
        self._stamped = False
        if sys.platform.startswith("linux") and self.api._clock is time.monotonic:
            try:
                self.connection.setsockopt(socket.SOL_SOCKET, _SO_TIMESTAMPNS, 1)
                self._stamped = True
            except OSError:
                pass

    def handle_one_request(self) -> None:
        self.arrived = self._arrival()
        super().handle_one_request()

    def _arrival(self) -> float | None:
        """When the next request's first byte reached this machine, on the monotonic clock (waits for it)."""
        if not self._stamped:
            return None
        try:
            _, ancillary, _, _ = self.connection.recvmsg(1, socket.CMSG_SPACE(16), socket.MSG_PEEK)
        except OSError:
            return None
        now, now_real_ns = time.monotonic(), time.time_ns()
        for level, kind, payload in ancillary:
            if level == socket.SOL_SOCKET and kind == _SO_TIMESTAMPNS and len(payload) >= 16:
                seconds, nanoseconds = struct.unpack("qq", payload[:16])
                return now - (now_real_ns - (seconds * 10**9 + nanoseconds)) / 1e9
        return None

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - signature fixed by the base
        pass  # request lines carry the key

    def do_GET(self) -> None:  # noqa: N802 - name fixed by the base class
        arrived = self.arrived if self.arrived is not None else time.monotonic()
        status, headers, body, fault = self.api.handle(self.path, arrived=self.arrived)
        if status not in (401, 429):  # the gateway refuses those at once; the rest take the API's time
            time.sleep(max(0.0, arrived + self.api.latency_s - time.monotonic()))
        try:
            if fault == "reset":
                self.close_connection = True
                return
            if fault == "timeout":
                time.sleep(self.api.slow_response_s)
            content_type = "application/hal+json;charset=utf-8" if status == 200 else "application/json"
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            for name, value in headers.items():
                self.send_header(name, value)
            if fault == "truncate_nolength":
                self.send_header("Connection", "close")
                self.end_headers()
                self.wfile.write(body[: len(body) // 2])
                self.close_connection = True
                return
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if fault == "truncate":
                self.wfile.write(body[: len(body) // 2])
                self.wfile.flush()
                self.close_connection = True
                return
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True


class FakeDiscoveryAPIProcess(RequestLog):
    """The fake API in a child process, as the real one is on another machine.

    In the client's own process the fake's work (building pages, garbage collection over its dataset)
    would hold up the client and delay the fake's own record of arrivals; apart, both keep their own
    time. The dataset is generated in the child from ``FakeDataset.generated`` arguments; other options
    are those of ``FakeDiscoveryAPI`` that JSON can carry. The request log arrives when the server stops
    (``requests`` is empty until then); arrival times are ``time.monotonic``, the system's monotonic
    clock, so they compare with the parent's.
    """

    def __init__(self, generated: dict[str, Any], *, startup_timeout_s: float = 120.0, **api_options: Any) -> None:
        spec = {k: v.isoformat() if isinstance(v, datetime) else v for k, v in generated.items()}
        self._spec = json.dumps({"generated": spec, "options": api_options})
        self._startup_timeout_s = startup_timeout_s
        self.requests: list[RequestRecord] = []
        self.base_url = ""
        self._process: subprocess.Popen[str] | None = None

    def start(self) -> FakeDiscoveryAPIProcess:
        command = [sys.executable, "-c", "from fakes.discovery_api import _serve_child; _serve_child()"]
        # From the checkout, where `fakes` is importable whatever the caller's directory.
        checkout = Path(__file__).resolve().parents[1]
        self._process = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=checkout
        )
        assert self._process.stdin is not None and self._process.stdout is not None
        self._process.stdin.write(self._spec + "\n")
        self._process.stdin.flush()
        ready, _, _ = select.select([self._process.stdout], [], [], self._startup_timeout_s)
        line = self._process.stdout.readline().strip() if ready else ""
        if not line.startswith("http://"):
            self.stop()
            raise RuntimeError("the fake API process did not start")
        self.base_url = line
        return self

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        try:
            out, _ = process.communicate("stop\n", timeout=60)
            records = json.loads(out) if out.strip() else []
            self.requests = [RequestRecord(*fields) for fields in records]
        except (subprocess.TimeoutExpired, ValueError, OSError):
            process.kill()
            process.wait()

    def __enter__(self) -> FakeDiscoveryAPIProcess:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _serve_child() -> None:
    """The child side of ``FakeDiscoveryAPIProcess``: spec on stdin, base URL out, "stop" in, log out."""
    import gc

    spec = json.loads(sys.stdin.readline())
    generated = spec["generated"]
    for name in ("start", "end"):
        generated[name] = datetime.fromisoformat(generated[name])
    api = FakeDiscoveryAPI(FakeDataset.generated(**generated), **spec["options"])
    # The dataset lives as long as the process: keep it out of the collector's full passes.
    gc.collect()
    gc.freeze()
    with api:
        print(api.base_url, flush=True)
        sys.stdin.readline()
    print(json.dumps([(r.at, r.path, r.params, r.status, r.fault) for r in api.requests]), flush=True)
