-- Silver event_venues: bridge between events and their venues, in the order the API lists them; grain: one row per (event id, venue id).
{% from 'silver/_bridge.jinja' import event_bridge with context -%}
{{ event_bridge('venue', 'venues', 'v') }}
