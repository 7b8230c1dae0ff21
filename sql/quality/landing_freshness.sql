-- rule: landing_freshness
-- severity: HIGH
-- description: Something has landed, and the newest landed event was ingested less than 36 hours ago.
-- checks: bronze.events_raw
{%- set max_age_hours = 36 %}
WITH latest AS (
    SELECT max(_ingestion_timestamp) AS latest_ingestion
    FROM {{ ref('bronze.events_raw') }}
)

SELECT
    latest_ingestion,
    coalesce(CAST(latest_ingestion AS STRING), 'nothing landed') AS failing_key
FROM latest
WHERE latest_ingestion IS NULL OR latest_ingestion < current_timestamp - INTERVAL {{ max_age_hours }} HOURS
