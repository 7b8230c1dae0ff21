-- rule: scd2_one_current_version
-- severity: CRITICAL
-- description: Every venue and attraction id of the SCD2 dimensions has exactly one current version, and it is open-ended.
-- checks: gold.dim_venue, gold.dim_attraction
SELECT
    'dim_venue:' || venue_id AS failing_key,
    count_if(is_current) AS current_versions,
    count_if(is_current AND valid_to < TIMESTAMP '9999-12-31 00:00:00') AS closed_current_versions
FROM {{ ref('gold.dim_venue') }}
GROUP BY venue_id
HAVING count_if(is_current) <> 1 OR count_if(is_current AND valid_to < TIMESTAMP '9999-12-31 00:00:00') > 0

UNION ALL

SELECT
    'dim_attraction:' || attraction_id AS failing_key,
    count_if(is_current) AS current_versions,
    count_if(is_current AND valid_to < TIMESTAMP '9999-12-31 00:00:00') AS closed_current_versions
FROM {{ ref('gold.dim_attraction') }}
GROUP BY attraction_id
HAVING count_if(is_current) <> 1 OR count_if(is_current AND valid_to < TIMESTAMP '9999-12-31 00:00:00') > 0
