-- Gold event documents: one row per event with the text a person would search for; the source of `search` and `ask`.
-- reads silver: gold facts load later in the run
CREATE TABLE IF NOT EXISTS {{ this }} (
    event_id STRING NOT NULL,
    event_key STRING NOT NULL,
    event_name STRING,
    start_local_date DATE,
    venue_name STRING,
    city_name STRING,
    country_name STRING,
    status_code STRING,
    document STRING NOT NULL,
    content_hash STRING NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

COMMENT ON TABLE {{ this }} IS 'One row per event: the searchable text of the event (name, attractions, genre, venue, city, country, date, status, prices). Embedded for semantic search; the Vector Search index on Databricks syncs from it.';
COMMENT ON COLUMN {{ this }}.event_id IS 'Ticketmaster event id, as in fact_events.event_id.';
COMMENT ON COLUMN {{ this }}.event_key IS 'Key of the event in gold: fact_events is keyed by event_id, so this is the same value.';
COMMENT ON COLUMN {{ this }}.event_name IS 'Event name as listed.';
COMMENT ON COLUMN {{ this }}.start_local_date IS 'Local start date at the venue; NULL when not announced.';
COMMENT ON COLUMN {{ this }}.venue_name IS 'Name of the primary venue.';
COMMENT ON COLUMN {{ this }}.city_name IS 'City of the primary venue.';
COMMENT ON COLUMN {{ this }}.country_name IS 'Country of the primary venue.';
COMMENT ON COLUMN {{ this }}.status_code IS 'Event status as sent: onsale, offsale, cancelled, postponed, rescheduled.';
COMMENT ON COLUMN {{ this }}.document IS 'The text that is searched and embedded, one sentence per fact about the event.';
COMMENT ON COLUMN {{ this }}.content_hash IS 'MD5 of document; an event is embedded again only when it changes.';
COMMENT ON COLUMN {{ this }}.updated_at IS 'When a run last inserted or changed this row.';

{% include 'gold/loads/event_documents.sql' %}
