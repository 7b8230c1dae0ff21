-- Load fact_events: events changed in silver since the last call; a row changes only when its content hash does.
-- A rewritten row points at the dimension versions current now; an unchanged event keeps its keys.
MERGE INTO {{ ref('gold.fact_events') }} AS tgt
USING (
    WITH changed AS (
        SELECT *
        FROM {{ ref('silver.events') }}
        WHERE _ingestion_timestamp > changed_since
    ),

    -- The attraction list in its order, hashed the same way on every engine.
    attraction_lists AS (
        SELECT
            ea.event_id,
            md5({{ ordered_string_agg(
                "CAST(ea.attraction_order AS STRING) || ':' || ea.attraction_id", "','", 'ea.attraction_order'
            ) }}) AS attraction_list_hash
        FROM {{ ref('silver.event_attractions') }} AS ea
        INNER JOIN changed ON ea.event_id = changed.event_id
        GROUP BY ea.event_id
    ),

    resolved AS (
        SELECT
            changed.*,
            venue.market_id,
            CASE
                WHEN coalesce(
                    changed.segment_id, changed.genre_id, changed.subgenre_id, changed.type_id, changed.subtype_id
                ) IS NULL THEN '-1'
                ELSE concat_ws(
                    '/', coalesce(changed.segment_id, '-'), coalesce(changed.genre_id, '-'),
                    coalesce(changed.subgenre_id, '-'), coalesce(changed.type_id, '-'),
                    coalesce(changed.subtype_id, '-')
                )
            END AS classification_key,
            attraction_lists.attraction_list_hash
        FROM changed
        LEFT JOIN {{ ref('silver.venues') }} AS venue ON changed.primary_venue_id = venue.venue_id
        LEFT JOIN attraction_lists ON changed.event_id = attraction_lists.event_id
    ),

    hashed AS (
        SELECT
            resolved.*,
            md5(concat_ws('|',
                coalesce(CAST(event_name AS STRING), '~'),
                coalesce(CAST(status_code AS STRING), '~'),
                coalesce(CAST(start_local_date AS STRING), '~'),
                coalesce(CAST(start_local_time AS STRING), '~'),
                coalesce(CAST(start_date_time AS STRING), '~'),
                coalesce(CAST(timezone AS STRING), '~'),
                coalesce(CAST(date_tba AS STRING), '~'),
                coalesce(CAST(date_tbd AS STRING), '~'),
                coalesce(CAST(time_tba AS STRING), '~'),
                coalesce(CAST(sales_public_start AS STRING), '~'),
                coalesce(CAST(price_currency AS STRING), '~'),
                coalesce(CAST(price_min AS STRING), '~'),
                coalesce(CAST(price_max AS STRING), '~'),
                coalesce(CAST(currency_count AS STRING), '~'),
                coalesce(CAST(venue_count AS STRING), '~'),
                coalesce(CAST(attraction_count AS STRING), '~'),
                coalesce(CAST(primary_venue_id AS STRING), '~'),
                coalesce(CAST(primary_attraction_id AS STRING), '~'),
                coalesce(CAST(classification_key AS STRING), '~'),
                coalesce(CAST(market_id AS STRING), '~'),
                coalesce(CAST(attraction_list_hash AS STRING), '~')
            )) AS event_hash
        FROM resolved
    )

    SELECT
        h.event_id,
        coalesce(d.date_key, -1) AS event_date_key,
        coalesce(v.venue_sk, unknown.venue_sk) AS venue_sk,
        coalesce(a.attraction_sk, unknown.attraction_sk) AS attraction_sk,
        coalesce(c.classification_sk, unknown.classification_sk) AS classification_sk,
        coalesce(m.market_sk, unknown.market_sk) AS market_sk,
        h.event_name,
        h.status_code,
        coalesce(h.status_code IN ('cancelled', 'canceled'), FALSE) AS is_cancelled,
        h.start_local_date,
        h.start_local_time,
        h.start_date_time,
        h.timezone,
        h.date_tba AS is_date_tba,
        h.date_tbd AS is_date_tbd,
        h.time_tba AS is_time_tba,
        h.sales_public_start,
        h.price_currency,
        h.price_min,
        h.price_max,
        h.currency_count,
        h.venue_count,
        h.attraction_count,
        h.event_hash
    FROM hashed AS h
    CROSS JOIN (
        SELECT
            (SELECT venue_sk FROM {{ ref('gold.dim_venue') }} WHERE venue_id = '-1') AS venue_sk,
            (SELECT attraction_sk FROM {{ ref('gold.dim_attraction') }} WHERE attraction_id = '-1') AS attraction_sk,
            (
                SELECT classification_sk FROM {{ ref('gold.dim_classification') }} WHERE classification_key = '-1'
            ) AS classification_sk,
            (SELECT market_sk FROM {{ ref('gold.dim_market') }} WHERE market_id = '-1') AS market_sk
    ) AS unknown
    LEFT JOIN {{ ref('gold.dim_date') }} AS d ON h.start_local_date = d.full_date
    LEFT JOIN {{ ref('gold.dim_venue') }} AS v ON h.primary_venue_id = v.venue_id AND v.is_current
    LEFT JOIN {{ ref('gold.dim_attraction') }} AS a ON h.primary_attraction_id = a.attraction_id AND a.is_current
    LEFT JOIN {{ ref('gold.dim_classification') }} AS c ON h.classification_key = c.classification_key
    LEFT JOIN {{ ref('gold.dim_market') }} AS m ON h.market_id = m.market_id
) AS src
ON tgt.event_id = src.event_id
WHEN MATCHED AND tgt.event_hash <> src.event_hash THEN UPDATE SET
    event_date_key = src.event_date_key,
    venue_sk = src.venue_sk,
    attraction_sk = src.attraction_sk,
    classification_sk = src.classification_sk,
    market_sk = src.market_sk,
    event_name = src.event_name,
    status_code = src.status_code,
    is_cancelled = src.is_cancelled,
    start_local_date = src.start_local_date,
    start_local_time = src.start_local_time,
    start_date_time = src.start_date_time,
    timezone = src.timezone,
    is_date_tba = src.is_date_tba,
    is_date_tbd = src.is_date_tbd,
    is_time_tba = src.is_time_tba,
    sales_public_start = src.sales_public_start,
    price_currency = src.price_currency,
    price_min = src.price_min,
    price_max = src.price_max,
    currency_count = src.currency_count,
    venue_count = src.venue_count,
    attraction_count = src.attraction_count,
    event_hash = src.event_hash,
    updated_at = run_at
WHEN NOT MATCHED THEN INSERT (
    event_id, event_date_key, venue_sk, attraction_sk, classification_sk, market_sk, event_name, status_code,
    is_cancelled, start_local_date, start_local_time, start_date_time, timezone, is_date_tba, is_date_tbd,
    is_time_tba, sales_public_start, price_currency, price_min, price_max, currency_count, venue_count,
    attraction_count, event_hash, updated_at
)
VALUES (
    src.event_id, src.event_date_key, src.venue_sk, src.attraction_sk, src.classification_sk, src.market_sk,
    src.event_name, src.status_code, src.is_cancelled, src.start_local_date, src.start_local_time,
    src.start_date_time, src.timezone, src.is_date_tba, src.is_date_tbd, src.is_time_tba,
    src.sales_public_start, src.price_currency, src.price_min, src.price_max, src.currency_count,
    src.venue_count, src.attraction_count, src.event_hash, run_at
);
