// Package deliver owns the outbox: the messages hoctap owes people, and
// sending them. When a report version is published, EnqueueReport writes one
// outbox row per recipient (the committee and the wards' contacts, from
// pipeline.yaml's delivery section) and per webhook; when a reminder is due,
// EnqueueReminder writes one per contact of each ward with submissions
// missing or refused. A Sender then sends what is due: email through SMTP
// (STARTTLS or TLS, authentication, with github.com/wneessen/go-mail), the
// report's PDF and XLSX attached up to the configured size and linked above
// it, and webhooks as signed JSON. A temporary failure (a 4xx reply, a
// connection that failed) is tried again after a back-off; a permanent one
// (5xx) is marked failed and shown, and is sent again only when asked
// (Requeue).
//
// Each row's Message-ID is derived from its event and recipient, so every
// attempt of a message carries the same one. A row marked sent is never sent
// again. A row is claimed (status sending, committed) before its SMTP or HTTP
// exchange and completed right after it; a process stopped in between leaves
// the row sending, and the next run sends it again under the same
// Message-ID. So a stop at any instant loses no message, and can repeat one
// message only when it comes after the server accepted it and before the row
// was marked, which a receiver can tell by the Message-ID (the webhook's
// delivery id). A run holds the pipeline's database for its whole length
// (DuckDB has one writer), so two runs never send the same row.
//
// The package reads the configuration and the files of the reports and of the
// quarantine; it writes only the outbox table. It logs one line per attempt
// to the *slog.Logger it is given, and never reads the clock: the time is
// passed in.
package deliver

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"
	"unicode"

	"github.com/hoctap/hoctap/config"
)

// Status is where an outbox row stands.
type Status string

// The statuses of an outbox row.
const (
	Queued   Status = "queued"   // not tried yet
	Sending  Status = "sending"  // an attempt under way, or cut short by a stop
	Sent     Status = "sent"     // accepted by the mail server or the webhook
	Deferred Status = "deferred" // a temporary failure: tried again at NextAttempt
	Failed   Status = "failed"   // a permanent failure, or every attempt used
)

// Statuses are every status, in the order a message goes through them.
var Statuses = []Status{Queued, Sending, Sent, Deferred, Failed}

// Channels.
const (
	Email   = "email"
	Webhook = "webhook"
)

// Row is one message of the outbox.
type Row struct {
	ID            int64      `db:"outbox_id"`
	Event         string     `db:"event"`
	EventKey      string     `db:"event_key"`
	Month         string     `db:"month"`
	Version       int        `db:"version"`
	Ward          string     `db:"ward"`
	Channel       string     `db:"channel"`
	Recipient     string     `db:"recipient"`
	RecipientName string     `db:"recipient_name"`
	Lang          string     `db:"lang"`
	MessageID     string     `db:"message_id"`
	Payload       string     `db:"payload"`
	Status        Status     `db:"status"`
	Attempts      int        `db:"attempts"`
	CreatedAt     time.Time  `db:"created_at"`
	LastAttempt   *time.Time `db:"last_attempt_at"`
	NextAttempt   *time.Time `db:"next_attempt_at"`
	SentAt        *time.Time `db:"sent_at"`
	LastError     string     `db:"last_error"`
	Reply         string     `db:"reply"`
	Attachments   string     `db:"attachments"`
	Link          string     `db:"link"`
	RequeuedAt    *time.Time `db:"requeued_at"`
}

// Attached lists the names of the files the last attempt attached.
func (r Row) Attached() []string {
	var names []string
	for _, f := range decodeFiles(r.Attachments) {
		names = append(names, f.Name)
	}
	return names
}

// File is a file a message carries or links to.
type File struct {
	// Kind: report_pdf, report_xlsx, ward_pack, receipt.
	Kind string `json:"kind"`
	// Root is the folder Path is in: reports (paths.reports) or quarantine
	// (paths.quarantine).
	Root   string `json:"root"`
	Path   string `json:"path"` // slash-separated, within Root
	Name   string `json:"name"` // the attachment's name
	Bytes  int64  `json:"bytes"`
	SHA256 string `json:"sha256"`
	// Link: the message links the file, never attaches it (the city's
	// report in a letter to a ward, which carries the ward's pack).
	Link bool `json:"link,omitempty"`
}

// File kinds and roots.
const (
	KindReportPDF  = "report_pdf"
	KindReportXLSX = "report_xlsx"
	KindReceipt    = "receipt"
	KindWardPack   = "ward_pack"

	RootReports    = "reports"
	RootQuarantine = "quarantine"
)

// messageID derives a row's Message-ID from the city, the event, the channel
// and the recipient: the same on every attempt, different for every row and
// every city that shares a mail domain.
func messageID(cfg *config.Config, eventKey, readable, channel, recipient string) string {
	sum := sha256.Sum256([]byte(strings.Join([]string{cfg.City.Name, cfg.City.Organisation, eventKey, channel, strings.ToLower(recipient)}, "\x00")))
	domain := "hoctap.invalid"
	if _, d, ok := strings.Cut(cfg.Delivery.From.Email, "@"); ok && d != "" {
		domain = strings.ToLower(d)
	}
	return fmt.Sprintf("hoctap.%s.%s@%s", readable, hex.EncodeToString(sum[:8]), domain)
}

// headerText makes s safe in a mail header: every control character, a line
// break above all, becomes a space, so no value can start a header of its
// own. The configuration refuses such names already; this is the second lock.
func headerText(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
			return ' '
		}
		return r
	}, s)
}

// backoff is the wait after the nth failed attempt: base, twice that, and so
// on, at most most.
func backoff(n int, base, most time.Duration) time.Duration {
	d := base
	for i := 1; i < n && d < most; i++ {
		d *= 2
	}
	return min(d, most)
}
