-- Rows of the run log: a run (step 0, step_name run) or its steps, one row per group of ten bound values.
INSERT INTO {{ ref('gold.etl_log') }} (
    run_id, step_number, step_name, step_description, started_at, ended_at, rows_affected, status, error_message,
    logged_by
) VALUES
{%- for _ in range(rows) %}
    (?, ?, ?, ?, ?, ?, ?, ?, ?, ?){{ ',' if not loop.last }}
{%- endfor %}
