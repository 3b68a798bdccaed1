package ingest

import (
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/hoctap/hoctap/config"
)

// headerScan is how many rows from the top of a sheet may hold title rows
// before the header.
const headerScan = 30

// extras are columns ward files carry that no dataset needs: ignored silently.
var extras = map[string]bool{"stt": true, "tt": true, "so tt": true, "so thu tu": true, "ghi chu": true, "tong diem": true, "tong": true}

// vocabulary maps a folded header to the dataset columns it can mean.
type vocabulary map[string][]colRef

type colRef struct {
	dataset string
	key     string
}

func newVocabulary(cfg *config.Config) vocabulary {
	v := vocabulary{}
	add := func(name string, ref colRef) {
		f := config.Fold(name)
		if f == "" {
			return
		}
		for _, r := range v[f] {
			if r == ref {
				return
			}
		}
		v[f] = append(v[f], ref)
	}
	for _, d := range cfg.Datasets() {
		for _, c := range d.Columns {
			ref := colRef{d.Name, c.Key}
			add(c.Key, ref)
			add(c.Header, ref)
			add(c.HeaderEN, ref)
			for _, s := range cfg.Ingest.HeaderSynonyms[d.Name][c.Key] {
				add(s, ref)
			}
		}
	}
	return v
}

// Table is one table found in a file: a sheet (or the whole CSV) whose header
// row names the columns of a dataset.
type Table struct {
	Sheet     string
	Dataset   config.Dataset
	HeaderRow int
	// cols[i] is the source column of Dataset.Columns[i], or -1.
	cols    []int
	headers []string // as written, per source column
	Unknown []string // headers not understood

	pendingBlank []int // blank rows not yet followed by data
}

// column names the source column of dataset column i as a person sees it: its
// header as written and, in a spreadsheet, its letter.
func (t *Table) column(i int, spreadsheet bool) string {
	src := t.cols[i]
	if src < 0 {
		return t.Dataset.Columns[i].Header
	}
	return quoteCol(t.headers[src], src, spreadsheet)
}

// findHeader picks, among the first rows, the row and dataset whose headers
// match best: the most required columns present, then the most columns. A header
// split over two rows (a merged cell above) is read with the row above filling
// the empty cells. hint, when set, restricts the datasets.
func findHeader(cfg *config.Config, voc vocabulary, rows [][]string, hint string) (row int, header []string, ds config.Dataset, ok bool) {
	best := -1
	for i := range rows {
		cells := rows[i]
		if i > 0 {
			cells = fillFromAbove(rows[i-1], rows[i])
		}
		counts := map[string]int{}
		for _, c := range cells {
			seen := map[string]bool{}
			for _, ref := range voc[config.Fold(c)] {
				if !seen[ref.dataset] {
					counts[ref.dataset]++
					seen[ref.dataset] = true
				}
			}
		}
		for _, d := range cfg.Datasets() {
			if hint != "" && d.Name != hint {
				continue
			}
			n := counts[d.Name]
			if n == 0 {
				continue
			}
			req, have := 0, 0
			present := map[string]bool{}
			for _, c := range cells {
				for _, ref := range voc[config.Fold(c)] {
					if ref.dataset == d.Name {
						present[ref.key] = true
					}
				}
			}
			for _, c := range d.Columns {
				if c.Required {
					req++
					if present[c.Key] {
						have++
					}
				}
			}
			if have*2 < req { // at least half the required columns, or it is not this table
				continue
			}
			score := have*1000 + n*10 - len(d.Columns)
			if score > best {
				best, row, header, ds, ok = score, i, cells, d, true
			}
		}
	}
	return row, header, ds, ok
}

// fillFromAbove reads a header row whose empty cells are the lower half of cells
// merged with the row above.
func fillFromAbove(above, cells []string) []string {
	empty := 0
	for _, c := range cells {
		if c == "" {
			empty++
		}
	}
	if empty == 0 {
		return cells
	}
	out := make([]string, max(len(cells), len(above)))
	copy(out, cells)
	for j := range out {
		if out[j] == "" && j < len(above) {
			out[j] = above[j]
		}
	}
	return out
}

// bind maps the header row onto the dataset's columns and reports what is
// missing, doubled or not understood.
func bind(t *Table, voc vocabulary, header []string, ps *problems, file string, spreadsheet bool) {
	t.headers = header
	t.cols = make([]int, len(t.Dataset.Columns))
	for i := range t.cols {
		t.cols[i] = -1
	}
	index := map[string]int{}
	for i, c := range t.Dataset.Columns {
		index[c.Key] = i
	}
	for src, h := range header {
		f := config.Fold(h)
		if f == "" || extras[f] {
			continue
		}
		matched := false
		for _, ref := range voc[f] {
			if ref.dataset != t.Dataset.Name {
				continue
			}
			matched = true
			i := index[ref.key]
			if t.cols[i] >= 0 {
				ps.add(Problem{Severity: SevError, Sheet: t.Sheet, Row: t.HeaderRow, Column: quoteCol(h, src, spreadsheet), Value: h, Code: "duplicate_header",
					VI: "Cột \"" + h + "\" trùng với cột " + quoteCol(header[t.cols[i]], t.cols[i], spreadsheet) + ": mỗi cột chỉ được có một lần. Hãy xóa một cột.",
					EN: "Column \"" + h + "\" repeats column " + quoteCol(header[t.cols[i]], t.cols[i], spreadsheet) + ": each column may appear once. Delete one of them."})
				continue
			}
			t.cols[i] = src
		}
		if !matched {
			t.Unknown = append(t.Unknown, h)
			ps.add(Problem{Severity: SevWarning, Sheet: t.Sheet, Row: t.HeaderRow, Column: quoteCol(h, src, spreadsheet), Value: h, Code: "unknown_header",
				VI: "Không hiểu tiêu đề cột \"" + h + "\": cột này được bỏ qua.",
				EN: "Header \"" + h + "\" is not understood: the column is ignored."})
		}
	}
	for i, c := range t.Dataset.Columns {
		if c.Required && t.cols[i] < 0 {
			ps.add(Problem{Severity: SevError, Sheet: t.Sheet, Row: t.HeaderRow, Column: c.Header, Code: "missing_column",
				VI: "Thiếu cột bắt buộc \"" + c.Header + "\" (" + c.Key + "). Hãy thêm cột này vào dòng tiêu đề.",
				EN: "The required column \"" + c.Header + "\" (" + c.Key + ") is missing. Add it to the header row."})
		}
	}
}

func quoteCol(h string, src int, spreadsheet bool) string {
	if !spreadsheet {
		return "\"" + h + "\""
	}
	letter, _ := excelize.ColumnNumberToName(src + 1)
	return "\"" + h + "\" (" + letter + ")"
}

// isTotals reports whether a row is a totals row: its first text cell is a
// totals word such as "Tổng cộng". Rows are checked by their first letter
// before anything is folded: this runs on every row.
func isTotals(cells []string, words map[string]bool, first map[byte]bool) bool {
	for _, c := range cells {
		if c == "" || isNumber(c) {
			continue // empty, or a row number
		}
		if r := c[0]; r < utf8.RuneSelf && !first[lower(r)] {
			return false
		}
		f := config.Fold(c)
		if words[f] {
			return true
		}
		for w := range words {
			if strings.HasPrefix(f, w+" ") {
				return true
			}
		}
		return false
	}
	return false
}

func lower(b byte) byte {
	if b >= 'A' && b <= 'Z' {
		return b + 'a' - 'A'
	}
	return b
}

func isNumber(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if (s[i] < '0' || s[i] > '9') && s[i] != '.' && s[i] != ',' {
			return false
		}
	}
	return true
}
