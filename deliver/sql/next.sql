-- When the next message is due: now for those queued or cut short, the next
-- attempt of the deferred ones; NULL when nothing waits.
SELECT min(CASE WHEN status = 'deferred' THEN next_attempt_at ELSE created_at END) AS next
FROM outbox WHERE status IN ('queued', 'sending', 'deferred')
