"""Gold is right on the project's sample and on every real recorded Ticketmaster response."""

from __future__ import annotations

from pathlib import Path

import pytest

from lakehouse.cli import main
from tests.recorded import recorded_entities
from tests.silver_gold.helpers import (
    broken_invariants,
    expected_counts,
    gold_counts,
    gold_snapshot,
    land,
    latest_events,
    mv_counts,
    rows,
    run,
)


@pytest.fixture(scope="module")
def sample_lake(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The offline sample, landed and run once for the tests of this module that only read."""
    data_dir = tmp_path_factory.mktemp("sample") / "data"
    assert main(["run", "--sample", "--data-dir", str(data_dir)]) == 0
    return data_dir


def test_sample_has_one_fact_row_per_distinct_event(sample_lake):
    distinct = len(latest_events(sample_lake))
    assert rows(sample_lake, "SELECT count(*), count(DISTINCT event_id) FROM gold.fact_events") == [
        (distinct, distinct)
    ]


def test_sample_keys_resolve_bridges_have_no_orphans_and_views_equal_their_queries(sample_lake):
    assert broken_invariants(sample_lake) == {}


def test_sample_counts_per_venue_attraction_and_month_match_the_landed_json(sample_lake):
    expected = expected_counts(latest_events(sample_lake))
    assert gold_counts(sample_lake) == expected
    assert mv_counts(sample_lake) == expected


def test_no_fact_key_is_null_and_unknown_members_exist(sample_lake):
    assert rows(
        sample_lake,
        "SELECT count(*) FROM gold.fact_events WHERE event_date_key IS NULL OR venue_sk IS NULL "
        "OR attraction_sk IS NULL OR classification_sk IS NULL OR market_sk IS NULL",
    ) == [(0,)]
    assert rows(
        sample_lake,
        "SELECT (SELECT count(*) FROM gold.dim_venue WHERE venue_id = '-1'), "
        "(SELECT count(*) FROM gold.dim_attraction WHERE attraction_id = '-1'), "
        "(SELECT count(*) FROM gold.dim_classification WHERE classification_key = '-1'), "
        "(SELECT count(*) FROM gold.dim_market WHERE market_id = '-1'), "
        "(SELECT count(*) FROM gold.dim_date WHERE date_key = -1)",
    ) == [(1, 1, 1, 1, 1)]


def test_every_gold_table_and_column_has_a_comment(sample_lake):
    tables = rows(
        sample_lake,
        "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'gold' "
        "AND (table_name LIKE 'fact_%' OR table_name LIKE 'dim_%' OR table_name LIKE 'bridge_%' "
        "OR table_name LIKE 'mv_%') AND coalesce(comment, '') = ''",
    )
    columns = rows(
        sample_lake,
        "SELECT table_name, column_name FROM duckdb_columns() WHERE schema_name = 'gold' "
        "AND (table_name LIKE 'fact_%' OR table_name LIKE 'dim_%' OR table_name LIKE 'bridge_%' "
        "OR table_name LIKE 'mv_%') AND table_name NOT LIKE '%__definition' AND coalesce(comment, '') = ''",
    )
    assert tables == [] and columns == []


def test_a_second_run_without_new_data_changes_nothing_in_gold(sample_lake):
    before = gold_snapshot(sample_lake)
    run(sample_lake)
    assert gold_snapshot(sample_lake) == before


def test_full_refresh_rebuilds_from_bronze_and_gives_the_same_gold(sample_lake):
    before = gold_snapshot(sample_lake)
    run(sample_lake, "--full-refresh")
    assert gold_snapshot(sample_lake) == before
    assert broken_invariants(sample_lake) == {}


def test_every_real_fixture_event_lands_in_gold_with_counts_matching_the_json(lake, fixtures_dir):
    found = recorded_entities(fixtures_dir)
    for entity, objects in found.items():
        land(lake, entity, f"recorded-{entity}.json", list(objects.values()))
    # An empty page lands as an empty file and must change nothing.
    land(lake, "events", "recorded-empty-page.json", [])
    run(lake)
    events = latest_events(lake)
    assert len(events) == len(found["events"])
    assert rows(lake, "SELECT count(*), count(DISTINCT event_id) FROM gold.fact_events") == [(len(events), len(events))]
    assert broken_invariants(lake) == {}
    expected = expected_counts(events)
    assert gold_counts(lake) == expected
    assert mv_counts(lake) == expected
    # Real-data quirks: cancelled spelled as sent, prices only where listed, the on-sale placeholder unknown.
    statuses = {(e.get("dates") or {}).get("status", {}).get("code") for e in events.values()}
    assert {s for (s,) in rows(lake, "SELECT DISTINCT status_code FROM gold.fact_events")} == statuses
    # (a few real price ranges carry a currency but no amounts)
    priced = sum(1 for e in events.values() if any("min" in p for p in e.get("priceRanges", [])))
    assert rows(lake, "SELECT count(price_min) FROM gold.fact_events") == [(priced,)]
    assert rows(lake, "SELECT count(*) FROM gold.fact_events WHERE year(sales_public_start) <= 1900") == [(0,)]
