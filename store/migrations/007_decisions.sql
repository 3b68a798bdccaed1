-- Recognition decisions (Quyết định công nhận): the people and units a decision
-- recognises, one row per person or unit, with lineage like every raw table.
-- Scores make a person or unit eligible (đủ điều kiện); only a decision makes
-- them recognised (đã công nhận), so the models count recognition from here.
CREATE TABLE IF NOT EXISTS raw_decisions (
    file_id         BIGINT  NOT NULL, -- ingest_files.file_id
    sheet           VARCHAR,          -- the sheet name (NULL for CSV and JSON)
    row_number      INTEGER NOT NULL, -- the row in the sheet, or the line in a CSV
    decision_number VARCHAR NOT NULL, -- "Số quyết định" as written: 1234/QĐ-UBND
    decided_on      DATE    NOT NULL, -- the decision's date
    issuer          VARCHAR NOT NULL, -- the body that issued it: UBND thành phố Sa Đéc
    title           VARCHAR NOT NULL, -- the title conferred: 'citizen' (Công dân học tập) or 'unit' (Đơn vị học tập)
    citizen_id      VARCHAR,          -- the person recognised, for the citizen title
    unit_code       VARCHAR,          -- the unit recognised, for the unit title
    full_name       VARCHAR,          -- the name as the decision's list writes it, if given
    ward            VARCHAR           -- a configured ward code, if the list gives one
);
COMMENT ON TABLE raw_decisions IS 'Recognition decisions as loaded, one row per person or unit recognised, with lineage.';
COMMENT ON COLUMN raw_decisions.file_id IS 'The file it came from (ingest_files.file_id).';
COMMENT ON COLUMN raw_decisions.sheet IS 'The sheet, NULL for CSV and JSON files.';
COMMENT ON COLUMN raw_decisions.row_number IS 'The row in the sheet as a spreadsheet shows it, or the line of a CSV file.';
COMMENT ON COLUMN raw_decisions.decision_number IS 'The decision''s number and sign as written, such as 1234/QĐ-UBND.';
COMMENT ON COLUMN raw_decisions.decided_on IS 'The day the decision was signed.';
COMMENT ON COLUMN raw_decisions.issuer IS 'The body that issued the decision.';
COMMENT ON COLUMN raw_decisions.title IS 'citizen (Công dân học tập) or unit (Đơn vị học tập).';
COMMENT ON COLUMN raw_decisions.citizen_id IS 'The person recognised, for the citizen title: a registered citizen code.';
COMMENT ON COLUMN raw_decisions.unit_code IS 'The unit recognised, for the unit title: a unit code of the programme.';
COMMENT ON COLUMN raw_decisions.full_name IS 'The name as the decision''s list writes it, when it gives one.';
COMMENT ON COLUMN raw_decisions.ward IS 'The ward code, when the list gives one.';
