-- Whether the communes and wards sent their data on time, per month, added up
-- from the packages received: per area that sent a package and in all.
-- columns:
--   month: YYYY-MM
--   level: area or total
--   area_code: the area's official code; NULL on the total row
--   area_name: its name
--   expected: submissions due in the month
--   on_time: of them, accepted by their due day
--   late: accepted after it, by the month's end
--   missing: not accepted by the month's end
WITH rows AS (
    SELECT q.month, k.area AS area_code, k.area_name, q.expected, q.on_time, q.late, q.missing
    FROM pkg_data_quality_monthly q JOIN packages k ON k.file_id = q.package_id
)
SELECT month, 'area' AS level, area_code, area_name,
       sum(expected)::BIGINT AS expected, sum(on_time)::BIGINT AS on_time, sum(late)::BIGINT AS late, sum(missing)::BIGINT AS missing
FROM rows GROUP BY month, area_code, area_name
UNION ALL
SELECT month, 'total', NULL, NULL, sum(expected)::BIGINT, sum(on_time)::BIGINT, sum(late)::BIGINT, sum(missing)::BIGINT
FROM rows GROUP BY month
