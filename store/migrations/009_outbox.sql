-- The outbox: every message hoctap owes someone, one row per event and
-- recipient — an email of a new report version to each of its recipients, a
-- reminder to each contact of a ward that has not sent its data, a webhook
-- call per event — written when the event happens, in the same database as
-- the reports, and sent afterwards by the delivery job. A row marked sent is
-- never sent again; a row is claimed (sending, committed) before its SMTP or
-- HTTP exchange and completed after it, so a process stopped in between
-- leaves a row that the next run sends again, under the same Message-ID.
-- No default calls a function (see 004_bookkeeping_comments.sql): ids come
-- from nextval() in the INSERT, times from the INSERT.
CREATE SEQUENCE IF NOT EXISTS outbox_ids START 1;
CREATE TABLE IF NOT EXISTS outbox (
    outbox_id       BIGINT PRIMARY KEY,
    event           VARCHAR NOT NULL CHECK (event IN ('report_published', 'reminder_due')),
    event_key       VARCHAR NOT NULL,
    month           VARCHAR NOT NULL,
    version         INTEGER,
    ward            VARCHAR,
    channel         VARCHAR NOT NULL CHECK (channel IN ('email', 'webhook')),
    recipient       VARCHAR NOT NULL,
    recipient_name  VARCHAR,
    lang            VARCHAR NOT NULL,
    message_id      VARCHAR NOT NULL,
    payload         VARCHAR NOT NULL,
    status          VARCHAR NOT NULL CHECK (status IN ('queued', 'sending', 'sent', 'deferred', 'failed')),
    attempts        INTEGER NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL,
    last_attempt_at TIMESTAMPTZ,
    next_attempt_at TIMESTAMPTZ,
    sent_at         TIMESTAMPTZ,
    last_error      VARCHAR,
    reply           VARCHAR,
    attachments     VARCHAR,
    link            VARCHAR,
    requeued_at     TIMESTAMPTZ,
    UNIQUE (event_key, channel, recipient)
);

COMMENT ON TABLE outbox IS 'Every message owed to someone: a new report version to each recipient, a reminder to each contact of a ward with data missing, a webhook call per event; sent once, retried after temporary failures.';
COMMENT ON COLUMN outbox.outbox_id IS 'The message''s number: nextval(''outbox_ids''), given by the INSERT; messages are sent in this order.';
COMMENT ON COLUMN outbox.event IS 'report_published (a new version of a monthly report) or reminder_due (a ward has submissions missing or refused).';
COMMENT ON COLUMN outbox.event_key IS 'The event: report:YYYY-MM:vN, or reminder:<instant>:<ward code>; with channel and recipient, unique.';
COMMENT ON COLUMN outbox.month IS 'The month reported on, or the month of the reminder, YYYY-MM.';
COMMENT ON COLUMN outbox.version IS 'The report''s version (reports.version); NULL for a reminder.';
COMMENT ON COLUMN outbox.ward IS 'The ward a reminder is for, or whose contact receives the report; NULL for the committee and webhooks of reports.';
COMMENT ON COLUMN outbox.channel IS 'email or webhook.';
COMMENT ON COLUMN outbox.recipient IS 'The email address, or the webhook''s URL.';
COMMENT ON COLUMN outbox.recipient_name IS 'The name shown beside the address (pipeline.yaml''s delivery section).';
COMMENT ON COLUMN outbox.lang IS 'The message''s language: vi or en.';
COMMENT ON COLUMN outbox.message_id IS 'The email''s Message-ID, or the webhook''s delivery id: derived from the event and the recipient, the same on every attempt, so a receiver can tell a repeat.';
COMMENT ON COLUMN outbox.payload IS 'JSON: what the message says, fixed when the event happened (the headline figures and files of the version, or the submissions missing with their refused files).';
COMMENT ON COLUMN outbox.status IS 'queued (not tried yet), sending (an attempt under way, or cut short by a stop: sent again), sent, deferred (a temporary failure: tried again at next_attempt_at) or failed (a permanent failure, or every attempt used: re-sent only by hand).';
COMMENT ON COLUMN outbox.attempts IS 'Attempts since it was queued (or queued again by hand).';
COMMENT ON COLUMN outbox.created_at IS 'When the event happened and the message was queued.';
COMMENT ON COLUMN outbox.last_attempt_at IS 'When the last attempt started.';
COMMENT ON COLUMN outbox.next_attempt_at IS 'When a deferred message is tried again.';
COMMENT ON COLUMN outbox.sent_at IS 'When the mail server or webhook accepted it.';
COMMENT ON COLUMN outbox.last_error IS 'The last failure: the server''s reply (such as 451 4.3.0 …) or the connection''s error; kept after a later success.';
COMMENT ON COLUMN outbox.reply IS 'The server''s reply when it accepted the message.';
COMMENT ON COLUMN outbox.attachments IS 'JSON: the files the last attempt attached (name, bytes, SHA-256).';
COMMENT ON COLUMN outbox.link IS 'The link the last attempt gave instead of attachments that would have made the message too large.';
COMMENT ON COLUMN outbox.requeued_at IS 'When it was last queued again by hand (hoctap deliver --resend-failed, or the outbox page''s button).';

COMMENT ON COLUMN job_runs.job IS 'ingest, transform, report, reminder, backup or deliver.';
