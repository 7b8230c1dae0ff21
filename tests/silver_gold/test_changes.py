"""Gold over successive landings: SCD2 versions, re-landed events, idempotent runs, full refresh, real-data quirks."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import duckdb
import pytest

from tests.silver_gold.helpers import (
    attraction,
    broken_invariants,
    event,
    gold_snapshot,
    land,
    rows,
    run,
    venue,
)

HALL = venue("V1", "Old Hall")
ARENA = venue("V2", "Arena", city="Shelbyville", market="8")
BAND = attraction("A1", "The Band")
OPENER = attraction("A2", "The Opener")


def _first_landing(lake):
    land(lake, "venues", "venues-1.json", [HALL, ARENA])
    land(lake, "attractions", "attractions-1.json", [BAND, OPENER])
    land(
        lake,
        "events",
        "events-1.json",
        [
            event("E1", venues=[HALL], attractions=[BAND, OPENER], prices=[("USD", 20.0, 80.0)]),
            event("E2", venues=[HALL], attractions=[BAND], local_date="2027-01-10"),
            event("E3", venues=[ARENA], attractions=[OPENER], local_date="2026-12-31"),
        ],
    )
    run(lake)


@pytest.fixture(scope="session")
def first_landing_built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The first landing, run once per test process: the tests start from copies of it."""
    lake = tmp_path_factory.mktemp("first-landing") / "data"
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("TICKETMASTER_API_KEY", raising=False)
        patch.chdir(lake.parent)
        _first_landing(lake)
    return lake


@pytest.fixture
def first_landed(lake: Path, first_landing_built: Path) -> Path:
    """The test's data directory after the first landing and its run (a private copy)."""
    shutil.copytree(first_landing_built, lake)
    return lake


def _fact(lake, event_id):
    return rows(
        lake,
        "SELECT f.venue_sk, v.venue_name, f.status_code, f.is_cancelled, f.price_min, f.price_max, "
        f"f.price_currency FROM gold.fact_events AS f JOIN gold.dim_venue AS v USING (venue_sk) "
        f"WHERE f.event_id = '{event_id}'",
    )


def test_a_renamed_venue_gets_a_second_version_and_only_new_facts_point_at_it(first_landed):
    lake = first_landed
    before = gold_snapshot(lake)
    (old_sk, _, *_rest) = _fact(lake, "E1")[0]

    renamed = venue("V1", "New Hall")
    land(lake, "venues", "venues-2.json", [renamed], day="2026/11/21")
    land(lake, "events", "events-2.json", [event("E4", venues=[renamed], attractions=[BAND])], day="2026/11/21")
    run(lake)

    versions = rows(
        lake,
        "SELECT venue_sk, venue_name, is_current, valid_from, valid_to FROM gold.dim_venue "
        "WHERE venue_id = 'V1' ORDER BY venue_sk",
    )
    assert [(name, current) for _, name, current, _, _ in versions] == [("Old Hall", False), ("New Hall", True)]
    (first_sk, _, _, _, closed_at), (new_sk, _, _, opened_at, _) = versions
    assert first_sk == old_sk and new_sk != old_sk and closed_at == opened_at
    assert _fact(lake, "E4")[0][:2] == (new_sk, "New Hall")
    assert _fact(lake, "E1")[0][:2] == (old_sk, "Old Hall")

    after = gold_snapshot(lake)
    # Nothing else changed: old facts, other venues, attractions, markets, classifications, calendar.
    assert [r for r in after["fact_events"] if r[0] != "E4"] == before["fact_events"]
    assert [r for r in after["bridge_event_attraction"] if r[0] != "E4"] == before["bridge_event_attraction"]
    assert [r for r in after["dim_venue"] if r[1] != "V1"] == [r for r in before["dim_venue"] if r[1] != "V1"]
    for table in ("dim_attraction", "dim_classification", "dim_market", "dim_date"):
        assert after[table] == before[table], table
    # The views count the renamed venue under its current name, once per day.
    assert rows(
        lake, "SELECT venue_name, sum(event_count) FROM gold.mv_events_by_date_venue WHERE venue_id = 'V1' GROUP BY 1"
    ) == [("New Hall", 3)]
    assert broken_invariants(lake) == {}


def test_an_event_landed_again_keeps_one_fact_row_with_the_new_values(first_landed):
    lake = first_landed
    keys_before = rows(lake, "SELECT venue_sk, attraction_sk FROM gold.fact_events WHERE event_id = 'E1'")
    changed = event("E1", venues=[HALL], attractions=[BAND], status="cancelled", prices=[("EUR", 35.5, 99.0)])
    land(lake, "events", "events-2.json", [changed], day="2026/11/21")
    run(lake)

    assert rows(lake, "SELECT count(*) FROM gold.fact_events WHERE event_id = 'E1'") == [(1,)]
    assert _fact(lake, "E1")[0][2:] == ("cancelled", True, 35.5, 99.0, "EUR")
    assert rows(lake, "SELECT venue_sk, attraction_sk FROM gold.fact_events WHERE event_id = 'E1'") == keys_before
    # The opener left the bill: the bridge follows the latest version of the event.
    assert rows(lake, "SELECT attraction_id FROM gold.bridge_event_attraction WHERE event_id = 'E1'") == [("A1",)]
    assert rows(lake, "SELECT count(*) FROM gold.fact_events") == [(3,)]
    assert broken_invariants(lake) == {}


def test_incremental_landings_then_full_refresh_leave_gold_unchanged(first_landed):
    lake = first_landed
    land(lake, "venues", "venues-2.json", [venue("V1", "New Hall")], day="2026/11/21")
    land(lake, "events", "events-2.json", [event("E5", venues=[ARENA], status="rescheduled")], day="2026/11/21")
    run(lake)
    incremental = gold_snapshot(lake)
    run(lake)
    assert gold_snapshot(lake) == incremental
    run(lake, "--full-refresh")
    assert gold_snapshot(lake) == incremental


def test_the_data_as_it_really_is(lake):
    no_timezone = event("Q1", venues=[venue("V9", "Tz Hall", tz="Europe/Berlin")], timezone=None)
    placeholder = event("Q2", venues=[HALL], onsale="1900-01-01T06:00:00Z")
    tba = event("Q3", venues=[HALL], local_date=None, tba=True)
    currencies = event("Q4", venues=[HALL], prices=[("GBP", 10.0, 20.0), ("EUR", 12.0, 25.0), ("GBP", 5.0, 30.0)])
    nowhere = event("Q5")
    land(lake, "events", "quirks.json", [no_timezone, placeholder, tba, currencies, nowhere])
    land(lake, "events", "empty.json", [])
    # Two versions of one event in one landing: the later file wins.
    land(lake, "events", "twice-a.json", [event("Q6", venues=[HALL], status="onsale")])
    land(lake, "events", "twice-b.json", [event("Q6", venues=[HALL], status="postponed")])
    run(lake)

    assert rows(lake, "SELECT status_code FROM gold.fact_events WHERE event_id = 'Q6'") == [("postponed",)]

    got = {
        r[0]: r[1:]
        for r in rows(
            lake,
            "SELECT e.event_id, e.timezone, e.timezone_from_venue, e.sales_public_start, f.event_date_key, "
            "f.is_date_tba, f.price_currency, f.price_min, f.price_max, f.currency_count "
            "FROM silver.events AS e JOIN gold.fact_events AS f USING (event_id)",
        )
    }
    assert got["Q1"][:2] == ("Europe/Berlin", True)
    assert got["Q2"][2] is None
    assert got["Q3"][3:5] == (-1, True)
    assert got["Q4"][5:] == ("GBP", 5.0, 30.0, 2)
    assert got["Q5"][5:] == (None, None, None, 0)
    # Latitude and longitude arrive as strings and become numbers.
    assert rows(lake, "SELECT latitude, longitude FROM silver.venues WHERE venue_id = 'V1'") == [(39.78, -89.65)]
    # The event without venue or attractions points at the unknown members.
    assert rows(
        lake,
        "SELECT v.venue_id, a.attraction_id, m.market_id FROM gold.fact_events AS f "
        "JOIN gold.dim_venue AS v USING (venue_sk) JOIN gold.dim_attraction AS a USING (attraction_sk) "
        "JOIN gold.dim_market AS m USING (market_sk) WHERE f.event_id = 'Q5'",
    ) == [("-1", "-1", "-1")]
    assert broken_invariants(lake) == {}


def test_keys_no_landed_object_had_yet_read_as_null(lake):
    # Locally bronze has a column per key only once some file carried it: no prices, venues,
    # attractions, classifications or promoter anywhere yet must still load.
    bare = {"id": "B1", "name": "Bare", "type": "event", "dates": {"start": {"localDate": "2026-12-01"}}}
    land(lake, "events", "bare.json", [bare])
    run(lake)
    assert rows(
        lake,
        "SELECT f.event_id, f.event_date_key, f.price_min, f.venue_count, v.venue_id "
        "FROM gold.fact_events AS f JOIN gold.dim_venue AS v USING (venue_sk)",
    ) == [("B1", 20261201, None, 0, "-1")]
    assert broken_invariants(lake) == {}


def test_a_silver_table_that_missed_a_load_catches_up_from_bronze(first_landed):
    # As after a crash between silver.events and the bridges: event_venues never recorded that load.
    lake = first_landed
    land(lake, "events", "events-2.json", [event("E5", venues=[ARENA], attractions=[BAND])], day="2026/11/21")
    run(lake)
    pairs = rows(lake, "SELECT event_id, venue_id FROM silver.event_venues ORDER BY 1")
    with duckdb.connect(str(lake / "lakehouse.duckdb")) as connection:
        connection.execute("DELETE FROM silver.event_venues WHERE event_id = 'E5'")
        connection.execute(
            "UPDATE silver.load_state SET high_watermark = TIMESTAMP '2000-01-01' "
            "WHERE object_name = 'silver.event_venues' AND source_table = 'bronze.events_raw'"
        )
    run(lake)
    assert rows(lake, "SELECT event_id, venue_id FROM silver.event_venues ORDER BY 1") == pairs
    assert ("E5", "V2") in pairs
    assert broken_invariants(lake) == {}


def test_every_silver_read_of_landed_events_skips_records_without_a_usable_id():
    # what bronze_records_kept_aside reports is read by no silver table, on either target
    from runner.config import load_target
    from runner.project import compile_project

    for name in ("local", "databricks"):
        reads = [
            (obj.key, statement.sql[found.end() :])
            for obj in compile_project(load_target(name, data_dir=Path("unused")), "silver")
            for statement in obj.run
            for found in re.finditer(r"FROM \S*events_raw AS r\) AS r\s+WHERE ", statement.sql)
        ]
        assert len(reads) >= 9, name
        for key, read in reads:
            # the watermark's subquery, then the id test
            watermark_then_id = (
                r"r\._ingestion_timestamp > \((?:(?!\bFROM \().){0,400}?\)"
                r"\s+AND r\.id IS NOT NULL AND length\(r\.id\) > 0"
            )
            assert re.match(watermark_then_id, read, re.S), (name, key, read[:600])


def _documents(lake) -> dict[str, tuple[str, object]]:
    return {r[0]: (r[1], r[2]) for r in rows(lake, "SELECT event_id, document, updated_at FROM gold.event_documents")}


def test_search_documents_follow_renamed_venues_and_attractions_and_nothing_else(first_landed):
    # Documents are rebuilt only for events whose inputs changed; those must still all be rebuilt.
    lake = first_landed
    before = _documents(lake)
    run(lake)
    assert _documents(lake) == before  # nothing landed: nothing rewritten

    land(
        lake, "venues", "venues-2.json", [venue("V2", "Grand Arena", city="Shelbyville", market="8")], day="2026/11/21"
    )
    land(lake, "attractions", "attractions-2.json", [attraction("A1", "The Renamed Band")], day="2026/11/21")
    test_event = event("E2", venues=[HALL], attractions=[BAND], local_date="2027-01-10") | {"test": True}
    land(lake, "events", "events-2.json", [test_event], day="2026/11/21")
    run(lake)
    after = _documents(lake)

    assert "Grand Arena" in after["E3"][0] and "Grand Arena" not in before["E3"][0]
    assert "The Renamed Band" in after["E1"][0] and "The Opener" in after["E1"][0]
    assert "E2" not in after  # turned into a test event: not searchable
    assert set(after) == {"E1", "E3"}


def test_an_identical_venue_landed_again_changes_nothing_downstream(first_landed):
    lake = first_landed
    venue_row = rows(lake, "SELECT * FROM silver.venues WHERE venue_id = 'V1'")
    before = _documents(lake)
    # a new event embeds the same hall, unchanged: the hall's row and its other events stay untouched
    land(lake, "events", "events-2.json", [event("E6", venues=[HALL], attractions=[BAND])], day="2026/11/21")
    run(lake)
    assert rows(lake, "SELECT * FROM silver.venues WHERE venue_id = 'V1'") == venue_row
    after = _documents(lake)
    assert {e: after[e] for e in before} == before
    assert "Old Hall" in after["E6"][0]


def test_the_first_listed_venue_decides_even_where_it_has_no_timezone(lake):
    # Databricks' min_by returns the first venue's NULL timezone; it must not fall back to the second's.
    no_timezone = venue("V-NOTZ", "Open Air Field")
    del no_timezone["timezone"]
    land(
        lake,
        "events",
        "events.json",
        [event("E-NOTZ", venues=[no_timezone, venue("V-TZ", "Hall", tz="America/Denver")], timezone=None)],
    )
    run(lake)
    assert rows(lake, "SELECT primary_venue_id, timezone, timezone_from_venue, venue_count FROM silver.events") == [
        ("V-NOTZ", None, False, 2)
    ]
