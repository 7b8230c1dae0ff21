-- Silver venues: venues from their own endpoint and embedded in events; newest load wins, the endpoint over an embedded copy of the same load; grain: one row per venue id.
{% from 'silver/_incremental.jinja' import advance_watermark with context %}
{% from 'silver/_endpoint_and_events.jinja' import latest_from_endpoint_and_events, merge_clauses with context -%}
{% from 'silver/_objects.jinja' import venue_columns with context %}
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
{{ merge_clauses('venue', [
    'venue_name', 'venue_type', 'venue_url', 'locale', 'address_line1', 'address_line2', 'city_name', 'state_name',
    'state_code', 'country_name', 'country_code', 'postal_code', 'timezone', 'latitude', 'longitude', 'market_id',
    'dma_id',
]) }};

{{ advance_watermark('bronze.venues_raw') }};

{{ advance_watermark('silver.landed_events') }};

COMMENT ON TABLE {{ this }} IS 'Ticketmaster venues, from the venues endpoint and from the venues embedded in events, so every event venue exists here; one row per venue id, the most recently landed version wins.'
