-- The rows each step of the runner wrote in some runs (`lakehouse report`, rows per layer).
SELECT run_id, step_name, rows_affected
FROM {{ ref('gold.etl_log') }}
WHERE array_contains(?, run_id)
    AND logged_by = ? AND rows_affected IS NOT NULL
