-- Load dim_venue: the unknown venue, then venues as SCD type 2 (close changed versions, add new ones).
MERGE INTO {{ ref('gold.dim_venue') }} AS tgt
USING (SELECT '-1' AS venue_id, 'Unknown venue' AS venue_name) AS src
ON tgt.venue_id = src.venue_id
WHEN NOT MATCHED THEN INSERT ({{ identity_insert_column('venue_sk') }}
    venue_id, venue_name, change_hash, valid_from, valid_to, is_current)
VALUES (
    {{ identity_insert_value(ref('gold.dim_venue') ~ '_sk_seq') }}
    src.venue_id, src.venue_name, 'unknown', TIMESTAMP '1900-01-01 00:00:00',
    TIMESTAMP '9999-12-31 00:00:00', TRUE
);

-- close the current version of every venue whose tracked attributes changed
MERGE INTO {{ ref('gold.dim_venue') }} AS tgt
USING (
    SELECT
        venue_id,
        md5(concat_ws(
            '|',
            coalesce(CAST(venue_name AS STRING), '~'),
            coalesce(CAST(venue_type AS STRING), '~'),
            coalesce(CAST(address_line1 AS STRING), '~'),
            coalesce(CAST(city_name AS STRING), '~'),
            coalesce(CAST(state_name AS STRING), '~'),
            coalesce(CAST(state_code AS STRING), '~'),
            coalesce(CAST(country_name AS STRING), '~'),
            coalesce(CAST(country_code AS STRING), '~'),
            coalesce(CAST(postal_code AS STRING), '~'),
            coalesce(CAST(timezone AS STRING), '~'),
            coalesce(CAST(latitude AS STRING), '~'),
            coalesce(CAST(longitude AS STRING), '~'),
            coalesce(CAST(market_id AS STRING), '~')
        )) AS change_hash
    FROM {{ ref('silver.venues') }}
) AS src
ON tgt.venue_id = src.venue_id AND tgt.is_current
WHEN MATCHED AND tgt.change_hash <> src.change_hash THEN UPDATE SET
    valid_to = run_at,
    is_current = FALSE;

-- a version for every venue without a current one: new (from 1900-01-01) or just closed (from now)
MERGE INTO {{ ref('gold.dim_venue') }} AS tgt
USING (
    SELECT
        staged.venue_id,
        staged.venue_name,
        staged.venue_type,
        staged.address_line1,
        staged.city_name,
        staged.state_name,
        staged.state_code,
        staged.country_name,
        staged.country_code,
        staged.postal_code,
        staged.timezone,
        staged.latitude,
        staged.longitude,
        staged.market_id,
        md5(concat_ws(
            '|',
            coalesce(CAST(staged.venue_name AS STRING), '~'),
            coalesce(CAST(staged.venue_type AS STRING), '~'),
            coalesce(CAST(staged.address_line1 AS STRING), '~'),
            coalesce(CAST(staged.city_name AS STRING), '~'),
            coalesce(CAST(staged.state_name AS STRING), '~'),
            coalesce(CAST(staged.state_code AS STRING), '~'),
            coalesce(CAST(staged.country_name AS STRING), '~'),
            coalesce(CAST(staged.country_code AS STRING), '~'),
            coalesce(CAST(staged.postal_code AS STRING), '~'),
            coalesce(CAST(staged.timezone AS STRING), '~'),
            coalesce(CAST(staged.latitude AS STRING), '~'),
            coalesce(CAST(staged.longitude AS STRING), '~'),
            coalesce(CAST(staged.market_id AS STRING), '~')
        )) AS change_hash,
        history.venue_id IS NOT NULL AS has_history,
        history.closed_at
    FROM {{ ref('silver.venues') }} AS staged
    LEFT JOIN (
        SELECT venue_id, max(valid_to) AS closed_at
        FROM {{ ref('gold.dim_venue') }}
        GROUP BY venue_id
    ) AS history
        ON staged.venue_id = history.venue_id
) AS src
ON tgt.venue_id = src.venue_id AND tgt.is_current
WHEN NOT MATCHED THEN INSERT (
    {{ identity_insert_column('venue_sk') }}
    venue_id, venue_name, venue_type, address_line1, city_name, state_name, state_code,
    country_name, country_code, postal_code, timezone, latitude, longitude, market_id,
    change_hash, valid_from, valid_to, is_current
) VALUES (
    {{ identity_insert_value(ref('gold.dim_venue') ~ '_sk_seq') }}
    src.venue_id, src.venue_name, src.venue_type, src.address_line1, src.city_name, src.state_name, src.state_code,
    src.country_name, src.country_code, src.postal_code, src.timezone, src.latitude, src.longitude, src.market_id,
    src.change_hash,
    -- From when the last version ended, so no gap opens even when the close ran in an earlier call.
    CASE WHEN src.has_history THEN src.closed_at ELSE TIMESTAMP '1900-01-01 00:00:00' END,
    TIMESTAMP '9999-12-31 00:00:00', TRUE
);
