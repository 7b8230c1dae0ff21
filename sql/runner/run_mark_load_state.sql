-- How far each silver table has read, as the mark of a complete run keeps it (local target).
SELECT
    object_name,
    source_table,
    CAST(high_watermark AS STRING) AS high_watermark
FROM {{ ref('silver.load_state') }}
ORDER BY ALL
