-- rule: fact_keys_resolve
-- severity: CRITICAL
-- description: Every dimension key of fact_events finds its dimension row (date, venue, attraction, classification, market); a join never drops an event.
-- checks: gold.fact_events
WITH facts AS (
    SELECT event_id, event_date_key, venue_sk, attraction_sk, classification_sk, market_sk
    FROM {{ ref('gold.fact_events') }}
)

SELECT
    f.event_id AS failing_key,
    'event_date_key' AS fact_column,
    f.event_date_key AS dangling_key
FROM facts AS f
WHERE NOT EXISTS (
    SELECT 1 FROM {{ ref('gold.dim_date') }} AS d WHERE d.date_key = f.event_date_key
)

UNION ALL

SELECT
    f.event_id AS failing_key,
    'venue_sk' AS fact_column,
    f.venue_sk AS dangling_key
FROM facts AS f
WHERE NOT EXISTS (
    SELECT 1 FROM {{ ref('gold.dim_venue') }} AS d WHERE d.venue_sk = f.venue_sk
)

UNION ALL

SELECT
    f.event_id AS failing_key,
    'attraction_sk' AS fact_column,
    f.attraction_sk AS dangling_key
FROM facts AS f
WHERE NOT EXISTS (
    SELECT 1 FROM {{ ref('gold.dim_attraction') }} AS d WHERE d.attraction_sk = f.attraction_sk
)

UNION ALL

SELECT
    f.event_id AS failing_key,
    'classification_sk' AS fact_column,
    f.classification_sk AS dangling_key
FROM facts AS f
WHERE NOT EXISTS (
    SELECT 1 FROM {{ ref('gold.dim_classification') }} AS d WHERE d.classification_sk = f.classification_sk
)

UNION ALL

SELECT
    f.event_id AS failing_key,
    'market_sk' AS fact_column,
    f.market_sk AS dangling_key
FROM facts AS f
WHERE NOT EXISTS (
    SELECT 1 FROM {{ ref('gold.dim_market') }} AS d WHERE d.market_sk = f.market_sk
)
