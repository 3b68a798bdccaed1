-- The person $1 as registered (citizens), with the month's standing ($2).
SELECT c.citizen_id, c.full_name, coalesce(c.gender, '') AS gender, c.birth_year, c.group_id, c.ward,
       coalesce(c.hamlet, '') AS hamlet, coalesce(c.unit_code, '') AS unit_code, c.registered_on,
       coalesce(s.status, '') AS status, coalesce(s.first_eligible_month, '') AS first_recognised_month
FROM citizens c
LEFT JOIN citizen_status_monthly s ON s.citizen_id = c.citizen_id AND s.month = $2
WHERE c.citizen_id = $1
