// Package ingest owns what ward offices send: it reads their files (XLSX, CSV in
// any of the encodings Excel and web forms produce, JSON), finds the table under
// the title rows, understands loosely written headers and values, checks every
// row, and loads a file whole — in one transaction, with each row's lineage — or
// not at all. A refused file goes to quarantine with a receipt that lists every
// problem, in Vietnamese and English, by sheet, row, column and value.
//
// It must not compute scores, statuses or goals: those are SQL models that
// transform runs on what ingest loaded. It never reads the clock: the time of a
// run is passed in.
package ingest

import (
	"fmt"
	"strings"
)

// Severity of a problem: an error refuses the file, a warning does not.
const (
	SevError   = "error"
	SevWarning = "warning"
)

// Problem is one thing wrong (or worth saying) in a file, where it is, and what
// was expected, in Vietnamese and English.
type Problem struct {
	Severity string
	Sheet    string
	Row      int    // 1-based row of the sheet or line of the file; 0 for the whole file
	Column   string // the header as written, with its column letter for spreadsheets
	Value    string
	Code     string // stable: bad_date, out_of_range, unknown_ward, …
	VI, EN   string
}

// where says where a problem is, in the reader's language.
func (p Problem) where(vi bool) string {
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

// String is the problem in both languages on one line.
func (p Problem) String() string {
	w := p.where(true)
	if w != "" {
		w += ": "
	}
	we := p.where(false)
	if we != "" {
		we += ": "
	}
	return fmt.Sprintf("%s%s / %s%s", w, p.VI, we, p.EN)
}

// maxProblems bounds the problems kept for one file; the rest are counted.
const maxProblems = 10000

// problems collects a file's problems.
type problems struct {
	list    []Problem
	errors  int
	dropped int
}

func (ps *problems) add(p Problem) {
	if p.Severity == SevError {
		ps.errors++
	}
	if len(ps.list) >= maxProblems {
		ps.dropped++
		return
	}
	ps.list = append(ps.list, p)
}

func (ps *problems) errorf(code, vi, en string, args ...any) {
	ps.add(Problem{Severity: SevError, Code: code, VI: fmt.Sprintf(vi, args...), EN: fmt.Sprintf(en, args...)})
}
