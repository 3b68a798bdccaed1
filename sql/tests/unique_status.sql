-- Each person has one standing per month.
SELECT month, citizen_id, count(*) AS n FROM citizen_status_monthly GROUP BY month, citizen_id HAVING count(*) > 1
