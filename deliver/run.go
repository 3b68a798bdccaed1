package deliver

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/hoctap/hoctap/config"
	"github.com/hoctap/hoctap/store"
)

// Sender sends the outbox's messages that are due.
type Sender struct {
	cfg   *config.Config
	log   *slog.Logger
	now   func() time.Time
	mail  *mailer
	hooks *poster
	job   string // the job's name in log lines
}

// NewSender prepares the sending of cfg's delivery: it reads the SMTP
// password and the webhooks' secrets, from their environment variables or
// files, and the certificates to trust. A secret that is not there is an
// error now, before any message is touched.
func NewSender(cfg *config.Config, log *slog.Logger, now func() time.Time) (*Sender, error) {
	s := &Sender{cfg: cfg, log: log, now: now, job: "deliver"}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	d := cfg.Delivery
	if d.Email() {
		m, err := newMailer(d.SMTP)
		if err != nil {
			return nil, err
		}
		s.mail = m
	}
	p, err := newPoster(d.Webhooks)
	if err != nil {
		return nil, err
	}
	s.hooks = p
	return s, nil
}

// Summary is what a run did.
type Summary struct {
	Sent, Deferred, Failed int
	// Next is when the next message is due, zero when none waits.
	Next time.Time
}

func (s Summary) String() string {
	out := fmt.Sprintf("%d sent, %d to try again, %d failed", s.Sent, s.Deferred, s.Failed)
	if !s.Next.IsZero() {
		out += "; next attempt " + s.Next.Format("2006-01-02 15:04:05 -07:00")
	}
	return out
}

// Run sends every message due now, oldest first, each in its own attempt:
// claimed (committed), sent, then marked sent, deferred or failed. When a
// server cannot be reached, the messages for it that remain are deferred
// with its error rather than each waiting for its timeout. The run holds db
// throughout: DuckDB has one writer, so no other run sends at the same time.
// ctx ends the run between two messages, or while it connects.
func (s *Sender) Run(ctx context.Context, db *store.DB) (Summary, error) {
	var sum Summary
	now := s.now()
	var due []Row
	if err := db.SelectContext(ctx, &due, query("due"), now); err != nil {
		return sum, fmt.Errorf("outbox: %w", err)
	}
	// down holds, by server or webhook, why it could not be reached in this
	// run and when to try it again: the messages for it that remain wait
	// until then, not tried, so their attempts count only real ones.
	type outage struct {
		why  string
		next time.Time
	}
	down := map[string]outage{}
	for _, row := range due {
		if err := ctx.Err(); err != nil {
			return sum, err
		}
		target := row.Recipient
		if row.Channel == Email {
			target = "smtp:" + s.cfg.Delivery.SMTP.Host
		}
		if o, ok := down[target]; ok {
			if err := s.wait(ctx, db, row, o.why, o.next); err != nil {
				return sum, err
			}
			sum.Deferred++
			continue
		}
		at := s.now()
		if _, err := db.ExecContext(ctx, query("claim"), row.ID, at); err != nil {
			return sum, fmt.Errorf("outbox: claiming message %d: %w", row.ID, err)
		}
		row.Attempts++
		var o outcome
		switch {
		case row.Channel == Email && s.mail == nil:
			o = outcome{reply: "email is not configured (delivery.smtp): it was queued under an earlier pipeline.yaml"}
		case row.Channel == Email:
			o = s.mail.send(ctx, s.cfg, row, at)
		default:
			o = s.hooks.post(ctx, s.cfg, row, at)
		}
		status, next, err := s.mark(ctx, db, row, o)
		if err != nil {
			return sum, err
		}
		if o.server && status == Deferred {
			down[target] = outage{why: o.reply, next: next}
		}
		switch status {
		case Sent:
			sum.Sent++
		case Deferred:
			sum.Deferred++
		default:
			sum.Failed++
		}
	}
	next, ok, err := NextDue(ctx, db)
	if err != nil {
		return sum, err
	}
	if ok {
		sum.Next = next
	}
	return sum, nil
}

// wait defers row, not tried, to next: its server could not be reached by
// the message before it in this run.
func (s *Sender) wait(ctx context.Context, db *store.DB, row Row, why string, next time.Time) error {
	if _, err := db.ExecContext(ctx, query("wait"), row.ID, next, "not tried: "+why); err != nil {
		return fmt.Errorf("outbox: deferring message %d: %w", row.ID, err)
	}
	s.log.Log(ctx, slog.LevelWarn, "delivery attempt", "job", s.job, "event", row.Event, "month", row.Month, "channel", row.Channel,
		"recipient", row.Recipient, "attempt", row.Attempts, "status", "not tried", "err", why)
	return nil
}

// mark records an attempt's outcome and logs it; it says the status it gave
// the row and, for a deferred one, when it is tried again.
func (s *Sender) mark(ctx context.Context, db *store.DB, row Row, o outcome) (Status, time.Time, error) {
	now := s.now()
	files, _ := json.Marshal(o.attached)
	if len(o.attached) == 0 {
		files = nil
	}
	attached := sql.NullString{String: string(files), Valid: files != nil}
	link := sql.NullString{String: strings.Join(o.links, " "), Valid: len(o.links) > 0}
	status := Sent
	var (
		err    error
		nextAt time.Time
	)
	switch {
	case o.ok:
		_, err = db.ExecContext(ctx, query("sent"), row.ID, now, o.reply, attached, link)
	default:
		var next sql.NullTime
		msg := o.reply
		status = Failed
		if o.temporary {
			r := s.cfg.Delivery.Retry
			if row.Attempts < r.Attempts {
				status = Deferred
				next = sql.NullTime{Time: now.Add(backoff(row.Attempts, r.Backoff.Duration, r.MaxBackoff.Duration)), Valid: true}
			} else {
				msg += fmt.Sprintf(" — gave up after %d attempts (delivery.retry.attempts)", row.Attempts)
			}
		}
		_, err = db.ExecContext(ctx, query("failed"), row.ID, next, msg, attached, link)
		o.reply = msg
		nextAt = next.Time
	}
	if err != nil {
		// The attempt happened; only its record failed. The row stays
		// "sending" and the next run sends it again, under the same
		// Message-ID.
		return "", nextAt, fmt.Errorf("outbox: recording message %d (%s): %w", row.ID, status, err)
	}
	level, errText := slog.LevelInfo, ""
	switch status {
	case Deferred:
		level, errText = slog.LevelWarn, o.reply
	case Failed:
		level, errText = slog.LevelError, o.reply
	}
	s.log.Log(ctx, level, "delivery attempt", "job", s.job, "event", row.Event, "month", row.Month, "channel", row.Channel,
		"recipient", row.Recipient, "attempt", row.Attempts, "status", status, "err", errText)
	return status, nextAt, nil
}
