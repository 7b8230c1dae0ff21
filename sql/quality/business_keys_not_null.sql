-- rule: business_keys_not_null
-- severity: HIGH
-- description: No silver or gold row lacks its business key (NULL or blank): event, venue, attraction, classification and market ids, bridge ends.
-- checks: silver.events, silver.venues, silver.attractions, silver.classifications, silver.markets, silver.event_venues, silver.event_attractions, gold.fact_events, gold.dim_venue, gold.dim_attraction, gold.bridge_event_attraction
-- a keyless row is named by its other end or surrogate key; NULL and blank keys are separate branches
-- over the tables themselves (a shared CTE is materialized whole), so the engine skips whole files or
-- row groups by their statistics (null counts, and min/max: a blank key sorts before '!') before it trims
SELECT
    'silver.events.event_id:' || coalesce(event_id, '?') AS failing_key,
    event_id AS key_value
FROM {{ ref('silver.events') }}
WHERE event_id IS NULL

UNION ALL

SELECT
    'silver.events.event_id:' || coalesce(event_id, '?') AS failing_key,
    event_id AS key_value
FROM {{ ref('silver.events') }}
WHERE event_id < '!' AND trim(event_id) = ''

UNION ALL

SELECT
    'silver.venues.venue_id:' || coalesce(venue_id, '?') AS failing_key,
    venue_id AS key_value
FROM {{ ref('silver.venues') }}
WHERE venue_id IS NULL

UNION ALL

SELECT
    'silver.venues.venue_id:' || coalesce(venue_id, '?') AS failing_key,
    venue_id AS key_value
FROM {{ ref('silver.venues') }}
WHERE venue_id < '!' AND trim(venue_id) = ''

UNION ALL

SELECT
    'silver.attractions.attraction_id:' || coalesce(attraction_id, '?') AS failing_key,
    attraction_id AS key_value
FROM {{ ref('silver.attractions') }}
WHERE attraction_id IS NULL

UNION ALL

SELECT
    'silver.attractions.attraction_id:' || coalesce(attraction_id, '?') AS failing_key,
    attraction_id AS key_value
FROM {{ ref('silver.attractions') }}
WHERE attraction_id < '!' AND trim(attraction_id) = ''

UNION ALL

SELECT
    'silver.classifications.classification_id:' || coalesce(classification_id, '?') AS failing_key,
    classification_id AS key_value
FROM {{ ref('silver.classifications') }}
WHERE classification_id IS NULL

UNION ALL

SELECT
    'silver.classifications.classification_id:' || coalesce(classification_id, '?') AS failing_key,
    classification_id AS key_value
FROM {{ ref('silver.classifications') }}
WHERE classification_id < '!' AND trim(classification_id) = ''

UNION ALL

SELECT
    'silver.markets.market_id:' || coalesce(market_id, '?') AS failing_key,
    market_id AS key_value
FROM {{ ref('silver.markets') }}
WHERE market_id IS NULL

UNION ALL

SELECT
    'silver.markets.market_id:' || coalesce(market_id, '?') AS failing_key,
    market_id AS key_value
FROM {{ ref('silver.markets') }}
WHERE market_id < '!' AND trim(market_id) = ''

UNION ALL

SELECT
    'silver.event_venues.event_id:' || coalesce(venue_id, '?') AS failing_key,
    event_id AS key_value
FROM {{ ref('silver.event_venues') }}
WHERE event_id IS NULL

UNION ALL

SELECT
    'silver.event_venues.event_id:' || coalesce(venue_id, '?') AS failing_key,
    event_id AS key_value
FROM {{ ref('silver.event_venues') }}
WHERE event_id < '!' AND trim(event_id) = ''

UNION ALL

SELECT
    'silver.event_venues.venue_id:' || coalesce(event_id, '?') AS failing_key,
    venue_id AS key_value
FROM {{ ref('silver.event_venues') }}
WHERE venue_id IS NULL

UNION ALL

SELECT
    'silver.event_venues.venue_id:' || coalesce(event_id, '?') AS failing_key,
    venue_id AS key_value
FROM {{ ref('silver.event_venues') }}
WHERE venue_id < '!' AND trim(venue_id) = ''

UNION ALL

SELECT
    'silver.event_attractions.event_id:' || coalesce(attraction_id, '?') AS failing_key,
    event_id AS key_value
FROM {{ ref('silver.event_attractions') }}
WHERE event_id IS NULL

UNION ALL

SELECT
    'silver.event_attractions.event_id:' || coalesce(attraction_id, '?') AS failing_key,
    event_id AS key_value
FROM {{ ref('silver.event_attractions') }}
WHERE event_id < '!' AND trim(event_id) = ''

UNION ALL

SELECT
    'silver.event_attractions.attraction_id:' || coalesce(event_id, '?') AS failing_key,
    attraction_id AS key_value
FROM {{ ref('silver.event_attractions') }}
WHERE attraction_id IS NULL

UNION ALL

SELECT
    'silver.event_attractions.attraction_id:' || coalesce(event_id, '?') AS failing_key,
    attraction_id AS key_value
FROM {{ ref('silver.event_attractions') }}
WHERE attraction_id < '!' AND trim(attraction_id) = ''

UNION ALL

SELECT
    'gold.fact_events.event_id:' || coalesce(event_name, '?') AS failing_key,
    event_id AS key_value
FROM {{ ref('gold.fact_events') }}
WHERE event_id IS NULL

UNION ALL

SELECT
    'gold.fact_events.event_id:' || coalesce(event_name, '?') AS failing_key,
    event_id AS key_value
FROM {{ ref('gold.fact_events') }}
WHERE event_id < '!' AND trim(event_id) = ''

UNION ALL

SELECT
    'gold.dim_venue.venue_id:' || coalesce(CAST(venue_sk AS STRING), '?') AS failing_key,
    venue_id AS key_value
FROM {{ ref('gold.dim_venue') }}
WHERE venue_id IS NULL

UNION ALL

SELECT
    'gold.dim_venue.venue_id:' || coalesce(CAST(venue_sk AS STRING), '?') AS failing_key,
    venue_id AS key_value
FROM {{ ref('gold.dim_venue') }}
WHERE venue_id < '!' AND trim(venue_id) = ''

UNION ALL

SELECT
    'gold.dim_attraction.attraction_id:' || coalesce(CAST(attraction_sk AS STRING), '?') AS failing_key,
    attraction_id AS key_value
FROM {{ ref('gold.dim_attraction') }}
WHERE attraction_id IS NULL

UNION ALL

SELECT
    'gold.dim_attraction.attraction_id:' || coalesce(CAST(attraction_sk AS STRING), '?') AS failing_key,
    attraction_id AS key_value
FROM {{ ref('gold.dim_attraction') }}
WHERE attraction_id < '!' AND trim(attraction_id) = ''

UNION ALL

SELECT
    'gold.bridge_event_attraction.event_id:' || coalesce(attraction_id, '?') AS failing_key,
    event_id AS key_value
FROM {{ ref('gold.bridge_event_attraction') }}
WHERE event_id IS NULL

UNION ALL

SELECT
    'gold.bridge_event_attraction.event_id:' || coalesce(attraction_id, '?') AS failing_key,
    event_id AS key_value
FROM {{ ref('gold.bridge_event_attraction') }}
WHERE event_id < '!' AND trim(event_id) = ''

UNION ALL

SELECT
    'gold.bridge_event_attraction.attraction_id:' || coalesce(event_id, '?') AS failing_key,
    attraction_id AS key_value
FROM {{ ref('gold.bridge_event_attraction') }}
WHERE attraction_id IS NULL

UNION ALL

SELECT
    'gold.bridge_event_attraction.attraction_id:' || coalesce(event_id, '?') AS failing_key,
    attraction_id AS key_value
FROM {{ ref('gold.bridge_event_attraction') }}
WHERE attraction_id < '!' AND trim(attraction_id) = ''
