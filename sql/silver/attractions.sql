-- Silver attractions: performers and teams from their own endpoint and embedded in events; newest load wins, the endpoint over an embedded copy of the same load; grain: one row per attraction id.
{% from 'silver/_watermarks.jinja' import since_last_load with context %}
{%- set checks = {
    'attractions_source_entity': "source_entity IN ('attraction', 'event')",
} %}
CREATE TABLE IF NOT EXISTS {{ this }} (
    attraction_id STRING NOT NULL,
    attraction_name STRING,
    attraction_type STRING,
    attraction_url STRING,
    locale STRING,
    segment_id STRING,
    genre_id STRING,
    subgenre_id STRING,
    source_entity STRING NOT NULL,
    _source_file STRING NOT NULL,
    _ingestion_timestamp TIMESTAMP NOT NULL,
    {{ primary_key('attractions_pk', 'attraction_id') }}
    {{- check_constraints(checks) }}
);

{{ add_check_constraints(this, checks) }};

-- this load's copies, one per id: the endpoint's first, then the newest
MERGE INTO {{ this }} AS tgt
USING (
    WITH from_endpoint AS (
        SELECT
            {{ bronze_object('r', attraction_schema) }} AS record,
            r._source_file,
            r._source_line,
            r._ingestion_timestamp
        FROM {{ bronze_columns(ref('bronze.attractions_raw'), attraction_schema) }} AS r
        WHERE {{ since_last_load('bronze.attractions_raw') }}
    ),

    from_events AS (
        SELECT
            r._source_file, r._source_line, r._ingestion_timestamp, {{ explode_outer('r._embedded.attractions', 'a') }}
        FROM {{ bronze_columns(ref('bronze.events_raw'), landed_event_schema) }} AS r
        WHERE {{ since_last_load('bronze.events_raw') }} AND r.id IS NOT NULL AND length(r.id) > 0
    ),

    candidates AS (
        SELECT
            CAST(record.id AS STRING) AS attraction_id,
            CAST(record.name AS STRING) AS attraction_name,
            CAST(record.type AS STRING) AS attraction_type,
            CAST(record.url AS STRING) AS attraction_url,
            CAST(record.locale AS STRING) AS locale,
            CAST({{ first_item('record.classifications') }}.segment.id AS STRING) AS segment_id,
            CAST({{ first_item('record.classifications') }}.genre.id AS STRING) AS genre_id,
            CAST({{ first_item('record.classifications') }}.subGenre.id AS STRING) AS subgenre_id,
            {{ tie_break_hash('record') }} AS record_hash,
            'attraction' AS source_entity,
            0 AS source_priority,
            _source_file,
            _source_line,
            _ingestion_timestamp
        FROM from_endpoint
        UNION ALL
        SELECT
            CAST(a.id AS STRING) AS attraction_id,
            CAST(a.name AS STRING) AS attraction_name,
            CAST(a.type AS STRING) AS attraction_type,
            CAST(a.url AS STRING) AS attraction_url,
            CAST(a.locale AS STRING) AS locale,
            CAST({{ first_item('a.classifications') }}.segment.id AS STRING) AS segment_id,
            CAST({{ first_item('a.classifications') }}.genre.id AS STRING) AS genre_id,
            CAST({{ first_item('a.classifications') }}.subGenre.id AS STRING) AS subgenre_id,
            {{ tie_break_hash('a') }} AS record_hash,
            'event' AS source_entity,
            1 AS source_priority,
            _source_file,
            _source_line,
            _ingestion_timestamp
        FROM from_events
    ),

    -- per id the copy that ranks first: the endpoint's, then the latest landing, the later line (local only), a hash
    final AS (
        SELECT
            attraction_id,
            max_by(
                {{ record_of([
                    'attraction_name', 'attraction_type', 'attraction_url', 'locale', 'segment_id', 'genre_id',
                    'subgenre_id', 'source_entity', '_source_file', '_ingestion_timestamp'
                ]) }},
                {{ record_of([
                    'endpoint_first', '_ingestion_timestamp', '_source_file', 'line_or_zero', 'record_hash'
                ]) }}
            ) AS winner
        FROM (
            SELECT *, -source_priority AS endpoint_first, coalesce(_source_line, 0) AS line_or_zero
            FROM candidates
        ) AS candidates
        WHERE attraction_id IS NOT NULL AND length(attraction_id) > 0
        GROUP BY attraction_id
    )

    SELECT
        attraction_id,
        winner.attraction_name,
        winner.attraction_type,
        winner.attraction_url,
        winner.locale,
        winner.segment_id,
        winner.genre_id,
        winner.subgenre_id,
        winner.source_entity,
        winner._source_file,
        winner._ingestion_timestamp
    FROM final
) AS src
ON tgt.attraction_id = src.attraction_id
-- an embedded copy fills gaps only; an unchanged row keeps its lineage
WHEN MATCHED AND (
    (src.source_entity <> 'event' AND tgt.source_entity = 'event')
    OR CASE WHEN src.source_entity = 'event' THEN coalesce(src.attraction_name, tgt.attraction_name)
        ELSE src.attraction_name END
        IS DISTINCT FROM tgt.attraction_name
    OR CASE WHEN src.source_entity = 'event' THEN coalesce(src.attraction_type, tgt.attraction_type)
        ELSE src.attraction_type END
        IS DISTINCT FROM tgt.attraction_type
    OR CASE WHEN src.source_entity = 'event' THEN coalesce(src.attraction_url, tgt.attraction_url)
        ELSE src.attraction_url END
        IS DISTINCT FROM tgt.attraction_url
    OR CASE WHEN src.source_entity = 'event' THEN coalesce(src.locale, tgt.locale) ELSE src.locale END
        IS DISTINCT FROM tgt.locale
    OR CASE WHEN src.source_entity = 'event' THEN coalesce(src.segment_id, tgt.segment_id) ELSE src.segment_id END
        IS DISTINCT FROM tgt.segment_id
    OR CASE WHEN src.source_entity = 'event' THEN coalesce(src.genre_id, tgt.genre_id) ELSE src.genre_id END
        IS DISTINCT FROM tgt.genre_id
    OR CASE WHEN src.source_entity = 'event' THEN coalesce(src.subgenre_id, tgt.subgenre_id) ELSE src.subgenre_id END
        IS DISTINCT FROM tgt.subgenre_id
) THEN UPDATE SET
    attraction_name = CASE WHEN src.source_entity = 'event' THEN coalesce(src.attraction_name, tgt.attraction_name)
        ELSE src.attraction_name END,
    attraction_type = CASE WHEN src.source_entity = 'event' THEN coalesce(src.attraction_type, tgt.attraction_type)
        ELSE src.attraction_type END,
    attraction_url = CASE WHEN src.source_entity = 'event' THEN coalesce(src.attraction_url, tgt.attraction_url)
        ELSE src.attraction_url END,
    locale = CASE WHEN src.source_entity = 'event' THEN coalesce(src.locale, tgt.locale) ELSE src.locale END,
    segment_id = CASE WHEN src.source_entity = 'event' THEN coalesce(src.segment_id, tgt.segment_id)
        ELSE src.segment_id END,
    genre_id = CASE WHEN src.source_entity = 'event' THEN coalesce(src.genre_id, tgt.genre_id) ELSE src.genre_id END,
    subgenre_id = CASE WHEN src.source_entity = 'event' THEN coalesce(src.subgenre_id, tgt.subgenre_id)
        ELSE src.subgenre_id END,
    source_entity = src.source_entity,
    _source_file = src._source_file,
    _ingestion_timestamp = src._ingestion_timestamp
WHEN NOT MATCHED THEN INSERT (
    attraction_id, attraction_name, attraction_type, attraction_url, locale, segment_id, genre_id,
    subgenre_id, source_entity, _source_file, _ingestion_timestamp
) VALUES (
    src.attraction_id, src.attraction_name, src.attraction_type, src.attraction_url, src.locale,
    src.segment_id, src.genre_id, src.subgenre_id, src.source_entity, src._source_file,
    src._ingestion_timestamp
);

COMMENT ON TABLE {{ this }} IS 'Ticketmaster attractions (artists, teams, shows), from the attractions endpoint and from the attractions embedded in events, so every event attraction exists here; one row per attraction id, the most recently landed version wins.'
