-- People registered, assessed, eligible and recognised at the end of each
-- month, added up from the packages received: per commune or ward (level
-- commune), per area that sent a package (level area: a city, a district, a
-- province), per target group over all areas (level group) and for this
-- level as a whole (level total). Rates as in the city's progress_monthly:
-- rate_of_registered (recognised / registered), eligible_of_registered, and
-- rate_of_population (recognised / adults) where every unit counted gives its
-- adult population.
-- columns:
--   month: YYYY-MM
--   level: commune, area, group or total
--   area_code: the official code of the area whose package holds the row; NULL on group and total rows
--   area_name: its name, as its package's manifest gives it
--   unit_code: the commune's or ward's official code, on commune rows
--   unit_name: its name in the register, valid at the month's end
--   group_id: target group, on group rows
--   registered: people registered by the month's end
--   assessed: of them, people with at least one complete assessment
--   eligible: of them, people whose scores meet the title's criteria
--   recognised: of them, people a decision recognises
--   reviewed: of the eligible, people whose counted scores were reviewed
--   not_yet: assessed but not meeting the criteria
--   units: communes and wards counted
--   population_adults: adults living there, when every unit counted gives it
--   rate_of_registered: recognised / registered
--   eligible_of_registered: eligible / registered
--   rate_of_population: recognised / population_adults
WITH rows AS (
    SELECT p.month, k.area AS area_code, k.area_name, p.unit_code, p.level, p.group_id,
           p.registered, p.assessed, p.eligible, p.recognised, p.reviewed, p.not_yet, p.population_adults
    FROM pkg_progress_monthly p
    JOIN packages k ON k.file_id = p.package_id
),
commune AS (
    SELECT month, 'commune' AS level, area_code, area_name, unit_code, NULL::VARCHAR AS group_id,
           sum(registered) AS registered, sum(assessed) AS assessed, sum(eligible) AS eligible,
           sum(recognised) AS recognised, sum(reviewed) AS reviewed, sum(not_yet) AS not_yet,
           count(DISTINCT unit_code) AS units,
           CASE WHEN count(population_adults) = count(*) THEN sum(population_adults) END AS population_adults
    FROM rows WHERE level = 'ward'
    GROUP BY month, area_code, area_name, unit_code
),
area AS (
    SELECT month, 'area' AS level, area_code, area_name, NULL::VARCHAR AS unit_code, NULL::VARCHAR AS group_id,
           sum(registered), sum(assessed), sum(eligible), sum(recognised), sum(reviewed), sum(not_yet),
           sum(units),
           CASE WHEN count(population_adults) = count(*) THEN sum(population_adults) END
    FROM commune GROUP BY month, area_code, area_name
),
grp AS (
    SELECT month, 'group' AS level, NULL::VARCHAR, NULL::VARCHAR, NULL::VARCHAR, group_id,
           sum(registered), sum(assessed), sum(eligible), sum(recognised), sum(reviewed), sum(not_yet),
           count(DISTINCT unit_code), NULL::HUGEINT
    FROM rows WHERE level = 'ward_group'
    GROUP BY month, group_id
),
total AS (
    SELECT month, 'total' AS level, NULL::VARCHAR, NULL::VARCHAR, NULL::VARCHAR, NULL::VARCHAR,
           sum(registered), sum(assessed), sum(eligible), sum(recognised), sum(reviewed), sum(not_yet),
           sum(units),
           CASE WHEN count(population_adults) = count(*) THEN sum(population_adults) END
    FROM commune GROUP BY month
),
counted AS (
    SELECT * FROM commune UNION ALL SELECT * FROM area UNION ALL SELECT * FROM grp UNION ALL SELECT * FROM total
)
SELECT c.month, c.level, c.area_code, c.area_name, c.unit_code,
       (SELECT u.name FROM geo_units u WHERE u.code = c.unit_code
          AND (u.valid_from IS NULL OR u.valid_from <= last_day(strptime(c.month || '-01', '%Y-%m-%d')::DATE))
          AND (u.valid_to IS NULL OR u.valid_to >= last_day(strptime(c.month || '-01', '%Y-%m-%d')::DATE))) AS unit_name,
       c.group_id,
       c.registered::BIGINT AS registered, c.assessed::BIGINT AS assessed, c.eligible::BIGINT AS eligible,
       c.recognised::BIGINT AS recognised, c.reviewed::BIGINT AS reviewed, c.not_yet::BIGINT AS not_yet,
       c.units::BIGINT AS units, c.population_adults::BIGINT AS population_adults,
       CASE WHEN c.registered > 0 THEN c.recognised / c.registered END AS rate_of_registered,
       CASE WHEN c.registered > 0 THEN c.eligible / c.registered END AS eligible_of_registered,
       CASE WHEN c.population_adults > 0 THEN c.recognised / c.population_adults END AS rate_of_population
FROM counted c
