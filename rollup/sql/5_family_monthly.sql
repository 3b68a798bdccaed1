-- Learning families (Gia đình học tập) at the end of each month, added up
-- from the packages received: per area that sent a package (level area) and
-- for this level (level total). households is every household of the areas
-- counted (the denominator of QĐ 387's goal); NULL when a ward did not give it.
-- columns:
--   month: YYYY-MM
--   level: area or total
--   area_code: the area's official code; NULL on the total row
--   area_name: its name
--   registered: households assessed
--   eligible: of them, eligible by the criteria in force on their assessment's day
--   recognised: households recognised by a decision
--   households: all households of the areas (the denominator)
--   rate_of_households: recognised / households (one division of the exact counts)
WITH rows AS (
    SELECT f.month, k.area AS area_code, k.area_name, f.registered, f.eligible, f.recognised, f.households
    FROM pkg_family_monthly f JOIN packages k ON k.file_id = f.package_id
),
summed AS (
    SELECT month, 'area' AS level, area_code, area_name,
           sum(registered)::BIGINT AS registered, sum(eligible)::BIGINT AS eligible, sum(recognised)::BIGINT AS recognised,
           CASE WHEN count(households) = count(*) THEN sum(households)::BIGINT END AS households
    FROM rows GROUP BY month, area_code, area_name
    UNION ALL
    SELECT month, 'total', NULL, NULL,
           sum(registered)::BIGINT, sum(eligible)::BIGINT, sum(recognised)::BIGINT,
           CASE WHEN count(households) = count(*) THEN sum(households)::BIGINT END
    FROM rows GROUP BY month
)
SELECT *, CASE WHEN households > 0 THEN recognised / households END AS rate_of_households
FROM summed
