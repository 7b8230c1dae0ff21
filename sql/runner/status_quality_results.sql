-- The quality results of one run, failures first, the most severe first (`lakehouse status`).
SELECT
    r.severity, r.rule_name, r.status, r.rows_failing, r.rows_checked, r.failing_sample, r.error_message,
    d.description
FROM {{ ref('gold.data_quality_results') }} AS r
LEFT JOIN {{ ref('gold.data_quality_rules') }} AS d ON r.rule_name = d.rule_name
WHERE r.run_id = ?
ORDER BY CASE r.status WHEN 'passed' THEN 1 ELSE 0 END, {{ severity_rank('r.severity') }}, r.rule_name
