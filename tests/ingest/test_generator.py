"""The generator produces API-shaped, deterministic, realistically sized entities."""

from __future__ import annotations

import json
from collections import Counter
from datetime import datetime, timedelta, timezone

from ingest import taxonomy
from ingest.generator import ON_SALE_PLACEHOLDERS, Generator, classification_trees, default_window

UTC = timezone(timedelta(0))


def _size(obj: object) -> int:
    return len(json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))


def test_same_seed_same_events_and_index_independent_of_count():
    start, end = default_window()
    a = list(Generator(3).events(50, start, end))
    b = list(Generator(3).events(80, start, end))
    assert json.dumps(a) == json.dumps(b[:50])
    assert json.dumps(a) != json.dumps(list(Generator(4).events(50, start, end)))


def test_event_shape_matches_recorded_events():
    start, end = default_window()
    events = list(Generator(7).events(1500, start, end))
    assert len({e["id"] for e in events}) == len(events)
    for event in events:
        assert event["type"] == "event"
        assert {
            "name",
            "id",
            "url",
            "locale",
            "images",
            "sales",
            "dates",
            "classifications",
            "_links",
            "_embedded",
        } <= event.keys()
        assert event["_links"]["self"]["href"] == f"/discovery/v2/events/{event['id']}?locale=en-us"
        venue = event["_embedded"]["venues"][0]
        assert isinstance(venue["location"]["latitude"], str)
        assert isinstance(venue["location"]["longitude"], str)
        float(venue["location"]["latitude"])
        assert venue["timezone"]
        assert {"city", "country", "dmas", "_links"} <= venue.keys()
        cls = event["classifications"][0]
        for level in ("segment", "genre", "subGenre", "type", "subType"):
            assert cls[level]["id"] and cls[level]["name"]
        for price in event.get("priceRanges", []):
            assert price["currency"] == taxonomy.CURRENCY_BY_COUNTRY[venue["country"]["countryCode"]]
        start_fields = event["dates"]["start"]
        if "dateTime" in start_fields:
            moment = datetime.strptime(start_fields["dateTime"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
            assert start <= moment <= end
        for attraction in event["_embedded"].get("attractions", []):
            assert attraction["type"] == "attraction" and attraction["classifications"]

    statuses = Counter(e["dates"]["status"]["code"] for e in events)
    assert set(statuses) == {"onsale", "offsale", "cancelled", "postponed", "rescheduled"}
    assert statuses["onsale"] > len(events) / 2
    placeholders = sum(e["sales"]["public"]["startDateTime"] in ON_SALE_PLACEHOLDERS for e in events)
    assert 0.08 < placeholders / len(events) < 0.3
    with_prices = sum("priceRanges" in e for e in events)
    assert 0.25 < with_prices / len(events) < 0.7
    no_timezone = sum("timezone" not in e["dates"] for e in events)
    assert 0.1 < no_timezone / len(events) < 0.35
    assert any(e["dates"]["start"]["dateTBA"] for e in events)
    assert any(e["dates"]["start"]["timeTBA"] and not e["dates"]["start"]["dateTBA"] for e in events)
    currencies = {p["currency"] for e in events for p in e.get("priceRanges", [])}
    assert {"USD", "CAD", "GBP", "EUR", "MXN", "AUD"} <= currencies
    # Venues and artists repeat across events, as in any real search.
    venue_ids = Counter(e["_embedded"]["venues"][0]["id"] for e in events)
    assert len(venue_ids) < len(events) / 5
    artist_ids = Counter(a["id"] for e in events for a in e["_embedded"].get("attractions", []))
    assert max(artist_ids.values()) > 3


def test_average_event_size_is_like_real_events():
    start, end = default_window()
    sizes = [_size(e) for e in Generator(11).events(3000, start, end)]
    average = sum(sizes) / len(sizes)
    assert 11_500 <= average <= 14_000, average
    assert min(sizes) < 5_000
    assert max(sizes) > 25_000


def test_classification_trees_are_segment_trees():
    trees = classification_trees()
    names = {t["segment"]["name"] for t in trees}
    assert names == set(taxonomy.TAXONOMY)
    ids = set()
    for tree in trees:
        for genre in tree["segment"]["_embedded"]["genres"]:
            ids.add(genre["id"])
            for sub in genre["_embedded"]["subgenres"]:
                ids.add(sub["id"])
                assert sub["id"].startswith("KZazBEonSMnZfZ7v")
    # Event classifications point into the trees.
    start, end = default_window()
    for event in Generator(5).events(300, start, end):
        cls = event["classifications"][0]
        assert cls["genre"]["id"] in ids and cls["subGenre"]["id"] in ids


def test_standalone_venues_and_attractions_look_like_endpoint_objects():
    generator = Generator(2, venue_pool=10, attraction_pool=20)
    venues = generator.venues()
    attractions = generator.attractions()
    assert len(venues) == 10 and len(attractions) == 20
    assert all(v["type"] == "venue" and v["_links"]["self"]["href"].endswith(f"{v['id']}?locale=en-us") for v in venues)
    assert all(a["type"] == "attraction" and a["images"] for a in attractions)
