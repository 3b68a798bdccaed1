package config

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// Date is a calendar day without a time zone, written 2006-01-02.
type Date struct{ time.Time }

// ParseDate reads a YYYY-MM-DD day.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, strings.TrimSpace(s))
	if err != nil {
		return Date{}, fmt.Errorf("%q is not a date: expected YYYY-MM-DD", s)
	}
	return Date{t}, nil
}

// UnmarshalYAML reads a YYYY-MM-DD scalar.
func (d *Date) UnmarshalYAML(n *yaml.Node) error {
	v, err := ParseDate(n.Value)
	if err != nil {
		return typeError(n, err)
	}
	*d = v
	return nil
}

// DateOf returns the calendar day of t in t's location.
func DateOf(t time.Time) Date {
	return Date{time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)}
}

// MarshalYAML writes YYYY-MM-DD.
func (d Date) MarshalYAML() (any, error) { return d.String(), nil }

func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return d.Format(time.DateOnly)
}

// Month returns the month the day falls in.
func (d Date) Month() Month {
	return Month{time.Date(d.Year(), d.Time.Month(), 1, 0, 0, 0, 0, time.UTC)}
}

// Duration is a time.Duration written as Go writes it: "10m", "1h30m".
//
// A duration the file gives, 0s included, is kept: only one it leaves out
// takes the default ("settle_time: 0s" takes files at once; a written 0s
// where a duration must be positive is refused by name, not replaced).
type Duration struct {
	time.Duration
	written bool
}

// UnmarshalYAML reads a duration such as "10m".
func (d *Duration) UnmarshalYAML(n *yaml.Node) error {
	v, err := time.ParseDuration(strings.TrimSpace(n.Value))
	if err != nil {
		return typeError(n, fmt.Errorf("%q is not a duration: expected a number and unit such as 10m or 1h30m", n.Value))
	}
	d.Duration, d.written = v, true
	return nil
}

// durationOr sets d to v when the file left it out.
func durationOr(d *Duration, v time.Duration) {
	if !d.written && d.Duration == 0 {
		d.Duration = v
	}
}

// MarshalYAML writes the duration as Go formats it.
func (d Duration) MarshalYAML() (any, error) { return d.String(), nil }

// Clock is a time of day, written 15:04, in the city's time zone.
type Clock struct {
	Hour, Minute int
	set          bool
}

// ParseClock reads HH:MM.
func ParseClock(s string) (Clock, error) {
	h, m, ok := strings.Cut(strings.TrimSpace(s), ":")
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if !ok || err1 != nil || err2 != nil || hh < 0 || hh > 23 || mm < 0 || mm > 59 || len(m) != 2 {
		return Clock{}, fmt.Errorf("%q is not a time of day: expected HH:MM, 00:00 to 23:59", s)
	}
	return Clock{Hour: hh, Minute: mm, set: true}, nil
}

// IsZero reports whether the clock was not given.
func (c Clock) IsZero() bool { return !c.set }

// UnmarshalYAML reads HH:MM.
func (c *Clock) UnmarshalYAML(n *yaml.Node) error {
	v, err := ParseClock(n.Value)
	if err != nil {
		return typeError(n, err)
	}
	*c = v
	return nil
}

// MarshalYAML writes HH:MM.
func (c Clock) MarshalYAML() (any, error) { return c.String(), nil }

func (c Clock) String() string { return fmt.Sprintf("%02d:%02d", c.Hour, c.Minute) }

// typeError makes err a *yaml.TypeError at n's line, so that decoding goes on
// and every problem of the file is reported at once.
func typeError(n *yaml.Node, err error) error {
	return &yaml.TypeError{Errors: []string{fmt.Sprintf("line %d: %v", n.Line, err)}}
}
