package geo

import (
	_ "embed"
	"slices"
	"strconv"
	"strings"

	"github.com/hoctap/hoctap/config"
)

// DDL makes the tables the register is written to (geo_units, geo_crosswalk,
// geo_ward_months, geo_ward_now, geo_legacy_areas); Tables gives their rows.
//
//go:embed tables.sql
var DDL string

// Table is the rows of one of DDL's tables, in its columns' order.
type Table struct {
	Name string
	Rows [][]any
}

// Tables returns the register and what it says of the configuration's wards
// as rows for DDL's tables. r may be nil (no register configured): the
// tables are then empty but for the wards' own codes, so the models still
// run and their unit columns are NULL.
//
//   - geo_ward_months: each ward in each month of the programme as it was:
//     the commune or ward its data belongs to on the month's last day, with
//     its district (before 01/07/2025) and province; a share below 1 when the
//     ward's unit had been split by then.
//   - geo_ward_now: each ward on today's map (the register's last day of
//     change): the units its data is added onto and the share of each, marked
//     when the share is an estimate, and how a report names the ward today
//     ("xã Tân Quy Tây (cũ), nay thuộc phường Sa Đéc").
//   - geo_legacy_areas: the communes of each named legacy area, with the ward
//     that reports for each, if any.
func Tables(cfg *config.Config, r *Register) []Table {
	units := Table{Name: "geo_units"}
	links := Table{Name: "geo_crosswalk"}
	months := Table{Name: "geo_ward_months"}
	now := Table{Name: "geo_ward_now"}
	areas := Table{Name: "geo_legacy_areas"}
	if r == nil {
		for _, w := range cfg.Wards {
			for _, m := range cfg.Programme.Months() {
				months.Rows = append(months.Rows, []any{w.Code, m.String(), nullable(w.OfficialCode), nil, nil, nil, nil, nil, "1", false, w.Kind + " " + w.Name, w.Kind + " " + w.Name})
			}
		}
		return []Table{units, links, months, now, areas}
	}
	for _, u := range r.Units {
		units.Rows = append(units.Rows, []any{u.Code, u.Name, u.Kind.Code, int(u.Level()), nullable(u.Parent), dayValue(u.From), dayValue(u.To), u.Source})
	}
	for _, l := range r.Links {
		links.Rows = append(links.Rows, []any{l.From, l.To, dayValue(l.On), shareText(l.Share), nullable(l.Basis), l.Estimate, l.Source})
	}
	start := cfg.Programme.Start
	today := r.Today()
	for _, w := range cfg.Wards {
		if w.OfficialCode == "" {
			continue
		}
		for _, m := range cfg.Programme.Months() {
			end := m.LastDay()
			label, labelEN := r.describe(w.OfficialCode, start, end)
			for _, p := range r.Follow(w.OfficialCode, start, end) {
				d, pv := r.above(p.Unit.Code, end)
				months.Rows = append(months.Rows, []any{w.Code, m.String(), p.Unit.Code, p.Unit.Name, d.code(), d.name(), pv.code(), pv.name(),
					shareText(p.Share), p.Estimate, label, labelEN})
			}
		}
		label, labelEN := r.describe(w.OfficialCode, start, today)
		for _, p := range r.Follow(w.OfficialCode, start, today) {
			d, pv := r.above(p.Unit.Code, today)
			now.Rows = append(now.Rows, []any{w.Code, p.Unit.Code, p.Unit.Name, d.code(), d.name(), pv.code(), pv.name(), shareText(p.Share), p.Estimate, dayValue(today), label, labelEN})
		}
	}
	for _, a := range cfg.Geography.LegacyAreas {
		for _, c := range r.communesOf(a.Units) {
			var ward any
			for _, w := range cfg.Wards {
				if w.OfficialCode == c {
					ward = w.Code
				}
			}
			areas.Rows = append(areas.Rows, []any{a.Code, a.Name, nullable(a.NameEN), ward, c})
		}
	}
	return []Table{units, links, months, now, areas}
}

// Today is the day of the register's current map: the last day on which a
// unit began or ended (the day after its last day). Units valid on it are
// "as it is now".
func (r *Register) Today() config.Date {
	var t config.Date
	later := func(d config.Date) {
		if d.After(t.Time) {
			t = d
		}
	}
	for _, u := range r.Units {
		if !u.From.IsZero() {
			later(u.From)
		}
		if !u.To.IsZero() {
			later(config.Date{Time: u.To.AddDate(0, 0, 1)})
		}
	}
	return t
}

// maybeUnit is a unit that may be absent (a commune after 30/06/2025 has no district).
type maybeUnit struct {
	u  Unit
	ok bool
}

func (m maybeUnit) code() any {
	if !m.ok {
		return nil
	}
	return m.u.Code
}

func (m maybeUnit) name() any {
	if !m.ok {
		return nil
	}
	return m.u.Name
}

// above returns the district and the province the unit of code lay in on day d.
func (r *Register) above(code string, d config.Date) (district, province maybeUnit) {
	for _, a := range r.Ancestors(code, d) {
		switch a.Level() {
		case District:
			district = maybeUnit{a, true}
		case Province:
			province = maybeUnit{a, true}
		}
	}
	return district, province
}

// communesOf expands codes to the communes and wards they name: a commune
// itself, a unit above every commune that ever lay within it.
func (r *Register) communesOf(codes []string) []string {
	var out []string
	for _, c := range codes {
		h := r.History(c)
		if len(h) == 0 {
			continue
		}
		if h[0].Level() == Commune {
			out = append(out, c)
			continue
		}
		for _, u := range r.Units {
			if u.Level() == Commune && r.inside(u, c) {
				out = append(out, u.Code)
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// describe names the unit of code valid on day d as a report of day now
// writes it: "xã Tân Quy Tây", or "xã Tân Quy Tây (cũ), nay thuộc phường Sa
// Đéc" once it has changed; in Vietnamese and in English.
func (r *Register) describe(code string, d, now config.Date) (vi, en string) {
	vi = r.Describe(code, d, now)
	u, ok := r.On(code, d)
	if !ok {
		return vi, code
	}
	en = lowerKind(u.Name)
	if u.ValidOn(now) {
		return vi, en
	}
	var into []string
	for _, p := range r.Follow(code, d, now) {
		into = append(into, lowerKind(p.Unit.Name))
	}
	if len(into) == 0 {
		return vi, en + " (former)"
	}
	return vi, en + " (former), now part of " + strings.Join(into, ", ")
}

// shareText writes a share as the decimal DuckDB reads into DECIMAL(18, 9):
// the crosswalk's shares, and their products along a chain of changes, to
// nine places.
func shareText(s float64) string { return strconv.FormatFloat(s, 'f', 9, 64) }

func dayValue(d config.Date) any {
	if d.IsZero() {
		return nil
	}
	return d.Time
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}
