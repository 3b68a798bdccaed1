package wardpack

import (
	"context"
	"embed"
	"fmt"
	"strings"
	"time"

	"github.com/hoctap/hoctap/reports"
	"github.com/hoctap/hoctap/store"
)

//go:embed sql/*.sql
var queries embed.FS

// ward is what one ward's pack shows beyond the month's report data: its
// lists of people, its submissions of the month and what it sends next.
type ward struct {
	Code string

	Eligible, NotAssessed []person
	EligibleN, NotAssN    int64
	Close                 []reports.Near
	CloseN                int64
	// Undecided of the eligible no decision recognises yet; Decisions, those
	// that recognise the others ("125/QĐ-UBND, 130/QĐ-UBND").
	Undecided int64
	Decisions string

	Submissions []submission
	Refused     []refused
	Upcoming    []submission
}

type person struct {
	ID       string   `db:"citizen_id"`
	Name     string   `db:"full_name"`
	Total    *float64 `db:"total"`
	Decision string   `db:"decision_number"`
}

type submission struct {
	Dataset  string     `db:"dataset"`
	Round    string     `db:"round"`
	Period   string     `db:"period"`
	Due      time.Time  `db:"due"`
	Accepted *time.Time `db:"first_accepted_at"`
	Status   string     `db:"status"`
}

type refused struct {
	ID      int64     `db:"file_id"`
	Name    string    `db:"original_name"`
	SentOn  time.Time `db:"sent_on"`
	Receipt string    `db:"receipt_path"`
	Errors  int64     `db:"errors"`
	Reasons reasons   `db:"reasons"`
}

// reason is one error a refused file's receipt lists.
type reason struct {
	Sheet, Col, Vi, En string
	Row                int64
}

// reasons scans a DuckDB LIST of STRUCT(sheet, row, col, vi, en).
type reasons []reason

func (rs *reasons) Scan(src any) error {
	*rs = nil
	list, ok := src.([]any)
	if src == nil {
		return nil
	}
	if !ok {
		return fmt.Errorf("ward pack: a refused file's errors: %T, expected a list", src)
	}
	for _, e := range list {
		m, ok := e.(map[string]any)
		if !ok {
			return fmt.Errorf("ward pack: a refused file's error: %T, expected a struct", e)
		}
		var r reason
		r.Sheet, _ = m["sheet"].(string)
		r.Col, _ = m["col"].(string)
		r.Vi, _ = m["vi"].(string)
		r.En, _ = m["en"].(string)
		switch n := m["row"].(type) {
		case int32:
			r.Row = int64(n)
		case int64:
			r.Row = n
		}
		*rs = append(*rs, r)
	}
	return nil
}

func query(name string) (string, error) {
	b, err := queries.ReadFile("sql/" + name + ".sql")
	if err != nil {
		return "", err
	}
	return string(b), nil
}

// count is the count the query name gives with args.
func count(ctx context.Context, db *store.DB, name string, args ...any) (int64, error) {
	q, err := query(name)
	if err != nil {
		return 0, err
	}
	var n int64
	if err := db.GetContext(ctx, &n, q, args...); err != nil {
		return 0, fmt.Errorf("ward pack: %s.sql: %w", name, err)
	}
	return n, nil
}

// people are the first limit (0: all) of ward code's registrants of one
// standing (people.sql), from the report's annex when it holds them.
func people(ctx context.Context, db *store.DB, d *reports.Data, code, status string, limit int, dest *[]person) error {
	if status == "eligible" {
		if hs, ok := d.FirstEligible(code, limit); ok {
			for _, h := range hs {
				total := h.Total
				// people.sql's trim(full_name): DuckDB's trim takes off spaces only
				*dest = append(*dest, person{ID: h.ID, Name: strings.Trim(h.Name, " "), Total: &total, Decision: h.Decision})
			}
			return nil
		}
	}
	lim := any(nil)
	if limit > 0 {
		lim = limit
	}
	return sel(ctx, db, dest, "people", d.Month, code, status, lim)
}

func sel(ctx context.Context, db *store.DB, dest any, name string, args ...any) error {
	q, err := query(name)
	if err != nil {
		return err
	}
	if err := db.SelectContext(ctx, dest, q, args...); err != nil {
		return fmt.Errorf("ward pack: %s.sql: %w", name, err)
	}
	return nil
}

// load reads ward code's lists at d's month from the snapshot db, each
// capped at limit rows (0: all), and what it sends by next, the next
// report's reporting deadline.
func load(ctx context.Context, db *store.DB, d *reports.Data, code string, limit int, within float64, next time.Time) (*ward, error) {
	w := &ward{Code: code}
	// The report's data holds the first people of its annexes, in the
	// order of a ward's lists: a ward whose first people are among them
	// takes them from there, rather than sort all its people again in
	// Vietnamese collation (seconds at a million registrants).
	for _, l := range []struct {
		status string
		dest   *[]person
		n      *int64
	}{{"eligible", &w.Eligible, &w.EligibleN}, {"not_assessed", &w.NotAssessed, &w.NotAssN}} {
		if err := people(ctx, db, d, code, l.status, limit, l.dest); err != nil {
			return nil, err
		}
		n, err := count(ctx, db, "people_count", d.Month, code, l.status)
		if err != nil {
			return nil, err
		}
		*l.n = n
	}
	var dec struct {
		Undecided int64  `db:"undecided"`
		Decisions string `db:"decisions"`
	}
	q, err := query("decisions")
	if err != nil {
		return nil, err
	}
	if err := db.GetContext(ctx, &dec, q, d.Month, code); err != nil {
		return nil, fmt.Errorf("ward pack: decisions.sql: %w", err)
	}
	w.Undecided, w.Decisions = dec.Undecided, dec.Decisions
	if ns, ok := d.FirstClose(code, limit); ok {
		w.Close = ns
		if w.CloseN, err = reports.CloseCount(ctx, db, d.Month, code, within); err != nil {
			return nil, err
		}
	} else if w.Close, w.CloseN, err = reports.CloseIn(ctx, db, d.Month, code, limit, within); err != nil {
		return nil, err
	}
	if err := sel(ctx, db, &w.Submissions, "submissions", d.Month, code); err != nil {
		return nil, err
	}
	if err := sel(ctx, db, &w.Refused, "refused", d.Month, code); err != nil {
		return nil, err
	}
	end, err := time.Parse("2006-01", d.Month)
	if err != nil {
		return nil, err
	}
	end = end.AddDate(0, 1, -1)
	if err := sel(ctx, db, &w.Upcoming, "upcoming", code, end, next); err != nil {
		return nil, err
	}
	return w, nil
}
