-- rule: fact_grain
-- severity: CRITICAL
-- description: fact_events has exactly one row per silver event id: none missing, none duplicated, none for an event silver does not have.
-- checks: gold.fact_events
WITH fact_counts AS (
    SELECT event_id, count(*) AS fact_rows
    FROM {{ ref('gold.fact_events') }}
    GROUP BY event_id
)

SELECT
    coalesce(e.event_id, f.event_id) AS failing_key,
    coalesce(f.fact_rows, 0) AS fact_rows,
    e.event_id IS NOT NULL AS in_silver
FROM {{ ref('silver.events') }} AS e
FULL OUTER JOIN fact_counts AS f ON e.event_id = f.event_id
WHERE f.event_id IS NULL OR e.event_id IS NULL OR f.fact_rows <> 1
