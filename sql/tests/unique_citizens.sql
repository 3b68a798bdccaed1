-- Each person is one row of citizens.

-- incremental by: citizen_id (an incremental run tests the changed people's rows: the others passed before)
SELECT citizen_id, count(*) AS n FROM citizens GROUP BY citizen_id HAVING count(*) > 1
