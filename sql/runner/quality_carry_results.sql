-- A run with nothing new: the marked run's quality results stand, but for the rules checked again (one bound array).
INSERT INTO {{ ref('gold.data_quality_results') }} (
    run_id, rule_name, severity, rows_failing, rows_checked, max_failing_share, status, failing_sample,
    error_message, checked_at
)
SELECT
    ?,
    rule_name,
    severity,
    rows_failing,
    rows_checked,
    max_failing_share,
    status,
    failing_sample,
    error_message,
    checked_at
FROM {{ ref('gold.data_quality_results') }}
WHERE run_id = ? AND NOT array_contains(?, rule_name)
