-- Gold dim_market: Ticketmaster markets (type 1, names updated in place), plus an unknown market; grain: one row per market id.
{{ identity_sequence(schema('gold') ~ '.dim_market_sk_seq') }};
{# RELY: an identity key is unique by construction #}
{{ gold_table(this, [
    ('market_sk', identity_column(schema('gold') ~ '.dim_market_sk_seq'), 'Surrogate key of the market; never reused, never changes.'),
    ('market_id', 'STRING NOT NULL', 'Ticketmaster market id; -1 is the unknown market of venues without one.'),
    ('market_name', 'STRING', 'Market name, e.g. New York/Tri-State Area.'),
    ('updated_at', 'TIMESTAMP NOT NULL', 'When this row was last inserted or changed by the gold refresh.'),
], [
    primary_key('dim_market_pk', 'market_sk', rely=True),
], 'Market dimension: the regional markets Ticketmaster groups venues into; one row per market id, names updated in place (type 1). A fact market is the market of its venue.') }}
