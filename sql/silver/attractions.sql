-- Silver attractions: performers and teams from their own endpoint and embedded in events; newest load wins, the endpoint over an embedded copy of the same load; grain: one row per attraction id.
{% from 'silver/_incremental.jinja' import advance_watermark with context %}
{% from 'silver/_endpoint_and_events.jinja' import latest_from_endpoint_and_events, merge_clauses with context -%}
{% from 'silver/_objects.jinja' import attraction_columns with context %}
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
{{ merge_clauses('attraction', ['attraction_name', 'attraction_type', 'attraction_url', 'locale', 'segment_id', 'genre_id', 'subgenre_id']) }};

{{ advance_watermark('bronze.attractions_raw') }};

{{ advance_watermark('silver.landed_events') }};

COMMENT ON TABLE {{ this }} IS 'Ticketmaster attractions (artists, teams, shows), from the attractions endpoint and from the attractions embedded in events, so every event attraction exists here; one row per attraction id, the most recently landed version wins.'
