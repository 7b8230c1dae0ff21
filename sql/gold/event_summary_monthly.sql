-- Gold event_summary_monthly: monthly KPIs of events written by sp_generate_event_summary; grain: one row per calendar month summarised, months without events included.
CREATE TABLE IF NOT EXISTS {{ this }} (
    summary_month DATE NOT NULL,
    has_events BOOLEAN NOT NULL,
    event_count BIGINT NOT NULL,
    venue_count BIGINT NOT NULL,
    attraction_count BIGINT NOT NULL,
    priced_event_count BIGINT NOT NULL,
    cancelled_share DOUBLE,
    rescheduled_share DOUBLE,
    top_venue_id STRING,
    top_venue_name STRING,
    top_venue_event_count BIGINT,
    top_attraction_id STRING,
    top_attraction_name STRING,
    top_attraction_event_count BIGINT,
    run_id STRING NOT NULL,
    generated_at TIMESTAMP NOT NULL
);

COMMENT ON TABLE {{ this }} IS 'Monthly event KPIs by local start date: events, venues, attractions, cancelled and rescheduled shares, top venue and top attraction. One row per month that sp_generate_event_summary was asked for, with zeros for a month without events; prices per currency are in event_summary_monthly_price.';
COMMENT ON COLUMN {{ this }}.summary_month IS 'First day of the calendar month (local start dates of the events).';
COMMENT ON COLUMN {{ this }}.has_events IS 'False for a month without any event; its counts are 0 and its shares and tops NULL.';
COMMENT ON COLUMN {{ this }}.event_count IS 'Events starting in the month.';
COMMENT ON COLUMN {{ this }}.venue_count IS 'Different known venues of those events.';
COMMENT ON COLUMN {{ this }}.attraction_count IS 'Different attractions of those events, supporting acts included (through bridge_event_attraction).';
COMMENT ON COLUMN {{ this }}.priced_event_count IS 'Events of the month that list a minimum price.';
COMMENT ON COLUMN {{ this }}.cancelled_share IS 'Share of the events of the month that are cancelled, 0 to 1.';
COMMENT ON COLUMN {{ this }}.rescheduled_share IS 'Share of the events of the month whose status is rescheduled, 0 to 1.';
COMMENT ON COLUMN {{ this }}.top_venue_id IS 'Ticketmaster id of the venue with the most events in the month (ties: smallest name, then id).';
COMMENT ON COLUMN {{ this }}.top_venue_name IS 'Current name of the top venue.';
COMMENT ON COLUMN {{ this }}.top_venue_event_count IS 'Events of the month at the top venue.';
COMMENT ON COLUMN {{ this }}.top_attraction_id IS 'Ticketmaster id of the attraction in the most events of the month (ties: smallest name, then id).';
COMMENT ON COLUMN {{ this }}.top_attraction_name IS 'Current name of the top attraction.';
COMMENT ON COLUMN {{ this }}.top_attraction_event_count IS 'Events of the month with the top attraction on the bill.';
COMMENT ON COLUMN {{ this }}.run_id IS 'The run (etl_log) whose call wrote the row.';
COMMENT ON COLUMN {{ this }}.generated_at IS 'When the row was written.'
