-- Bronze attractions_raw: landed attraction objects, one row per file line, each file read once.
-- An explicit schema: creation runs the first refresh, and inference over an empty folder fails.
CREATE OR REFRESH STREAMING TABLE {{ this }}
CLUSTER BY (ingestion_date)
COMMENT 'Raw Ticketmaster attractions as landed: one row per attraction object of a landed file; each file read once.'
AS SELECT
    *,
    _metadata.file_path AS _source_file,
    current_timestamp() AS _ingestion_timestamp,
    current_date() AS ingestion_date
FROM STREAM read_files(
    '{{ landing_path('attractions') }}',
    format => 'json',
    schema => '{{ read_files_schema(attraction_schema) }}',
    schemaEvolutionMode => 'none',
    rescuedDataColumn => '_rescued_data'
)
