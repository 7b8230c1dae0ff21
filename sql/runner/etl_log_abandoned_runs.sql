-- Runs still marked running when another starts on the local target: their process is gone, so they failed.
UPDATE {{ ref('gold.etl_log') }}
SET ended_at = ?, status = 'failed', error_message = ?
WHERE step_name = 'run' AND status = 'running' AND run_id <> ?
