-- Gold mv_monthly_summary: materialized view of events per calendar month; grain: one row per (year, month), NULLs for unannounced dates.
CREATE OR REPLACE MATERIALIZED VIEW {{ this }} (
    year INT COMMENT 'Calendar year; NULL for events whose date is not announced.',
    month INT COMMENT 'Month number 1 to 12; NULL for events whose date is not announced.',
    month_name STRING COMMENT 'Month name; Unknown for events whose date is not announced.',
    event_count BIGINT COMMENT 'Number of events in the month.',
    cancelled_event_count BIGINT COMMENT 'How many of them are cancelled.',
    priced_event_count BIGINT COMMENT 'How many of them list ticket prices.',
    tba_event_count BIGINT COMMENT 'How many of them have a date or time still to be announced or defined.',
    venue_count BIGINT COMMENT 'Number of different venues with events in the month.',
    attraction_count BIGINT COMMENT 'Number of different attractions appearing in events of the month.'
)
COMMENT 'Events per calendar month of their local start date, refreshed by every run; events whose date is not announced form the row with NULL year and month.'  -- noqa: LT05
AS WITH events AS (
    SELECT
        d.year,
        d.month,
        d.month_name,
        f.event_id,
        f.venue_sk,
        f.is_cancelled,
        f.price_min,
        f.is_date_tba OR f.is_date_tbd OR f.is_time_tba AS is_tba
    FROM {{ ref('gold.fact_events') }} AS f
    INNER JOIN {{ ref('gold.dim_date') }} AS d ON f.event_date_key = d.date_key
),

venues AS (
    SELECT e.year, e.month, count(DISTINCT v.venue_id) AS venue_count
    FROM events AS e
    INNER JOIN {{ ref('gold.dim_venue') }} AS v ON e.venue_sk = v.venue_sk
    WHERE v.venue_id <> '-1'
    GROUP BY e.year, e.month
),

attractions AS (
    SELECT e.year, e.month, count(DISTINCT b.attraction_id) AS attraction_count
    FROM events AS e
    INNER JOIN {{ ref('gold.bridge_event_attraction') }} AS b ON e.event_id = b.event_id
    GROUP BY e.year, e.month
),

months AS (
    SELECT
        year,
        month,
        month_name,
        count(*) AS event_count,
        count_if(is_cancelled) AS cancelled_event_count,
        count(price_min) AS priced_event_count,
        count_if(is_tba) AS tba_event_count
    FROM events
    GROUP BY year, month, month_name
),

final AS (
    SELECT
        m.year,
        m.month,
        m.month_name,
        m.event_count,
        m.cancelled_event_count,
        m.priced_event_count,
        m.tba_event_count,
        coalesce(v.venue_count, 0) AS venue_count,
        coalesce(a.attraction_count, 0) AS attraction_count
    FROM months AS m
    LEFT JOIN venues AS v ON m.year IS NOT DISTINCT FROM v.year AND m.month IS NOT DISTINCT FROM v.month
    LEFT JOIN attractions AS a ON m.year IS NOT DISTINCT FROM a.year AND m.month IS NOT DISTINCT FROM a.month
)

SELECT * FROM final
