-- Load dim_market: the unknown market, then markets as SCD type 1 (names change in place).
MERGE INTO {{ ref('gold.dim_market') }} AS tgt
USING (SELECT '-1' AS market_id, 'Unknown market' AS market_name) AS src
ON tgt.market_id = src.market_id
WHEN NOT MATCHED THEN INSERT ({{ identity_insert_column('market_sk') }}market_id, market_name, updated_at)
VALUES ({{ identity_insert_value(ref('gold.dim_market') ~ '_sk_seq') }}src.market_id, src.market_name, run_at);

MERGE INTO {{ ref('gold.dim_market') }} AS tgt
USING (SELECT market_id, market_name FROM {{ ref('silver.markets') }}) AS src
ON tgt.market_id = src.market_id
WHEN MATCHED AND tgt.market_name IS DISTINCT FROM src.market_name THEN UPDATE SET
    market_name = src.market_name,
    updated_at = run_at
WHEN NOT MATCHED THEN INSERT ({{ identity_insert_column('market_sk') }}market_id, market_name, updated_at)
VALUES ({{ identity_insert_value(ref('gold.dim_market') ~ '_sk_seq') }}src.market_id, src.market_name, run_at);
