-- rule: venue_coordinates_in_range
-- severity: LOW
-- description: Venue latitudes lie within -90..90 and longitudes within -180..180, in silver and in every dim_venue version.
-- checks: silver.venues, gold.dim_venue
SELECT
    'silver.venues:' || venue_id AS failing_key,
    latitude,
    longitude
FROM {{ ref('silver.venues') }}
WHERE latitude NOT BETWEEN -90 AND 90 OR longitude NOT BETWEEN -180 AND 180

UNION ALL

SELECT
    'gold.dim_venue:' || CAST(venue_sk AS STRING) AS failing_key,
    latitude,
    longitude
FROM {{ ref('gold.dim_venue') }}
WHERE latitude NOT BETWEEN -90 AND 90 OR longitude NOT BETWEEN -180 AND 180
