-- Raw rows as ingest loaded them, one table per dataset, each row with its
-- lineage: the file (ingest_files.file_id), the sheet and the row number in it.
-- Values are already typed and normalised (NFC text, ward codes, group numbers,
-- round codes); nothing is computed here. Rows of refused files never land;
-- rows of superseded files stay, and models read only files whose status is 'loaded'.
CREATE TABLE IF NOT EXISTS raw_units (
    file_id       BIGINT  NOT NULL, -- ingest_files.file_id
    sheet         VARCHAR,          -- the sheet name (NULL for CSV and JSON)
    row_number    INTEGER NOT NULL, -- the row in the sheet, or the line in a CSV
    unit_code     VARCHAR NOT NULL,
    unit_name     VARCHAR NOT NULL,
    unit_type     VARCHAR,
    ward          VARCHAR NOT NULL, -- a configured ward code
    members       INTEGER NOT NULL,
    registered_on DATE    NOT NULL
);
CREATE TABLE IF NOT EXISTS raw_citizens (
    file_id       BIGINT  NOT NULL,
    sheet         VARCHAR,
    row_number    INTEGER NOT NULL,
    citizen_id    VARCHAR NOT NULL, -- the ward's local code, never a national ID
    full_name     VARCHAR NOT NULL,
    gender        VARCHAR,          -- 'Nam' | 'Nữ'
    birth_year    INTEGER,
    group_id      INTEGER NOT NULL, -- cfg_target_groups.group_id
    ward          VARCHAR NOT NULL,
    hamlet        VARCHAR,
    unit_code     VARCHAR,          -- the workplace unit, if any
    registered_on DATE    NOT NULL
);
CREATE TABLE IF NOT EXISTS raw_citizen_assessments (
    file_id         BIGINT  NOT NULL,
    sheet           VARCHAR,
    row_number      INTEGER NOT NULL,
    citizen_id      VARCHAR NOT NULL,
    round           VARCHAR NOT NULL, -- cfg_rounds.round
    assessed_on     DATE    NOT NULL,
    self_scores     DOUBLE[] NOT NULL, -- self_scores[i] is indicator i (1-based); NULL where not given
    reviewed_scores DOUBLE[],          -- the reviewed (thẩm định) scores, NULL when none were given
    reviewer        VARCHAR
);
CREATE TABLE IF NOT EXISTS raw_unit_assessments (
    file_id     BIGINT  NOT NULL,
    sheet       VARCHAR,
    row_number  INTEGER NOT NULL,
    unit_code   VARCHAR NOT NULL,
    assessed_on DATE    NOT NULL,
    item        VARCHAR NOT NULL, -- cfg_unit_items.item, one row per item of the self-assessment
    score       DOUBLE  NOT NULL
);
CREATE TABLE IF NOT EXISTS raw_activities (
    file_id       BIGINT  NOT NULL,
    sheet         VARCHAR,
    row_number    INTEGER NOT NULL,
    activity_date DATE    NOT NULL,
    ward          VARCHAR NOT NULL,
    kind          VARCHAR NOT NULL, -- as written: tuyên truyền, tập huấn, …
    title         VARCHAR NOT NULL,
    participants  INTEGER NOT NULL,
    hours         DOUBLE
);
COMMENT ON TABLE raw_units IS 'Unit registrations as loaded, with lineage.';
COMMENT ON TABLE raw_citizens IS 'Citizen registrations as loaded, with lineage.';
COMMENT ON TABLE raw_citizen_assessments IS 'Citizen assessments as loaded (scores as lists by indicator number), with lineage.';
COMMENT ON TABLE raw_unit_assessments IS 'Unit self-assessments as loaded, one row per item, with lineage.';
COMMENT ON TABLE raw_activities IS 'Activities as loaded, with lineage.';
