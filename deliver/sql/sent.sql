-- The server accepted the message ($1) at $2 with the reply $3; what it carried.
UPDATE outbox SET status = 'sent', sent_at = $2, next_attempt_at = NULL, reply = $3, attachments = $4, link = $5
WHERE outbox_id = $1
