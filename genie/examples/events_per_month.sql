-- question: How many events are there per month?
SELECT d.year, d.month, count(*) AS events
FROM {{ ref('gold.fact_events') }} AS f
JOIN {{ ref('gold.dim_date') }} AS d ON d.date_key = f.date_key
GROUP BY d.year, d.month
ORDER BY d.year, d.month
