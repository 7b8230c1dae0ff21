-- Bronze events_raw: landed event objects, one row per file line, each file read once.
-- An explicit schema: creation runs the first refresh, and inference over an empty folder fails.
CREATE OR REFRESH STREAMING TABLE {{ this }}
CLUSTER BY (ingestion_date)
COMMENT 'Raw Ticketmaster events as landed: one row per event object of a landed file; each file read once.'
AS SELECT
    *,
    _metadata.file_path AS _source_file,
    current_timestamp() AS _ingestion_timestamp,
    current_date() AS ingestion_date
FROM STREAM read_files(
    '{{ landing_path('events') }}',
    format => 'json',
    schema => '{{ read_files_schema(landed_event_schema) }}',
    schemaEvolutionMode => 'none',
    rescuedDataColumn => '_rescued_data'
)
