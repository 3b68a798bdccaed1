-- Each person is one row of citizens.
SELECT citizen_id, count(*) AS n FROM citizens GROUP BY citizen_id HAVING count(*) > 1
