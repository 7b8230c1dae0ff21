-- Load dim_attraction: the unknown attraction, then attractions as SCD type 2 (close changed versions, add new ones).
MERGE INTO {{ ref('gold.dim_attraction') }} AS tgt
USING (SELECT '-1' AS attraction_id, 'Unknown attraction' AS attraction_name) AS src
ON tgt.attraction_id = src.attraction_id
WHEN NOT MATCHED THEN INSERT ({{ identity_insert_column('attraction_sk') }}
    attraction_id, attraction_name, change_hash, valid_from, valid_to, is_current)
VALUES (
    {{ identity_insert_value(ref('gold.dim_attraction') ~ '_sk_seq') }}
    src.attraction_id, src.attraction_name, 'unknown', TIMESTAMP '1900-01-01 00:00:00',
    TIMESTAMP '9999-12-31 00:00:00', TRUE
);

-- close the current version of every attraction whose tracked attributes changed
MERGE INTO {{ ref('gold.dim_attraction') }} AS tgt
USING (
    WITH staged AS (
        SELECT
            a.attraction_id,
            a.attraction_name,
            a.attraction_type,
            seg.classification_name AS segment_name,
            gen.classification_name AS genre_name,
            sub.classification_name AS subgenre_name
        FROM {{ ref('silver.attractions') }} AS a
        LEFT JOIN {{ ref('silver.classifications') }} AS seg ON a.segment_id = seg.classification_id
        LEFT JOIN {{ ref('silver.classifications') }} AS gen ON a.genre_id = gen.classification_id
        LEFT JOIN {{ ref('silver.classifications') }} AS sub ON a.subgenre_id = sub.classification_id
    )

    SELECT
        attraction_id,
        md5(concat_ws(
            '|',
            coalesce(CAST(attraction_name AS STRING), '~'),
            coalesce(CAST(attraction_type AS STRING), '~'),
            coalesce(CAST(segment_name AS STRING), '~'),
            coalesce(CAST(genre_name AS STRING), '~'),
            coalesce(CAST(subgenre_name AS STRING), '~')
        )) AS change_hash
    FROM staged
) AS src
ON tgt.attraction_id = src.attraction_id AND tgt.is_current
WHEN MATCHED AND tgt.change_hash <> src.change_hash THEN UPDATE SET
    valid_to = run_at,
    is_current = FALSE;

-- a version for every attraction without a current one: new (from 1900-01-01) or just closed (from now)
MERGE INTO {{ ref('gold.dim_attraction') }} AS tgt
USING (
    WITH staged AS (
        SELECT
            a.attraction_id,
            a.attraction_name,
            a.attraction_type,
            seg.classification_name AS segment_name,
            gen.classification_name AS genre_name,
            sub.classification_name AS subgenre_name
        FROM {{ ref('silver.attractions') }} AS a
        LEFT JOIN {{ ref('silver.classifications') }} AS seg ON a.segment_id = seg.classification_id
        LEFT JOIN {{ ref('silver.classifications') }} AS gen ON a.genre_id = gen.classification_id
        LEFT JOIN {{ ref('silver.classifications') }} AS sub ON a.subgenre_id = sub.classification_id
    )

    SELECT
        staged.*,
        md5(concat_ws(
            '|',
            coalesce(CAST(staged.attraction_name AS STRING), '~'),
            coalesce(CAST(staged.attraction_type AS STRING), '~'),
            coalesce(CAST(staged.segment_name AS STRING), '~'),
            coalesce(CAST(staged.genre_name AS STRING), '~'),
            coalesce(CAST(staged.subgenre_name AS STRING), '~')
        )) AS change_hash,
        history.attraction_id IS NOT NULL AS has_history,
        history.closed_at
    FROM staged
    LEFT JOIN (
        SELECT attraction_id, max(valid_to) AS closed_at
        FROM {{ ref('gold.dim_attraction') }}
        GROUP BY attraction_id
    ) AS history
        ON staged.attraction_id = history.attraction_id
) AS src
ON tgt.attraction_id = src.attraction_id AND tgt.is_current
WHEN NOT MATCHED THEN INSERT (
    {{ identity_insert_column('attraction_sk') }}
    attraction_id, attraction_name, attraction_type, segment_name, genre_name, subgenre_name,
    change_hash, valid_from, valid_to, is_current
) VALUES (
    {{ identity_insert_value(ref('gold.dim_attraction') ~ '_sk_seq') }}
    src.attraction_id, src.attraction_name, src.attraction_type, src.segment_name, src.genre_name,
    src.subgenre_name, src.change_hash,
    -- From when the last version ended, so no gap opens even when the close ran in an earlier call.
    CASE WHEN src.has_history THEN src.closed_at ELSE TIMESTAMP '1900-01-01 00:00:00' END,
    TIMESTAMP '9999-12-31 00:00:00', TRUE
);
