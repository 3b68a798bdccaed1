package wardfile

import (
	"fmt"
	"strings"
)

// Severity of a problem: an error refuses the file, a warning does not.
const (
	SevError   = "error"
	SevWarning = "warning"
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
	dropped int
}

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
	if ps.full() {
		ps.count(p.Severity)
		return
	}
	if p.Severity == SevError {
		ps.errors++
	}
	if p.File == "" {
		p.File = ps.file
	}
	ps.list = append(ps.list, p)
}

// fileError adds an error about the whole file.
func (ps *problems) fileError(code, vi, en string, args ...any) {
	ps.add(Problem{Severity: SevError, Code: code, VI: fmt.Sprintf(vi, args...), EN: fmt.Sprintf(en, args...)})
}

// list joins names for a message: "A, B, C".
func list(names []string) string { return strings.Join(names, ", ") }

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
