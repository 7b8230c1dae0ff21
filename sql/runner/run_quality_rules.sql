-- The last step of a run: run the registered quality rules over what the run wrote. A job fails on a CRITICAL one.
CALL {{ ref('gold.sp_data_quality_checks') }}({{ 'fail_on_critical => TRUE' if fail_on_critical }})
