"""Each rule passes on the clean sample and fails on one injected defect of its kind, naming the row."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest

from tests.quality.conftest import Lakehouse


def _one(lakehouse: Lakehouse, sql: str) -> str:
    return str(lakehouse.rows(sql)[0][0])


def _event_with(lakehouse: Lakehouse, condition: str = "TRUE") -> str:
    return _one(lakehouse, f"SELECT min(event_id) FROM silver.events WHERE {condition}")


@dataclass(frozen=True)
class Defect:
    rule: str
    severity: str
    inject: Callable[[Lakehouse], str]  # injects the defect, returns the key the sample must name


def duplicate_silver_event(lh: Lakehouse) -> str:
    event = _event_with(lh)
    lh.sql(f"INSERT INTO silver.events SELECT * FROM silver.events WHERE event_id = '{event}'")
    return f"silver.events:{event}"


def duplicate_fact_row(lh: Lakehouse) -> str:
    event = _event_with(lh)
    lh.sql(f"INSERT INTO gold.fact_events SELECT * FROM gold.fact_events WHERE event_id = '{event}'")
    return f"gold.fact_events:{event}"


def blank_bridge_venue(lh: Lakehouse) -> str:
    event = _one(lh, "SELECT min(event_id) FROM silver.event_venues")
    lh.sql(f"UPDATE silver.event_venues SET venue_id = '' WHERE event_id = '{event}'")
    return f"silver.event_venues.venue_id:{event}"


def venue_deleted_under_its_events(lh: Lakehouse) -> str:
    event, venue = lh.rows("SELECT event_id, venue_id FROM silver.event_venues ORDER BY ALL LIMIT 1")[0]
    lh.sql(f"DELETE FROM silver.venues WHERE venue_id = '{venue}'")
    return f"{event}/{venue}"


def attraction_deleted_under_its_events(lh: Lakehouse) -> str:
    event, attraction = lh.rows("SELECT event_id, attraction_id FROM silver.event_attractions ORDER BY ALL LIMIT 1")[0]
    lh.sql(f"DELETE FROM silver.attractions WHERE attraction_id = '{attraction}'")
    return f"silver:{event}/{attraction}"


def dangling_venue_key(lh: Lakehouse) -> str:
    event = _event_with(lh)
    lh.sql(f"UPDATE gold.fact_events SET venue_sk = 987654321 WHERE event_id = '{event}'")
    return event


def venue_lookup_missed(lh: Lakehouse) -> str:
    event = _event_with(lh, "primary_venue_id IS NOT NULL")
    lh.sql(
        "UPDATE gold.fact_events SET venue_sk = (SELECT venue_sk FROM gold.dim_venue WHERE venue_id = '-1') "
        f"WHERE event_id = '{event}'"
    )
    return event


def many_events_at_the_unknown_venue(lh: Lakehouse) -> str:
    # 10% of the events: above the rule's 5% allowance
    lh.sql(
        "UPDATE gold.fact_events SET venue_sk = (SELECT venue_sk FROM gold.dim_venue WHERE venue_id = '-1') "
        "WHERE event_id IN (SELECT event_id FROM gold.fact_events ORDER BY event_id LIMIT 50)"
    )
    return _one(lh, "SELECT min(event_id) FROM gold.fact_events")


def venue_without_current_version(lh: Lakehouse) -> str:
    venue = _one(lh, "SELECT min(venue_id) FROM gold.dim_venue WHERE venue_id <> '-1'")
    lh.sql(f"UPDATE gold.dim_venue SET is_current = FALSE WHERE venue_id = '{venue}'")
    return f"dim_venue:{venue}"


def overlapping_attraction_version(lh: Lakehouse) -> str:
    attraction = _one(lh, "SELECT min(attraction_id) FROM gold.dim_attraction WHERE attraction_id <> '-1'")
    lh.sql(
        "INSERT INTO gold.dim_attraction (attraction_sk, attraction_id, attraction_name, change_hash, valid_from, "
        f"valid_to, is_current) SELECT max(attraction_sk) + 1000, '{attraction}', 'older name', 'x', "
        "TIMESTAMP '2020-01-01', TIMESTAMP '2021-01-01', FALSE FROM gold.dim_attraction"
    )
    return f"dim_attraction:{attraction}"


def min_price_above_max(lh: Lakehouse) -> str:
    event = _event_with(lh)
    lh.sql(
        f"UPDATE gold.fact_events SET price_min = 80, price_max = 20, price_currency = 'USD' WHERE event_id = '{event}'"
    )
    return f"gold:{event}"


def date_in_1970(lh: Lakehouse) -> str:
    event = _event_with(lh, "start_local_date IS NOT NULL")
    lh.sql(f"UPDATE silver.events SET start_local_date = DATE '1970-01-01' WHERE event_id = '{event}'")
    return f"silver:{event}"


def fact_date_far_ahead(lh: Lakehouse) -> str:
    event = _event_with(lh, "start_local_date IS NOT NULL")
    lh.sql(f"UPDATE gold.fact_events SET start_local_date = DATE '2199-01-01' WHERE event_id = '{event}'")
    return f"gold:{event}"


def stale_landing(lh: Lakehouse) -> str:
    lh.sql("UPDATE bronze.events_raw SET _ingestion_timestamp = _ingestion_timestamp - INTERVAL 3 DAYS")
    return _one(lh, "SELECT CAST(max(_ingestion_timestamp) AS VARCHAR)[:10] FROM bronze.events_raw")


def event_missing_from_the_fact(lh: Lakehouse) -> str:
    event = _event_with(lh)
    lh.sql(f"DELETE FROM gold.fact_events WHERE event_id = '{event}'")
    return event


def nameless_event(lh: Lakehouse) -> str:
    event = _event_with(lh)
    lh.sql(f"UPDATE silver.events SET event_name = '  ' WHERE event_id = '{event}'")
    return f"silver:{event}"


def event_with_an_unknown_classification(lh: Lakehouse) -> str:
    event = _event_with(lh, "genre_id IS NOT NULL")
    lh.sql(f"UPDATE silver.events SET genre_id = 'KnvZfZ7vNOPE' WHERE event_id = '{event}'")
    return f"silver.events.genre_id:{event}"


def unknown_status(lh: Lakehouse) -> str:
    event = _event_with(lh)
    lh.sql(f"UPDATE gold.fact_events SET status_code = 'sold-out-ish' WHERE event_id = '{event}'")
    return f"gold:{event}"


def latitude_out_of_range(lh: Lakehouse) -> str:
    venue_sk = _one(lh, "SELECT min(venue_sk) FROM gold.dim_venue WHERE venue_id <> '-1'")
    lh.sql(f"UPDATE gold.dim_venue SET latitude = 123.4 WHERE venue_sk = {venue_sk}")
    return f"gold.dim_venue:{venue_sk}"


def day_missing_from_the_calendar(lh: Lakehouse) -> str:
    day = _one(lh, "SELECT CAST(min(full_date) + 40 AS VARCHAR) FROM gold.dim_date WHERE date_key <> -1")
    lh.sql(f"DELETE FROM gold.dim_date WHERE full_date = DATE '{day}'")
    return day


def fact_on_the_wrong_day(lh: Lakehouse) -> str:
    event = _event_with(lh, "start_local_date IS NOT NULL")
    lh.sql(
        "UPDATE gold.fact_events SET event_date_key = (SELECT min(date_key) FROM gold.dim_date WHERE date_key > 0) "
        f"WHERE event_id = '{event}'"
    )
    return event


def record_kept_aside_since_the_last_check(lh: Lakehouse) -> str:
    lh.sql(
        "INSERT INTO bronze._quarantine VALUES ('bronze.events_raw', 'events/2026/11/20/late.json', 7, "
        "'{\"name\": \"no id\"}', 'no usable id: the id field is missing', current_timestamp)"
    )
    return "events/2026/11/20/late.json:7"


DEFECTS = [
    Defect("silver_primary_keys_unique", "CRITICAL", duplicate_silver_event),
    Defect("gold_primary_keys_unique", "CRITICAL", duplicate_fact_row),
    Defect("business_keys_not_null", "HIGH", blank_bridge_venue),
    Defect("orphan_event_venues", "HIGH", venue_deleted_under_its_events),
    Defect("orphan_event_attractions", "HIGH", attraction_deleted_under_its_events),
    Defect("fact_keys_resolve", "CRITICAL", dangling_venue_key),
    Defect("fact_keys_unknown_member", "HIGH", venue_lookup_missed),
    Defect("fact_unknown_member_share", "MEDIUM", many_events_at_the_unknown_venue),
    Defect("scd2_one_current_version", "CRITICAL", venue_without_current_version),
    Defect("scd2_no_overlapping_versions", "HIGH", overlapping_attraction_version),
    Defect("price_sanity", "MEDIUM", min_price_above_max),
    Defect("event_dates_plausible", "MEDIUM", date_in_1970),
    Defect("event_dates_plausible", "MEDIUM", fact_date_far_ahead),
    Defect("landing_freshness", "HIGH", stale_landing),
    Defect("fact_grain", "CRITICAL", event_missing_from_the_fact),
    Defect("event_name_present", "LOW", nameless_event),
    Defect("silver_references_resolve", "MEDIUM", event_with_an_unknown_classification),
    Defect("event_status_known", "LOW", unknown_status),
    Defect("venue_coordinates_in_range", "LOW", latitude_out_of_range),
    Defect("dim_date_complete", "MEDIUM", day_missing_from_the_calendar),
    Defect("fact_date_matches_event", "HIGH", fact_on_the_wrong_day),
    Defect("bronze_records_kept_aside", "HIGH", record_kept_aside_since_the_last_check),
]


def test_every_rule_has_a_defect_test():
    from tests.quality.test_framework import RULE_FILES

    assert {d.rule for d in DEFECTS} == {p.stem for p in RULE_FILES}


@pytest.mark.parametrize("defect", DEFECTS, ids=[f"{d.rule}-{d.inject.__name__}" for d in DEFECTS])
def test_rule_fails_on_its_defect_and_names_the_row(lakehouse: Lakehouse, defect: Defect):
    key = defect.inject(lakehouse)
    result = lakehouse.check("defect")[defect.rule]
    assert result["status"] == "failed", result
    assert result["severity"] == defect.severity
    assert result["rows_failing"] >= 1
    assert key in result["failing_sample"].split(", ") or key in result["failing_sample"]


def test_a_share_rule_tolerates_a_few_offending_rows_but_keeps_them_as_evidence(lakehouse: Lakehouse):
    event = venue_lookup_missed(lakehouse)
    result = lakehouse.check("few")["fact_unknown_member_share"]
    assert (result["status"], result["rows_failing"], result["failing_sample"]) == ("passed", 1, event)
