package geo

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/hoctap/hoctap/config"
)

// Check finds what is wrong in a register that reads well line by line: a
// code's history with a gap or an overlap, a parent that is not valid for
// the whole life of its child, a crosswalk line naming a unit that did not
// exist on its day, shares of a unit that do not add up to 1, a commune that
// ended with no line saying where it went.
func (r *Register) Check(unitsPath, linksPath string) []Problem {
	r.resolveLevels()
	c := &checker{r: r, units: unitsPath, links: linksPath}
	c.histories()
	c.parents()
	shares := c.crosswalk()
	c.endings(shares)
	return c.ps
}

// checker gathers the problems of one register, by file and line.
type checker struct {
	r            *Register
	units, links string // the files' paths, for the problems
	ps           []Problem
}

func (c *checker) bad(file string, line int, vi, en string, args ...any) {
	c.ps = append(c.ps, Problem{File: file, Line: line, VI: fmt.Sprintf(vi, args...), EN: fmt.Sprintf(en, args...)})
}

// histories checks that a code's entries follow one another with neither gap
// nor overlap.
func (c *checker) histories() {
	r := c.r
	codes := make([]string, 0, len(r.byCode))
	for code := range r.byCode {
		codes = append(codes, code)
	}
	slices.Sort(codes)
	for _, code := range codes {
		h := r.History(code)
		for i := 1; i < len(h); i++ {
			prev, cur := h[i-1], h[i]
			switch {
			case prev.To.IsZero() || !cur.From.IsZero() && !cur.From.After(prev.To.Time) || cur.From.IsZero():
				c.bad(c.units, cur.Line, "mã %s có hai đơn vị cùng hiệu lực (%s dòng %d, %s) — mỗi ngày một mã chỉ chỉ một đơn vị",
					"code %s has two units valid at once (%s on line %d, %s) — a code names one unit on any day",
					code, prev.Period(), prev.Line, cur.Period())
			case !cur.From.Equal(prev.To.AddDate(0, 0, 1)):
				c.bad(c.units, cur.Line, "lịch sử mã %s bị hở: dòng %d hết hiệu lực %s nhưng dòng này bắt đầu %s",
					"code %s has a gap in its history: line %d ends on %s but this line starts on %s",
					code, prev.Line, prev.To.Format("02/01/2006"), cur.From.Format("02/01/2006"))
			}
		}
	}
}

// parents checks that each unit but a province has a parent of a higher
// level, valid on every day of its life.
func (c *checker) parents() {
	r := c.r
	for _, u := range r.Units {
		switch {
		case u.Level() == Province && u.Parent != "":
			c.bad(c.units, u.Line, "%s là cấp tỉnh nên không có mã cấp trên (đang ghi %s)", "%s is a province and has no parent (%s is given)", u.Name, u.Parent)
			continue
		case u.Level() != Province && u.Parent == "":
			c.bad(c.units, u.Line, "%s thiếu mã cấp trên", "%s has no parent code", u.Name)
			continue
		case u.Parent == "":
			continue
		}
		if len(r.byCode[u.Parent]) == 0 {
			c.bad(c.units, u.Line, "mã cấp trên %s của %s không có trong danh mục", "parent code %s of %s is not in the register", u.Parent, u.Name)
			continue
		}
		first, okFirst := r.On(u.Parent, u.From)
		last, okLast := r.On(u.Parent, u.To)
		if u.To.IsZero() {
			h := r.History(u.Parent)
			last, okLast = h[len(h)-1], h[len(h)-1].To.IsZero()
		}
		if !okFirst || !okLast {
			c.bad(c.units, u.Line, "cấp trên %s không có hiệu lực suốt thời gian của %s (%s)",
				"parent %s is not valid for the whole life of %s (%s)", u.Parent, u.Name, u.Period())
			continue
		}
		for _, p := range []Unit{first, last} {
			if p.Level() >= u.Level() {
				c.bad(c.units, u.Line, "cấp trên của %s là %s, không phải cấp cao hơn", "the parent of %s is %s, not a higher level", u.Name, p.Name)
				break
			}
		}
	}
}

// shareKey is a unit's code and the day its crosswalk lines take effect.
type shareKey struct {
	code string
	on   config.Date
}

// crosswalk checks that the crosswalk's lines name units valid on their day,
// of one level, and that each unit's shares add up to 1; it returns the
// shares' sums.
func (c *checker) crosswalk() map[shareKey]float64 {
	r := c.r
	sums := map[shareKey]float64{}
	lines := map[shareKey]int{}
	for _, l := range r.Links {
		before := config.Date{Time: l.On.AddDate(0, 0, -1)}
		from, okFrom := r.On(l.From, before)
		to, okTo := r.On(l.To, l.On)
		if !okFrom {
			c.bad(c.links, l.Line, "mã cũ %s không có đơn vị nào còn hiệu lực ngày %s", "old code %s names no unit valid on %s", l.From, before.Format("02/01/2006"))
		}
		if !okTo {
			c.bad(c.links, l.Line, "mã mới %s không có đơn vị nào có hiệu lực ngày %s", "new code %s names no unit valid on %s", l.To, l.On.Format("02/01/2006"))
		}
		if okFrom && l.fromName != "" && !sameName(from, l.fromName) {
			c.bad(c.links, l.Line, "tên cũ %q không khớp mã %s (%s)", "old name %q does not match code %s (%s)", l.fromName, l.From, from.Name)
		}
		if okTo && l.toName != "" && !sameName(to, l.toName) {
			c.bad(c.links, l.Line, "tên mới %q không khớp mã %s (%s)", "new name %q does not match code %s (%s)", l.toName, l.To, to.Name)
		}
		if okFrom && okTo && from.Level() != to.Level() {
			c.bad(c.links, l.Line, "%s (%s) và %s (%s) không cùng cấp", "%s (%s) and %s (%s) are not of the same level", from.Name, from.Level(), to.Name, to.Level())
		}
		k := shareKey{l.From, l.On}
		sums[k] += l.Share
		if _, ok := lines[k]; !ok {
			lines[k] = l.Line
		}
	}
	keys := make([]shareKey, 0, len(sums))
	for k := range sums {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b shareKey) int { return lines[a] - lines[b] })
	for _, k := range keys {
		if math.Abs(sums[k]-1) > 1e-6 {
			c.bad(c.links, lines[k], "các tỷ lệ của mã %s ngày %s cộng lại %s, phải bằng 1", "the shares of code %s on %s add up to %s, not 1",
				k.code, k.on.Format("02/01/2006"), strings.TrimRight(strings.TrimRight(fmt.Sprintf("%.6f", sums[k]), "0"), "."))
		}
	}
	return sums
}

// endings checks that a commune that ended says where it went: a crosswalk
// line from it on the day after its last.
func (c *checker) endings(shares map[shareKey]float64) {
	for _, u := range c.r.Units {
		if u.Level() != Commune || u.To.IsZero() {
			continue
		}
		on := config.Date{Time: u.To.AddDate(0, 0, 1)}
		if _, ok := shares[shareKey{u.Code, on}]; !ok {
			c.bad(c.units, u.Line, "%s (mã %s) hết hiệu lực ngày %s nhưng bảng chuyển đổi không có dòng nào cho biết nay thuộc đơn vị nào",
				"%s (code %s) ended on %s but no crosswalk line says which unit it became part of",
				u.Name, u.Code, u.To.Format("02/01/2006"))
		}
	}
}

// sameName reports whether a name written in the crosswalk is the unit's.
func sameName(u Unit, s string) bool {
	if config.Fold(s) == config.Fold(u.Name) {
		return true
	}
	k, ok := kindOf(s)
	return config.Fold(shortName(s)) == config.Fold(u.ShortName()) && (!ok || k.Code == u.Kind.Code)
}

// resolveLevels gives "thành phố" its level from its parent: a city under a
// province is a district, one with no parent a province.
func (r *Register) resolveLevels() {
	for i := range r.Units {
		if r.Units[i].Kind.Level == 0 {
			if r.Units[i].Parent == "" {
				r.Units[i].Kind.Level = Province
			} else {
				r.Units[i].Kind.Level = District
			}
		}
	}
}
