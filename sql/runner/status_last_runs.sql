-- The last runs of etl_log, newest first, each with its step counts and quality score (`lakehouse status`).
WITH runs AS (
    SELECT run_id, started_at, ended_at, status, error_message, step_description
    FROM {{ ref('gold.etl_log') }}
    WHERE step_name = 'run'
    ORDER BY started_at DESC
    LIMIT ?
),

steps AS (
    SELECT
        run_id,
        count(*) AS steps,
        count_if(status = 'failed') AS failed_steps,
        sum(rows_affected) AS rows_affected
    FROM {{ ref('gold.etl_log') }}
    WHERE step_name <> 'run' AND logged_by = ?
    GROUP BY run_id
)

SELECT
    runs.run_id, runs.started_at, runs.ended_at, runs.status, runs.error_message, runs.step_description,
    steps.rows_affected, scores.quality_score,
    coalesce(steps.steps, 0) AS steps, coalesce(steps.failed_steps, 0) AS failed_steps
FROM runs
LEFT JOIN steps ON runs.run_id = steps.run_id
LEFT JOIN {{ ref('gold.data_quality_scores') }} AS scores ON runs.run_id = scores.run_id
ORDER BY runs.started_at DESC
