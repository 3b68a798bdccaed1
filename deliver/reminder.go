package deliver

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/hoctap/hoctap/config"
	"github.com/hoctap/hoctap/reports"
	"github.com/hoctap/hoctap/store"
)

// Reminder is a reminder run's finding: at At, the submissions each ward
// still owes.
type Reminder struct {
	At time.Time
	// Missing are the submissions owed, of every ward (reports.Missing).
	Missing []reports.Submission
	// Report is the next monthly report's instant and the month it covers:
	// what a ward sends by then is in it.
	Report      time.Time
	ReportMonth config.Month
}

// reminderPayload is what a ward's reminder says, fixed at the reminder's
// instant.
type reminderPayload struct {
	At          time.Time      `json:"at"`
	Ward        string         `json:"ward"`
	Items       []reminderItem `json:"items"`
	Report      time.Time      `json:"report_at"`
	ReportMonth string         `json:"report_month"`
	Files       []File         `json:"files"` // the receipts of the refused files
}

// reminderItem is one submission a ward owes.
type reminderItem struct {
	Dataset string         `json:"dataset"`
	Round   string         `json:"round,omitempty"`
	Period  string         `json:"period,omitempty"`
	Due     string         `json:"due"` // YYYY-MM-DD
	Status  string         `json:"status"`
	Overdue bool           `json:"overdue"`
	Refused []refusedEntry `json:"refused,omitempty"`
}

// refusedEntry is a file the ward sent that was refused.
type refusedEntry struct {
	Name     string `json:"name"`
	SentOn   string `json:"sent_on"` // YYYY-MM-DD
	Problems int64  `json:"problems"`
	Receipt  string `json:"receipt,omitempty"` // the attachment's name; "" when the receipt is not there
}

// EnqueueReminder queues the reminder of each ward that owes submissions: an
// email to each of the ward's contacts that take reminders, in the contact's
// language, with the receipts of its refused files, and a call per webhook
// that takes reminder_due. A ward with nothing owed gets nothing; a reminder
// instant queued before (a restart) queues nothing more.
func EnqueueReminder(ctx context.Context, db *store.DB, cfg *config.Config, r Reminder, now time.Time) (Enqueued, error) {
	d := cfg.Delivery
	if !d.Enabled() {
		return Enqueued{}, nil
	}
	byWard := map[string][]reports.Submission{}
	var wards []string
	for _, s := range r.Missing {
		if len(byWard[s.Ward]) == 0 {
			wards = append(wards, s.Ward)
		}
		byWard[s.Ward] = append(byWard[s.Ward], s)
	}
	day := r.At.Format(time.DateOnly)
	var msgs []message
	for _, ward := range wards {
		p := reminderPayload{At: r.At, Ward: ward, Report: r.Report, ReportMonth: r.ReportMonth.String()}
		for _, s := range byWard[ward] {
			due := s.Due.Format(time.DateOnly)
			it := reminderItem{Dataset: s.Dataset, Round: s.Round, Period: s.Period, Due: due, Status: s.Status, Overdue: due < day}
			for _, f := range s.Refused {
				e := refusedEntry{Name: f.Name, SentOn: f.SentOn.Format(time.DateOnly), Problems: f.Problems}
				if rf, ok := receipt(cfg, f.Receipt); ok {
					e.Receipt = rf.Name
					p.Files = append(p.Files, rf)
				}
				it.Refused = append(it.Refused, e)
			}
			p.Items = append(p.Items, it)
		}
		key := fmt.Sprintf("reminder:%s:%s", r.At.UTC().Format(time.RFC3339), ward)
		readable := fmt.Sprintf("nhac-nho.%s.%s", r.At.Format("2006-01-02T1504"), ward)
		month := config.MonthOf(r.At).String()
		for _, c := range d.Wards {
			if c.Ward == ward && config.On(c.Reminders) {
				msgs = append(msgs, message{event: config.EventReminderDue, eventKey: key, readable: readable, month: month,
					ward: ward, channel: Email, recipient: c.Email, name: c.Name, lang: c.Lang, payload: p})
			}
		}
		for _, w := range d.Webhooks {
			if w.Wants(config.EventReminderDue) {
				msgs = append(msgs, message{event: config.EventReminderDue, eventKey: key, readable: readable, month: month,
					ward: ward, channel: Webhook, recipient: WebhookName(w.URL), lang: cfg.City.Language, payload: p})
			}
		}
	}
	if len(msgs) == 0 {
		return Enqueued{Skipped: "no ward that owes data has a contact or a webhook to be told"}, nil
	}
	n, err := enqueue(ctx, db, cfg, msgs, now)
	return Enqueued{Rows: n}, err
}

// receipt is the file of a refused file's receipt, as an attachment, when it
// is there. rel is relative to the quarantine.
func receipt(cfg *config.Config, rel string) (File, bool) {
	if rel == "" || !filepath.IsLocal(rel) {
		return File{}, false
	}
	b, err := os.ReadFile(filepath.Join(cfg.Paths.Quarantine, rel))
	if err != nil {
		return File{}, false
	}
	sum := sha256.Sum256(b)
	return File{Kind: KindReceipt, Root: RootQuarantine, Path: filepath.ToSlash(rel), Name: filepath.Base(rel),
		Bytes: int64(len(b)), SHA256: hex.EncodeToString(sum[:])}, true
}
