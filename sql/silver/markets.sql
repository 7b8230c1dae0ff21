-- Silver markets: Ticketmaster markets named by venues (own endpoint and embedded in events); grain: one row per market id.
{% from 'silver/_objects.jinja' import venue_schema with context %}
{% from 'silver/_incremental.jinja' import since_last_load, advance_watermark with context %}
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
    {%- set market_schema = {'markets': venue_schema['markets']} %}
    {%- set embedded = {'_embedded': {'venues': [market_schema]}} %}
    -- each branch reads its markets to plain columns: venue structs from two sources need not match
    WITH market_records AS (
        SELECT
            CAST({{ json_get('m', 'id') }} AS STRING) AS market_id,
            CAST({{ json_get('m', 'name') }} AS STRING) AS market_name,
            {{ tie_break_hash('m') }} AS record_hash,
            landed._source_file,
            landed._ingestion_timestamp
        FROM (
            SELECT {{ bronze_object('r', market_schema) }} AS venue, r._source_file, r._ingestion_timestamp
            FROM {{ bronze_columns(ref('bronze.venues_raw'), market_schema) }} AS r
            WHERE {{ since_last_load('bronze.venues_raw') }}
        ) AS landed
        {{ explode_outer('landed.venue', 'markets', 'm') }}
        UNION ALL
        SELECT
            CAST({{ json_get('m', 'id') }} AS STRING) AS market_id,
            CAST({{ json_get('m', 'name') }} AS STRING) AS market_name,
            {{ tie_break_hash('m') }} AS record_hash,
            e._source_file,
            e._ingestion_timestamp
        FROM (
            SELECT {{ bronze_object('r', embedded) }} AS record, r._source_file, r._ingestion_timestamp
            FROM {{ bronze_columns(ref('bronze.events_raw'), embedded) }} AS r
            WHERE {{ since_last_load('bronze.events_raw') }}
        ) AS e
        {{ explode_outer('e.record', '_embedded.venues', 'v') }}
        {{ explode_outer('v', 'markets', 'm') }}
    ),

    ranked AS (
        SELECT
            *,
            row_number() OVER (
                PARTITION BY market_id ORDER BY _ingestion_timestamp DESC, _source_file DESC, record_hash DESC
            ) AS version_rank
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
