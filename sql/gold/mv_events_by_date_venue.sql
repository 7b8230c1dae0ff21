-- Gold mv_events_by_date_venue: materialized view of event counts per day and venue; grain: one row per (event date, venue id).
{% set query %}
WITH events AS (
    SELECT
        f.event_date_key,
        current_venue.venue_id,
        current_venue.venue_name,
        current_venue.city_name,
        current_venue.country_code,
        f.is_cancelled,
        f.price_min
    FROM {{ ref('gold.fact_events') }} AS f
    INNER JOIN {{ ref('gold.dim_venue') }} AS fact_venue ON f.venue_sk = fact_venue.venue_sk
    INNER JOIN {{ ref('gold.dim_venue') }} AS current_venue
        ON fact_venue.venue_id = current_venue.venue_id AND current_venue.is_current
),

final AS (
    SELECT
        e.event_date_key,
        d.full_date AS event_date,
        e.venue_id,
        e.venue_name,
        e.city_name,
        e.country_code,
        count(*) AS event_count,
        count_if(e.is_cancelled) AS cancelled_event_count,
        count(e.price_min) AS priced_event_count
    FROM events AS e
    INNER JOIN {{ ref('gold.dim_date') }} AS d ON e.event_date_key = d.date_key
    GROUP BY e.event_date_key, d.full_date, e.venue_id, e.venue_name, e.city_name, e.country_code
)

SELECT * FROM final
{% endset %}
{#- columns: name -> (Databricks type, comment); the type is part of the documented column list. -#}
{{ materialized_view(this, query,
    comment='Events per day and venue, refreshed by every run: how busy each venue is on each date. Venue names are the current ones; a renamed venue stays one row per day. Unannounced dates have event_date_key -1.',
    columns={
        'event_date_key': ('INT', 'Day of the events (dim_date.date_key, yyyymmdd); -1 for dates not announced.'),
        'event_date': ('DATE', 'Calendar date of the events; NULL for dates not announced.'),
        'venue_id': ('STRING', 'Ticketmaster venue id (-1 for events without a venue).'),
        'venue_name': ('STRING', 'Current name of the venue.'),
        'city_name': ('STRING', 'City of the venue.'),
        'country_code': ('STRING', 'ISO country code of the venue.'),
        'event_count': ('BIGINT', 'Number of events at the venue that day.'),
        'cancelled_event_count': ('BIGINT', 'How many of them are cancelled.'),
        'priced_event_count': ('BIGINT', 'How many of them list ticket prices.'),
    }) }};

{{ refresh_materialized_view(this) }}
