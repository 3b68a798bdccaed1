// Package wardfile reads one file a ward office or the city association sends
// — XLSX, XLS (Excel 97-2003), CSV in any of the encodings Excel and web forms
// produce, JSON — and says what is wrong with it. It finds the table under the
// title rows, understands loosely written headers (form tools' group prefixes,
// question texts, two-level headers) and values (categories written as people
// write them, dates as Excel stores them, decimal commas), checks every cell,
// and streams the valid rows, each value under its dataset column's key. It
// also writes the Excel forms the wards fill in (WriteTemplate).
//
// Reading streams: memory stays flat whatever the file's size, and every limit
// (a workbook's expanded size, a cell's length, columns, rows) is a refusal that
// names it.
//
// It imports no database and reads no clock: the time of a run comes in the
// Hint. What a file's rows mean against what is already loaded (people not
// registered, corrections, supplements) is the loader's business (package
// ingest).
package wardfile

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/hoctap/hoctap/config"
	"github.com/hoctap/hoctap/geo"
)

// Formats of the files Read reads.
const (
	FormatXLSX = "xlsx"
	FormatCSV  = "csv"
	FormatJSON = "json"
	FormatXLS  = "xls"
)

// Hint is what is known of a file besides its content.
type Hint struct {
	// Ward is the code of the ward whose inbox folder holds the file: a row
	// naming another ward is refused. "" when unknown.
	Ward string
	// Dataset is the dataset the file should hold: it decides between datasets
	// whose headers fit equally, and headers of another dataset are refused.
	// "" to recognise it from the headers.
	Dataset string
	// Now is the time of the run: later dates and birth years are refused.
	// Zero: dates up to 2100 pass.
	Now time.Time
	// Name is the file's name as sent, when Read is given a copy of it: the
	// name may state the round ("… giua ky …").
	Name string
	// Register is the register of administrative units: a ward named in the
	// file is checked against the units valid in the period its rows are
	// about (units.go). nil: wards are the configuration's names only.
	Register *geo.Register
}

// Row is one valid data row of a table. Values are aligned with the table's
// Dataset.Columns: nil when empty, else string (text, NFC and trimmed; a ward
// code; a round code; "Nam" or "Nữ"), int64 (a whole number; a target group's
// id), float64 (a number, a score) or time.Time (a day, UTC midnight).
//
// Values is reused for the next row: emit must copy what it keeps.
type Row struct {
	Number int // 1-based row of the sheet, line of a CSV file, record of a JSON file
	Values []any
}

// Result is what reading a file found.
type Result struct {
	Format    string // xlsx, csv, json; or what the file is instead (xls, pdf, …)
	Encoding  string // of a CSV file
	Delimiter rune   // of a CSV file
	Tables    []*Table
	Rows      int // data rows emitted
	Problems  []Problem
	Dropped   int // problems beyond the first 10,000, counted only
	errors    int
	notes     int
}

// Errors is how many problems refuse the file.
func (r *Result) Errors() int { return r.errors }

// Warnings is how many problems do not.
func (r *Result) Warnings() int { return len(r.Problems) + r.Dropped - r.errors - r.notes }

// Notes is how many notes say how values were read.
func (r *Result) Notes() int { return r.notes }

// Add adds a problem found beyond reading the file: the loader's checks
// against what is loaded.
func (r *Result) Add(p Problem) {
	r.Problems = append(r.Problems, p)
	switch p.Severity {
	case SevError:
		r.errors++
	case SevNote:
		r.notes++
	}
}

// Read streams every valid data row of every table in the file at path to
// emit, in order, and returns every problem found. A row with an error is
// reported, not emitted. The error is only for a failure to read the file, or
// emit's own error; what the file contains is told by Result.Problems.
func Read(cfg *config.Config, path string, hint Hint, emit func(t *Table, r Row) error) (*Result, error) {
	return readPath(cfg, path, hint, false, emit)
}

// readPath reads the file at path; peek: only as far as its first data row
// (Peek).
func readPath(cfg *config.Config, path string, hint Hint, peek bool, emit func(t *Table, r Row) error) (*Result, error) {
	f, err := os.Open(path)
	if err != nil {
		return &Result{}, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return &Result{}, err
	}
	name := filepath.Base(path)
	if hint.Name != "" {
		name = hint.Name
	}
	return readInput(cfg, input{name: name, r: f, size: st.Size(), peek: peek}, hint, emit)
}

// errPeeked stops a Peek at the first row.
var errPeeked = errors.New("peeked")

// Peek says which datasets a file holds, reading only as far as its first data
// row: the loader takes registrations before the files that name them. The
// error is Read's, for a file that cannot be read at all.
func Peek(cfg *config.Config, path string, hint Hint) ([]string, error) {
	res, err := readPath(cfg, path, hint, true, func(*Table, Row) error { return errPeeked })
	if err != nil && !errors.Is(err, errPeeked) {
		return nil, err
	}
	var out []string
	for _, t := range res.Tables {
		if !slices.Contains(out, t.Dataset.Name) {
			out = append(out, t.Dataset.Name)
		}
	}
	return out, nil
}

// ReadBytes is Read for a file's content in memory, named name.
func ReadBytes(cfg *config.Config, name string, data []byte, hint Hint, emit func(t *Table, r Row) error) (*Result, error) {
	return readInput(cfg, input{name: name, r: bytes.NewReader(data), size: int64(len(data))}, hint, emit)
}

type input struct {
	name string
	r    io.ReaderAt
	size int64
	// peek: the file is read only as far as its first data row (Peek), and
	// the encoding of a CSV file is told by its beginning (peekScanBytes).
	peek bool
}

// source gives the rows of a file's sheets as raw cells, one row at a time.
type source interface {
	sheets() []sheetInfo
	// rows calls fn for every row of sheet with its number; cells is reused.
	rows(sheet string, fn func(n int, cells []string) error) error
	close() error
}

type sheetInfo struct {
	name   string
	hidden bool
}

// contentError is a file whose content cannot be read further.
type contentError struct {
	code   string
	row    int
	vi, en string
}

func (e *contentError) Error() string { return e.en }

// ioError is a failure to read the file itself.
type ioError struct{ err error }

func (e *ioError) Error() string { return e.err.Error() }
func (e *ioError) Unwrap() error { return e.err }

// watched marks the failures of the file's reads as I/O errors.
type watched struct{ r io.ReaderAt }

func (w watched) ReadAt(p []byte, off int64) (int, error) {
	n, err := w.r.ReadAt(p, off)
	if err != nil && err != io.EOF {
		err = &ioError{err}
	}
	return n, err
}

var errEmit = errors.New("emit")

func readInput(cfg *config.Config, in input, hint Hint, emit func(*Table, Row) error) (*Result, error) {
	res := &Result{}
	ps := &problems{file: in.name}
	defer func() {
		res.Problems, res.Dropped, res.errors, res.notes = ps.list, ps.dropped, ps.errors, ps.notes
		res.Group()
	}()
	datasets := cfg.Datasets()
	hintDataset, err := checkHint(cfg, datasets, hint, in.name)
	if err != nil {
		return res, err
	}
	in.r = watched{in.r}
	if in.size == 0 {
		emptyFile(ps, in.name)
		return res, nil
	}
	if max := cfg.Ingest.MaxFileBytes; max > 0 && in.size > max {
		ps.fileError("too_large", "Tệp %s quá lớn (%s MB, tối đa %s MB). Hãy chia dữ liệu thành nhiều tệp nhỏ hơn.",
			"The file %s is too large (%s MB, at most %s MB); split the data into smaller files.", in.name, mb(in.size), mb(max))
		return res, nil
	}
	src, err := openSource(cfg, in, ps, res)
	if src == nil || err != nil {
		return res, err
	}
	defer src.close()

	lex := lexiconOf(cfg, datasets)
	rd := &reader{cfg: cfg, datasets: datasets, voc: lex.voc, fileName: in.name, ps: ps,
		hintDataset: hintDataset, emit: emit, res: res, format: res.Format, parse: newParser(cfg, hint, lex.cats), totals: newTotals(cfg.Ingest.TotalsWords), units: newUnits(hint)}
	switch x := src.(type) {
	case *xlsxSource:
		rd.parse.serials, rd.parse.date1904 = true, x.date1904
	case *xlsSource:
		rd.parse.serials, rd.parse.date1904 = true, x.date1904
	}
	if c, ok := src.(*csvSource); ok {
		rd.checkUTF8 = c.badUTF8
	}
	if err := rd.sheets(src, in.name); err != nil {
		return res, err
	}
	if j, ok := src.(*jsonSource); ok {
		rd.lateKeys(j)
	}
	if rd.units != nil {
		rd.units.resolve(cfg, ps)
	}
	switch {
	case ps.errors > 0:
	case !rd.content:
		emptyFile(ps, in.name)
	case len(res.Tables) == 0:
		rd.noHeader(in.name)
	case rd.dataRows == 0:
		ps.fileError("no_rows", "Tệp %s có dòng tiêu đề nhưng không có dòng dữ liệu nào. Hãy điền dữ liệu dưới dòng tiêu đề rồi gửi lại.",
			"The file %s has a header row but no data rows; fill in the data under the header and send it again.", in.name)
	}
	return res, nil
}

// checkHint checks that a hint names a dataset and a ward of cfg, and gives
// the dataset's index (-1 for none).
func checkHint(cfg *config.Config, datasets []config.Dataset, hint Hint, name string) (int, error) {
	hintDataset := -1
	if hint.Dataset != "" {
		for i, d := range datasets {
			if d.Name == hint.Dataset {
				hintDataset = i
			}
		}
		if hintDataset < 0 {
			return -1, fmt.Errorf("ingest %s: the hint names no dataset %q", name, hint.Dataset)
		}
	}
	if _, ok := cfg.Ward(hint.Ward); hint.Ward != "" && !ok {
		return -1, fmt.Errorf("ingest %s: the hint names no ward %q", name, hint.Ward)
	}
	return hintDataset, nil
}

// openSource opens the file as the format its first bytes say (res.Format),
// or notes in ps why it cannot be read and returns no source: damaged, too
// large unzipped, encrypted, not a spreadsheet.
func openSource(cfg *config.Config, in input, ps *problems, res *Result) (source, error) {
	head := make([]byte, min(in.size, 4096))
	if _, err := in.r.ReadAt(head, 0); err != nil && !errors.Is(err, io.EOF) {
		return nil, err
	}
	format := sniff(head)
	switch format {
	case FormatXLSX:
		format = zipKind(in.r, in.size, cfg.Ingest.MaxExpandedBytes)
	case FormatXLS:
		format = xlsKind(in.r)
	}
	res.Format = format
	if format == "cfb-damaged" {
		res.Format = FormatXLS
	}
	switch format {
	case FormatXLSX:
		x, err := openXLSX(in.r, in.size, cfg.Ingest.MaxCellBytes)
		if err != nil {
			var ioErr *ioError
			if errors.As(err, &ioErr) {
				return nil, err
			}
			ps.fileError("unreadable", "Tệp %s bị hỏng, Excel không mở được (%v). Hãy mở tệp gốc bằng Excel và lưu lại dạng .xlsx.",
				"The workbook %s is damaged and cannot be opened (%v); open the original in Excel and save it again as .xlsx.", in.name, err)
			return nil, nil
		}
		return x, nil
	case FormatCSV:
		scan := in.size
		if in.peek {
			scan = peekScanBytes
		}
		c, err := openCSV(in.r, in.size, maxRecordBytes(cfg), scan)
		if err != nil {
			return nil, err
		}
		c.maxColumns = cfg.Ingest.MaxColumns
		if c.delim < 0x80 && cfg.Ingest.MaxColumns > 0 {
			// a line may end in empty fields beyond the header's: count far past the limit
			c.guard.delim, c.guard.maxFields = byte(c.delim), 4*cfg.Ingest.MaxColumns+16
		}
		res.Encoding, res.Delimiter = c.encoding, c.delim
		return c, nil
	case FormatXLS:
		x, err := openXLS(in.r, in.size)
		if err != nil {
			var ioErr *ioError
			switch {
			case errors.As(err, &ioErr):
				return nil, err
			case errors.Is(err, errEncrypted):
				notSpreadsheet(ps, in.name, "encrypted")
			default:
				ps.fileError("unreadable", "Tệp %s là bảng tính Excel 97-2003 (.xls) bị hỏng, không đọc được (%v). Hãy mở tệp bằng Excel và lưu lại dạng .xlsx.",
					"The Excel 97-2003 workbook %s is damaged and cannot be read (%v); open it in Excel and save it as .xlsx.", in.name, err)
			}
			return nil, nil
		}
		return x, nil
	case FormatJSON:
		var bom int64
		if bytes.HasPrefix(head, []byte("\xEF\xBB\xBF")) {
			bom = 3
		}
		return &jsonSource{r: io.NewSectionReader(in.r, bom, in.size-bom)}, nil
	case "too_expanded":
		res.Format = FormatXLSX
		ps.fileError("too_large", "Bảng tính %s khi giải nén lớn hơn %s, quá mức cho phép (hoặc bị nén bất thường). Hãy kiểm tra tệp, xóa các trang và ô thừa, hoặc chia thành nhiều tệp nhỏ hơn.",
			"The workbook %s unzips to more than %s, more than allowed (or it is compressed abnormally); check it, delete unused sheets and cells, or split it into smaller files.", in.name, sizeText(cfg.Ingest.MaxExpandedBytes))
		return nil, nil
	default:
		notSpreadsheet(ps, in.name, format)
		return nil, nil
	}
}

// sheets reads every visible sheet of src; a sheet that cannot be read is a
// problem of that sheet, and the others are still read. Only an error of
// reading the file itself, or of emit, stops it.
func (rd *reader) sheets(src source, name string) error {
	ps := rd.ps
	for _, sh := range src.sheets() {
		if sh.hidden {
			if sh.name != templateLists {
				ps.add(Problem{Severity: SevWarning, Sheet: sh.name, Code: "hidden_sheet_skipped",
					VI: fmt.Sprintf("Trang \"%s\" đang bị ẩn nên không được đọc. Nếu trang này có dữ liệu cần gửi, hãy bỏ ẩn trang rồi gửi lại.", sh.name),
					EN: fmt.Sprintf("The sheet %q is hidden, so it is not read; if it holds data to send, unhide it and send the file again.", sh.name)})
			}
			continue
		}
		err := rd.sheet(src, sh)
		if errors.Is(err, errEmit) {
			return rd.emitErr
		}
		var ioErr *ioError
		if errors.As(err, &ioErr) {
			return fmt.Errorf("ingest %s: %w", name, err)
		}
		var ce *contentError
		if errors.As(err, &ce) {
			ps.add(Problem{Severity: SevError, Sheet: sh.name, Row: ce.row, Code: ce.code, VI: ce.vi, EN: ce.en})
		} else if err != nil {
			ps.add(Problem{Severity: SevError, Sheet: sh.name, Code: "unreadable",
				VI: "Không đọc được nội dung tệp (" + err.Error() + "). Hãy mở tệp bằng Excel và lưu lại.",
				EN: "The content cannot be read (" + err.Error() + "); open the file in Excel and save it again."})
		}
	}
	return nil
}

// maxRecordBytes bounds one CSV record: every column's cell at its longest.
func maxRecordBytes(cfg *config.Config) int64 {
	n := int64(max(cfg.Ingest.MaxCellBytes, 1024)) * int64(max(cfg.Ingest.MaxColumns, 16))
	return min(n, 64<<20)
}

func mb(n int64) string { return strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64) }

func emptyFile(ps *problems, name string) {
	ps.fileError("empty_file", "Tệp %s trống, không có dữ liệu. Hãy gửi lại tệp có dữ liệu.", "The file %s is empty; send the file with its data.", name)
}

// sniff names a file's format from its first bytes: xlsx (any zip, looked into
// later), csv, json, or what it is instead.
func sniff(head []byte) string {
	switch {
	case bytes.HasPrefix(head, []byte("PK\x03\x04")), bytes.HasPrefix(head, []byte("PK\x05\x06")):
		return FormatXLSX
	case bytes.HasPrefix(head, []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}):
		return "xls"
	case bytes.HasPrefix(head, []byte("%PDF")):
		return "pdf"
	case bytes.HasPrefix(head, []byte("\x89PNG")), bytes.HasPrefix(head, []byte("\xFF\xD8\xFF")), bytes.HasPrefix(head, []byte("GIF8")),
		bytes.HasPrefix(head, []byte("II*\x00")), bytes.HasPrefix(head, []byte("MM\x00*")),
		len(head) >= 12 && bytes.Equal(head[:4], []byte("RIFF")) && bytes.Equal(head[8:12], []byte("WEBP")):
		return "image"
	case bytes.HasPrefix(head, []byte("{\\rtf")):
		return "rtf"
	case bytes.HasPrefix(head, []byte("Rar!")), bytes.HasPrefix(head, []byte("7z\xBC\xAF")), bytes.HasPrefix(head, []byte{0x1F, 0x8B}):
		return "archive"
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}), bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		return FormatCSV
	}
	t := bytes.TrimLeft(bytes.TrimPrefix(head, []byte("\xEF\xBB\xBF")), " \t\r\n")
	if len(t) > 0 {
		switch t[0] {
		case '[', '{':
			return FormatJSON
		case '<':
			l := bytes.ToLower(t[:min(len(t), 200)])
			if bytes.HasPrefix(l, []byte("<?xml")) && !bytes.Contains(l, []byte("html")) {
				return "xml"
			}
			return "html"
		}
	}
	if utf16NoBOM(head) != "" {
		return FormatCSV
	}
	control := 0
	for _, b := range head {
		if b == 0 {
			return "binary"
		}
		if b < 0x20 && b != '\t' && b != '\n' && b != '\r' && b != '\f' && b != '\v' && b != 0x1A {
			control++
		}
	}
	if control*20 > len(head) {
		return "binary"
	}
	return FormatCSV
}

func notSpreadsheet(ps *problems, name, kind string) {
	const saveVI, saveEN = "Hãy mở tệp bằng Excel và chọn Lưu thành (Save As) dạng \"Excel Workbook (.xlsx)\".", "Open it in Excel and Save As \"Excel Workbook (.xlsx)\"."
	var vi, en string
	switch kind {
	case "xls5":
		vi = "là bảng tính Excel 5.0/95, quá cũ nên không đọc được. " + saveVI
		en = "is an Excel 5.0/95 workbook, too old to be read. " + saveEN
	case "encrypted":
		vi = "là bảng tính Excel có đặt mật khẩu, nên không đọc được. Hãy mở tệp bằng Excel, bỏ mật khẩu (Tệp › Thông tin › Bảo vệ sổ làm việc), rồi lưu lại và gửi lại."
		en = "is a password-protected Excel workbook, which cannot be read. Open it in Excel, remove the password (File › Info › Protect Workbook), save it and send it again."
	case "xlsb":
		vi, en = "là bảng tính Excel dạng nhị phân (.xlsb), không đọc được. "+saveVI, "is a binary Excel workbook (.xlsb), which cannot be read. "+saveEN
	case "ods":
		vi, en = "là bảng tính OpenDocument (.ods), không đọc được. Hãy mở bằng LibreOffice hoặc Excel và lưu lại dạng .xlsx.", "is an OpenDocument spreadsheet (.ods), which cannot be read; open it in LibreOffice or Excel and save it as .xlsx."
	case "html":
		vi, en = "là một trang web (HTML) mang đuôi bảng tính, không phải bảng tính Excel thật. "+saveVI, "is a web page (HTML) named like a spreadsheet, not a real Excel workbook. "+saveEN
	case "xml":
		vi, en = "là bảng tính dạng XML cũ, không đọc được. "+saveVI, "is an old XML spreadsheet, which cannot be read. "+saveEN
	default:
		what := map[string][2]string{
			"pdf": {"một tệp PDF", "a PDF document"}, "image": {"một hình ảnh", "an image"}, "rtf": {"một văn bản", "a text document"},
			"docx": {"một văn bản Word", "a Word document"}, "zip": {"một tệp nén (.zip)", "a zip archive"}, "archive": {"một tệp nén", "a compressed archive"},
			"damaged": {"một tệp nén bị hỏng", "a damaged zip file"}, "doc": {"một văn bản Word 97-2003 (.doc)", "a Word 97-2003 document (.doc)"},
			"ppt": {"một bài trình chiếu PowerPoint", "a PowerPoint presentation"}, "cfb": {"một tài liệu Office không phải bảng tính", "an Office document that is not a workbook"},
			"cfb-damaged": {"một tài liệu Office (Excel 97-2003, Word 97-2003) bị hỏng", "a damaged Office document (Excel or Word 97-2003)"},
		}[kind]
		if what[0] == "" {
			what = [2]string{"một tệp nhị phân", "a binary file"}
		}
		vi = fmt.Sprintf("không phải bảng tính Excel (.xlsx) hay CSV mà là %s. Hãy gửi chính bảng tính dữ liệu: mở bằng Excel và lưu lại dưới dạng .xlsx.", what[0])
		en = fmt.Sprintf("is not an Excel workbook (.xlsx) or CSV file but %s. Send the data's spreadsheet itself: open it in Excel and save it as .xlsx.", what[1])
	}
	ps.add(Problem{Severity: SevError, Code: "not_a_spreadsheet", VI: "Tệp " + name + " " + vi, EN: "The file " + name + " " + en})
}

// reader reads the tables of one file.
type reader struct {
	cfg         *config.Config
	datasets    []config.Dataset
	voc         *vocabulary
	fileName    string
	ps          *problems
	hintDataset int
	emit        func(*Table, Row) error
	emitErr     error
	res         *Result
	format      string
	parse       *parser
	totals      *totals
	checkUTF8   bool

	content  bool // a non-empty cell was seen
	dataRows int  // rows read as data, valid or not
	nearest  *nearMiss
	units    *units // the wards as written, checked against the register; nil without one
}

// nearMiss is the row that came closest to a header, for the message when no
// table is found.
type nearMiss struct {
	sheet   string
	row     int
	dataset int
	missing []string
	matched int
}

// scanLimit bounds the rows kept while looking for the header, blank ones
// included.
const scanLimit = 10000

// sheet reads one sheet: it keeps its first rows to find the header, then
// streams the data rows.
func (rd *reader) sheet(src source, sh sheetInfo) error {
	var scan []headerRow
	type kept struct {
		n     int
		cells []string // nil: blank
	}
	var keep []kept
	var t *Table
	decide := func() error {
		t = rd.table(sh.name, scan)
		if t == nil {
			return errStopSheet
		}
		for _, k := range keep {
			if k.n > t.HeaderRow {
				if err := rd.row(t, k.n, k.cells); err != nil {
					return err
				}
			}
		}
		scan, keep = nil, nil
		return nil
	}
	lim := rd.cfg.Ingest
	rows := 0
	err := src.rows(sh.name, func(n int, cells []string) error {
		if err := rd.limits(lim, n, cells, &rows); err != nil {
			return err
		}
		if t != nil {
			return rd.row(t, n, cells)
		}
		if blank(cells) {
			if len(keep) > 0 {
				keep = append(keep, kept{n, nil})
			}
		} else {
			rd.content = true
			scan = append(scan, newHeaderRow(n, cells))
			keep = append(keep, kept{n, append([]string(nil), cells...)})
		}
		if len(scan) >= headerScan || len(keep) >= scanLimit || rd.format == FormatJSON && len(scan) > 0 && scan[0].num == 0 && n > 0 {
			return decide()
		}
		return nil
	})
	if errors.Is(err, errStopSheet) {
		return nil
	}
	if err == nil && t == nil && len(scan) > 0 {
		if err = decide(); errors.Is(err, errStopSheet) {
			return nil
		}
	}
	if t != nil {
		rd.finish(t)
		rd.finishNotes(t)
	}
	return err
}

var errStopSheet = errors.New("no table on this sheet")

// limits refuses a row wider, a cell longer, or a sheet longer than the
// configured limits: one problem, and the sheet is read no further.
func (rd *reader) limits(lim config.Ingest, n int, cells []string, rows *int) error {
	*rows++
	if lim.MaxRows > 0 && *rows > lim.MaxRows {
		return &contentError{code: "too_many_rows", row: n,
			vi: fmt.Sprintf("Trang tính có hơn %d dòng, quá mức tối đa cho một tệp. Hãy chia dữ liệu thành nhiều tệp nhỏ hơn.", lim.MaxRows),
			en: fmt.Sprintf("The sheet has more than %d rows, more than a file may have; split the data into smaller files.", lim.MaxRows)}
	}
	if lim.MaxColumns > 0 && len(cells) > lim.MaxColumns {
		last := len(cells)
		for last > 0 && cells[last-1] == "" {
			last--
		}
		if last > lim.MaxColumns {
			return tooManyColumns(n, last, lim.MaxColumns)
		}
	}
	if lim.MaxCellBytes > 0 {
		for j, c := range cells {
			if len(c) > lim.MaxCellBytes {
				return &contentError{code: "cell_too_long", row: n,
					vi: fmt.Sprintf("Ô %s%d dài %s, quá mức tối đa %s của một ô. Hãy kiểm tra ô này (có thể là dữ liệu dán nhầm) rồi gửi lại.", rd.letter(j), n, sizeText(int64(len(c))), sizeText(int64(lim.MaxCellBytes))),
					en: fmt.Sprintf("Cell %s%d is %s long, more than the %s a cell may hold; check it (it may be pasted by mistake) and send the file again.", rd.letter(j), n, sizeText(int64(len(c))), sizeText(int64(lim.MaxCellBytes)))}
			}
		}
	}
	return nil
}

// blank reports a row with nothing but spaces.
func blank(cells []string) bool {
	for _, c := range cells {
		if clean(c) != "" {
			return false
		}
	}
	return true
}

// table finds and binds the table of a sheet, or says why there is none.
func (rd *reader) table(sheet string, scan []headerRow) *Table {
	cands := findHeader(rd.voc, rd.datasets, scan)
	if rd.format == FormatJSON { // the keys are the header
		var keys []candidate
		for _, c := range cands {
			if scan[c.row].num == 0 && !c.merged {
				keys = append(keys, c)
			}
		}
		cands = keys
	}
	b, ok := best(cands, rd.datasets, -1)
	if rd.hintDataset >= 0 {
		h, okH := best(cands, rd.datasets, rd.hintDataset)
		switch {
		case okH && (!ok || b.dataset == rd.hintDataset || h.complete(rd.datasets) || !b.complete(rd.datasets)):
			b, ok = h, true
		case ok:
			want, got := rd.datasets[rd.hintDataset], rd.datasets[b.dataset]
			rd.ps.add(Problem{Severity: SevError, Sheet: sheet, Row: scan[b.row].num, Code: "dataset_mismatch",
				VI: fmt.Sprintf("Tệp được gửi là \"%s\", nhưng dòng tiêu đề là của biểu \"%s\". Hãy gửi đúng biểu, hoặc đặt tệp vào đúng chỗ.", want.Title, got.Title),
				EN: fmt.Sprintf("The file was sent as %q, but its header row is that of %q; send the right form, or put the file in the right place.", want.TitleEN, got.TitleEN)})
			return nil
		}
	}
	if !ok {
		rd.remember(sheet, scan)
		if sheet != "" && sheet != templateHelp {
			rd.ps.add(Problem{Severity: SevWarning, Sheet: sheet, Code: "sheet_skipped",
				VI: fmt.Sprintf("Trang \"%s\" không có dòng tiêu đề nào khớp với một biểu mẫu nên được bỏ qua.", sheet),
				EN: fmt.Sprintf("No header row on the sheet %q matches a form, so the sheet is skipped.", sheet)})
		}
		return nil
	}
	t := &Table{Sheet: sheet, Dataset: rd.datasets[b.dataset], HeaderRow: scan[b.row].num}
	for i, c := range b.cells {
		if c.text != "" {
			t.width = i + 1
		}
	}
	top := b.row
	if b.merged {
		top-- // the upper header row
	}
	for _, r := range scan[:max(top, 0)] {
		for _, c := range r.cells {
			if c != "" {
				t.Titles = append(t.Titles, c)
			}
		}
	}
	rd.bind(t, b, rd.datasets)
	rd.prepare(t)
	rd.res.Tables = append(rd.res.Tables, t)
	return t
}

// remember keeps the row that came closest to a header of some dataset.
func (rd *reader) remember(sheet string, scan []headerRow) {
	for _, r := range scan {
		present := map[int]map[int]bool{}
		for j := range r.cells {
			refs, _ := rd.voc.lookup(headerCell{text: r.cells[j], folded: r.folded[j]})
			for _, ref := range refs {
				if present[ref.dataset] == nil {
					present[ref.dataset] = map[int]bool{}
				}
				present[ref.dataset][ref.column] = true
			}
		}
		for di, cols := range present {
			if len(cols) < 2 || rd.nearest != nil && len(cols) <= rd.nearest.matched {
				continue
			}
			var missing []string
			for ci, c := range rd.datasets[di].Columns {
				if c.Required && !cols[ci] {
					missing = append(missing, c.Header)
				}
			}
			rd.nearest = &nearMiss{sheet: sheet, row: r.num, dataset: di, missing: missing, matched: len(cols)}
		}
	}
}

func (rd *reader) noHeader(name string) {
	vi := fmt.Sprintf("Không tìm thấy bảng dữ liệu trong tệp %s: không có dòng tiêu đề nào khớp với một biểu mẫu (ví dụ \"Mã công dân\", \"Họ và tên\", \"Ngày đăng ký\"). Hãy dùng biểu mẫu do Hội Khuyến học gửi.", name)
	en := fmt.Sprintf("No table found in %s: no header row matches a form (such as \"Mã công dân\", \"Họ và tên\", \"Ngày đăng ký\"); use the form the association sends.", name)
	p := Problem{Severity: SevError, Code: "no_header", VI: vi, EN: en}
	if n := rd.nearest; n != nil {
		d := rd.datasets[n.dataset]
		p.Sheet, p.Row = n.sheet, n.row
		where, whereEN := fmt.Sprintf("Dòng %d", n.row), fmt.Sprintf("Row %d", n.row)
		if rd.format == FormatJSON {
			where, whereEN = "Các khóa của bản ghi", "The records' keys"
		}
		p.VI = fmt.Sprintf("Không tìm thấy bảng dữ liệu trong tệp %s. %s giống dòng tiêu đề của biểu \"%s\" nhưng thiếu các cột bắt buộc: %s. Hãy thêm các cột này (hoặc dùng biểu mẫu do Hội Khuyến học gửi).", name, where, d.Title, quoted(n.missing))
		p.EN = fmt.Sprintf("No table found in %s. %s look like the header of %q but lack the required columns %s; add them (or use the form the association sends).", name, whereEN, d.TitleEN, quoted(n.missing))
	}
	rd.ps.add(p)
}

// lateKeys reports the keys of a JSON file first seen after its header was
// made: an error for a key of the table's dataset (its values would be lost),
// else a warning.
func (rd *reader) lateKeys(j *jsonSource) {
	for i, k := range j.late {
		sev := SevWarning
		refs, _ := rd.voc.lookup(headerCell{text: k, folded: config.Fold(k)})
		for _, ref := range refs {
			for _, t := range rd.res.Tables {
				if rd.datasets[ref.dataset].Name == t.Dataset.Name {
					sev = SevError
				}
			}
		}
		rd.ps.add(Problem{Severity: sev, Row: j.lateRec[i], Column: "\"" + k + "\"", Code: "late_key",
			VI: fmt.Sprintf("Khóa \"%s\" chỉ xuất hiện từ bản ghi %d, sau %d bản ghi đầu, nên không được đọc. Hãy xuất lại tệp với đủ các cột ở mọi bản ghi.", k, j.lateRec[i], jsonScan),
			EN: fmt.Sprintf("The key %q first appears in record %d, after the first %d records, so it is not read; export the file again with every column in every record.", k, j.lateRec[i], jsonScan)})
	}
}

// rowState is where a table's reading stands.
type rowState struct {
	plain    []int       // the bound columns read anew in every row
	memo     []int       // the bound columns whose cells are remembered
	last     []*lastCell // per dataset column: the cell read last
	own      []lastCell  // per dataset column: where a cell just parsed is kept
	isReq    []bool      // per dataset column: required
	failed   []failedCell
	required int     // required columns of the dataset
	groups   [][]int // the dataset's all-or-none groups, by column index
	requires []requirement
	birth    int // the birth-year column, or -1
	joined   int // the registration-date column, or -1

	data     int   // rows read as data, valid or not
	blanks   []int // the first blank rows between data rows (reported)
	nblanks  int   // how many there are
	pending  []int // blank rows since the last data row
	tail     bool  // after a totals row, or a blank row after data: rows wait
	deferred []deferredRow
	footer   []int
}

// requirement: column then must be filled when column at holds is.
type requirement struct {
	at, then int
	is       any
}

type failedCell struct {
	column int
	f      fault
}

// lastCell is a cell already read: the last one of its column (a column
// often repeats the cell above), or one remembered by its text. Such a cell
// is neither cleaned nor parsed again.
type lastCell struct {
	raw   string
	clean string
	v     any
	f     fault
	read  how // for a category: how it was read, as entry
	entry int
}

type deferredRow struct {
	n     int
	cells []string // nil: blank
}

// tailMax bounds the rows that wait in a table's tail.
const tailMax = 50

func (rd *reader) prepare(t *Table) {
	s := &t.read
	s.last = make([]*lastCell, len(t.Dataset.Columns))
	s.own = make([]lastCell, len(t.Dataset.Columns))
	s.isReq = make([]bool, len(t.Dataset.Columns))
	s.birth, s.joined = -1, -1
	for _, q := range t.Dataset.Requires {
		at, then := t.Dataset.Index(q.If), t.Dataset.Index(q.Then)
		if at >= 0 && then >= 0 && t.src[at] >= 0 {
			s.requires = append(s.requires, requirement{at, then, q.Is})
		}
	}
	for _, g := range t.Dataset.AllOrNone {
		var at []int
		for _, k := range g {
			if i := t.Dataset.Index(k); i >= 0 {
				at = append(at, i)
			}
		}
		s.groups = append(s.groups, at)
	}
	for i, c := range t.Dataset.Columns {
		if c.Required && t.src[i] >= 0 {
			s.required++
			s.isReq[i] = true
		}
		if t.fixed[i] != nil {
			t.values[i] = t.fixed[i]
		}
		switch {
		case t.src[i] < 0:
		case t.memo[i] != nil:
			s.memo = append(s.memo, i)
		default:
			s.plain = append(s.plain, i)
		}
		switch {
		case c.Key == "birth_year" && t.src[i] >= 0:
			s.birth = i
		case c.Key == "registered_on" && t.src[i] >= 0:
			s.joined = i
		}
	}
}

// Kinds of rows.
const (
	rowBlank  = iota // nothing in the dataset's columns
	rowTotals        // "Tổng cộng"
	rowSparse        // less than half of the required columns filled: a note or a signature, or an incomplete row
	rowData
)

// scan reads the cells of the dataset's columns — their values into
// t.values, their faults into the row state — and says what kind of row it
// is. One pass: a row is cleaned and typed once, whatever it turns out to be.
func (rd *reader) scan(t *Table, n int, cells []string) int {
	if rd.totals.row(cells) {
		return rowTotals
	}
	s := &t.read
	s.failed = s.failed[:0]
	filled, required := 0, 0
	for _, i := range s.plain {
		c, k := "", t.kinds[i]
		if j := t.src[i]; j < len(cells) {
			if k == kScore || k == kNumber {
				if x, ok := tenths(cells[j]); ok { // no spaces to trim
					filled++
					if s.isReq[i] {
						required++
					}
					v, f := rd.parse.fromTenths(&t.Dataset.Columns[i], k, x)
					if f != okCell {
						s.failed = append(s.failed, failedCell{i, f})
						continue
					}
					t.values[i] = v
					continue
				}
			}
			c = clean(cells[j])
		}
		if c != "" {
			filled++
			if s.isReq[i] {
				required++
			}
		}
		v, f := rd.parse.parse(&t.Dataset.Columns[i], k, c)
		if rd.checkUTF8 && f == okCell && !utf8.ValidString(c) {
			f = fEncoding
		}
		if f != okCell {
			s.failed = append(s.failed, failedCell{i, f})
			continue
		}
		t.values[i] = v
	}
	for _, i := range s.memo {
		raw := ""
		if j := t.src[i]; j < len(cells) {
			raw = cells[j]
		}
		e := s.last[i]
		if e == nil || raw != e.raw {
			if e = t.memo[i][raw]; e == nil {
				c := clean(raw)
				rd.parse.how = readExact
				v, f := rd.parse.parse(&t.Dataset.Columns[i], t.kinds[i], c)
				if rd.checkUTF8 && f == okCell && !utf8.ValidString(c) {
					f = fEncoding
				}
				e = &s.own[i]
				*e = lastCell{raw: raw, clean: c, v: v, f: f, read: rd.parse.how, entry: rd.parse.entry}
				if m := t.memo[i]; len(m) < memoMax {
					c := *e
					m[raw] = &c
				}
			}
			s.last[i] = e
		}
		if e.clean != "" {
			filled++
			if s.isReq[i] {
				required++
			}
		}
		if e.f != okCell {
			s.failed = append(s.failed, failedCell{i, e.f})
			continue
		}
		if e.read != readExact && e.clean != "" {
			rd.readAs(t, i, e, n)
		}
		t.values[i] = e.v
	}
	switch {
	case filled == 0:
		return rowBlank
	case required*2 < s.required:
		return rowSparse
	}
	return rowData
}

// row reads one row of a table's body.
//
// Blank rows and totals rows are skipped with a warning. After a totals row,
// or a blank row that follows data, rows wait: the notes and signatures that
// close a report ("Người lập biểu", a name, a date) are sparse rows at the end
// of a sheet, skipped with a warning; if a full data row comes, the rows that
// waited are read as any other.
func (rd *reader) row(t *Table, n int, cells []string) error {
	if !t.usable {
		return nil // its missing columns are reported
	}
	s := &t.read
	if rd.format == FormatCSV && cells != nil && t.width > 0 && len(cells) > t.width && !blank(cells[t.width:]) {
		s.data++
		rd.dataRows++
		rd.ps.add(Problem{Severity: SevError, Sheet: t.Sheet, Row: n, Value: strings.Join(cells, string(rd.res.Delimiter)), Code: "field_count",
			VI: fmt.Sprintf("Dòng %d có %d ô nhưng dòng tiêu đề chỉ có %d cột, nên các giá trị bị lệch cột. Thường là do một số thập phân viết bằng dấu phẩy (như 7,5) trong tệp dùng dấu phẩy để phân cách: hãy viết 7.5, hoặc lưu lại tệp bằng Excel dạng CSV.", n, len(cells), t.width),
			EN: fmt.Sprintf("Line %d has %d fields where the header has %d columns, so its values are shifted. Most often a decimal comma (such as 7,5) in a comma-separated file split one value in two: write 7.5, or save the file again from Excel as CSV.", n, len(cells), t.width)})
		return nil
	}
	if s.data == 0 && cells != nil && numbering(cells) {
		rd.ps.add(Problem{Severity: SevNote, Sheet: t.Sheet, Row: n, Code: "numbering_row_skipped",
			VI: fmt.Sprintf("Dòng %d chỉ đánh số thứ tự các cột (1, 2, 3, …) nên được bỏ qua.", n),
			EN: fmt.Sprintf("Row %d only numbers the columns (1, 2, 3, …), so it is skipped.", n)})
		return nil
	}
	kind := rowBlank
	if cells != nil {
		kind = rd.scan(t, n, cells)
	}
	if s.tail {
		if kind != rowData && len(s.deferred) < tailMax {
			var c []string
			if kind != rowBlank {
				c = append([]string(nil), cells...)
			}
			s.deferred = append(s.deferred, deferredRow{n, c})
			return nil
		}
		// a data row, or a tail too long to be a report's end
		if err := rd.replay(t); err != nil {
			return err
		}
		if cells != nil {
			kind = rd.scan(t, n, cells) // replay scanned other rows
		}
	}
	return rd.body(t, n, kind, cells)
}

// numbering reports the row under a header that numbers its columns, as
// official forms do: "(1)", "(2)", "(3)"… or "A", "B", 1, 2, 3…, at least
// three numbers, each one more than the last.
func numbering(cells []string) bool {
	last, numbers := 0, 0
	for _, raw := range cells {
		c := clean(raw)
		if c == "" {
			continue
		}
		if len(c) == 1 && c[0] >= 'A' && c[0] <= 'Z' && numbers == 0 {
			continue
		}
		if len(c) >= 3 && c[0] == '(' && c[len(c)-1] == ')' {
			c = c[1 : len(c)-1]
		}
		n, err := strconv.Atoi(c)
		if err != nil || len(c) > 2 || (numbers > 0 && n != last+1) {
			return false
		}
		last = n
		numbers++
	}
	return numbers >= 3
}

// body reads a scanned row in the body of the table.
func (rd *reader) body(t *Table, n int, kind int, cells []string) error {
	s := &t.read
	switch kind {
	case rowBlank:
		if s.data > 0 {
			s.pending = append(s.pending, n)
			s.tail = true
		}
		return nil
	case rowTotals:
		rd.ps.add(Problem{Severity: SevNote, Sheet: t.Sheet, Row: n, Code: "totals_row_skipped",
			VI: fmt.Sprintf("Dòng %d là dòng tổng cộng nên được bỏ qua: tổng số do hệ thống tự tính.", n),
			EN: fmt.Sprintf("Row %d is a totals row, so it is skipped: totals are computed.", n)})
		s.tail = true
		return nil
	}
	if s.data > 0 {
		s.nblanks += len(s.pending)
		for _, b := range s.pending {
			if len(s.blanks) <= 10 {
				s.blanks = append(s.blanks, b)
			}
		}
	}
	s.pending = s.pending[:0]
	s.data++
	rd.dataRows++
	return rd.data(t, n, cells)
}

// replay reads the rows that waited, as any other.
func (rd *reader) replay(t *Table) error {
	s := &t.read
	s.tail = false
	waiting := s.deferred
	s.deferred = nil
	for _, d := range waiting {
		if d.cells == nil { // between data rows: reported
			s.pending = append(s.pending, d.n)
			continue
		}
		if err := rd.body(t, d.n, rd.scan(t, d.n, d.cells), d.cells); err != nil {
			return err
		}
		s.tail = false
	}
	return nil
}

// readAs notes that the cell of column i in row n was read as a category it
// does not name exactly: once per distinct value, with its rows.
func (rd *reader) readAs(t *Table, i int, e *lastCell, n int) {
	k := noteKey{i, e.clean}
	nt := t.notes[k]
	if nt == nil {
		if len(t.notes) >= maxNotes {
			return
		}
		if t.notes == nil {
			t.notes = map[noteKey]*note{}
		}
		nt = &note{cell: *e, first: len(t.noteOrder)}
		t.notes[k] = nt
		t.noteOrder = append(t.noteOrder, k)
	}
	if len(nt.rows) == 0 || nt.rows[len(nt.rows)-1] != n {
		if len(nt.rows) < maxRowsListed {
			nt.rows = append(nt.rows, n)
		}
		nt.count++
	}
}

// finishNotes reports how the table's values were read.
func (rd *reader) finishNotes(t *Table) {
	for _, k := range t.noteOrder {
		nt := t.notes[k]
		c := &t.Dataset.Columns[k.column]
		l := rd.parse.cats[c.Type]
		if l == nil {
			continue
		}
		e := l.entries[nt.cell.entry]
		vi, en := readingWords(nt.cell.read)
		rd.ps.add(Problem{Severity: SevNote, Sheet: t.Sheet, Row: nt.rows[0], Rows: nt.rows, RowCount: nt.count, Column: t.labels[k.column], Value: k.value, Code: "read_as",
			VI: fmt.Sprintf("\"%s\" được đọc là %s%s.", k.value, l.describe(e, false), vi),
			EN: fmt.Sprintf("%q is read as %s%s.", k.value, l.describe(e, true), en)})
	}
}

// readingWords say how a value was read, for a note.
func readingWords(h how) (vi, en string) {
	switch h {
	case readCode:
		return " (theo mã)", " (its code)"
	case readNumber:
		return " (theo số thứ tự)", " (its number)"
	case readAlias:
		return " (tên gọi khác đã khai báo)", " (a configured alias)"
	case readAbbreviation:
		return " (viết tắt hoặc viết gọn)", " (an abbreviation)"
	case readParts:
		return " (các phần đều chỉ cùng một loại)", " (its parts all name it)"
	}
	return "", ""
}

// finish reports what waited at the end of a table, and its blank rows.
func (rd *reader) finish(t *Table) {
	s := &t.read
	for _, d := range s.deferred {
		if d.cells == nil {
			continue
		}
		switch rd.scan(t, d.n, d.cells) {
		case rowTotals:
			rd.body(t, d.n, rowTotals, d.cells)
		case rowSparse:
			s.footer = append(s.footer, d.n)
		}
	}
	s.deferred = nil
	if len(s.footer) > 0 {
		rd.ps.add(Problem{Severity: SevNote, Sheet: t.Sheet, Row: s.footer[0], Code: "footer_skipped",
			VI: fmt.Sprintf("Các dòng ở cuối bảng (dòng %s) thiếu phần lớn các cột bắt buộc, có vẻ là phần ghi chú hoặc ký tên, nên được bỏ qua. Nếu đó là dữ liệu, hãy điền đủ các cột bắt buộc rồi gửi lại.", rowList(s.footer)),
			EN: fmt.Sprintf("The rows at the end of the table (rows %s) lack most required columns and look like notes or signatures, so they are skipped; if they are data, fill in the required columns and send the file again.", rowList(s.footer))})
	}
	if s.nblanks > 0 {
		rd.ps.add(Problem{Severity: SevWarning, Sheet: t.Sheet, Row: s.blanks[0], Code: "blank_row_skipped",
			VI: fmt.Sprintf("Có %d dòng trống giữa các dòng dữ liệu được bỏ qua (dòng %s).", s.nblanks, rowList(s.blanks)),
			EN: fmt.Sprintf("%d blank rows between the data rows are skipped (rows %s).", s.nblanks, rowList(s.blanks))})
	}
}

// data reports the faults of a scanned data row, in the order of its columns,
// or emits it.
func (rd *reader) data(t *Table, n int, cells []string) error {
	s := &t.read
	if len(s.failed) > 0 {
		slices.SortFunc(s.failed, func(a, b failedCell) int { return t.src[a.column] - t.src[b.column] })
		for _, c := range s.failed {
			rd.cellProblem(t, n, c.column, c.f, cells)
		}
		return nil
	}
	for i, j := range t.derived {
		if j < 0 {
			continue
		}
		if ts, ok := t.values[j].(time.Time); ok {
			t.values[i] = dayOf(ts, rd.parse.loc)
		} else if t.Dataset.Columns[i].Required {
			rd.cellProblem(t, n, j, fMissing, cells)
			return nil
		}
	}
	for _, q := range s.requires {
		if t.values[q.at] != nil && t.values[q.at] == q.is && t.values[q.then] == nil {
			c, cond := t.Dataset.Columns[q.then], t.Dataset.Columns[q.at]
			rd.ps.add(Problem{Severity: SevError, Sheet: t.Sheet, Row: n, Column: t.labels[q.then], Code: "missing_subject",
				VI: fmt.Sprintf("Dòng này có cột \"%s\" là \"%s\" nên phải ghi \"%s\", nhưng ô đó trống. Hãy ghi \"%s\".", cond.Header, clean(cells[t.src[q.at]]), c.Header, c.Header),
				EN: fmt.Sprintf("The row's %q is %q, so it needs %q, which is empty; fill in %q.", cond.Header, clean(cells[t.src[q.at]]), c.Header, c.Header)})
			return nil
		}
	}
	for _, g := range s.groups {
		given := 0
		for _, i := range g {
			if t.values[i] != nil {
				given++
			}
		}
		if given > 0 && given < len(g) {
			first, last := t.Dataset.Columns[g[0]], t.Dataset.Columns[g[len(g)-1]]
			rd.ps.add(Problem{Severity: SevError, Sheet: t.Sheet, Row: n, Column: fmt.Sprintf("\"%s\" … \"%s\"", first.Header, last.Header), Code: "partial_review",
				VI: fmt.Sprintf("Chỉ có %d trong %d điểm thẩm định: hãy ghi điểm thẩm định cho tất cả các chỉ số, hoặc để trống tất cả.", given, len(g)),
				EN: fmt.Sprintf("Only %d of %d reviewed scores are given: give a reviewed score for every indicator, or none.", given, len(g))})
			return nil
		}
	}
	if s.birth >= 0 && s.joined >= 0 && t.values[s.birth] != nil && t.values[s.joined] != nil {
		if y, d := t.values[s.birth].(int64), t.values[s.joined].(time.Time); int(y) > d.Year() {
			rd.ps.add(Problem{Severity: SevError, Sheet: t.Sheet, Row: n, Column: t.labels[s.birth], Value: clean(cells[t.src[s.birth]]), Code: "out_of_range",
				VI: fmt.Sprintf("Năm sinh %d ở sau ngày đăng ký %s. Hãy kiểm tra lại năm sinh.", y, d.Format("02/01/2006")),
				EN: fmt.Sprintf("Birth year %d is after the registration date %s; check the birth year.", y, d.Format("02/01/2006"))})
			return nil
		}
	}
	if rd.units != nil {
		rd.units.note(t, n, cells)
	}
	t.Rows++
	rd.res.Rows++
	if rd.emit != nil {
		if err := rd.emit(t, Row{Number: n, Values: t.values}); err != nil {
			rd.emitErr = err
			return errEmit
		}
	}
	return nil
}

// cellProblem reports cell i of row n; beyond the problems kept, it only counts.
func (rd *reader) cellProblem(t *Table, n, i int, f fault, cells []string) {
	v := ""
	if j := t.src[i]; j < len(cells) {
		v = strings.ToValidUTF8(clean(cells[j]), "�")
	}
	code, vi, en := rd.parse.message(f, &t.Dataset.Columns[i], v)
	rd.ps.add(Problem{Severity: SevError, Sheet: t.Sheet, Row: n, Column: t.labels[i], Value: v, Code: code, VI: vi, EN: en})
}
