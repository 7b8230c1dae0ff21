-- Gold dim_venue: venues as SCD type 2 (a changed venue gets a new version and key), plus an unknown venue; grain: one row per venue version.
{{ identity_sequence(schema('gold') ~ '.dim_venue_sk_seq') }};
{# RELY: an identity key is unique by construction #}
{{ gold_table(this, [
    ('venue_sk', identity_column(schema('gold') ~ '.dim_venue_sk_seq'), 'Surrogate key of this version of the venue; never reused, unchanged as long as the venue does not change.'),
    ('venue_id', 'STRING NOT NULL', 'Ticketmaster venue id, shared by all versions of a venue; -1 is the unknown venue.'),
    ('venue_name', 'STRING', 'Venue name, e.g. Madison Square Garden.'),
    ('venue_type', 'STRING', 'Object type as sent by the API (venue).'),
    ('address_line1', 'STRING', 'Street address.'),
    ('city_name', 'STRING', 'City, trimmed of the spaces the API sometimes adds.'),
    ('state_name', 'STRING', 'State or province name.'),
    ('state_code', 'STRING', 'State or province code, e.g. NY.'),
    ('country_name', 'STRING', 'Country name.'),
    ('country_code', 'STRING', 'ISO 3166 country code, e.g. US.'),
    ('postal_code', 'STRING', 'Postal code.'),
    ('timezone', 'STRING', 'IANA time zone of the venue, e.g. America/New_York.'),
    ('latitude', 'DOUBLE', 'Latitude in degrees (the API sends it as text); NULL when missing or out of range.'),
    ('longitude', 'DOUBLE', 'Longitude in degrees (the API sends it as text); NULL when missing or out of range.'),
    ('market_id', 'STRING', 'Ticketmaster id of the first market the venue belongs to (see dim_market).'),
    ('change_hash', 'STRING NOT NULL', 'MD5 of the tracked attributes; a different hash means a new version.'),
    ('valid_from', 'TIMESTAMP NOT NULL', 'Start of the validity of this version (1900-01-01 for the first version of a venue).'),
    ('valid_to', 'TIMESTAMP NOT NULL', 'End of the validity of this version, exclusive; 9999-12-31 for the current version.'),
    ('is_current', 'BOOLEAN NOT NULL', 'True for the current version of the venue; exactly one per venue_id.'),
], [
    primary_key('dim_venue_pk', 'venue_sk', rely=True),
], 'Venue dimension, SCD type 2: a change of any tracked attribute closes the current version (valid_to, is_current false) and adds a new version with a new venue_sk; unchanged venues keep their key across runs. A fact points at the version that was current when the event was last changed. Use is_current for the venue as it is now.', checks={'dim_venue_validity': 'valid_from <= valid_to'}) }}
