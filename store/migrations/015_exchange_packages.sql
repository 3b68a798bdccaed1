-- Exchange packages received by a province's or the nation's hoctap: one row
-- per package accepted (its file is an ingest_files row of dataset 'package'),
-- with what its signed manifest says. A newer package for the same area and
-- months supersedes the older (superseded_by); the roll-up reads the packages
-- not superseded, from the folder each was unpacked into.
CREATE TABLE IF NOT EXISTS exchange_packages (
    file_id          BIGINT PRIMARY KEY,  -- ingest_files.file_id
    area             VARCHAR NOT NULL,    -- the official code of the area it covers
    area_name        VARCHAR NOT NULL,    -- as the manifest names it
    first_month      VARCHAR NOT NULL,    -- YYYY-MM
    last_month       VARCHAR NOT NULL,    -- YYYY-MM
    created_at       TIMESTAMPTZ NOT NULL, -- when the sender made it (signed)
    programme        VARCHAR NOT NULL,
    schema_version   INTEGER NOT NULL,
    register_version VARCHAR NOT NULL,
    key_name         VARCHAR,             -- whose trusted key verified it
    people           BOOLEAN NOT NULL,    -- it holds person-level rows
    dir              VARCHAR NOT NULL,    -- where it was unpacked, relative to the packages folder
    manifest         VARCHAR NOT NULL,    -- the manifest as signed (JSON)
    superseded_by    BIGINT               -- the newer package that replaced it
);
COMMENT ON TABLE exchange_packages IS 'Exchange packages accepted from the areas below: what each signed manifest says, and which newer package superseded it.';
