-- Gold etl_log: the run log, written by the runner and by the procedures; grain: one row per step of a run (step_name 'run' is the run itself).
{%- set checks = {'etl_log_status': "status IN ('running', 'succeeded', 'failed')"} %}
CREATE TABLE IF NOT EXISTS {{ this }} (
    run_id STRING NOT NULL,
    step_number INT,
    step_name STRING NOT NULL,
    step_description STRING,
    started_at TIMESTAMP NOT NULL,
    ended_at TIMESTAMP,
    rows_affected BIGINT,
    status STRING NOT NULL,
    error_message STRING,
    logged_by STRING NOT NULL
    {{- check_constraints(checks) }}
);

{{ add_check_constraints(this, checks) }};

COMMENT ON TABLE {{ this }} IS 'Run log of the lakehouse: one row per step of every run (ingest, deploy, each refresh statement, each procedure call) and one row per run with step_name run. Written by the runner and by the SQL procedures; a failed step keeps its error message.';
COMMENT ON COLUMN {{ this }}.run_id IS 'Identifier of the run, shared by all its steps and by its rows in data_quality_results.';
COMMENT ON COLUMN {{ this }}.step_number IS 'Order of the step in the run as the runner executed it; 0 for the run row, NULL for rows written from inside a procedure.';
COMMENT ON COLUMN {{ this }}.step_name IS 'What ran: run, ingest, deploy, an object such as silver.events, or a procedure name.';
COMMENT ON COLUMN {{ this }}.step_description IS 'The statement or action in words, e.g. MERGE INTO silver.events.';
COMMENT ON COLUMN {{ this }}.started_at IS 'When the step started.';
COMMENT ON COLUMN {{ this }}.ended_at IS 'When the step ended; NULL while a run is running or after it was killed.';
COMMENT ON COLUMN {{ this }}.rows_affected IS 'Rows the step inserted, updated or deleted when the engine reports it; NULL when unknown.';
COMMENT ON COLUMN {{ this }}.status IS 'running, succeeded or failed.';
COMMENT ON COLUMN {{ this }}.error_message IS 'Why the step or the run failed; NULL otherwise.';
COMMENT ON COLUMN {{ this }}.logged_by IS 'Who wrote the row: runner, or the name of the procedure.'
