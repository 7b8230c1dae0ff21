-- Silver events: one row per event id, the most recently landed version; venues, attractions and classifications by id.
{% from 'silver/_watermarks.jinja' import since_last_load with context %}
{%- set checks = {
    'events_counts': "venue_count >= 0 AND attraction_count >= 0 AND price_range_count >= 0",
    'events_price_not_negative': "price_min IS NULL OR price_min >= 0",
    'events_price_has_currency': "price_min IS NULL OR price_currency IS NOT NULL",
} %}
CREATE TABLE IF NOT EXISTS {{ this }} (
    event_id STRING NOT NULL,
    event_name STRING,
    event_type STRING,
    event_url STRING,
    locale STRING,
    is_test BOOLEAN NOT NULL,
    status_code STRING,
    start_local_date DATE,
    start_local_time STRING,
    start_date_time TIMESTAMP,
    date_tba BOOLEAN NOT NULL,
    date_tbd BOOLEAN NOT NULL,
    time_tba BOOLEAN NOT NULL,
    no_specific_time BOOLEAN NOT NULL,
    timezone STRING,
    timezone_from_venue BOOLEAN NOT NULL,
    sales_public_start TIMESTAMP,
    sales_public_end TIMESTAMP,
    price_currency STRING,
    price_min DOUBLE,
    price_max DOUBLE,
    price_range_count INT NOT NULL,
    currency_count INT NOT NULL,
    primary_venue_id STRING,
    primary_attraction_id STRING,
    venue_count INT NOT NULL,
    attraction_count INT NOT NULL,
    segment_id STRING,
    genre_id STRING,
    subgenre_id STRING,
    type_id STRING,
    subtype_id STRING,
    promoter_id STRING,
    promoter_name STRING,
    _source_file STRING NOT NULL,
    _ingestion_timestamp TIMESTAMP NOT NULL,
    {{ primary_key('events_pk', 'event_id') }}
    {{- check_constraints(checks) }}
    {{ foreign_key('events_venue_fk', 'primary_venue_id', ref('silver.venues'), 'venue_id') }}
    {{ foreign_key('events_attraction_fk', 'primary_attraction_id', ref('silver.attractions'), 'attraction_id') }}
    {{ foreign_key('events_segment_fk', 'segment_id', ref('silver.classifications'), 'classification_id') }}
    {{ foreign_key('events_genre_fk', 'genre_id', ref('silver.classifications'), 'classification_id') }}
    {{ foreign_key('events_subgenre_fk', 'subgenre_id', ref('silver.classifications'), 'classification_id') }}
);

{{ add_check_constraints(this, checks) }};

MERGE INTO {{ this }} AS tgt
USING (
    WITH landed AS (
        SELECT {{ bronze_object('r', event_schema) }} AS record, r._source_file, r._source_line, r._ingestion_timestamp
        FROM {{ bronze_columns(ref('bronze.events_raw'), landed_event_schema) }} AS r
        WHERE {{ since_last_load('bronze.events_raw') }} AND r.id IS NOT NULL AND length(r.id) > 0
    ),

    -- each landed version read to an event's columns, the lists in place: the window below sorts
    -- plain columns, not nested records
    versions AS (
        SELECT
            -- ids
            CAST(record.id AS STRING) AS event_id,
            CAST(record.name AS STRING) AS event_name,
            CAST(record.type AS STRING) AS event_type,
            CAST(record.url AS STRING) AS event_url,
            CAST(record.locale AS STRING) AS locale,
            coalesce(TRY_CAST(record.test AS BOOLEAN), FALSE) AS is_test,
            -- status: the API spells it 'cancelled'; kept as sent, lower-cased
            lower(CAST(record.dates.status.code AS STRING)) AS status_code,
            -- dates
            coalesce(
                TRY_CAST(record.dates.start.localDate AS DATE),
                CAST(TRY_CAST(record.dates.start.dateTime AS TIMESTAMP) AS DATE)
            ) AS start_local_date,
            CAST(record.dates.start.localTime AS STRING) AS start_local_time,
            TRY_CAST(record.dates.start.dateTime AS TIMESTAMP) AS start_date_time,
            coalesce(TRY_CAST(record.dates.start.dateTBA AS BOOLEAN), FALSE) AS date_tba,
            coalesce(TRY_CAST(record.dates.start.dateTBD AS BOOLEAN), FALSE) AS date_tbd,
            coalesce(TRY_CAST(record.dates.start.timeTBA AS BOOLEAN), FALSE) AS time_tba,
            coalesce(TRY_CAST(record.dates.start.noSpecificTime AS BOOLEAN), FALSE) AS no_specific_time,
            -- dates.timezone is often missing: the first venue's time zone is the event's
            coalesce(
                CAST(record.dates.timezone AS STRING),
                CAST({{ first_item('record._embedded.venues') }}.timezone AS STRING)
            ) AS timezone,
            (
                record.dates.timezone IS NULL AND {{ first_item('record._embedded.venues') }}.timezone IS NOT NULL
            ) AS timezone_from_venue,
            -- public on-sale: 1900-01-01 is the API's placeholder for "not known"
            CASE
                WHEN year(TRY_CAST(record.sales.public.startDateTime AS TIMESTAMP)) > 1900
                    THEN TRY_CAST(record.sales.public.startDateTime AS TIMESTAMP)
            END AS sales_public_start,
            CASE
                WHEN year(TRY_CAST(record.sales.public.endDateTime AS TIMESTAMP)) > 1900
                    THEN TRY_CAST(record.sales.public.endDateTime AS TIMESTAMP)
            END AS sales_public_end,
            -- prices (absent on many events): the first listed currency, the ranges read below
            CAST({{ first_item('filter(record.priceRanges, pr -> pr.currency IS NOT NULL)') }}.currency AS STRING)
                AS price_currency,
            record.priceRanges AS price_ranges,
            CAST(coalesce({{ item_count('record.priceRanges') }}, 0) AS INT) AS price_range_count,
            CAST(
                coalesce({{ distinct_count(mapped('record.priceRanges', 'pr', 'CAST(pr.currency AS STRING)')) }}, 0)
                AS INT
            ) AS currency_count,
            -- relationships: the first listed venue and attraction are the primary ones
            CAST({{ first_item('record._embedded.venues') }}.id AS STRING) AS primary_venue_id,
            CAST({{ first_item('record._embedded.attractions') }}.id AS STRING) AS primary_attraction_id,
            CAST(
                coalesce({{ distinct_count(mapped('record._embedded.venues', 'v', 'CAST(v.id AS STRING)')) }}, 0) AS INT
            ) AS venue_count,
            CAST(
                coalesce({{ distinct_count(mapped('record._embedded.attractions', 'a', 'CAST(a.id AS STRING)')) }}, 0)
                AS INT
            ) AS attraction_count,
            -- the classification marked primary, else the first listed
            coalesce(
                {{ first_item('filter(record.classifications, c -> TRY_CAST(c.primary AS BOOLEAN))') }},
                {{ first_item('record.classifications') }}
            ) AS classification,
            CAST(record.promoter.id AS STRING) AS promoter_id,
            CAST(record.promoter.name AS STRING) AS promoter_name,
            -- lineage
            {{ tie_break_hash('record') }} AS record_hash,
            _source_file,
            _source_line,
            _ingestion_timestamp
        FROM landed
    ),

    latest AS (
        SELECT *
        FROM (
            SELECT
                versions.*,
                row_number() OVER (
                    PARTITION BY event_id
                    -- latest landing first; then the later line (local only), then a hash
                    ORDER BY
                        _ingestion_timestamp DESC, _source_file DESC, _source_line DESC NULLS LAST, record_hash DESC
                ) AS version_rank
            FROM versions
        ) AS ranked
        WHERE version_rank = 1 AND event_id IS NOT NULL AND length(event_id) > 0
    ),

    final AS (
        SELECT
            event_id,
            event_name,
            event_type,
            event_url,
            locale,
            is_test,
            status_code,
            start_local_date,
            start_local_time,
            start_date_time,
            date_tba,
            date_tbd,
            time_tba,
            no_specific_time,
            timezone,
            timezone_from_venue,
            sales_public_start,
            sales_public_end,
            -- prices in the first listed range's currency
            price_currency,
            {{ smallest_item(mapped(
                'filter(price_ranges, pr -> pr.currency = price_currency)', 'pr', 'TRY_CAST(pr.min AS DOUBLE)'
            )) }} AS price_min,
            {{ largest_item(mapped(
                'filter(price_ranges, pr -> pr.currency = price_currency)',
                'pr',
                'coalesce(TRY_CAST(pr.max AS DOUBLE), TRY_CAST(pr.min AS DOUBLE))'
            )) }} AS price_max,
            price_range_count,
            currency_count,
            primary_venue_id,
            primary_attraction_id,
            venue_count,
            attraction_count,
            CAST(classification.segment.id AS STRING) AS segment_id,
            CAST(classification.genre.id AS STRING) AS genre_id,
            CAST(classification.subGenre.id AS STRING) AS subgenre_id,
            CAST(classification.type.id AS STRING) AS type_id,
            CAST(classification.subType.id AS STRING) AS subtype_id,
            promoter_id,
            promoter_name,
            _source_file,
            _ingestion_timestamp
        FROM latest
    )

    SELECT * FROM final
) AS src
ON tgt.event_id = src.event_id
WHEN MATCHED THEN UPDATE SET
    event_name = src.event_name,
    event_type = src.event_type,
    event_url = src.event_url,
    locale = src.locale,
    is_test = src.is_test,
    status_code = src.status_code,
    start_local_date = src.start_local_date,
    start_local_time = src.start_local_time,
    start_date_time = src.start_date_time,
    date_tba = src.date_tba,
    date_tbd = src.date_tbd,
    time_tba = src.time_tba,
    no_specific_time = src.no_specific_time,
    timezone = src.timezone,
    timezone_from_venue = src.timezone_from_venue,
    sales_public_start = src.sales_public_start,
    sales_public_end = src.sales_public_end,
    price_currency = src.price_currency,
    price_min = src.price_min,
    price_max = src.price_max,
    price_range_count = src.price_range_count,
    currency_count = src.currency_count,
    primary_venue_id = src.primary_venue_id,
    primary_attraction_id = src.primary_attraction_id,
    venue_count = src.venue_count,
    attraction_count = src.attraction_count,
    segment_id = src.segment_id,
    genre_id = src.genre_id,
    subgenre_id = src.subgenre_id,
    type_id = src.type_id,
    subtype_id = src.subtype_id,
    promoter_id = src.promoter_id,
    promoter_name = src.promoter_name,
    _source_file = src._source_file,
    _ingestion_timestamp = src._ingestion_timestamp
WHEN NOT MATCHED THEN INSERT (
    event_id, event_name, event_type, event_url, locale, is_test, status_code, start_local_date,
    start_local_time, start_date_time, date_tba, date_tbd, time_tba, no_specific_time, timezone,
    timezone_from_venue, sales_public_start, sales_public_end, price_currency, price_min, price_max,
    price_range_count, currency_count, primary_venue_id, primary_attraction_id, venue_count,
    attraction_count, segment_id, genre_id, subgenre_id, type_id, subtype_id, promoter_id,
    promoter_name, _source_file, _ingestion_timestamp
) VALUES (
    src.event_id, src.event_name, src.event_type, src.event_url, src.locale, src.is_test,
    src.status_code, src.start_local_date, src.start_local_time, src.start_date_time, src.date_tba,
    src.date_tbd, src.time_tba, src.no_specific_time, src.timezone, src.timezone_from_venue,
    src.sales_public_start, src.sales_public_end, src.price_currency, src.price_min, src.price_max,
    src.price_range_count, src.currency_count, src.primary_venue_id, src.primary_attraction_id,
    src.venue_count, src.attraction_count, src.segment_id, src.genre_id, src.subgenre_id,
    src.type_id, src.subtype_id, src.promoter_id, src.promoter_name, src._source_file,
    src._ingestion_timestamp
);

COMMENT ON TABLE {{ this }} IS 'Ticketmaster events in third normal form: one row per event id, the most recently landed version. Status as sent (cancelled, not canceled); the 1900-01-01 on-sale placeholder is NULL; a missing event time zone falls back to the venue time zone; prices are those of the first listed currency.'
