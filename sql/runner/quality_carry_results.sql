-- A run that found nothing new: the marked run's quality results stand for it, but for the rules checked again.
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
WHERE run_id = ? AND rule_name NOT IN ('' {%- for _ in range(checked_again) %}, ?{% endfor %})
