-- rule: silver_references_resolve
-- severity: MEDIUM
-- description: Every id a silver row refers to exists: event venue, headliner and classifications, venue market, classification parent.
-- checks: silver.events, silver.venues, silver.classifications
{%- set references = [
    ('silver.events', 'event_id', 'primary_venue_id', 'silver.venues', 'venue_id'),
    ('silver.events', 'event_id', 'primary_attraction_id', 'silver.attractions', 'attraction_id'),
    ('silver.events', 'event_id', 'segment_id', 'silver.classifications', 'classification_id'),
    ('silver.events', 'event_id', 'genre_id', 'silver.classifications', 'classification_id'),
    ('silver.events', 'event_id', 'subgenre_id', 'silver.classifications', 'classification_id'),
    ('silver.venues', 'venue_id', 'market_id', 'silver.markets', 'market_id'),
    ('silver.classifications', 'classification_id', 'parent_id', 'silver.classifications', 'classification_id'),
] %}
{% for table, key, column, parent, parent_key in references %}
SELECT
    '{{ table }}.{{ column }}:' || c.{{ key }} AS failing_key,
    c.{{ column }} AS missing_id
FROM {{ ref(table) }} AS c
WHERE c.{{ column }} IS NOT NULL
    AND NOT EXISTS (SELECT 1 FROM {{ ref(parent) }} AS p WHERE p.{{ parent_key }} = c.{{ column }})
{% if not loop.last %}UNION ALL{% endif %}
{%- endfor %}
