-- Load bridge_event_attraction: the attraction list of every changed event whose bridge rows are older than its fact row, or missing, with the attraction versions current now.
-- Compared with the fact row, not with this call: a call killed after the fact MERGE left facts newer
-- than their bridge, and the watermark (moved last) brings those events back in the changed set.
DELETE FROM {{ ref('gold.bridge_event_attraction') }} AS b
WHERE EXISTS (
    SELECT 1
    FROM {{ ref('gold.fact_events') }} AS f
    INNER JOIN {{ ref('silver.events') }} AS e ON f.event_id = e.event_id
    WHERE f.event_id = b.event_id
        AND e._ingestion_timestamp > changed_since
        AND coalesce(b.updated_at, TIMESTAMP '1900-01-01 00:00:00') < f.updated_at
);

INSERT INTO {{ ref('gold.bridge_event_attraction') }}
    (event_id, attraction_sk, attraction_id, attraction_order, is_primary, updated_at)
SELECT
    ea.event_id,
    coalesce(a.attraction_sk, unknown.attraction_sk) AS attraction_sk,
    ea.attraction_id,
    ea.attraction_order,
    ea.is_primary,
    run_at AS updated_at
FROM {{ ref('silver.event_attractions') }} AS ea
INNER JOIN {{ ref('silver.events') }} AS e ON ea.event_id = e.event_id AND e._ingestion_timestamp > changed_since
INNER JOIN {{ ref('gold.fact_events') }} AS f ON ea.event_id = f.event_id
CROSS JOIN (
    SELECT attraction_sk FROM {{ ref('gold.dim_attraction') }} WHERE attraction_id = '-1'
) AS unknown
LEFT JOIN {{ ref('gold.dim_attraction') }} AS a ON ea.attraction_id = a.attraction_id AND a.is_current
WHERE NOT EXISTS (SELECT 1 FROM {{ ref('gold.bridge_event_attraction') }} AS b WHERE b.event_id = ea.event_id);
