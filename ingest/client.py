"""HTTP client for the Discovery API: pacing, retries, and the API's failure modes.

Failure handling, from the API's documented and observed behaviour:
- 401: the key is wrong; retrying cannot help, so stop at once.
- 429 ``SpikeArrestViolation``: we went too fast; wait and retry.
- 429 ``QuotaViolation``: the daily quota is spent; stop and report when it resets (Rate-Limit-Reset).
- 5xx, timeouts, dropped connections, truncated bodies: transient; retry with capped exponential
  backoff and jitter.
- other 4xx (400 DIS1035 deep paging, DIS1015 date format, 404): a request we should not have made;
  raised as ApiError for the caller to decide.
"""

from __future__ import annotations

import json
import logging
import random
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

import requests
import requests.adapters
import urllib3
import urllib3.connection

from ingest.config import UTC, IngestSettings
from ingest.errors import IngestError
from ingest.gcpause import collector_paused
from ingest.ratelimit import RateLimiter
from ingest.redact import Redactor

log = logging.getLogger("ingest.client")
T = TypeVar("T")


class _RedactingFilter(logging.Filter):
    """Redacts records of loggers we do not own (urllib3 logs request URLs, key included, at DEBUG)."""

    def __init__(self, redact: Redactor) -> None:
        super().__init__()
        self.redact = redact

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = self.redact(record.getMessage())
        record.args = None
        return True


def _guard_third_party_logs(redact: Redactor) -> None:
    for name in ("urllib3.connectionpool", "requests"):
        logger = logging.getLogger(name)
        for existing in [f for f in logger.filters if isinstance(f, _RedactingFilter)]:
            logger.removeFilter(existing)
        logger.addFilter(_RedactingFilter(redact))


class ApiKeyRejected(IngestError):
    pass


class QuotaExhausted(IngestError):
    def __init__(self, message: str, reset_at: datetime | None) -> None:
        super().__init__(message)
        self.reset_at = reset_at


class ApiError(IngestError):
    def __init__(self, message: str, status: int, code: str | None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code


class RetriesExhausted(IngestError):
    pass


_QUOTA_LOCK = threading.Lock()


@dataclass
class QuotaState:
    limit: int | None = None
    available: int | None = None
    reset_at: datetime | None = None

    def update(self, headers: Any) -> None:
        with _QUOTA_LOCK:
            self._update(headers)

    def _update(self, headers: Any) -> None:
        def number(name: str) -> int | None:
            value = headers.get(name)
            try:
                return int(str(value).strip()) if value is not None else None
            except ValueError:
                return None

        self.limit = number("Rate-Limit") if headers.get("Rate-Limit") is not None else self.limit
        available = number("Rate-Limit-Available")
        if available is not None:
            self.available = available
        reset = number("Rate-Limit-Reset")
        if reset is not None:
            self.reset_at = datetime.fromtimestamp(reset / 1000, tz=UTC)


class _Retry(Exception):
    """Internal: a transient failure worth another attempt."""

    def __init__(self, message: str, *, spike: bool = False) -> None:
        super().__init__(message)
        self.spike = spike


def _json_object(text: str) -> dict[str, Any]:
    body = json.loads(text)
    if not isinstance(body, dict):
        raise ValueError("not a JSON object")
    return body


def _fault_code(body: Any) -> str:
    if isinstance(body, dict):
        fault = body.get("fault")
        if isinstance(fault, dict):
            detail = fault.get("detail")
            if isinstance(detail, dict):
                return str(detail.get("errorcode", ""))
    return ""


def _error_code(body: Any) -> tuple[str | None, str]:
    if isinstance(body, dict) and isinstance(body.get("errors"), list) and body["errors"]:
        first = body["errors"][0]
        if isinstance(first, dict):
            return first.get("code"), str(first.get("detail", ""))
    if isinstance(body, dict) and isinstance(body.get("fault"), dict):
        return _fault_code(body) or None, str(body["fault"].get("faultstring", ""))
    return None, ""


class Cancelled(IngestError):
    """Raised in a request that was still waiting when the run stopped (``DiscoveryClient.cancel``)."""


# The pacing wants to know when a request has actually left, not when its thread was let go: the
# connections below report the moment the request is written to the socket, before the answer.
_sending = threading.local()


def _request_written() -> None:
    callback = getattr(_sending, "callback", None)
    if callback is not None:
        callback()


class _ReportingHTTPConnection(urllib3.connection.HTTPConnection):
    def request(self, *args: Any, **kwargs: Any) -> None:
        super().request(*args, **kwargs)
        _request_written()


class _ReportingHTTPSConnection(urllib3.connection.HTTPSConnection):
    def request(self, *args: Any, **kwargs: Any) -> None:
        super().request(*args, **kwargs)
        _request_written()


class _ReportingHTTPPool(urllib3.HTTPConnectionPool):
    ConnectionCls = _ReportingHTTPConnection


class _ReportingHTTPSPool(urllib3.HTTPSConnectionPool):
    ConnectionCls = _ReportingHTTPSConnection


_REPORTING_POOLS = {"http": _ReportingHTTPPool, "https": _ReportingHTTPSPool}


class _ReportingAdapter(requests.adapters.HTTPAdapter):
    """requests' adapter with connections that say when a request has been written."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = _REPORTING_POOLS

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:
        manager = super().proxy_manager_for(proxy, **proxy_kwargs)
        if type(manager) is urllib3.ProxyManager:  # SOCKS proxies keep their own pools
            manager.pool_classes_by_scheme = _REPORTING_POOLS
        return manager


class DiscoveryClient:
    """Thread-safe: requests from several threads share the pacing, the counters and the quota state.

    Each thread gets its own ``requests.Session`` (sessions are not meant to be shared across threads),
    so each keeps its own connection alive; a session passed in is used by every thread as it is.
    """

    def __init__(
        self,
        settings: IngestSettings,
        *,
        session: requests.Session | None = None,
        sleep: Callable[[float], None] | None = None,
        rng: random.Random | None = None,
    ) -> None:
        self.settings = settings
        self._key = settings.resolved_api_key()
        self.redact = Redactor(self._key)
        _guard_third_party_logs(self.redact)
        self._shared_session = session
        if session is not None:
            session.headers.setdefault("User-Agent", settings.user_agent)
            self._mount(session)
        self._local = threading.local()
        self._sessions: list[requests.Session] = []
        self._stop = threading.Event()
        self._sleep = sleep or self._wait_unless_cancelled
        self._rng = rng or random.Random()
        self._lock = threading.Lock()
        self.limiter = RateLimiter(settings.rate_limit, margin_s=settings.rate_margin_s, sleep=self._sleep)
        self.quota = QuotaState()
        self.requests_made = 0
        self.retries = 0
        self.spike_arrests = 0

    def _wait_unless_cancelled(self, seconds: float) -> None:
        if self._stop.wait(seconds):
            raise Cancelled("cancelled")

    def cancel(self) -> None:
        """Make requests still waiting for their turn or a retry give up (in-flight ones finish)."""
        self._stop.set()

    def _session(self) -> requests.Session:
        if self._shared_session is not None:
            return self._shared_session
        session = getattr(self._local, "session", None)
        if session is None:
            session = requests.Session()
            session.headers["User-Agent"] = self.settings.user_agent
            self._mount(session)
            self._local.session = session
            with self._lock:
                self._sessions.append(session)
        return session

    @staticmethod
    def _mount(session: requests.Session) -> None:
        for prefix in ("http://", "https://"):
            session.mount(prefix, _ReportingAdapter())

    def close(self) -> None:
        with self._lock:
            sessions, self._sessions = self._sessions, []
        for session in sessions:
            session.close()
        if self._shared_session is not None:
            self._shared_session.close()

    def url(self, resource: str) -> str:
        return f"{self.settings.base_url.rstrip('/')}/{resource.lstrip('/')}"

    def _backoff(self, attempt: int) -> float:
        ceiling = min(self.settings.backoff_cap_s, self.settings.backoff_base_s * (2**attempt))
        # "Equal jitter": at least half the ceiling, so retries do back off, but spread out.
        with self._lock:
            return ceiling / 2 + self._rng.uniform(0, ceiling / 2)

    def get(self, resource: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        """GET ``<base>/<resource>`` and return the decoded JSON body."""
        return self.get_as(resource, params, _json_object)

    def get_as(self, resource: str, params: dict[str, Any] | None, read: Callable[[str], T]) -> T:
        """GET ``<base>/<resource>`` and return what ``read`` makes of the text of a 200 answer.

        ``read`` raises ``ValueError`` for a body that is not a whole JSON object (retried like a cut
        off answer). It runs with the garbage collector paused: a large body reduced to what the caller
        keeps never burdens the collector (see ``gcpause``).
        """
        query = {k: v for k, v in (params or {}).items() if v is not None}
        failures = 0
        spikes = 0
        while True:
            if self._stop.is_set():
                raise Cancelled("cancelled")
            try:
                return self._attempt(resource, query, read)
            except _Retry as exc:
                reason = self.redact(exc)
                if exc.spike:
                    spikes += 1
                    with self._lock:
                        self.spike_arrests += 1
                    if spikes > self.settings.max_spike_retries:
                        raise RetriesExhausted(
                            f"GET {resource}: still rate-limited after {spikes - 1} retries ({reason})"
                        ) from None
                    self.limiter.arrested()  # holds every request and widens the spacing for a while
                    delay = 2 * self.limiter.interval
                else:
                    failures += 1
                    if failures > self.settings.max_retries:
                        raise RetriesExhausted(
                            f"GET {resource}: gave up after {failures - 1} retries ({reason})"
                        ) from None
                    delay = self._backoff(failures - 1)
                    self._sleep(delay)
                with self._lock:
                    self.retries += 1
                log.info("retrying GET %s in %.2fs: %s", resource, delay, reason)

    def _attempt(self, resource: str, query: dict[str, Any], read: Callable[[str], T]) -> T:
        session = self._session()
        try:
            # Everything but the send happens before the turn is taken, so the request leaves at its slot.
            prepared = session.prepare_request(
                requests.Request(
                    "GET",
                    self.url(resource),
                    params={**query, "apikey": self._key},
                    headers={"Accept": "application/json"},
                )
            )
            # Proxies and CA bundle depend on the scheme and host only: the URL without its query will do.
            options = session.merge_environment_settings(self.url(resource), {}, None, None, None)
        except requests.RequestException as exc:
            raise IngestError(f"GET {resource}: {self.redact(exc)}") from None
        self.limiter.wait_turn()
        with self._lock:
            self.requests_made += 1
        _sending.callback = self.limiter.sent
        try:
            resp = session.send(prepared, timeout=self.settings.timeout_s, allow_redirects=True, **options)
            body_bytes = resp.content  # reading here surfaces truncated bodies as exceptions
        except requests.Timeout as exc:
            raise _Retry(f"timeout: {self.redact(exc)}") from None
        except (
            requests.ConnectionError,
            requests.exceptions.ChunkedEncodingError,
            requests.exceptions.ContentDecodingError,
        ) as exc:
            raise _Retry(f"connection: {self.redact(exc)}") from None
        except requests.RequestException as exc:
            raise IngestError(f"GET {resource}: {self.redact(exc)}") from None
        finally:
            _sending.callback = None
            self.limiter.sent()  # passes the turn on if the request never reached the socket
        self.quota.update(resp.headers)
        status = resp.status_code
        if status != 429:
            self.limiter.accepted()
        if status == 200:
            with collector_paused():
                try:
                    return read(body_bytes.decode("utf-8"))
                except ValueError:  # UnicodeDecodeError and JSONDecodeError included
                    raise _Retry(f"200 without a whole JSON object body ({len(body_bytes)} bytes)") from None
        try:
            body = json.loads(body_bytes.decode("utf-8")) if body_bytes else None
        except ValueError:
            if status >= 500:
                raise _Retry(f"{status} with an incomplete or invalid JSON body ({len(body_bytes)} bytes)") from None
            body = None
        code, detail = _error_code(body)
        detail = self.redact(detail)
        if status == 401:
            raise ApiKeyRejected(
                "the Ticketmaster API rejected the API key "
                f"(401 {detail or 'Invalid ApiKey'}); check TICKETMASTER_API_KEY"
            )
        if status == 429:
            fault = _fault_code(body)
            if "QuotaViolation" in fault or (not fault and self.quota.available == 0):
                reset = self.quota.reset_at
                when = f"; it resets at {reset:%Y-%m-%d %H:%M:%S} UTC" if reset else ""
                raise QuotaExhausted(f"daily API quota exhausted (429 {fault or 'quota'}){when}", reset)
            raise _Retry(f"spike arrest (429 {fault or 'rate limit'})", spike=True)
        if status >= 500 or status == 408:
            raise _Retry(f"server error {status}")
        raise ApiError(f"GET {resource} failed: {status} {code or ''} {detail}".strip(), status, code)
