-- The end of a run in the run log: when, whether it succeeded, and why not; values are bound parameters.
UPDATE {{ ref('gold.etl_log') }}
SET ended_at = ?, status = ?, error_message = ?
WHERE run_id = ? AND step_name = 'run'
