-- rule: event_status_known
-- severity: LOW
-- description: Every event status (silver and gold) is one the Discovery API documents: onsale, offsale, cancelled (or canceled), postponed, rescheduled.
-- checks: silver.events, gold.fact_events
{% for layer in ['silver', 'gold'] %}
SELECT
    '{{ layer }}:' || event_id AS failing_key,
    status_code
FROM {{ ref('silver.events' if layer == 'silver' else 'gold.fact_events') }}
WHERE status_code IS NULL
    OR status_code NOT IN ('onsale', 'offsale', 'cancelled', 'canceled', 'postponed', 'rescheduled')
{% if not loop.last %}UNION ALL{% endif %}
{%- endfor %}
