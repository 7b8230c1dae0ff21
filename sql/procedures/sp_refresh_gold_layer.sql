-- Procedure sp_refresh_gold_layer: merges silver into the gold star schema incrementally (dimensions, then facts and bridge); grain: one call per run.
CREATE OR REPLACE PROCEDURE {{ this }}(IN full_refresh BOOLEAN DEFAULT FALSE)
LANGUAGE SQL
SQL SECURITY INVOKER
COMMENT 'Merge silver into gold: unknown members, dim_date, dim_market, dim_classification, dim_venue and dim_attraction (SCD2), fact_events and bridge_event_attraction for events changed since the last call (all events when full_refresh). OPTIMIZE and ANALYZE of fact_events run after the call, as statements of their own.'
AS BEGIN
    DECLARE run_at TIMESTAMP DEFAULT current_timestamp;
    DECLARE changed_since TIMESTAMP;
    DECLARE loaded_until TIMESTAMP;

    -- Which silver events are new or changed since the last call.
    SET changed_since = (
        SELECT coalesce(max(high_watermark), TIMESTAMP '1900-01-01 00:00:00')
        FROM {{ ref('silver.load_state') }}
        WHERE object_name = '{{ ref('gold.fact_events') }}' AND source_table = '{{ ref('silver.events') }}'
    );
    IF full_refresh THEN
        SET changed_since = TIMESTAMP '1900-01-01 00:00:00';
    END IF;
    SET loaded_until = (SELECT max(_ingestion_timestamp) FROM {{ ref('silver.events') }});

    -- 1. Unknown members: facts point at them instead of holding NULL keys.
    MERGE INTO {{ ref('gold.dim_date') }} AS tgt
    USING (SELECT -1 AS date_key) AS src
    ON tgt.date_key = src.date_key
    WHEN NOT MATCHED THEN INSERT (
        date_key, full_date, year, quarter, month, month_name, iso_week, day_of_month, day_of_week, day_name, is_weekend
    ) VALUES (src.date_key, NULL, NULL, NULL, NULL, 'Unknown', NULL, NULL, NULL, 'Unknown', NULL);

    MERGE INTO {{ ref('gold.dim_market') }} AS tgt
    USING (SELECT '-1' AS market_id, 'Unknown market' AS market_name) AS src
    ON tgt.market_id = src.market_id
    WHEN NOT MATCHED THEN INSERT ({{ identity_insert_column('market_sk') }}market_id, market_name, updated_at)
    VALUES ({{ identity_insert_value(ref('gold.dim_market') ~ '_sk_seq') }}src.market_id, src.market_name, run_at);

    MERGE INTO {{ ref('gold.dim_classification') }} AS tgt
    USING (SELECT '-1' AS classification_key, 'Unknown' AS unknown_name) AS src
    ON tgt.classification_key = src.classification_key
    WHEN NOT MATCHED THEN INSERT (
        {{ identity_insert_column('classification_sk') }}classification_key, segment_name, genre_name, subgenre_name, type_name, subtype_name, updated_at
    ) VALUES (
        {{ identity_insert_value(ref('gold.dim_classification') ~ '_sk_seq') }}src.classification_key, src.unknown_name, src.unknown_name, src.unknown_name, src.unknown_name,
        src.unknown_name, run_at
    );

    MERGE INTO {{ ref('gold.dim_venue') }} AS tgt
    USING (SELECT '-1' AS venue_id, 'Unknown venue' AS venue_name) AS src
    ON tgt.venue_id = src.venue_id
    WHEN NOT MATCHED THEN INSERT ({{ identity_insert_column('venue_sk') }}venue_id, venue_name, change_hash, valid_from, valid_to, is_current)
    VALUES (
        {{ identity_insert_value(ref('gold.dim_venue') ~ '_sk_seq') }}src.venue_id, src.venue_name, 'unknown', TIMESTAMP '1900-01-01 00:00:00',
        TIMESTAMP '9999-12-31 00:00:00', TRUE
    );

    MERGE INTO {{ ref('gold.dim_attraction') }} AS tgt
    USING (SELECT '-1' AS attraction_id, 'Unknown attraction' AS attraction_name) AS src
    ON tgt.attraction_id = src.attraction_id
    WHEN NOT MATCHED THEN INSERT ({{ identity_insert_column('attraction_sk') }}attraction_id, attraction_name, change_hash, valid_from, valid_to, is_current)
    VALUES (
        {{ identity_insert_value(ref('gold.dim_attraction') ~ '_sk_seq') }}src.attraction_id, src.attraction_name, 'unknown', TIMESTAMP '1900-01-01 00:00:00',
        TIMESTAMP '9999-12-31 00:00:00', TRUE
    );

    -- 2. dim_date: every day from 1 January of the year before the first event to 31 December of
    --    the year after the last; the calendar only grows.
    MERGE INTO {{ ref('gold.dim_date') }} AS tgt
    USING (
        WITH bounds AS (
            SELECT
                make_date(year(min(start_local_date)) - 1, 1, 1) AS first_day,
                make_date(year(max(start_local_date)) + 1, 12, 31) AS last_day
            FROM {{ ref('silver.events') }}
        ),

        days AS (
            SELECT {{ dates_between('first_day', 'last_day') }} AS full_date
            FROM bounds
            WHERE first_day IS NOT NULL
        )

        SELECT
            CAST(year(full_date) * 10000 + month(full_date) * 100 + day(full_date) AS INT) AS date_key,
            full_date,
            year(full_date) AS year,
            quarter(full_date) AS quarter,
            month(full_date) AS month,
            {{ date_attribute('full_date', 'month_name') }} AS month_name,
            CAST({{ date_attribute('full_date', 'iso_week') }} AS INT) AS iso_week,
            day(full_date) AS day_of_month,
            CAST({{ date_attribute('full_date', 'iso_day_of_week') }} AS INT) AS day_of_week,
            {{ date_attribute('full_date', 'day_name') }} AS day_name,
            {{ date_attribute('full_date', 'iso_day_of_week') }} >= 6 AS is_weekend
        FROM days
    ) AS src
    ON tgt.date_key = src.date_key
    WHEN NOT MATCHED THEN INSERT (
        date_key, full_date, year, quarter, month, month_name, iso_week, day_of_month, day_of_week, day_name, is_weekend
    ) VALUES (
        src.date_key, src.full_date, src.year, src.quarter, src.month, src.month_name, src.iso_week,
        src.day_of_month, src.day_of_week, src.day_name, src.is_weekend
    );

    -- 3. dim_market (type 1: names change in place).
    MERGE INTO {{ ref('gold.dim_market') }} AS tgt
    USING (SELECT market_id, market_name FROM {{ ref('silver.markets') }}) AS src
    ON tgt.market_id = src.market_id
    WHEN MATCHED AND tgt.market_name IS DISTINCT FROM src.market_name THEN UPDATE SET
        market_name = src.market_name,
        updated_at = run_at
    WHEN NOT MATCHED THEN INSERT ({{ identity_insert_column('market_sk') }}market_id, market_name, updated_at)
    VALUES ({{ identity_insert_value(ref('gold.dim_market') ~ '_sk_seq') }}src.market_id, src.market_name, run_at);

    -- 4. dim_classification (type 1): the combinations events carry, named from silver.classifications.
    MERGE INTO {{ ref('gold.dim_classification') }} AS tgt
    USING (
        WITH combinations AS (
            SELECT DISTINCT segment_id, genre_id, subgenre_id, type_id, subtype_id
            FROM {{ ref('silver.events') }}
            WHERE coalesce(segment_id, genre_id, subgenre_id, type_id, subtype_id) IS NOT NULL
        )

        SELECT
            concat_ws(
                '/', coalesce(c.segment_id, '-'), coalesce(c.genre_id, '-'), coalesce(c.subgenre_id, '-'),
                coalesce(c.type_id, '-'), coalesce(c.subtype_id, '-')
            ) AS classification_key,
            c.segment_id,
            seg.classification_name AS segment_name,
            c.genre_id,
            gen.classification_name AS genre_name,
            c.subgenre_id,
            sub.classification_name AS subgenre_name,
            c.type_id,
            typ.classification_name AS type_name,
            c.subtype_id,
            sty.classification_name AS subtype_name
        FROM combinations AS c
        LEFT JOIN {{ ref('silver.classifications') }} AS seg ON c.segment_id = seg.classification_id
        LEFT JOIN {{ ref('silver.classifications') }} AS gen ON c.genre_id = gen.classification_id
        LEFT JOIN {{ ref('silver.classifications') }} AS sub ON c.subgenre_id = sub.classification_id
        LEFT JOIN {{ ref('silver.classifications') }} AS typ ON c.type_id = typ.classification_id
        LEFT JOIN {{ ref('silver.classifications') }} AS sty ON c.subtype_id = sty.classification_id
    ) AS src
    ON tgt.classification_key = src.classification_key
    WHEN MATCHED AND (
        tgt.segment_name IS DISTINCT FROM src.segment_name
        OR tgt.genre_name IS DISTINCT FROM src.genre_name
        OR tgt.subgenre_name IS DISTINCT FROM src.subgenre_name
        OR tgt.type_name IS DISTINCT FROM src.type_name
        OR tgt.subtype_name IS DISTINCT FROM src.subtype_name
    ) THEN UPDATE SET
        segment_name = src.segment_name,
        genre_name = src.genre_name,
        subgenre_name = src.subgenre_name,
        type_name = src.type_name,
        subtype_name = src.subtype_name,
        updated_at = run_at
    WHEN NOT MATCHED THEN INSERT (
        {{ identity_insert_column('classification_sk') }}classification_key, segment_id, segment_name, genre_id, genre_name, subgenre_id, subgenre_name,
        type_id, type_name, subtype_id, subtype_name, updated_at
    ) VALUES (
        {{ identity_insert_value(ref('gold.dim_classification') ~ '_sk_seq') }}src.classification_key, src.segment_id, src.segment_name, src.genre_id, src.genre_name,
        src.subgenre_id, src.subgenre_name, src.type_id, src.type_name, src.subtype_id, src.subtype_name, run_at
    );

{%- set venue_attributes = [
    'venue_name', 'venue_type', 'address_line1', 'city_name', 'state_name', 'state_code', 'country_name',
    'country_code', 'postal_code', 'timezone', 'latitude', 'longitude', 'market_id',
] %}
{%- set attraction_attributes = ['attraction_name', 'attraction_type', 'segment_name', 'genre_name', 'subgenre_name'] %}
{%- set staged = {
    'venue': 'SELECT venue_id, ' ~ venue_attributes | join(', ') ~ ' FROM ' ~ ref('silver.venues'),
    'attraction': 'SELECT a.attraction_id, a.attraction_name, a.attraction_type, seg.classification_name AS segment_name, '
        ~ 'gen.classification_name AS genre_name, sub.classification_name AS subgenre_name FROM '
        ~ ref('silver.attractions') ~ ' AS a LEFT JOIN ' ~ ref('silver.classifications')
        ~ ' AS seg ON a.segment_id = seg.classification_id LEFT JOIN ' ~ ref('silver.classifications')
        ~ ' AS gen ON a.genre_id = gen.classification_id LEFT JOIN ' ~ ref('silver.classifications')
        ~ ' AS sub ON a.subgenre_id = sub.classification_id',
} %}
{%- for entity, attributes in [('venue', venue_attributes), ('attraction', attraction_attributes)] %}
{%- set dim = ref('gold.dim_' ~ entity) %}

    -- {{ 5 if entity == 'venue' else 6 }}. dim_{{ entity }}, SCD type 2. First close the current version of every {{ entity }} whose
    --    tracked attributes changed; then add a version for every {{ entity }} without a current one
    --    (new {{ entity }}s, valid from 1900-01-01; closed ones from when their last version ended, so
    --    no gap opens even when a call stopped between the two statements).
    MERGE INTO {{ dim }} AS tgt
    USING (
        SELECT
            {{ entity }}_id,
            md5(concat_ws('|', {% for a in attributes %}coalesce(CAST({{ a }} AS STRING), '~'){{ ', ' if not loop.last }}{% endfor %})) AS change_hash
        FROM ({{ staged[entity] }}) AS staged
    ) AS src
    ON tgt.{{ entity }}_id = src.{{ entity }}_id AND tgt.is_current
    WHEN MATCHED AND tgt.change_hash <> src.change_hash THEN UPDATE SET
        valid_to = run_at,
        is_current = FALSE;

    MERGE INTO {{ dim }} AS tgt
    USING (
        SELECT
            staged.*,
            md5(concat_ws('|', {% for a in attributes %}coalesce(CAST(staged.{{ a }} AS STRING), '~'){{ ', ' if not loop.last }}{% endfor %})) AS change_hash,
            history.{{ entity }}_id IS NOT NULL AS has_history,
            history.closed_at
        FROM ({{ staged[entity] }}) AS staged
        LEFT JOIN (SELECT {{ entity }}_id, max(valid_to) AS closed_at FROM {{ dim }} GROUP BY {{ entity }}_id) AS history
            ON staged.{{ entity }}_id = history.{{ entity }}_id
    ) AS src
    ON tgt.{{ entity }}_id = src.{{ entity }}_id AND tgt.is_current
    WHEN NOT MATCHED THEN INSERT (
        {{ identity_insert_column(entity ~ '_sk') }}{{ entity }}_id, {{ attributes | join(', ') }}, change_hash, valid_from, valid_to, is_current
    ) VALUES (
        {{ identity_insert_value(dim ~ '_sk_seq') }}src.{{ entity }}_id, src.{{ attributes | join(', src.') }}, src.change_hash,
        CASE WHEN src.has_history THEN src.closed_at ELSE TIMESTAMP '1900-01-01 00:00:00' END,
        TIMESTAMP '9999-12-31 00:00:00', TRUE
    );
{%- endfor %}

    -- 7. fact_events: events changed in silver since the last call. A row is rewritten only when
    --    its content hash changes, and then points at the dimension versions current now; an
    --    unchanged event keeps the keys it has.
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
                    WHEN coalesce(changed.segment_id, changed.genre_id, changed.subgenre_id, changed.type_id, changed.subtype_id) IS NULL THEN '-1'
                    ELSE concat_ws(
                        '/', coalesce(changed.segment_id, '-'), coalesce(changed.genre_id, '-'),
                        coalesce(changed.subgenre_id, '-'), coalesce(changed.type_id, '-'), coalesce(changed.subtype_id, '-')
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
                    {%- for c in [
                        'event_name', 'status_code', 'start_local_date', 'start_local_time', 'start_date_time', 'timezone',
                        'date_tba', 'date_tbd', 'time_tba', 'sales_public_start', 'price_currency', 'price_min',
                        'price_max', 'currency_count', 'venue_count', 'attraction_count', 'primary_venue_id',
                        'primary_attraction_id', 'classification_key', 'market_id', 'attraction_list_hash',
                    ] %}
                    coalesce(CAST({{ c }} AS STRING), '~'){{ ',' if not loop.last }}
                    {%- endfor %}
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
                (SELECT classification_sk FROM {{ ref('gold.dim_classification') }} WHERE classification_key = '-1') AS classification_sk,
                (SELECT market_sk FROM {{ ref('gold.dim_market') }} WHERE market_id = '-1') AS market_sk
        ) AS unknown
        LEFT JOIN {{ ref('gold.dim_date') }} AS d ON h.start_local_date = d.full_date
        LEFT JOIN {{ ref('gold.dim_venue') }} AS v ON h.primary_venue_id = v.venue_id AND v.is_current
        LEFT JOIN {{ ref('gold.dim_attraction') }} AS a ON h.primary_attraction_id = a.attraction_id AND a.is_current
        LEFT JOIN {{ ref('gold.dim_classification') }} AS c ON h.classification_key = c.classification_key
        LEFT JOIN {{ ref('gold.dim_market') }} AS m ON h.market_id = m.market_id
    ) AS src
    ON tgt.event_id = src.event_id
{%- set fact_columns = [
    'event_date_key', 'venue_sk', 'attraction_sk', 'classification_sk', 'market_sk', 'event_name', 'status_code',
    'is_cancelled', 'start_local_date', 'start_local_time', 'start_date_time', 'timezone', 'is_date_tba',
    'is_date_tbd', 'is_time_tba', 'sales_public_start', 'price_currency', 'price_min', 'price_max',
    'currency_count', 'venue_count', 'attraction_count', 'event_hash',
] %}
    WHEN MATCHED AND tgt.event_hash <> src.event_hash THEN UPDATE SET
{%- for column in fact_columns %}
        {{ column }} = src.{{ column }},
{%- endfor %}
        updated_at = run_at
    WHEN NOT MATCHED THEN INSERT (event_id, {{ fact_columns | join(', ') }}, updated_at)
    VALUES (src.event_id, src.{{ fact_columns | join(', src.') }}, run_at);

    -- 8. bridge_event_attraction: rebuilt for every changed event whose bridge rows are older than
    --    its fact row, or missing, with the attraction versions current now (the ones a rewritten fact
    --    row points at). Comparing with the fact row, not with this call, also repairs what a call
    --    stopped between the fact MERGE and here left: the watermark (9) had not moved, so those
    --    events are in the changed set again.
    DELETE FROM {{ ref('gold.bridge_event_attraction') }} AS b
    WHERE EXISTS (
        SELECT 1
        FROM {{ ref('gold.fact_events') }} AS f
        INNER JOIN {{ ref('silver.events') }} AS e ON f.event_id = e.event_id
        WHERE f.event_id = b.event_id
            AND e._ingestion_timestamp > changed_since
            AND coalesce(b.updated_at, TIMESTAMP '1900-01-01 00:00:00') < f.updated_at
    );

    INSERT INTO {{ ref('gold.bridge_event_attraction') }} (event_id, attraction_sk, attraction_id, attraction_order, is_primary, updated_at)
    SELECT ea.event_id, coalesce(a.attraction_sk, unknown.attraction_sk), ea.attraction_id, ea.attraction_order, ea.is_primary, run_at
    FROM {{ ref('silver.event_attractions') }} AS ea
    INNER JOIN {{ ref('silver.events') }} AS e ON ea.event_id = e.event_id AND e._ingestion_timestamp > changed_since
    INNER JOIN {{ ref('gold.fact_events') }} AS f ON ea.event_id = f.event_id
    CROSS JOIN (
        SELECT attraction_sk FROM {{ ref('gold.dim_attraction') }} WHERE attraction_id = '-1'
    ) AS unknown
    LEFT JOIN {{ ref('gold.dim_attraction') }} AS a ON ea.attraction_id = a.attraction_id AND a.is_current
    WHERE NOT EXISTS (SELECT 1 FROM {{ ref('gold.bridge_event_attraction') }} AS b WHERE b.event_id = ea.event_id);

    -- 9. Remember how far silver was read.
    IF loaded_until IS NOT NULL THEN
        MERGE INTO {{ ref('silver.load_state') }} AS tgt
        USING (
            SELECT
                '{{ ref('gold.fact_events') }}' AS object_name,
                '{{ ref('silver.events') }}' AS source_table,
                loaded_until AS high_watermark
        ) AS src
        ON tgt.object_name = src.object_name AND tgt.source_table = src.source_table
        WHEN MATCHED THEN UPDATE SET high_watermark = src.high_watermark, updated_at = run_at
        WHEN NOT MATCHED THEN INSERT (object_name, source_table, high_watermark, updated_at)
        VALUES (src.object_name, src.source_table, src.high_watermark, run_at);
    END IF;
END
