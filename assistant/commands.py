"""The `search` and `ask` subcommands: their options, and how their results are printed."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from typing import IO

from assistant.retrieval import METHODS, Hit
from runner.config import Target
from runner.output import FORMATS, write_result

SEARCH_FORMATS = ("table", "json")


def add_commands(commands: argparse._SubParsersAction, common: Callable[..., None]) -> None:
    search = commands.add_parser("search", help="find events by meaning and keywords (hybrid search)")
    common(search, select=False)
    search.add_argument("text", help='what to look for, e.g. "jazz in Chicago in March"')
    search.add_argument("--limit", type=int, default=10, help="how many events (default 10)")
    search.add_argument("--method", choices=METHODS, default="hybrid", help="local target: hybrid, bm25 or vector")
    search.add_argument("--format", choices=SEARCH_FORMATS, default="table")

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
                "status": h.status_code,
                "ranks": h.ranks,
                "document": h.document,
            }
            for h in hits
        ]
        json.dump(rows, out, indent=2)
        out.write("\n")
        return
    if not hits:
        out.write("no events found\n")
        return
    for number, h in enumerate(hits, start=1):
        where = ", ".join(p for p in (h.venue_name, h.city_name) if p)
        out.write(f"{number:>2}. {h.score:.3f}  {h.event_name}  ({h.start_local_date or 'date TBA'}, {where})\n")
        out.write(f"    event id {h.event_id}, gold key {h.event_key}, status {h.status_code}\n")


def run(args: argparse.Namespace, target: Target) -> int:
    from assistant.backends import open_backend
    from assistant.settings import load_assistant_settings

    settings = load_assistant_settings(args.config)
    # Progress goes to stderr so that --format json stays parseable.
    backend = open_backend(target, settings, say=lambda line: print(line, file=sys.stderr))
    try:
        if args.command == "search":
            write_hits(backend.retrieve(args.text, args.limit, args.method), args.format)
            return 0
        return _ask(args, target, settings, backend)
    finally:
        backend.close()


def _ask(args: argparse.Namespace, target: Target, settings, backend) -> int:
    from assistant.ask import Assistant
    from assistant.certified import CertifiedQuestions
    from assistant.embedder import default_embedder

    answer = Assistant(target, settings, backend, CertifiedQuestions(target, default_embedder)).ask(args.question)
    print(answer.explanation)
    if answer.sql:
        print(f"\n{answer.sql}\n")
    if answer.result is not None:
        write_result(answer.result, args.format)
    if answer.text:
        print(f"\n{answer.text}")
    if answer.events:
        print()
        write_hits(answer.events, "table")
    return 0
