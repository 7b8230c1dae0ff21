"""What to ingest (Scope) and how (IngestSettings)."""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass, field, fields
from datetime import date, datetime, time, timedelta, timezone

DEFAULT_BASE_URL = "https://app.ticketmaster.com/discovery/v2"
# datetime.UTC needs Python 3.11; the project supports 3.10.
UTC = timezone(timedelta(0))
API_DATE_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


def format_api_date(moment: datetime) -> str:
    """The only date format the API accepts (anything else is 400 DIS1015)."""
    return moment.astimezone(UTC).strftime(API_DATE_FORMAT)


def parse_api_date(text: str) -> datetime:
    return datetime.strptime(text, API_DATE_FORMAT).replace(tzinfo=UTC)


DATE_FORMS = "YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ"


def parse_moment(value: datetime | date | str, *, end: bool = False, label: str = "date") -> datetime:
    """A scope bound as an aware UTC datetime, whole seconds.

    A bare date is a whole day: as a start it means 00:00:00, as an (inclusive) end 23:59:59 of that
    day. A time without a zone is UTC, as in the API. Anything else raises ValueError saying what to type.
    """
    if isinstance(value, str):
        text = value.strip()
        try:
            if len(text) == 10:
                value = date.fromisoformat(text)
            else:
                value = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
        except ValueError as exc:
            raise ValueError(f"{label} {value!r} is not a valid date or time ({exc}); use {DATE_FORMS}") from None
    if not isinstance(value, datetime):  # a date
        value = datetime.combine(value, time(23, 59, 59) if end else time(0, 0, 0))
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).replace(microsecond=0)


@dataclass(frozen=True)
class Scope:
    """Filters of the events search. ``start``/``end`` bound the event start time, both inclusive; a bare
    date as ``end`` includes that whole day.

    Events whose date is TBA/TBD have no start time and are outside any date window; set
    ``include_undated`` to also pull them (two extra searches, ``includeTBA=only`` and ``includeTBD=only``).
    """

    start: datetime | date | str
    end: datetime | date | str
    country_code: str | None = None
    state_code: str | None = None
    city: str | None = None
    postal_code: str | None = None
    dma_id: str | None = None
    market_id: str | None = None
    classification_name: str | None = None
    classification_id: str | None = None
    segment_id: str | None = None
    venue_id: str | None = None
    attraction_id: str | None = None
    keyword: str | None = None
    source: str | None = None
    locale: str | None = None
    include_undated: bool = False

    def __post_init__(self) -> None:
        start = parse_moment(self.start, label="start")
        end = parse_moment(self.end, end=True, label="end")
        if end < start:
            raise ValueError(f"end {format_api_date(end)} is before start {format_api_date(start)}")
        object.__setattr__(self, "start", start)
        object.__setattr__(self, "end", end)

    @property
    def start_dt(self) -> datetime:
        assert isinstance(self.start, datetime)
        return self.start

    @property
    def end_dt(self) -> datetime:
        assert isinstance(self.end, datetime)
        return self.end

    def filter_params(self) -> dict[str, str]:
        """Search parameters other than the date window, in API spelling."""
        names = {
            "country_code": "countryCode",
            "state_code": "stateCode",
            "city": "city",
            "postal_code": "postalCode",
            "dma_id": "dmaId",
            "market_id": "marketId",
            "classification_name": "classificationName",
            "classification_id": "classificationId",
            "segment_id": "segmentId",
            "venue_id": "venueId",
            "attraction_id": "attractionId",
            "keyword": "keyword",
            "source": "source",
            "locale": "locale",
        }
        return {api: str(getattr(self, attr)) for attr, api in names.items() if getattr(self, attr)}

    def to_json(self) -> dict[str, object]:
        data = asdict(self)
        data["start"] = format_api_date(self.start_dt)
        data["end"] = format_api_date(self.end_dt)
        return {k: v for k, v in data.items() if v not in (None, False)}

    def key(self) -> str:
        """Short stable id of the scope; a restarted ingest of the same scope resumes its batch."""
        canonical = json.dumps(self.to_json(), sort_keys=True)
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:12]


@dataclass
class IngestSettings:
    """How to talk to the API. Defaults are the real API's limits; tests shrink the waits."""

    base_url: str = field(default_factory=lambda: os.environ.get("TICKETMASTER_BASE_URL") or DEFAULT_BASE_URL)
    api_key: str | None = None  # None: read TICKETMASTER_API_KEY when the client starts
    rate_limit: float = 5.0  # requests per second, never exceeded
    # Added to the 1/rate spacing so jitter between our clock and the server's cannot look like a burst.
    rate_margin_s: float = 0.005
    # Requests under way at once. The API takes about a second to answer a full page, so keeping 5/s
    # busy needs ~5 in flight; more leaves room for slower answers (waiting ones only queue for a slot).
    max_in_flight: int = 10
    page_size: int = 200
    max_depth: int = 1000  # page * size must stay below this (deep-paging limit, DIS1035)
    id_batch_size: int = 50  # ids per venues/attractions request; keeps URLs short
    timeout_s: float = 30.0
    max_retries: int = 6  # per request, for 5xx, timeouts, truncated bodies
    max_spike_retries: int = 20  # per request, for 429 spike arrests (they are expected under load)
    backoff_base_s: float = 1.0
    backoff_cap_s: float = 60.0
    sort: str = "date,asc"
    progress: bool | None = None  # None: only when stderr is a terminal
    resume: bool = True  # continue the scope's unfinished batch instead of starting a new one
    user_agent: str = "ticketmaster-lakehouse-ingest/0.1"

    def resolved_api_key(self) -> str:
        key = self.api_key or os.environ.get("TICKETMASTER_API_KEY", "")
        if not key:
            raise MissingApiKey("no API key: set TICKETMASTER_API_KEY (on Databricks, from a secret scope)")
        return key

    def public(self) -> dict[str, object]:
        """Settings without the key, for manifests and logs."""
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "api_key"}


class MissingApiKey(RuntimeError):
    pass
