-- rule: bronze_records_kept_aside
-- severity: HIGH
-- description: No landed record was kept out of silver since the previous quality check: a line that is not UTF-8, not JSON or not an object, a file that is not one object per line, an event, venue or attraction without a usable id. Evidence: file and line.
-- checks: bronze.events_raw, bronze.venues_raw, bronze.attractions_raw, bronze.classifications_raw
-- kept aside since the previous check of this rule (the start of its call in etl_log)
WITH previous_check AS (
    SELECT coalesce(max(calls.started_at), TIMESTAMP '1900-01-01 00:00:00') AS started_at
    FROM {{ ref('gold.etl_log') }} AS calls
    WHERE calls.step_name = 'sp_data_quality_checks'
        AND calls.run_id IN (
            SELECT results.run_id
            FROM {{ ref('gold.data_quality_results') }} AS results
            WHERE results.rule_name = 'bronze_records_kept_aside'
        )
)

SELECT
    kept.table_name,
    kept.reason,
    kept.source_file || coalesce(':' || CAST(kept.line_number AS STRING), '') AS failing_key
FROM {{ kept_aside_records(schema('bronze'), ['events_raw', 'venues_raw', 'attractions_raw']) }} AS kept
CROSS JOIN previous_check
WHERE kept.kept_at > previous_check.started_at
