-- Procedure sp_generate_event_summary: monthly event KPIs from the gold star schema into event_summary_monthly(_price); grain: one call per range of months, every run for the months of all events.
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
    DECLARE month_events BIGINT;
    DECLARE months_written INT DEFAULT 0;
    DECLARE call_error STRING;

    DECLARE EXIT HANDLER FOR SQLEXCEPTION
    BEGIN
        GET DIAGNOSTICS CONDITION 1 call_error = MESSAGE_TEXT;
        INSERT INTO {{ ref('gold.etl_log') }} (
            run_id, step_number, step_name, step_description, started_at, ended_at, rows_affected, status,
            error_message, logged_by
        )
        VALUES (
            coalesce(this_run_id, 'unknown'), NULL, 'sp_generate_event_summary', 'monthly event summary',
            call_started_at, current_timestamp, months_written, 'failed', call_error, 'sp_generate_event_summary'
        );
        RESIGNAL;
    END;

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

    months: WHILE month_start <= last_month DO
        SET next_month = CAST(month_start + INTERVAL 1 MONTH AS DATE);
        SET month_events = (
            SELECT count(*)
            FROM {{ ref('gold.fact_events') }}
            WHERE start_local_date >= month_start AND start_local_date < next_month
        );

        DELETE FROM {{ ref('gold.event_summary_monthly') }} WHERE summary_month = month_start;
        DELETE FROM {{ ref('gold.event_summary_monthly_price') }} WHERE summary_month = month_start;

        IF month_events = 0 THEN
            -- A month without events is reported, not skipped: a gap in a chart is a finding.
            INSERT INTO {{ ref('gold.event_summary_monthly') }} (
                summary_month, has_events, event_count, venue_count, attraction_count, priced_event_count,
                cancelled_share, rescheduled_share, top_venue_id, top_venue_name, top_venue_event_count,
                top_attraction_id, top_attraction_name, top_attraction_event_count, run_id, generated_at
            ) VALUES (
                month_start, FALSE, 0, 0, 0, 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, this_run_id,
                current_timestamp
            );
        ELSE
            INSERT INTO {{ ref('gold.event_summary_monthly') }} (
                summary_month, has_events, event_count, venue_count, attraction_count, priced_event_count,
                cancelled_share, rescheduled_share, top_venue_id, top_venue_name, top_venue_event_count,
                top_attraction_id, top_attraction_name, top_attraction_event_count, run_id, generated_at
            )
            SELECT
                month_start,
                TRUE,
                totals.event_count,
                totals.venue_count,
                attractions.attraction_count,
                totals.priced_event_count,
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
            FROM (
                SELECT
                    count(*) AS event_count,
                    count(DISTINCT CASE WHEN v.venue_id <> '-1' THEN v.venue_id END) AS venue_count,
                    count(f.price_min) AS priced_event_count,
                    -- averages of integers: a DOUBLE on both engines (1.0 is a DECIMAL, and Databricks
                    -- rounds the average of a DECIMAL(2,1) to five places)
                    avg(CASE WHEN f.is_cancelled THEN 1 ELSE 0 END) AS cancelled_share,
                    avg(CASE WHEN f.status_code = 'rescheduled' THEN 1 ELSE 0 END) AS rescheduled_share
                FROM {{ ref('gold.fact_events') }} AS f
                INNER JOIN {{ ref('gold.dim_venue') }} AS v ON f.venue_sk = v.venue_sk
                WHERE f.start_local_date >= month_start AND f.start_local_date < next_month
            ) AS totals
            CROSS JOIN (
                SELECT count(DISTINCT b.attraction_id) AS attraction_count
                FROM {{ ref('gold.bridge_event_attraction') }} AS b
                INNER JOIN {{ ref('gold.fact_events') }} AS f ON b.event_id = f.event_id
                WHERE f.start_local_date >= month_start AND f.start_local_date < next_month
            ) AS attractions
            LEFT JOIN (
                SELECT v.venue_id, cur.venue_name, count(*) AS event_count
                FROM {{ ref('gold.fact_events') }} AS f
                INNER JOIN {{ ref('gold.dim_venue') }} AS v ON f.venue_sk = v.venue_sk
                LEFT JOIN {{ ref('gold.dim_venue') }} AS cur ON v.venue_id = cur.venue_id AND cur.is_current
                WHERE f.start_local_date >= month_start AND f.start_local_date < next_month AND v.venue_id <> '-1'
                GROUP BY v.venue_id, cur.venue_name
                ORDER BY event_count DESC, cur.venue_name ASC NULLS LAST, v.venue_id ASC
                LIMIT 1
            ) AS top_venue ON TRUE
            LEFT JOIN (
                SELECT b.attraction_id, cur.attraction_name, count(DISTINCT b.event_id) AS event_count
                FROM {{ ref('gold.bridge_event_attraction') }} AS b
                INNER JOIN {{ ref('gold.fact_events') }} AS f ON b.event_id = f.event_id
                LEFT JOIN {{ ref('gold.dim_attraction') }} AS cur
                    ON b.attraction_id = cur.attraction_id AND cur.is_current
                WHERE f.start_local_date >= month_start AND f.start_local_date < next_month
                GROUP BY b.attraction_id, cur.attraction_name
                ORDER BY event_count DESC, cur.attraction_name ASC NULLS LAST, b.attraction_id ASC
                LIMIT 1
            ) AS top_attraction ON TRUE;

            INSERT INTO {{ ref('gold.event_summary_monthly_price') }} (
                summary_month, price_currency, priced_event_count, avg_min_price, median_min_price, run_id,
                generated_at
            )
            SELECT
                month_start,
                price_currency,
                count(*),
                avg(price_min),
                CAST(median(price_min) AS DOUBLE),
                this_run_id,
                current_timestamp
            FROM {{ ref('gold.fact_events') }}
            WHERE start_local_date >= month_start AND start_local_date < next_month
                AND price_min IS NOT NULL AND price_currency IS NOT NULL
            GROUP BY price_currency;
        END IF;

        SET months_written = months_written + 1;
        SET month_start = next_month;
    END WHILE months;

    INSERT INTO {{ ref('gold.etl_log') }} (
        run_id, step_number, step_name, step_description, started_at, ended_at, rows_affected, status,
        error_message, logged_by
    )
    VALUES (
        this_run_id, NULL, 'sp_generate_event_summary', 'monthly event summary', call_started_at, current_timestamp,
        months_written, 'succeeded', NULL, 'sp_generate_event_summary'
    );

    SELECT summary_month, has_events, event_count, venue_count, attraction_count, cancelled_share, rescheduled_share,
        top_venue_name, top_attraction_name
    FROM {{ ref('gold.event_summary_monthly') }}
    WHERE summary_month >= date_trunc('MONTH', coalesce(start_month, DATE '1900-01-01'))
        AND summary_month <= coalesce(end_month, DATE '9999-12-31')
    ORDER BY summary_month;
END;

-- Every run, after the gold refresh: the months of all events.
CALL {{ this }}()
