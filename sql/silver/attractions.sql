-- Silver attractions: performers and teams from their own endpoint and embedded in events; newest load wins, the endpoint over an embedded copy of the same load; grain: one row per attraction id.
{% from 'silver/_incremental.jinja' import since_last_load, advance_watermark with context %}
{% from 'silver/_objects.jinja' import attraction_columns, attraction_keys with context %}
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

MERGE INTO {{ this }} AS tgt
USING (
    WITH from_endpoint AS (
        SELECT
            {{ attraction_columns('record') }},
            'attraction' AS source_entity,
            0 AS source_priority,
            _source_file,
            _ingestion_timestamp
        FROM (
            SELECT {{ bronze_object('r', attraction_keys) }} AS record, r._source_file, r._ingestion_timestamp
            FROM {{ bronze_columns(ref('bronze.attractions_raw'), attraction_keys) }} AS r
            WHERE {{ since_last_load('bronze.attractions_raw') }}
        ) AS landed
    ),

    from_events AS (
        SELECT
            {{ attraction_columns('a') }},
            'event' AS source_entity,
            1 AS source_priority,
            e._source_file,
            e._ingestion_timestamp
        FROM (
            SELECT {{ bronze_object('r', ['_embedded']) }} AS record, r._source_file, r._ingestion_timestamp
            FROM {{ bronze_columns(ref('bronze.events_raw'), ['_embedded']) }} AS r
            WHERE {{ since_last_load('bronze.events_raw') }}
        ) AS e
        {{ explode_outer('e.record', '_embedded.attractions', 'a') }}
    ),

    candidates AS (
        SELECT * FROM from_endpoint
        UNION ALL
        SELECT * FROM from_events
    ),

    ranked AS (
        SELECT
            *,
            row_number() OVER (
                PARTITION BY attraction_id
                ORDER BY source_priority ASC, _ingestion_timestamp DESC, _source_file DESC, record_hash DESC
            ) AS version_rank
        FROM candidates
        WHERE attraction_id IS NOT NULL AND length(attraction_id) > 0
    )

    SELECT * FROM ranked WHERE version_rank = 1
) AS src
ON tgt.attraction_id = src.attraction_id
-- A copy embedded in an event may omit fields; it does not erase what the endpoint gave.
WHEN MATCHED THEN UPDATE SET
{% for column in ['attraction_name', 'attraction_type', 'attraction_url', 'locale', 'segment_id', 'genre_id', 'subgenre_id'] %}
    {{ column }} = CASE WHEN src.source_entity = 'event' THEN coalesce(src.{{ column }}, tgt.{{ column }}) ELSE src.{{ column }} END,
{% endfor %}
    source_entity = src.source_entity,
    _source_file = src._source_file,
    _ingestion_timestamp = src._ingestion_timestamp
WHEN NOT MATCHED THEN INSERT (
    attraction_id, attraction_name, attraction_type, attraction_url, locale, segment_id, genre_id,
    subgenre_id, source_entity, _source_file, _ingestion_timestamp
) VALUES (
    src.attraction_id, src.attraction_name, src.attraction_type, src.attraction_url, src.locale,
    src.segment_id, src.genre_id, src.subgenre_id, src.source_entity, src._source_file, src._ingestion_timestamp
);

{{ advance_watermark('bronze.attractions_raw') }};

{{ advance_watermark('bronze.events_raw') }};

COMMENT ON TABLE {{ this }} IS 'Ticketmaster attractions (artists, teams, shows), from the attractions endpoint and from the attractions embedded in events, so every event attraction exists here; one row per attraction id, the most recently landed version wins.'
