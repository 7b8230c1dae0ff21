-- Gold dim_attraction: attractions as SCD type 2 (a changed attraction gets a new version and key), plus an unknown attraction; grain: one row per attraction version.
{{ identity_sequence(schema('gold') ~ '.dim_attraction_sk_seq') }};
{# RELY: an identity key is unique by construction #}
{{ gold_table(this, [
    ('attraction_sk', identity_column(schema('gold') ~ '.dim_attraction_sk_seq'), 'Surrogate key of this version of the attraction; never reused, unchanged as long as the attraction does not change.'),
    ('attraction_id', 'STRING NOT NULL', 'Ticketmaster attraction id, shared by all versions; -1 is the unknown attraction of events that list none.'),
    ('attraction_name', 'STRING', 'Name of the artist, team, show or other attraction.'),
    ('attraction_type', 'STRING', 'Object type as sent by the API (attraction).'),
    ('segment_name', 'STRING', 'Segment of the attraction primary classification, e.g. Music.'),
    ('genre_name', 'STRING', 'Genre of the attraction primary classification, e.g. Rock.'),
    ('subgenre_name', 'STRING', 'Sub-genre of the attraction primary classification.'),
    ('change_hash', 'STRING NOT NULL', 'MD5 of the tracked attributes; a different hash means a new version.'),
    ('valid_from', 'TIMESTAMP NOT NULL', 'Start of the validity of this version (1900-01-01 for the first version of an attraction).'),
    ('valid_to', 'TIMESTAMP NOT NULL', 'End of the validity of this version, exclusive; 9999-12-31 for the current version.'),
    ('is_current', 'BOOLEAN NOT NULL', 'True for the current version of the attraction; exactly one per attraction_id.'),
], [
    primary_key('dim_attraction_pk', 'attraction_sk', rely=True),
], 'Attraction dimension (artists, teams, shows), SCD type 2: a change of a tracked attribute closes the current version and adds a new one with a new attraction_sk; unchanged attractions keep their key. Facts and bridge_event_attraction point at the version current when the event was last changed.', checks={'dim_attraction_validity': 'valid_from <= valid_to'}) }}
