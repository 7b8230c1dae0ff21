-- rule: event_status_known
-- severity: LOW
-- description: Every event status (silver and gold) is one the Discovery API documents: onsale, offsale, cancelled (or canceled), postponed, rescheduled.
-- checks: silver.events, gold.fact_events
SELECT
    'silver:' || event_id AS failing_key,
    status_code
FROM {{ ref('silver.events') }}
WHERE status_code IS NULL
    OR status_code NOT IN ('onsale', 'offsale', 'cancelled', 'canceled', 'postponed', 'rescheduled')

UNION ALL

SELECT
    'gold:' || event_id AS failing_key,
    status_code
FROM {{ ref('gold.fact_events') }}
WHERE status_code IS NULL
    OR status_code NOT IN ('onsale', 'offsale', 'cancelled', 'canceled', 'postponed', 'rescheduled')
