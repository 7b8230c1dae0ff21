-- rule: gold_primary_keys_unique
-- severity: CRITICAL
-- description: Every gold table has at most one row per surrogate key and per natural key of a type 1 dimension.
-- checks: gold.fact_events, gold.dim_venue, gold.dim_attraction, gold.dim_date, gold.dim_market, gold.dim_classification, gold.bridge_event_attraction
-- pairs of ids are grouped by their hash first (8 bytes, not two strings), then exactly where a hash repeats
WITH markets AS (
    SELECT market_sk, market_id FROM {{ ref('gold.dim_market') }}
),

classifications AS (
    SELECT classification_sk, classification_key FROM {{ ref('gold.dim_classification') }}
)

SELECT
    'gold.fact_events:' || event_id AS failing_key,
    count(*) AS copies
FROM {{ ref('gold.fact_events') }}
GROUP BY event_id
HAVING count(*) > 1

UNION ALL

SELECT
    'gold.dim_venue:' || CAST(venue_sk AS STRING) AS failing_key,
    count(*) AS copies
FROM {{ ref('gold.dim_venue') }}
GROUP BY venue_sk
HAVING count(*) > 1

UNION ALL

SELECT
    'gold.dim_attraction:' || CAST(attraction_sk AS STRING) AS failing_key,
    count(*) AS copies
FROM {{ ref('gold.dim_attraction') }}
GROUP BY attraction_sk
HAVING count(*) > 1

UNION ALL

SELECT
    'gold.dim_date:' || CAST(date_key AS STRING) AS failing_key,
    count(*) AS copies
FROM {{ ref('gold.dim_date') }}
GROUP BY date_key
HAVING count(*) > 1

UNION ALL

SELECT
    'gold.dim_market:' || CAST(market_sk AS STRING) AS failing_key,
    count(*) AS copies
FROM markets
GROUP BY market_sk
HAVING count(*) > 1

UNION ALL

SELECT
    'gold.dim_market:' || market_id AS failing_key,
    count(*) AS copies
FROM markets
GROUP BY market_id
HAVING count(*) > 1

UNION ALL

SELECT
    'gold.dim_classification:' || CAST(classification_sk AS STRING) AS failing_key,
    count(*) AS copies
FROM classifications
GROUP BY classification_sk
HAVING count(*) > 1

UNION ALL

SELECT
    'gold.dim_classification:' || classification_key AS failing_key,
    count(*) AS copies
FROM classifications
GROUP BY classification_key
HAVING count(*) > 1

UNION ALL

SELECT
    'gold.bridge_event_attraction:' || (event_id || '/' || attraction_id) AS failing_key,
    count(*) AS copies
FROM {{ ref('gold.bridge_event_attraction') }}
WHERE {{ key_hash('event_id, attraction_id') }} IN (
    SELECT {{ key_hash('event_id, attraction_id') }} FROM {{ ref('gold.bridge_event_attraction') }}
    GROUP BY {{ key_hash('event_id, attraction_id') }}
    HAVING count(*) > 1
)
GROUP BY event_id, attraction_id
HAVING count(*) > 1
