"""Ingest against the local fake Discovery API at the real rate limit, at several answer times.

One day of events is pulled once per latency. The fake API runs in its own process, as the real one is
on another machine; it enforces the rolling-second spike arrest and strict paging and records every
request on arrival. Reported per latency: requests per second over the whole pull (from calling
``ingest`` to its return) as a share of the limit; the same between the first and the last request's
arrival (the pull minus the wait for the first answer, which decides how to split the day, and for
the last one); the share of requests answered 429; and the most requests the fake saw in any rolling
second. Each pull must land every event exactly once.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

DEFAULT_LATENCIES = (0.0, 0.4, 0.8, 1.0)


def _landed_event_ids(landing: Path) -> list[str]:
    return [
        json.loads(line)["id"]
        for path in (landing / "events").rglob("*.json")
        for line in path.read_text(encoding="utf-8").splitlines()
    ]


def bench_ingest(events: int, rate_limit: float, latencies: tuple[float, ...] = DEFAULT_LATENCIES) -> dict:
    """Pull ``events`` events of one day once per latency; figures per latency."""
    from fakes.discovery_api import FakeDiscoveryAPIProcess
    from ingest import IngestSettings, Scope, ingest

    day = datetime(2026, 3, 1, tzinfo=UTC)
    day_end = day + timedelta(days=1) - timedelta(seconds=1)
    dataset = {"events": events, "start": day, "end": day_end, "undated_share": 0.0}
    runs = []
    for latency in latencies:
        landing = Path(tempfile.mkdtemp(prefix="bench-ingest-", dir=os.environ.get("TMPDIR")))
        try:
            api = FakeDiscoveryAPIProcess(
                dataset, api_key="bench-key", rate_limit=rate_limit, daily_quota=10**6, latency_s=latency
            )
            with api:
                settings = IngestSettings(
                    base_url=api.base_url, api_key="bench-key", rate_limit=rate_limit, progress=False
                )
                started = time.perf_counter()
                report = ingest(str(landing), Scope(start=day, end=day_end), settings=settings)
                seconds = time.perf_counter() - started
            ids = _landed_event_ids(landing)
        finally:
            shutil.rmtree(landing, ignore_errors=True)
        if not report.complete or len(ids) != len(set(ids)) or len(ids) != events:
            raise RuntimeError(
                f"ingest at {latency}s latency did not land {events:,} events exactly once: {report.summary()}"
            )
        requests_per_s = len(api.requests) / seconds
        arrivals = sorted(r.at for r in api.requests)
        sending_s = arrivals[-1] - arrivals[0]
        runs.append(
            {
                "latency_s": latency,
                "requests": len(api.requests),
                "seconds": round(seconds, 2),
                "events_per_s": round(events / seconds, 1),
                "requests_per_s": round(requests_per_s, 2),
                "fraction_of_limit": round(requests_per_s / rate_limit, 3),
                "fraction_while_sending": round((len(arrivals) - 1) / sending_s / rate_limit, 3),
                "share_429": round(api.share_rate_limited(), 4),
                "max_in_rolling_second": api.max_requests_in_any_second(),
            }
        )
    return {"events": events, "rate_limit": rate_limit, "max_in_flight": IngestSettings().max_in_flight, "runs": runs}


def print_ingest(result: dict) -> None:
    print(
        f"\ningest of {result['events']:,} events of one day from the local fake API "
        f"(limit {result['rate_limit']:g}/s, up to {result['max_in_flight']} requests in flight):"
    )
    print("latency s  requests  seconds  requests/s  share of limit  while sending  answered 429  most in 1 s")
    for run in result["runs"]:
        print(
            f"{run['latency_s']:>9.1f}  {run['requests']:>8}  {run['seconds']:>7.2f}  {run['requests_per_s']:>10.2f}  "
            f"{run['fraction_of_limit']:>14.1%}  {run['fraction_while_sending']:>13.1%}  {run['share_429']:>12.1%}  "
            f"{run['max_in_rolling_second']:>11}"
        )
