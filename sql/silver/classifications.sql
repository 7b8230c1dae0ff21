-- Silver classifications: the nodes of the segment > genre > sub-genre tree and of the type > sub-type tree; grain: one row per classification id.
{% from 'silver/_watermarks.jinja' import since_last_load with context %}
{%- set checks = {
    'classifications_level': "classification_level IN ('segment', 'genre', 'subgenre', 'type', 'subtype')",
    'classifications_root_has_no_parent': "classification_level NOT IN ('segment', 'type') OR parent_id IS NULL",
} %}
CREATE TABLE IF NOT EXISTS {{ this }} (
    classification_id STRING NOT NULL,
    classification_level STRING NOT NULL,
    classification_name STRING,
    parent_id STRING,
    _source_file STRING NOT NULL,
    _ingestion_timestamp TIMESTAMP NOT NULL,
    {{ primary_key('classifications_pk', 'classification_id') }}
    {{- check_constraints(checks) }}
);

{{ add_check_constraints(this, checks) }};

MERGE INTO {{ this }} AS tgt
USING (
    WITH trees AS (
        SELECT {{ bronze_object('r', tree_schema) }} AS record, r._source_file, r._ingestion_timestamp
        FROM {{ bronze_columns(ref('bronze.classifications_raw'), tree_schema) }} AS r
        WHERE {{ since_last_load('bronze.classifications_raw') }}
    ),

    -- segment > genre > sub-genre trees: {segment: {id, name, _embedded: {genres: [{..., _embedded: {subgenres}}]}}}
    tree_segments AS (
        SELECT
            CAST(record.segment.id AS STRING) AS classification_id,
            'segment' AS classification_level,
            CAST(record.segment.name AS STRING) AS classification_name,
            CAST(NULL AS STRING) AS parent_id,
            0 AS source_priority,
            _source_file,
            _ingestion_timestamp
        FROM trees
    ),

    tree_genres AS (
        SELECT
            CAST(g.id AS STRING) AS classification_id,
            'genre' AS classification_level,
            CAST(g.name AS STRING) AS classification_name,
            CAST(trees.record.segment.id AS STRING) AS parent_id,
            0 AS source_priority,
            _source_file,
            _ingestion_timestamp,
            g AS genre
        FROM (
            SELECT
                trees.record,
                trees._source_file,
                trees._ingestion_timestamp,
                {{ explode_outer('trees.record.segment._embedded.genres', 'g') }}
            FROM trees
        ) AS trees
    ),

    tree_subgenres AS (
        SELECT
            CAST(sg.id AS STRING) AS classification_id,
            'subgenre' AS classification_level,
            CAST(sg.name AS STRING) AS classification_name,
            classification_id AS parent_id,
            0 AS source_priority,
            _source_file,
            _ingestion_timestamp
        FROM (
            SELECT
                tree_genres.classification_id,
                tree_genres._source_file,
                tree_genres._ingestion_timestamp,
                {{ explode_outer('tree_genres.genre._embedded.subgenres', 'sg') }}
            FROM tree_genres
        ) AS tree_genres
    ),

    -- type > sub-type trees: {type: {id, name, _embedded: {subtypes: [...]}}}
    tree_types AS (
        SELECT
            CAST(record.type.id AS STRING) AS classification_id,
            'type' AS classification_level,
            CAST(record.type.name AS STRING) AS classification_name,
            CAST(NULL AS STRING) AS parent_id,
            0 AS source_priority,
            _source_file,
            _ingestion_timestamp
        FROM trees
    ),

    tree_subtypes AS (
        SELECT
            CAST(st.id AS STRING) AS classification_id,
            'subtype' AS classification_level,
            CAST(st.name AS STRING) AS classification_name,
            CAST(trees.record.type.id AS STRING) AS parent_id,
            0 AS source_priority,
            _source_file,
            _ingestion_timestamp
        FROM (
            SELECT
                trees.record,
                trees._source_file,
                trees._ingestion_timestamp,
                {{ explode_outer('trees.record.type._embedded.subtypes', 'st') }}
            FROM trees
        ) AS trees
    ),

    -- the classifications[] items of events and attractions name the same nodes; each distinct item once
    -- (a node ranks by its own columns alone, so copies change nothing)
    items AS (
        SELECT
            CAST(c.segment.id AS STRING) AS segment_id,
            CAST(c.segment.name AS STRING) AS segment_name,
            CAST(c.genre.id AS STRING) AS genre_id,
            CAST(c.genre.name AS STRING) AS genre_name,
            CAST(c.subGenre.id AS STRING) AS subgenre_id,
            CAST(c.subGenre.name AS STRING) AS subgenre_name,
            CAST(c.type.id AS STRING) AS type_id,
            CAST(c.type.name AS STRING) AS type_name,
            CAST(c.subType.id AS STRING) AS subtype_id,
            CAST(c.subType.name AS STRING) AS subtype_name,
            landed._source_file,
            landed._ingestion_timestamp
        FROM (
            SELECT r._source_file, r._ingestion_timestamp, {{ explode_outer('r.classifications', 'c') }}
            FROM {{ bronze_columns(ref('bronze.events_raw'), landed_event_schema) }} AS r
            WHERE {{ since_last_load('bronze.events_raw') }} AND r.id IS NOT NULL AND length(r.id) > 0
        ) AS landed
        UNION DISTINCT
        SELECT
            CAST(c.segment.id AS STRING) AS segment_id,
            CAST(c.segment.name AS STRING) AS segment_name,
            CAST(c.genre.id AS STRING) AS genre_id,
            CAST(c.genre.name AS STRING) AS genre_name,
            CAST(c.subGenre.id AS STRING) AS subgenre_id,
            CAST(c.subGenre.name AS STRING) AS subgenre_name,
            CAST(c.type.id AS STRING) AS type_id,
            CAST(c.type.name AS STRING) AS type_name,
            CAST(c.subType.id AS STRING) AS subtype_id,
            CAST(c.subType.name AS STRING) AS subtype_name,
            landed._source_file,
            landed._ingestion_timestamp
        FROM (
            SELECT r._source_file, r._ingestion_timestamp, {{ explode_outer('r.classifications', 'c') }}
            FROM {{ bronze_columns(
                ref('bronze.attractions_raw'), {'id': 'STRING', 'classifications': [classification_item_schema]}
            ) }} AS r
            -- a record without a usable id is not read, as in every read of landed events
            WHERE {{ since_last_load('bronze.attractions_raw') }} AND r.id IS NOT NULL AND length(r.id) > 0
        ) AS landed
    ),

    item_nodes AS (
        SELECT
            segment_id AS classification_id,
            'segment' AS classification_level,
            segment_name AS classification_name,
            CAST(NULL AS STRING) AS parent_id,
            1 AS source_priority,
            _source_file,
            _ingestion_timestamp
        FROM items
        UNION ALL
        SELECT
            genre_id AS classification_id,
            'genre' AS classification_level,
            genre_name AS classification_name,
            segment_id AS parent_id,
            1 AS source_priority,
            _source_file,
            _ingestion_timestamp
        FROM items
        UNION ALL
        SELECT
            subgenre_id AS classification_id,
            'subgenre' AS classification_level,
            subgenre_name AS classification_name,
            genre_id AS parent_id,
            1 AS source_priority,
            _source_file,
            _ingestion_timestamp
        FROM items
        UNION ALL
        SELECT
            type_id AS classification_id,
            'type' AS classification_level,
            type_name AS classification_name,
            CAST(NULL AS STRING) AS parent_id,
            1 AS source_priority,
            _source_file,
            _ingestion_timestamp
        FROM items
        UNION ALL
        SELECT
            subtype_id AS classification_id,
            'subtype' AS classification_level,
            subtype_name AS classification_name,
            type_id AS parent_id,
            1 AS source_priority,
            _source_file,
            _ingestion_timestamp
        FROM items
    ),

    candidates AS (
        SELECT * FROM tree_segments
        UNION ALL
        SELECT
            classification_id, classification_level, classification_name, parent_id, source_priority, _source_file,
            _ingestion_timestamp
        FROM tree_genres
        UNION ALL
        SELECT * FROM tree_subgenres
        UNION ALL
        SELECT * FROM tree_types
        UNION ALL
        SELECT * FROM tree_subtypes
        UNION ALL
        SELECT * FROM item_nodes
    ),

    -- a tree first, then the latest landing; a node with several parents keeps the smallest parent id
    ranked AS (
        SELECT
            *,
            row_number() OVER (
                PARTITION BY classification_id
                ORDER BY source_priority ASC, _ingestion_timestamp DESC, _source_file DESC,
                    classification_level ASC, parent_id ASC NULLS LAST, classification_name ASC NULLS LAST
            ) AS version_rank
        FROM candidates
        WHERE classification_id IS NOT NULL AND length(classification_id) > 0
    )

    SELECT * FROM ranked WHERE version_rank = 1
) AS src
ON tgt.classification_id = src.classification_id
-- a tree wins; an item only fills a missing name; unchanged rows stay
WHEN MATCHED
    AND (src.source_priority = 0 OR tgt.classification_name IS NULL)
    AND (
        src.classification_level IS DISTINCT FROM tgt.classification_level
        OR coalesce(src.classification_name, tgt.classification_name) IS DISTINCT FROM tgt.classification_name
        OR src.parent_id IS DISTINCT FROM tgt.parent_id
    )
    THEN UPDATE SET
    classification_level = src.classification_level,
    classification_name = coalesce(src.classification_name, tgt.classification_name),
    parent_id = src.parent_id,
    _source_file = src._source_file,
    _ingestion_timestamp = src._ingestion_timestamp
WHEN NOT MATCHED THEN INSERT (
    classification_id, classification_level, classification_name, parent_id, _source_file, _ingestion_timestamp
) VALUES (
    src.classification_id, src.classification_level, src.classification_name, src.parent_id,
    src._source_file, src._ingestion_timestamp
);

COMMENT ON TABLE {{ this }} IS 'Ticketmaster classification nodes: segments, genres and sub-genres (a tree: parent_id points one level up) and types and sub-types; from the classification trees and from the classifications of events and attractions. One row per classification id.'
