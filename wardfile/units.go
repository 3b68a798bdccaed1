package wardfile

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hoctap/hoctap/config"
	"github.com/hoctap/hoctap/geo"
)

// A ward written in a file is a name, and names outlive the units they named:
// after 01/07/2025 "xã Tân Phú Đông" is commune 28696 of former Tiền Giang,
// while the Sa Đéc commune of that name (29923) is part of xã Tân Dương. With
// a register (Hint.Register), a ward read from a column or a sheet's name is
// checked against the units of the register valid in the period its rows are
// about (their days; the programme's when they have none): a name that fits
// another unit too is refused, naming every candidate — code, name, parent,
// days of validity — unless something decides: the ward's folder (every row
// is the folder's ward, whatever the name), or the unit's official code
// written instead of the name.

// unitUse is a ward as one table wrote it: its rows and the days they are about.
type unitUse struct {
	table    *Table
	column   int    // the ward's column; -1 for the sheet's name
	ward     string // the configured ward it was read as
	text     string // as written
	rows     []int
	count    int
	from, to time.Time
}

type useKey struct {
	table *Table
	ward  string
	text  string
}

// units gathers a file's wards as written, when there is a register.
type units struct {
	reg    *geo.Register
	uses   map[useKey]*unitUse
	order  []useKey
	dates  map[*Table][]int // per table, its date columns
	wardAt map[*Table]int   // per table, its ward column; -1 for none
}

func newUnits(hint Hint) *units {
	if hint.Register == nil || hint.Ward != "" { // no register, or the folder decides
		return nil
	}
	return &units{reg: hint.Register, uses: map[useKey]*unitUse{}, dates: map[*Table][]int{}, wardAt: map[*Table]int{}}
}

// note records row n of t: its ward as written and its days.
func (u *units) note(t *Table, n int, cells []string) {
	wi, ok := u.wardAt[t]
	if !ok {
		wi = -1
		for i, c := range t.Dataset.Columns {
			switch c.Type {
			case config.TypeWard:
				wi = i
			case config.TypeDate:
				u.dates[t] = append(u.dates[t], i)
			}
		}
		u.wardAt[t] = wi
	}
	if wi < 0 {
		return
	}
	ward, _ := t.values[wi].(string)
	if ward == "" {
		return
	}
	text, col := t.Sheet, -1
	if j := t.src[wi]; j >= 0 {
		if j >= len(cells) {
			return
		}
		text, col = clean(cells[j]), wi
	}
	k := useKey{t, ward, text}
	use := u.uses[k]
	if use == nil {
		use = &unitUse{table: t, column: col, ward: ward, text: text}
		u.uses[k] = use
		u.order = append(u.order, k)
	}
	use.count++
	if len(use.rows) < maxRowsListed {
		use.rows = append(use.rows, n)
	}
	for _, i := range u.dates[t] {
		if d, ok := t.values[i].(time.Time); ok {
			if use.from.IsZero() || d.Before(use.from) {
				use.from = d
			}
			if d.After(use.to) {
				use.to = d
			}
		}
	}
}

// resolve refuses every ward name that fits another unit of the register in
// the period its rows are about.
func (u *units) resolve(cfg *config.Config, ps *problems) {
	for _, k := range u.order {
		use := u.uses[k]
		w, ok := cfg.Ward(use.ward)
		if !ok || w.OfficialCode == "" || use.text == "" || config.Fold(use.text) == config.Fold(w.OfficialCode) {
			continue // a code decides
		}
		from, to := config.DateOf(use.from), config.DateOf(use.to)
		if use.from.IsZero() {
			from, to = cfg.Programme.Start, cfg.Programme.End
		}
		cands := u.reg.Find(use.text, geo.Commune, from, to, "")
		own := slices.IndexFunc(cands, func(c geo.Unit) bool { return c.Code == w.OfficialCode })
		if len(cands) == 0 || own >= 0 && len(cands) == 1 {
			continue // the ward's own unit, or a spelling only the configuration knows
		}
		u.refuse(ps, use, w, cands, own >= 0, from, to)
	}
}

func (u *units) refuse(ps *problems, use *unitUse, w config.Ward, cands []geo.Unit, ownFits bool, from, to config.Date) {
	var list, listEN []string
	for _, c := range cands {
		parent := ""
		if p, ok := u.reg.On(c.Parent, c.From); ok {
			parent = p.Name
		}
		list = append(list, fmt.Sprintf("%s %s (thuộc %s, hiệu lực %s)", c.Code, c.Name, parent, c.Period()))
		listEN = append(listEN, fmt.Sprintf("%s %s (in %s, valid %s)", c.Code, c.Name, parent, c.Period()))
	}
	period := from.Format("02/01/2006") + "–" + to.Format("02/01/2006")
	var where, whereEN, column string
	if use.column < 0 {
		where, whereEN = fmt.Sprintf("Tên trang \"%s\"", use.table.Sheet), fmt.Sprintf("The sheet's name %q", use.table.Sheet)
	} else {
		h := use.table.Dataset.Columns[use.column].Header
		where, whereEN, column = fmt.Sprintf("Cột \"%s\"", h), fmt.Sprintf("The column %q", h), use.table.labels[use.column]
	}
	var vi, en string
	if ownFits {
		vi = fmt.Sprintf("%s ghi \"%s\", nhưng trong thời gian số liệu (%s) tên này ứng với %d đơn vị hành chính: %s. Không rõ là đơn vị nào: nếu là %s %s của chương trình, hãy gửi tệp trong thư mục \"%s\" của đơn vị này, hoặc ghi mã đơn vị %s thay cho tên.",
			where, use.text, period, len(cands), strings.Join(list, "; "), w.Kind, w.Name, w.Code, w.OfficialCode)
		en = fmt.Sprintf("%s says %q, but in the period of the data (%s) that name fits %d administrative units: %s. Which one is unclear: if it is the programme's %s, send the file in its folder %q, or write the unit's code (%s) instead of its name.",
			whereEN, use.text, period, len(cands), strings.Join(listEN, "; "), w.Name, w.Code, w.OfficialCode)
	} else {
		vi = fmt.Sprintf("%s ghi \"%s\", nhưng trong thời gian số liệu (%s) tên này là của %s, không phải %s %s của chương trình (mã %s). Nếu là số liệu của %s %s (mã %s), hãy gửi tệp trong thư mục \"%s\" của đơn vị này, hoặc ghi mã đơn vị %s thay cho tên.",
			where, use.text, period, strings.Join(list, "; "), w.Kind, w.Name, w.OfficialCode, w.Kind, w.Name, w.OfficialCode, w.Code, w.OfficialCode)
		en = fmt.Sprintf("%s says %q, but in the period of the data (%s) that name is %s, not the programme's %s (code %s). If the data is of %s (code %s), send the file in its folder %q, or write the unit's code (%s) instead of its name.",
			whereEN, use.text, period, strings.Join(listEN, "; "), w.Name, w.OfficialCode, w.Name, w.OfficialCode, w.Code, w.OfficialCode)
	}
	ps.add(Problem{Severity: SevError, Sheet: use.table.Sheet, Row: use.rows[0], Rows: use.rows, RowCount: use.count, Column: column, Value: use.text,
		Code: "ambiguous_unit", VI: vi, EN: en})
}
