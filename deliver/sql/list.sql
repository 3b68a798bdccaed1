-- The newest messages first, at most $1.
ORDER BY outbox_id DESC
LIMIT $1
