-- The total score that counts for every assessed person at the month's end ($1).
SELECT total::DOUBLE AS total FROM citizen_status_monthly
WHERE month = $1 AND total IS NOT NULL
ORDER BY total
