package wardfile

import (
	"fmt"
	"strings"
	"time"

	"github.com/hoctap/hoctap/config"
)

// A value that a table's columns lack may be stated by the file around them,
// and is then read from there, with a note saying so:
//
//   - the ward: by the ward's folder the file is in (Hint.Ward), or by the
//     sheet's name ("Tân Phú Đông", one sheet per ward in a city's file);
//   - the survey round: by the title rows ("BẢNG ĐIỂM … GIỮA KỲ") or the
//     file's name ("… cuoi ky T6-2021.xls") — refused when they disagree;
//   - the assessment's day: by a form tool's submission time ("Dấu thời gian"),
//     its day in the city's time.

// context fills the columns of t that its header lacks from the file around it.
func (rd *reader) context(t *Table, d config.Dataset) {
	t.fixed = make([]any, len(d.Columns))
	for i, c := range d.Columns {
		if t.src[i] >= 0 {
			continue
		}
		switch c.Type {
		case config.TypeWard:
			rd.wardFromContext(t, i, c)
		case config.TypeRound:
			rd.roundFromContext(t, i, c)
		case config.TypeDate:
			if c.Key == "assessed_on" {
				if j := d.Index("submitted_at"); j >= 0 && t.src[j] >= 0 {
					t.derived[i] = j
					rd.ps.add(Problem{Severity: SevNote, Sheet: t.Sheet, Row: t.HeaderRow, Column: t.labels[j], Code: "value_from_context",
						VI: fmt.Sprintf("Tệp không có cột \"%s\": ngày đánh giá của mỗi dòng là ngày ghi ở cột %s (giờ %s).", c.Header, t.labels[j], rd.cfg.City.TimeZone),
						EN: fmt.Sprintf("The file has no column %q: each row's assessment day is the day in column %s (%s time).", c.Header, t.labels[j], rd.cfg.City.TimeZone)})
				}
			}
		}
	}
}

func (rd *reader) wardFromContext(t *Table, i int, c config.Column) {
	l := rd.parse.cats[config.TypeWard]
	if w := rd.parse.hintWard; w != "" {
		ward, _ := rd.cfg.Ward(w)
		t.fixed[i] = w
		rd.ps.add(Problem{Severity: SevNote, Sheet: t.Sheet, Row: t.HeaderRow, Code: "value_from_context",
			VI: fmt.Sprintf("Tệp không có cột \"%s\": mọi dòng là của %s %s, theo thư mục chứa tệp.", c.Header, ward.Kind, ward.Name),
			EN: fmt.Sprintf("The file has no column %q: every row is of %s, by the folder the file is in.", c.Header, ward.Name)})
		return
	}
	if t.Sheet == "" {
		return
	}
	if e, _, _ := l.match(t.Sheet); e >= 0 {
		t.fixed[i] = l.entries[e].value
		rd.ps.add(Problem{Severity: SevNote, Sheet: t.Sheet, Row: t.HeaderRow, Code: "value_from_context",
			VI: fmt.Sprintf("Trang không có cột \"%s\": mọi dòng của trang \"%s\" là của %s, theo tên trang.", c.Header, t.Sheet, l.entries[e].label),
			EN: fmt.Sprintf("The sheet has no column %q: every row of the sheet %q is of %s, by the sheet's name.", c.Header, t.Sheet, l.entries[e].labelEN)})
	}
}

func (rd *reader) roundFromContext(t *Table, i int, c config.Column) {
	l := rd.parse.cats[config.TypeRound]
	type found struct {
		entry int
		where string // the title row or the file name
		en    string
	}
	var fromTitle, fromName []found
	for _, title := range t.Titles {
		for _, e := range l.mentioned(title) {
			fromTitle = append(fromTitle, found{e, fmt.Sprintf("dòng tiêu đề \"%s\"", title), fmt.Sprintf("the title row %q", title)})
		}
	}
	for _, e := range l.mentioned(strings.TrimSuffix(rd.fileName, fileExt(rd.fileName))) {
		fromName = append(fromName, found{e, fmt.Sprintf("tên tệp \"%s\"", rd.fileName), fmt.Sprintf("the file name %q", rd.fileName)})
	}
	all := append(fromTitle, fromName...)
	if len(all) == 0 {
		return
	}
	for _, f := range all[1:] {
		if f.entry != all[0].entry {
			rd.ps.add(Problem{Severity: SevError, Sheet: t.Sheet, Row: t.HeaderRow, Column: "\"" + c.Header + "\"", Code: "round_conflict",
				VI: fmt.Sprintf("Tệp không có cột \"%s\", và không rõ là đợt nào: %s ghi %s, nhưng %s ghi %s. Hãy thêm cột \"%s\" ghi đợt của mỗi dòng.", c.Header, all[0].where, l.entries[all[0].entry].label, f.where, l.entries[f.entry].label, c.Header),
				EN: fmt.Sprintf("The file has no column %q and its round is unclear: %s says %s, but %s says %s; add the column %q with each row's round.", c.Header, all[0].en, l.entries[all[0].entry].labelEN, f.en, l.entries[f.entry].labelEN, c.Header)})
			t.fixed[i] = nil
			return
		}
	}
	e := l.entries[all[0].entry]
	t.fixed[i] = e.value
	var where, whereEN []string
	for _, f := range all {
		where, whereEN = append(where, f.where), append(whereEN, f.en)
	}
	rd.ps.add(Problem{Severity: SevNote, Sheet: t.Sheet, Row: t.HeaderRow, Code: "value_from_context",
		VI: fmt.Sprintf("Tệp không có cột \"%s\": mọi dòng là đợt %s, theo %s.", c.Header, e.label, strings.Join(where, " và ")),
		EN: fmt.Sprintf("The file has no column %q: every row is of the round %s, by %s.", c.Header, e.labelEN, strings.Join(whereEN, " and "))})
}

// mentioned lists the entries whose name or alias appears in s as whole words.
func (l *catList) mentioned(s string) []int {
	words := strings.Fields(l.fold(s))
	var out []int
	for i, e := range l.entries {
		for _, f := range e.forms {
			if len(f) >= 2 && containsWords(words, f) {
				out = append(out, i)
				break
			}
		}
	}
	return out
}

func fileExt(name string) string {
	if i := strings.LastIndexByte(name, '.'); i > 0 {
		return name[i:]
	}
	return ""
}

// dayOf is a timestamp's day in loc, as a date value.
func dayOf(t time.Time, loc *time.Location) time.Time {
	t = t.In(loc)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}
