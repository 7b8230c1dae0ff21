-- rule: price_sanity
-- severity: MEDIUM
-- description: Listed prices are sane in silver and gold: not negative, minimum not above maximum, a currency whenever there is a price.
-- checks: silver.events, gold.fact_events
{% for table in ['silver.events', 'gold.fact_events'] %}
SELECT
    '{{ table.split('.')[0] }}:' || event_id AS failing_key,
    price_min,
    price_max,
    price_currency
FROM {{ ref(table) }}
WHERE price_min < 0
    OR price_max < 0
    OR price_min > price_max
    OR ((price_min IS NOT NULL OR price_max IS NOT NULL) AND (price_currency IS NULL OR trim(price_currency) = ''))
{% if not loop.last %}UNION ALL{% endif %}
{%- endfor %}
