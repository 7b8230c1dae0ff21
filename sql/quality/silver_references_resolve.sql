-- rule: silver_references_resolve
-- severity: MEDIUM
-- description: Every id a silver row refers to exists: event venue, headliner and classifications, venue market, classification parent.
-- checks: silver.events, silver.venues, silver.classifications
WITH events AS (
    SELECT event_id, primary_venue_id, primary_attraction_id, segment_id, genre_id, subgenre_id
    FROM {{ ref('silver.events') }}
),

venues AS (
    SELECT venue_id, market_id FROM {{ ref('silver.venues') }}
),

classifications AS (
    SELECT classification_id, parent_id FROM {{ ref('silver.classifications') }}
)

SELECT
    'silver.events.primary_venue_id:' || c.event_id AS failing_key,
    c.primary_venue_id AS missing_id
FROM events AS c
WHERE c.primary_venue_id IS NOT NULL
    AND NOT EXISTS (SELECT 1 FROM venues AS p WHERE p.venue_id = c.primary_venue_id)

UNION ALL

SELECT
    'silver.events.primary_attraction_id:' || c.event_id AS failing_key,
    c.primary_attraction_id AS missing_id
FROM events AS c
WHERE c.primary_attraction_id IS NOT NULL
    AND NOT EXISTS (SELECT 1 FROM {{ ref('silver.attractions') }} AS p WHERE p.attraction_id = c.primary_attraction_id)

UNION ALL

SELECT
    'silver.events.segment_id:' || c.event_id AS failing_key,
    c.segment_id AS missing_id
FROM events AS c
WHERE c.segment_id IS NOT NULL
    AND NOT EXISTS (SELECT 1 FROM classifications AS p WHERE p.classification_id = c.segment_id)

UNION ALL

SELECT
    'silver.events.genre_id:' || c.event_id AS failing_key,
    c.genre_id AS missing_id
FROM events AS c
WHERE c.genre_id IS NOT NULL
    AND NOT EXISTS (SELECT 1 FROM classifications AS p WHERE p.classification_id = c.genre_id)

UNION ALL

SELECT
    'silver.events.subgenre_id:' || c.event_id AS failing_key,
    c.subgenre_id AS missing_id
FROM events AS c
WHERE c.subgenre_id IS NOT NULL
    AND NOT EXISTS (SELECT 1 FROM classifications AS p WHERE p.classification_id = c.subgenre_id)

UNION ALL

SELECT
    'silver.venues.market_id:' || c.venue_id AS failing_key,
    c.market_id AS missing_id
FROM venues AS c
WHERE c.market_id IS NOT NULL
    AND NOT EXISTS (SELECT 1 FROM {{ ref('silver.markets') }} AS p WHERE p.market_id = c.market_id)

UNION ALL

SELECT
    'silver.classifications.parent_id:' || c.classification_id AS failing_key,
    c.parent_id AS missing_id
FROM classifications AS c
WHERE c.parent_id IS NOT NULL
    AND NOT EXISTS (SELECT 1 FROM classifications AS p WHERE p.classification_id = c.parent_id)
