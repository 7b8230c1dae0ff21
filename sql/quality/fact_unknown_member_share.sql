-- rule: fact_unknown_member_share
-- severity: MEDIUM
-- description: At most 5% of events sit at the unknown venue or the unknown classification (more means the source lost them).
-- checks: gold.fact_events
-- max_failing_share: 0.05
SELECT
    f.event_id AS failing_key,
    v.venue_id = '-1' AS unknown_venue,
    c.classification_key = '-1' AS unknown_classification
FROM {{ ref('gold.fact_events') }} AS f
INNER JOIN {{ ref('gold.dim_venue') }} AS v ON f.venue_sk = v.venue_sk
INNER JOIN {{ ref('gold.dim_classification') }} AS c ON f.classification_sk = c.classification_sk
WHERE v.venue_id = '-1' OR c.classification_key = '-1'
