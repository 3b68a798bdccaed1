-- The messages to send now ($1): those not tried yet, those whose attempt a
-- stop cut short (sending: the run that claimed them is gone, since a run holds
-- the database), and the deferred ones whose next attempt has come; oldest first.
WHERE status IN ('queued', 'sending') OR (status = 'deferred' AND next_attempt_at <= $1)
ORDER BY outbox_id
