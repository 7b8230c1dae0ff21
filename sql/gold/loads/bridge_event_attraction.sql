-- Load bridge_event_attraction: the attraction list of every fact row this call wrote, with the attraction versions current now.
DELETE FROM {{ ref('gold.bridge_event_attraction') }}
WHERE event_id IN (SELECT event_id FROM {{ ref('gold.fact_events') }} WHERE updated_at = run_at);

INSERT INTO {{ ref('gold.bridge_event_attraction') }} (event_id, attraction_sk, attraction_id, attraction_order, is_primary)
SELECT ea.event_id, coalesce(a.attraction_sk, unknown.attraction_sk), ea.attraction_id, ea.attraction_order, ea.is_primary
FROM {{ ref('silver.event_attractions') }} AS ea
INNER JOIN {{ ref('gold.fact_events') }} AS f ON ea.event_id = f.event_id AND f.updated_at = run_at
CROSS JOIN (
    SELECT attraction_sk FROM {{ ref('gold.dim_attraction') }} WHERE attraction_id = '-1'
) AS unknown
LEFT JOIN {{ ref('gold.dim_attraction') }} AS a ON ea.attraction_id = a.attraction_id AND a.is_current;
