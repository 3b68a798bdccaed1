-- Every month of the programme up to the report's month ($1), at every level:
-- the long sheet of the workbook, for analysts.
SELECT month, level, coalesce(ward, '') AS ward, coalesce(group_id, 0) AS group_id,
       registered, assessed, recognised, not_yet,
       coalesce(rate_of_registered, 0)::DOUBLE AS rate_of_registered,
       coalesce(population_adults, 0) AS population_adults,
       coalesce(rate_of_population, 0)::DOUBLE AS rate_of_population
FROM progress_monthly
WHERE month <= $1
ORDER BY month, level, ward, group_id
