-- Gold data_quality_scores: the quality score of each run, weighted by severity; grain: one row per run.
CREATE OR REPLACE VIEW {{ this }} AS
WITH weighted AS (
    SELECT
        run_id,
        severity,
        status,
        checked_at,
        -- a CRITICAL rule counts ten LOW ones
        {{ severity_weight('severity') }} AS severity_weight
    FROM {{ ref('gold.data_quality_results') }}
),

final AS (
    SELECT
        run_id,
        min(checked_at) AS checked_at,
        count(*) AS rules_checked,
        count_if(status = 'passed') AS rules_passed,
        count_if(status <> 'passed') AS rules_failed,
        count_if(status <> 'passed' AND severity = 'CRITICAL') AS critical_failures,
        round(100.0 * sum(CASE WHEN status = 'passed' THEN severity_weight ELSE 0 END) / sum(severity_weight), 1)
            AS quality_score
    FROM weighted
    GROUP BY run_id
)

SELECT * FROM final
