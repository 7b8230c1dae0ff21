-- Gold data_quality_rules: the rules of sql/quality as deployed, rendered for this target; grain: one row per rule.
{%- set checks = {'data_quality_rules_severity': is_severity('severity')} %}
CREATE TABLE IF NOT EXISTS {{ this }} (
    rule_name STRING NOT NULL,
    severity STRING NOT NULL,
    description STRING NOT NULL,
    checked_tables STRING NOT NULL,
    max_failing_share DOUBLE NOT NULL,
    rule_sql STRING NOT NULL,
    checked_sql STRING NOT NULL,
    is_active BOOLEAN NOT NULL,
    registered_at TIMESTAMP NOT NULL
    {{- check_constraints(checks) }}
);

{{ add_check_constraints(this, checks) }};

COMMENT ON TABLE {{ this }} IS 'Data quality rules, one per file of sql/quality, registered by deploy. sp_data_quality_checks runs every active rule: rule_sql returns the offending rows, checked_sql counts the rows checked.';
COMMENT ON COLUMN {{ this }}.rule_name IS 'Name of the rule, the name of its file in sql/quality.';
COMMENT ON COLUMN {{ this }}.severity IS 'CRITICAL (a failure fails the run), HIGH, MEDIUM or LOW (failures warn).';
COMMENT ON COLUMN {{ this }}.description IS 'What the rule asserts, in one line.';
COMMENT ON COLUMN {{ this }}.checked_tables IS 'The tables whose rows the rule checks, comma separated.';
COMMENT ON COLUMN {{ this }}.max_failing_share IS 'Share of the checked rows allowed to fail before the rule fails; 0 means any offending row fails it.';
COMMENT ON COLUMN {{ this }}.rule_sql IS 'The rule query as rendered for this target; it returns the offending rows with a failing_key column.';
COMMENT ON COLUMN {{ this }}.checked_sql IS 'A query returning the number of rows the rule checks.';
COMMENT ON COLUMN {{ this }}.is_active IS 'False once the rule file was removed from sql/quality; inactive rules are not run.';
COMMENT ON COLUMN {{ this }}.registered_at IS 'When deploy last registered or changed the rule.'
