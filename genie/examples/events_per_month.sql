-- question: How many events are there per month?
SELECT d.year, d.month, d.month_name, count(*) AS events
FROM {{ ref('gold.fact_events') }} AS f
INNER JOIN {{ ref('gold.dim_date') }} AS d ON f.event_date_key = d.date_key
WHERE f.event_date_key <> -1
GROUP BY d.year, d.month, d.month_name
ORDER BY d.year, d.month
