-- Queues one message, unless its event already has one for this channel and
-- recipient: queuing an event twice (a report rendered again, a reminder run
-- after a restart) queues nothing more.
INSERT INTO outbox (outbox_id, event, event_key, month, version, ward, channel, recipient, recipient_name,
                    lang, message_id, payload, status, attempts, created_at)
SELECT nextval('outbox_ids'), $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'queued', 0, $12
WHERE NOT EXISTS (SELECT 1 FROM outbox WHERE event_key = $2 AND channel = $6 AND recipient = $7)
