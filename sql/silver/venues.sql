-- Silver venues: venues from their own endpoint and embedded in events; newest load wins, the endpoint over an embedded copy of the same load; grain: one row per venue id.
{% from 'silver/_incremental.jinja' import advance_watermark with context %}
{% from 'silver/_endpoint_and_events.jinja' import latest_from_endpoint_and_events with context -%}
{% from 'silver/_objects.jinja' import venue_columns, venue_schema with context %}
{%- set checks = {
    'venues_latitude_range': "latitude BETWEEN -90 AND 90",
    'venues_longitude_range': "longitude BETWEEN -180 AND 180",
    'venues_source_entity': "source_entity IN ('venue', 'event')",
} %}
CREATE TABLE IF NOT EXISTS {{ this }} (
    venue_id STRING NOT NULL,
    venue_name STRING,
    venue_type STRING,
    venue_url STRING,
    locale STRING,
    address_line1 STRING,
    address_line2 STRING,
    city_name STRING,
    state_name STRING,
    state_code STRING,
    country_name STRING,
    country_code STRING,
    postal_code STRING,
    timezone STRING,
    latitude DOUBLE,
    longitude DOUBLE,
    market_id STRING,
    dma_id BIGINT,
    source_entity STRING NOT NULL,
    _source_file STRING NOT NULL,
    _ingestion_timestamp TIMESTAMP NOT NULL,
    {{ primary_key('venues_pk', 'venue_id') }}
    {{- check_constraints(checks) }}
    {{ foreign_key('venues_market_fk', 'market_id', ref('silver.markets'), 'market_id') }}
);

{{ add_check_constraints(this, checks) }};

MERGE INTO {{ this }} AS tgt
USING (
    {{ latest_from_endpoint_and_events('venue', 'venues', 'v', venue_columns, venue_schema) }}
) AS src
ON tgt.venue_id = src.venue_id
{%- set columns = ['venue_name', 'venue_type', 'venue_url', 'locale', 'address_line1', 'address_line2', 'city_name', 'state_name', 'state_code', 'country_name', 'country_code', 'postal_code', 'timezone', 'latitude', 'longitude', 'market_id', 'dma_id'] %}
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
    venue_id, venue_name, venue_type, venue_url, locale, address_line1, address_line2, city_name,
    state_name, state_code, country_name, country_code, postal_code, timezone, latitude, longitude,
    market_id, dma_id, source_entity, _source_file, _ingestion_timestamp
) VALUES (
    src.venue_id, src.venue_name, src.venue_type, src.venue_url, src.locale, src.address_line1,
    src.address_line2, src.city_name, src.state_name, src.state_code, src.country_name, src.country_code,
    src.postal_code, src.timezone, src.latitude, src.longitude, src.market_id, src.dma_id,
    src.source_entity, src._source_file, src._ingestion_timestamp
);

{{ advance_watermark('bronze.venues_raw') }};

{{ advance_watermark('silver.landed_events') }};

COMMENT ON TABLE {{ this }} IS 'Ticketmaster venues, from the venues endpoint and from the venues embedded in events, so every event venue exists here; one row per venue id, the most recently landed version wins.'
