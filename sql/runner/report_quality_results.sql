-- The quality results of some runs with each rule's description (`lakehouse report`).
SELECT
    r.run_id, r.rule_name, r.severity, r.status, r.rows_failing, r.rows_checked, r.failing_sample,
    r.error_message, d.description
FROM {{ ref('gold.data_quality_results') }} AS r
LEFT JOIN {{ ref('gold.data_quality_rules') }} AS d ON r.rule_name = d.rule_name
WHERE r.run_id IN ({% for _ in run_ids %}?{{ ', ' if not loop.last }}{% endfor %})
ORDER BY r.rule_name
