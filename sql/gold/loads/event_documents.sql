-- Load event_documents: rebuild the documents of events that read differently since the last run.
{% from 'silver/_watermarks.jinja' import since_last_load with context %}
MERGE INTO {{ this }} AS tgt
USING (
    -- events changed in any part since the last run
    WITH changed_events AS (
        SELECT e.event_id
        FROM {{ ref('silver.events') }} AS e
        WHERE {{ since_last_load('silver.events', 'e') }}
        UNION DISTINCT
        SELECT e.event_id
        FROM {{ ref('silver.events') }} AS e
        INNER JOIN {{ ref('silver.venues') }} AS v ON e.primary_venue_id = v.venue_id
        WHERE {{ since_last_load('silver.venues', 'v') }}
        UNION DISTINCT
        SELECT ea.event_id
        FROM {{ ref('silver.event_attractions') }} AS ea
        WHERE {{ since_last_load('silver.event_attractions', 'ea') }}
        UNION DISTINCT
        SELECT ea.event_id
        FROM {{ ref('silver.event_attractions') }} AS ea
        INNER JOIN {{ ref('silver.attractions') }} AS a ON ea.attraction_id = a.attraction_id
        WHERE {{ since_last_load('silver.attractions', 'a') }}
        {%- for level in ['segment', 'genre', 'subgenre'] %}
        UNION DISTINCT
        SELECT e.event_id
        FROM {{ ref('silver.events') }} AS e
        INNER JOIN {{ ref('silver.classifications') }} AS c ON e.{{ level }}_id = c.classification_id
        WHERE {{ since_last_load('silver.classifications', 'c') }}
        {%- endfor %}
    ),

    -- the first twelve attractions, in listed order
    attractions AS (
        SELECT
            ea.event_id,
            nullif(concat_ws(
                ', ',
                max(CASE WHEN ea.attraction_order = 1 THEN a.attraction_name END),
                max(CASE WHEN ea.attraction_order = 2 THEN a.attraction_name END),
                max(CASE WHEN ea.attraction_order = 3 THEN a.attraction_name END),
                max(CASE WHEN ea.attraction_order = 4 THEN a.attraction_name END),
                max(CASE WHEN ea.attraction_order = 5 THEN a.attraction_name END),
                max(CASE WHEN ea.attraction_order = 6 THEN a.attraction_name END),
                max(CASE WHEN ea.attraction_order = 7 THEN a.attraction_name END),
                max(CASE WHEN ea.attraction_order = 8 THEN a.attraction_name END),
                max(CASE WHEN ea.attraction_order = 9 THEN a.attraction_name END),
                max(CASE WHEN ea.attraction_order = 10 THEN a.attraction_name END),
                max(CASE WHEN ea.attraction_order = 11 THEN a.attraction_name END),
                max(CASE WHEN ea.attraction_order = 12 THEN a.attraction_name END)
            ), '') AS attraction_names
        FROM {{ ref('silver.event_attractions') }} AS ea
        INNER JOIN {{ ref('silver.attractions') }} AS a ON ea.attraction_id = a.attraction_id
        WHERE ea.event_id IN (SELECT event_id FROM changed_events)
        GROUP BY ea.event_id
    ),

    facts AS (
        SELECT
            e.event_id,
            e.is_test,
            e.event_name,
            e.start_local_date,
            e.start_local_time,
            e.status_code,
            e.price_min,
            e.price_max,
            e.price_currency,
            v.venue_name,
            v.city_name,
            v.state_name,
            v.country_name,
            att.attraction_names,
            seg.classification_name AS segment_name,
            gen.classification_name AS genre_name,
            sub.classification_name AS subgenre_name,
            CASE month(e.start_local_date)
                WHEN 1 THEN 'January' WHEN 2 THEN 'February' WHEN 3 THEN 'March' WHEN 4 THEN 'April'
                WHEN 5 THEN 'May' WHEN 6 THEN 'June' WHEN 7 THEN 'July' WHEN 8 THEN 'August'
                WHEN 9 THEN 'September' WHEN 10 THEN 'October' WHEN 11 THEN 'November' WHEN 12 THEN 'December'
            END AS month_name
        FROM {{ ref('silver.events') }} AS e
        LEFT JOIN {{ ref('silver.venues') }} AS v ON e.primary_venue_id = v.venue_id
        LEFT JOIN attractions AS att ON e.event_id = att.event_id
        -- 'Undefined' is the API's placeholder genre
        LEFT JOIN {{ ref('silver.classifications') }} AS seg
            ON e.segment_id = seg.classification_id AND seg.classification_name <> 'Undefined'
        LEFT JOIN {{ ref('silver.classifications') }} AS gen
            ON e.genre_id = gen.classification_id AND gen.classification_name <> 'Undefined'
        LEFT JOIN {{ ref('silver.classifications') }} AS sub
            ON e.subgenre_id = sub.classification_id AND sub.classification_name <> 'Undefined'
        WHERE e.event_id IN (SELECT event_id FROM changed_events)
    ),

    documents AS (
        SELECT
            *,
            -- a missing fact drops its sentence (|| is NULL, concat_ws skips it)
            concat_ws(
                ' ',
                coalesce(event_name, 'Untitled event') || '.',
                'With ' || attraction_names || '.',
                'Genre: '
                || nullif(concat_ws(' / ', segment_name, genre_name, nullif(subgenre_name, genre_name)), '')
                || '.',
                'At ' || nullif(concat_ws(', ', venue_name, city_name, state_name, country_name), '') || '.',
                'On ' || month_name || ' ' || CAST(day(start_local_date) AS STRING) || ', '
                || CAST(year(start_local_date) AS STRING) || ' (' || CAST(start_local_date AS STRING) || ')'
                || coalesce(' at ' || substr(start_local_time, 1, 5), '') || '.',
                'Status: ' || status_code || '.',
                'Tickets ' || CAST(round(price_min, 2) AS STRING) || ' to ' || CAST(round(price_max, 2) AS STRING)
                || ' ' || price_currency || '.'
            ) AS document
        FROM facts
    )

    SELECT
        event_id,
        is_test,
        event_id AS event_key,
        event_name,
        start_local_date,
        venue_name,
        city_name,
        country_name,
        status_code,
        document,
        md5(document) AS content_hash
    FROM documents
) AS src
ON tgt.event_id = src.event_id
-- test events are not searched
WHEN MATCHED AND src.is_test THEN DELETE
WHEN MATCHED AND tgt.content_hash <> src.content_hash THEN UPDATE SET
    event_key = src.event_key,
    event_name = src.event_name,
    start_local_date = src.start_local_date,
    venue_name = src.venue_name,
    city_name = src.city_name,
    country_name = src.country_name,
    status_code = src.status_code,
    document = src.document,
    content_hash = src.content_hash,
    updated_at = current_timestamp
WHEN NOT MATCHED AND NOT src.is_test THEN INSERT (
    event_id, event_key, event_name, start_local_date, venue_name, city_name, country_name, status_code,
    document, content_hash, updated_at
) VALUES (
    src.event_id, src.event_key, src.event_name, src.start_local_date, src.venue_name, src.city_name,
    src.country_name, src.status_code, src.document, src.content_hash, current_timestamp
);
