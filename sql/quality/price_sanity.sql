-- rule: price_sanity
-- severity: MEDIUM
-- description: Listed prices are sane in silver and gold: not negative, minimum not above maximum, a currency whenever there is a price.
-- checks: silver.events, gold.fact_events
SELECT
    'silver:' || event_id AS failing_key,
    price_min,
    price_max,
    price_currency
FROM {{ ref('silver.events') }}
WHERE price_min < 0
    OR price_max < 0
    OR price_min > price_max
    OR ((price_min IS NOT NULL OR price_max IS NOT NULL) AND (price_currency IS NULL OR trim(price_currency) = ''))

UNION ALL

SELECT
    'gold:' || event_id AS failing_key,
    price_min,
    price_max,
    price_currency
FROM {{ ref('gold.fact_events') }}
WHERE price_min < 0
    OR price_max < 0
    OR price_min > price_max
    OR ((price_min IS NOT NULL OR price_max IS NOT NULL) AND (price_currency IS NULL OR trim(price_currency) = ''))
