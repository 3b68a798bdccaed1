-- Registered, assessed, eligible and recognised people at the end of each
-- month, per ward and target group, with the subtotals per ward and per group
-- and the city total (level says which). Eligible people meet the title's
-- criteria by their scores; recognised ones hold it by a decision. Rates, each
-- named for its denominator: rate_of_registered (recognised / registered),
-- eligible_of_registered (eligible / registered) and, where a population is
-- known (ward and city rows), rate_of_population (recognised / adults living there).
-- columns:
--   month: YYYY-MM
--   level: ward_group, ward, group or city
--   ward: ward code; NULL on group and city rows
--   group_id: target group; NULL on ward and city rows
--   registered: people registered by the month's end
--   assessed: of them, people with at least one complete assessment
--   eligible: of them, people whose scores meet the title's criteria (đủ điều kiện)
--   recognised: of them, people a decision recognises (đã công nhận)
--   reviewed: of the eligible, people whose scores that count were reviewed (thẩm định)
--   not_yet: assessed but not meeting the title's criteria
--   rate_of_registered: recognised / registered
--   eligible_of_registered: eligible / registered
--   population_adults: the adult population (the other denominator), ward and city rows only
--   rate_of_population: recognised / population_adults
--   commune_code: the official code of the commune or ward (geo_units) the ward's data belonged to at the month's end, as it was then; NULL on group and city rows, and where the ward's unit had been split
--   district_code: the official code of the district (huyện, thị xã, thành phố thuộc tỉnh) it lay in at the month's end; NULL from 01/07/2025, when the level ended; on city rows the district every ward lay in, if one
--   province_code: the official code of the province it lay in at the month's end; on city rows the province every ward lay in, if one
WITH grid AS (
    SELECT m.month, w.ward, g.group_id
    FROM cfg_months m CROSS JOIN cfg_wards w CROSS JOIN cfg_target_groups g
),
counts AS (
    SELECT month, ward, group_id,
           count(*) AS registered,
           count(*) FILTER (WHERE status <> 'not_assessed') AS assessed,
           count(*) FILTER (WHERE status = 'eligible') AS eligible,
           count(*) FILTER (WHERE recognised) AS recognised,
           count(*) FILTER (WHERE status = 'eligible' AND reviewed) AS reviewed,
           count(*) FILTER (WHERE status = 'not_yet') AS not_yet
    FROM citizen_status_monthly
    GROUP BY month, ward, group_id
),
rolled AS (
    SELECT g.month, g.ward, g.group_id,
           CASE grouping(g.ward, g.group_id) WHEN 0 THEN 'ward_group' WHEN 1 THEN 'ward' WHEN 2 THEN 'group' ELSE 'city' END AS level,
           sum(coalesce(c.registered, 0)) AS registered,
           sum(coalesce(c.assessed, 0)) AS assessed,
           sum(coalesce(c.eligible, 0)) AS eligible,
           sum(coalesce(c.recognised, 0)) AS recognised,
           sum(coalesce(c.reviewed, 0)) AS reviewed,
           sum(coalesce(c.not_yet, 0)) AS not_yet
    FROM grid g
    LEFT JOIN counts c ON c.month = g.month AND c.ward = g.ward AND c.group_id = g.group_id
    GROUP BY GROUPING SETS ((g.month, g.ward, g.group_id), (g.month, g.ward), (g.month, g.group_id), (g.month))
)
SELECT r.month, r.level, r.ward, r.group_id,
       CAST(r.registered AS BIGINT) AS registered, CAST(r.assessed AS BIGINT) AS assessed,
       CAST(r.eligible AS BIGINT) AS eligible, CAST(r.recognised AS BIGINT) AS recognised,
       CAST(r.reviewed AS BIGINT) AS reviewed, CAST(r.not_yet AS BIGINT) AS not_yet,
       CASE WHEN r.registered > 0 THEN r.recognised / r.registered END AS rate_of_registered,
       CASE WHEN r.registered > 0 THEN r.eligible / r.registered END AS eligible_of_registered,
       CASE r.level WHEN 'ward' THEN w.population_adults WHEN 'city' THEN (SELECT sum(population_adults) FROM cfg_wards) END AS population_adults,
       CASE WHEN r.level IN ('ward', 'city') AND coalesce(CASE r.level WHEN 'ward' THEN w.population_adults ELSE (SELECT sum(population_adults) FROM cfg_wards) END, 0) > 0
            THEN r.recognised / CASE r.level WHEN 'ward' THEN w.population_adults ELSE (SELECT sum(population_adults) FROM cfg_wards) END
       END AS rate_of_population,
       g.commune_code, coalesce(g.district_code, a.district_code) AS district_code,
       coalesce(g.province_code, a.province_code) AS province_code
FROM rolled r
LEFT JOIN cfg_wards w ON w.ward = r.ward
-- a ward's units at the month's end: its commune when it is one (a ward whose
-- unit was split between several has none), its district and province when
-- every part lies in one
LEFT JOIN (
    SELECT ward, month,
           CASE WHEN count(*) = 1 THEN any_value(commune_code) END AS commune_code,
           CASE WHEN count(DISTINCT district_code) = 1 AND count(district_code) = count(*) THEN any_value(district_code) END AS district_code,
           CASE WHEN count(DISTINCT province_code) = 1 AND count(province_code) = count(*) THEN any_value(province_code) END AS province_code
    FROM geo_ward_months GROUP BY ward, month
) g ON g.ward = r.ward AND g.month = r.month
-- the units every ward lay in, for the group and city rows
LEFT JOIN (
    SELECT month,
           CASE WHEN count(DISTINCT district_code) = 1 AND count(district_code) = count(*) THEN any_value(district_code) END AS district_code,
           CASE WHEN count(DISTINCT province_code) = 1 AND count(province_code) = count(*) THEN any_value(province_code) END AS province_code
    FROM geo_ward_months GROUP BY month
) a ON a.month = r.month AND r.ward IS NULL
