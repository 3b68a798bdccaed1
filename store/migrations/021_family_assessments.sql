-- "Gia đình học tập": the households a ward assessed, one row per household,
-- assessment and criterion (the criteria of the family title's versions in
-- pipeline.yaml, frameworks: gia_dinh), with lineage like every raw table; and
-- the household a decision recognises with the family title.
CREATE TABLE IF NOT EXISTS raw_family_assessments (
    file_id        BIGINT  NOT NULL, -- ingest_files.file_id
    sheet          VARCHAR,          -- the sheet name (NULL for CSV and JSON)
    row_number     INTEGER NOT NULL, -- the row in the sheet, or the line in a CSV
    household_code VARCHAR NOT NULL, -- "Mã hộ" as the ward gives it
    head_name      VARCHAR,          -- the head of household
    ward           VARCHAR,          -- a configured ward code
    hamlet         VARCHAR,          -- ấp, khóm or tổ dân phố
    members        INTEGER,          -- number of members (nhân khẩu)
    assessed_on    DATE    NOT NULL, -- the day of the assessment: it decides the version of the criteria
    criterion      VARCHAR NOT NULL, -- a criterion code of the framework
    result         DOUBLE,           -- its points, or 1/0 for a yes/no criterion; NULL when the row leaves it empty
    record_key     VARCHAR           -- household_code/assessed_on: a later row with it replaces the earlier
);
COMMENT ON TABLE raw_family_assessments IS 'Households assessed for Gia đình học tập as loaded: one row per household, assessment and criterion, with lineage.';
COMMENT ON COLUMN raw_family_assessments.file_id IS 'The file it came from (ingest_files.file_id).';
COMMENT ON COLUMN raw_family_assessments.sheet IS 'The sheet, NULL for CSV and JSON files.';
COMMENT ON COLUMN raw_family_assessments.row_number IS 'The row in the sheet as a spreadsheet shows it, or the line of a CSV file.';
COMMENT ON COLUMN raw_family_assessments.household_code IS 'The household''s code, as the ward gives it (upper case).';
COMMENT ON COLUMN raw_family_assessments.head_name IS 'The head of household''s name.';
COMMENT ON COLUMN raw_family_assessments.ward IS 'The ward code.';
COMMENT ON COLUMN raw_family_assessments.hamlet IS 'The hamlet (ấp, khóm, tổ dân phố), as written.';
COMMENT ON COLUMN raw_family_assessments.members IS 'The household''s number of members.';
COMMENT ON COLUMN raw_family_assessments.assessed_on IS 'The day of the assessment; the version of the criteria in force that day judges it.';
COMMENT ON COLUMN raw_family_assessments.criterion IS 'A criterion code of the family title (frameworks: gia_dinh).';
COMMENT ON COLUMN raw_family_assessments.result IS 'The criterion''s points, or 1 (met) / 0 (not met) for a yes/no criterion; NULL when left empty.';
COMMENT ON COLUMN raw_family_assessments.record_key IS 'household_code/assessed_on: a row of a later file with the same key replaces this one.';

ALTER TABLE raw_decisions ADD COLUMN IF NOT EXISTS household_code VARCHAR;
COMMENT ON COLUMN raw_decisions.household_code IS 'The household recognised, for the family title (Gia đình học tập).';
