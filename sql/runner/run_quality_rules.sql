-- The last step of a run: run the registered quality rules over what the run wrote. A job fails on a CRITICAL one.
-- `lakehouse test --select` binds the run id and the names of the rules it chose.
{%- set chosen = chosen_rules | default(false) %}
CALL {{ ref('gold.sp_data_quality_checks') }}(
    {{- 'fail_on_critical => TRUE' if fail_on_critical }}{{ ', ' if fail_on_critical and chosen }}
    {{- 'requested_run_id => ?, rule_names => ?' if chosen -}}
)
