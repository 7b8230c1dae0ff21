-- Procedure sp_refresh_gold_layer: merges silver into the gold star schema incrementally (dimensions, then facts and bridge); grain: one call per run.
CREATE OR REPLACE PROCEDURE {{ this }}(IN full_refresh BOOLEAN DEFAULT FALSE)
LANGUAGE SQL
SQL SECURITY INVOKER
COMMENT 'Merge silver into gold: unknown members, dim_date, dim_market, dim_classification, dim_venue and dim_attraction (SCD2), fact_events and bridge_event_attraction for events changed since the last call (all events when full_refresh). OPTIMIZE and ANALYZE of fact_events run after the call, as statements of their own.'  -- noqa: LT05
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

    -- Dimensions first (each with its unknown member), so the fact rows find their keys.
{% include 'gold/loads/dim_date.sql' %}

{% include 'gold/loads/dim_market.sql' %}

{% include 'gold/loads/dim_classification.sql' %}

{% include 'gold/loads/dim_venue.sql' %}

{% include 'gold/loads/dim_attraction.sql' %}

    -- Then the fact, and the attraction bridge of the changed events whose bridge is older than their fact.
{% include 'gold/loads/fact_events.sql' %}

{% include 'gold/loads/bridge_event_attraction.sql' %}

    -- Remember how far silver was read: last, so a killed call leaves its events changed for the next.
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
