-- rule: business_keys_not_null
-- severity: HIGH
-- description: No silver or gold row lacks its business key (NULL or blank): event, venue, attraction, classification and market ids, bridge ends.
-- checks: silver.events, silver.venues, silver.attractions, silver.classifications, silver.markets, silver.event_venues, silver.event_attractions, gold.fact_events, gold.dim_venue, gold.dim_attraction, gold.bridge_event_attraction
{%- set keys = [
    ('silver.events', 'event_id', 'event_id'),
    ('silver.venues', 'venue_id', 'venue_id'),
    ('silver.attractions', 'attraction_id', 'attraction_id'),
    ('silver.classifications', 'classification_id', 'classification_id'),
    ('silver.markets', 'market_id', 'market_id'),
    ('silver.event_venues', 'event_id', 'venue_id'),
    ('silver.event_venues', 'venue_id', 'event_id'),
    ('silver.event_attractions', 'event_id', 'attraction_id'),
    ('silver.event_attractions', 'attraction_id', 'event_id'),
    ('gold.fact_events', 'event_id', 'event_name'),
    ('gold.dim_venue', 'venue_id', 'CAST(venue_sk AS STRING)'),
    ('gold.dim_attraction', 'attraction_id', 'CAST(attraction_sk AS STRING)'),
    ('gold.bridge_event_attraction', 'event_id', 'attraction_id'),
    ('gold.bridge_event_attraction', 'attraction_id', 'event_id'),
] %}
{#- A row without its key is named by what else identifies it: the other end of a bridge, a surrogate key. #}
{% for table, key, other in keys %}
SELECT
    '{{ table }}.{{ key }}:' || coalesce({{ other }}, '?') AS failing_key,
    {{ key }} AS key_value
FROM {{ ref(table) }}
WHERE {{ key }} IS NULL OR trim({{ key }}) = ''
{% if not loop.last %}UNION ALL{% endif %}
{%- endfor %}
