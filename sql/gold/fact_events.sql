-- Gold fact_events: one row per Ticketmaster event with its dimension keys and measures; grain: exactly one row per event id.
{{ gold_table(this, [
    ('event_id', 'STRING NOT NULL', 'Ticketmaster event id; one row per event.'),
    ('event_date_key', 'INT NOT NULL', 'Local start day of the event (dim_date.date_key, yyyymmdd); -1 when the date is not announced (TBA/TBD).'),
    ('venue_sk', 'BIGINT NOT NULL', 'Venue of the event (dim_venue.venue_sk): the version current when the event was last changed; the unknown venue when none is listed.'),
    ('attraction_sk', 'BIGINT NOT NULL', 'Headliner, the first listed attraction (dim_attraction.attraction_sk), version current when the event was last changed; all attractions are in bridge_event_attraction.'),
    ('classification_sk', 'BIGINT NOT NULL', 'Primary classification of the event (dim_classification.classification_sk); the unknown classification when it has none.'),
    ('market_sk', 'BIGINT NOT NULL', 'Market of the event venue (dim_market.market_sk); the unknown market when the venue names none.'),
    ('event_name', 'STRING', 'Event name as listed, e.g. the tour or match name.'),
    ('status_code', 'STRING', 'Event status as sent: onsale, offsale, cancelled, postponed, rescheduled.'),
    ('is_cancelled', 'BOOLEAN NOT NULL', 'True when the status is cancelled (the API spelling; canceled is accepted too).'),
    ('start_local_date', 'DATE', 'Local start date at the venue; NULL when not announced.'),
    ('start_local_time', 'STRING', 'Local start time at the venue as sent (HH:MM:SS); NULL when not announced.'),
    ('start_date_time', 'TIMESTAMP', 'Start as an instant (UTC) when the API gives one.'),
    ('timezone', 'STRING', 'Time zone of the event; the venue time zone when the event has none.'),
    ('is_date_tba', 'BOOLEAN NOT NULL', 'True when the date is to be announced.'),
    ('is_date_tbd', 'BOOLEAN NOT NULL', 'True when the date is to be defined.'),
    ('is_time_tba', 'BOOLEAN NOT NULL', 'True when the start time is to be announced.'),
    ('sales_public_start', 'TIMESTAMP', 'Start of the public on-sale (UTC); NULL when unknown (the API 1900-01-01 placeholder).'),
    ('price_currency', 'STRING', 'ISO currency of the prices (the first listed currency when there are several); NULL without prices.'),
    ('price_min', 'DOUBLE', 'Lowest listed ticket price in price_currency; NULL when the API lists no prices, which is common.'),
    ('price_max', 'DOUBLE', 'Highest listed ticket price in price_currency; NULL when the API lists no prices.'),
    ('currency_count', 'INT NOT NULL', 'Number of different currencies in the listed price ranges (0 without prices).'),
    ('venue_count', 'INT NOT NULL', 'Number of venues the event lists (usually 1).'),
    ('attraction_count', 'INT NOT NULL', 'Number of attractions the event lists (0 for events without any).'),
    ('event_hash', 'STRING NOT NULL', 'MD5 of the event content the row was built from; the row changes only when it changes.'),
    ('updated_at', 'TIMESTAMP NOT NULL', 'When the gold refresh last inserted or changed this row.'),
], [
    primary_key('fact_events_pk', 'event_id'),
    foreign_key('fact_events_date_fk', 'event_date_key', ref('gold.dim_date'), 'date_key') | trim(', '),
    foreign_key('fact_events_venue_fk', 'venue_sk', ref('gold.dim_venue'), 'venue_sk') | trim(', '),
    foreign_key('fact_events_attraction_fk', 'attraction_sk', ref('gold.dim_attraction'), 'attraction_sk') | trim(', '),
    foreign_key('fact_events_classification_fk', 'classification_sk', ref('gold.dim_classification'), 'classification_sk') | trim(', '),
    foreign_key('fact_events_market_fk', 'market_sk', ref('gold.dim_market'), 'market_sk') | trim(', '),
], 'Events fact: exactly one row per Ticketmaster event, never one per event and attraction. Count rows for numbers of events; join dim_date, dim_venue, dim_attraction (headliner), dim_classification and dim_market by their keys, which are never NULL. Loaded by sp_refresh_gold_layer.', checks={'fact_events_counts': 'venue_count >= 0 AND attraction_count >= 0 AND currency_count >= 0'}) }}

-- every run: dimensions, this fact and the bridge from silver
CALL {{ schema('gold') }}.sp_refresh_gold_layer(FALSE);

-- maintenance: not allowed in a procedure body
{{ maintain_table(this, 'event_date_key, venue_sk', 'event_date_key, venue_sk, attraction_sk') }}
