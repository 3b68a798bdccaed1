-- Queues again, at $1, every message that failed, with its attempts counted
-- afresh; sent messages are left alone.
UPDATE outbox SET status = 'queued', attempts = 0, next_attempt_at = NULL, requeued_at = $1
WHERE status = 'failed'
