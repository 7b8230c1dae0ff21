-- The three medallion schemas: bronze (as landed), silver (3NF, cleaned), gold (star schema).
{{ create_schema(schema('bronze'), 'Raw Ticketmaster Discovery API objects as landed, one table per entity.') }};
{{ create_schema(schema('silver'), 'Cleaned, deduplicated Ticketmaster entities in third normal form.') }};
{{ create_schema(schema('gold'), 'Star schema of Ticketmaster events for analysts, dashboards and Genie.') }};
