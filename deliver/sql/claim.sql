-- An attempt starts: committed before the SMTP or HTTP exchange.
UPDATE outbox SET status = 'sending', attempts = attempts + 1, last_attempt_at = $2
WHERE outbox_id = $1 AND status IN ('queued', 'sending', 'deferred')
