-- The rows a quality rule checks: the rows of the tables its header names, summed. Stored as the rule's checked_sql.
SELECT
    {%- for table in checked_tables %}
    {{- ' + ' if not loop.first else ' ' }}(SELECT count(*) FROM {{ ref(table) }})
    {%- endfor %} AS rows_checked
