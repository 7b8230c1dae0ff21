-- Bronze events_raw: streaming table over landing/events; grain: one landed event object per file line.
{% from 'silver/_objects.jinja' import landed_event_schema with context %}
{{ streaming_table(
    this,
    source=landing_path('events'),
    schema=landed_event_schema,
    comment='Raw Ticketmaster events exactly as landed: one row per event object of each landed file, each file read once.',
) }};
