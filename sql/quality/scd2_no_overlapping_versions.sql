-- rule: scd2_no_overlapping_versions
-- severity: HIGH
-- description: The versions of a venue or attraction never overlap in time and never run backwards (valid_from before valid_to).
-- checks: gold.dim_venue, gold.dim_attraction
{% for entity in ['venue', 'attraction'] %}
SELECT
    'dim_{{ entity }}:' || a.{{ entity }}_id AS failing_key,
    a.{{ entity }}_sk AS version_sk,
    b.{{ entity }}_sk AS overlapping_version_sk
FROM {{ ref('gold.dim_' ~ entity) }} AS a
INNER JOIN {{ ref('gold.dim_' ~ entity) }} AS b
    ON a.{{ entity }}_id = b.{{ entity }}_id
    AND a.{{ entity }}_sk < b.{{ entity }}_sk
    AND a.valid_from < b.valid_to
    AND a.valid_to > b.valid_from

UNION ALL

SELECT
    'dim_{{ entity }}:' || {{ entity }}_id AS failing_key,
    {{ entity }}_sk AS version_sk,
    CAST(NULL AS BIGINT) AS overlapping_version_sk
FROM {{ ref('gold.dim_' ~ entity) }}
WHERE valid_from >= valid_to
{% if not loop.last %}UNION ALL{% endif %}
{%- endfor %}
