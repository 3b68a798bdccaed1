package exchange

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hoctap/hoctap/config"
	"github.com/hoctap/hoctap/geo"
)

// Nation is the area code of the national level: every province lies in it.
const Nation = geo.Nation

// Accepted is a package a receiver holds and has not superseded.
type Accepted struct {
	FileID      int64
	Area        string
	First, Last string // YYYY-MM
	CreatedAt   time.Time
}

// Admit decides whether a verified package m may join the packages a
// receiver of area own holds: its area must lie inside own (in the register,
// on the first and the last day of its months), and each of its units inside
// its area; it must not share a month with a package of an area inside or
// around its own; a package of the same area and months made earlier than
// one held is refused, and one made later supersedes the held ones it
// overlaps, as long as it covers all their months. It returns the file ids
// m supersedes.
func Admit(m *Manifest, own string, reg *geo.Register, accepted []Accepted) ([]int64, error) {
	first, err := config.ParseMonth(m.FirstMonth)
	if err != nil {
		return nil, refused("bad_manifest", "tháng %q không hợp lệ", "the month %q is not valid", m.FirstMonth)
	}
	last, err := config.ParseMonth(m.LastMonth)
	if err != nil {
		return nil, refused("bad_manifest", "tháng %q không hợp lệ", "the month %q is not valid", m.LastMonth)
	}
	days := []config.Date{first.FirstDay(), last.LastDay()}
	span := first.Label() + "–" + last.Label()
	area, ok := reg.On(m.Area, days[0])
	if !ok {
		return nil, refused("unknown_area", "mã %s không có trong danh mục đơn vị hành chính vào tháng %s", "the code %s is not in the register of administrative units in %s",
			m.Area, first.Label())
	}
	ownName := own
	if own == Nation {
		ownName = "toàn quốc"
	} else if u, ok := reg.On(own, days[0]); ok {
		ownName = u.Name + " (" + own + ")"
	}
	for _, d := range days {
		if !within(reg, m.Area, own, d) {
			return nil, refused("outside_area", "%s (%s) không thuộc %s ngày %s: nơi này chỉ nhận gói của các đơn vị trực thuộc",
				"%s (%s) does not lie within %s on %s: this level takes packages of the areas inside it only",
				area.Name, m.Area, ownName, d.Format("02/01/2006"))
		}
	}
	for _, u := range m.Units {
		if !within(reg, u, m.Area, days[0]) && !within(reg, u, m.Area, days[1]) && u != m.Area {
			return nil, refused("outside_area", "gói của %s (%s) có số liệu của đơn vị %s, không thuộc %s", "the package of %s (%s) holds figures of unit %s, which does not lie within %s",
				area.Name, m.Area, u, area.Name)
		}
	}
	var supersedes []int64
	for _, a := range accepted {
		if !m.Overlaps(a.First, a.Last) {
			continue
		}
		theirs := monthLabel(a.First) + "–" + monthLabel(a.Last)
		if a.Area != m.Area {
			if nested(reg, a.Area, m.Area, days) {
				return nil, refused("overlap", "gói của %s trùng các tháng %s với gói đã nhận của đơn vị %s (%s): số liệu sẽ bị tính hai lần",
					"the package of %s overlaps months %s with the package already taken for area %s (%s): its figures would be counted twice",
					area.Name, span, a.Area, theirs)
			}
			continue
		}
		if !m.CreatedAt.After(a.CreatedAt) {
			return nil, refused("older_package", "đã nhận một gói của %s cho các tháng %s lập lúc %s; gói này lập lúc %s, cũ hơn (hoặc cùng lúc), nên không thay được gói đã nhận",
				"a package of %s for %s made at %s is already taken; this one was made at %s, earlier (or at the same time), so it does not replace it",
				area.Name, theirs, a.CreatedAt.UTC().Format(time.RFC3339), m.CreatedAt.UTC().Format(time.RFC3339))
		}
		if !m.Covers(a.First, a.Last) {
			return nil, refused("partial_overlap", "gói mới của %s (%s) chỉ phủ một phần các tháng của gói đã nhận (%s): hãy gửi gói phủ đủ các tháng %s",
				"the new package of %s (%s) covers only part of the months of the package already taken (%s): send one covering all of %s",
				area.Name, span, theirs, theirs)
		}
		supersedes = append(supersedes, a.FileID)
	}
	return supersedes, nil
}

// within reports whether unit code lies within area on day d (the nation
// holds every unit).
func within(reg *geo.Register, code, area string, d config.Date) bool {
	if _, ok := reg.On(code, d); !ok {
		return false
	}
	if area == Nation {
		return true
	}
	return slices.ContainsFunc(reg.Ancestors(code, d), func(u geo.Unit) bool { return u.Code == area })
}

// nested reports whether one of two areas lies within the other on one of days.
func nested(reg *geo.Register, a, b string, days []config.Date) bool {
	for _, d := range days {
		if within(reg, a, b, d) || within(reg, b, a, d) {
			return true
		}
	}
	return false
}

func monthLabel(s string) string {
	m, err := config.ParseMonth(s)
	if err != nil {
		return s
	}
	return m.Label()
}

// TrustedFrom reads the configuration's trusted keys.
func TrustedFrom(cfg *config.Config) ([]Trusted, error) {
	var out []Trusted
	for i, t := range cfg.Exchange.Trusted {
		k, err := decodeKey(t.PublicKey)
		if err != nil {
			return nil, fmt.Errorf("exchange.trusted[%d]: %w", i, err)
		}
		name := t.Name
		if name == "" {
			name = "khóa của đơn vị " + t.Area
		}
		out = append(out, Trusted{Area: strings.TrimSpace(t.Area), Name: name, Key: k})
	}
	return out, nil
}
