-- question: Which artists or teams play the most events?
SELECT a.attraction_name, count(DISTINCT b.event_key) AS events
FROM {{ ref('gold.bridge_event_attraction') }} AS b
JOIN {{ ref('gold.dim_attraction') }} AS a ON a.attraction_key = b.attraction_key AND a.is_current
GROUP BY a.attraction_name
ORDER BY events DESC
LIMIT 20
