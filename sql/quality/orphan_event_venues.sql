-- rule: orphan_event_venues
-- severity: HIGH
-- description: Every row of the event-venue bridge points at an existing silver event and an existing silver venue.
-- checks: silver.event_venues
SELECT
    ev.event_id || '/' || ev.venue_id AS failing_key,
    e.event_id IS NULL AS event_missing,
    v.venue_id IS NULL AS venue_missing
FROM {{ ref('silver.event_venues') }} AS ev
LEFT JOIN {{ ref('silver.events') }} AS e ON ev.event_id = e.event_id
LEFT JOIN {{ ref('silver.venues') }} AS v ON ev.venue_id = v.venue_id
WHERE e.event_id IS NULL OR v.venue_id IS NULL
