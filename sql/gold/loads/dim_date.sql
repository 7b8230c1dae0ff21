-- Load dim_date: the unknown day, then every day from 1 January of the year before the first event to 31 December of the year after the last.
MERGE INTO {{ ref('gold.dim_date') }} AS tgt
USING (SELECT -1 AS date_key) AS src
ON tgt.date_key = src.date_key
WHEN NOT MATCHED THEN INSERT (
    date_key, full_date, year, quarter, month, month_name, iso_week, day_of_month, day_of_week, day_name, is_weekend
) VALUES (src.date_key, NULL, NULL, NULL, NULL, 'Unknown', NULL, NULL, NULL, 'Unknown', NULL);

-- the calendar only grows
MERGE INTO {{ ref('gold.dim_date') }} AS tgt
USING (
    WITH bounds AS (
        SELECT
            make_date(year(min(start_local_date)) - 1, 1, 1) AS first_day,
            make_date(year(max(start_local_date)) + 1, 12, 31) AS last_day
        FROM {{ ref('silver.events') }}
    ),

    days AS (
        SELECT {{ dates_between('first_day', 'last_day') }} AS full_date
        FROM bounds
        WHERE first_day IS NOT NULL
    )

    SELECT
        CAST(year(full_date) * 10000 + month(full_date) * 100 + day(full_date) AS INT) AS date_key,
        full_date,
        year(full_date) AS year,
        quarter(full_date) AS quarter,
        month(full_date) AS month,
        {{ date_attribute('full_date', 'month_name') }} AS month_name,
        CAST({{ date_attribute('full_date', 'iso_week') }} AS INT) AS iso_week,
        day(full_date) AS day_of_month,
        CAST({{ date_attribute('full_date', 'iso_day_of_week') }} AS INT) AS day_of_week,
        {{ date_attribute('full_date', 'day_name') }} AS day_name,
        {{ date_attribute('full_date', 'iso_day_of_week') }} >= 6 AS is_weekend
    FROM days
) AS src
ON tgt.date_key = src.date_key
WHEN NOT MATCHED THEN INSERT (
    date_key, full_date, year, quarter, month, month_name, iso_week, day_of_month, day_of_week, day_name, is_weekend
) VALUES (
    src.date_key, src.full_date, src.year, src.quarter, src.month, src.month_name, src.iso_week,
    src.day_of_month, src.day_of_week, src.day_name, src.is_weekend
);
