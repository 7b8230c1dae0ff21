-- Register one quality rule at deploy: insert it, or update it where its file changed; values are bound parameters.
MERGE INTO {{ ref('gold.data_quality_rules') }} AS tgt
USING (
    SELECT
        ? AS rule_name,
        ? AS severity,
        ? AS description,
        ? AS checked_tables,
        CAST(? AS DOUBLE) AS max_failing_share,
        ? AS rule_sql,
        ? AS checked_sql
) AS src
ON tgt.rule_name = src.rule_name
WHEN MATCHED AND (
    NOT tgt.is_active OR tgt.severity <> src.severity OR tgt.description <> src.description
    OR tgt.checked_tables <> src.checked_tables OR tgt.max_failing_share <> src.max_failing_share
    OR tgt.rule_sql <> src.rule_sql OR tgt.checked_sql <> src.checked_sql
) THEN UPDATE SET
    severity = src.severity,
    description = src.description,
    checked_tables = src.checked_tables,
    max_failing_share = src.max_failing_share,
    rule_sql = src.rule_sql,
    checked_sql = src.checked_sql,
    is_active = TRUE,
    registered_at = current_timestamp
WHEN NOT MATCHED THEN INSERT (
    rule_name, severity, description, checked_tables, max_failing_share, rule_sql, checked_sql,
    is_active, registered_at
) VALUES (
    src.rule_name, src.severity, src.description, src.checked_tables, src.max_failing_share,
    src.rule_sql, src.checked_sql, TRUE, current_timestamp
)
