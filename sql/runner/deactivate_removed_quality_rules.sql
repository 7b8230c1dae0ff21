-- Rules whose files are gone stop running; their past results stay. The rule files are one bound array.
UPDATE {{ ref('gold.data_quality_rules') }}
SET is_active = FALSE, registered_at = current_timestamp
WHERE
    is_active
    AND NOT array_contains(?, rule_name)
