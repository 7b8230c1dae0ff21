-- Silver markets: Ticketmaster markets named by venues (own endpoint and embedded in events); grain: one row per market id.
{% from 'silver/_watermarks.jinja' import since_last_load with context %}
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
    -- each branch reads its markets to plain columns
    WITH market_records AS (
        SELECT
            CAST(m.id AS STRING) AS market_id,
            CAST(m.name AS STRING) AS market_name,
            {{ tie_break_hash('m') }} AS record_hash,
            landed._source_file,
            landed._source_line,
            landed._ingestion_timestamp
        FROM (
            SELECT r._source_file, r._source_line, r._ingestion_timestamp, {{ explode_outer('r.markets', 'm') }}
            FROM {{ bronze_columns(
                ref('bronze.venues_raw'), {'id': 'STRING', 'markets': venue_schema['markets']}
            ) }} AS r
            -- a venue without a usable id is not read (as the venues and the local bronze do not read it)
            WHERE {{ since_last_load('bronze.venues_raw') }} AND r.id IS NOT NULL AND length(r.id) > 0
        ) AS landed
        UNION ALL
        SELECT
            CAST(m.id AS STRING) AS market_id,
            CAST(m.name AS STRING) AS market_name,
            {{ tie_break_hash('m') }} AS record_hash,
            venues._source_file,
            venues._source_line,
            venues._ingestion_timestamp
        FROM (
            SELECT e._source_file, e._source_line, e._ingestion_timestamp, {{ explode_outer('e.v.markets', 'm') }}
            FROM (
                SELECT
                    r._source_file, r._source_line, r._ingestion_timestamp,
                    {{ explode_outer('r._embedded.venues', 'v') }}
                FROM {{ bronze_columns(ref('bronze.events_raw'), landed_event_schema) }} AS r
                WHERE {{ since_last_load('bronze.events_raw') }} AND r.id IS NOT NULL AND length(r.id) > 0
            ) AS e
        ) AS venues
    ),

    ranked AS (
        SELECT
            *,
            row_number() OVER (
                PARTITION BY market_id
                ORDER BY _ingestion_timestamp DESC, _source_file DESC, _source_line DESC NULLS LAST, record_hash DESC
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

COMMENT ON TABLE {{ this }} IS 'Ticketmaster markets (regional areas) named by venues; one row per market id, the most recently landed name wins.'
