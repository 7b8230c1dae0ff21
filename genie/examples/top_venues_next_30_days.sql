-- question: Which venues have the most events in the next 30 days?
SELECT cur.venue_name, cur.city_name, count(*) AS events
FROM {{ ref('gold.fact_events') }} AS f
INNER JOIN {{ ref('gold.dim_venue') }} AS v ON f.venue_sk = v.venue_sk
INNER JOIN {{ ref('gold.dim_venue') }} AS cur ON v.venue_id = cur.venue_id AND cur.is_current
WHERE f.start_local_date BETWEEN current_date() AND date_add(current_date(), 30)
    AND NOT f.is_cancelled
    AND cur.venue_id <> '-1'
GROUP BY cur.venue_name, cur.city_name
ORDER BY events DESC, cur.venue_name, cur.city_name
LIMIT 10
