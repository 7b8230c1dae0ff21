-- Bronze venues_raw: streaming table over landing/venues; grain: one landed venue object per file line.
{% from 'silver/_objects.jinja' import venue_schema with context %}
{{ streaming_table(
    this,
    source=landing_path('venues'),
    schema=venue_schema,
    comment='Raw Ticketmaster venues exactly as landed: one row per venue object of each landed file, each file read once.',
) }};
