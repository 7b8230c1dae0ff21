-- The mark of a complete run (local target): its id, when it ended, and silver.load_state as it left it.
CREATE OR REPLACE TABLE bronze._run_state AS
SELECT
    CAST(? AS STRING) AS run_id,
    CAST(current_timestamp AS TIMESTAMP) AS completed_at,
    CAST(? AS STRING) AS load_state
