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
AS WITH venues AS (
    SELECT venue_sk, venue_id, venue_name, city_name, country_code, is_current
    FROM {{ ref('gold.dim_venue') }}
),

events AS (
    SELECT
        f.event_date_key,
        current_venue.venue_id,
        current_venue.venue_name,
        current_venue.city_name,
        current_venue.country_code,
        f.is_cancelled,
        f.price_min
    FROM {{ ref('gold.fact_events') }} AS f
    INNER JOIN venues AS fact_venue ON f.venue_sk = fact_venue.venue_sk
    INNER JOIN venues AS current_venue
        ON fact_venue.venue_id = current_venue.venue_id AND current_venue.is_current
),

final AS (
    SELECT
        e.event_date_key,
        d.full_date AS event_date,
        e.venue_id,
        e.venue_name,
        e.city_name,
        e.country_code,
        count(*) AS event_count,
        count_if(e.is_cancelled) AS cancelled_event_count,
        count(e.price_min) AS priced_event_count
    FROM events AS e
    INNER JOIN {{ ref('gold.dim_date') }} AS d ON e.event_date_key = d.date_key
    GROUP BY e.event_date_key, d.full_date, e.venue_id, e.venue_name, e.city_name, e.country_code
)

SELECT * FROM final
