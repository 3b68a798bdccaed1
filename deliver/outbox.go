package deliver

import (
	"context"
	"database/sql"
	"embed"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/hoctap/hoctap/config"
	"github.com/hoctap/hoctap/store"
)

//go:embed sql/*.sql
var queries embed.FS

// query is the text of sql/name.sql; a SELECT of rows starts with the
// columns of sql/columns.sql.
func query(name string) string {
	b, err := queries.ReadFile("sql/" + name + ".sql")
	if err != nil {
		panic(err) // the embedded files are fixed at build time
	}
	switch name {
	case "due", "list":
		cols, _ := queries.ReadFile("sql/columns.sql")
		return string(cols) + "\n" + string(b)
	}
	return string(b)
}

// Enqueued is what an Enqueue call did.
type Enqueued struct {
	Rows int // messages queued
	// Skipped says why nothing was queued, when nothing was.
	Skipped string
}

// message is one row to queue.
type message struct {
	event, eventKey, readable, month string
	version                          int
	ward, channel, recipient, name   string
	lang                             string
	payload                          any
}

// enqueue writes msgs in one transaction, each unless its event already has
// a row for its channel and recipient, and says how many it wrote.
func enqueue(ctx context.Context, db *store.DB, cfg *config.Config, msgs []message, now time.Time) (int, error) {
	n := 0
	err := db.InTx(ctx, func(tx *store.Tx) error {
		for _, m := range msgs {
			b, err := json.Marshal(m.payload)
			if err != nil {
				return err
			}
			var version, ward, name sql.NullString
			if m.version > 0 {
				version = sql.NullString{String: fmt.Sprint(m.version), Valid: true}
			}
			if m.ward != "" {
				ward = sql.NullString{String: m.ward, Valid: true}
			}
			if m.name != "" {
				name = sql.NullString{String: m.name, Valid: true}
			}
			res, err := tx.ExecContext(ctx, query("enqueue"), m.event, m.eventKey, m.month, version, ward, m.channel, m.recipient, name,
				m.lang, messageID(cfg, m.eventKey, m.readable, m.channel, m.recipient), string(b), now)
			if err != nil {
				return err
			}
			k, err := res.RowsAffected()
			if err != nil {
				return err
			}
			n += int(k)
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("outbox: %w", err)
	}
	return n, nil
}

// recipients are the email recipients of a report: the committee, then the
// wards' contacts that take reports, each address once.
func reportRecipients(d config.Delivery) []config.WardContact {
	var out []config.WardContact
	seen := map[string]bool{}
	add := func(c config.WardContact) {
		k := strings.ToLower(c.Email)
		if !seen[k] {
			seen[k] = true
			out = append(out, c)
		}
	}
	for _, c := range d.Committee {
		add(config.WardContact{Name: c.Name, Email: c.Email, Lang: c.Lang})
	}
	for _, c := range d.Wards {
		if config.On(c.Report) {
			add(c)
		}
	}
	return out
}

// Requeue queues again every message that failed, with its attempts counted
// afresh, and brings the next attempt of the deferred ones to now: the
// "re-send the failed ones" of the command and the web page. Messages sent
// are never touched. It says how many failed messages it queued again.
func Requeue(ctx context.Context, db *store.DB, now time.Time) (int, error) {
	var n int64
	err := db.InTx(ctx, func(tx *store.Tx) error {
		res, err := tx.ExecContext(ctx, query("requeue"), now)
		if err != nil {
			return err
		}
		if n, err = res.RowsAffected(); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, query("hasten"), now)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("outbox: requeue: %w", err)
	}
	return int(n), nil
}

// List is the outbox's newest messages, at most limit.
func List(ctx context.Context, db *store.DB, limit int) ([]Row, error) {
	var rows []Row
	if err := db.SelectContext(ctx, &rows, query("list"), limit); err != nil {
		return nil, fmt.Errorf("outbox: %w", err)
	}
	return rows, nil
}

// Counts is how many messages the outbox holds in each status.
func Counts(ctx context.Context, db *store.DB) (map[Status]int, error) {
	var rows []struct {
		Status Status `db:"status"`
		N      int    `db:"n"`
	}
	if err := db.SelectContext(ctx, &rows, query("counts")); err != nil {
		return nil, fmt.Errorf("outbox: %w", err)
	}
	out := map[Status]int{}
	for _, r := range rows {
		out[r.Status] = r.N
	}
	return out, nil
}

// NextDue is when the next message is due (now or before, for one waiting
// already), and false when none waits.
func NextDue(ctx context.Context, db *store.DB) (time.Time, bool, error) {
	var next sql.NullTime
	if err := db.GetContext(ctx, &next, query("next")); err != nil {
		return time.Time{}, false, fmt.Errorf("outbox: %w", err)
	}
	return next.Time, next.Valid, nil
}

func decodeFiles(s string) []File {
	var fs []File
	if s != "" {
		_ = json.Unmarshal([]byte(s), &fs)
	}
	return fs
}
