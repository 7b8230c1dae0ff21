-- Silver markets: Ticketmaster markets named by venues (own endpoint and embedded in events); grain: one row per market id.
{% from 'silver/_objects.jinja' import venue_keys with context %}
{% from 'silver/_incremental.jinja' import since_last_load, advance_watermark, latest_first with context %}
{%- set checks = {
    'markets_id_not_blank': "length(market_id) > 0",
} %}
CREATE TABLE IF NOT EXISTS {{ this }} (
    market_id STRING NOT NULL,
    market_name STRING,
    _source_file STRING NOT NULL,
    _ingestion_timestamp TIMESTAMP NOT NULL,
    {{ primary_key('markets_pk', 'market_id') }}
    {{- check_constraints(checks) }}
);

{{ add_check_constraints(this, checks) }};

MERGE INTO {{ this }} AS tgt
USING (
    WITH venue_records AS (
        SELECT {{ bronze_object('r', venue_keys) }} AS venue, r._source_file, r._ingestion_timestamp
        FROM {{ bronze_columns(ref('bronze.venues_raw'), venue_keys) }} AS r
        WHERE {{ since_last_load('bronze.venues_raw') }}
        UNION ALL
        SELECT v AS venue, e._source_file, e._ingestion_timestamp
        FROM (
            SELECT {{ bronze_object('r', ['_embedded']) }} AS record, r._source_file, r._ingestion_timestamp
            FROM {{ bronze_columns(ref('bronze.events_raw'), ['_embedded']) }} AS r
            WHERE {{ since_last_load('bronze.events_raw') }}
        ) AS e
        {{ explode_outer('e.record', '_embedded.venues', 'v') }}
    ),

    market_records AS (
        SELECT
            CAST({{ json_get('m', 'id') }} AS STRING) AS market_id,
            CAST({{ json_get('m', 'name') }} AS STRING) AS market_name,
            m AS record,
            _source_file,
            _ingestion_timestamp
        FROM venue_records
        {{ explode_outer('venue', 'markets', 'm') }}
    ),

    ranked AS (
        SELECT
            *,
            row_number() OVER (PARTITION BY market_id ORDER BY {{ latest_first() }}) AS version_rank
        FROM market_records
        WHERE market_id IS NOT NULL AND length(market_id) > 0
    )

    SELECT market_id, market_name, _source_file, _ingestion_timestamp
    FROM ranked
    WHERE version_rank = 1
) AS src
ON tgt.market_id = src.market_id
WHEN MATCHED THEN UPDATE SET
    market_name = coalesce(src.market_name, tgt.market_name),
    _source_file = src._source_file,
    _ingestion_timestamp = src._ingestion_timestamp
WHEN NOT MATCHED THEN INSERT (market_id, market_name, _source_file, _ingestion_timestamp)
    VALUES (src.market_id, src.market_name, src._source_file, src._ingestion_timestamp);

{{ advance_watermark('bronze.venues_raw') }};

{{ advance_watermark('bronze.events_raw') }};

COMMENT ON TABLE {{ this }} IS 'Ticketmaster markets (regional areas) named by venues; one row per market id, the most recently landed name wins.'
