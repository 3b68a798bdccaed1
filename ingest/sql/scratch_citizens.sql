-- the people registered (the snapshot's citizens, as raw rows: a file may
-- name them),
INSERT INTO raw_citizens (file_id, sheet, row_number, citizen_id, full_name, gender, birth_year, group_id, ward, hamlet, unit_code, registered_on, record_key)
SELECT file_id, sheet, row_number, citizen_id, full_name, gender, birth_year, group_id, ward, hamlet, unit_code, registered_on, citizen_id FROM snap.citizens
