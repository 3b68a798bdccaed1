package config

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// Month is a calendar month, written 2006-01. It is the pipeline's unit of
// work: flags, reports, the schedule and the web app all speak of months in
// this type, and its arithmetic and formats are here and nowhere else.
type Month struct{ time.Time } // the first day, 00:00 UTC

// MonthLayout is how a month is written in files, flags, URLs and SQL.
const MonthLayout = "2006-01"

// ParseMonth reads a YYYY-MM month.
func ParseMonth(s string) (Month, error) {
	t, err := time.Parse(MonthLayout, strings.TrimSpace(s))
	if err != nil {
		return Month{}, fmt.Errorf("%q is not a month: expected YYYY-MM", s)
	}
	return Month{t}, nil
}

// MonthOf returns the month of t in t's location.
func MonthOf(t time.Time) Month {
	return Month{time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)}
}

// UnmarshalYAML reads a YYYY-MM scalar.
func (m *Month) UnmarshalYAML(n *yaml.Node) error {
	v, err := ParseMonth(n.Value)
	if err != nil {
		return typeError(n, err)
	}
	*m = v
	return nil
}

// UnmarshalText lets a Month be a map key.
func (m *Month) UnmarshalText(b []byte) error {
	v, err := ParseMonth(string(b))
	if err != nil {
		return err
	}
	*m = v
	return nil
}

// MarshalText writes YYYY-MM.
func (m Month) MarshalText() ([]byte, error) { return []byte(m.String()), nil }

// MarshalJSON writes "YYYY-MM", not the time.Time a Month holds.
func (m Month) MarshalJSON() ([]byte, error) { return json.Marshal(m.String()) }

// UnmarshalJSON reads "YYYY-MM".
func (m *Month) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("a month is a string YYYY-MM: %w", err)
	}
	return m.UnmarshalText([]byte(s))
}

// String is YYYY-MM ("" for the zero Month).
func (m Month) String() string {
	if m.IsZero() {
		return ""
	}
	return m.Format(MonthLayout)
}

// Label is the month as Vietnamese documents write it: 03/2021.
func (m Month) Label() string { return m.Format("01/2006") }

// Next is the month after m.
func (m Month) Next() Month { return Month{m.AddDate(0, 1, 0)} }

// Prev is the month before m.
func (m Month) Prev() Month { return Month{m.AddDate(0, -1, 0)} }

// Before reports whether m comes before o.
func (m Month) Before(o Month) bool { return m.Time.Before(o.Time) }

// After reports whether m comes after o.
func (m Month) After(o Month) bool { return m.Time.After(o.Time) }

// Start is the first instant of month m in loc.
func (m Month) Start(loc *time.Location) time.Time {
	return time.Date(m.Year(), m.Time.Month(), 1, 0, 0, 0, 0, loc)
}

// End is the first instant after month m in loc: data "as of the end of m" is
// everything before it.
func (m Month) End(loc *time.Location) time.Time { return m.Next().Start(loc) }

// FirstDay is the first calendar day of m.
func (m Month) FirstDay() Date { return Date(m) }

// LastDay is the last calendar day of m.
func (m Month) LastDay() Date { return Date{m.Next().AddDate(0, 0, -1)} }

// Months lists the months from a to b inclusive.
func Months(a, b Month) []Month {
	var ms []Month
	for m := a; !b.Before(m); m = m.Next() {
		ms = append(ms, m)
	}
	return ms
}

// Months lists the programme's months, first to last.
func (p Programme) Months() []Month { return Months(p.Start.Month(), p.End.Month()) }

// Holds reports whether m is a month of the programme.
func (p Programme) Holds(m Month) bool {
	return !m.Before(p.Start.Month()) && !p.End.Month().Before(m)
}

// Clamp is m kept within the programme: its first month for one before,
// its last for one after.
func (p Programme) Clamp(m Month) Month {
	if first := p.Start.Month(); m.Before(first) {
		return first
	}
	if last := p.End.Month(); last.Before(m) {
		return last
	}
	return m
}
