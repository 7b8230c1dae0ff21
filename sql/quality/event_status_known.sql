-- rule: event_status_known
-- severity: LOW
-- description: Every event status is one the Discovery API documents: onsale, offsale, cancelled (or canceled), postponed, rescheduled.
-- checks: silver.events
SELECT
    event_id AS failing_key,
    status_code
FROM {{ ref('silver.events') }}
WHERE status_code IS NULL
    OR status_code NOT IN ('onsale', 'offsale', 'cancelled', 'canceled', 'postponed', 'rescheduled')
