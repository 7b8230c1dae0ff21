-- The rows each step of the runner wrote in some runs (`lakehouse report`, rows per layer).
SELECT run_id, step_name, rows_affected
FROM {{ ref('gold.etl_log') }}
WHERE run_id IN ({% for _ in run_ids %}?{{ ', ' if not loop.last }}{% endfor %})
    AND logged_by = ? AND rows_affected IS NOT NULL
