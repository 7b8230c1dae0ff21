-- rule: event_name_present
-- severity: LOW
-- description: Every event has a name to show, in silver and gold (a nameless event is listed but cannot be searched for).
-- checks: silver.events, gold.fact_events
-- NULL and blank names are separate branches: statistics (null counts, and min/max: a blank name sorts
-- before '!') skip the rest before it is trimmed
SELECT 'silver:' || event_id AS failing_key
FROM {{ ref('silver.events') }}
WHERE event_name IS NULL

UNION ALL

SELECT 'silver:' || event_id AS failing_key
FROM {{ ref('silver.events') }}
WHERE event_name < '!' AND trim(event_name) = ''

UNION ALL

SELECT 'gold:' || event_id AS failing_key
FROM {{ ref('gold.fact_events') }}
WHERE event_name IS NULL

UNION ALL

SELECT 'gold:' || event_id AS failing_key
FROM {{ ref('gold.fact_events') }}
WHERE event_name < '!' AND trim(event_name) = ''
