package config

import (
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// NFC returns s in Unicode normal form C, the form every name is compared and
// stored in (files from Windows-1258 or macOS arrive decomposed).
func NFC(s string) string { return norm.NFC.String(s) }

var stripMarks = transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)

// Fold reduces a name to the form used to match it loosely: no diacritics, đ as d,
// lower case, punctuation as spaces, single spaces. "P. Tân Qui Đông " and
// "p tan qui dong" fold alike.
func Fold(s string) string {
	t, _, err := transform.String(stripMarks, s)
	if err != nil {
		t = s
	}
	var b strings.Builder
	space := true
	for _, r := range t {
		switch {
		case r == 'đ' || r == 'Đ':
			r = 'd'
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			r = unicode.ToLower(r)
		default:
			if !space {
				b.WriteByte(' ')
				space = true
			}
			continue
		}
		b.WriteRune(r)
		space = false
	}
	return strings.TrimSpace(b.String())
}

// placePrefixes are the kinds written before a place name, folded.
var placePrefixes = []string{"thi tran ", "phuong ", "xa ", "tt ", "p ", "x "}

// FoldPlace folds a ward or commune name and drops a leading kind ("phường",
// "xã", "P.", …), so that "P. Tân Quy Đông" and "TAN QUY DONG" match.
func FoldPlace(s string) string {
	f := Fold(s)
	for _, p := range placePrefixes {
		if rest, ok := strings.CutPrefix(f, p); ok && rest != "" {
			return rest
		}
	}
	return f
}

// indexes are built once a configuration is valid.
type indexes struct {
	wards  map[string]int
	groups map[string]int
	rounds map[string]int
	units  map[string]int
}

func (c *Config) buildIndexes() {
	ix := &indexes{wards: map[string]int{}, groups: map[string]int{}, rounds: map[string]int{}, units: map[string]int{}}
	for i, w := range c.Wards {
		for _, n := range append([]string{w.Code, w.OfficialCode, w.Name, w.NameEN}, w.Variants...) {
			if n != "" {
				ix.wards[FoldPlace(n)] = i
			}
		}
	}
	for i, g := range c.Groups {
		for _, n := range append([]string{strconv.Itoa(g.ID), g.Code, g.Name, g.NameEN}, g.Aliases...) {
			if n != "" {
				ix.groups[Fold(n)] = i
			}
		}
	}
	for i, r := range c.Rounds {
		for _, n := range append([]string{r.Code, r.Name, r.NameEN}, r.Aliases...) {
			if n != "" {
				ix.rounds[Fold(n)] = i
			}
		}
	}
	for i, u := range c.Units {
		ix.units[Fold(u.Code)] = i
	}
	c.ix = ix
}

func (c *Config) index() *indexes {
	if c.ix == nil {
		c.buildIndexes()
	}
	return c.ix
}

// WardByName finds the ward a name written in a file means: its code, its
// official code in the register, official name, English name or a configured
// variant, matched loosely. It never guesses: an unknown name is not found.
func (c *Config) WardByName(s string) (Ward, bool) {
	i, ok := c.index().wards[FoldPlace(s)]
	if !ok {
		return Ward{}, false
	}
	return c.Wards[i], true
}

// Ward finds a ward by its code.
func (c *Config) Ward(code string) (Ward, bool) {
	for _, w := range c.Wards {
		if w.Code == code {
			return w, true
		}
	}
	return Ward{}, false
}

// GroupByName finds a target group by number ("1"), code, name or alias.
func (c *Config) GroupByName(s string) (TargetGroup, bool) {
	i, ok := c.index().groups[Fold(s)]
	if !ok {
		return TargetGroup{}, false
	}
	return c.Groups[i], true
}

// RoundByName finds a survey round by code, name or alias.
func (c *Config) RoundByName(s string) (Round, bool) {
	i, ok := c.index().rounds[Fold(s)]
	if !ok {
		return Round{}, false
	}
	return c.Rounds[i], true
}

// Unit finds a unit by its code (case and spacing ignored).
func (c *Config) Unit(code string) (Unit, bool) {
	i, ok := c.index().units[Fold(code)]
	if !ok {
		return Unit{}, false
	}
	return c.Units[i], true
}

// CategoryByName finds the category a name means exactly: its code, name or an
// alias, matched loosely (case, diacritics, punctuation). Files are read with
// more (abbreviations, parts of names): see package wardfile.
func CategoryByName(cs []Category, s string) (Category, bool) {
	f := Fold(s)
	for _, k := range cs {
		for _, n := range append([]string{k.Code, k.Name}, k.Aliases...) {
			if Fold(n) == f && f != "" {
				return k, true
			}
		}
	}
	return Category{}, false
}

// TitleByName finds the title a decision confers: TitleCitizen for the
// citizen framework's name ("Công dân học tập", or its English name), its
// initials ("CDHT") or the word "cá nhân"; TitleUnit likewise for the unit
// scheme's name ("Đơn vị học tập", "ĐVHT", "đơn vị"). A leading "danh hiệu"
// is ignored. Anything else — "Gia đình học tập", a typo — is not found.
func (c *Config) TitleByName(s string) (string, bool) {
	f := Fold(s)
	if rest, ok := strings.CutPrefix(f, "danh hieu "); ok {
		f = rest
	}
	for _, t := range []struct {
		title  string
		names  []string
		others []string
	}{
		{TitleCitizen, []string{c.Citizen.Name, c.Citizen.NameEN}, []string{"ca nhan", "citizen"}},
		{TitleUnit, []string{c.UnitScheme.Name}, []string{"don vi", "unit", "learning unit"}},
	} {
		for _, n := range t.names {
			if n != "" && (f == Fold(n) || f == initials(Fold(n))) {
				return t.title, true
			}
		}
		for _, n := range t.others {
			if f == n {
				return t.title, true
			}
		}
	}
	return "", false
}

// initials are the first letters of a folded name's words: "cong dan hoc tap" → "cdht".
func initials(folded string) string {
	var b strings.Builder
	for _, w := range strings.Fields(folded) {
		b.WriteByte(w[0])
	}
	return b.String()
}
