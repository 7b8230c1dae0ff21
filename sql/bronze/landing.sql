-- Bronze landing: the volume the ingest step writes raw NDJSON files into (a folder on the local target).
{{ landing_volume(
    landing_volume_name, 'Raw NDJSON files from the Ticketmaster Discovery API, one folder per entity.'
) }};
