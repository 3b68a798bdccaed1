-- An attempt of message $1 failed with $3: deferred to $2 when $2 is given,
-- else failed for good; what it tried to carry.
UPDATE outbox SET status = CASE WHEN $2::TIMESTAMPTZ IS NULL THEN 'failed' ELSE 'deferred' END,
       next_attempt_at = $2::TIMESTAMPTZ, last_error = $3, attachments = $4, link = $5
WHERE outbox_id = $1
