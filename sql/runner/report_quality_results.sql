-- The quality results of some runs with each rule's description (`lakehouse report`).
SELECT
    r.run_id, r.rule_name, r.severity, r.status, r.rows_failing, r.rows_checked, r.failing_sample,
    r.error_message, d.description
FROM {{ ref('gold.data_quality_results') }} AS r
LEFT JOIN {{ ref('gold.data_quality_rules') }} AS d ON r.rule_name = d.rule_name
WHERE array_contains(?, r.run_id)  -- noqa: RF02
ORDER BY r.rule_name
