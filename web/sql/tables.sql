-- The snapshot's tables and what each holds, for the SQL console.
SELECT table_name, coalesce(comment, '') AS comment, estimated_size
FROM duckdb_tables()
WHERE database_name = current_database() AND schema_name = 'main'
ORDER BY table_name
