-- Each unit at the end of each month: its latest self-assessment on or before
-- the month's last day, and the share of its members who hold the Công dân học
-- tập title (Thông tư 24/2023 asks for cfg_unit_scheme.member_title_share).
-- columns:
--   month: YYYY-MM
--   unit_code: the unit
--   ward: ward code
--   members: number of members
--   assessed_on: the self-assessment that counts, if any
--   total: its total
--   grade: its grade
--   recognised: its grade counts as recognised
--   registrants: members registered for the individual title by the month's end
--   title_holders: members holding the individual title at the month's end
--   title_share: title_holders / members
--   meets_member_share: title_share ≥ cfg_unit_scheme.member_title_share
WITH grid AS (
    SELECT m.month, m.month_end, u.unit_code, u.ward, u.members
    FROM units u CROSS JOIN cfg_months m
),
assessed AS (
    SELECT g.*, s.assessed_on, s.total, s.grade, s.recognised
    FROM grid g
    ASOF LEFT JOIN unit_scores s ON s.unit_code = g.unit_code AND s.assessed_on <= g.month_end
),
holders AS (
    SELECT month, unit_code, count(*) AS registrants,
           count(*) FILTER (WHERE status = 'recognised') AS title_holders
    FROM citizen_status_monthly
    WHERE unit_code IS NOT NULL
    GROUP BY month, unit_code
)
SELECT a.month, a.unit_code, a.ward, a.members, a.assessed_on, a.total, a.grade,
       coalesce(a.recognised, false) AS recognised,
       coalesce(h.registrants, 0) AS registrants,
       coalesce(h.title_holders, 0) AS title_holders,
       coalesce(h.title_holders, 0) / a.members AS title_share,
       coalesce(h.title_holders, 0) / a.members >= s.member_title_share AS meets_member_share
FROM assessed a
CROSS JOIN cfg_unit_scheme s
LEFT JOIN holders h ON h.month = a.month AND h.unit_code = a.unit_code
