-- The run whose quality results are the latest (`lakehouse status`).
SELECT max_by(run_id, checked_at) FROM {{ ref('gold.data_quality_results') }}
