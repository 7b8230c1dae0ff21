-- The quality score of one run.
SELECT quality_score FROM {{ ref('gold.data_quality_scores') }} WHERE run_id = ?
