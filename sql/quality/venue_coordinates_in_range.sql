-- rule: venue_coordinates_in_range
-- severity: LOW
-- description: Venue latitudes lie within -90..90 and longitudes within -180..180, in silver and in every dim_venue version.
-- checks: silver.venues, gold.dim_venue
{% for table, key in [('silver.venues', 'venue_id'), ('gold.dim_venue', 'CAST(venue_sk AS STRING)')] %}
SELECT
    '{{ table }}:' || {{ key }} AS failing_key,
    latitude,
    longitude
FROM {{ ref(table) }}
WHERE latitude NOT BETWEEN -90 AND 90 OR longitude NOT BETWEEN -180 AND 180
{% if not loop.last %}UNION ALL{% endif %}
{%- endfor %}
