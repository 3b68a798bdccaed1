-- The messages of the outbox in each status.
SELECT status, count(*) AS n FROM outbox GROUP BY status
