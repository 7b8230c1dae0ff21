-- rule: fact_keys_unknown_member
-- severity: HIGH
-- description: A fact row points at an unknown member only when silver has nothing to point at: no venue, attraction, classification, market or date.
-- checks: gold.fact_events
WITH unknown AS (
    SELECT
        (SELECT venue_sk FROM {{ ref('gold.dim_venue') }} WHERE venue_id = '-1') AS venue_sk,
        (SELECT attraction_sk FROM {{ ref('gold.dim_attraction') }} WHERE attraction_id = '-1') AS attraction_sk,
        (SELECT classification_sk FROM {{ ref('gold.dim_classification') }} WHERE classification_key = '-1')
            AS classification_sk,
        (SELECT market_sk FROM {{ ref('gold.dim_market') }} WHERE market_id = '-1') AS market_sk
),

facts AS (
    SELECT
        f.event_id,
        f.event_date_key = -1 AND e.start_local_date IS NOT NULL AS date_missed,
        f.venue_sk = u.venue_sk AND e.primary_venue_id IS NOT NULL AS venue_missed,
        f.attraction_sk = u.attraction_sk AND e.primary_attraction_id IS NOT NULL AS attraction_missed,
        f.classification_sk = u.classification_sk
            AND coalesce(e.segment_id, e.genre_id, e.subgenre_id, e.type_id, e.subtype_id) IS NOT NULL
            AS classification_missed,
        f.market_sk = u.market_sk AND v.market_id IS NOT NULL AS market_missed
    FROM {{ ref('gold.fact_events') }} AS f
    CROSS JOIN unknown AS u
    INNER JOIN {{ ref('silver.events') }} AS e ON f.event_id = e.event_id
    LEFT JOIN {{ ref('silver.venues') }} AS v ON e.primary_venue_id = v.venue_id
)

SELECT
    event_id AS failing_key,
    date_missed,
    venue_missed,
    attraction_missed,
    classification_missed,
    market_missed
FROM facts
WHERE date_missed OR venue_missed OR attraction_missed OR classification_missed OR market_missed
