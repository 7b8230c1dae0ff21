-- rule: silver_references_resolve
-- severity: MEDIUM
-- description: Every id a silver row refers to exists: event venue, headliner and classifications, venue market, classification parent.
-- checks: silver.events, silver.venues, silver.classifications
-- the tables themselves in every branch: a CTE read by several branches is materialized whole
SELECT
    'silver.events.primary_venue_id:' || c.event_id AS failing_key,
    c.primary_venue_id AS missing_id
FROM {{ ref('silver.events') }} AS c
WHERE c.primary_venue_id IS NOT NULL
    AND NOT EXISTS (SELECT 1 FROM {{ ref('silver.venues') }} AS p WHERE p.venue_id = c.primary_venue_id)

UNION ALL

SELECT
    'silver.events.primary_attraction_id:' || c.event_id AS failing_key,
    c.primary_attraction_id AS missing_id
FROM {{ ref('silver.events') }} AS c
WHERE c.primary_attraction_id IS NOT NULL
    AND NOT EXISTS (SELECT 1 FROM {{ ref('silver.attractions') }} AS p WHERE p.attraction_id = c.primary_attraction_id)

UNION ALL

SELECT
    'silver.events.segment_id:' || c.event_id AS failing_key,
    c.segment_id AS missing_id
FROM {{ ref('silver.events') }} AS c
WHERE c.segment_id IS NOT NULL
    AND NOT EXISTS (SELECT 1 FROM {{ ref('silver.classifications') }} AS p WHERE p.classification_id = c.segment_id)

UNION ALL

SELECT
    'silver.events.genre_id:' || c.event_id AS failing_key,
    c.genre_id AS missing_id
FROM {{ ref('silver.events') }} AS c
WHERE c.genre_id IS NOT NULL
    AND NOT EXISTS (SELECT 1 FROM {{ ref('silver.classifications') }} AS p WHERE p.classification_id = c.genre_id)

UNION ALL

SELECT
    'silver.events.subgenre_id:' || c.event_id AS failing_key,
    c.subgenre_id AS missing_id
FROM {{ ref('silver.events') }} AS c
WHERE c.subgenre_id IS NOT NULL
    AND NOT EXISTS (SELECT 1 FROM {{ ref('silver.classifications') }} AS p WHERE p.classification_id = c.subgenre_id)

UNION ALL

SELECT
    'silver.venues.market_id:' || c.venue_id AS failing_key,
    c.market_id AS missing_id
FROM {{ ref('silver.venues') }} AS c
WHERE c.market_id IS NOT NULL
    AND NOT EXISTS (SELECT 1 FROM {{ ref('silver.markets') }} AS p WHERE p.market_id = c.market_id)

UNION ALL

SELECT
    'silver.classifications.parent_id:' || c.classification_id AS failing_key,
    c.parent_id AS missing_id
FROM {{ ref('silver.classifications') }} AS c
WHERE c.parent_id IS NOT NULL
    AND NOT EXISTS (SELECT 1 FROM {{ ref('silver.classifications') }} AS p WHERE p.classification_id = c.parent_id)
