-- Gold mv_events_by_attraction: materialized view of event counts per attraction, supporting acts included; grain: one row per attraction id.
CREATE OR REPLACE MATERIALIZED VIEW {{ this }} (
    attraction_id STRING COMMENT 'Ticketmaster attraction id.',
    attraction_name STRING COMMENT 'Current name of the attraction.',
    segment_name STRING COMMENT 'Segment of the attraction, e.g. Music.',
    genre_name STRING COMMENT 'Genre of the attraction, e.g. Rock.',
    event_count BIGINT COMMENT 'Number of events the attraction appears in.',
    headline_event_count BIGINT COMMENT 'Number of those events it headlines (first listed).',
    cancelled_event_count BIGINT COMMENT 'Number of those events that are cancelled.',
    first_event_date DATE COMMENT 'Earliest local event date of the attraction.',
    last_event_date DATE COMMENT 'Latest local event date of the attraction.'
)
COMMENT 'Events per attraction (artist, team, show), refreshed by every run; counts every event the attraction appears in, not only those it headlines.'  -- noqa: LT05
AS WITH attractions AS (
    SELECT attraction_sk, attraction_id, attraction_name, segment_name, genre_name, is_current
    FROM {{ ref('gold.dim_attraction') }}
),

appearances AS (
    SELECT
        current_attraction.attraction_id,
        current_attraction.attraction_name,
        current_attraction.segment_name,
        current_attraction.genre_name,
        b.event_id,
        b.is_primary,
        f.start_local_date,
        f.is_cancelled
    FROM {{ ref('gold.bridge_event_attraction') }} AS b
    INNER JOIN {{ ref('gold.fact_events') }} AS f ON b.event_id = f.event_id
    INNER JOIN attractions AS bridge_attraction ON b.attraction_sk = bridge_attraction.attraction_sk
    INNER JOIN attractions AS current_attraction
        ON bridge_attraction.attraction_id = current_attraction.attraction_id AND current_attraction.is_current
),

final AS (
    SELECT
        attraction_id,
        attraction_name,
        segment_name,
        genre_name,
        -- one bridge row per (event, attraction): plain counts count events
        count(event_id) AS event_count,
        count(CASE WHEN is_primary THEN event_id END) AS headline_event_count,
        count(CASE WHEN is_cancelled THEN event_id END) AS cancelled_event_count,
        min(start_local_date) AS first_event_date,
        max(start_local_date) AS last_event_date
    FROM appearances
    GROUP BY attraction_id, attraction_name, segment_name, genre_name
)

SELECT * FROM final
