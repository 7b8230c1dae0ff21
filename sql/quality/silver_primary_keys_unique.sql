-- rule: silver_primary_keys_unique
-- severity: CRITICAL
-- description: Every silver table has at most one row per primary key (Databricks keys are informational, so nothing else stops a duplicate).
-- checks: silver.events, silver.venues, silver.attractions, silver.classifications, silver.markets, silver.event_venues, silver.event_attractions
-- pairs of ids are grouped by their hash first (8 bytes, not two strings), then exactly where a hash repeats
SELECT
    'silver.events:' || event_id AS failing_key,
    count(*) AS copies
FROM {{ ref('silver.events') }}
GROUP BY event_id
HAVING count(*) > 1

UNION ALL

SELECT
    'silver.venues:' || venue_id AS failing_key,
    count(*) AS copies
FROM {{ ref('silver.venues') }}
GROUP BY venue_id
HAVING count(*) > 1

UNION ALL

SELECT
    'silver.attractions:' || attraction_id AS failing_key,
    count(*) AS copies
FROM {{ ref('silver.attractions') }}
GROUP BY attraction_id
HAVING count(*) > 1

UNION ALL

SELECT
    'silver.classifications:' || classification_id AS failing_key,
    count(*) AS copies
FROM {{ ref('silver.classifications') }}
GROUP BY classification_id
HAVING count(*) > 1

UNION ALL

SELECT
    'silver.markets:' || market_id AS failing_key,
    count(*) AS copies
FROM {{ ref('silver.markets') }}
GROUP BY market_id
HAVING count(*) > 1

UNION ALL

SELECT
    'silver.event_venues:' || (event_id || '/' || venue_id) AS failing_key,
    count(*) AS copies
FROM {{ ref('silver.event_venues') }}
WHERE {{ key_hash('event_id, venue_id') }} IN (
    SELECT {{ key_hash('event_id, venue_id') }} FROM {{ ref('silver.event_venues') }}
    GROUP BY {{ key_hash('event_id, venue_id') }}
    HAVING count(*) > 1
)
GROUP BY event_id, venue_id
HAVING count(*) > 1

UNION ALL

SELECT
    'silver.event_attractions:' || (event_id || '/' || attraction_id) AS failing_key,
    count(*) AS copies
FROM {{ ref('silver.event_attractions') }}
WHERE {{ key_hash('event_id, attraction_id') }} IN (
    SELECT {{ key_hash('event_id, attraction_id') }} FROM {{ ref('silver.event_attractions') }}
    GROUP BY {{ key_hash('event_id, attraction_id') }}
    HAVING count(*) > 1
)
GROUP BY event_id, attraction_id
HAVING count(*) > 1
