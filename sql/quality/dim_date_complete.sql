-- rule: dim_date_complete
-- severity: MEDIUM
-- description: dim_date is a full calendar: no day missing between its first and last day, and every day key is the yyyymmdd of its date.
-- checks: gold.dim_date
WITH dim_date AS (
    SELECT date_key, full_date
    FROM {{ ref('gold.dim_date') }}
    WHERE date_key <> -1
),

bounds AS (
    SELECT min(full_date) AS first_day, max(full_date) AS last_day
    FROM dim_date
),

calendar AS (
    SELECT {{ dates_between('first_day', 'last_day') }} AS full_date
    FROM bounds
    WHERE first_day IS NOT NULL
)

SELECT
    CAST(c.full_date AS STRING) AS failing_key,
    'missing day' AS problem
FROM calendar AS c
WHERE NOT EXISTS (SELECT 1 FROM dim_date AS d WHERE d.full_date = c.full_date)

UNION ALL

SELECT
    CAST(date_key AS STRING) AS failing_key,
    'key is not the yyyymmdd of full_date' AS problem
FROM dim_date
WHERE full_date IS NULL OR date_key <> year(full_date) * 10000 + month(full_date) * 100 + day(full_date)
