-- Gold bridge_event_attraction: every attraction of every event, so per-attraction counts include supporting acts; grain: one row per (event, attraction).
{{ gold_table(this, [
    ('event_id', 'STRING NOT NULL', 'Ticketmaster event id; joins fact_events.event_id.'),
    ('attraction_sk', 'BIGINT NOT NULL', 'The attraction version (dim_attraction.attraction_sk) current when the event was last changed.'),
    ('attraction_id', 'STRING NOT NULL', 'Ticketmaster attraction id.'),
    ('attraction_order', 'INT NOT NULL', 'Position in the event list of attractions; 1 is the headliner (the fact primary attraction).'),
    ('is_primary', 'BOOLEAN NOT NULL', 'True for the headliner, the attraction the fact row points at.'),
    ('updated_at', 'TIMESTAMP', 'When the gold refresh wrote the row; rows older than their fact row are rebuilt by the next refresh.'),
], [
    primary_key('bridge_event_attraction_pk', 'event_id, attraction_id'),
    foreign_key('bridge_event_attraction_event_fk', 'event_id', ref('gold.fact_events'), 'event_id') | trim(', '),
    foreign_key('bridge_event_attraction_attraction_fk', 'attraction_sk', ref('gold.dim_attraction'), 'attraction_sk') | trim(', '),
], 'Bridge from events to all their attractions (multi-artist bills, both teams of a game). Count events per attraction through this table, not through fact_events.attraction_sk, which holds only the headliner. Events without attractions have no rows here.') }}

{{ add_missing_column(this, 'updated_at', 'TIMESTAMP') }};
