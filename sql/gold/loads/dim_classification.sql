-- Load dim_classification: the unknown classification, then the combinations events carry (SCD type 1), named from silver.
MERGE INTO {{ ref('gold.dim_classification') }} AS tgt
USING (SELECT '-1' AS classification_key, 'Unknown' AS unknown_name) AS src
ON tgt.classification_key = src.classification_key
WHEN NOT MATCHED THEN INSERT (
    {{ identity_insert_column('classification_sk') }}
    classification_key, segment_name, genre_name, subgenre_name, type_name, subtype_name, updated_at
) VALUES (
    {{ identity_insert_value(ref('gold.dim_classification') ~ '_sk_seq') }}
    src.classification_key, src.unknown_name, src.unknown_name, src.unknown_name, src.unknown_name,
    src.unknown_name, run_at
);

MERGE INTO {{ ref('gold.dim_classification') }} AS tgt
USING (
    WITH combinations AS (
        SELECT DISTINCT segment_id, genre_id, subgenre_id, type_id, subtype_id
        FROM {{ ref('silver.events') }}
        WHERE coalesce(segment_id, genre_id, subgenre_id, type_id, subtype_id) IS NOT NULL
    ),

    names AS (
        SELECT classification_id, classification_name
        FROM {{ ref('silver.classifications') }}
    )

    SELECT
        concat_ws(
            '/', coalesce(c.segment_id, '-'), coalesce(c.genre_id, '-'), coalesce(c.subgenre_id, '-'),
            coalesce(c.type_id, '-'), coalesce(c.subtype_id, '-')
        ) AS classification_key,
        c.segment_id,
        seg.classification_name AS segment_name,
        c.genre_id,
        gen.classification_name AS genre_name,
        c.subgenre_id,
        sub.classification_name AS subgenre_name,
        c.type_id,
        typ.classification_name AS type_name,
        c.subtype_id,
        sty.classification_name AS subtype_name
    FROM combinations AS c
    LEFT JOIN names AS seg ON c.segment_id = seg.classification_id
    LEFT JOIN names AS gen ON c.genre_id = gen.classification_id
    LEFT JOIN names AS sub ON c.subgenre_id = sub.classification_id
    LEFT JOIN names AS typ ON c.type_id = typ.classification_id
    LEFT JOIN names AS sty ON c.subtype_id = sty.classification_id
) AS src
ON tgt.classification_key = src.classification_key
WHEN MATCHED AND (
    tgt.segment_name IS DISTINCT FROM src.segment_name
    OR tgt.genre_name IS DISTINCT FROM src.genre_name
    OR tgt.subgenre_name IS DISTINCT FROM src.subgenre_name
    OR tgt.type_name IS DISTINCT FROM src.type_name
    OR tgt.subtype_name IS DISTINCT FROM src.subtype_name
) THEN UPDATE SET
    segment_name = src.segment_name,
    genre_name = src.genre_name,
    subgenre_name = src.subgenre_name,
    type_name = src.type_name,
    subtype_name = src.subtype_name,
    updated_at = run_at
WHEN NOT MATCHED THEN INSERT (
    {{ identity_insert_column('classification_sk') }}
    classification_key, segment_id, segment_name, genre_id, genre_name, subgenre_id, subgenre_name,
    type_id, type_name, subtype_id, subtype_name, updated_at
) VALUES (
    {{ identity_insert_value(ref('gold.dim_classification') ~ '_sk_seq') }}
    src.classification_key, src.segment_id, src.segment_name, src.genre_id, src.genre_name,
    src.subgenre_id, src.subgenre_name, src.type_id, src.type_name, src.subtype_id, src.subtype_name, run_at
);
