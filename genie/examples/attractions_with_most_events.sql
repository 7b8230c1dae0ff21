-- question: Which artists or teams play the most events?
SELECT cur.attraction_name, count(DISTINCT b.event_id) AS events
FROM {{ ref('gold.bridge_event_attraction') }} AS b
INNER JOIN {{ ref('gold.dim_attraction') }} AS cur ON b.attraction_id = cur.attraction_id AND cur.is_current
GROUP BY cur.attraction_name
ORDER BY events DESC, cur.attraction_name
LIMIT 20
