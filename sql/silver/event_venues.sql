-- Silver event_venues: the venues of each event in API order; grain: one row per (event id, venue id).
{% from 'silver/_watermarks.jinja' import since_last_load with context %}
{%- set checks = {
    'event_venues_order': 'venue_order >= 1',
    'event_venues_primary_is_first': 'is_primary = (venue_order = 1)',
} %}
CREATE TABLE IF NOT EXISTS {{ this }} (
    event_id STRING NOT NULL,
    venue_id STRING NOT NULL,
    venue_order INT NOT NULL,
    is_primary BOOLEAN NOT NULL,
    _source_file STRING NOT NULL,
    _ingestion_timestamp TIMESTAMP NOT NULL,
    {{ primary_key('event_venues_pk', 'event_id, venue_id') }}
    {{- check_constraints(checks) }}
    {{ foreign_key('event_venues_event_fk', 'event_id', ref('silver.events'), 'event_id') }}
    {{ foreign_key('event_venues_venue_fk', 'venue_id', ref('silver.venues'), 'venue_id') }}
);

{{ add_check_constraints(this, checks) }};

-- an event landed again replaces its venue list: forget the pairs of the events in this load
DELETE FROM {{ this }}
WHERE event_id IN (
    SELECT CAST(r.id AS STRING)
    FROM {{ bronze_columns(ref('bronze.events_raw'), landed_event_schema) }} AS r
    WHERE {{ since_last_load('bronze.events_raw') }} AND r.id IS NOT NULL AND length(r.id) > 0
);

-- the pairs of the events in this load (none of them is left after the delete above)
INSERT INTO {{ this }} (event_id, venue_id, venue_order, is_primary, _source_file, _ingestion_timestamp)
WITH landed AS (
    SELECT
        {{ bronze_object('r', {'id': 'STRING', '_embedded': {'venues': [{'id': 'STRING'}]}}) }} AS record,
        r._source_file,
        r._source_line,
        r._ingestion_timestamp
    FROM {{ bronze_columns(ref('bronze.events_raw'), landed_event_schema) }} AS r
    WHERE {{ since_last_load('bronze.events_raw') }} AND r.id IS NOT NULL AND length(r.id) > 0
),

latest AS (
    SELECT *
    FROM (
        SELECT
            CAST(record.id AS STRING) AS event_id,
            landed.*,
            row_number() OVER (
                PARTITION BY CAST(record.id AS STRING)
                -- latest landing first; then the later line (local only), then a hash
                ORDER BY
                    _ingestion_timestamp DESC, _source_file DESC, _source_line DESC NULLS LAST,
                    {{ tie_break_hash('record') }} DESC
            ) AS version_rank
        FROM landed
    ) AS versions
    WHERE version_rank = 1 AND event_id IS NOT NULL AND length(event_id) > 0
),

listed AS (
    SELECT
        latest.event_id,
        latest._source_file,
        latest._ingestion_timestamp,
        {{ explode_outer('latest.record._embedded.venues', 'v') }}
    FROM latest
),

pairs AS (
    SELECT
        event_id,
        CAST(v.id AS STRING) AS venue_id,
        min(v_pos) AS first_position,
        _source_file,
        _ingestion_timestamp
    FROM listed
    GROUP BY event_id, CAST(v.id AS STRING), _source_file, _ingestion_timestamp
),

final AS (
    SELECT
        event_id,
        venue_id,
        CAST(row_number() OVER (PARTITION BY event_id ORDER BY first_position) AS INT) AS venue_order,
        _source_file,
        _ingestion_timestamp
    FROM pairs
    WHERE venue_id IS NOT NULL AND length(venue_id) > 0
)

SELECT event_id, venue_id, venue_order, venue_order = 1 AS is_primary, _source_file, _ingestion_timestamp
FROM final;

COMMENT ON TABLE {{ this }} IS 'Which venues each event lists, in API order (venue_order 1 is the primary venue); one row per event and venue. Every venue here exists in silver.venues.'
