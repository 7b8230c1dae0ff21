-- rule: fact_keys_resolve
-- severity: CRITICAL
-- description: Every dimension key of fact_events finds its dimension row (date, venue, attraction, classification, market); a join never drops an event.
-- checks: gold.fact_events
{%- set dimensions = [
    ('event_date_key', 'gold.dim_date', 'date_key'),
    ('venue_sk', 'gold.dim_venue', 'venue_sk'),
    ('attraction_sk', 'gold.dim_attraction', 'attraction_sk'),
    ('classification_sk', 'gold.dim_classification', 'classification_sk'),
    ('market_sk', 'gold.dim_market', 'market_sk'),
] %}
{% for column, dimension, key in dimensions %}
SELECT
    f.event_id AS failing_key,
    '{{ column }}' AS fact_column,
    f.{{ column }} AS dangling_key
FROM {{ ref('gold.fact_events') }} AS f
WHERE NOT EXISTS (SELECT 1 FROM {{ ref(dimension) }} AS d WHERE d.{{ key }} = f.{{ column }})
{% if not loop.last %}UNION ALL{% endif %}
{%- endfor %}
