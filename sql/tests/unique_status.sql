-- Each person has one standing per month.

-- incremental by: citizen_id (an incremental run tests the changed people's rows: the others passed before)

-- How: the (month, person) pairs are first grouped by one 64-bit hash, a
-- cheaper key than two strings over every row (9M at a million citizens); the
-- few hashes seen twice, a repeat or a collision, are checked exactly.
WITH seen_twice AS (
    SELECT hash(month, citizen_id) AS h FROM citizen_status_monthly GROUP BY 1 HAVING count(*) > 1
)
SELECT month, citizen_id, count(*) AS n
FROM citizen_status_monthly
WHERE hash(month, citizen_id) IN (SELECT h FROM seen_twice)
GROUP BY month, citizen_id HAVING count(*) > 1
