"""Reading a search page item by item gives what json.loads gives, plus each item's own text."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest

from ingest import ndjson
from ingest.generator import Generator
from ingest.page_text import read_page
from ingest.pipeline import _EventsPage

UTC = timezone(timedelta(0))
DAY = datetime(2025, 3, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def events() -> list[dict]:
    generator = Generator(3)
    return [generator.event(i, DAY, DAY + timedelta(days=1)) for i in range(25)]


def page_body(events: list[dict], **dumps: object) -> str:
    body = {
        "_embedded": {"events": events},
        "_links": {"self": {"href": "/discovery/v2/events?page=0&size=25"}},
        "page": {"size": 25, "totalElements": len(events), "totalPages": 1, "number": 0},
    }
    return json.dumps(body, **dumps)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "dumps",
    [
        {"separators": (",", ":"), "ensure_ascii": False},  # as the API answers
        {"indent": 2},  # pretty-printed, escaped non-ASCII
        {"separators": (", ", ": "), "sort_keys": True},  # _embedded first, other spacing
    ],
)
def test_items_and_page_match_json_loads(events: list[dict], dumps: dict):
    text = page_body(events, **dumps)
    page, items = read_page(text, "events")
    whole = json.loads(text)
    assert [item for item, _ in items] == whole["_embedded"]["events"]
    assert [json.loads(raw) for _, raw in items] == whole["_embedded"]["events"]
    assert page == {**whole, "_embedded": {}}


def test_landing_lines_keep_the_api_text_and_stay_one_line_each(events: list[dict]):
    compact = page_body(events, separators=(",", ":"), ensure_ascii=False)
    lines = [e.line for e in _EventsPage.read(compact).events]
    assert lines == [json.dumps(e, separators=(",", ":"), ensure_ascii=False).encode() + b"\n" for e in events]
    pretty = _EventsPage.read(page_body(events, indent=2))
    assert [ndjson.decode(e.line) for e in pretty.events] == [[e] for e in events]
    assert all(e.line.count(b"\n") == 1 for e in pretty.events)
    assert [e.id for e in pretty.events] == [e["id"] for e in events] and pretty.total == 25


def test_an_empty_result_and_other_collections():
    page, items = read_page('{"_links":{},"page":{"totalElements":0,"totalPages":0}}', "events")
    assert items == [] and page["page"]["totalPages"] == 0
    page, items = read_page('{"_embedded":{"venues":[{"id":"V"}]},"page":{}}', "events")
    assert items == [] and page["_embedded"] == {"venues": [{"id": "V"}]}
    page, items = read_page(' { "_embedded" : { "events" : [ ] } } ', "events")
    assert items == [] and page == {"_embedded": {}}


@pytest.mark.parametrize(
    "text",
    [
        '{"_embedded":{"events":[{"id":"1"},{"id":"2"',  # cut off
        '{"_embedded":{"events":[{"id":"1"}]}}<html>',  # trailing bytes
        "<html><body>Service Unavailable</body></html>",
        '[{"id":"1"}]',
        '{"_embedded":{"events":[{"id":"1"} {"id":"2"}]}}',
        "",
    ],
)
def test_anything_but_one_whole_object_is_an_error(text: str):
    with pytest.raises(ValueError):
        read_page(text, "events")


def test_malformed_items_are_kept_for_bronze_to_judge():
    page = _EventsPage.read('{"_embedded":{"events":[42,{"name":"no id"},{"id":"E","_embedded":{"venues":[7]}}]}}')
    assert [(e.id, e.line) for e in page.events] == [
        (None, b"42\n"),
        (None, b'{"name":"no id"}\n'),
        ("E", b'{"id":"E","_embedded":{"venues":[7]}}\n'),
    ]
    assert page.events[2].venues == ()
