-- What each quality rule found in one run, by rule name (the quality lines of `lakehouse run` and `test`).
SELECT rule_name, severity, status, rows_failing, rows_checked, failing_sample, error_message
FROM {{ ref('gold.data_quality_results') }}
WHERE run_id = ?
ORDER BY rule_name
