-- rule: event_dates_plausible
-- severity: MEDIUM
-- description: Every event (silver and gold) has a local start date unless it is TBA or TBD, and the date lies between 2000-01-01 and ten years from today.
-- checks: silver.events, gold.fact_events
{%- set sources = [
    ('silver', 'silver.events', 'date_tba', 'date_tbd'),
    ('gold', 'gold.fact_events', 'is_date_tba', 'is_date_tbd'),
] %}
{% for layer, table, tba, tbd in sources %}
SELECT
    '{{ layer }}:' || event_id AS failing_key,
    start_local_date,
    {{ tba }} AS date_tba,
    {{ tbd }} AS date_tbd
FROM {{ ref(table) }}
WHERE (start_local_date IS NULL AND NOT ({{ tba }} OR {{ tbd }}))
    OR start_local_date < DATE '2000-01-01'
    OR start_local_date > current_date + INTERVAL 10 YEARS
{% if not loop.last %}UNION ALL{% endif %}
{%- endfor %}
