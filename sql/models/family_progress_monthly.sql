-- "Gia đình học tập" at the end of each month, per ward and for the city
-- (level): households assessed (registered), eligible by the criteria of the
-- version in force on their assessment's day, and recognised by a decision;
-- and the rate that QĐ 387/QĐ-TTg's families goal is about: recognised
-- households of ALL the commune's households (cfg_title_population, with its
-- source), never of the registered ones only. Commune, district and province
-- codes as progress_monthly carries them.
-- columns:
--   month: YYYY-MM
--   level: ward or city
--   ward: ward code; NULL on city rows
--   registered: households assessed by the month's end
--   eligible: of them, households whose latest assessment meets the criteria
--   recognised: households a decision dated by the month's end recognises
--   eligible_not_recognised: eligible households no decision names yet
--   households: all households of the ward or city (the denominator); NULL when not configured for every ward counted
--   households_source: where that figure comes from
--   households_source_en: the same in English (households_source where none is configured)
--   rate_of_households: recognised / households (one division of the exact counts)
--   target_share: the title's target (cfg_title_frameworks.target_share)
--   commune_code: the official code of the commune or ward at the month's end, as it was then; NULL on city rows
--   district_code: the official code of the district it lay in at the month's end; on city rows the district every ward lay in, if one
--   province_code: the official code of the province it lay in at the month's end; on city rows the province every ward lay in, if one
WITH counts AS (
    SELECT month, ward,
           count(*) AS registered,
           count(*) FILTER (WHERE eligible) AS eligible,
           count(*) FILTER (WHERE recognised) AS recognised,
           count(*) FILTER (WHERE eligible AND NOT recognised) AS eligible_not_recognised
    FROM family_status_monthly
    GROUP BY month, ward
),
pop AS (
    SELECT ward, holders, source, coalesce(source_en, source) AS source_en FROM cfg_title_population WHERE framework = 'gia_dinh'
),
rolled AS (
    SELECT m.month, w.ward,
           CASE grouping(w.ward) WHEN 0 THEN 'ward' ELSE 'city' END AS level,
           CAST(sum(coalesce(c.registered, 0)) AS BIGINT) AS registered,
           CAST(sum(coalesce(c.eligible, 0)) AS BIGINT) AS eligible,
           CAST(sum(coalesce(c.recognised, 0)) AS BIGINT) AS recognised,
           CAST(sum(coalesce(c.eligible_not_recognised, 0)) AS BIGINT) AS eligible_not_recognised,
           CASE WHEN count(p.holders) = count(*) THEN CAST(sum(p.holders) AS BIGINT) END AS households,
           string_agg(DISTINCT p.source, '; ' ORDER BY p.source) AS households_source,
           string_agg(DISTINCT p.source_en, '; ' ORDER BY p.source_en) AS households_source_en
    FROM cfg_months m CROSS JOIN cfg_wards w
    LEFT JOIN counts c ON c.month = m.month AND c.ward = w.ward
    LEFT JOIN pop p ON p.ward = w.ward
    WHERE EXISTS (SELECT 1 FROM cfg_title_frameworks WHERE framework = 'gia_dinh')
    GROUP BY GROUPING SETS ((m.month, w.ward), (m.month))
)
SELECT r.month, r.level, r.ward, r.registered, r.eligible, r.recognised, r.eligible_not_recognised,
       r.households, r.households_source, r.households_source_en,
       CASE WHEN r.households > 0 THEN r.recognised / r.households END AS rate_of_households,
       f.target_share,
       g.commune_code, g.district_code, g.province_code
FROM rolled r
CROSS JOIN (SELECT target_share FROM cfg_title_frameworks WHERE framework = 'gia_dinh') f
-- the ward's (or every ward's) units at the month's end, as progress_monthly
-- works them out from the register for the same ward or city row
LEFT JOIN progress_monthly g ON g.month = r.month AND g.level = r.level AND g.ward IS NOT DISTINCT FROM r.ward
