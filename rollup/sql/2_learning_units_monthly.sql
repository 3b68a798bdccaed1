-- Learning units (Đơn vị học tập) at the end of each month, added up from the
-- packages received: per area that sent a package (level area) and for this
-- level (level total).
-- columns:
--   month: YYYY-MM
--   level: area or total
--   area_code: the area's official code; NULL on the total row
--   area_name: its name
--   units: learning units registered
--   assessed: of them, self-assessed
--   eligible: of them, eligible for recognition
--   recognised: of them, recognised by a decision
--   members: their members
WITH rows AS (
    SELECT u.month, k.area AS area_code, k.area_name, u.units, u.assessed, u.eligible, u.recognised, u.members
    FROM pkg_learning_units_monthly u JOIN packages k ON k.file_id = u.package_id
)
SELECT month, 'area' AS level, area_code, area_name,
       sum(units)::BIGINT AS units, sum(assessed)::BIGINT AS assessed, sum(eligible)::BIGINT AS eligible,
       sum(recognised)::BIGINT AS recognised, sum(members)::BIGINT AS members
FROM rows GROUP BY month, area_code, area_name
UNION ALL
SELECT month, 'total', NULL, NULL,
       sum(units)::BIGINT, sum(assessed)::BIGINT, sum(eligible)::BIGINT, sum(recognised)::BIGINT, sum(members)::BIGINT
FROM rows GROUP BY month
