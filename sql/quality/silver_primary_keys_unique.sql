-- rule: silver_primary_keys_unique
-- severity: CRITICAL
-- description: Every silver table has at most one row per primary key (Databricks keys are informational, so nothing else stops a duplicate).
-- checks: silver.events, silver.venues, silver.attractions, silver.classifications, silver.markets, silver.event_venues, silver.event_attractions
{%- set tables = [
    ('silver.events', "event_id"),
    ('silver.venues', "venue_id"),
    ('silver.attractions', "attraction_id"),
    ('silver.classifications', "classification_id"),
    ('silver.markets', "market_id"),
    ('silver.event_venues', "event_id || '/' || venue_id"),
    ('silver.event_attractions', "event_id || '/' || attraction_id"),
] %}
{% for table, key in tables %}
SELECT '{{ table }}:' || key_value AS failing_key, copies
FROM (
    SELECT {{ key }} AS key_value, count(*) AS copies
    FROM {{ ref(table) }}
    GROUP BY {{ key }}
    HAVING count(*) > 1
) AS duplicated
{% if not loop.last %}UNION ALL{% endif %}
{%- endfor %}
