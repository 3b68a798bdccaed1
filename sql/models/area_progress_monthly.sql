-- Registered, assessed, eligible and recognised people at the end of each
-- month per official administrative unit — commune or ward, district (before
-- 01/07/2025), province, the nation — and per named legacy area, in two
-- geographies. geography = 'as_was': each ward's figures on the units of the
-- time (geo_ward_months). geography = 'as_now': the same figures added onto
-- today's units through the crosswalk (geo_ward_now), so that a series runs on
-- across a change of the map. Where a ward's unit was split between several,
-- each gets its share of the counts: such a count is an estimate (estimate is
-- true) and keeps its decimals, never rounded to a whole person. Rows per
-- target group and, with group_id NULL, for all groups.
-- columns:
--   month: YYYY-MM
--   geography: as_was (the units valid at the month's end) or as_now (today's units: geo_ward_now.now_date)
--   level: commune, district, province, nation or legacy_area
--   area_code: the unit's official code (geo_units.code), the legacy area's code (geo_legacy_areas.area); NULL for the nation
--   area_name: the unit's official name ("Phường Sa Đéc"), the legacy area's name
--   district_code: on commune rows, the district it lay in (NULL from 01/07/2025 and as_now)
--   province_code: on commune and district rows, the province it lay in
--   group_id: target group; NULL for all groups
--   wards: how many of the programme's wards report into the area
--   registered: people registered by the month's end (a decimal: an estimate when estimate is true)
--   assessed: of them, people with at least one complete assessment
--   eligible: of them, people whose scores meet the title's criteria
--   recognised: of them, people a decision recognises
--   reviewed: of the eligible, people whose scores that count were reviewed
--   not_yet: assessed but not meeting the title's criteria
--   rate_of_registered: recognised / registered
--   estimate: true when some of the counts come from an estimated share of a split unit (geo_crosswalk.estimate): they are estimates, not counts
WITH counts AS (
    SELECT month, ward, group_id, registered, assessed, eligible, recognised, reviewed, not_yet
    FROM progress_monthly WHERE level = 'ward_group'
),
-- each ward's part in each commune, in both geographies
parts AS (
    SELECT 'as_was' AS geography, month, ward, commune_code, commune_name, district_code, district_name,
           province_code, province_name, share, estimate
    FROM geo_ward_months WHERE commune_code IS NOT NULL
    UNION ALL
    SELECT 'as_now', m.month, n.ward, n.commune_code, n.commune_name, n.district_code, n.district_name,
           n.province_code, n.province_name, n.share, n.estimate
    FROM geo_ward_now n CROSS JOIN cfg_months m
),
shared AS (
    SELECT p.geography, c.month, c.ward, c.group_id, p.commune_code, p.commune_name, p.district_code, p.district_name,
           p.province_code, p.province_name, p.estimate,
           CAST(c.registered * p.share AS DECIMAL(38, 9)) AS registered,
           CAST(c.assessed * p.share AS DECIMAL(38, 9)) AS assessed,
           CAST(c.eligible * p.share AS DECIMAL(38, 9)) AS eligible,
           CAST(c.recognised * p.share AS DECIMAL(38, 9)) AS recognised,
           CAST(c.reviewed * p.share AS DECIMAL(38, 9)) AS reviewed,
           CAST(c.not_yet * p.share AS DECIMAL(38, 9)) AS not_yet
    FROM counts c JOIN parts p ON p.ward = c.ward AND p.month = c.month
),
legacy AS (
    SELECT g.geography, c.month, c.ward, c.group_id, a.area, a.name,
           CAST(c.registered AS DECIMAL(38, 9)) AS registered, CAST(c.assessed AS DECIMAL(38, 9)) AS assessed,
           CAST(c.eligible AS DECIMAL(38, 9)) AS eligible, CAST(c.recognised AS DECIMAL(38, 9)) AS recognised,
           CAST(c.reviewed AS DECIMAL(38, 9)) AS reviewed, CAST(c.not_yet AS DECIMAL(38, 9)) AS not_yet
    FROM counts c
    JOIN geo_legacy_areas a ON a.ward = c.ward
    CROSS JOIN (VALUES ('as_was'), ('as_now')) g(geography)
),
rolled AS (
    -- communes, districts, provinces and the nation, per group and for all
    SELECT geography, month,
           CASE WHEN grouping(commune_code) = 0 THEN 'commune' WHEN grouping(district_code) = 0 THEN 'district'
                WHEN grouping(province_code) = 0 THEN 'province' ELSE 'nation' END AS level,
           CASE WHEN grouping(commune_code) = 0 THEN commune_code WHEN grouping(district_code) = 0 THEN district_code
                WHEN grouping(province_code) = 0 THEN province_code END AS area_code,
           CASE WHEN grouping(commune_code) = 0 THEN any_value(commune_name)
                WHEN grouping(district_code) = 0 THEN any_value(district_name)
                WHEN grouping(province_code) = 0 THEN any_value(province_name) END AS area_name,
           CASE WHEN grouping(commune_code) = 0 THEN district_code END AS district_code,
           CASE WHEN grouping(district_code) = 0 THEN province_code END AS province_code,
           group_id, count(DISTINCT ward) AS wards,
           sum(registered) AS registered, sum(assessed) AS assessed, sum(eligible) AS eligible,
           sum(recognised) AS recognised, sum(reviewed) AS reviewed, sum(not_yet) AS not_yet,
           bool_or(estimate) AS estimate
    FROM shared
    GROUP BY GROUPING SETS (
        (geography, month, province_code, district_code, commune_code, group_id), (geography, month, province_code, district_code, commune_code),
        (geography, month, province_code, district_code, group_id), (geography, month, province_code, district_code),
        (geography, month, province_code, group_id), (geography, month, province_code),
        (geography, month, group_id), (geography, month))
),
areas AS (
    SELECT geography, month, 'legacy_area' AS level, area AS area_code, any_value(name) AS area_name,
           NULL AS district_code, NULL AS province_code, group_id, count(DISTINCT ward) AS wards,
           sum(registered) AS registered, sum(assessed) AS assessed, sum(eligible) AS eligible,
           sum(recognised) AS recognised, sum(reviewed) AS reviewed, sum(not_yet) AS not_yet, false AS estimate
    FROM legacy
    GROUP BY GROUPING SETS ((geography, month, area, group_id), (geography, month, area))
)
SELECT r.geography, r.month, r.level, r.area_code, r.area_name,
       r.district_code, r.province_code, r.group_id, r.wards,
       r.registered, r.assessed, r.eligible, r.recognised, r.reviewed, r.not_yet,
       CASE WHEN r.registered > 0 THEN r.recognised / r.registered END AS rate_of_registered,
       r.estimate
FROM rolled r
-- a commune is grouped under its district: the group of communes with none
-- (since 01/07/2025) is no district
WHERE r.level = 'nation' OR r.area_code IS NOT NULL
UNION ALL
SELECT a.geography, a.month, a.level, a.area_code, a.area_name, a.district_code, a.province_code, a.group_id, a.wards,
       a.registered, a.assessed, a.eligible, a.recognised, a.reviewed, a.not_yet,
       CASE WHEN a.registered > 0 THEN a.recognised / a.registered END, a.estimate
FROM areas a
