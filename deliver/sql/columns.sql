-- Every column of the outbox as Row reads it; included by due.sql and list.sql.
SELECT outbox_id, event, event_key, month, coalesce(version, 0) AS version, coalesce(ward, '') AS ward,
       channel, recipient, coalesce(recipient_name, '') AS recipient_name, lang, message_id, payload,
       status, attempts, created_at, last_attempt_at, next_attempt_at, sent_at,
       coalesce(last_error, '') AS last_error, coalesce(reply, '') AS reply,
       coalesce(attachments, '') AS attachments, coalesce(link, '') AS link, requeued_at
FROM outbox
