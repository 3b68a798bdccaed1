package wardfile

import (
	"fmt"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/hoctap/hoctap/config"
)

// headerScan is how many rows from the top of a sheet may hold title rows
// before the header.
const headerScan = 30

// extras are columns ward files carry that no dataset needs (folded): ignored
// without a word. A total is computed from the scores, never read.
var extras = map[string]bool{"stt": true, "tt": true, "so tt": true, "so thu tu": true, "ghi chu": true, "tong diem": true, "tong": true}

// Table is one table found in a file: a sheet (or the whole CSV or JSON file)
// whose header row names the columns of a dataset.
type Table struct {
	Sheet     string // "" for CSV and JSON
	Dataset   config.Dataset
	HeaderRow int      // 1-based; 0 for JSON, whose keys are the header
	Columns   []Bound  // the dataset's columns found, in the dataset's order
	Unknown   []string // headers not understood, as written (each is warned about)
	Rows      int      // data rows emitted

	src    []int                  // per dataset column: its source column, or -1
	labels []string               // per dataset column: how problems name it
	usable bool                   // every required column is present
	memo   []map[string]*lastCell // per dataset column, for memoized types
	kinds  []kind                 // per dataset column
	values []any
	read   rowState
}

// Bound is a dataset column found in a file.
type Bound struct {
	Key    string // the dataset column's key: "citizen_id"
	Header string // the header as written: "Mã CD"
	Index  int    // 0-based source column (field of a CSV line, key of a JSON record)
	Letter string // the spreadsheet column: "D" ("" for JSON)
}

// vocabulary maps a folded header to the dataset columns it can mean.
type vocabulary map[string][]colRef

type colRef struct {
	dataset int // index in cfg.Datasets()
	column  int
}

func newVocabulary(datasets []config.Dataset, synonyms map[string]map[string][]string) vocabulary {
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
	for di, d := range datasets {
		for ci, c := range d.Columns {
			ref := colRef{di, ci}
			add(c.Key, ref)
			add(c.Header, ref)
			add(c.HeaderEN, ref)
			for _, s := range synonyms[d.Name][c.Key] {
				add(s, ref)
			}
		}
	}
	return v
}

// lookup finds what a header means: the whole header, else its stem.
// folded is config.Fold of the whole header.
func (v vocabulary) lookup(header, folded string) []colRef {
	if refs, ok := v[folded]; ok {
		return refs
	}
	if st := stem(header); st != "" {
		return v[st]
	}
	return nil
}

// stem is a header's part before a note — a parenthesis, a bracket, a colon,
// a dash or a line break: "Năm sinh (yyyy)", "Chỉ số 1 - Đọc sách" — folded;
// "" when there is no note.
func stem(header string) string {
	i := strings.IndexAny(header, "\n([:")
	for _, dash := range []string{" - ", " – ", " — "} {
		if j := strings.Index(header, dash); j >= 0 && (i < 0 || j < i) {
			i = j
		}
	}
	if i <= 0 {
		return ""
	}
	return config.Fold(header[:i])
}

// extra reports a column no dataset needs.
func extra(header, folded string) bool {
	return extras[folded] || extras[stem(header)]
}

// headerRow is a row of the scan, cleaned and folded once.
type headerRow struct {
	num    int
	cells  []string // cleaned
	folded []string
}

func newHeaderRow(num int, raw []string) headerRow {
	h := headerRow{num: num, cells: make([]string, len(raw)), folded: make([]string, len(raw))}
	for i, c := range raw {
		h.cells[i] = text(clean(strings.ToValidUTF8(c, "\uFFFD")))
		h.folded[i] = config.Fold(h.cells[i])
	}
	return h
}

// candidate is a row read as the header of a dataset.
type candidate struct {
	row      int // index in the scan
	cells    []string
	folded   []string
	dataset  int
	required int // required columns present
	matched  int // columns present
	merged   bool
	presence []bool // per dataset column
}

// score orders candidates: the larger share of the required columns, then the
// more columns, then a single row over two merged ones.
func (c candidate) score(datasets []config.Dataset) float64 {
	req := 0
	for _, col := range datasets[c.dataset].Columns {
		if col.Required {
			req++
		}
	}
	s := float64(c.required)/float64(max(req, 1))*1e6 + float64(c.matched)*10
	if c.merged {
		s--
	}
	return s
}

// complete reports that every required column is present.
func (c candidate) complete(datasets []config.Dataset) bool {
	for i, col := range datasets[c.dataset].Columns {
		if col.Required && !c.presence[i] {
			return false
		}
	}
	return true
}

// evaluate reads cells as a header of every dataset and returns the datasets
// they may be the header of: at least two columns, and at least half of the
// required ones.
func evaluate(voc vocabulary, datasets []config.Dataset, row int, cells, folded []string, merged bool) []candidate {
	var out []candidate
	present := make([][]bool, len(datasets))
	for j := range cells {
		if folded[j] == "" {
			continue
		}
		for _, ref := range voc.lookup(cells[j], folded[j]) {
			if present[ref.dataset] == nil {
				present[ref.dataset] = make([]bool, len(datasets[ref.dataset].Columns))
			}
			present[ref.dataset][ref.column] = true
		}
	}
	for di, d := range datasets {
		if present[di] == nil {
			continue
		}
		c := candidate{row: row, cells: cells, folded: folded, dataset: di, merged: merged, presence: present[di]}
		req := 0
		for ci, col := range d.Columns {
			if col.Required {
				req++
			}
			if present[di][ci] {
				c.matched++
				if col.Required {
					c.required++
				}
			}
		}
		if c.matched >= 2 && c.required*2 >= req {
			out = append(out, c)
		}
	}
	return out
}

// findHeader picks, among the scanned rows, the header row and its dataset. A
// header may be split over two rows: a cell merged over both (its text in the
// upper row) beside a merged title over several columns whose names are in the
// lower row. The candidates are every row alone and every row with the row
// above filling its empty cells.
func findHeader(voc vocabulary, datasets []config.Dataset, rows []headerRow) []candidate {
	var all []candidate
	for i, r := range rows {
		all = append(all, evaluate(voc, datasets, i, r.cells, r.folded, false)...)
		if i == 0 || rows[i-1].num != r.num-1 {
			continue
		}
		above := rows[i-1]
		n := max(len(r.cells), len(above.cells))
		cells, folded := make([]string, n), make([]string, n)
		filled := false
		for j := 0; j < n; j++ {
			if j < len(r.cells) && r.cells[j] != "" {
				cells[j], folded[j] = r.cells[j], r.folded[j]
			} else if j < len(above.cells) && above.cells[j] != "" {
				cells[j], folded[j] = above.cells[j], above.folded[j]
				filled = true
			}
		}
		if filled {
			all = append(all, evaluate(voc, datasets, i, cells, folded, true)...)
		}
	}
	return all
}

// best returns the best candidate, of dataset ds when ds >= 0.
func best(cands []candidate, datasets []config.Dataset, ds int) (candidate, bool) {
	var b candidate
	found := false
	for _, c := range cands {
		if ds >= 0 && c.dataset != ds {
			continue
		}
		if !found || c.score(datasets) > b.score(datasets) {
			b, found = c, true
		}
	}
	return b, found
}

// bind maps the header onto the dataset's columns and reports what is
// missing, doubled or not understood.
func (rd *reader) bind(t *Table, c candidate, datasets []config.Dataset) {
	d := datasets[c.dataset]
	t.src = make([]int, len(d.Columns))
	t.labels = make([]string, len(d.Columns))
	t.memo = make([]map[string]*lastCell, len(d.Columns))
	t.kinds = make([]kind, len(d.Columns))
	t.values = make([]any, len(d.Columns))
	for i := range t.src {
		t.src[i] = -1
		t.labels[i] = "\"" + d.Columns[i].Header + "\""
		t.kinds[i] = kindOf(d.Columns[i].Type)
		if memoized(d.Columns[i].Type) {
			t.memo[i] = map[string]*lastCell{}
		}
	}
	for j, h := range c.cells {
		f := c.folded[j]
		if f == "" || extra(h, f) {
			continue
		}
		col := -1
		for _, ref := range rd.voc.lookup(h, f) {
			if ref.dataset == c.dataset {
				col = ref.column
				break
			}
		}
		label := rd.label(h, j)
		if col < 0 {
			t.Unknown = append(t.Unknown, h)
			rd.ps.add(Problem{Severity: SevWarning, Sheet: t.Sheet, Row: t.HeaderRow, Column: label, Value: h, Code: "unknown_header",
				VI: fmt.Sprintf("Không hiểu tiêu đề cột \"%s\" nên cột này được bỏ qua. Các cột của biểu \"%s\" là: %s.", h, d.Title, quoted(headers(d))),
				EN: fmt.Sprintf("The header %q is not understood, so the column is ignored. The columns of the form %q are: %s.", h, d.TitleEN, quoted(headers(d)))})
			continue
		}
		if prev := t.src[col]; prev >= 0 {
			rd.ps.add(Problem{Severity: SevError, Sheet: t.Sheet, Row: t.HeaderRow, Column: label, Value: h, Code: "duplicate_header",
				VI: fmt.Sprintf("Cột \"%s\" trùng với cột %s: cả hai đều là \"%s\". Mỗi cột chỉ được có một lần; hãy xóa hoặc đổi tên một cột.", h, t.labels[col], d.Columns[col].Header),
				EN: fmt.Sprintf("Column %q repeats column %s: both are %q. Each column may appear once; delete or rename one of them.", h, t.labels[col], d.Columns[col].Header)})
			continue
		}
		t.src[col] = j
		t.labels[col] = label
	}
	t.usable = true
	for i, col := range d.Columns {
		if t.src[i] >= 0 {
			t.Columns = append(t.Columns, Bound{Key: col.Key, Header: c.cells[t.src[i]], Index: t.src[i], Letter: rd.letter(t.src[i])})
			continue
		}
		if col.Required {
			t.usable = false
			where, whereEN := "dòng tiêu đề", "the header row"
			if t.HeaderRow > 0 {
				where, whereEN = fmt.Sprintf("dòng tiêu đề (dòng %d)", t.HeaderRow), fmt.Sprintf("the header row (row %d)", t.HeaderRow)
			}
			rd.ps.add(Problem{Severity: SevError, Sheet: t.Sheet, Row: t.HeaderRow, Column: "\"" + col.Header + "\"", Code: "missing_column",
				VI: fmt.Sprintf("Thiếu cột bắt buộc \"%s\" của biểu \"%s\". Hãy thêm cột này vào %s.", col.Header, d.Title, where),
				EN: fmt.Sprintf("The required column %q (%s, %s) of the form %q is missing; add it to %s.", col.Header, col.HeaderEN, col.Key, d.TitleEN, whereEN)})
		}
	}
}

// label names source column j as problems do: its header in quotes and, but
// in JSON, its letter.
func (rd *reader) label(h string, j int) string {
	if l := rd.letter(j); l != "" {
		return "\"" + h + "\" (" + l + ")"
	}
	return "\"" + h + "\""
}

func (rd *reader) letter(j int) string {
	if rd.format == FormatJSON {
		return ""
	}
	l, err := excelize.ColumnNumberToName(j + 1)
	if err != nil {
		return ""
	}
	return l
}

func headers(d config.Dataset) []string {
	h := make([]string, len(d.Columns))
	for i, c := range d.Columns {
		h[i] = c.Header
	}
	return h
}

// totals recognises a totals row by its first text cell: a totals word such as
// "Tổng cộng", alone or followed by a number or a colon.
type totals struct {
	words []string // folded
}

func newTotals(words []string) *totals {
	t := &totals{}
	for _, w := range words {
		if f := config.Fold(w); f != "" {
			t.words = append(t.words, f)
		}
	}
	return t
}

// row reports whether cleaned cells make a totals row. clean is applied to
// each cell until the first text cell.
func (t *totals) row(cells []string) bool {
	for _, raw := range cells {
		c := clean(raw)
		if c == "" || rowNumber(c) {
			continue
		}
		return t.match(c)
	}
	return false
}

func (t *totals) match(c string) bool {
	possible := false
	for _, w := range t.words {
		if asciiCouldFold(c, w) {
			possible = true
			break
		}
	}
	if !possible {
		return false
	}
	f := config.Fold(c)
	head := ""
	if i := strings.IndexByte(c, ':'); i > 0 {
		head = config.Fold(c[:i])
	}
	for _, w := range t.words {
		if f == w || head == w {
			return true
		}
		if rest, ok := strings.CutPrefix(f, w+" "); ok && rest[0] >= '0' && rest[0] <= '9' {
			return true
		}
	}
	return false
}

// asciiCouldFold is a quick look at every row: false when c's ASCII start
// already differs from the folded word w.
func asciiCouldFold(c, w string) bool {
	i := 0
	for ; i < len(c) && i < len(w); i++ {
		b := c[i]
		if b >= 0x80 {
			return true
		}
		switch {
		case b >= 'A' && b <= 'Z':
			b += 'a' - 'A'
		case b >= 'a' && b <= 'z', b >= '0' && b <= '9':
		default:
			b = ' '
		}
		if b != w[i] {
			return false
		}
	}
	return i == len(w)
}

// rowNumber reports a cell such as "12" or "3.": a row's number.
func rowNumber(s string) bool {
	for i := 0; i < len(s); i++ {
		if (s[i] < '0' || s[i] > '9') && s[i] != '.' {
			return false
		}
	}
	return true
}
