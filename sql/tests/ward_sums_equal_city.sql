-- The wards add up to the city, and the groups do too, every month.
WITH city AS (SELECT month, registered, assessed, recognised FROM progress_monthly WHERE level = 'city'),
wards AS (SELECT month, sum(registered) AS registered, sum(assessed) AS assessed, sum(recognised) AS recognised
          FROM progress_monthly WHERE level = 'ward' GROUP BY month),
groups AS (SELECT month, sum(registered) AS registered, sum(assessed) AS assessed, sum(recognised) AS recognised
           FROM progress_monthly WHERE level = 'group' GROUP BY month),
people AS (SELECT month, count(*) AS registered FROM citizen_status_monthly GROUP BY month)
SELECT c.month, 'wards' AS parts FROM city c JOIN wards w USING (month)
WHERE (c.registered, c.assessed, c.recognised) <> (w.registered, w.assessed, w.recognised)
UNION ALL
SELECT c.month, 'groups' FROM city c JOIN groups g USING (month)
WHERE (c.registered, c.assessed, c.recognised) <> (g.registered, g.assessed, g.recognised)
UNION ALL
SELECT c.month, 'people' FROM city c LEFT JOIN people p USING (month)
WHERE c.registered <> coalesce(p.registered, 0)
