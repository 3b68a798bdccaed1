package wardfile

import (
	"fmt"
	"slices"
	"strings"
)

// Severity of a problem: an error refuses the file, a warning does not; a
// note says how a value was read (a category written otherwise than its name,
// a value taken from the title rows or the file name).
const (
	SevError   = "error"
	SevWarning = "warning"
	SevNote    = "note"
)

// Problem is one thing wrong (or worth saying) in a file: where it is, the
// value found, and what was expected, in Vietnamese and English. VI and EN are
// whole sentences about the value; the place is in File, Sheet, Row and Column,
// and String (or a receipt) puts the two together.
//
// Codes are stable; reading a file gives:
//
//	file:   empty_file, too_large, not_a_spreadsheet, bad_json, unreadable, no_header, no_rows
//	sheet:  sheet_skipped, hidden_sheet_skipped (warnings); dataset_mismatch, missing_column,
//	        duplicate_header (errors); unknown_header (warning); late_key (a JSON key first
//	        seen after the header was made: an error when it is a column of the dataset)
//	row:    totals_row_skipped, blank_row_skipped, footer_skipped, numbering_row_skipped (warnings)
//	cell:   missing_required, bad_number, out_of_range, bad_step, bad_date, bad_gender,
//	        unknown_ward, wrong_ward, unknown_group, unknown_round, encoding (errors)
//
// The loader adds its own (duplicate_row, unregistered, …).
type Problem struct {
	Severity string
	File     string // the file's name
	Sheet    string // "" for CSV and JSON
	Row      int    // 1-based row of the sheet, line of a CSV, record of a JSON file; 0 for the whole file or sheet
	// Rows, when set, are all the rows the problem is in (Row is the first),
	// up to a thousand; RowCount is how many there are.
	Rows     []int
	RowCount int
	Column   string // the header as written, with its column letter: `"Chỉ số 3" (D)`
	Value    string // the cell as written
	Code     string
	VI, EN   string
}

// Where says where a problem is, in the reader's language.
func (p Problem) Where(vi bool) string {
	var parts []string
	if p.Sheet != "" {
		if vi {
			parts = append(parts, fmt.Sprintf("trang %q", p.Sheet))
		} else {
			parts = append(parts, fmt.Sprintf("sheet %q", p.Sheet))
		}
	}
	if p.Row > 0 {
		if vi {
			parts = append(parts, fmt.Sprintf("dòng %d", p.Row))
		} else {
			parts = append(parts, fmt.Sprintf("row %d", p.Row))
		}
	}
	if p.Column != "" {
		if vi {
			parts = append(parts, "cột "+p.Column)
		} else {
			parts = append(parts, "column "+p.Column)
		}
	}
	return strings.Join(parts, ", ")
}

// String is the problem in both languages on one line, with its place.
func (p Problem) String() string {
	w := p.Where(true)
	if w != "" {
		w += ": "
	}
	we := p.Where(false)
	if we != "" {
		we += ": "
	}
	return fmt.Sprintf("%s%s / %s%s", w, p.VI, we, p.EN)
}

// maxProblems bounds the problems kept for one file; the rest are counted.
const maxProblems = 10000

// problems collects a file's problems.
type problems struct {
	file    string
	list    []Problem
	errors  int
	notes   int
	dropped int
	// at finds a kept problem like a new one but for its row: it gains the row.
	at map[problemKey]int
}

type problemKey struct{ sev, sheet, column, code, vi, en string }

// full reports that a further problem would only be counted: callers then skip
// writing its message.
func (ps *problems) full() bool { return len(ps.list) >= maxProblems }

// count records a problem that is not kept.
func (ps *problems) count(severity string) {
	if severity == SevError {
		ps.errors++
	}
	ps.dropped++
}

func (ps *problems) add(p Problem) {
	// A problem is text for a receipt and a row of ingest_problems: valid
	// UTF-8 whatever bytes the file held, each invalid byte shown as �.
	for _, s := range []*string{&p.Sheet, &p.Column, &p.Value, &p.VI, &p.EN} {
		*s = strings.ToValidUTF8(*s, "\uFFFD")
	}
	k := problemKey{p.Severity, p.Sheet, p.Column, p.Code, p.VI, p.EN}
	if i, ok := ps.at[k]; ok && p.Row > 0 {
		q := &ps.list[i]
		if len(q.Rows) < maxRowsListed {
			q.Rows = append(q.Rows, p.Row)
		}
		q.RowCount++
		return
	}
	if ps.full() {
		ps.count(p.Severity)
		return
	}
	switch p.Severity {
	case SevError:
		ps.errors++
	case SevNote:
		ps.notes++
	}
	if p.File == "" {
		p.File = ps.file
	}
	if p.Row > 0 && len(p.Rows) == 0 {
		if ps.at == nil {
			ps.at = map[problemKey]int{}
		}
		ps.at[k] = len(ps.list)
		p.Rows, p.RowCount = []int{p.Row}, 1
	}
	ps.list = append(ps.list, p)
}

// fileError adds an error about the whole file.
func (ps *problems) fileError(code, vi, en string, args ...any) {
	ps.add(Problem{Severity: SevError, Code: code, VI: fmt.Sprintf(vi, args...), EN: fmt.Sprintf(en, args...)})
}

// quoted joins names in quotes: `"A", "B"`.
func quoted(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = "\"" + n + "\""
	}
	return strings.Join(q, ", ")
}

// rowList names up to ten row numbers: "5, 8, 9, …".
func rowList(rows []int) string {
	var b strings.Builder
	for i, r := range rows {
		if i == 10 {
			b.WriteString(", …")
			break
		}
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprint(&b, r)
	}
	return b.String()
}

// Group says each problem once: problems alike but for their row (the same
// sheet, column, code and message) become one, with the rows they are in.
func (r *Result) Group() {
	at := map[problemKey]int{}
	out := r.Problems[:0]
	for _, p := range r.Problems {
		k := problemKey{p.Severity, p.Sheet, p.Column, p.Code, p.VI, p.EN}
		i, seen := at[k]
		if !seen || p.Row == 0 {
			if len(p.Rows) == 0 && p.Row > 0 {
				p.Rows, p.RowCount = []int{p.Row}, 1
			}
			at[k] = len(out)
			out = append(out, p)
			continue
		}
		q := &out[i]
		switch p.Severity {
		case SevError:
			r.errors--
		case SevNote:
			r.notes--
		}
		rows := p.Rows
		if len(rows) == 0 {
			rows = []int{p.Row}
		}
		for _, n := range rows {
			if len(q.Rows) < maxRowsListed {
				q.Rows = append(q.Rows, n)
			}
		}
		q.RowCount += max(p.RowCount, len(rows))
	}
	for i := range out {
		if len(out[i].Rows) == 1 {
			out[i].Rows, out[i].RowCount = nil, 0
		}
	}
	r.Problems = out
}

// RowRanges writes rows as ranges: "6–17, 20, 25–26"; more than listed are
// counted: "…, và 40 dòng khác" is the caller's to say.
func RowRanges(rows []int) string {
	s := slices.Clone(rows)
	slices.Sort(s)
	s = slices.Compact(s)
	var b strings.Builder
	for i := 0; i < len(s); {
		j := i
		for j+1 < len(s) && s[j+1] == s[j]+1 {
			j++
		}
		if b.Len() > 0 {
			b.WriteString(", ")
		}
		if j > i {
			fmt.Fprintf(&b, "%d–%d", s[i], s[j])
		} else {
			fmt.Fprintf(&b, "%d", s[i])
		}
		i = j + 1
	}
	return b.String()
}

// Sort orders the problems as a reader meets them: sheet by sheet (in the
// file's order), the whole file's and the header's first, then by row.
func (r *Result) Sort() {
	rank := map[string]int{}
	for _, p := range r.Problems {
		if _, ok := rank[p.Sheet]; !ok {
			rank[p.Sheet] = len(rank)
		}
	}
	slices.SortStableFunc(r.Problems, func(a, b Problem) int {
		if d := rank[a.Sheet] - rank[b.Sheet]; d != 0 {
			return d
		}
		return a.Row - b.Row
	})
}
