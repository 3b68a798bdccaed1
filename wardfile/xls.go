package wardfile

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode/utf16"

	"github.com/richardlehane/mscfb"
)

// Excel 97-2003 workbooks (.xls): BIFF8 records in the "Workbook" stream of a
// compound document. No maintained pure-Go library reads them well enough —
// the ones on the module proxy are unmaintained, GPL, or known to lose cells
// past the first shared-string continuation — so this reads the few records a
// table's values are in, over github.com/richardlehane/mscfb (maintained,
// fuzzed) for the compound document: the sheets (BOUNDSHEET8), the shared
// strings (SST and its CONTINUE records), and the cells (LABELSST, LABEL,
// RSTRING, NUMBER, RK, MULRK, FORMULA with its cached value, BOOLERR), the
// date system (DATEMODE). Numbers come as Excel stores them (a date is its
// serial number), as xlsxSource gives them. Anything else in the stream —
// formats, styles, charts, macros — is skipped; a workbook that is encrypted
// (FILEPASS) or older than BIFF8 (Excel 5.0/95) is refused saying so.

// Record types read.
const (
	recBOF         = 0x0809
	recEOF         = 0x000A
	recBoundSheet  = 0x0085
	recSST         = 0x00FC
	recContinue    = 0x003C
	recLabelSST    = 0x00FD
	recLabel       = 0x0204
	recRString     = 0x00D6
	recNumber      = 0x0203
	recRK          = 0x027E
	recMulRK       = 0x00BD
	recFormula     = 0x0006
	recString      = 0x0207
	recBoolErr     = 0x0205
	recDateMode    = 0x0022
	recFilePass    = 0x002F
	biff8Version   = 0x0600
	sheetWorksheet = 0x0010
)

// xlsSource reads the sheets of a BIFF8 workbook.
type xlsSource struct {
	stream   []byte
	sheetsAt []xlsSheet
	sst      []string
	date1904 bool
}

type xlsSheet struct {
	info   sheetInfo
	offset int
}

// xlsKind names what a compound document holds: "xls" (BIFF8), or what it is
// instead: "xls5" (Excel 5.0/95), "doc", "ppt", "encrypted" (a
// password-protected workbook of any Excel), "cfb" (anything else).
func xlsKind(r io.ReaderAt) string {
	doc, err := mscfb.New(r)
	if err != nil {
		return "cfb-damaged"
	}
	kind := "cfb"
	for _, f := range doc.File {
		switch f.Name {
		case "Workbook":
			return "xls"
		case "Book":
			kind = "xls5"
		case "WordDocument":
			kind = "doc"
		case "PowerPoint Document":
			kind = "ppt"
		case "EncryptedPackage", "EncryptionInfo":
			kind = "encrypted"
		}
	}
	return kind
}

// errEncrypted is a workbook with a password.
var errEncrypted = errors.New("the workbook is password-protected")

// openXLS reads the workbook stream and its globals: sheets, shared strings.
func openXLS(r io.ReaderAt, maxBytes int64) (x *xlsSource, err error) {
	defer func() {
		if v := recover(); v != nil { // a malformed workbook, never a crash
			x, err = nil, fmt.Errorf("malformed workbook: %v", v)
		}
	}()
	doc, err := mscfb.New(r)
	if err != nil {
		return nil, err
	}
	var wb *mscfb.File
	for _, f := range doc.File {
		if f.Name == "Workbook" {
			wb = f
		}
	}
	if wb == nil {
		return nil, errors.New("no Workbook stream")
	}
	if wb.Size > maxBytes {
		return nil, fmt.Errorf("the workbook stream is %d bytes, more than %d", wb.Size, maxBytes)
	}
	x = &xlsSource{}
	x.stream, err = io.ReadAll(io.LimitReader(wb, maxBytes))
	if err != nil {
		return nil, fmt.Errorf("the workbook stream cannot be read: %v", err) // mscfb says so of a damaged document
	}
	return x, x.globals()
}

// record is one BIFF record: its type and data.
type record struct {
	typ  uint16
	data []byte
	next int // offset of the next record
}

func (x *xlsSource) record(at int) (record, bool) {
	if at+4 > len(x.stream) {
		return record{}, false
	}
	typ := binary.LittleEndian.Uint16(x.stream[at:])
	n := int(binary.LittleEndian.Uint16(x.stream[at+2:]))
	end := at + 4 + n
	if end > len(x.stream) {
		return record{}, false
	}
	return record{typ, x.stream[at+4 : end], end}, true
}

func (x *xlsSource) globals() error {
	r, ok := x.record(0)
	if !ok || r.typ != recBOF || len(r.data) < 4 {
		return errors.New("the workbook stream does not start with a BIFF8 BOF record")
	}
	if v := binary.LittleEndian.Uint16(r.data); v != biff8Version {
		return fmt.Errorf("BIFF version %#x, not BIFF8", v)
	}
	for at := r.next; ; {
		r, ok := x.record(at)
		if !ok {
			return errors.New("the workbook's globals end before their EOF record")
		}
		switch r.typ {
		case recEOF:
			return nil
		case recFilePass:
			return errEncrypted
		case recDateMode:
			x.date1904 = len(r.data) >= 2 && binary.LittleEndian.Uint16(r.data) == 1
		case recBoundSheet:
			if len(r.data) < 8 {
				return errors.New("a short BOUNDSHEET8 record")
			}
			off := int(binary.LittleEndian.Uint32(r.data))
			state, typ := r.data[4]&0x03, r.data[5]
			name, _, err := shortString(r.data[6:])
			if err != nil {
				return err
			}
			if typ == 0 { // a worksheet (not a chart or a macro sheet)
				x.sheetsAt = append(x.sheetsAt, xlsSheet{sheetInfo{name: name, hidden: state != 0}, off})
			}
		case recSST:
			segs := [][]byte{r.data}
			next := r.next
			for {
				c, ok := x.record(next)
				if !ok || c.typ != recContinue {
					break
				}
				segs = append(segs, c.data)
				next = c.next
			}
			if err := x.readSST(segs); err != nil {
				return err
			}
			at = next
			continue
		}
		at = r.next
	}
}

// shortString reads a ShortXLUnicodeString: a byte count, a flag, characters.
func shortString(b []byte) (string, int, error) {
	if len(b) < 2 {
		return "", 0, errors.New("a short string")
	}
	n, high := int(b[0]), b[1]&1 == 1
	return chars(b[2:], n, high)
}

// chars reads n characters, 2 bytes each when high, else 1 (Latin-1).
func chars(b []byte, n int, high bool) (string, int, error) {
	size := n
	if high {
		size = 2 * n
	}
	if size > len(b) {
		return "", 0, errors.New("a string longer than its record")
	}
	if !high {
		var s strings.Builder
		for _, c := range b[:size] {
			s.WriteRune(rune(c))
		}
		return s.String(), size + 2, nil
	}
	u := make([]uint16, n)
	for i := range u {
		u[i] = binary.LittleEndian.Uint16(b[2*i:])
	}
	return string(utf16.Decode(u)), size + 2, nil
}

// segments reads bytes across an SST record and its CONTINUE records.
type segments struct {
	segs [][]byte
	i, j int // segment, offset in it
}

func (s *segments) need(n int) ([]byte, error) {
	for s.i < len(s.segs) && s.j == len(s.segs[s.i]) {
		s.i, s.j = s.i+1, 0
	}
	if s.i >= len(s.segs) || s.j+n > len(s.segs[s.i]) {
		return nil, errors.New("the shared strings end early")
	}
	b := s.segs[s.i][s.j : s.j+n]
	s.j += n
	return b, nil
}

// skip passes n bytes, across segments.
func (s *segments) skip(n int) error {
	for n > 0 {
		if s.i >= len(s.segs) {
			return errors.New("the shared strings end early")
		}
		k := min(n, len(s.segs[s.i])-s.j)
		s.j += k
		n -= k
		if s.j == len(s.segs[s.i]) {
			s.i, s.j = s.i+1, 0
		}
	}
	return nil
}

// readSST reads the shared strings: XLUnicodeRichExtendedStrings whose
// characters may run on into the next CONTINUE record, which then starts with
// a new flag byte.
func (x *xlsSource) readSST(segs [][]byte) error {
	s := &segments{segs: segs}
	head, err := s.need(8)
	if err != nil {
		return err
	}
	unique := int(binary.LittleEndian.Uint32(head[4:]))
	if unique < 0 || unique > 1<<24 {
		return fmt.Errorf("%d shared strings", unique)
	}
	x.sst = make([]string, 0, min(unique, 1<<16))
	for k := 0; k < unique; k++ {
		str, err := s.richString()
		if err != nil {
			return err
		}
		x.sst = append(x.sst, str)
	}
	return nil
}

// richString reads one XLUnicodeRichExtendedString: its length and flags,
// its characters (Latin-1 or UTF-16, the width restated at each CONTINUE
// record they run on into), and, skipped, its formatting runs and extension.
func (s *segments) richString() (string, error) {
	h, err := s.need(3)
	if err != nil {
		return "", err
	}
	n, flags := int(binary.LittleEndian.Uint16(h)), h[2]
	high := flags&0x01 != 0
	runs, ext := 0, 0
	if flags&0x08 != 0 {
		b, err := s.need(2)
		if err != nil {
			return "", err
		}
		runs = int(binary.LittleEndian.Uint16(b))
	}
	if flags&0x04 != 0 {
		b, err := s.need(4)
		if err != nil {
			return "", err
		}
		ext = int(int32(binary.LittleEndian.Uint32(b)))
		if ext < 0 {
			return "", errors.New("a negative extended string size")
		}
	}
	str, err := s.characters(n, high)
	if err != nil {
		return "", err
	}
	if err := s.skip(4*runs + ext); err != nil {
		return "", err
	}
	return str, nil
}

// characters reads a string's n characters, each of two bytes when high,
// else one (Latin-1); a CONTINUE record they run on into restates the width.
func (s *segments) characters(n int, high bool) (string, error) {
	var u []uint16
	var lat []byte
	for left := n; left > 0; {
		for s.i < len(s.segs) && s.j == len(s.segs[s.i]) {
			s.i, s.j = s.i+1, 0
			if s.i < len(s.segs) {
				f, err := s.need(1)
				if err != nil {
					return "", err
				}
				high = f[0]&0x01 != 0
			}
		}
		if s.i >= len(s.segs) {
			return "", errors.New("the shared strings end early")
		}
		width := 1
		if high {
			width = 2
		}
		avail := (len(s.segs[s.i]) - s.j) / width
		if avail == 0 {
			return "", errors.New("a character split across records")
		}
		take := min(left, avail)
		b, _ := s.need(take * width)
		for i := 0; i < take; i++ {
			if high {
				if lat != nil {
					for _, c := range lat {
						u = append(u, uint16(c))
					}
					lat = nil
				}
				u = append(u, binary.LittleEndian.Uint16(b[2*i:]))
			} else if u != nil {
				u = append(u, uint16(b[i]))
			} else {
				lat = append(lat, b[i])
			}
		}
		left -= take
	}
	if u != nil {
		return string(utf16.Decode(u)), nil
	}
	var sb strings.Builder
	for _, c := range lat {
		sb.WriteRune(rune(c))
	}
	return sb.String(), nil
}

func (x *xlsSource) sheets() []sheetInfo {
	out := make([]sheetInfo, len(x.sheetsAt))
	for i, s := range x.sheetsAt {
		out[i] = s.info
	}
	return out
}

func (x *xlsSource) close() error { return nil }

// rows streams a sheet's rows in order, numbered as Excel numbers them. Excel
// writes a sheet's cells row by row; a cell for a row already passed refuses
// the sheet rather than move a value.
func (x *xlsSource) rows(sheet string, fn func(int, []string) error) (err error) {
	var at = -1
	for _, s := range x.sheetsAt {
		if s.info.name == sheet {
			at = s.offset
		}
	}
	r, ok := x.record(at)
	if at < 0 || !ok || r.typ != recBOF || len(r.data) < 4 || binary.LittleEndian.Uint16(r.data[2:]) != sheetWorksheet {
		return xlsxError(errors.New("the sheet's records are not where the workbook says"))
	}
	defer func() {
		if v := recover(); v != nil {
			err = xlsxError(fmt.Errorf("malformed sheet: %v", v))
		}
	}()
	sr := &sheetRows{x: x, fn: fn, row: -1, last: -1, formula: [2]int{-1, -1}}
	for at = r.next; ; {
		r, ok := x.record(at)
		if !ok {
			return xlsxError(errors.New("the sheet ends before its EOF record"))
		}
		at = r.next
		if r.typ == recEOF {
			return sr.end()
		}
		if err := sr.take(r); err != nil {
			return err
		}
	}
}

// sheetRows gathers a sheet's cells into rows as its records come, and hands
// each row on when the next begins.
type sheetRows struct {
	x         *xlsSource
	fn        func(int, []string) error
	row, last int // the row being gathered, and the last handed on (0-based)
	cells     []string
	formula   [2]int // a formula's cell whose string follows in a STRING record
}

// put sets cell (rw, col) to v.
func (s *sheetRows) put(rw, col int, v string) error {
	if rw < s.row {
		return xlsxError(fmt.Errorf("the cells of row %d come after row %d", rw+1, s.row+1))
	}
	if rw > s.row {
		if s.row >= 0 {
			if err := s.x.emit(&s.last, s.row, s.cells, s.fn); err != nil {
				return err
			}
		}
		s.row, s.cells = rw, s.cells[:0]
	}
	if col > 255 {
		return xlsxError(fmt.Errorf("column %d in row %d: a BIFF8 sheet has 256 columns", col+1, rw+1))
	}
	for len(s.cells) <= col {
		s.cells = append(s.cells, "")
	}
	s.cells[col] = v
	return nil
}

// end hands on the last row, at the sheet's EOF record.
func (s *sheetRows) end() error {
	if s.row >= 0 {
		return s.x.emit(&s.last, s.row, s.cells, s.fn)
	}
	return nil
}

// take reads one record of the sheet: a cell's value (shared or inline
// string, number, RK or MULRK, a formula's cached value, a boolean) is put;
// any other record passes by.
func (s *sheetRows) take(r record) error {
	d := r.data
	rw, col, ok := 0, 0, len(d) >= 6
	if ok {
		rw, col = int(binary.LittleEndian.Uint16(d)), int(binary.LittleEndian.Uint16(d[2:]))
	}
	short := func(what string, n int) error {
		if !ok || len(d) < n {
			return xlsxError(fmt.Errorf("a short %s record", what))
		}
		return nil
	}
	switch r.typ {
	case recLabelSST:
		if err := short("LABELSST", 10); err != nil {
			return err
		}
		i := int(binary.LittleEndian.Uint32(d[6:]))
		if i >= len(s.x.sst) {
			return xlsxError(fmt.Errorf("cell %s%d names shared string %d of %d", letterOf(col), rw+1, i, len(s.x.sst)))
		}
		return s.put(rw, col, s.x.sst[i])
	case recLabel, recRString:
		if err := short("LABEL", 9); err != nil {
			return err
		}
		v, _, err := chars(d[9:], int(binary.LittleEndian.Uint16(d[6:])), d[8]&1 == 1)
		if err != nil {
			return xlsxError(err)
		}
		return s.put(rw, col, v)
	case recNumber:
		if err := short("NUMBER", 14); err != nil {
			return err
		}
		return s.put(rw, col, number(math.Float64frombits(binary.LittleEndian.Uint64(d[6:]))))
	case recRK:
		if err := short("RK", 10); err != nil {
			return err
		}
		return s.put(rw, col, number(rk(binary.LittleEndian.Uint32(d[6:]))))
	case recMulRK:
		if !ok || (len(d)-6)%6 != 0 {
			return xlsxError(errors.New("a malformed MULRK record"))
		}
		for k := 0; 4+6*k+6 <= len(d)-2; k++ {
			if err := s.put(rw, col+k, number(rk(binary.LittleEndian.Uint32(d[4+6*k+2:])))); err != nil {
				return err
			}
		}
	case recFormula:
		if err := short("FORMULA", 14); err != nil {
			return err
		}
		return s.formulaValue(rw, col, d[6:14])
	case recString:
		at := s.formula
		s.formula = [2]int{-1, -1}
		if at[0] >= 0 && len(d) >= 3 {
			v, _, err := chars(d[3:], int(binary.LittleEndian.Uint16(d)), d[2]&1 == 1)
			if err != nil {
				return xlsxError(err)
			}
			return s.put(at[0], at[1], v)
		}
	case recBoolErr:
		if err := short("BOOLERR", 8); err != nil {
			return err
		}
		if d[7] == 0 {
			return s.put(rw, col, strconv.FormatBool(d[6] != 0))
		}
	}
	return nil
}

// formulaValue puts a formula's cached value v (a FORMULA record's eight
// bytes): a number, a boolean, or a string, which the STRING record after it
// holds; an error or an empty string leaves the cell empty.
func (s *sheetRows) formulaValue(rw, col int, v []byte) error {
	if v[6] != 0xFF || v[7] != 0xFF {
		return s.put(rw, col, number(math.Float64frombits(binary.LittleEndian.Uint64(v))))
	}
	switch v[0] {
	case 0:
		s.formula = [2]int{rw, col}
	case 1:
		return s.put(rw, col, strconv.FormatBool(v[2] != 0))
	}
	return nil
}

// emit hands row rw to fn, after the rows missing since the last one as
// empty rows, numbered as Excel numbers them (1-based).
func (x *xlsSource) emit(last *int, rw int, cells []string, fn func(int, []string) error) error {
	for *last+1 < rw {
		*last++
		if err := fn(*last+1, nil); err != nil {
			return err
		}
	}
	*last = rw
	return fn(rw+1, cells)
}

// rk decodes an RK number: a 30-bit integer or the high bits of a double,
// perhaps divided by 100.
func rk(v uint32) float64 {
	var f float64
	if v&0x02 != 0 {
		f = float64(int32(v) >> 2)
	} else {
		f = math.Float64frombits(uint64(v&0xFFFFFFFC) << 32)
	}
	if v&0x01 != 0 {
		f /= 100
	}
	return f
}

// number writes a cell's number as a workbook stores it: "44279", "8.5".
func number(f float64) string {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return ""
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

func letterOf(col int) string {
	s := ""
	for col++; col > 0; col = (col - 1) / 26 {
		s = string(rune('A'+(col-1)%26)) + s
	}
	return s
}
