-- rule: scd2_no_overlapping_versions
-- severity: HIGH
-- description: The versions of a venue or attraction never overlap in time and never run backwards (valid_from before valid_to).
-- checks: gold.dim_venue, gold.dim_attraction
WITH venue_versions AS (
    SELECT venue_id, venue_sk, valid_from, valid_to
    FROM {{ ref('gold.dim_venue') }}
),

attraction_versions AS (
    SELECT attraction_id, attraction_sk, valid_from, valid_to
    FROM {{ ref('gold.dim_attraction') }}
)

SELECT
    'dim_venue:' || a.venue_id AS failing_key,
    a.venue_sk AS version_sk,
    b.venue_sk AS overlapping_version_sk
FROM venue_versions AS a
INNER JOIN venue_versions AS b
    ON a.venue_id = b.venue_id
    AND a.venue_sk < b.venue_sk
    AND a.valid_from < b.valid_to
    AND a.valid_to > b.valid_from

UNION ALL

SELECT
    'dim_venue:' || venue_id AS failing_key,
    venue_sk AS version_sk,
    CAST(NULL AS BIGINT) AS overlapping_version_sk
FROM venue_versions
WHERE valid_from >= valid_to

UNION ALL

SELECT
    'dim_attraction:' || a.attraction_id AS failing_key,
    a.attraction_sk AS version_sk,
    b.attraction_sk AS overlapping_version_sk
FROM attraction_versions AS a
INNER JOIN attraction_versions AS b
    ON a.attraction_id = b.attraction_id
    AND a.attraction_sk < b.attraction_sk
    AND a.valid_from < b.valid_to
    AND a.valid_to > b.valid_from

UNION ALL

SELECT
    'dim_attraction:' || attraction_id AS failing_key,
    attraction_sk AS version_sk,
    CAST(NULL AS BIGINT) AS overlapping_version_sk
FROM attraction_versions
WHERE valid_from >= valid_to
