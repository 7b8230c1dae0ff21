-- Procedure sp_generate_event_summary: monthly event KPIs from the gold star schema into event_summary_monthly(_price); grain: one call per range of months, every run for the months of all events.
{%- from 'procedures/_call_log.jinja' import log_failed_call_and_resignal, log_succeeded_call with context %}
CREATE OR REPLACE PROCEDURE {{ this }}(IN start_month DATE DEFAULT NULL, IN end_month DATE DEFAULT NULL)
LANGUAGE SQL
SQL SECURITY INVOKER
COMMENT 'Write the KPIs of every month from start_month to end_month (any day of each; NULL: the first or last month with events) into event_summary_monthly and event_summary_monthly_price, replacing earlier rows of those months; months without events get a row of zeros. Returns the rows written.'  -- noqa: LT05
AS BEGIN
    DECLARE call_started_at TIMESTAMP DEFAULT current_timestamp;
    DECLARE this_run_id STRING;
    DECLARE month_start DATE;
    DECLARE next_month DATE;
    DECLARE last_month DATE;
    DECLARE months_written INT DEFAULT 0;
    DECLARE call_error STRING;

    {{ log_failed_call_and_resignal('monthly event summary', rows='months_written') }};

    -- The run in progress (the runner registers it in etl_log), else an id of this call.
    SET this_run_id = coalesce(
        (
            SELECT max_by(run_id, started_at)
            FROM {{ ref('gold.etl_log') }}
            WHERE step_name = 'run' AND status = 'running' AND started_at >= call_started_at - INTERVAL 1 DAY
        ),
        'sql-' || CAST(uuid() AS STRING)
    );

    SET month_start = CAST(
        date_trunc('MONTH', coalesce(start_month, (SELECT min(start_local_date) FROM {{ ref('gold.fact_events') }})))
        AS DATE
    );
    SET last_month = CAST(
        date_trunc('MONTH', coalesce(end_month, (SELECT max(start_local_date) FROM {{ ref('gold.fact_events') }})))
        AS DATE
    );
    IF month_start > last_month THEN
        SIGNAL SQLSTATE '22023' SET MESSAGE_TEXT = 'sp_generate_event_summary: start_month is after end_month';
    END IF;

    -- Set-based: one pass over the facts of the range, not one per month.
    SET next_month = CAST(last_month + INTERVAL 1 MONTH AS DATE);
    DELETE FROM {{ ref('gold.event_summary_monthly') }}
    WHERE summary_month >= month_start AND summary_month <= last_month;
    DELETE FROM {{ ref('gold.event_summary_monthly_price') }}
    WHERE summary_month >= month_start AND summary_month <= last_month;

    INSERT INTO {{ ref('gold.event_summary_monthly') }} (
        summary_month, has_events, event_count, venue_count, attraction_count, priced_event_count,
        cancelled_share, rescheduled_share, top_venue_id, top_venue_name, top_venue_event_count,
        top_attraction_id, top_attraction_name, top_attraction_event_count, run_id, generated_at
    )
    WITH months AS (
        -- every month of the range: a month without events is reported, not skipped
        SELECT calendar_day AS summary_month
        FROM (SELECT {{ dates_between('month_start', 'last_month') }} AS calendar_day) AS days
        WHERE day(calendar_day) = 1
    ),

    events AS (
        SELECT
            CAST(date_trunc('MONTH', f.start_local_date) AS DATE) AS summary_month,
            f.event_id,
            f.venue_sk,
            f.price_min,
            f.is_cancelled,
            f.status_code
        FROM {{ ref('gold.fact_events') }} AS f
        WHERE f.start_local_date >= month_start AND f.start_local_date < next_month
    ),

    -- events per month and venue version: the venue figures below group these few rows, not every event
    venue_version_months AS (
        SELECT summary_month, venue_sk, count(*) AS event_count
        FROM events
        GROUP BY summary_month, venue_sk
    ),

    totals AS (
        SELECT
            e.summary_month,
            count(*) AS event_count,
            count(e.price_min) AS priced_event_count,
            -- averages of integers: a DOUBLE on both engines (1.0 is a DECIMAL, and Databricks
            -- rounds the average of a DECIMAL(2,1) to five places)
            avg(CASE WHEN e.is_cancelled THEN 1 ELSE 0 END) AS cancelled_share,
            avg(CASE WHEN e.status_code = 'rescheduled' THEN 1 ELSE 0 END) AS rescheduled_share
        FROM events AS e
        INNER JOIN {{ ref('gold.dim_venue') }} AS v ON e.venue_sk = v.venue_sk
        GROUP BY e.summary_month
    ),

    venue_counts AS (
        SELECT m.summary_month, count(DISTINCT CASE WHEN v.venue_id <> '-1' THEN v.venue_id END) AS venue_count
        FROM venue_version_months AS m
        INNER JOIN {{ ref('gold.dim_venue') }} AS v ON m.venue_sk = v.venue_sk
        GROUP BY m.summary_month
    ),

    -- events per month and attraction: the attraction figures below group these, not every appearance;
    -- one bridge row per (event, attraction), so plain counts count events
    attraction_id_months AS (
        SELECT e.summary_month, b.attraction_id, count(*) AS event_count
        FROM {{ ref('gold.bridge_event_attraction') }} AS b
        INNER JOIN events AS e ON b.event_id = e.event_id
        GROUP BY e.summary_month, b.attraction_id
    ),

    attractions AS (
        SELECT summary_month, count(attraction_id) AS attraction_count
        FROM attraction_id_months
        GROUP BY summary_month
    ),

    -- the busiest venue of each month (ties: smallest current name, then id)
    venue_months AS (
        SELECT m.summary_month, v.venue_id, cur.venue_name, CAST(sum(m.event_count) AS BIGINT) AS event_count
        FROM venue_version_months AS m
        INNER JOIN {{ ref('gold.dim_venue') }} AS v ON m.venue_sk = v.venue_sk
        LEFT JOIN {{ ref('gold.dim_venue') }} AS cur ON v.venue_id = cur.venue_id AND cur.is_current
        WHERE v.venue_id <> '-1'
        GROUP BY m.summary_month, v.venue_id, cur.venue_name
    ),

    top_venue AS (
        SELECT *
        FROM (
            SELECT
                venue_months.*,
                row_number() OVER (
                    PARTITION BY summary_month ORDER BY event_count DESC, venue_name ASC NULLS LAST, venue_id ASC
                ) AS venue_rank
            FROM venue_months
        ) AS ranked
        WHERE venue_rank = 1
    ),

    -- the most events any attraction has in each month: only attractions with that many are ranked
    -- below (ranking every attraction of a month by name took most of the statement's time)
    busiest_attraction_counts AS (
        SELECT summary_month, max(event_count) AS event_count
        FROM attraction_id_months
        GROUP BY summary_month
    ),

    -- the attraction in most events of each month (ties: smallest current name, then id); every row of
    -- one attraction id carries the same count, so max() keeps it whatever its current versions are
    attraction_months AS (
        SELECT a.summary_month, a.attraction_id, cur.attraction_name, max(a.event_count) AS event_count
        FROM attraction_id_months AS a
        INNER JOIN busiest_attraction_counts AS busiest
            ON a.summary_month = busiest.summary_month AND a.event_count = busiest.event_count
        LEFT JOIN {{ ref('gold.dim_attraction') }} AS cur ON a.attraction_id = cur.attraction_id AND cur.is_current
        GROUP BY a.summary_month, a.attraction_id, cur.attraction_name
    ),

    top_attraction AS (
        SELECT *
        FROM (
            SELECT
                attraction_months.*,
                row_number() OVER (
                    PARTITION BY summary_month
                    ORDER BY event_count DESC, attraction_name ASC NULLS LAST, attraction_id ASC
                ) AS attraction_rank
            FROM attraction_months
        ) AS ranked
        WHERE attraction_rank = 1
    )

    SELECT
        m.summary_month,
        totals.summary_month IS NOT NULL,
        coalesce(totals.event_count, 0),
        coalesce(venue_counts.venue_count, 0),
        coalesce(attractions.attraction_count, 0),
        coalesce(totals.priced_event_count, 0),
        totals.cancelled_share,
        totals.rescheduled_share,
        top_venue.venue_id,
        top_venue.venue_name,
        top_venue.event_count,
        top_attraction.attraction_id,
        top_attraction.attraction_name,
        top_attraction.event_count,
        this_run_id,
        current_timestamp
    FROM months AS m
    LEFT JOIN totals ON m.summary_month = totals.summary_month
    LEFT JOIN venue_counts ON m.summary_month = venue_counts.summary_month
    LEFT JOIN attractions ON m.summary_month = attractions.summary_month
    LEFT JOIN top_venue ON m.summary_month = top_venue.summary_month
    LEFT JOIN top_attraction ON m.summary_month = top_attraction.summary_month;

    INSERT INTO {{ ref('gold.event_summary_monthly_price') }} (
        summary_month, price_currency, priced_event_count, avg_min_price, median_min_price, run_id, generated_at
    )
    SELECT
        CAST(date_trunc('MONTH', start_local_date) AS DATE),
        price_currency,
        count(*),
        avg(price_min),
        CAST(median(price_min) AS DOUBLE),
        this_run_id,
        current_timestamp
    FROM {{ ref('gold.fact_events') }}
    WHERE start_local_date >= month_start AND start_local_date < next_month
        AND price_min IS NOT NULL AND price_currency IS NOT NULL
    GROUP BY CAST(date_trunc('MONTH', start_local_date) AS DATE), price_currency;

    SET months_written = (
        SELECT count(*) FROM {{ ref('gold.event_summary_monthly') }}
        WHERE summary_month >= month_start AND summary_month <= last_month
    );

    {{ log_succeeded_call('monthly event summary', rows='months_written') }};

    SELECT summary_month, has_events, event_count, venue_count, attraction_count, cancelled_share, rescheduled_share,
        top_venue_name, top_attraction_name
    FROM {{ ref('gold.event_summary_monthly') }}
    WHERE summary_month >= date_trunc('MONTH', coalesce(start_month, DATE '1900-01-01'))
        AND summary_month <= coalesce(end_month, DATE '9999-12-31')
    ORDER BY summary_month;
END;

-- Every run, after the gold refresh: the months of all events.
CALL {{ this }}()
