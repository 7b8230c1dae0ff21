-- Advance the watermarks of the silver loads a run made, once at their end: how far each reader read each source.
MERGE INTO {{ ref('silver.load_state') }} AS tgt
USING (
    SELECT
        r.object_name,
        r.source_table,
        s.high_watermark
    FROM (
        VALUES
        {%- for object_name, source_table in watermarks %}
            ('{{ object_name }}', '{{ source_table }}'){{ ',' if not loop.last }}
        {%- endfor %}
    ) AS r (object_name, source_table)
    INNER JOIN (
        {%- for source_table in watermarks | map(attribute=1) | unique | sort %}
        {%- if not loop.first %}
        UNION ALL
        {%- endif %}
        SELECT
            '{{ source_table }}' AS source_table,
            max(_ingestion_timestamp) AS high_watermark
        FROM {{ source_table }}
        {%- endfor %}
    ) AS s ON r.source_table = s.source_table
) AS src
ON tgt.object_name = src.object_name AND tgt.source_table = src.source_table
WHEN MATCHED AND src.high_watermark > tgt.high_watermark THEN UPDATE SET
    high_watermark = src.high_watermark,
    updated_at = current_timestamp
WHEN NOT MATCHED AND src.high_watermark IS NOT NULL THEN INSERT (object_name, source_table, high_watermark, updated_at)
    VALUES (src.object_name, src.source_table, src.high_watermark, current_timestamp)
