-- rule: orphan_event_attractions
-- severity: HIGH
-- description: Every event-attraction bridge row (silver and gold) points at an existing event and an existing attraction.
-- checks: silver.event_attractions, gold.bridge_event_attraction
SELECT
    'silver:' || ea.event_id || '/' || ea.attraction_id AS failing_key,
    e.event_id IS NULL AS event_missing,
    a.attraction_id IS NULL AS attraction_missing
FROM {{ ref('silver.event_attractions') }} AS ea
LEFT JOIN {{ ref('silver.events') }} AS e ON ea.event_id = e.event_id
LEFT JOIN {{ ref('silver.attractions') }} AS a ON ea.attraction_id = a.attraction_id
WHERE e.event_id IS NULL OR a.attraction_id IS NULL

UNION ALL

SELECT
    'gold:' || b.event_id || '/' || b.attraction_id AS failing_key,
    f.event_id IS NULL AS event_missing,
    d.attraction_sk IS NULL AS attraction_missing
FROM {{ ref('gold.bridge_event_attraction') }} AS b
LEFT JOIN {{ ref('gold.fact_events') }} AS f ON b.event_id = f.event_id
LEFT JOIN {{ ref('gold.dim_attraction') }} AS d ON b.attraction_sk = d.attraction_sk
WHERE f.event_id IS NULL OR d.attraction_sk IS NULL
