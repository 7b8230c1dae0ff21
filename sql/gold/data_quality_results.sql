-- Gold data_quality_results: what each quality rule found in each run; grain: one row per (run, rule).
{%- set checks = {'data_quality_results_status': "status IN ('passed', 'failed', 'error')"} %}
CREATE TABLE IF NOT EXISTS {{ this }} (
    run_id STRING NOT NULL,
    rule_name STRING NOT NULL,
    severity STRING NOT NULL,
    rows_failing BIGINT,
    rows_checked BIGINT,
    max_failing_share DOUBLE,
    status STRING NOT NULL,
    failing_sample STRING,
    error_message STRING,
    checked_at TIMESTAMP NOT NULL
    {{- check_constraints(checks) }}
);

{{ add_check_constraints(this, checks) }};

COMMENT ON TABLE {{ this }} IS 'Results of the data quality rules over time: one row per rule and run, written by sp_data_quality_checks after the gold refresh of the run. Failed rows name a sample of the offending keys as evidence.';
COMMENT ON COLUMN {{ this }}.run_id IS 'The run (see etl_log) whose data was checked.';
COMMENT ON COLUMN {{ this }}.rule_name IS 'The rule (see data_quality_rules).';
COMMENT ON COLUMN {{ this }}.severity IS 'Severity of the rule when it ran: CRITICAL, HIGH, MEDIUM or LOW.';
COMMENT ON COLUMN {{ this }}.rows_failing IS 'Number of offending rows the rule query returned; NULL when the query failed.';
COMMENT ON COLUMN {{ this }}.rows_checked IS 'Number of rows of the checked tables.';
COMMENT ON COLUMN {{ this }}.max_failing_share IS 'Share of checked rows allowed to fail, as registered when the rule ran.';
COMMENT ON COLUMN {{ this }}.status IS 'passed, failed (more offending rows than allowed) or error (the rule query itself failed).';
COMMENT ON COLUMN {{ this }}.failing_sample IS 'Up to 10 keys of offending rows, comma separated, smallest first.';
COMMENT ON COLUMN {{ this }}.error_message IS 'The error of the rule query when status is error.';
COMMENT ON COLUMN {{ this }}.checked_at IS 'When the rule ran.'
