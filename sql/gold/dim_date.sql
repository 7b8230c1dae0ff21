-- Gold dim_date: the calendar over the events' dates with a year of margin each side, plus an unknown day; grain: one row per day.
{{ gold_table(this, [
    ('date_key', 'INT NOT NULL', 'Day as the number yyyymmdd (20250131); -1 is the unknown day of events whose date is not announced.'),
    ('full_date', 'DATE', 'The calendar day; NULL for the unknown day.'),
    ('year', 'INT', 'Calendar year.'),
    ('quarter', 'INT', 'Calendar quarter, 1 to 4.'),
    ('month', 'INT', 'Month number, 1 (January) to 12 (December).'),
    ('month_name', 'STRING', 'Month name in English, e.g. January.'),
    ('iso_week', 'INT', 'ISO 8601 week of the year, 1 to 53 (weeks start on Monday).'),
    ('day_of_month', 'INT', 'Day of the month, 1 to 31.'),
    ('day_of_week', 'INT', 'ISO day of the week: 1 Monday to 7 Sunday.'),
    ('day_name', 'STRING', 'Day name in English, e.g. Saturday.'),
    ('is_weekend', 'BOOLEAN', 'True on Saturdays and Sundays.'),
], [
    primary_key('dim_date_pk', 'date_key'),
], 'Calendar dimension: one row per day over the range of event dates with at least a year of margin each side, and an unknown day (date_key -1). Join fact_events.event_date_key to date_key.') }}
