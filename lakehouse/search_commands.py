"""The `search` and `ask` subcommands: their options, and how their results are printed."""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable
from typing import IO

from assistant.hits import METHODS, Hit
from lakehouse.output import FORMATS, write_result
from runner.config import Target

SEARCH_FORMATS = ("table", "json")


def add_commands(commands: argparse._SubParsersAction, common: Callable[..., None]) -> None:
    search = commands.add_parser("search", help="find events by meaning and keywords (hybrid search)")
    common(search, select=False)
    search.add_argument("text", help='what to look for, e.g. "jazz in Chicago in March"')
    search.add_argument("--limit", type=int, default=10, help="how many events (default 10)")
    search.add_argument("--method", choices=METHODS, default="hybrid", help="local target: hybrid, bm25 or vector")
    search.add_argument("--format", choices=SEARCH_FORMATS, default="table")
    search.add_argument(
        "--embed-for",
        type=float,
        default=60.0,
        metavar="SECONDS",
        help="local target: after answering, embed events still without a vector for up to this long "
        "(default 60; 0 = not now). Progress is kept: the next search carries on",
    )
    search.add_argument(
        "--embed-all",
        action="store_true",
        help="local target: embed every event still without a vector before answering (progress shown)",
    )

    ask = commands.add_parser("ask", help="answer a question from gold (language model, or certified questions)")
    common(ask, select=False)
    ask.add_argument("question", help='e.g. "which venues have the most events in the next 30 days?"')
    ask.add_argument("--format", choices=FORMATS, default="table", help="format of the rows of the answer")


def write_hits(hits: list[Hit], fmt: str, out: IO[str] | None = None) -> None:
    out = out or sys.stdout
    if fmt == "json":
        rows = [
            {
                "event_id": h.event_id,
                "event_key": h.event_key,
                "score": round(h.score, 4),
                "name": h.event_name,
                "date": str(h.start_local_date) if h.start_local_date else None,
                "venue": h.venue_name,
                "city": h.city_name,
                "genre": genre_of(h),
                "status": h.status_code,
                "ranks": h.ranks,
                "document": h.document,
            }
            for h in hits
        ]
        json.dump(rows, out, indent=2, ensure_ascii=False, default=str)
        out.write("\n")
        return
    if not hits:
        out.write("no events found\n")
        return
    from rich.table import Table

    from lakehouse.console import PipeAwareConsole

    table = Table(box=None, pad_edge=False, padding=(0, 2, 0, 0), header_style="bold")
    for column in ("#", "score", "event", "date", "venue", "city", "genre"):
        table.add_column(column, justify="right" if column in ("#", "score") else "left", overflow="fold")
    for number, h in enumerate(hits, start=1):
        table.add_row(
            str(number), f"{h.score:.3f}", h.event_name or "", str(h.start_local_date or "date TBA"),
            h.venue_name or "", h.city_name or "", genre_of(h) or "",
        )  # fmt: skip
    console = PipeAwareConsole(file=out, highlight=False)
    if not console.is_terminal:
        console.width = 160
    console.print(table)


def genre_of(hit: Hit) -> str | None:
    """The genre line of the event's document ("Genre: Music / Rock."), where the search text keeps it."""
    match = re.search(r"(?:^|\s)Genre: (.+?)\.(?:\s|$)", hit.document or "")
    return match.group(1) if match else None


# SQL whose window moves with the clock: on an old sample it can hold no events at all.
_RELATIVE_TIME = re.compile(r"\b(current_date|current_timestamp|now|curdate)\b", re.IGNORECASE)


def _empty_window_note(target: Target, backend) -> str:
    """Why a question about a window relative to today returned nothing: the dates the lakehouse holds."""
    from datetime import UTC, datetime

    today = datetime.now(UTC).date()
    try:
        result = backend.run_query(
            f"SELECT min(start_local_date), max(start_local_date) FROM {target.qualify('gold', 'fact_events')} "
            "WHERE NOT is_cancelled"
        )
        first, last = result.rows[0] if result.rows else (None, None)
    except Exception:
        first = last = None
    if first is None:
        return f"No rows: the lakehouse holds no events yet; the question's window is relative to today ({today})."
    return (
        f"No rows: the question's window is relative to today ({today}), and the lakehouse's events run from "
        f"{first} to {last}, so the window holds none. Land current events (set TICKETMASTER_API_KEY and "
        "`lakehouse run`), or ask about the dates the lakehouse holds."
    )


def run(args: argparse.Namespace, target: Target) -> int:
    from assistant.backends import LocalBackend, open_backend
    from assistant.settings import load_assistant_settings

    settings = load_assistant_settings(args.config)
    # Progress goes to stderr so that --format json stays parseable.
    backend = open_backend(target, settings, say=_progress)
    try:
        if args.command == "search":
            if isinstance(backend, LocalBackend) and args.embed_all:
                backend.embed_before_s = None
            write_hits(backend.retrieve(args.text, args.limit, args.method), args.format)
            sys.stdout.flush()
            if isinstance(backend, LocalBackend):
                _embed_after(backend, args.embed_for)
            return 0
        return _ask(args, target, settings, backend)
    finally:
        backend.close()


def _progress(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def _embed_after(backend, seconds: float) -> None:
    """The answer is out; build more vectors for the next search, keeping each chunk as it is done."""
    if not backend.remaining:
        return
    if seconds <= 0:
        _progress(
            f"search index: {backend.remaining:,} event(s) have no vector yet and were found by keywords only; "
            "`search --embed-all` builds them"
        )
        return
    backend.close()  # the in-memory indexes; the lakehouse is opened for writing a chunk at a time
    try:
        backend.sync(seconds)
    except KeyboardInterrupt:
        _progress("search index: stopped; the vectors built so far are kept and the next search carries on")


def _ask(args: argparse.Namespace, target: Target, settings, backend) -> int:
    from assistant.ask import Assistant
    from assistant.certified import CertifiedQuestions
    from assistant.embedder import default_question_embedder

    certified = CertifiedQuestions(target, default_question_embedder)
    answer = Assistant(target, settings, backend, certified).ask(args.question)
    print(answer.explanation)
    if answer.method == "cannot-answer" and certified.examples:
        print("\nThe certified questions, answered without a model:")
        for example in certified.examples:
            print(f"  - {example.question}")
    if answer.sql:
        print(f"\n{answer.sql}\n")
    if answer.result is not None:
        write_result(answer.result, args.format)
        if not answer.result.rows and answer.sql and _RELATIVE_TIME.search(answer.sql):
            print(_empty_window_note(target, backend), file=sys.stderr)
    if answer.text:
        print(f"\n{answer.text}")
    if answer.events:
        print()
        write_hits(answer.events, "table")
    return 0
