-- Message $1 was not tried: its server could not be reached by the message
-- before it in this run (the reason, $3). It waits until $2, its attempts
-- unchanged.
UPDATE outbox SET status = 'deferred', next_attempt_at = $2, last_error = $3
WHERE outbox_id = $1
