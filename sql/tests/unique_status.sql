-- Each person has one standing per month.

-- incremental by: citizen_id (an incremental run tests the changed people's rows: the others passed before)
SELECT month, citizen_id, count(*) AS n FROM citizen_status_monthly GROUP BY month, citizen_id HAVING count(*) > 1
