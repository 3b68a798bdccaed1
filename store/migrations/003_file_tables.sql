-- The tables found in each loaded file: one row per file and dataset, with the
-- period its rows cover. A corrected re-export supersedes the earlier file's
-- table of the same ward, dataset and period — only that table, so a workbook
-- holding units and citizens keeps its units when only its citizens are corrected.
CREATE TABLE IF NOT EXISTS ingest_file_tables (
    file_id       BIGINT  NOT NULL,  -- ingest_files.file_id
    dataset       VARCHAR NOT NULL,
    sheets        VARCHAR,           -- the sheets it came from, comma separated
    ward          VARCHAR NOT NULL,
    period        VARCHAR NOT NULL,  -- the data's month (YYYY-MM) or survey round
    rows          BIGINT  NOT NULL,
    status        VARCHAR NOT NULL CHECK (status IN ('loaded', 'superseded')),
    superseded_by BIGINT,
    PRIMARY KEY (file_id, dataset)
);
COMMENT ON TABLE ingest_file_tables IS 'Each dataset found in a loaded file, with its ward and period; models read only tables whose status is loaded.';
