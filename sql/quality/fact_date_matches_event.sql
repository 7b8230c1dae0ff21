-- rule: fact_date_matches_event
-- severity: HIGH
-- description: A fact row's date key is the day of its local start date, and the unknown day exactly when the date is not announced.
-- checks: gold.fact_events
SELECT
    f.event_id AS failing_key,
    f.event_date_key,
    f.start_local_date
FROM {{ ref('gold.fact_events') }} AS f
LEFT JOIN {{ ref('gold.dim_date') }} AS d ON f.event_date_key = d.date_key
WHERE (f.start_local_date IS NULL AND f.event_date_key <> -1)
    OR (f.start_local_date IS NOT NULL AND (d.full_date IS NULL OR d.full_date <> f.start_local_date))
