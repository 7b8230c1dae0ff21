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

-- counted by attraction version first: grouping by the names would hash every appearance's strings
version_counts AS (
    SELECT
        b.attraction_sk,
        -- one bridge row per (event, attraction): plain counts count events
        count(b.event_id) AS event_count,
        count(CASE WHEN b.is_primary THEN b.event_id END) AS headline_event_count,
        count(CASE WHEN f.is_cancelled THEN b.event_id END) AS cancelled_event_count,
        min(f.start_local_date) AS first_event_date,
        max(f.start_local_date) AS last_event_date
    FROM {{ ref('gold.bridge_event_attraction') }} AS b
    INNER JOIN {{ ref('gold.fact_events') }} AS f ON b.event_id = f.event_id
    GROUP BY b.attraction_sk
),

final AS (
    SELECT
        current_attraction.attraction_id,
        current_attraction.attraction_name,
        current_attraction.segment_name,
        current_attraction.genre_name,
        CAST(sum(vc.event_count) AS BIGINT) AS event_count,
        CAST(sum(vc.headline_event_count) AS BIGINT) AS headline_event_count,
        CAST(sum(vc.cancelled_event_count) AS BIGINT) AS cancelled_event_count,
        min(vc.first_event_date) AS first_event_date,
        max(vc.last_event_date) AS last_event_date
    FROM version_counts AS vc
    INNER JOIN attractions AS bridge_attraction ON vc.attraction_sk = bridge_attraction.attraction_sk
    INNER JOIN attractions AS current_attraction
        ON bridge_attraction.attraction_id = current_attraction.attraction_id AND current_attraction.is_current
    GROUP BY
        current_attraction.attraction_id,
        current_attraction.attraction_name,
        current_attraction.segment_name,
        current_attraction.genre_name
)

SELECT * FROM final
