-- Gold event_summary_monthly_price: monthly minimum-price statistics per currency written by sp_generate_event_summary; grain: one row per (month, currency).
CREATE TABLE IF NOT EXISTS {{ this }} (
    summary_month DATE NOT NULL,
    price_currency STRING NOT NULL,
    priced_event_count BIGINT NOT NULL,
    avg_min_price DOUBLE,
    median_min_price DOUBLE,
    run_id STRING NOT NULL,
    generated_at TIMESTAMP NOT NULL
);

COMMENT ON TABLE {{ this }} IS 'Average and median minimum ticket price of the events of each month, per currency (prices in different currencies are never mixed). Months without priced events have no rows.';
COMMENT ON COLUMN {{ this }}.summary_month IS 'First day of the calendar month (local start dates of the events).';
COMMENT ON COLUMN {{ this }}.price_currency IS 'ISO currency code of the prices.';
COMMENT ON COLUMN {{ this }}.priced_event_count IS 'Events of the month with a minimum price in this currency.';
COMMENT ON COLUMN {{ this }}.avg_min_price IS 'Average of their minimum prices.';
COMMENT ON COLUMN {{ this }}.median_min_price IS 'Median of their minimum prices.';
COMMENT ON COLUMN {{ this }}.run_id IS 'The run (etl_log) whose call wrote the row.';
COMMENT ON COLUMN {{ this }}.generated_at IS 'When the row was written.'
