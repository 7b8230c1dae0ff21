-- Silver event_attractions: bridge between events and their attractions, in the order the API lists them; grain: one row per (event id, attraction id).
{% from 'silver/_bridge.jinja' import event_bridge with context -%}
{{ event_bridge('attraction', 'attractions', 'a') }}
