package ingest

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/hoctap/hoctap/config"
)

// Hint is what the file's place says about it: the ward of its inbox folder and,
// if known, its dataset.
type Hint struct {
	Ward    string
	Dataset string
}

// Row is one data row of a table, its values aligned with the dataset's columns:
// nil when empty, else string (text, ward code, round code, gender), int64
// (whole numbers, target group), float64 (numbers, scores) or time.Time (a day,
// UTC midnight).
type Row struct {
	Number int
	Values []any
}

// Result is what reading a file found.
type Result struct {
	Format   string
	Encoding string
	Tables   []*Table
	Rows     int // data rows emitted
	Problems []Problem
	Dropped  int // problems beyond the first maxProblems, counted only
	errors   int
}

// Errors is how many problems refuse the file.
func (r *Result) Errors() int { return r.errors }

// Warnings is how many problems do not.
func (r *Result) Warnings() int { return len(r.Problems) + r.Dropped - r.errors }

// Read streams every valid data row of every table in the file at path to emit,
// and returns every problem found. A row with a problem is not emitted. The
// error is only for failures to read (or emit's own error), never for what the
// file contains.
func Read(cfg *config.Config, path string, hint Hint, emit func(t *Table, r Row) error) (*Result, error) {
	ps := &problems{}
	res := &Result{}
	defer func() {
		res.Problems, res.Dropped, res.errors = ps.list, ps.dropped, ps.errors
	}()
	name := filepath.Base(path)
	st, err := os.Stat(path)
	if err != nil {
		return res, err
	}
	if st.Size() == 0 {
		ps.errorf("empty_file", "Tệp %s trống, không có dữ liệu. Hãy gửi lại tệp có dữ liệu.", "The file %s is empty. Send the file with its data.", name)
		return res, nil
	}
	if max := cfg.Ingest.MaxFileBytes; max > 0 && st.Size() > max {
		ps.errorf("too_large", "Tệp %s quá lớn (%d MB, tối đa %d MB).", "The file %s is too large (%d MB, at most %d MB).", name, st.Size()>>20, max>>20)
		return res, nil
	}
	head := make([]byte, 512)
	f, err := os.Open(path)
	if err != nil {
		return res, err
	}
	n, _ := io.ReadFull(f, head)
	f.Close()
	format, err := sniff(head[:n])
	res.Format = format
	if errors.Is(err, errNotSpreadsheet) {
		notSpreadsheet(ps, name, format)
		return res, nil
	}
	var src source
	switch format {
	case FormatXLSX:
		x, err := openXLSX(path)
		if err != nil {
			notSpreadsheet(ps, name, "zip")
			return res, nil
		}
		src = x
	case FormatJSON:
		f, err := os.Open(path)
		if err != nil {
			return res, err
		}
		src = &jsonSource{f: f}
	default:
		c, err := openCSV(path)
		if err != nil {
			return res, err
		}
		res.Encoding = c.encoding
		src = c
	}
	defer src.Close()

	rd := &reader{cfg: cfg, voc: newVocabulary(cfg), ps: ps, hint: hint, emit: emit, res: res,
		parse: &parser{cfg: cfg, spreadsheet: src.Spreadsheet(), step: cfg.Citizen.ScoreStep}, spreadsheet: src.Spreadsheet(),
		totals: map[string]bool{}, totalsFirst: map[byte]bool{}}
	for _, w := range cfg.Ingest.TotalsWords {
		if f := config.Fold(w); f != "" {
			rd.totals[f] = true
			rd.totalsFirst[f[0]] = true // the first letters, for a quick look at every row
		}
	}
	sheets := src.Sheets()
	for _, sh := range sheets {
		if err := rd.sheet(src, sh); err != nil {
			if errors.Is(err, errEmit) {
				return res, rd.emitErr
			}
			ps.add(Problem{Severity: SevError, Sheet: sh, Code: "unreadable",
				VI: "Không đọc được nội dung: " + err.Error() + ". Hãy mở tệp bằng Excel và lưu lại.",
				EN: "The content cannot be read: " + err.Error() + ". Open the file in Excel and save it again."})
		}
	}
	if len(res.Tables) == 0 && ps.errors == 0 {
		ps.errorf("no_header", "Không tìm thấy bảng dữ liệu trong tệp %s: không có dòng tiêu đề nào khớp với biểu mẫu (ví dụ: \"Mã công dân\", \"Họ và tên\", \"Ngày đăng ký\"). Hãy dùng biểu mẫu do \"hoctap template\" tạo.",
			"No table found in %s: no header row matches a form (such as \"Mã công dân\", \"Họ và tên\", \"Ngày đăng ký\"). Use the form that \"hoctap template\" writes.", name)
	}
	return res, nil
}

func notSpreadsheet(ps *problems, name, format string) {
	vi := fmt.Sprintf("Tệp %s không phải là bảng tính Excel (.xlsx), CSV hay JSON. Hãy mở tệp bằng Excel và lưu lại dưới dạng .xlsx.", name)
	en := fmt.Sprintf("The file %s is not an Excel workbook (.xlsx), CSV or JSON. Open it in Excel and save it as .xlsx.", name)
	if format == "xls" {
		vi = fmt.Sprintf("Tệp %s là bảng tính Excel cũ (.xls). Hãy mở bằng Excel và chọn Lưu thành (Save As) dạng .xlsx.", name)
		en = fmt.Sprintf("The file %s is an old Excel workbook (.xls). Open it in Excel and Save As .xlsx.", name)
	}
	ps.add(Problem{Severity: SevError, Code: "not_a_spreadsheet", VI: vi, EN: en})
}

var errEmit = errors.New("emit")

type reader struct {
	cfg         *config.Config
	voc         vocabulary
	ps          *problems
	hint        Hint
	emit        func(*Table, Row) error
	emitErr     error
	res         *Result
	parse       *parser
	spreadsheet bool
	totals      map[string]bool
	totalsFirst map[byte]bool
}

// sheet reads one sheet: it buffers the first rows to find the header, then
// streams the data rows.
func (rd *reader) sheet(src source, name string) error {
	var head [][]string
	var nums []int
	var t *Table
	var blank []int
	nonEmpty := false
	var values []any
	err := src.Rows(name, func(n int, cells []string) error {
		if t == nil {
			if !empty(cells) {
				nonEmpty = true
			}
			head = append(head, append([]string(nil), cells...))
			nums = append(nums, n)
			if len(head) < headerScan {
				return nil
			}
			t = rd.header(name, head, nums)
			if t == nil {
				return errStopSheet
			}
			values = make([]any, len(t.Dataset.Columns))
			for i := range head {
				if nums[i] > t.HeaderRow {
					if err := rd.row(t, nums[i], head[i], values, &blank); err != nil {
						return err
					}
				}
			}
			return nil
		}
		return rd.row(t, n, cells, values, &blank)
	})
	if errors.Is(err, errStopSheet) {
		err = nil
	}
	if err != nil {
		return err
	}
	if t == nil && len(head) > 0 && len(head) < headerScan {
		t = rd.header(name, head, nums)
		if t != nil {
			values = make([]any, len(t.Dataset.Columns))
			for i := range head {
				if nums[i] > t.HeaderRow {
					if err := rd.row(t, nums[i], head[i], values, &blank); err != nil {
						return err
					}
				}
			}
		}
	}
	if t == nil {
		if nonEmpty && name != "" && name != templateHelp && name != templateLists {
			rd.ps.add(Problem{Severity: SevWarning, Sheet: name, Code: "sheet_skipped",
				VI: "Trang này không có bảng dữ liệu nào được nhận ra nên được bỏ qua.",
				EN: "No table was recognised on this sheet: it is skipped."})
		}
		return nil
	}
	if len(blank) > 0 {
		rd.ps.add(Problem{Severity: SevWarning, Sheet: name, Row: blank[0], Code: "blank_row_skipped",
			VI: fmt.Sprintf("%d dòng trống được bỏ qua (dòng %s).", len(blank), rowList(blank)),
			EN: fmt.Sprintf("%d blank rows skipped (rows %s).", len(blank), rowList(blank))})
	}
	return nil
}

var errStopSheet = errors.New("no table on this sheet")

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

func empty(cells []string) bool {
	for _, c := range cells {
		if c != "" {
			return false
		}
	}
	return true
}

// header finds and binds the table of a sheet, or returns nil.
func (rd *reader) header(sheet string, rows [][]string, nums []int) *Table {
	i, header, ds, ok := findHeader(rd.cfg, rd.voc, rows, rd.hint.Dataset)
	if !ok {
		return nil
	}
	t := &Table{Sheet: sheet, Dataset: ds, HeaderRow: nums[i]}
	bind(t, rd.voc, header, rd.ps, "", rd.spreadsheet)
	rd.res.Tables = append(rd.res.Tables, t)
	return t
}

// row checks one data row and emits it when it has no error.
func (rd *reader) row(t *Table, n int, cells []string, values []any, blank *[]int) error {
	if t.missingRequired() {
		return nil // the table cannot be read; its missing columns are reported
	}
	if empty(cells) || onlyExtras(t, cells) {
		t.pendingBlank = append(t.pendingBlank, n)
		return nil
	}
	// blank rows between data rows are reported; blank rows at the end are not
	*blank = append(*blank, t.pendingBlank...)
	t.pendingBlank = t.pendingBlank[:0]
	if isTotals(cells, rd.totals, rd.totalsFirst) {
		rd.ps.add(Problem{Severity: SevWarning, Sheet: t.Sheet, Row: n, Code: "totals_row_skipped",
			VI: "Dòng tổng cộng được bỏ qua.", EN: "Totals row skipped."})
		return nil
	}
	ok := true
	for i, c := range t.Dataset.Columns {
		src := t.cols[i]
		s := ""
		if src >= 0 && src < len(cells) {
			s = cells[src]
		}
		if src < 0 {
			values[i] = nil
			continue
		}
		v, verr := rd.parse.parse(c, s)
		if verr == nil && c.Type == config.TypeWard && rd.hint.Ward != "" && v != rd.hint.Ward {
			w, _ := rd.cfg.Ward(rd.hint.Ward)
			verr = bad("wrong_ward", "Dòng này ghi xã/phường \"%s\", nhưng tệp nằm trong thư mục của %s. Hãy gửi dữ liệu của mỗi xã/phường trong thư mục của xã/phường đó.",
				"This row names the ward %q, but the file is in the folder of %s: send each ward's data in its own folder.", s, w.Name)
		}
		if verr != nil {
			ok = false
			rd.ps.add(Problem{Severity: SevError, Sheet: t.Sheet, Row: n, Column: t.column(i, rd.spreadsheet), Value: s, Code: verr.code, VI: verr.vi, EN: verr.en})
			continue
		}
		values[i] = v
	}
	if !ok {
		return nil
	}
	rd.res.Rows++
	if rd.emit != nil {
		if err := rd.emit(t, Row{Number: n, Values: values}); err != nil {
			rd.emitErr = err
			return errEmit
		}
	}
	return nil
}

func (t *Table) missingRequired() bool {
	for i, c := range t.Dataset.Columns {
		if c.Required && t.cols[i] < 0 {
			return true
		}
	}
	return false
}

// onlyExtras reports a row whose only content is in ignored columns (a row
// number with nothing else, say).
func onlyExtras(t *Table, cells []string) bool {
	for _, src := range t.cols {
		if src >= 0 && src < len(cells) && cells[src] != "" {
			return false
		}
	}
	return true
}
