-- rule: gold_primary_keys_unique
-- severity: CRITICAL
-- description: Every gold table has at most one row per surrogate key and per natural key of a type 1 dimension.
-- checks: gold.fact_events, gold.dim_venue, gold.dim_attraction, gold.dim_date, gold.dim_market, gold.dim_classification, gold.bridge_event_attraction
{%- set keys = [
    ('gold.fact_events', "event_id"),
    ('gold.dim_venue', "CAST(venue_sk AS STRING)"),
    ('gold.dim_attraction', "CAST(attraction_sk AS STRING)"),
    ('gold.dim_date', "CAST(date_key AS STRING)"),
    ('gold.dim_market', "CAST(market_sk AS STRING)"),
    ('gold.dim_market', "market_id"),
    ('gold.dim_classification', "CAST(classification_sk AS STRING)"),
    ('gold.dim_classification', "classification_key"),
    ('gold.bridge_event_attraction', "event_id || '/' || attraction_id"),
] %}
{% for table, key in keys %}
SELECT '{{ table }}:' || key_value AS failing_key, copies
FROM (
    SELECT {{ key }} AS key_value, count(*) AS copies
    FROM {{ ref(table) }}
    GROUP BY {{ key }}
    HAVING count(*) > 1
) AS duplicated
{% if not loop.last %}UNION ALL{% endif %}
{%- endfor %}
