-- rule: event_name_present
-- severity: LOW
-- description: Every event has a name to show (a nameless event is listed but cannot be searched for).
-- checks: silver.events
SELECT event_id AS failing_key
FROM {{ ref('silver.events') }}
WHERE event_name IS NULL OR trim(event_name) = ''
