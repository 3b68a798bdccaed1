package wardfile

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"

	"github.com/orisano/gosax"
)

// xlsxSource reads the sheets of a workbook row by row, with raw cell values:
// numbers as stored (a date is its serial number), never as formatted for
// display. It streams each sheet's XML straight from the zip with a SAX
// tokenizer (gosax): nothing is unzipped beyond the part being read, and the
// only part held whole is the shared strings, in one string.
//
// Cell values are what excelize gives with RawCellValue (the reader it
// replaced, kept for writing; TestXLSXAsExcelize compares the two): a shared
// or inline string's text runs joined without their phonetic runs, _xHHHH_
// escapes decoded; a number, boolean, error or ISO date as written; a formula's
// cached value. A cell with neither value nor formula is no cell. What
// excelize passed over silently — a sheet whose XML is cut short, a shared
// string index past the table, rows or cells out of order — is refused here.
type xlsxSource struct {
	z        *zip.Reader
	parts    map[string]*zip.File // by name, '/'-separated
	list     []xlsxSheet
	strs     *sharedStrings // nil until a sheet is read
	strsPath string
	date1904 bool
	maxToken int64
	cells    []string
	values   map[string]string // short values seen, each kept once
}

type xlsxSheet struct {
	sheetInfo
	part string // "" when the workbook names no part for it
}

// openXLSX opens a workbook: its list of sheets, where their parts are, the
// date system. maxCell bounds a cell's text: a token of the XML longer than
// that and its markup is refused before it is buffered whole.
func openXLSX(r io.ReaderAt, size int64, maxCell int) (*xlsxSource, error) {
	// through a section, a zip directory naming offsets past the file's end
	// (or before its start) reads an end, not a failure of the file's reads
	z, err := zip.NewReader(io.NewSectionReader(r, 0, size), size)
	if err != nil {
		return nil, err
	}
	x := &xlsxSource{z: z, parts: make(map[string]*zip.File, len(z.File)), values: make(map[string]string)}
	x.maxToken = int64(max(maxCell, 32<<10))*4 + 1<<20
	for _, f := range z.File {
		name := strings.TrimPrefix(strings.ReplaceAll(f.Name, `\`, "/"), "/")
		if _, dup := x.parts[name]; !dup {
			x.parts[name] = f
		}
	}
	rels, err := x.relationships("xl/_rels/workbook.xml.rels", "xl")
	if err != nil {
		return nil, err
	}
	x.strsPath = "xl/sharedStrings.xml"
	for _, rel := range rels {
		if strings.HasSuffix(rel.kind, "/sharedStrings") {
			x.strsPath = rel.target
		}
	}
	if err := x.workbook(rels); err != nil {
		return nil, err
	}
	return x, nil
}

func (x *xlsxSource) sheets() []sheetInfo {
	out := make([]sheetInfo, len(x.list))
	for i, s := range x.list {
		out[i] = s.sheetInfo
	}
	return out
}

func (x *xlsxSource) close() error { return nil }

type relationship struct{ id, kind, target string }

// relationships reads a part's relationships, their targets resolved against
// dir; a missing part has none.
func (x *xlsxSource) relationships(part, dir string) ([]relationship, error) {
	var out []relationship
	err := x.scan(part, false, func(ev xmlEvent) error {
		if ev.kind != gosax.EventStart || ev.name != "Relationship" {
			return nil
		}
		var rel relationship
		var external bool
		err := ev.attrs(func(k, v []byte) {
			switch string(k) {
			case "Id":
				rel.id = string(v)
			case "Type":
				rel.kind = string(v)
			case "Target":
				rel.target = string(v)
			case "TargetMode":
				external = string(v) == "External"
			}
		})
		if err != nil || external {
			return err
		}
		if t := strings.ReplaceAll(rel.target, `\`, "/"); strings.HasPrefix(t, "/") {
			rel.target = path.Clean(t)[1:]
		} else {
			rel.target = path.Join(dir, t)
		}
		out = append(out, rel)
		return nil
	})
	if errors.Is(err, errNoPart) {
		return nil, nil
	}
	return out, err
}

// workbook reads the sheets' names, visibility and parts, and the date system.
func (x *xlsxSource) workbook(rels []relationship) error {
	target := make(map[string]string, len(rels))
	for _, rel := range rels {
		target[rel.id] = rel.target
	}
	return x.scan("xl/workbook.xml", false, func(ev xmlEvent) error {
		if ev.kind != gosax.EventStart {
			return nil
		}
		switch ev.name {
		case "workbookPr":
			return ev.attrs(func(k, v []byte) {
				if string(k) == "date1904" {
					x.date1904 = string(v) == "1" || string(v) == "true"
				}
			})
		case "sheet":
			var s xlsxSheet
			err := ev.attrs(func(k, v []byte) {
				switch string(k) {
				case "name":
					s.name = string(v)
				case "state":
					s.hidden = string(v) == "hidden" || string(v) == "veryHidden"
				case "id": // r:id
					s.part = target[string(v)]
				}
			})
			x.list = append(x.list, s)
			return err
		}
		return nil
	})
}

// rows streams a sheet's rows, numbered as Excel numbers them (a row missing
// from the file comes as an empty row).
func (x *xlsxSource) rows(sheet string, fn func(int, []string) error) error {
	var part string
	for _, s := range x.list {
		if s.name == sheet {
			part = s.part
		}
	}
	if x.parts[part] == nil {
		return xlsxError(fmt.Errorf("the workbook has no part for sheet %q", sheet))
	}
	if x.strs == nil {
		s, err := x.sharedStrings()
		if err != nil {
			return xlsxError(err)
		}
		x.strs = s
	}
	sr := sheetReader{x: x, fn: fn}
	err := x.scan(part, true, sr.event)
	var bad *xmlError
	if errors.As(err, &bad) {
		return xlsxError(bad.err)
	}
	return err
}

// sheetReader gathers the cells of one sheet's rows.
type sheetReader struct {
	x     *xlsxSource
	fn    func(int, []string) error
	open  bool // inside sheetData (rows before it are read too, as excelize reads them)
	done  bool // past sheetData
	row   int  // the row being read, 0 outside one
	last  int  // the last row given to fn
	col   int  // the cell's column, 1-based
	typ   string
	inV   bool   // inside the cell's <v>
	skip  int    // elements open inside <v>, whose text is not the value's
	val   []byte // of <v>; a later <v> replaces it
	is    richText
	hasIS bool
	hasF  bool
	cell  bool // inside a cell
}

func (sr *sheetReader) event(ev xmlEvent) error {
	if sr.done {
		return nil
	}
	switch ev.kind {
	case gosax.EventStart:
		if sr.inV {
			sr.skip++
			return nil
		}
		if sr.is.in {
			sr.is.start(ev.name)
			return nil
		}
		switch ev.name {
		case "sheetData":
			sr.open = true
		case "row":
			if sr.row != 0 { // a row inside a row ends it, as in excelize
				if err := sr.endRow(); err != nil {
					return err
				}
			}
			return sr.startRow(ev)
		case "c":
			if !sr.cell {
				return sr.startCell(ev)
			}
		case "v":
			if sr.cell {
				sr.inV, sr.val = true, sr.val[:0]
			}
		case "f":
			sr.hasF = sr.hasF || sr.cell
		case "is":
			if sr.cell {
				sr.is.begin()
				sr.hasIS = true
			}
		}
	case gosax.EventText, gosax.EventCData:
		switch {
		case sr.inV && sr.skip == 0:
			sr.val = append(sr.val, ev.text...)
		case sr.is.in:
			sr.is.text(ev.text)
		}
	case gosax.EventEnd:
		switch {
		case sr.inV:
			if sr.skip > 0 {
				sr.skip--
			} else {
				sr.inV = false
			}
			return nil
		case sr.is.in:
			sr.is.end()
			return nil
		}
		switch ev.name {
		case "c":
			return sr.endCell()
		case "row":
			return sr.endRow()
		case "sheetData":
			sr.open, sr.done = false, true
		}
	case gosax.EventEOF:
		if sr.open || sr.row != 0 {
			return badXML(errors.New("the sheet ends before its data does"))
		}
	}
	return nil
}

// endRow gives fn the row's cells.
func (sr *sheetReader) endRow() error {
	if sr.row == 0 {
		return nil
	}
	sr.last, sr.row, sr.col, sr.cell = sr.row, 0, 0, false
	return sr.fn(sr.last, sr.x.cells)
}

// startRow begins a row, giving fn the empty rows the file skips.
func (sr *sheetReader) startRow(ev xmlEvent) error {
	n := sr.last + 1
	err := ev.attrs(func(k, v []byte) {
		if string(k) == "r" {
			if r, err := strconv.Atoi(string(v)); err == nil {
				n = r
			} else {
				n = -1
			}
		}
	})
	switch {
	case err != nil:
		return err
	case n > maxSheetRows:
		return badXML(fmt.Errorf("row %d is past Excel's last row, %d", n, maxSheetRows))
	case n <= sr.last:
		return badXML(fmt.Errorf("row %s comes after row %d", ev.attr("r"), sr.last))
	}
	for sr.last+1 < n {
		sr.last++
		if err := sr.fn(sr.last, nil); err != nil {
			return err
		}
	}
	sr.row, sr.col, sr.x.cells = n, 0, sr.x.cells[:0]
	return nil
}

// startCell begins a cell: its column (the next one unless it names its own)
// and its type.
func (sr *sheetReader) startCell(ev xmlEvent) error {
	if sr.row == 0 {
		return nil
	}
	col := sr.col + 1
	sr.typ, sr.val, sr.hasF, sr.hasIS = "", sr.val[:0], false, false
	sr.is.reset()
	err := ev.attrs(func(k, v []byte) {
		switch string(k) {
		case "r":
			col = columnOf(v)
		case "t":
			sr.typ = cellTypes[string(v)]
			if sr.typ == "" {
				sr.typ = string(v)
			}
		}
	})
	if err != nil {
		return err
	}
	if col <= sr.col || col > maxSheetColumns {
		return badXML(fmt.Errorf("cell %q of row %d is out of place", ev.attr("r"), sr.row))
	}
	sr.col, sr.cell = col, true
	return nil
}

// endCell adds the cell's value to the row, unless it has none.
func (sr *sheetReader) endCell() error {
	if !sr.cell {
		return nil
	}
	sr.cell = false
	v, err := sr.value()
	if err != nil || v == "" && !sr.hasF {
		return err
	}
	x := sr.x
	for len(x.cells) < sr.col-1 {
		x.cells = append(x.cells, "")
	}
	x.cells = append(x.cells, v)
	return nil
}

// richText gathers the text of a shared or inline string as excelize reads
// it: the string's own <t> (a later one replaces it), then each run's <t> (<r>),
// and no other element's text (phonetic runs, <rPh>, are left out).
type richText struct {
	in          bool
	depth       int  // elements open inside the string
	child, leaf byte // the open element at depth 1 and 2: 't', 'r' or 0 for another
	plain, run  []byte
	runs        []byte
}

func (r *richText) reset() {
	*r = richText{plain: r.plain[:0], run: r.run[:0], runs: r.runs[:0]}
}

// begin opens the string (a second <is> in a cell adds to the first, as in excelize).
func (r *richText) begin() { r.in, r.depth = true, 0 }

func textElement(name string) byte {
	switch name {
	case "t":
		return 't'
	case "r":
		return 'r'
	}
	return 0
}

func (r *richText) start(name string) {
	r.depth++
	switch r.depth {
	case 1:
		r.child = textElement(name)
		switch r.child {
		case 't':
			r.plain = r.plain[:0]
		case 'r':
			r.run = r.run[:0]
		}
	case 2:
		r.leaf = textElement(name)
		if r.child == 'r' && r.leaf == 't' {
			r.run = r.run[:0]
		}
	}
}

func (r *richText) text(b []byte) {
	switch {
	case r.depth == 1 && r.child == 't':
		r.plain = append(r.plain, b...)
	case r.depth == 2 && r.child == 'r' && r.leaf == 't':
		r.run = append(r.run, b...)
	}
}

// end closes an element, the string itself at depth 0.
func (r *richText) end() {
	switch r.depth {
	case 0:
		r.in = false
		return
	case 1:
		if r.child == 'r' {
			r.runs = append(r.runs, r.run...)
			r.run = r.run[:0]
		}
	}
	r.depth--
}

func (r *richText) String() string { return bstrDecode(string(r.plain) + string(r.runs)) }

// value is the cell's raw value.
func (sr *sheetReader) value() (string, error) {
	switch sr.typ {
	case "s":
		if len(sr.val) == 0 {
			return "", nil
		}
		i, err := strconv.Atoi(string(bytes.TrimSpace(sr.val)))
		if err != nil || i < 0 || i >= sr.x.strs.len() {
			return "", badXML(fmt.Errorf("cell in row %d names shared string %q, which the workbook does not have", sr.row, sr.val))
		}
		return sr.x.strs.at(i), nil
	case "inlineStr":
		if sr.hasIS {
			return sr.is.String(), nil
		}
	}
	if len(sr.val) <= 24 {
		if v, ok := sr.x.values[string(sr.val)]; ok {
			return v, nil
		}
		v := string(sr.val)
		if len(sr.x.values) < 1<<14 {
			sr.x.values[v] = v
		}
		return v, nil
	}
	return string(sr.val), nil
}

// cellTypes are the values of a cell's t attribute, each kept once.
var cellTypes = map[string]string{"s": "s", "str": "str", "inlineStr": "inlineStr", "b": "b", "d": "d", "e": "e", "n": "n"}

// Excel's largest sheet.
const (
	maxSheetRows    = 1 << 20
	maxSheetColumns = 1 << 14
)

// columnOf is the 1-based column of a cell reference ("AB12" is 28); 0 when it
// names none.
func columnOf(ref []byte) int {
	col := 0
	for _, c := range ref {
		switch {
		case 'A' <= c && c <= 'Z':
			col = col*26 + int(c-'A') + 1
		case 'a' <= c && c <= 'z':
			col = col*26 + int(c-'a') + 1
		default:
			return col
		}
		if col > maxSheetColumns {
			return col
		}
	}
	return col
}

// sharedStrings is the workbook's table of strings, all in one string.
type sharedStrings struct {
	all  string
	ends []uint32
}

func (s *sharedStrings) len() int { return len(s.ends) }

func (s *sharedStrings) at(i int) string {
	start := uint32(0)
	if i > 0 {
		start = s.ends[i-1]
	}
	return s.all[start:s.ends[i]]
}

// sharedStrings reads the table of shared strings: each <si>'s text runs
// joined, without its phonetic runs (<rPh>), _xHHHH_ escapes decoded.
func (x *xlsxSource) sharedStrings() (*sharedStrings, error) {
	var all []byte
	var ends []uint32
	var si richText
	err := x.scan(x.strsPath, false, func(ev xmlEvent) error {
		switch ev.kind {
		case gosax.EventStart:
			switch {
			case si.in:
				si.start(ev.name)
			case ev.name == "si":
				si.reset()
				si.begin()
			}
		case gosax.EventText, gosax.EventCData:
			if si.in {
				si.text(ev.text)
			}
		case gosax.EventEnd:
			if !si.in {
				return nil
			}
			if si.end(); !si.in {
				all = append(all, si.String()...)
				if len(all) > 1<<32-1 {
					return badXML(errors.New("the shared strings are too long"))
				}
				ends = append(ends, uint32(len(all)))
			}
		}
		return nil
	})
	if err != nil && !errors.Is(err, errNoPart) {
		return nil, err
	}
	return &sharedStrings{all: string(all), ends: ends}, nil
}

// bstrDecode decodes the _xHHHH_ escapes Excel writes for characters XML
// cannot hold (a line break as _x000D_, an underscore before such a text as
// _x005F_), as excelize reads them.
func bstrDecode(s string) string {
	if !strings.Contains(s, "_x") {
		return s
	}
	var b strings.Builder
	for {
		i := strings.Index(s, "_x")
		if i < 0 || len(s) < i+7 {
			break
		}
		h := s[i+2 : i+6]
		r, err := strconv.ParseUint(h, 16, 16)
		if err != nil || s[i+6] != '_' || strings.ContainsAny(h, "+-") {
			b.WriteString(s[:i+1])
			s = s[i+1:]
			continue
		}
		b.WriteString(s[:i])
		if !(0xD800 <= r && r <= 0xDFFF) { // a half of a pair is dropped, as excelize drops it
			b.WriteRune(rune(r))
		}
		s = s[i+7:]
	}
	b.WriteString(s)
	return b.String()
}

// zipKind names what a zip file holds: "xlsx", or what it is instead; for a
// workbook whose parts would unzip to more than maxExpanded bytes, or whose
// large parts are compressed more than any spreadsheet is (a zip bomb),
// "too_expanded" — told from the zip's directory, before anything is unzipped.
func zipKind(r io.ReaderAt, size, maxExpanded int64) string {
	z, err := zip.NewReader(r, size)
	if err != nil {
		return "damaged"
	}
	var total uint64
	for _, f := range z.File {
		total += f.UncompressedSize64
		if f.UncompressedSize64 > bombPart && f.UncompressedSize64 > bombRatio*max(f.CompressedSize64, 1) {
			return "too_expanded"
		}
	}
	if maxExpanded > 0 && total > uint64(maxExpanded) {
		return "too_expanded"
	}
	kind := "zip"
	for _, f := range z.File {
		switch {
		case f.Name == "xl/workbook.xml":
			return FormatXLSX
		case f.Name == "xl/workbook.bin":
			kind = "xlsb"
		case f.Name == "content.xml" && kind == "zip":
			kind = "ods"
		case strings.HasPrefix(f.Name, "word/") && kind == "zip":
			kind = "docx"
		}
	}
	return kind
}

// A part larger than bombPart compressed more than bombRatio to 1 is no
// spreadsheet's: XML of cells compresses 5 to 20 times, a sheet of one value
// repeated perhaps 200; a zip bomb a thousand times.
const (
	bombPart  = 16 << 20
	bombRatio = 400
)

// xlsxError is a workbook whose content cannot be read.
func xlsxError(err error) error {
	var ioErr *ioError
	if errors.As(err, &ioErr) {
		return err
	}
	return &contentError{code: "unreadable",
		vi: "Không đọc được nội dung trang tính (" + err.Error() + "). Hãy mở tệp bằng Excel và lưu lại dạng .xlsx.",
		en: "The sheet's content cannot be read (" + err.Error() + "); open the file in Excel and save it again as .xlsx."}
}
