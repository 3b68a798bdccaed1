-- Learning units: every unit of the configuration and every unit registered in a
-- loaded file, with its latest registration. Member counts come from the
-- registration when there is one, else from pipeline.yaml.
-- columns:
--   unit_code: the unit's code
--   name: the unit's name
--   unit_type: trường tiểu học, trường mầm non, UBND xã/phường, trạm y tế, …
--   ward: ward code
--   members: number of members (the denominator of the members' title share)
--   registered: whether a registration for the unit has been received
--   registered_on: the day of registration
--   configured: whether pipeline.yaml lists the unit
--   file_id: lineage of the registration row
--   sheet: lineage
--   row_number: lineage
WITH reg AS (
    SELECT u.*
    FROM raw_units u
    SEMI JOIN ingest_file_tables t ON t.file_id = u.file_id AND t.dataset = 'units' AND t.ward = u.ward AND t.status = 'loaded'
    JOIN ingest_files f ON f.file_id = u.file_id
    QUALIFY row_number() OVER (PARTITION BY u.unit_code
                               ORDER BY f.received_at DESC, u.file_id DESC, u.row_number DESC) = 1
)
SELECT coalesce(c.unit_code, r.unit_code)  AS unit_code,
       coalesce(c.name, r.unit_name)       AS name,
       coalesce(c.unit_type, r.unit_type)  AS unit_type,
       coalesce(c.ward, r.ward)            AS ward,
       coalesce(r.members, c.members)      AS members,
       r.unit_code IS NOT NULL             AS registered,
       r.registered_on,
       c.unit_code IS NOT NULL             AS configured,
       r.file_id, r.sheet, r.row_number
FROM cfg_units c
FULL JOIN reg r ON r.unit_code = c.unit_code
