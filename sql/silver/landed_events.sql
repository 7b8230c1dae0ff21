-- Silver landed events: the events landed since the oldest load of the silver tables that read them, parsed once into what those tables read (a work table, refilled every run).
{#- Every silver table that reads this one. The work table keeps what the slowest of them has not
    read yet, so a table missing here could miss events: tests/silver_gold checks the list. -#}
{%- set readers = [
    'events', 'event_venues', 'event_attractions', 'venues', 'attractions', 'markets', 'classifications',
] %}
CREATE TABLE IF NOT EXISTS {{ this }} (
{%- for key, shape in landed_event_schema.items() %}
    {{ key }} {{ declared_type(shape) }},
{%- endfor %}
    _source_file STRING NOT NULL,
    _source_line BIGINT,
    _ingestion_timestamp TIMESTAMP NOT NULL
);

{{ add_missing_column(this, '_source_line', 'BIGINT') }};

DELETE FROM {{ this }};

INSERT INTO {{ this }} ({{ landed_event_schema.keys() | join(', ') }}, _source_file, _source_line, _ingestion_timestamp)
SELECT
{%- for key in landed_event_schema %}
    r.{{ key }},
{%- endfor %}
    r._source_file,
    r._source_line,
    r._ingestion_timestamp
FROM {{ bronze_columns(ref('bronze.events_raw'), landed_event_schema) }} AS r
-- an event without a usable id names nothing silver could key, so none of it is read (the local
-- target keeps such records out of bronze; the quality rule bronze_records_kept_aside reports them)
WHERE r.id IS NOT NULL AND length(r.id) > 0 AND r._ingestion_timestamp > (
    -- the oldest watermark among the readers; while one of them has never loaded, everything
    SELECT CASE WHEN count(*) = {{ readers | length }} THEN min(s.high_watermark) ELSE TIMESTAMP '1900-01-01 00:00:00' END
    FROM {{ ref('silver.load_state') }} AS s
    WHERE s.source_table = '{{ this }}'
        AND s.object_name IN ({% for reader in readers %}'{{ schema('silver') }}.{{ reader }}'{{ ', ' if not loop.last }}{% endfor %})
);

COMMENT ON TABLE {{ this }} IS 'Work table of silver: the events landed since the oldest load among the silver tables that read events, each parsed once into the fields those tables read, so the nested JSON is not parsed once per table. Refilled on every run; not a model to query.'
