-- Gold mv_events_by_date_venue: materialized view of event counts per day and venue; grain: one row per (event date, venue id).
CREATE OR REPLACE MATERIALIZED VIEW {{ this }} (
    event_date_key INT COMMENT 'Day of the events (dim_date.date_key, yyyymmdd); -1 for dates not announced.',
    event_date DATE COMMENT 'Calendar date of the events; NULL for dates not announced.',
    venue_id STRING COMMENT 'Ticketmaster venue id (-1 for events without a venue).',
    venue_name STRING COMMENT 'Current name of the venue.',
    city_name STRING COMMENT 'City of the venue.',
    country_code STRING COMMENT 'ISO country code of the venue.',
    event_count BIGINT COMMENT 'Number of events at the venue that day.',
    cancelled_event_count BIGINT COMMENT 'How many of them are cancelled.',
    priced_event_count BIGINT COMMENT 'How many of them list ticket prices.'
)
COMMENT 'Events per day and venue, refreshed by every run: how busy each venue is on each date. Venue names are the current ones; a renamed venue stays one row per day. Unannounced dates have event_date_key -1.'  -- noqa: LT05
AS WITH current_versions AS (
    -- every version of a venue with the current version of the same venue
    SELECT version.venue_sk, current_venue.venue_sk AS current_venue_sk
    FROM {{ ref('gold.dim_venue') }} AS version
    INNER JOIN {{ ref('gold.dim_venue') }} AS current_venue
        ON version.venue_id = current_venue.venue_id AND current_venue.is_current
),

-- counted by day and current venue key first: grouping by the names would hash every event's strings
venue_days AS (
    SELECT
        f.event_date_key,
        cv.current_venue_sk,
        count(*) AS event_count,
        count_if(f.is_cancelled) AS cancelled_event_count,
        count(f.price_min) AS priced_event_count
    FROM {{ ref('gold.fact_events') }} AS f
    INNER JOIN current_versions AS cv ON f.venue_sk = cv.venue_sk
    GROUP BY f.event_date_key, cv.current_venue_sk
),

final AS (
    SELECT
        vd.event_date_key,
        d.full_date AS event_date,
        v.venue_id,
        v.venue_name,
        v.city_name,
        v.country_code,
        vd.event_count,
        vd.cancelled_event_count,
        vd.priced_event_count
    FROM venue_days AS vd
    INNER JOIN {{ ref('gold.dim_venue') }} AS v ON vd.current_venue_sk = v.venue_sk
    INNER JOIN {{ ref('gold.dim_date') }} AS d ON vd.event_date_key = d.date_key
)

SELECT * FROM final
