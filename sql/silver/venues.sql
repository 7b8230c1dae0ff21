-- Silver venues: venues from their own endpoint and embedded in events; newest load wins, the endpoint over an embedded copy of the same load; grain: one row per venue id.
{% from 'silver/_watermarks.jinja' import since_last_load with context %}
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

-- this load's copies, one per id: the endpoint's first, then the newest
MERGE INTO {{ this }} AS tgt
USING (
    WITH from_endpoint AS (
        SELECT {{ bronze_object('r', venue_schema) }} AS record, r._source_file, r._source_line, r._ingestion_timestamp
        FROM {{ bronze_columns(ref('bronze.venues_raw'), venue_schema) }} AS r
        WHERE {{ since_last_load('bronze.venues_raw') }}
    ),

    from_events AS (
        SELECT r._source_file, r._source_line, r._ingestion_timestamp, {{ explode_outer('r._embedded.venues', 'v') }}
        FROM {{ bronze_columns(ref('bronze.events_raw'), landed_event_schema) }} AS r
        WHERE {{ since_last_load('bronze.events_raw') }} AND r.id IS NOT NULL AND length(r.id) > 0
    ),

    candidates AS (
        SELECT
            CAST(record.id AS STRING) AS venue_id,
            CAST(record.name AS STRING) AS venue_name,
            CAST(record.type AS STRING) AS venue_type,
            CAST(record.url AS STRING) AS venue_url,
            CAST(record.locale AS STRING) AS locale,
            trim(CAST(record.address.line1 AS STRING)) AS address_line1,
            trim(CAST(record.address.line2 AS STRING)) AS address_line2,
            trim(CAST(record.city.name AS STRING)) AS city_name,
            trim(CAST(record.state.name AS STRING)) AS state_name,
            CAST(record.state.stateCode AS STRING) AS state_code,
            trim(CAST(record.country.name AS STRING)) AS country_name,
            CAST(record.country.countryCode AS STRING) AS country_code,
            trim(CAST(record.postalCode AS STRING)) AS postal_code,
            CAST(record.timezone AS STRING) AS timezone,
            CASE
                WHEN TRY_CAST(record.location.latitude AS DOUBLE) BETWEEN -90 AND 90
                    THEN TRY_CAST(record.location.latitude AS DOUBLE)
            END AS latitude,
            CASE
                WHEN TRY_CAST(record.location.longitude AS DOUBLE) BETWEEN -180 AND 180
                    THEN TRY_CAST(record.location.longitude AS DOUBLE)
            END AS longitude,
            CAST({{ first_item('record.markets') }}.id AS STRING) AS market_id,
            TRY_CAST({{ first_item('record.dmas') }}.id AS BIGINT) AS dma_id,
            {{ tie_break_hash('record') }} AS record_hash,
            'venue' AS source_entity,
            0 AS source_priority,
            _source_file,
            _source_line,
            _ingestion_timestamp
        FROM from_endpoint
        UNION ALL
        SELECT
            CAST(v.id AS STRING) AS venue_id,
            CAST(v.name AS STRING) AS venue_name,
            CAST(v.type AS STRING) AS venue_type,
            CAST(v.url AS STRING) AS venue_url,
            CAST(v.locale AS STRING) AS locale,
            trim(CAST(v.address.line1 AS STRING)) AS address_line1,
            trim(CAST(v.address.line2 AS STRING)) AS address_line2,
            trim(CAST(v.city.name AS STRING)) AS city_name,
            trim(CAST(v.state.name AS STRING)) AS state_name,
            CAST(v.state.stateCode AS STRING) AS state_code,
            trim(CAST(v.country.name AS STRING)) AS country_name,
            CAST(v.country.countryCode AS STRING) AS country_code,
            trim(CAST(v.postalCode AS STRING)) AS postal_code,
            CAST(v.timezone AS STRING) AS timezone,
            CASE
                WHEN TRY_CAST(v.location.latitude AS DOUBLE) BETWEEN -90 AND 90
                    THEN TRY_CAST(v.location.latitude AS DOUBLE)
            END AS latitude,
            CASE
                WHEN TRY_CAST(v.location.longitude AS DOUBLE) BETWEEN -180 AND 180
                    THEN TRY_CAST(v.location.longitude AS DOUBLE)
            END AS longitude,
            CAST({{ first_item('v.markets') }}.id AS STRING) AS market_id,
            TRY_CAST({{ first_item('v.dmas') }}.id AS BIGINT) AS dma_id,
            {{ tie_break_hash('v') }} AS record_hash,
            'event' AS source_entity,
            1 AS source_priority,
            _source_file,
            _source_line,
            _ingestion_timestamp
        FROM from_events
    ),

    final AS (
        SELECT
            *,
            row_number() OVER (
                PARTITION BY venue_id
                ORDER BY
                    source_priority ASC, _ingestion_timestamp DESC, _source_file DESC, _source_line DESC NULLS LAST,
                    record_hash DESC
            ) AS version_rank
        FROM candidates
        WHERE venue_id IS NOT NULL AND length(venue_id) > 0
    )

    SELECT * FROM final WHERE version_rank = 1
) AS src
ON tgt.venue_id = src.venue_id
-- an embedded copy fills gaps only; an unchanged row keeps its lineage
WHEN MATCHED AND (
    (src.source_entity <> 'event' AND tgt.source_entity = 'event')
    OR CASE WHEN src.source_entity = 'event' THEN coalesce(src.venue_name, tgt.venue_name) ELSE src.venue_name END
        IS DISTINCT FROM tgt.venue_name
    OR CASE WHEN src.source_entity = 'event' THEN coalesce(src.venue_type, tgt.venue_type) ELSE src.venue_type END
        IS DISTINCT FROM tgt.venue_type
    OR CASE WHEN src.source_entity = 'event' THEN coalesce(src.venue_url, tgt.venue_url) ELSE src.venue_url END
        IS DISTINCT FROM tgt.venue_url
    OR CASE WHEN src.source_entity = 'event' THEN coalesce(src.locale, tgt.locale) ELSE src.locale END
        IS DISTINCT FROM tgt.locale
    OR CASE WHEN src.source_entity = 'event' THEN coalesce(src.address_line1, tgt.address_line1)
        ELSE src.address_line1 END
        IS DISTINCT FROM tgt.address_line1
    OR CASE WHEN src.source_entity = 'event' THEN coalesce(src.address_line2, tgt.address_line2)
        ELSE src.address_line2 END
        IS DISTINCT FROM tgt.address_line2
    OR CASE WHEN src.source_entity = 'event' THEN coalesce(src.city_name, tgt.city_name) ELSE src.city_name END
        IS DISTINCT FROM tgt.city_name
    OR CASE WHEN src.source_entity = 'event' THEN coalesce(src.state_name, tgt.state_name) ELSE src.state_name END
        IS DISTINCT FROM tgt.state_name
    OR CASE WHEN src.source_entity = 'event' THEN coalesce(src.state_code, tgt.state_code) ELSE src.state_code END
        IS DISTINCT FROM tgt.state_code
    OR CASE WHEN src.source_entity = 'event' THEN coalesce(src.country_name, tgt.country_name) ELSE src.country_name END
        IS DISTINCT FROM tgt.country_name
    OR CASE WHEN src.source_entity = 'event' THEN coalesce(src.country_code, tgt.country_code) ELSE src.country_code END
        IS DISTINCT FROM tgt.country_code
    OR CASE WHEN src.source_entity = 'event' THEN coalesce(src.postal_code, tgt.postal_code) ELSE src.postal_code END
        IS DISTINCT FROM tgt.postal_code
    OR CASE WHEN src.source_entity = 'event' THEN coalesce(src.timezone, tgt.timezone) ELSE src.timezone END
        IS DISTINCT FROM tgt.timezone
    OR CASE WHEN src.source_entity = 'event' THEN coalesce(src.latitude, tgt.latitude) ELSE src.latitude END
        IS DISTINCT FROM tgt.latitude
    OR CASE WHEN src.source_entity = 'event' THEN coalesce(src.longitude, tgt.longitude) ELSE src.longitude END
        IS DISTINCT FROM tgt.longitude
    OR CASE WHEN src.source_entity = 'event' THEN coalesce(src.market_id, tgt.market_id) ELSE src.market_id END
        IS DISTINCT FROM tgt.market_id
    OR CASE WHEN src.source_entity = 'event' THEN coalesce(src.dma_id, tgt.dma_id) ELSE src.dma_id END
        IS DISTINCT FROM tgt.dma_id
) THEN UPDATE SET
    venue_name = CASE WHEN src.source_entity = 'event' THEN coalesce(src.venue_name, tgt.venue_name)
        ELSE src.venue_name END,
    venue_type = CASE WHEN src.source_entity = 'event' THEN coalesce(src.venue_type, tgt.venue_type)
        ELSE src.venue_type END,
    venue_url = CASE WHEN src.source_entity = 'event' THEN coalesce(src.venue_url, tgt.venue_url)
        ELSE src.venue_url END,
    locale = CASE WHEN src.source_entity = 'event' THEN coalesce(src.locale, tgt.locale) ELSE src.locale END,
    address_line1 = CASE WHEN src.source_entity = 'event' THEN coalesce(src.address_line1, tgt.address_line1)
        ELSE src.address_line1 END,
    address_line2 = CASE WHEN src.source_entity = 'event' THEN coalesce(src.address_line2, tgt.address_line2)
        ELSE src.address_line2 END,
    city_name = CASE WHEN src.source_entity = 'event' THEN coalesce(src.city_name, tgt.city_name)
        ELSE src.city_name END,
    state_name = CASE WHEN src.source_entity = 'event' THEN coalesce(src.state_name, tgt.state_name)
        ELSE src.state_name END,
    state_code = CASE WHEN src.source_entity = 'event' THEN coalesce(src.state_code, tgt.state_code)
        ELSE src.state_code END,
    country_name = CASE WHEN src.source_entity = 'event' THEN coalesce(src.country_name, tgt.country_name)
        ELSE src.country_name END,
    country_code = CASE WHEN src.source_entity = 'event' THEN coalesce(src.country_code, tgt.country_code)
        ELSE src.country_code END,
    postal_code = CASE WHEN src.source_entity = 'event' THEN coalesce(src.postal_code, tgt.postal_code)
        ELSE src.postal_code END,
    timezone = CASE WHEN src.source_entity = 'event' THEN coalesce(src.timezone, tgt.timezone) ELSE src.timezone END,
    latitude = CASE WHEN src.source_entity = 'event' THEN coalesce(src.latitude, tgt.latitude) ELSE src.latitude END,
    longitude = CASE WHEN src.source_entity = 'event' THEN coalesce(src.longitude, tgt.longitude)
        ELSE src.longitude END,
    market_id = CASE WHEN src.source_entity = 'event' THEN coalesce(src.market_id, tgt.market_id)
        ELSE src.market_id END,
    dma_id = CASE WHEN src.source_entity = 'event' THEN coalesce(src.dma_id, tgt.dma_id) ELSE src.dma_id END,
    source_entity = src.source_entity,
    _source_file = src._source_file,
    _ingestion_timestamp = src._ingestion_timestamp
WHEN NOT MATCHED THEN INSERT (
    venue_id, venue_name, venue_type, venue_url, locale, address_line1, address_line2, city_name,
    state_name, state_code, country_name, country_code, postal_code, timezone, latitude, longitude,
    market_id, dma_id, source_entity, _source_file, _ingestion_timestamp
) VALUES (
    src.venue_id, src.venue_name, src.venue_type, src.venue_url, src.locale, src.address_line1,
    src.address_line2, src.city_name, src.state_name, src.state_code, src.country_name,
    src.country_code, src.postal_code, src.timezone, src.latitude, src.longitude, src.market_id,
    src.dma_id, src.source_entity, src._source_file, src._ingestion_timestamp
);

COMMENT ON TABLE {{ this }} IS 'Ticketmaster venues, from the venues endpoint and from the venues embedded in events, so every event venue exists here; one row per venue id, the most recently landed version wins.'
