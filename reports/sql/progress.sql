-- Registered, assessed, eligible and recognised people at the end of the
-- month ($1) and of the month before ($2), at every level.
SELECT month, level, coalesce(ward, '') AS ward, coalesce(group_id, 0) AS group_id,
       registered, assessed, eligible, recognised, reviewed, not_yet,
       coalesce(eligible_of_registered, 0)::DOUBLE AS eligible_of_registered,
       coalesce(rate_of_registered, 0)::DOUBLE AS rate_of_registered,
       coalesce(population_adults, 0) AS population_adults,
       coalesce(rate_of_population, 0)::DOUBLE AS rate_of_population
FROM progress_monthly
WHERE month IN ($1, $2)
ORDER BY month, level, ward, group_id
