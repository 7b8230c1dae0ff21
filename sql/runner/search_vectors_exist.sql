-- Whether `search` has built event vectors in this lakehouse (local target): a run keeps them current only then.
SELECT count(*) AS tables
FROM duckdb_tables()
WHERE schema_name = ? AND table_name = ? AND database_name = current_database()
