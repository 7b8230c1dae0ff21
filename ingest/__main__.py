"""``lakehouse ingest`` (or ``python -m ingest``): pull a scope of the Discovery API into a landing folder."""

from __future__ import annotations

import argparse
import logging
import sys
from datetime import datetime, timedelta

from ingest.client import ApiKeyRejected
from ingest.config import DATE_FORMS, DEFAULT_BASE_URL, UTC, IngestSettings, MissingApiKey, Scope, parse_moment
from ingest.errors import IngestError
from ingest.pipeline import ingest
from ingest.sample import land_sample

EXIT_OK, EXIT_ERROR, EXIT_KEY, EXIT_QUOTA = 0, 1, 2, 3


def build_parser(prog: str = "lakehouse ingest") -> argparse.ArgumentParser:
    today = datetime.now(UTC).date()
    parser = argparse.ArgumentParser(
        prog=prog,
        description="Land Ticketmaster Discovery API events, venues, attractions and classifications as "
        "NDJSON under <landing>/<entity>/YYYY/MM/DD/. The API key is read from "
        "TICKETMASTER_API_KEY; the API from TICKETMASTER_BASE_URL "
        f"(default {DEFAULT_BASE_URL}). Re-running an interrupted scope resumes it.",
        epilog="Exit codes: 0 complete, 1 error (the API kept failing, or the landing folder cannot be "
        "written), 2 API key missing or rejected, 3 daily quota exhausted (run again after the reset to resume).",
    )
    parser.add_argument("--landing", required=True, help="landing root: a folder or /Volumes/<c>/<s>/<v>/...")
    parser.add_argument(
        "--start",
        default=today.isoformat(),
        help=f"earliest event start, {DATE_FORMS} (UTC; a date means from its 00:00:00; default today)",
    )
    parser.add_argument(
        "--end",
        help="latest event start, inclusive: a date includes that whole day (default: 30 days from the start)",
    )
    scope = parser.add_argument_group("scope filters (as in the events search)")
    for flag, help_text in (
        ("--country-code", "ISO country, e.g. US"),
        ("--state-code", "e.g. NV"),
        ("--city", "city name"),
        ("--postal-code", "postal code"),
        ("--dma-id", "designated market area id"),
        ("--market-id", "market id"),
        ("--classification-name", "segment/genre/sub-genre name, e.g. Music"),
        ("--classification-id", "classification id"),
        ("--segment-id", "segment id"),
        ("--venue-id", "venue id"),
        ("--attraction-id", "attraction id"),
        ("--keyword", "free-text keyword"),
        ("--source", "ticketmaster, universe, ..."),
        ("--locale", "locale, e.g. en-us"),
    ):
        scope.add_argument(flag, help=help_text)
    scope.add_argument(
        "--include-undated",
        action="store_true",
        help="also pull events whose date is TBA/TBD (they fall outside any date window)",
    )
    tuning = parser.add_argument_group("tuning")
    tuning.add_argument("--rate-limit", type=float, default=5.0, help="requests per second (default 5)")
    tuning.add_argument("--page-size", type=int, default=200, help="page size (API maximum 200)")
    tuning.add_argument(
        "--max-in-flight",
        type=int,
        default=IngestSettings.max_in_flight,
        help="requests under way at once; they still leave 1/rate apart (default %(default)s)",
    )
    tuning.add_argument(
        "--new-batch", action="store_true", help="start a new batch even if the last one for this scope did not finish"
    )
    tuning.add_argument(
        "--progress",
        choices=("auto", "on", "off"),
        default="auto",
        help="progress line on stderr (auto: only on a terminal)",
    )
    tuning.add_argument(
        "--sample", type=int, metavar="N", help="offline: land N generated events instead of calling the API"
    )
    tuning.add_argument("-v", "--verbose", action="store_true", help="log retries and window splits")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s"
    )
    if args.sample is not None:
        try:
            print(land_sample(args.landing, events=args.sample).summary())
        except IngestError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return EXIT_ERROR
        return EXIT_OK
    try:
        start = parse_moment(args.start, label="--start")
        end = (
            parse_moment(args.end, end=True, label="--end")
            if args.end is not None
            else start + timedelta(days=30) - timedelta(seconds=1)
        )
        scope = Scope(
            start=start,
            end=end,
            country_code=args.country_code,
            state_code=args.state_code,
            city=args.city,
            postal_code=args.postal_code,
            dma_id=args.dma_id,
            market_id=args.market_id,
            classification_name=args.classification_name,
            classification_id=args.classification_id,
            segment_id=args.segment_id,
            venue_id=args.venue_id,
            attraction_id=args.attraction_id,
            keyword=args.keyword,
            source=args.source,
            locale=args.locale,
            include_undated=args.include_undated,
        )
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    settings = IngestSettings(
        rate_limit=args.rate_limit,
        page_size=args.page_size,
        max_in_flight=max(1, args.max_in_flight),
        resume=not args.new_batch,
        progress={"auto": None, "on": True, "off": False}[args.progress],
    )
    try:
        report = ingest(args.landing, scope, settings=settings)
    except (MissingApiKey, ApiKeyRejected) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_KEY
    except IngestError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    print(report.summary())
    for warning in report.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    return EXIT_OK if report.complete else EXIT_QUOTA


if __name__ == "__main__":
    sys.exit(main())
