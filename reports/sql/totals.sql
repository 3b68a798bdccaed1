-- The totals that count at the month's end ($1): each distinct total with the
-- number of people assessed with it. At most as many rows as totals the
-- framework allows, however many people.
SELECT total::DOUBLE AS total, count(*) AS people FROM citizen_status_monthly
WHERE month = $1 AND total IS NOT NULL
GROUP BY total
ORDER BY total
