-- The logged steps of one run, in the order they ran (`lakehouse status`, objects of the latest run).
SELECT
    step_number, step_name, step_description, started_at, ended_at, rows_affected, status, error_message, logged_by
FROM {{ ref('gold.etl_log') }}
WHERE run_id = ? AND step_name <> 'run'
ORDER BY started_at, step_number
