-- Bronze events_raw: streaming table over landing/events; grain: one landed event object per file line.
{{ streaming_table(
    this,
    source=landing_path('events'),
    comment='Raw Ticketmaster events exactly as landed: one row per event object of each landed file, each file read once.',
) }};
