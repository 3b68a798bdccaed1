package wardfile

import (
	"fmt"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/hoctap/hoctap/config"
)

// maxHeaderCells bounds the cells of a row read as a header; a wider sheet is
// refused before (Ingest.MaxColumns).
const maxHeaderCells = 4096

// headerScan is how many rows from the top of a sheet may hold title rows
// before the header.
const headerScan = 30

// extras are columns ward files carry that no dataset needs (folded): ignored
// without a word. A total is computed from the scores, never read.
var extras = map[string]bool{"stt": true, "tt": true, "so tt": true, "so thu tu": true, "ghi chu": true, "tong diem": true, "tong": true,
	"xep loai": true, "ket qua": true, "ky ten": true, "chu ky": true}

// Table is one table found in a file: a sheet (or the whole CSV or JSON file)
// whose header row names the columns of a dataset.
type Table struct {
	Sheet     string // "" for CSV and JSON
	Dataset   config.Dataset
	HeaderRow int      // 1-based; 0 for JSON, whose keys are the header
	Columns   []Bound  // the dataset's columns found, in the dataset's order
	Unknown   []string // headers not understood, as written (each is warned about)
	Rows      int      // data rows emitted
	Titles    []string // the text of the title rows above the header

	src     []int                  // per dataset column: its source column, or -1
	fixed   []any                  // per dataset column: a value for every row, from the file's context (nil: none)
	derived []int                  // per dataset column: the column its value is taken from (a timestamp's day), or -1
	width   int                    // the header's cells, to its last filled one
	labels  []string               // per dataset column: how problems name it
	usable  bool                   // every required column is present
	memo    []map[string]*lastCell // per dataset column, for memoized types
	kinds   []kind                 // per dataset column
	values  []any
	read    rowState
	// notes are the values read as a category they do not name exactly.
	notes     map[noteKey]*note
	noteOrder []noteKey
}

type noteKey struct {
	column int
	value  string
}

// note is a value read as a category, with the rows it is in.
type note struct {
	cell  lastCell
	first int
	rows  []int
	count int
}

// maxNotes bounds the notes of a table; maxRowsListed the rows a problem lists.
const (
	maxNotes      = 200
	maxRowsListed = 1000
)

// Bound is a dataset column found in a file.
type Bound struct {
	Key    string // the dataset column's key: "citizen_id"
	Header string // the header as written: "Mã CD"
	Index  int    // 0-based source column (field of a CSV line, key of a JSON record)
	Letter string // the spreadsheet column: "D" ("" for JSON)
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
	if len(raw) > maxHeaderCells {
		raw = raw[:maxHeaderCells]
	}
	h := headerRow{num: num, cells: make([]string, len(raw)), folded: make([]string, len(raw))}
	for i, c := range raw {
		h.cells[i] = text(clean(strings.ToValidUTF8(c, "\uFFFD")))
		h.folded[i] = config.Fold(h.cells[i])
	}
	return h
}

// candidate is a row (or two) read as the header of a dataset.
type candidate struct {
	row      int // index in the scan of the (lower) header row
	cells    []headerCell
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
func evaluate(voc *vocabulary, datasets []config.Dataset, row int, cells []headerCell, merged bool) []candidate {
	var out []candidate
	present := make([][]bool, len(datasets))
	for _, h := range cells {
		if h.folded == "" {
			continue
		}
		refs, _ := voc.lookup(h)
		for _, ref := range refs {
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
		c := candidate{row: row, cells: cells, dataset: di, merged: merged, presence: present[di]}
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

// findHeader lists, among the scanned rows, the rows that may be a header,
// with their datasets. A header may be split over two rows: cells merged over
// both (their text in the upper row) beside a group header over several
// columns whose names are in the lower row ("ĐIỂM TỰ ĐÁNH GIÁ" over 1 … 10).
// The candidates are every row alone, and every row with the row above.
func findHeader(voc *vocabulary, datasets []config.Dataset, rows []headerRow) []candidate {
	var all []candidate
	for i, r := range rows {
		single := make([]headerCell, len(r.cells))
		for j := range r.cells {
			single[j] = headerCell{text: r.cells[j], folded: r.folded[j]}
		}
		all = append(all, evaluate(voc, datasets, i, single, false)...)
		if i == 0 || rows[i-1].num != r.num-1 {
			continue
		}
		if cells, ok := twoRows(rows[i-1], r); ok {
			all = append(all, evaluate(voc, datasets, i, cells, true)...)
		}
	}
	return all
}

// twoRows reads two rows as one header: a lower cell under a group header
// (the upper cell of its column, or the nearest one to its left over empty
// upper cells) is qualified by it; an upper cell over an empty lower one is
// the column's header (merged over both rows).
func twoRows(above, r headerRow) ([]headerCell, bool) {
	n := max(len(r.cells), len(above.cells))
	cells := make([]headerCell, n)
	group, used := "", false
	for j := 0; j < n; j++ {
		var up, low, lowF, upF string
		if j < len(above.cells) {
			up, upF = above.cells[j], above.folded[j]
		}
		if j < len(r.cells) {
			low, lowF = r.cells[j], r.folded[j]
		}
		if up != "" {
			group = up
		}
		switch {
		case low != "" && group != "":
			cells[j] = headerCell{text: low, folded: lowF, group: group}
			used = true
		case low != "":
			cells[j] = headerCell{text: low, folded: lowF}
		case up != "":
			cells[j] = headerCell{text: up, folded: upF}
			group, used = "", true
		default:
			group = ""
		}
	}
	return cells, used
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
// missing, doubled or not understood, and how headers written otherwise were
// read.
func (rd *reader) bind(t *Table, c candidate, datasets []config.Dataset) {
	d := datasets[c.dataset]
	t.prepare(d)
	rd.mapHeaders(t, c, d)
	rd.context(t, d)
	rd.requireColumns(t, c, d)
}

// prepare makes a table's per-column state for the columns of d, none of
// them bound yet.
func (t *Table) prepare(d config.Dataset) {
	t.src = make([]int, len(d.Columns))
	t.labels = make([]string, len(d.Columns))
	t.memo = make([]map[string]*lastCell, len(d.Columns))
	t.kinds = make([]kind, len(d.Columns))
	t.values = make([]any, len(d.Columns))
	t.derived = make([]int, len(d.Columns))
	for i := range t.src {
		t.src[i], t.derived[i] = -1, -1
		t.labels[i] = "\"" + d.Columns[i].Header + "\""
		t.kinds[i] = kindOf(d.Columns[i].Type)
		if memoized(d.Columns[i].Type) {
			t.memo[i] = map[string]*lastCell{}
		}
	}
}

// mapHeaders binds each header cell to the column of d it names, reporting
// an ambiguous, unknown or doubled header, and notes once how the headers
// not written as the form writes them were read.
func (rd *reader) mapHeaders(t *Table, c candidate, d config.Dataset) {
	var readings []string
	for j, h := range c.cells {
		if h.folded == "" || extra(h.text, h.folded) || formToolColumn(h.folded, h.text) && !rd.formToolData(h) {
			continue
		}
		refs, how := rd.voc.lookup(h)
		col, elsewhere := -1, false
		for _, ref := range refs {
			if ref.dataset == c.dataset {
				if col >= 0 && col != ref.column {
					col = -2 // two columns of the dataset
					break
				}
				col = ref.column
			} else {
				elsewhere = true
			}
		}
		label := rd.label(h.text, j)
		switch {
		case col == -2:
			rd.ps.add(Problem{Severity: SevError, Sheet: t.Sheet, Row: t.HeaderRow, Column: label, Value: h.text, Code: "ambiguous_header",
				VI: fmt.Sprintf("Không rõ cột \"%s\" là cột nào của biểu \"%s\". Hãy đặt lại tiêu đề cột theo biểu mẫu: %s.", h.text, d.Title, quoted(headers(d))),
				EN: fmt.Sprintf("It is not clear which column of the form %q the header %q is; name it as the form does: %s.", d.TitleEN, h.text, quoted(headers(d)))})
			continue
		case col < 0 && elsewhere:
			continue // a column of another form: understood, not needed here
		case col < 0:
			t.Unknown = append(t.Unknown, h.text)
			rd.ps.add(Problem{Severity: SevWarning, Sheet: t.Sheet, Row: t.HeaderRow, Column: label, Value: h.text, Code: "unknown_header",
				VI: fmt.Sprintf("Không hiểu tiêu đề cột \"%s\" nên cột này được bỏ qua. Các cột của biểu \"%s\" là: %s.", h.text, d.Title, quoted(headers(d))),
				EN: fmt.Sprintf("The header %q is not understood, so the column is ignored. The columns of the form %q are: %s.", h.text, d.TitleEN, quoted(headers(d)))})
			continue
		}
		if prev := t.src[col]; prev >= 0 {
			rd.ps.add(Problem{Severity: SevError, Sheet: t.Sheet, Row: t.HeaderRow, Column: label, Value: h.text, Code: "duplicate_header",
				VI: fmt.Sprintf("Cột \"%s\" trùng với cột %s: cả hai đều là \"%s\". Mỗi cột chỉ được có một lần; hãy xóa hoặc đổi tên một cột.", h.text, t.labels[col], d.Columns[col].Header),
				EN: fmt.Sprintf("Column %q repeats column %s: both are %q. Each column may appear once; delete or rename one of them.", h.text, t.labels[col], d.Columns[col].Header)})
			continue
		}
		t.src[col] = j
		t.labels[col] = label
		if d.Columns[col].Type == config.TypeTimestamp && strings.Contains(h.folded, "submission time") {
			rd.parse.utc[&t.Dataset.Columns[col]] = true // KoboToolbox writes it in UTC
		}
		if how != headerExact {
			shown := h.text
			if h.group != "" && !h.explicit {
				shown = h.group + " › " + h.text
			}
			readings = append(readings, fmt.Sprintf("\"%s\" (%s) → \"%s\"", shown, rd.letter(j), d.Columns[col].Header))
		}
	}
	if len(readings) > 0 {
		list := strings.Join(readings[:min(len(readings), 30)], "; ")
		if len(readings) > 30 {
			list += "; …"
		}
		rd.ps.add(Problem{Severity: SevNote, Sheet: t.Sheet, Row: t.HeaderRow, Code: "header_read_as",
			VI: fmt.Sprintf("Các cột được hiểu như sau: %s.", list),
			EN: fmt.Sprintf("The columns are read so: %s.", list)})
	}
}

// requireColumns lists the table's bound columns and refuses it when a
// required column is neither bound, nor fixed by the file's context, nor
// derived from another.
func (rd *reader) requireColumns(t *Table, c candidate, d config.Dataset) {
	t.usable = true
	for i, col := range d.Columns {
		if t.src[i] >= 0 {
			t.Columns = append(t.Columns, Bound{Key: col.Key, Header: c.cells[t.src[i]].text, Index: t.src[i], Letter: rd.letter(t.src[i])})
			continue
		}
		if col.Required && t.fixed[i] == nil && t.derived[i] < 0 {
			t.usable = false
			where, whereEN := "dòng tiêu đề", "the header row"
			if t.HeaderRow > 0 {
				where, whereEN = fmt.Sprintf("dòng tiêu đề (dòng %d)", t.HeaderRow), fmt.Sprintf("the header row (row %d)", t.HeaderRow)
			}
			vi := fmt.Sprintf("Thiếu cột bắt buộc \"%s\" của biểu \"%s\". Hãy thêm cột này vào %s.", col.Header, d.Title, where)
			en := fmt.Sprintf("The required column %q (%s, %s) of the form %q is missing; add it to %s.", col.Header, col.HeaderEN, col.Key, d.TitleEN, whereEN)
			if col.Type == config.TypeWard {
				vi = fmt.Sprintf("Thiếu cột \"%s\": tệp gửi ở cấp thành phố (không nằm trong thư mục của một xã/phường) phải ghi xã/phường ở mỗi dòng, hoặc đặt tên mỗi trang theo tên xã/phường. Hãy thêm cột \"%s\" vào %s.", col.Header, col.Header, where)
				en = fmt.Sprintf("The column %q is missing: a city-level file (not in a ward's folder) must name the ward on each row, or name each sheet after its ward; add the column %q to %s.", col.Header, col.Header, whereEN)
			}
			rd.ps.add(Problem{Severity: SevError, Sheet: t.Sheet, Row: t.HeaderRow, Column: "\"" + col.Header + "\"", Code: "missing_column", VI: vi, EN: en})
		}
	}
}

// formToolData reports a form tool's column that a dataset reads: the
// submission time and the review status.
func (rd *reader) formToolData(h headerCell) bool {
	refs, _ := rd.voc.lookup(h)
	return len(refs) > 0
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
