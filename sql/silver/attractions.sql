-- Silver attractions: performers and teams from their own endpoint and embedded in events; newest load wins, the endpoint over an embedded copy of the same load; grain: one row per attraction id.
{% from 'silver/_incremental.jinja' import advance_watermark with context %}
{% from 'silver/_endpoint_and_events.jinja' import latest_from_endpoint_and_events with context -%}
{% from 'silver/_objects.jinja' import attraction_columns, attraction_schema with context %}
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
    {{ latest_from_endpoint_and_events('attraction', 'attractions', 'a', attraction_columns, attraction_schema) }}
) AS src
ON tgt.attraction_id = src.attraction_id
{%- set columns = ['attraction_name', 'attraction_type', 'attraction_url', 'locale', 'segment_id', 'genre_id', 'subgenre_id'] %}
{%- macro merged(column) -%}
    CASE WHEN src.source_entity = 'event' THEN coalesce(src.{{ column }}, tgt.{{ column }}) ELSE src.{{ column }} END
{%- endmacro %}
-- A copy embedded in an event may omit fields; it does not erase what the endpoint gave. A copy that
-- changes nothing leaves the row as it is, lineage included, unless the endpoint now confirms what an
-- event gave: events embed their venues and attractions again and again, and rewriting identical
-- rows would mark them all as changed for everything that reads silver incrementally.
WHEN MATCHED AND (
    (src.source_entity <> 'event' AND tgt.source_entity = 'event')
{%- for column in columns %}
    OR {{ merged(column) }} IS DISTINCT FROM tgt.{{ column }}
{%- endfor %}
) THEN UPDATE SET
{% for column in columns %}
    {{ column }} = {{ merged(column) }},
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

{{ advance_watermark('silver.landed_events') }};

COMMENT ON TABLE {{ this }} IS 'Ticketmaster attractions (artists, teams, shows), from the attractions endpoint and from the attractions embedded in events, so every event attraction exists here; one row per attraction id, the most recently landed version wins.'
