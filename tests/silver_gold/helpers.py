"""Silver and gold test helpers: run the CLI on a data directory, land API-shaped objects, read and check tables."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb

from lakehouse.cli import main

GOLD_TABLES = (
    "fact_events",
    "dim_date",
    "dim_venue",
    "dim_attraction",
    "dim_classification",
    "dim_market",
    "bridge_event_attraction",
    "mv_events_by_date_venue",
    "mv_events_by_attraction",
    "mv_monthly_summary",
)


def run(data_dir: Path, *args: str) -> None:
    assert main(["run", "--skip-ingest", *args, "--data-dir", str(data_dir)]) == 0


def land(data_dir: Path, entity: str, name: str, records: list[dict], day: str = "2026/11/20") -> Path:
    folder = data_dir / "landing" / entity / day
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    return path


def rows(data_dir: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(data_dir / "lakehouse.duckdb"), read_only=True) as connection:
        return connection.execute(sql).fetchall()


def gold_snapshot(data_dir: Path) -> dict[str, list[tuple]]:
    """Every row of every gold table, sorted: two snapshots are equal when gold did not change at all."""
    with duckdb.connect(str(data_dir / "lakehouse.duckdb"), read_only=True) as connection:
        return {
            table: sorted(connection.execute(f"SELECT * FROM gold.{table}").fetchall(), key=repr)
            for table in GOLD_TABLES
        }


# ---------------------------------------------------------------- API-shaped objects for scenarios


def venue(
    venue_id: str, name: str, *, city: str = "Springfield", market: str | None = "7", tz: str = "America/Chicago"
):
    obj = {
        "name": name,
        "type": "venue",
        "id": venue_id,
        "locale": "en-us",
        "postalCode": "62701",
        "timezone": tz,
        "city": {"name": f" {city}"},
        "state": {"name": "Illinois", "stateCode": "IL"},
        "country": {"name": "United States Of America", "countryCode": "US"},
        "address": {"line1": "1 Main St"},
        "location": {"longitude": "-89.65", "latitude": "39.78"},
    }
    if market:
        obj["markets"] = [{"name": f"Market {market}", "id": market}]
    return obj


def attraction(attraction_id: str, name: str, genre: str = "KnvZfZ7vAeA"):
    return {
        "name": name,
        "type": "attraction",
        "id": attraction_id,
        "locale": "en-us",
        "classifications": [
            {
                "primary": True,
                "segment": {"id": "KZFzniwnSyZfZ7v7nJ", "name": "Music"},
                "genre": {"id": genre, "name": "Rock"},
                "subGenre": {"id": "KZazBEonSMnZfZ7v6F1", "name": "Pop"},
            }
        ],
    }


def event(
    event_id: str,
    *,
    venues: list[dict] | None = None,
    attractions: list[dict] | None = None,
    local_date: str | None = "2026-12-05",
    status: str = "onsale",
    prices: list[tuple[str, float, float]] | None = None,
    timezone: str | None = "America/Chicago",
    onsale: str = "2026-10-01T15:00:00Z",
    tba: bool = False,
):
    start: dict = {"dateTBD": False, "dateTBA": tba, "timeTBA": tba, "noSpecificTime": False}
    if local_date:
        start |= {"localDate": local_date, "localTime": "19:30:00", "dateTime": f"{local_date}T01:30:00Z"}
    dates: dict = {"start": start, "status": {"code": status}, "spanMultipleDays": False}
    if timezone:
        dates["timezone"] = timezone
    obj: dict = {
        "name": f"Event {event_id}",
        "type": "event",
        "id": event_id,
        "test": False,
        "locale": "en-us",
        "sales": {"public": {"startDateTime": onsale, "startTBD": False, "startTBA": False}},
        "dates": dates,
        "classifications": [
            {
                "primary": True,
                "segment": {"id": "KZFzniwnSyZfZ7v7nJ", "name": "Music"},
                "genre": {"id": "KnvZfZ7vAeA", "name": "Rock"},
                "subGenre": {"id": "KZazBEonSMnZfZ7v6F1", "name": "Pop"},
            }
        ],
        "_embedded": {},
    }
    if prices:
        obj["priceRanges"] = [{"type": "standard", "currency": c, "min": lo, "max": hi} for c, lo, hi in prices]
    if venues:
        obj["_embedded"]["venues"] = venues
    if attractions:
        obj["_embedded"]["attractions"] = attractions
    return obj


# ---------------------------------------------------------------- invariants and expectations


def landed_objects(data_dir: Path, entity: str) -> list[dict]:
    """Every object landed for an entity, in landing order (path, then line)."""
    found = []
    for path in sorted((data_dir / "landing" / entity).rglob("*.json")):
        found += [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    return found


def latest_events(data_dir: Path) -> dict[str, dict]:
    """The latest landed version of each event, by id (later files win)."""
    return {e["id"]: e for e in landed_objects(data_dir, "events")}


def expected_counts(events: dict[str, dict]) -> dict[str, dict]:
    """Counts computed straight from the landed JSON: events per primary venue, per attraction, per month."""
    per_venue: dict[str, int] = {}
    per_attraction: dict[str, int] = {}
    per_month: dict[tuple, int] = {}
    for e in events.values():
        embedded = e.get("_embedded") or {}
        venues = [v["id"] for v in embedded.get("venues", []) if v.get("id")]
        key = venues[0] if venues else "-1"
        per_venue[key] = per_venue.get(key, 0) + 1
        for attraction_id in {a["id"] for a in embedded.get("attractions", []) if a.get("id")}:
            per_attraction[attraction_id] = per_attraction.get(attraction_id, 0) + 1
        local = (e.get("dates") or {}).get("start", {}).get("localDate")
        month = (int(local[:4]), int(local[5:7])) if local else (None, None)
        per_month[month] = per_month.get(month, 0) + 1
    return {"venue": per_venue, "attraction": per_attraction, "month": per_month}


def gold_counts(data_dir: Path) -> dict[str, dict]:
    return {
        "venue": dict(
            rows(
                data_dir,
                "SELECT v.venue_id, count(*) FROM gold.fact_events AS f "
                "JOIN gold.dim_venue AS v ON f.venue_sk = v.venue_sk GROUP BY 1",
            )
        ),
        "attraction": dict(
            rows(data_dir, "SELECT attraction_id, count(*) FROM gold.bridge_event_attraction GROUP BY 1")
        ),
        "month": {
            (y, m): n
            for y, m, n in rows(
                data_dir,
                "SELECT d.year, d.month, count(*) FROM gold.fact_events AS f "
                "JOIN gold.dim_date AS d ON f.event_date_key = d.date_key GROUP BY 1, 2",
            )
        },
    }


def mv_counts(data_dir: Path) -> dict[str, dict]:
    return {
        "venue": dict(rows(data_dir, "SELECT venue_id, sum(event_count) FROM gold.mv_events_by_date_venue GROUP BY 1")),
        "attraction": dict(rows(data_dir, "SELECT attraction_id, event_count FROM gold.mv_events_by_attraction")),
        "month": {
            (y, m): n for y, m, n in rows(data_dir, "SELECT year, month, event_count FROM gold.mv_monthly_summary")
        },
    }


# Each query returns offending rows; empty means the invariant holds.
INVARIANTS = {
    "one fact row per silver event": """
        SELECT event_id FROM silver.events
        EXCEPT SELECT event_id FROM gold.fact_events
        UNION ALL
        SELECT event_id FROM gold.fact_events GROUP BY event_id HAVING count(*) > 1""",
    "fact date keys resolve": """
        SELECT f.event_id FROM gold.fact_events AS f
        LEFT JOIN gold.dim_date AS d ON f.event_date_key = d.date_key WHERE d.date_key IS NULL""",
    "fact venue keys resolve": """
        SELECT f.event_id FROM gold.fact_events AS f
        LEFT JOIN gold.dim_venue AS d ON f.venue_sk = d.venue_sk WHERE d.venue_sk IS NULL""",
    "fact attraction keys resolve": """
        SELECT f.event_id FROM gold.fact_events AS f
        LEFT JOIN gold.dim_attraction AS d ON f.attraction_sk = d.attraction_sk WHERE d.attraction_sk IS NULL""",
    "fact classification keys resolve": """
        SELECT f.event_id FROM gold.fact_events AS f
        LEFT JOIN gold.dim_classification AS d ON f.classification_sk = d.classification_sk
        WHERE d.classification_sk IS NULL""",
    "fact market keys resolve": """
        SELECT f.event_id FROM gold.fact_events AS f
        LEFT JOIN gold.dim_market AS d ON f.market_sk = d.market_sk WHERE d.market_sk IS NULL""",
    "fact points at the venue and attraction silver names": """
        SELECT f.event_id FROM gold.fact_events AS f
        JOIN silver.events AS e ON f.event_id = e.event_id
        JOIN gold.dim_venue AS v ON f.venue_sk = v.venue_sk
        JOIN gold.dim_attraction AS a ON f.attraction_sk = a.attraction_sk
        WHERE v.venue_id <> coalesce(e.primary_venue_id, '-1')
           OR a.attraction_id <> coalesce(e.primary_attraction_id, '-1')""",
    "silver event_venues orphans": """
        SELECT b.event_id FROM silver.event_venues AS b
        LEFT JOIN silver.events AS e ON b.event_id = e.event_id
        LEFT JOIN silver.venues AS v ON b.venue_id = v.venue_id
        WHERE e.event_id IS NULL OR v.venue_id IS NULL""",
    "silver event_attractions orphans": """
        SELECT b.event_id FROM silver.event_attractions AS b
        LEFT JOIN silver.events AS e ON b.event_id = e.event_id
        LEFT JOIN silver.attractions AS a ON b.attraction_id = a.attraction_id
        WHERE e.event_id IS NULL OR a.attraction_id IS NULL""",
    "silver venue markets exist": """
        SELECT v.venue_id FROM silver.venues AS v
        LEFT JOIN silver.markets AS m ON v.market_id = m.market_id
        WHERE v.market_id IS NOT NULL AND m.market_id IS NULL""",
    "silver event classifications exist": """
        SELECT e.event_id FROM silver.events AS e
        LEFT JOIN silver.classifications AS c ON e.genre_id = c.classification_id
        WHERE e.genre_id IS NOT NULL AND c.classification_id IS NULL""",
    "gold bridge orphans": """
        SELECT b.event_id FROM gold.bridge_event_attraction AS b
        LEFT JOIN gold.fact_events AS f ON b.event_id = f.event_id
        LEFT JOIN gold.dim_attraction AS a ON b.attraction_sk = a.attraction_sk
        WHERE f.event_id IS NULL OR a.attraction_sk IS NULL OR a.attraction_id <> b.attraction_id""",
    "one current version per venue": """
        SELECT venue_id FROM gold.dim_venue GROUP BY venue_id HAVING count_if(is_current) <> 1""",
    "one current version per attraction": """
        SELECT attraction_id FROM gold.dim_attraction GROUP BY attraction_id HAVING count_if(is_current) <> 1""",
    "dim_date covers the events with margin": """
        SELECT e.event_id FROM silver.events AS e
        WHERE e.start_local_date IS NOT NULL AND NOT EXISTS (
            SELECT 1 FROM gold.dim_date AS d
            WHERE d.full_date = e.start_local_date - INTERVAL 365 DAY
        ) OR e.start_local_date IS NOT NULL AND NOT EXISTS (
            SELECT 1 FROM gold.dim_date AS d
            WHERE d.full_date = e.start_local_date + INTERVAL 365 DAY
        )""",
    "dim_date has no gaps": """
        SELECT 1 FROM gold.dim_date WHERE date_key <> -1
        HAVING count(*) <> max(full_date) - min(full_date) + 1""",
}

MATERIALIZED_VIEWS = ("mv_events_by_date_venue", "mv_events_by_attraction", "mv_monthly_summary")


def broken_invariants(data_dir: Path) -> dict[str, list[tuple]]:
    found = {name: rows(data_dir, sql) for name, sql in INVARIANTS.items()}
    for mv in MATERIALIZED_VIEWS:
        found[f"{mv} equals its defining query"] = rows(
            data_dir,
            f"(SELECT * FROM gold.{mv} EXCEPT ALL SELECT * FROM gold.{mv}__definition) "
            f"UNION ALL (SELECT * FROM gold.{mv}__definition EXCEPT ALL SELECT * FROM gold.{mv})",
        )
    return {name: bad[:5] for name, bad in found.items() if bad}
