-- rule: scd2_one_current_version
-- severity: CRITICAL
-- description: Every venue and attraction id of the SCD2 dimensions has exactly one current version, and it is open-ended.
-- checks: gold.dim_venue, gold.dim_attraction
{% for entity in ['venue', 'attraction'] %}
SELECT
    'dim_{{ entity }}:' || {{ entity }}_id AS failing_key,
    count_if(is_current) AS current_versions,
    count_if(is_current AND valid_to < TIMESTAMP '9999-12-31 00:00:00') AS closed_current_versions
FROM {{ ref('gold.dim_' ~ entity) }}
GROUP BY {{ entity }}_id
HAVING count_if(is_current) <> 1 OR count_if(is_current AND valid_to < TIMESTAMP '9999-12-31 00:00:00') > 0
{% if not loop.last %}UNION ALL{% endif %}
{%- endfor %}
