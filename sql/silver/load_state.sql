-- Silver load_state: how far each silver table has read each bronze table; grain: one row per (silver object, bronze source).
CREATE TABLE IF NOT EXISTS {{ this }} (
    object_name STRING NOT NULL,
    source_table STRING NOT NULL,
    high_watermark TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    {{ primary_key('load_state_pk', 'object_name, source_table') }}
);
COMMENT ON TABLE {{ this }} IS 'Incremental state of the silver loads: the latest bronze _ingestion_timestamp each silver table has merged from each bronze table. Delete a row to reload that pair from everything landed.';

-- the work table through which earlier versions read events (silver now reads bronze.events_raw)
DROP TABLE IF EXISTS {{ schema('silver') }}.landed_events;
