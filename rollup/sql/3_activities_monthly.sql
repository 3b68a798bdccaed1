-- Learning and outreach activities per month, added up from the packages
-- received: per area that sent a package (level area) and in all (level total).
-- columns:
--   month: YYYY-MM
--   level: area or total
--   area_code: the area's official code; NULL on the total row
--   area_name: its name
--   activities: number of activities
--   participants: total participants
--   hours: total hours
WITH rows AS (
    SELECT a.month, k.area AS area_code, k.area_name, a.activities, a.participants, a.hours
    FROM pkg_activities_monthly a JOIN packages k ON k.file_id = a.package_id
)
SELECT month, 'area' AS level, area_code, area_name,
       sum(activities)::BIGINT AS activities, sum(participants)::BIGINT AS participants, sum(hours) AS hours
FROM rows GROUP BY month, area_code, area_name
UNION ALL
SELECT month, 'total', NULL, NULL, sum(activities)::BIGINT, sum(participants)::BIGINT, sum(hours)
FROM rows GROUP BY month
