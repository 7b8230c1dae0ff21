-- Gold dim_classification: the classification combinations events carry (segment, genre, sub-genre, type, sub-type); grain: one row per combination.
{{ identity_sequence(schema('gold') ~ '.dim_classification_sk_seq') }};
{# RELY: an identity key is unique by construction #}
{{ gold_table(this, [
    ('classification_sk', identity_column(schema('gold') ~ '.dim_classification_sk_seq'), 'Surrogate key of the classification combination; never reused, never changes.'),
    ('classification_key', 'STRING NOT NULL', 'Natural key: segment/genre/sub-genre/type/sub-type ids joined by slashes, - for a missing level; -1 is the unknown classification.'),
    ('segment_id', 'STRING', 'Segment id (top level: Music, Sports, Arts and Theatre, Film, Miscellaneous).'),
    ('segment_name', 'STRING', 'Segment name, e.g. Music.'),
    ('genre_id', 'STRING', 'Genre id (second level, under the segment).'),
    ('genre_name', 'STRING', 'Genre name, e.g. Rock; Undefined and Other are names the API uses.'),
    ('subgenre_id', 'STRING', 'Sub-genre id (third level, under the genre).'),
    ('subgenre_name', 'STRING', 'Sub-genre name, e.g. Pop.'),
    ('type_id', 'STRING', 'Type id (a separate two-level tree: type and sub-type).'),
    ('type_name', 'STRING', 'Type name, e.g. Event Style.'),
    ('subtype_id', 'STRING', 'Sub-type id, under the type.'),
    ('subtype_name', 'STRING', 'Sub-type name.'),
    ('updated_at', 'TIMESTAMP NOT NULL', 'When this row was last inserted or changed by the gold refresh.'),
], [
    primary_key('dim_classification_pk', 'classification_sk', rely=True),
], 'Classification dimension: each combination of segment, genre, sub-genre, type and sub-type that an event carries as its primary classification, with names (type 1). Filter by segment_name or genre_name to slice events by kind.') }}
