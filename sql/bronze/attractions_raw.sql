-- Bronze attractions_raw: streaming table over landing/attractions; grain: one landed attraction object per file line.
{% from 'silver/_objects.jinja' import attraction_schema with context %}
{{ streaming_table(
    this,
    source=landing_path('attractions'),
    schema=attraction_schema,
    comment='Raw Ticketmaster attractions exactly as landed: one row per attraction object of each landed file, each file read once.',
) }};
