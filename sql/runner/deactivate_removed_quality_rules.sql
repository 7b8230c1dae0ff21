-- Rules whose files are gone stop running; their past results stay. One bound parameter per rule file.
UPDATE {{ ref('gold.data_quality_rules') }}
SET is_active = FALSE, registered_at = current_timestamp
WHERE
    is_active
    AND rule_name NOT IN ({% for _ in rule_names %}?{{ ', ' if not loop.last }}{% endfor %})
