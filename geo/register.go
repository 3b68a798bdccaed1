// Package geo owns the dated register of administrative units — provinces,
// districts, communes and wards, each with its official code, name, kind,
// parent and the days it was valid — and the crosswalk that says where each
// unit went when the map changed (the 2025 reorganisation above all). It reads
// both from plain CSV files in the shape of the official code lists, checks
// them, resolves a name written in a file to the unit it meant on a date, and
// follows an old unit onto today's map.
//
// It knows nothing of learning citizens and reads no database: ingest resolves
// names with it, transform writes it as tables for the SQL models.
package geo

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/hoctap/hoctap/config"
)

// Level is a unit's place in the hierarchy: 1 a province, 2 a district (until
// 30/06/2025), 3 a commune or ward.
type Level int

// Nation is the area code of the national level: every province lies in it.
// It is no unit of the register.
const Nation = "VN"

// The levels.
const (
	Province Level = 1
	District Level = 2
	Commune  Level = 3
)

func (l Level) String() string {
	switch l {
	case Province:
		return "tỉnh"
	case District:
		return "huyện"
	case Commune:
		return "xã"
	}
	return fmt.Sprintf("level %d", int(l))
}

// Kind is what a unit is, as the official lists write it.
type Kind struct {
	Code  string // tinh, thanh-pho-tw, huyen, quan, thi-xa, thanh-pho, xa, phuong, thi-tran, dac-khu
	Name  string // "Tỉnh", "Thành phố", …: the word written before the unit's name
	Level Level  // for "thành phố", the level its parent gives it
}

// kinds lists the kinds of unit, by their folded written forms.
var kinds = []struct {
	code, name string
	forms      []string
	level      Level // 0: from the parent (thành phố is a province or a district)
}{
	{"tinh", "Tỉnh", []string{"tinh"}, Province},
	{"thanh-pho", "Thành phố", []string{"thanh pho", "tp", "thanh pho truc thuoc trung uong", "thanh pho trung uong", "thanh pho thuoc tinh"}, 0},
	{"huyen", "Huyện", []string{"huyen"}, District},
	{"quan", "Quận", []string{"quan"}, District},
	{"thi-xa", "Thị xã", []string{"thi xa", "tx"}, District},
	{"xa", "Xã", []string{"xa"}, Commune},
	{"phuong", "Phường", []string{"phuong"}, Commune},
	{"thi-tran", "Thị trấn", []string{"thi tran", "tt"}, Commune},
	{"dac-khu", "Đặc khu", []string{"dac khu"}, Commune},
}

// parseKind reads a kind as written ("Phường", "Thị trấn", "thanh-pho").
func parseKind(s string) (Kind, bool) {
	f := config.Fold(s)
	for _, k := range kinds {
		if f == config.Fold(k.code) || slices.Contains(k.forms, f) {
			return Kind{Code: k.code, Name: k.name, Level: k.level}, true
		}
	}
	return Kind{}, false
}

// Unit is one entry of the register: a code with one name, kind and parent for
// the days From to To. A code reused for another unit (29905 was Phường 1 of
// Sa Đéc until 30/06/2025, phường Sa Đéc since) has one entry per period.
type Unit struct {
	Code   string
	Name   string // the official name with its kind: "Phường Tân Quy Đông"
	Kind   Kind
	Parent string      // the parent's code; "" for a province
	From   config.Date // the first day it was valid; zero: before the register begins
	To     config.Date // the last day it was valid; zero: still valid
	Source string      // the document that set it up or ended it
	Line   int         // where it is in the register file
}

// Level is the unit's level.
func (u Unit) Level() Level { return u.Kind.Level }

// ShortName is the name without the kind written before it: "Tân Quy Đông".
func (u Unit) ShortName() string { return shortName(u.Name) }

// shortName drops a leading kind word ("Phường", "Xã", "Thành phố") from a name.
func shortName(name string) string {
	f := config.Fold(name)
	for _, k := range kinds {
		for _, form := range append([]string{config.Fold(k.name)}, k.forms...) {
			if rest, ok := strings.CutPrefix(f, form+" "); ok && rest != "" {
				// Cut as many words from the written name as the kind has.
				words := strings.Fields(name)
				n := len(strings.Fields(form))
				if n < len(words) {
					return strings.Join(words[n:], " ")
				}
			}
		}
	}
	return name
}

// ValidOn reports whether the unit was valid on day d.
func (u Unit) ValidOn(d config.Date) bool {
	return (u.From.IsZero() || !d.Before(u.From.Time)) && (u.To.IsZero() || !d.After(u.To.Time))
}

// Overlaps reports whether the unit was valid on some day from a to b (either
// may be zero: open).
func (u Unit) Overlaps(a, b config.Date) bool {
	return (b.IsZero() || u.From.IsZero() || !b.Before(u.From.Time)) && (a.IsZero() || u.To.IsZero() || !a.After(u.To.Time))
}

// Period writes the unit's days of validity, "…–30/06/2025".
func (u Unit) Period() string {
	day := func(d config.Date, open string) string {
		if d.IsZero() {
			return open
		}
		return d.Format("02/01/2006")
	}
	return day(u.From, "…") + "–" + day(u.To, "…")
}

// Link is one line of the crosswalk: on day On, Share of unit From (the unit of
// that code valid the day before) became part of unit To (the unit of that code
// valid on On). A unit merged whole has one link of share 1; a unit split
// between several has one per part, their shares summing to 1.
type Link struct {
	From, To string
	On       config.Date
	Share    float64
	Basis    string // what the share is of: population, households; "" for a whole unit
	Estimate bool   // the share is an estimate, not a count
	Source   string
	Line     int

	fromName, toName string // as the crosswalk wrote them, checked against the register
}

// Register is the register of administrative units with its crosswalk.
type Register struct {
	Units []Unit
	Links []Link
	// Version names the register: the files' checksum, recorded with every
	// figure computed on it.
	Version string

	byCode map[string][]int // entries of a code, by From
	linkOf map[string][]int // crosswalk lines out of a code
}

// index builds the lookups once the units are read.
func (r *Register) index() {
	r.byCode = map[string][]int{}
	for i, u := range r.Units {
		r.byCode[u.Code] = append(r.byCode[u.Code], i)
	}
	for _, ix := range r.byCode {
		slices.SortFunc(ix, func(a, b int) int { return compareFrom(r.Units[a].From, r.Units[b].From) })
	}
	r.linkOf = map[string][]int{}
	for i, l := range r.Links {
		r.linkOf[l.From] = append(r.linkOf[l.From], i)
	}
}

// compareFrom orders start days, an open start first.
func compareFrom(a, b config.Date) int {
	switch {
	case a.IsZero() && b.IsZero():
		return 0
	case a.IsZero():
		return -1
	case b.IsZero():
		return 1
	}
	return a.Compare(b.Time)
}

// On returns the unit of code valid on day d.
func (r *Register) On(code string, d config.Date) (Unit, bool) {
	for _, i := range r.byCode[code] {
		if r.Units[i].ValidOn(d) {
			return r.Units[i], true
		}
	}
	return Unit{}, false
}

// History returns every entry of a code, oldest first.
func (r *Register) History(code string) []Unit {
	var us []Unit
	for _, i := range r.byCode[code] {
		us = append(us, r.Units[i])
	}
	return us
}

// Ancestors returns the parent, grandparent, … of the unit of code valid on d,
// nearest first.
func (r *Register) Ancestors(code string, d config.Date) []Unit {
	var out []Unit
	u, ok := r.On(code, d)
	for ok && u.Parent != "" && len(out) < 8 {
		u, ok = r.On(u.Parent, d)
		if ok {
			out = append(out, u)
		}
	}
	return out
}

// Find returns the units of a level whose name is s, valid on some day from a
// to b (zero: open), within the unit of code within (any level above; "" for
// anywhere). s may carry its kind ("P. Tân Quy Đông", "xã Tân Phú Đông"): a
// kind written narrows the candidates to that kind. The caller refuses a name
// with more than one candidate, naming them.
func (r *Register) Find(s string, level Level, a, b config.Date, within string) []Unit {
	want := config.FoldPlace(s)
	var kind string
	if k, ok := kindOf(s); ok {
		kind = k.Code
	}
	var out []Unit
	for _, u := range r.Units {
		if u.Level() != level || !u.Overlaps(a, b) {
			continue
		}
		if config.FoldPlace(u.ShortName()) != want && config.Fold(u.Name) != config.Fold(s) {
			continue
		}
		if kind != "" && u.Kind.Code != kind {
			continue
		}
		if within != "" && !r.inside(u, within) {
			continue
		}
		out = append(out, u)
	}
	return out
}

// kindOf reads the kind written before a name, if any.
func kindOf(s string) (Kind, bool) {
	f := config.Fold(s)
	for _, k := range kinds {
		for _, form := range append([]string{config.Fold(k.name)}, k.forms...) {
			if strings.HasPrefix(f, form+" ") {
				return Kind{Code: k.code, Name: k.name, Level: k.level}, true
			}
		}
	}
	if p, ok := strings.CutPrefix(f, "p "); ok && p != "" {
		return Kind{Code: "phuong", Name: "Phường", Level: Commune}, true
	}
	if p, ok := strings.CutPrefix(f, "x "); ok && p != "" {
		return Kind{Code: "xa", Name: "Xã", Level: Commune}, true
	}
	return Kind{}, false
}

// inside reports whether u lay within the unit of code on some day of its
// life: its first or last day, or the far past for a unit open at both ends.
func (r *Register) inside(u Unit, code string) bool {
	var days []config.Date
	for _, d := range []config.Date{u.From, u.To} {
		if !d.IsZero() {
			days = append(days, d)
		}
	}
	if len(days) == 0 {
		days = []config.Date{{}} // the zero day: valid for every entry open at its start
	}
	for _, d := range days {
		for _, a := range r.Ancestors(u.Code, d) {
			if a.Code == code {
				return true
			}
		}
	}
	return false
}

// Part is a share of an old unit as it lies on a later map.
type Part struct {
	Unit     Unit    // the unit valid on the later day
	Share    float64 // the share of the old unit it holds
	Estimate bool    // some link on the way is an estimate
}

// Follow returns where the unit of code valid on day d lies on day later: the
// units valid then, each with the share of the old unit it holds, following
// the crosswalk through every change in between. A unit that goes on with its
// code is itself, share 1.
func (r *Register) Follow(code string, d, later config.Date) []Part {
	u, ok := r.On(code, d)
	if !ok {
		return nil
	}
	parts := []Part{{Unit: u, Share: 1}}
	for range 16 { // a chain of changes is short; the bound guards a cycle
		var next []Part
		moved := false
		for _, p := range parts {
			if p.Unit.To.IsZero() || later.Time.Compare(p.Unit.To.Time) <= 0 {
				next = append(next, p)
				continue
			}
			on := config.Date{Time: p.Unit.To.AddDate(0, 0, 1)}
			links := r.linksFrom(p.Unit.Code, on)
			if len(links) == 0 {
				// The unit ended and nothing says where it went: it has no
				// place on the later map.
				continue
			}
			moved = true
			for _, l := range links {
				to, ok := r.On(l.To, on)
				if !ok {
					continue
				}
				next = append(next, Part{Unit: to, Share: p.Share * l.Share, Estimate: p.Estimate || l.Estimate})
			}
		}
		parts = merge(next)
		if !moved {
			break
		}
	}
	return parts
}

// linksFrom returns the links out of the unit of code that ended the day before on.
func (r *Register) linksFrom(code string, on config.Date) []Link {
	var out []Link
	for _, i := range r.linkOf[code] {
		if l := r.Links[i]; l.On.Equal(on.Time) {
			out = append(out, l)
		}
	}
	return out
}

// merge adds up the shares of parts that reached the same unit.
func merge(ps []Part) []Part {
	var out []Part
	for _, p := range ps {
		i := slices.IndexFunc(out, func(q Part) bool { return q.Unit.Code == p.Unit.Code && q.Unit.From.Equal(p.Unit.From.Time) })
		if i < 0 {
			out = append(out, p)
			continue
		}
		out[i].Share += p.Share
		out[i].Estimate = out[i].Estimate || p.Estimate
	}
	slices.SortFunc(out, func(a, b Part) int { return cmp.Compare(a.Unit.Code, b.Unit.Code) })
	return out
}

// Describe names a unit for a report: "xã Tân Quy Tây" while it is valid on
// day now, "xã Tân Quy Tây (cũ), nay thuộc phường Sa Đéc" once it has changed.
func (r *Register) Describe(code string, d, now config.Date) string {
	u, ok := r.On(code, d)
	if !ok {
		return code
	}
	name := lowerKind(u.Name)
	if u.ValidOn(now) {
		return name
	}
	var into []string
	for _, p := range r.Follow(code, d, now) {
		into = append(into, lowerKind(p.Unit.Name))
	}
	if len(into) == 0 {
		return name + " (cũ)"
	}
	return name + " (cũ), nay thuộc " + strings.Join(into, ", ")
}

// lowerKind writes the kind word in lower case, as running text does:
// "Xã Tân Quy Tây" → "xã Tân Quy Tây".
func lowerKind(name string) string {
	short := shortName(name)
	if short == name {
		return name
	}
	prefix := strings.TrimSpace(strings.TrimSuffix(name, short))
	return strings.ToLower(prefix) + " " + short
}
