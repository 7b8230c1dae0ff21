-- Bronze classifications_raw: streaming table over landing/classifications; grain: one landed classification tree per file line.
{% from 'silver/_objects.jinja' import tree_schema with context %}
{{ streaming_table(
    this,
    source=landing_path('classifications'),
    schema=tree_schema,
    comment='Raw Ticketmaster classification trees exactly as landed: one row per segment tree of each landed file, each file read once.',
) }};
