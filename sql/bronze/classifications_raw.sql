-- Bronze classifications_raw: streaming table over landing/classifications; grain: one landed classification tree per file line.
{{ streaming_table(
    this,
    source=landing_path('classifications'),
    comment='Raw Ticketmaster classification trees exactly as landed: one row per segment tree of each landed file, each file read once.',
) }};
