-- question: Which venues have the most events in the next 30 days?
SELECT v.venue_name, v.city, count(*) AS events
FROM {{ ref('gold.fact_events') }} AS f
JOIN {{ ref('gold.dim_venue') }} AS v ON v.venue_key = f.venue_key AND v.is_current
JOIN {{ ref('gold.dim_date') }} AS d ON d.date_key = f.date_key
WHERE d.calendar_date BETWEEN current_date() AND date_add(current_date(), 30)
GROUP BY v.venue_name, v.city
ORDER BY events DESC
LIMIT 10
