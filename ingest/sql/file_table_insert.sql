-- One table a loaded file brings: its dataset, ward and period, the mode it is taken in, and what it adds, replaces and removes.
INSERT INTO ingest_file_tables (file_id, dataset, ward, sheets, period, rows, status, mode, mode_reason, rows_added, rows_replaced, rows_removed)
    VALUES (?, ?, ?, ?, ?, ?, 'loaded', ?, ?, ?, ?, ?)
