-- Brings the next attempt of every deferred message to $1.
UPDATE outbox SET next_attempt_at = $1 WHERE status = 'deferred' AND next_attempt_at > $1
