-- The tables a file ($1) brought, one per dataset and ward.
SELECT dataset, ward, period, rows, mode, mode_reason, rows_added, rows_replaced, rows_removed
    FROM ingest_file_tables WHERE file_id = ? ORDER BY dataset, ward
