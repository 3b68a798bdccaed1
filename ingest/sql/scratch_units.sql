-- and the units registered.
INSERT INTO raw_units (file_id, sheet, row_number, unit_code, unit_name, unit_type, ward, members, registered_on, record_key)
SELECT file_id, sheet, row_number, unit_code, name, unit_type, ward, members, registered_on, unit_code FROM snap.units WHERE registered
