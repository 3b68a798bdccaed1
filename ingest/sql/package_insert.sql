-- A package taken: what its manifest says, and where it was unpacked.
INSERT INTO exchange_packages (file_id, area, area_name, first_month, last_month, created_at, programme,
                               schema_version, register_version, key_name, people, dir, manifest)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
