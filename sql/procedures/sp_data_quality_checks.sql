-- Procedure sp_data_quality_checks: runs the active rules of data_quality_rules (all, or those named) and stores what each found; grain: one call per run, after the gold refresh.
{%- from 'procedures/_call_log.jinja' import log_failed_call_and_resignal, log_succeeded_call with context %}
CREATE OR REPLACE PROCEDURE {{ this }}(
    IN requested_run_id STRING DEFAULT NULL,
    IN fail_on_critical BOOLEAN DEFAULT FALSE,
    IN rule_names ARRAY<STRING> DEFAULT NULL
)
LANGUAGE SQL
SQL SECURITY INVOKER
COMMENT 'Run every active data quality rule (sql/quality, registered in data_quality_rules by deploy), or only those in rule_names, write one row per rule into data_quality_results and one row into etl_log, and return the quality score of the run. The run is requested_run_id, else the run in progress in etl_log, else a new id. With fail_on_critical, a failed CRITICAL rule raises an error after the results are stored (for a scheduled job to fail).'  -- noqa: LT05
AS BEGIN
    DECLARE call_started_at TIMESTAMP DEFAULT current_timestamp;
    DECLARE this_run_id STRING;
    DECLARE failing_rows BIGINT;
    DECLARE checked_rows BIGINT;
    DECLARE failing_keys STRING;
    DECLARE count_sql STRING;
    DECLARE checked_sql_text STRING;
    DECLARE sample_sql STRING;
    DECLARE rule_error STRING;
    DECLARE rule_counts_sql STRING;
    DECLARE all_rules_sql STRING;
    DECLARE all_rules_error STRING;
    DECLARE call_error STRING;
    DECLARE rules_run INT DEFAULT 0;
    DECLARE critical_failed BIGINT;
    DECLARE failure_message STRING;
    DECLARE failure_arguments MAP<STRING, STRING>;

    -- Anything outside a single rule (a missing results table, say) is logged, then raised to the caller.
    {{ log_failed_call_and_resignal('run the data quality rules', rows='rules_run') }};

    -- The runner registers its run in etl_log before the first step; a direct CALL gets its own id.
    SET this_run_id = coalesce(
        requested_run_id,
        (
            SELECT max_by(run_id, started_at)
            FROM {{ ref('gold.etl_log') }}
            WHERE step_name = 'run' AND status = 'running' AND started_at >= call_started_at - INTERVAL 1 DAY
        ),
        'sql-' || CAST(uuid() AS STRING)
    );

    -- Every chosen rule in one statement: what each finds and how many rows it checks, a row per rule.
    -- No quote inside a literal (Databricks escapes it with a backslash, DuckDB doubles it): chr(39).
    SET rule_counts_sql = (
        SELECT {{ ordered_string_agg(
            "'SELECT ' || chr(39) || rule_name || chr(39) || ' AS rule_name, (SELECT count(*) FROM (' || rule_sql"
            ~ " || ') AS offending) AS failing_rows, (' || checked_sql || ') AS checked_rows'",
            "' UNION ALL '",
            "rule_name",
        ) }}
        FROM {{ ref('gold.data_quality_rules') }}
        WHERE is_active AND (rule_names IS NULL OR array_contains(rule_names, rule_name))
    );
    SET all_rules_sql = 'INSERT INTO {{ ref('gold.data_quality_results') }} (run_id, rule_name, severity, '
        || 'rows_failing, rows_checked, max_failing_share, status, failing_sample, error_message, checked_at) '
        || 'SELECT ?, r.rule_name, r.severity, c.failing_rows, c.checked_rows, r.max_failing_share, '
        || 'CASE WHEN c.failing_rows > coalesce(c.checked_rows, 0) * r.max_failing_share THEN ? ELSE ? END, '
        || 'NULL, NULL, current_timestamp '
        || 'FROM (' || rule_counts_sql || ') AS c '
        || 'INNER JOIN {{ ref('gold.data_quality_rules') }} AS r ON r.rule_name = c.rule_name ORDER BY r.rule_name';
    IF rule_counts_sql IS NOT NULL THEN
        all_rules: BEGIN
            DECLARE EXIT HANDLER FOR SQLEXCEPTION
            BEGIN
                GET DIAGNOSTICS CONDITION 1 all_rules_error = MESSAGE_TEXT;
            END;
            EXECUTE IMMEDIATE all_rules_sql USING this_run_id, 'failed', 'passed';
        END all_rules;
    END IF;

    -- A rule whose query fails fails that statement: then the rules run one at a time, each error
    -- recorded with its rule.
    IF all_rules_error IS NOT NULL THEN
        rules: FOR r AS
            SELECT rule_name, severity, max_failing_share, rule_sql, checked_sql
            FROM {{ ref('gold.data_quality_rules') }}
            WHERE is_active AND (rule_names IS NULL OR array_contains(rule_names, rule_name))
            ORDER BY rule_name
        DO
            SET failing_rows = NULL;
            SET checked_rows = NULL;
            SET rule_error = NULL;
            -- EXECUTE IMMEDIATE takes a literal or a variable (before DBR 17.3), so the texts go through variables.
            SET count_sql = 'SELECT count(*) FROM (' || r.rule_sql || ') AS offending';
            SET checked_sql_text = r.checked_sql;

            -- A rule whose query fails is recorded as an error and the next rule runs.
            one_rule: BEGIN
                DECLARE EXIT HANDLER FOR SQLEXCEPTION
                BEGIN
                    GET DIAGNOSTICS CONDITION 1 rule_error = MESSAGE_TEXT;
                END;
                EXECUTE IMMEDIATE count_sql INTO failing_rows;
                EXECUTE IMMEDIATE checked_sql_text INTO checked_rows;
            END one_rule;

            INSERT INTO {{ ref('gold.data_quality_results') }} (
                run_id, rule_name, severity, rows_failing, rows_checked, max_failing_share, status, failing_sample,
                error_message, checked_at
            )
            VALUES (
                this_run_id, r.rule_name, r.severity, failing_rows, checked_rows, r.max_failing_share,
                CASE
                    WHEN rule_error IS NOT NULL THEN 'error'
                    WHEN failing_rows > coalesce(checked_rows, 0) * r.max_failing_share THEN 'failed'
                    ELSE 'passed'
                END,
                NULL, rule_error, current_timestamp
            );
            SET rules_run = rules_run + 1;
        END FOR rules;
    END IF;

    -- The evidence of each rule that found rows, however its counts were taken: its first ten offending keys.
    samples: FOR f AS
        SELECT checked.rule_name, rules.rule_sql
        FROM {{ ref('gold.data_quality_results') }} AS checked
        INNER JOIN {{ ref('gold.data_quality_rules') }} AS rules ON rules.rule_name = checked.rule_name
        WHERE checked.run_id = this_run_id AND checked.checked_at >= call_started_at
            AND checked.rows_failing > 0 AND checked.failing_sample IS NULL AND checked.error_message IS NULL
    DO
        SET failing_keys = NULL;
        SET rule_error = NULL;
        SET sample_sql = 'SELECT string_agg(failing_key, ?) FROM ('
            || 'SELECT CAST(failing_key AS STRING) AS failing_key FROM (' || f.rule_sql || ') AS offending'
            || ' ORDER BY 1 LIMIT 10) AS sampled';
        one_sample: BEGIN
            DECLARE EXIT HANDLER FOR SQLEXCEPTION
            BEGIN
                GET DIAGNOSTICS CONDITION 1 rule_error = MESSAGE_TEXT;
            END;
            EXECUTE IMMEDIATE sample_sql INTO failing_keys USING ', ';
        END one_sample;
        UPDATE {{ ref('gold.data_quality_results') }}
        SET
            failing_sample = failing_keys,
            error_message = rule_error,
            status = CASE WHEN rule_error IS NOT NULL THEN 'error' ELSE status END
        WHERE run_id = this_run_id AND rule_name = f.rule_name AND checked_at >= call_started_at;
    END FOR samples;
    SET rules_run = (
        SELECT count(*) FROM {{ ref('gold.data_quality_results') }}
        WHERE run_id = this_run_id AND checked_at >= call_started_at
    );

    -- The runner reads the results and sets its own exit code; a job task has only this error to fail on.
    SET critical_failed = (
        SELECT critical_failures FROM {{ ref('gold.data_quality_scores') }} WHERE run_id = this_run_id
    );
    -- MESSAGE_TEXT takes a literal only; a computed message goes through USER_RAISED_EXCEPTION's arguments.
    IF fail_on_critical AND critical_failed > 0 THEN
        SET failure_message = 'sp_data_quality_checks: ' || critical_failed || ' CRITICAL rule(s) failed in run '
            || this_run_id || ', the results are stored in data_quality_results';
        SET failure_arguments = {{ string_map('errorMessage', 'failure_message') }};
        SIGNAL USER_RAISED_EXCEPTION SET MESSAGE_ARGUMENTS = failure_arguments;
    END IF;

    {{ log_succeeded_call('run the data quality rules', rows='rules_run') }};

    -- The result set of the call: the score of this run (docs/quality.md has the formula).
    SELECT run_id, quality_score, rules_checked, rules_passed, rules_failed, critical_failures
    FROM {{ ref('gold.data_quality_scores') }}
    WHERE run_id = this_run_id;
END
