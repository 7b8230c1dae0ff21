"""sp_generate_event_summary: month by month, months without events included, figures as computed from silver."""

from __future__ import annotations

from datetime import date

from tests.quality.conftest import Lakehouse


def _call(lakehouse: Lakehouse, args: str) -> int:
    script = lakehouse.data_dir.parent / "summary.sql"
    script.write_text(f"CALL {{{{ schema('gold') }}}}.sp_generate_event_summary({args})\n")
    return lakehouse.cli("exec", str(script))


def test_a_range_with_an_empty_month_has_that_month_with_zero_events(lakehouse: Lakehouse):
    first, last = lakehouse.rows("SELECT min(start_local_date), max(start_local_date) FROM silver.events")[0]
    # the month before the first event is empty
    empty = date(first.year - (first.month == 1), (first.month - 2) % 12 + 1, 1)
    lakehouse.sql("DELETE FROM gold.event_summary_monthly", "DELETE FROM gold.event_summary_monthly_price")
    assert _call(lakehouse, f"DATE '{empty}', DATE '{first}'") == 0
    rows = lakehouse.rows(
        "SELECT summary_month, has_events, event_count, venue_count, attraction_count, top_venue_id "
        "FROM gold.event_summary_monthly ORDER BY summary_month"
    )
    assert [r[0] for r in rows] == [empty, date(first.year, first.month, 1)]
    assert rows[0][1:] == (False, 0, 0, 0, None)
    assert rows[1][1] is True and rows[1][2] > 0
    assert lakehouse.rows("SELECT count(*) FROM gold.event_summary_monthly_price WHERE summary_month = ?", [empty]) == [
        (0,)
    ]


def test_monthly_figures_match_silver(lakehouse: Lakehouse):
    # the run already called the procedure for every month with events
    expected = lakehouse.rows(
        """
        SELECT
            date_trunc('month', e.start_local_date)::DATE AS month,
            count(*) AS events,
            count(DISTINCT e.primary_venue_id) AS venues,
            avg(CASE WHEN e.status_code = 'cancelled' THEN 1.0 ELSE 0.0 END) AS cancelled,
            avg(CASE WHEN e.status_code = 'rescheduled' THEN 1.0 ELSE 0.0 END) AS rescheduled
        FROM silver.events AS e
        WHERE e.start_local_date IS NOT NULL
        GROUP BY ALL ORDER BY 1
        """
    )
    actual = lakehouse.rows(
        "SELECT summary_month, event_count, venue_count, cancelled_share, rescheduled_share "
        "FROM gold.event_summary_monthly ORDER BY 1"
    )
    assert [r[:3] for r in actual] == [r[:3] for r in expected]
    for got, want in zip(actual, expected, strict=True):
        assert abs(got[3] - float(want[3])) < 1e-9 and abs(got[4] - float(want[4])) < 1e-9
    attractions = lakehouse.rows(
        """
        SELECT date_trunc('month', e.start_local_date)::DATE, count(DISTINCT ea.attraction_id)
        FROM silver.events AS e JOIN silver.event_attractions AS ea ON e.event_id = ea.event_id
        WHERE e.start_local_date IS NOT NULL GROUP BY ALL ORDER BY 1
        """
    )
    assert (
        lakehouse.rows(
            "SELECT summary_month, attraction_count FROM gold.event_summary_monthly "
            "WHERE attraction_count > 0 ORDER BY 1"
        )
        == attractions
    )
    prices = lakehouse.rows(
        """
        SELECT date_trunc('month', start_local_date)::DATE, price_currency, count(*), avg(price_min), median(price_min)
        FROM silver.events WHERE price_min IS NOT NULL AND start_local_date IS NOT NULL GROUP BY ALL ORDER BY 1, 2
        """
    )
    got = lakehouse.rows(
        "SELECT summary_month, price_currency, priced_event_count, avg_min_price, median_min_price "
        "FROM gold.event_summary_monthly_price ORDER BY 1, 2"
    )
    assert [r[:3] for r in got] == [r[:3] for r in prices]
    assert all(abs(a[3] - b[3]) < 1e-9 and abs(a[4] - b[4]) < 1e-9 for a, b in zip(got, prices, strict=True))


def test_top_venue_is_the_busiest_venue_of_the_month(lakehouse: Lakehouse):
    month, venue, count = lakehouse.rows(
        "SELECT summary_month, top_venue_id, top_venue_event_count FROM gold.event_summary_monthly "
        "WHERE has_events ORDER BY event_count DESC LIMIT 1"
    )[0]
    busiest = lakehouse.rows(
        """
        SELECT max(n) FROM (
            SELECT primary_venue_id, count(*) AS n FROM silver.events
            WHERE date_trunc('month', start_local_date)::DATE = ? AND primary_venue_id IS NOT NULL GROUP BY 1
        )
        """,
        [month],
    )[0][0]
    assert count == busiest
    assert lakehouse.rows(
        "SELECT count(*) FROM silver.events "
        "WHERE primary_venue_id = ? AND date_trunc('month', start_local_date)::DATE = ?",
        [venue, month],
    ) == [(count,)]


def test_top_attraction_of_every_month_is_in_most_events_ties_by_name(lakehouse: Lakehouse):
    expected = lakehouse.rows(
        """
        SELECT month, attraction_id, attraction_name, events FROM (
            SELECT
                date_trunc('month', e.start_local_date)::DATE AS month, ea.attraction_id, a.attraction_name,
                count(*) AS events
            FROM silver.events AS e
            JOIN silver.event_attractions AS ea ON e.event_id = ea.event_id
            LEFT JOIN silver.attractions AS a ON ea.attraction_id = a.attraction_id
            WHERE e.start_local_date IS NOT NULL
            GROUP BY ALL
        )
        QUALIFY row_number() OVER (
            PARTITION BY month ORDER BY events DESC, attraction_name ASC NULLS LAST, attraction_id
        ) = 1
        ORDER BY month
        """
    )
    assert len(expected) > 1
    assert (
        lakehouse.rows(
            "SELECT summary_month, top_attraction_id, top_attraction_name, top_attraction_event_count "
            "FROM gold.event_summary_monthly WHERE top_attraction_id IS NOT NULL ORDER BY 1"
        )
        == expected
    )


def test_summary_call_is_logged_in_etl_log(built_lakehouse):
    lakehouse = Lakehouse(built_lakehouse)
    assert lakehouse.rows(
        "SELECT status, rows_affected > 0 FROM gold.etl_log WHERE logged_by = 'sp_generate_event_summary'"
    ) == [("succeeded", True)]
