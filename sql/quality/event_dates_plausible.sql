-- rule: event_dates_plausible
-- severity: MEDIUM
-- description: Every event (silver and gold) has a local start date unless it is TBA or TBD, and the date lies between 2000-01-01 and ten years from today.
-- checks: silver.events, gold.fact_events
SELECT
    'silver:' || event_id AS failing_key,
    start_local_date,
    date_tba,
    date_tbd
FROM {{ ref('silver.events') }}
WHERE (start_local_date IS NULL AND NOT (date_tba OR date_tbd))
    OR start_local_date < DATE '2000-01-01'
    OR start_local_date > current_date + INTERVAL 10 YEARS

UNION ALL

SELECT
    'gold:' || event_id AS failing_key,
    start_local_date,
    is_date_tba AS date_tba,
    is_date_tbd AS date_tbd
FROM {{ ref('gold.fact_events') }}
WHERE (start_local_date IS NULL AND NOT (is_date_tba OR is_date_tbd))
    OR start_local_date < DATE '2000-01-01'
    OR start_local_date > current_date + INTERVAL 10 YEARS
