-- question: How many events are there per segment and genre?
SELECT c.segment_name, c.genre_name, count(*) AS events
FROM {{ ref('gold.fact_events') }} AS f
INNER JOIN {{ ref('gold.dim_classification') }} AS c ON f.classification_sk = c.classification_sk
GROUP BY c.segment_name, c.genre_name
ORDER BY events DESC
