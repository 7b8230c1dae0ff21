-- Bronze venues_raw: streaming table over landing/venues; grain: one landed venue object per file line.
{{ streaming_table(
    this,
    source=landing_path('venues'),
    comment='Raw Ticketmaster venues exactly as landed: one row per venue object of each landed file, each file read once.',
) }};
