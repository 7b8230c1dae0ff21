"""Reference tables the generator draws from: classifications, places, currencies.

Ids are derived from names with a stable hash, in the shapes Ticketmaster uses (segment ids start
``KZFzniwnSyZfZ7v7n``, genres ``KnvZfZ7v``, sub-genres ``KZazBEonSMnZfZ7v``), so a classification keeps the
same id in every generated data set whatever the seed.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

_ID_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def stable_id(prefix: str, key: str, length: int) -> str:
    """A prefix plus ``length`` characters derived from ``key``; independent of PYTHONHASHSEED."""
    digest = hashlib.sha256(key.encode("utf-8")).digest()
    return prefix + "".join(_ID_ALPHABET[b % len(_ID_ALPHABET)] for b in digest[:length])


# Segment ids are the well-known public ones, so generated data joins with real data on segment.
SEGMENT_IDS = {
    "Music": "KZFzniwnSyZfZ7v7nJ",
    "Sports": "KZFzniwnSyZfZ7v7nE",
    "Arts & Theatre": "KZFzniwnSyZfZ7v7na",
    "Film": "KZFzniwnSyZfZ7v7nn",
    "Miscellaneous": "KZFzniwnSyZfZ7v7n1",
    "Undefined": "KZFzniwnSyZfZ7v7l1",
}

# segment -> genre -> sub-genres. "Undefined"/"Other" are real placeholder names the API uses.
TAXONOMY: dict[str, dict[str, list[str]]] = {
    "Music": {
        "Rock": ["Pop", "Alternative Rock", "Hard Rock", "Indie Rock", "Punk"],
        "Pop": ["Pop", "Pop Rock", "Dance Pop"],
        "Country": ["Country", "Alternative Country", "Bluegrass"],
        "Hip-Hop/Rap": ["Urban", "Hip-Hop", "Trap"],
        "R&B": ["R&B", "Soul", "Neo-Soul"],
        "Jazz": ["Jazz", "Bebop", "Swing"],
        "Latin": ["Latin", "Reggaeton", "Regional Mexicano"],
        "Classical": ["Symphonic", "Chamber Music", "Opera"],
        "Dance/Electronic": ["Club Dance", "House", "Techno"],
        "Metal": ["Heavy Metal", "Metalcore"],
        "Folk": ["Folk", "Singer-Songwriter"],
        "Other": ["Other"],
        "Undefined": ["Undefined"],
    },
    "Sports": {
        "Basketball": ["NBA", "College", "WNBA"],
        "Football": ["NFL", "College"],
        "Baseball": ["MLB", "Minor League"],
        "Hockey": ["NHL", "AHL"],
        "Soccer": ["MLS", "Premier League", "Major League Soccer"],
        "Motorsports/Racing": ["NASCAR", "Monster Truck"],
        "Wrestling": ["WWE", "Professional"],
        "Rodeo": ["PBR", "Rodeo"],
        "Tennis": ["ATP", "WTA"],
        "Boxing": ["Boxing"],
    },
    "Arts & Theatre": {
        "Theatre": ["Musical", "Play", "Drama"],
        "Comedy": ["Comedy", "Stand-Up"],
        "Dance": ["Ballet", "Modern"],
        "Classical": ["Symphonic", "Opera"],
        "Magic & Illusion": ["Magic"],
        "Children's Theatre": ["Children's Theatre"],
        "Variety": ["Variety", "Cabaret"],
    },
    "Film": {
        "Miscellaneous": ["Miscellaneous"],
        "Documentary": ["Documentary"],
        "Animation": ["Animation"],
    },
    "Miscellaneous": {
        "Family": ["Family"],
        "Fairs & Festivals": ["Fairs & Festivals"],
        "Undefined": ["Undefined"],
        "Hobby/Special Interest Expos": ["Hobby/Special Interest Expos"],
    },
    "Undefined": {"Undefined": ["Undefined"]},
}

# How often each segment appears on events (roughly what the recorded searches show).
SEGMENT_WEIGHTS = {
    "Music": 50,
    "Sports": 28,
    "Arts & Theatre": 15,
    "Film": 2,
    "Miscellaneous": 4,
    "Undefined": 1,
}

TYPES: dict[str, list[str]] = {
    "Undefined": ["Undefined"],
    "Group": ["Team", "Band"],
    "Individual": ["Musician", "Comedian", "Athlete"],
    "Event Style": ["Tour", "Festival"],
}


def segment_id(segment: str) -> str:
    return SEGMENT_IDS[segment]


def genre_id(segment: str, genre: str) -> str:
    return stable_id("KnvZfZ7v", f"genre|{segment}|{genre}", 3)


def subgenre_id(segment: str, genre: str, subgenre: str) -> str:
    return stable_id("KZazBEonSMnZfZ7v", f"subgenre|{segment}|{genre}|{subgenre}", 3)


def type_id(type_name: str) -> str:
    return stable_id("KZAyXgnZfZ7v", f"type|{type_name}", 3)


def subtype_id(type_name: str, subtype: str) -> str:
    return stable_id("KZFzBErXgnZfZ7v", f"subtype|{type_name}|{subtype}", 3)


@dataclass(frozen=True)
class City:
    name: str
    state: str | None
    state_code: str | None
    country: str
    country_code: str
    timezone: str
    utc_offset_hours: int
    latitude: float
    longitude: float
    market_id: str
    market_name: str
    dma_id: int
    postal_prefix: str


COUNTRY_NAMES = {
    "US": "United States Of America",
    "CA": "Canada",
    "GB": "Great Britain",
    "IE": "Ireland",
    "DE": "Germany",
    "NL": "Netherlands",
    "ES": "Spain",
    "MX": "Mexico",
    "AU": "Australia",
}

CURRENCY_BY_COUNTRY = {
    "US": "USD",
    "CA": "CAD",
    "GB": "GBP",
    "IE": "EUR",
    "DE": "EUR",
    "NL": "EUR",
    "ES": "EUR",
    "MX": "MXN",
    "AU": "AUD",
}

# Offsets are standard time; the generator does not model daylight saving.
CITIES: tuple[City, ...] = (
    City(
        "Chicago",
        "Illinois",
        "IL",
        "United States Of America",
        "US",
        "America/Chicago",
        -6,
        41.8807,
        -87.6742,
        "3",
        "Chicagoland & Northern IL",
        249,
        "606",
    ),
    City(
        "New York",
        "New York",
        "NY",
        "United States Of America",
        "US",
        "America/New_York",
        -5,
        40.7505,
        -73.9934,
        "35",
        "New York/Tri-State Area",
        345,
        "100",
    ),
    City(
        "Los Angeles",
        "California",
        "CA",
        "United States Of America",
        "US",
        "America/Los_Angeles",
        -8,
        34.0430,
        -118.2673,
        "27",
        "Los Angeles",
        324,
        "900",
    ),
    City(
        "Austin",
        "Texas",
        "TX",
        "United States Of America",
        "US",
        "America/Chicago",
        -6,
        30.2807,
        -97.7308,
        "40",
        "San Antonio and Austin",
        222,
        "787",
    ),
    City(
        "Reno",
        "Nevada",
        "NV",
        "United States Of America",
        "US",
        "America/Los_Angeles",
        -8,
        39.5302,
        -119.8129,
        "41",
        "N. California/N. Nevada",
        250,
        "895",
    ),
    City(
        "Nashville",
        "Tennessee",
        "TN",
        "United States Of America",
        "US",
        "America/Chicago",
        -6,
        36.1592,
        -86.7785,
        "23",
        "Nashville",
        343,
        "372",
    ),
    City(
        "Denver",
        "Colorado",
        "CO",
        "United States Of America",
        "US",
        "America/Denver",
        -7,
        39.7487,
        -105.0077,
        "6",
        "Denver & More",
        264,
        "802",
    ),
    City(
        "Seattle",
        "Washington",
        "WA",
        "United States Of America",
        "US",
        "America/Los_Angeles",
        -8,
        47.6221,
        -122.3540,
        "42",
        "Seattle & Western Washington",
        385,
        "981",
    ),
    City(
        "Atlanta",
        "Georgia",
        "GA",
        "United States Of America",
        "US",
        "America/New_York",
        -5,
        33.7573,
        -84.3963,
        "10",
        "Atlanta & Vicinity",
        220,
        "303",
    ),
    City(
        "Phoenix",
        "Arizona",
        "AZ",
        "United States Of America",
        "US",
        "America/Phoenix",
        -7,
        33.4457,
        -112.0712,
        "36",
        "Phoenix & Tucson",
        359,
        "850",
    ),
    City(
        "Toronto",
        "Ontario",
        "ON",
        "Canada",
        "CA",
        "America/Toronto",
        -5,
        43.6435,
        -79.3791,
        "102",
        "Toronto, Hamilton & Area",
        527,
        "M5V",
    ),
    City(
        "Vancouver",
        "British Columbia",
        "BC",
        "Canada",
        "CA",
        "America/Vancouver",
        -8,
        49.2778,
        -123.1089,
        "124",
        "BC Lower Mainland & Vancouver Island",
        528,
        "V6B",
    ),
    City(
        "Montreal",
        "Quebec",
        "QC",
        "Canada",
        "CA",
        "America/Toronto",
        -5,
        45.4961,
        -73.5693,
        "103",
        "Montreal & Area",
        519,
        "H3B",
    ),
    City(
        "London",
        None,
        None,
        "Great Britain",
        "GB",
        "Europe/London",
        0,
        51.5030,
        0.0032,
        "202",
        "London (UK)",
        602,
        "SE10",
    ),
    City(
        "Manchester",
        None,
        None,
        "Great Britain",
        "GB",
        "Europe/London",
        0,
        53.4880,
        -2.2446,
        "203",
        "North West",
        606,
        "M3",
    ),
    City("Dublin", None, None, "Ireland", "IE", "Europe/Dublin", 0, 53.3478, -6.2290, "208", "Ireland", 608, "D01"),
    City("Berlin", None, None, "Germany", "DE", "Europe/Berlin", 1, 52.5053, 13.4432, "210", "Germany", 610, "102"),
    City(
        "Amsterdam",
        None,
        None,
        "Netherlands",
        "NL",
        "Europe/Amsterdam",
        1,
        52.3124,
        4.9442,
        "211",
        "Netherlands",
        611,
        "110",
    ),
    City("Madrid", None, None, "Spain", "ES", "Europe/Madrid", 1, 40.4238, -3.6718, "212", "Spain", 612, "280"),
    City(
        "Mexico City",
        "Distrito Federal",
        "DF",
        "Mexico",
        "MX",
        "America/Mexico_City",
        -6,
        19.4036,
        -99.0912,
        "402",
        "All of Mexico",
        402,
        "087",
    ),
    City(
        "Monterrey",
        "Nuevo Leon",
        "NL",
        "Mexico",
        "MX",
        "America/Monterrey",
        -6,
        25.6801,
        -100.2460,
        "402",
        "All of Mexico",
        402,
        "640",
    ),
    City(
        "Sydney",
        "New South Wales",
        "NSW",
        "Australia",
        "AU",
        "Australia/Sydney",
        10,
        -33.8847,
        151.2256,
        "302",
        "New South Wales/Australian Capital Territory",
        702,
        "20",
    ),
    City(
        "Melbourne",
        "Victoria",
        "VIC",
        "Australia",
        "AU",
        "Australia/Melbourne",
        10,
        -37.8216,
        144.9784,
        "303",
        "Victoria/Tasmania",
        703,
        "30",
    ),
)

# Weighted towards the US, as the real catalogue is.
CITY_WEIGHTS = tuple(6 if c.country_code == "US" else 2 for c in CITIES)
