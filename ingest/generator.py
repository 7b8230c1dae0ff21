"""Deterministic generator of Ticketmaster Discovery API v2 entities.

Field names and shapes follow recorded responses (events with ``_embedded.venues``/``attractions``,
string latitude/longitude, ``cancelled`` spelling, the 1900-01-01 on-sale placeholder, missing
``dates.timezone``, absent ``priceRanges``). Each entity draws from its own ``random.Random`` seeded by
``(seed, kind, index)``, so event 17 is the same whether 100 or 100,000 events are generated, and nothing
depends on global random state or PYTHONHASHSEED.

Generated events average about 12.7 KB of compact JSON, like real ones, so size-sensitive
measurements (bronze load, benchmarks) mean something.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta, timezone
from typing import Any

from ingest import taxonomy as tx
from ingest.taxonomy import City

# datetime.UTC needs Python 3.11; the project supports 3.10.
UTC = timezone(timedelta(0))
ON_SALE_PLACEHOLDERS = ("1900-01-01T06:00:00Z", "1900-01-01T18:00:00Z")
STATUS_WEIGHTS = {"onsale": 80, "offsale": 12, "cancelled": 3, "postponed": 2, "rescheduled": 3}
_ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_HEX = "0123456789ABCDEF"

# (suffix, ratio, width, height): the renditions the image service publishes for each picture.
IMAGE_RENDITIONS = (
    ("RECOMENDATION_16_9", "16_9", 100, 56),
    ("RETINA_LANDSCAPE_16_9", "16_9", 1136, 639),
    ("CUSTOM", "4_3", 305, 225),
    ("RETINA_PORTRAIT_3_2", "3_2", 640, 427),
    ("EVENT_DETAIL_PAGE_16_9", "16_9", 205, 115),
    ("TABLET_LANDSCAPE_16_9", "16_9", 1024, 576),
    ("ARTIST_PAGE_3_2", "3_2", 305, 203),
    ("TABLET_LANDSCAPE_LARGE_16_9", "16_9", 2048, 1152),
    ("RETINA_PORTRAIT_16_9", "16_9", 640, 360),
    ("TABLET_LANDSCAPE_3_2", "3_2", 1024, 683),
)

_FIRST = (
    "Ava",
    "Liam",
    "Maya",
    "Noah",
    "Zoe",
    "Ezra",
    "Iris",
    "Jude",
    "Lena",
    "Omar",
    "Rosa",
    "Theo",
    "Nina",
    "Caleb",
    "Hazel",
    "Milo",
    "Sofia",
    "Dante",
    "Wren",
    "Felix",
    "Luz",
    "Kai",
    "Greta",
    "Ravi",
)
_LAST = (
    "Hart",
    "Moreno",
    "Kowalski",
    "Okafor",
    "Lindqvist",
    "Brennan",
    "Castillo",
    "Nakamura",
    "Reyes",
    "Whitfield",
    "Duarte",
    "Sato",
    "Fischer",
    "Calloway",
    "Vance",
    "Ibarra",
    "Holloway",
    "Quinn",
)
_ADJ = (
    "Velvet",
    "Electric",
    "Midnight",
    "Hollow",
    "Silver",
    "Neon",
    "Wild",
    "Paper",
    "Golden",
    "Broken",
    "Crimson",
    "Lonesome",
    "Static",
    "Northern",
    "Lucky",
    "Glass",
    "Savage",
    "Quiet",
)
_NOUN = (
    "Owl",
    "Engine",
    "Harbor",
    "Comet",
    "Arrow",
    "Lantern",
    "Wolf",
    "Canyon",
    "Parade",
    "Tide",
    "Signal",
    "Orchard",
    "Ghost",
    "Falcon",
    "River",
    "Machine",
    "Garden",
    "Saint",
)
_MASCOT = (
    "Raptors",
    "Comets",
    "Thunder",
    "Mariners",
    "Stallions",
    "Hornets",
    "Wolves",
    "Rebels",
    "Pioneers",
    "Storm",
    "Titans",
    "Foxes",
)
_SHOW = (
    "Hamlet",
    "The Nutcracker",
    "Swan Lake",
    "Chicago",
    "Les Misérables",
    "A Christmas Carol",
    "The Lion King",
    "Wicked",
    "Carmen",
    "La Bohème",
    "Peter Pan",
    "Macbeth",
)
_TOUR = (
    "World Tour",
    "Live",
    "North American Tour",
    "In Concert",
    "Reunion Tour",
    "Farewell Tour",
    "Unplugged",
    "Summer Tour",
)
_VENUE_KIND = (
    "Arena",
    "Theatre",
    "Amphitheatre",
    "Center",
    "Ballroom",
    "Stadium",
    "Music Hall",
    "Pavilion",
    "Field",
    "Hall",
    "Club",
    "Events Center",
)
_STREET = (
    "Main St",
    "Center St",
    "Dedman Drive",
    "Broadway",
    "Market St",
    "Lake Shore Dr",
    "High Street",
    "King St W",
    "Elm Avenue",
    "Harbour Rd",
    "Avenida Central",
    "Riverside Dr",
)
_PRESALES = (
    "Fan Club Presale",
    "Citi Cardmember Presale",
    "Ticketmaster Presale",
    "Live Nation Presale",
    "Venue Presale",
    "Official Platinum Presale",
    "Spotify Presale",
    "Season Ticket Holder Presale",
    "Artist Presale",
    "VIP Package Presale",
    "Local Radio Presale",
    "Member Presale",
)
_PROMOTERS = (
    ("494", "PROMOTED BY VENUE", "PROMOTED BY VENUE / NTL / USA"),
    ("653", "LIVE NATION MUSIC", "LIVE NATION MUSIC / NTL / USA"),
    ("694", "NBA EXHIBITION & PRESEASON", "NBA EXHIBITION & PRESEASON / NTL / USA"),
    ("10", "OTHER NON-LN EVENT", "OTHER NON-LN EVENT / NTL / USA"),
    ("2279", "AEG PRESENTS", "AEG PRESENTS / NTL / USA"),
    ("51", "LIVE NATION INTERNATIONAL", "LIVE NATION INTERNATIONAL / NTL / GB"),
)
# Sentences for the free-text fields (info, pleaseNote, venue details); real ones run to several
# hundred characters, which is a large part of why real events weigh ~13 KB.
_SENTENCES = (
    "All tickets are subject to a service charge and facility fee.",
    "Doors open one hour before the performance; late arrivals will be seated at a suitable break.",
    "There is an 8 ticket limit per household; orders exceeding the limit may be cancelled without notice.",
    "Bags larger than 12 x 12 x 6 inches are not permitted; clear bags are strongly encouraged.",
    "No professional cameras, audio or video recording devices are allowed inside the venue.",
    "Children aged two and over require a ticket; children under 14 must be accompanied by an adult.",
    "Accessible seating is available; please contact the box office for wheelchair and companion seats.",
    "This event is general admission standing; the venue reserves the right to change the seating layout.",
    "Mobile tickets only: screenshots will not be accepted, please have your ticket ready on your phone.",
    "The event will take place rain or shine; refunds are only given if the event is cancelled.",
    "Parking is limited and is sold separately; public transport is recommended.",
    "Lineup and set times are subject to change without notice.",
    "Ticket prices include applicable taxes; an order processing fee applies per order.",
    "VIP packages include early entry, an exclusive merchandise item and a commemorative laminate.",
    "Guests must be 21 or older with valid photo identification to purchase alcohol.",
    "Re-entry is not permitted once you have left the venue.",
)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _iso(dt: datetime) -> str:
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _token(rng: random.Random, length: int, alphabet: str = _ALNUM) -> str:
    return "".join(rng.choice(alphabet) for _ in range(length))


def _paragraph(rng: random.Random, low: int, high: int) -> str:
    return " ".join(rng.sample(_SENTENCES, rng.randint(low, high)))


def _weighted(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _images(rng: random.Random, count: int, *, dbimage: bool = False) -> list[dict[str, Any]]:
    if dbimage:
        # Venues usually carry one legacy "dbimages" picture rather than a rendition set.
        return [
            {
                "ratio": "16_9",
                "url": f"https://s1.ticketm.net/dbimages/{rng.randint(1000, 99999)}v.jpg",
                "width": 205,
                "height": 115,
                "fallback": False,
            }
        ]
    uuid = "-".join(_token(rng, n, "0123456789abcdef") for n in (8, 4, 4, 4, 12))
    folder = uuid[-3:]
    number = rng.randint(100000, 9999999)
    renditions = rng.sample(IMAGE_RENDITIONS, min(count, len(IMAGE_RENDITIONS)))
    return [
        {
            "ratio": ratio,
            "url": f"https://s1.ticketm.net/dam/a/{folder}/{uuid}_{number}_{suffix}.jpg",
            "width": width,
            "height": height,
            "fallback": False,
        }
        for suffix, ratio, width, height in renditions
    ]


def _classification(
    segment: str, genre: str, subgenre: str, type_name: str, subtype: str, *, level_types: bool
) -> dict[str, Any]:
    def level(id_: str, name: str, level_type: str) -> dict[str, Any]:
        node: dict[str, Any] = {"id": id_, "name": name}
        if level_types:
            node["levelType"] = level_type
        return node

    return {
        "primary": True,
        "segment": level(tx.segment_id(segment), segment, "segment"),
        "genre": level(tx.genre_id(segment, genre), genre, "Level"),
        "subGenre": level(tx.subgenre_id(segment, genre, subgenre), subgenre, "Level"),
        "type": level(tx.type_id(type_name), type_name, "type"),
        "subType": level(tx.subtype_id(type_name, subtype), subtype, "Level"),
        "family": False,
    }


def classification_trees() -> list[dict[str, Any]]:
    """The items of ``GET /classifications``: one segment tree per segment, genres with sub-genres."""
    trees = []
    for segment, genres in tx.TAXONOMY.items():
        seg_id = tx.segment_id(segment)
        genre_nodes = []
        for genre, subgenres in genres.items():
            g_id = tx.genre_id(segment, genre)
            genre_nodes.append(
                {
                    "id": g_id,
                    "name": genre,
                    "locale": "en-us",
                    "_links": {"self": {"href": f"/discovery/v2/classifications/genres/{g_id}?locale=en-us"}},
                    "_embedded": {
                        "subgenres": [
                            {
                                "id": (s_id := tx.subgenre_id(segment, genre, sub)),
                                "name": sub,
                                "locale": "en-us",
                                "_links": {
                                    "self": {"href": f"/discovery/v2/classifications/subgenres/{s_id}?locale=en-us"}
                                },
                            }
                            for sub in subgenres
                        ]
                    },
                }
            )
        trees.append(
            {
                "_links": {"self": {"href": f"/discovery/v2/classifications/{seg_id}?locale=en-us"}},
                "segment": {
                    "id": seg_id,
                    "name": segment,
                    "locale": "en-us",
                    "_links": {"self": {"href": f"/discovery/v2/classifications/segments/{seg_id}?locale=en-us"}},
                    "_embedded": {"genres": genre_nodes},
                },
            }
        )
    return trees


class Generator:
    """Pools of venues and attractions, and events drawn over them.

    ``venue_pool``/``attraction_pool`` bound how many distinct venues and artists events reuse; the
    defaults give the repeat pattern of a metro-area search. Returned objects are shared between events
    (as the API repeats them); callers must not mutate them.
    """

    def __init__(
        self, seed: int = 7, *, venue_pool: int = 150, attraction_pool: int = 600, undated_share: float = 0.05
    ) -> None:
        self.seed = seed
        # Share of events without a start time (date TBA, time TBA, no specific time); tests that
        # need every event inside a date window set it to 0.
        self.undated_share = undated_share
        self.venue_pool = venue_pool
        self.attraction_pool = attraction_pool
        self._venues: dict[int, dict[str, Any]] = {}
        self._venue_cities: dict[str, City] = {}
        self._attractions: dict[int, dict[str, Any]] = {}
        self._by_segment: dict[str, list[int]] | None = None

    def _rng(self, kind: str, index: int) -> random.Random:
        # A string seed is hashed with SHA-512 by random.seed, so this is stable across processes.
        return random.Random(f"{self.seed}/{kind}/{index}")

    # -- venues ---------------------------------------------------------------------------------------

    def venue(self, index: int) -> dict[str, Any]:
        if index not in self._venues:
            self._venues[index] = self._make_venue(index)
        return self._venues[index]

    def venues(self) -> list[dict[str, Any]]:
        return [self.venue(i) for i in range(self.venue_pool)]

    def venue_city(self, venue: dict[str, Any]) -> City:
        return self._venue_cities[venue["id"]]

    def _make_venue(self, index: int) -> dict[str, Any]:
        rng = self._rng("venue", index)
        city = rng.choices(tx.CITIES, weights=tx.CITY_WEIGHTS)[0]
        name = f"{rng.choice(_ADJ)} {rng.choice(_NOUN)} {rng.choice(_VENUE_KIND)}"
        vid = "KovZ" + _token(rng, rng.choice((7, 8)))
        legacy = rng.randint(100000, 500000)
        lat = city.latitude + rng.uniform(-0.08, 0.08)
        lon = city.longitude + rng.uniform(-0.08, 0.08)
        # Real city names sometimes arrive with stray leading spaces.
        city_name = (" " + city.name) if rng.random() < 0.02 else city.name
        venue: dict[str, Any] = {
            "name": name,
            "type": "venue",
            "id": vid,
            "test": False,
            "url": f"https://www.ticketmaster.com/{_slug(name)}-tickets-{_slug(city.name)}/venue/{legacy}",
            "locale": "en-us",
        }
        if rng.random() < 0.8:
            venue["images"] = _images(rng, 1, dbimage=True)
        venue["postalCode"] = f"{city.postal_prefix}{rng.randint(10, 99)}"
        venue["timezone"] = city.timezone
        venue["city"] = {"name": city_name}
        if city.state:
            venue["state"] = {"name": city.state, "stateCode": city.state_code}
        venue["country"] = {"name": city.country, "countryCode": city.country_code}
        venue["address"] = {"line1": f"{rng.randint(1, 2999)} {rng.choice(_STREET)}"}
        venue["location"] = {"longitude": f"{lon:.7f}", "latitude": f"{lat:.7f}"}
        if rng.random() < 0.7:
            venue["markets"] = [{"name": city.market_name, "id": city.market_id}]
        venue["dmas"] = [{"id": city.dma_id}] + [{"id": d} for d in sorted(rng.sample(range(200, 400), 3))]
        if rng.random() < 0.4:
            venue["social"] = {"twitter": {"handle": "@" + re.sub(r"\W", "", name)[:15]}}
        if rng.random() < 0.55:
            venue["boxOfficeInfo"] = {
                "phoneNumberDetail": f"Box office: ({rng.randint(200, 999)}) {rng.randint(200, 999)}-"
                f"{rng.randint(1000, 9999)}",
                "openHoursDetail": "Monday to Friday 10am - 6pm; event days from two hours before doors. "
                + _paragraph(rng, 1, 2),
                "acceptedPaymentDetail": "Cash, Visa, MasterCard, American Express, Discover",
                "willCallDetail": "Will Call opens two hours prior to show time. Bring the card used for the "
                "purchase and a valid photo ID. " + _paragraph(rng, 1, 2),
            }
            venue["parkingDetail"] = "Parking is available in the venue garage and nearby lots. " + _paragraph(
                rng, 1, 3
            )
            venue["accessibleSeatingDetail"] = "Accessible seating is available on every level. " + _paragraph(
                rng, 1, 2
            )
            venue["generalInfo"] = {"generalRule": _paragraph(rng, 2, 4), "childRule": _paragraph(rng, 1, 2)}
        total = rng.randint(0, 120)
        venue["upcomingEvents"] = {"_total": total, "ticketmaster": total, "_filtered": 0}
        venue["_links"] = {"self": {"href": f"/discovery/v2/venues/{vid}?locale=en-us"}}
        self._venue_cities[vid] = city
        return venue

    # -- attractions ----------------------------------------------------------------------------------

    def attraction(self, index: int) -> dict[str, Any]:
        if index not in self._attractions:
            self._attractions[index] = self._make_attraction(index)
        return self._attractions[index]

    def attractions(self) -> list[dict[str, Any]]:
        return [self.attraction(i) for i in range(self.attraction_pool)]

    def _attraction_name(self, rng: random.Random, segment: str, genre: str) -> tuple[str, str, str]:
        """(name, type, subType) for an attraction of the given segment."""
        if segment == "Sports":
            city = rng.choice(tx.CITIES).name
            return f"{city} {rng.choice(_MASCOT)}", "Group", "Team"
        if segment == "Arts & Theatre":
            if genre == "Comedy":
                return f"{rng.choice(_FIRST)} {rng.choice(_LAST)}", "Individual", "Comedian"
            return f"{rng.choice(_SHOW)}", "Undefined", "Undefined"
        if segment == "Music":
            if rng.random() < 0.5:
                return f"The {rng.choice(_ADJ)} {rng.choice(_NOUN)}s", "Group", "Band"
            return f"{rng.choice(_FIRST)} {rng.choice(_LAST)}", "Individual", "Musician"
        return f"{rng.choice(_ADJ)} {rng.choice(_NOUN)} Festival", "Event Style", "Festival"

    def _make_attraction(self, index: int) -> dict[str, Any]:
        rng = self._rng("attraction", index)
        segment = _weighted(rng, tx.SEGMENT_WEIGHTS)
        genre = rng.choice(list(tx.TAXONOMY[segment]))
        subgenre = rng.choice(tx.TAXONOMY[segment][genre])
        name, type_name, subtype = self._attraction_name(rng, segment, genre)
        aid = "K8vZ917" + _token(rng, 4)
        attraction: dict[str, Any] = {
            "name": name,
            "type": "attraction",
            "id": aid,
            "test": False,
            "url": f"https://www.ticketmaster.com/{_slug(name)}-tickets/artist/{rng.randint(700000, 3000000)}",
            "locale": "en-us",
        }
        if rng.random() < 0.45:
            handle = re.sub(r"\W", "", name)
            links: dict[str, Any] = {}
            for site, url in (
                ("youtube", f"https://www.youtube.com/user/{handle}"),
                ("twitter", f"https://twitter.com/{handle}"),
                ("itunes", f"https://music.apple.com/us/artist/id{rng.randint(10**6, 10**9)}"),
                ("facebook", f"https://www.facebook.com/{handle}"),
                ("wiki", f"https://en.wikipedia.org/wiki/{name.replace(' ', '_')}"),
                ("instagram", f"https://www.instagram.com/{handle.lower()}/"),
                ("homepage", f"https://www.{handle.lower()}.com/"),
            ):
                if rng.random() < 0.7:
                    links[site] = [{"url": url}]
            if segment == "Music":
                mbid = "-".join(_token(rng, n, "0123456789abcdef") for n in (8, 4, 4, 4, 12))
                links["musicbrainz"] = [{"id": mbid}]
            attraction["externalLinks"] = links
        if rng.random() < 0.1:
            attraction["aliases"] = [name.lower(), f"{name.lower()} tickets", f"{name.lower()} exchange"]
        attraction["images"] = _images(rng, 10 if rng.random() < 0.85 else rng.randint(1, 4))
        attraction["classifications"] = [
            _classification(segment, genre, subgenre, type_name, subtype, level_types=rng.random() < 0.5)
        ]
        total = rng.randint(0, 60)
        tmr = rng.randint(0, total)
        attraction["upcomingEvents"] = {"_total": total, "tmr": tmr, "ticketmaster": total - tmr, "_filtered": 0}
        attraction["_links"] = {"self": {"href": f"/discovery/v2/attractions/{aid}?locale=en-us"}}
        return attraction

    def _segment_index(self) -> dict[str, list[int]]:
        if self._by_segment is None:
            index: dict[str, list[int]] = {}
            for i in range(self.attraction_pool):
                segment = self.attraction(i)["classifications"][0]["segment"]["name"]
                index.setdefault(segment, []).append(i)
            self._by_segment = index
        return self._by_segment

    # -- events ---------------------------------------------------------------------------------------

    def events(self, count: int, start: datetime, end: datetime, *, first: int = 0) -> Iterator[dict[str, Any]]:
        """Events ``first .. first+count-1`` with start times spread over ``[start, end]``."""
        for i in range(first, first + count):
            yield self.event(i, start, end)

    def event(self, index: int, start: datetime, end: datetime) -> dict[str, Any]:
        rng = self._rng("event", index)
        venue = self.venue(rng.randrange(self.venue_pool))
        city = self.venue_city(venue)
        primary_idx = rng.randrange(self.attraction_pool)
        primary = self.attraction(primary_idx)
        cls = primary["classifications"][0]
        segment = cls["segment"]["name"]
        peers = self._segment_index()[segment]
        # Mostly a headliner plus an opener; festivals and double-bills make the long, heavy tail.
        extra = rng.choices((0, 1, 2, 3, 5, 9), weights=(30, 47, 11, 7, 3, 2))[0]
        support = [self.attraction(rng.choice(peers)) for _ in range(extra)]
        # Dict keeps first-seen order and drops a support act drawn twice or equal to the headliner.
        attractions = list({a["id"]: a for a in [primary, *support]}.values())
        # Some listings (parking, gift cards, small club nights) carry no attraction at all.
        listed = attractions if rng.random() >= 0.04 else []

        if segment == "Sports" and len(attractions) > 1:
            name = f"{attractions[0]['name']} vs. {attractions[1]['name']}"
        elif segment == "Music" and rng.random() < 0.5:
            name = f"{primary['name']}: {rng.choice(_TOUR)}"
        else:
            name = primary["name"]

        eid = rng.choice(("G5d", "1Av", "Z7r9j", "vvG1")) + _token(rng, rng.choice((10, 12)))
        when = self._start_instant(rng, start, end)
        local = when + timedelta(hours=city.utc_offset_hours)
        url_code = _token(rng, 16, _HEX)
        place = city.state or city.country
        event: dict[str, Any] = {
            "name": name,
            "type": "event",
            "id": eid,
            "test": False,
            "url": f"https://www.ticketmaster.com/{_slug(name)}-{_slug(city.name)}-{_slug(place)}-"
            f"{local:%m-%d-%Y}/event/{url_code}",
            "locale": "en-us",
            "images": primary["images"] if rng.random() < 0.7 else _images(rng, rng.randint(8, 10)),
            "sales": self._sales(rng, when),
            "dates": self._dates(rng, when, local, city, self.undated_share),
            "classifications": [cls],
        }
        if rng.random() < 0.6:
            promoters = [
                {"id": pid, "name": pname, "description": pdesc}
                for pid, pname, pdesc in rng.sample(_PROMOTERS, rng.randint(1, 2))
            ]
            event["promoter"] = dict(promoters[0])
            event["promoters"] = promoters
        if rng.random() < 0.8:
            event["info"] = _paragraph(rng, 6, 16)
        if rng.random() < 0.75:
            event["pleaseNote"] = _paragraph(rng, 5, 16)
        if rng.random() < 0.35:
            event["additionalInfo"] = _paragraph(rng, 3, 10)
        if rng.random() < 0.45:
            currency = tx.CURRENCY_BY_COUNTRY[city.country_code]
            low = round(rng.uniform(15, 150), 2)
            kind = "standard including fees" if city.country_code in ("GB", "IE") else "standard"
            event["priceRanges"] = [
                {"type": kind, "currency": currency, "min": low, "max": round(low * rng.uniform(1.2, 12), 2)}
            ]
        if rng.random() < 0.3:
            event["products"] = [self._product(rng, name, city, local) for _ in range(rng.randint(1, 3))]
        if rng.random() < 0.8:
            event["seatmap"] = {
                "staticUrl": f"https://mapsapi.tmol.io/maps/geometry/3/event/{url_code}/"
                f"staticImage?type=png&systemId=HOST",
                "id": "seatmap",
            }
        if rng.random() < 0.5:
            event["accessibility"] = {
                "ticketLimit": rng.choice((2, 4)),
                "info": _paragraph(rng, 1, 3),
                "id": "accessibility",
            }
        if rng.random() < 0.5:
            event["ticketLimit"] = {
                "info": f"There is an overall {rng.choice((4, 6, 8, 10))} ticket limit for this event.",
                "id": "ticketLimit",
            }
        if rng.random() < 0.5:
            event["ageRestrictions"] = {"legalAgeEnforced": rng.random() < 0.2, "id": "ageRestrictions"}
            event["ticketing"] = {
                "safeTix": {"enabled": True},
                "allInclusivePricing": {"enabled": rng.random() < 0.1},
                "id": "ticketing",
            }
        if rng.random() < 0.3:
            event["outlets"] = [{"url": f"https://www.ticketmaster.com/event/{url_code}", "type": "tmMarketPlace"}]
        event["_links"] = {
            "self": {"href": f"/discovery/v2/events/{eid}?locale=en-us"},
            "venues": [{"href": f"/discovery/v2/venues/{venue['id']}?locale=en-us"}],
        }
        event["_embedded"] = {"venues": [venue]}
        if listed:
            event["_links"]["attractions"] = [
                {"href": f"/discovery/v2/attractions/{a['id']}?locale=en-us"} for a in listed
            ]
            event["_embedded"]["attractions"] = listed
        return event

    @staticmethod
    def _start_instant(rng: random.Random, start: datetime, end: datetime) -> datetime:
        span = max(0, int((end - start).total_seconds()))
        offset = rng.randint(0, span)
        if span > 3600:
            # Shows start on the quarter hour; keep within the window after rounding down.
            offset -= offset % 900
        return (start + timedelta(seconds=offset)).astimezone(UTC)

    @staticmethod
    def _dates(rng: random.Random, when: datetime, local: datetime, city: City, undated_share: float) -> dict[str, Any]:
        roll = rng.random() / max(undated_share / 0.05, 1e-9)
        start: dict[str, Any]
        if roll < 0.02:
            start = {"dateTBD": False, "dateTBA": True, "timeTBA": True, "noSpecificTime": False}
        elif roll < 0.035:
            start = {
                "localDate": f"{local:%Y-%m-%d}",
                "dateTBD": False,
                "dateTBA": False,
                "timeTBA": True,
                "noSpecificTime": False,
            }
        elif roll < 0.05:
            start = {
                "localDate": f"{local:%Y-%m-%d}",
                "dateTBD": False,
                "dateTBA": False,
                "timeTBA": False,
                "noSpecificTime": True,
            }
        else:
            start = {
                "localDate": f"{local:%Y-%m-%d}",
                "localTime": f"{local:%H:%M:%S}",
                "dateTime": _iso(when),
                "dateTBD": False,
                "dateTBA": False,
                "timeTBA": False,
                "noSpecificTime": False,
            }
        dates: dict[str, Any] = {"start": start}
        if rng.random() < 0.08 and "dateTime" in start:
            dates["access"] = {
                "startDateTime": _iso(when - timedelta(hours=1)),
                "startApproximate": False,
                "endApproximate": False,
            }
        if rng.random() < 0.79:
            dates["timezone"] = city.timezone
        status = _weighted(rng, STATUS_WEIGHTS)
        dates["status"] = {"code": status}
        if status == "rescheduled" and "dateTime" in start:
            earlier = when - timedelta(days=rng.randint(7, 90))
            dates["initialStartDate"] = {"localDate": f"{earlier:%Y-%m-%d}", "dateTime": _iso(earlier)}
        dates["spanMultipleDays"] = rng.random() < 0.03
        return dates

    @staticmethod
    def _sales(rng: random.Random, when: datetime) -> dict[str, Any]:
        if rng.random() < 0.18:
            public: dict[str, Any] = {
                "startDateTime": rng.choice(ON_SALE_PLACEHOLDERS),
                "startTBD": False,
                "startTBA": False,
                "endDateTime": _iso(when),
            }
        else:
            onsale = when - timedelta(days=rng.randint(20, 200), hours=rng.randint(0, 12))
            public = {
                "startDateTime": _iso(onsale),
                "startTBD": False,
                "startTBA": False,
                "endDateTime": _iso(when + timedelta(hours=rng.choice((0, 1, 2)))),
            }
        sales: dict[str, Any] = {"public": public}
        if rng.random() < 0.65:
            presales = []
            for pname in rng.sample(_PRESALES, rng.randint(2, 10)):
                begin = when - timedelta(days=rng.randint(25, 220), hours=rng.randint(0, 20))
                until = begin + timedelta(days=rng.randint(1, 4))
                presale = {"startDateTime": _iso(begin), "endDateTime": _iso(until), "name": pname}
                if rng.random() < 0.4:
                    presale["description"] = (
                        f"{pname}: use your registered account or the code from "
                        "the confirmation e-mail to unlock tickets before the "
                        "general on-sale."
                    )
                presales.append(presale)
            sales["presales"] = presales
        return sales

    def _product(self, rng: random.Random, name: str, city: City, local: datetime) -> dict[str, Any]:
        kind = rng.choice(("Upsell", "Parking", "VIP"))
        label = {
            "Upsell": f"{name} Premium Experience",
            "Parking": f"PARKING {city.name.upper()}",
            "VIP": f"{name} VIP Upgrade (Must Have Separate Event Ticket)",
        }[kind]
        pid = "G5d" + _token(rng, 10)
        product: dict[str, Any] = {
            "name": label,
            "id": pid,
            "url": f"https://www.ticketmaster.com/{_slug(label)}-{_slug(city.name)}-{local:%m-%d-%Y}/event/"
            f"{_token(rng, 16, _HEX)}",
            "type": kind,
        }
        if kind == "Parking":
            product["classifications"] = [
                _classification("Miscellaneous", "Undefined", "Undefined", "Undefined", "Undefined", level_types=True)
            ]
        return product


def referenced_venues(events: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Distinct embedded venues of ``events``, first-seen order."""
    seen: dict[str, dict[str, Any]] = {}
    for event in events:
        for venue in event.get("_embedded", {}).get("venues", []):
            seen.setdefault(venue["id"], venue)
    return list(seen.values())


def referenced_attractions(events: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Distinct embedded attractions of ``events``, first-seen order."""
    seen: dict[str, dict[str, Any]] = {}
    for event in events:
        for attraction in event.get("_embedded", {}).get("attractions", []):
            seen.setdefault(attraction["id"], attraction)
    return list(seen.values())


def default_window(days: int = 180, *, start: datetime | None = None) -> tuple[datetime, datetime]:
    start = start or datetime(2025, 2, 1, tzinfo=UTC)
    return start, start + timedelta(days=days) - timedelta(seconds=1)
