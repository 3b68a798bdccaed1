-- Package $2 is superseded by the newer package $1 of the same area.
UPDATE exchange_packages SET superseded_by = $1 WHERE file_id = $2
