-- Activities per ward and month up to the month ($1).
SELECT a.month, a.ward, a.activities, a.participants, a.hours::DOUBLE AS hours
FROM activities_monthly a JOIN cfg_wards w USING (ward)
WHERE a.month <= $1
ORDER BY a.month, w.ordinal
