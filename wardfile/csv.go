package wardfile

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// Encodings a CSV file may come in.
const (
	EncUTF8        = "UTF-8"
	EncUTF8BOM     = "UTF-8 BOM"
	EncUTF16LE     = "UTF-16LE"
	EncUTF16BE     = "UTF-16BE"
	EncWindows1258 = "Windows-1258"
)

// csvSource reads a text file of delimited fields: CSV, or TSV as Excel's
// "Unicode text" writes it.
type csvSource struct {
	r        *bufio.Reader
	delim    rune
	encoding string
	// badUTF8: a UTF-8 file with a few invalid sequences; the cells holding
	// them are refused (an encoding problem), the rest is read.
	badUTF8   bool
	lineShift int // lines consumed before the CSV reader (a "sep=;" line)
	// guard bounds the bytes one record may take: a line of fifty million
	// commas, or a quote never closed, is refused rather than read into memory.
	guard *recordGuard
	// endsWithQuote: the file's last character (but line ends) is a quote.
	endsWithQuote bool
	maxColumns    int
}

// recordGuard fails a read once a record has taken more than max bytes, or a
// line more fields than maxFields: a line of fifty million commas is refused
// before the CSV reader makes fifty million fields of it. Quotes are followed
// as far as counting needs (a delimiter in quotes is no field's end); a bare
// quote can only make it count fewer.
type recordGuard struct {
	r         io.Reader
	left      int64
	max       int64
	delim     byte
	maxFields int
	fields    int
	quoted    bool
}

var (
	errRecordTooLong = errors.New("record too long")
	errTooManyFields = errors.New("too many fields")
)

func (g *recordGuard) Read(p []byte) (int, error) {
	if g.left <= 0 {
		return 0, errRecordTooLong
	}
	if int64(len(p)) > g.left {
		p = p[:g.left]
	}
	n, err := g.r.Read(p)
	g.left -= int64(n)
	if g.maxFields > 0 && g.delim != 0 {
		for _, c := range p[:n] {
			switch {
			case c == '"':
				g.quoted = !g.quoted
			case g.quoted:
			case c == g.delim:
				if g.fields++; g.fields >= g.maxFields {
					return n, errTooManyFields
				}
			case c == '\n':
				g.fields = 0
			}
		}
	}
	return n, err
}

func (g *recordGuard) reset() { g.left = g.max }

// openCSV finds the encoding and delimiter of the text in r.
//
// A byte-order mark decides the encoding (UTF-8, UTF-16 LE or BE); UTF-16
// without one is recognised by its zero bytes. Otherwise the whole file is
// checked: valid UTF-8 is UTF-8; text that is not (and has few valid
// multi-byte sequences) is Windows-1258, the Vietnamese code page of older
// Excel, whose tone marks decode as combining characters — every cell is put
// in NFC when read. Only the first scan bytes are checked when scan is less
// than size (Peek).
func openCSV(r io.ReaderAt, size int64, maxRecord int64, scan int64) (*csvSource, error) {
	head := make([]byte, min(size, 4096))
	if _, err := r.ReadAt(head, 0); err != nil && !errors.Is(err, io.EOF) {
		return nil, err
	}
	s := &csvSource{encoding: EncUTF8}
	var offset int64
	var dec transform.Transformer
	switch {
	case bytes.HasPrefix(head, []byte{0xEF, 0xBB, 0xBF}):
		s.encoding, offset = EncUTF8BOM, 3
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}):
		s.encoding, dec = EncUTF16LE, unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder()
	case bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		s.encoding, dec = EncUTF16BE, unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM).NewDecoder()
	default:
		switch utf16NoBOM(head) {
		case EncUTF16LE:
			s.encoding, dec = EncUTF16LE, unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM).NewDecoder()
		case EncUTF16BE:
			s.encoding, dec = EncUTF16BE, unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM).NewDecoder()
		}
	}
	if s.encoding == EncUTF8 || s.encoding == EncUTF8BOM {
		n := size - offset
		cut := scan < size && scan-offset < n
		if cut {
			n = scan - offset
		}
		valid, multi, invalid, err := scanUTF8(io.NewSectionReader(r, offset, n), cut)
		if err != nil {
			return nil, err
		}
		if !valid {
			if multi >= 10*invalid {
				s.badUTF8 = true
			} else {
				s.encoding, dec = EncWindows1258, charmap.Windows1258.NewDecoder()
			}
		}
	}
	var in io.Reader = io.NewSectionReader(r, offset, size-offset)
	if dec != nil {
		in = transform.NewReader(in, dec)
	}
	s.guard = &recordGuard{r: in, max: maxRecord}
	s.guard.reset()
	s.r = bufio.NewReaderSize(s.guard, 64<<10)
	tail := make([]byte, min(size, 16))
	if _, err := r.ReadAt(tail, size-int64(len(tail))); err == nil || errors.Is(err, io.EOF) {
		t := bytes.TrimRight(tail, "\r\n\x00")
		s.endsWithQuote = len(t) > 0 && t[len(t)-1] == '"'
	}
	// Excel's hint line: "sep=;"
	if line, _ := s.r.Peek(8); len(line) >= 5 && bytes.HasPrefix(bytes.ToLower(line), []byte("sep=")) {
		rest := line[4:]
		if d, n := utf8.DecodeRune(rest); d != utf8.RuneError && (n == len(rest) || rest[n] == '\n' || rest[n] == '\r') {
			s.delim = d
			s.r.ReadString('\n')
			s.lineShift = 1
		}
	}
	if s.delim == 0 {
		sample, _ := s.r.Peek(32 << 10)
		s.delim = sniffDelimiter(sample, len(sample) == 32<<10)
	}
	return s, nil
}

// utf16NoBOM recognises UTF-16 text without a byte-order mark by its zero
// bytes: the high byte of every ASCII character.
func utf16NoBOM(head []byte) string {
	pairs := len(head) / 2
	if pairs < 2 {
		return ""
	}
	even, odd := 0, 0
	for i := 0; i+1 < len(head); i += 2 {
		if head[i] == 0 {
			even++
		}
		if head[i+1] == 0 {
			odd++
		}
	}
	switch {
	case odd*10 >= pairs*4 && even*20 < pairs:
		return EncUTF16LE
	case even*10 >= pairs*4 && odd*20 < pairs:
		return EncUTF16BE
	}
	return ""
}

// peekScanBytes is how much of a CSV file Peek checks for its encoding: a
// peek only recognises the header, and a whole scan of a file of Vietnamese
// names (mostly multi-byte) is 0.08 s a million rows, spent again by the load.
// A peek that takes a Windows-1258 file for UTF-8 only orders it among the
// batch's files; its load reads it all.
const peekScanBytes = 1 << 20

// scanUTF8 checks that r is UTF-8; when it is not, it counts the valid
// multi-byte sequences and the invalid bytes. cut: r is the beginning of the
// text, and a sequence it cuts at its end is not counted invalid.
func scanUTF8(r io.Reader, cut bool) (valid bool, multi, invalid int, err error) {
	buf := make([]byte, 256<<10)
	carry := 0
	valid = true
	for {
		n, rerr := io.ReadFull(r, buf[carry:])
		n += carry
		end := n
		last := rerr != nil
		if !last || cut {
			// keep an incomplete rune at the end for the next round
			for k := 1; k < utf8.UTFMax && k <= end; k++ {
				if utf8.RuneStart(buf[end-k]) {
					if !utf8.FullRune(buf[end-k : end]) {
						end -= k
					}
					break
				}
			}
		}
		chunk := buf[:end]
		if valid && !utf8.Valid(chunk) {
			valid = false
		}
		if !valid {
			for i := 0; i < len(chunk); {
				if chunk[i] < utf8.RuneSelf {
					i++
					continue
				}
				r, size := utf8.DecodeRune(chunk[i:])
				if r == utf8.RuneError && size == 1 {
					invalid++
				} else {
					multi++
				}
				i += size
			}
		}
		if last {
			if errors.Is(rerr, io.EOF) || errors.Is(rerr, io.ErrUnexpectedEOF) {
				return valid, multi, invalid, nil
			}
			return valid, multi, invalid, rerr
		}
		carry = copy(buf, buf[end:n])
	}
}

// sniffDelimiter picks among ';', tab and ',' the one that splits the first
// lines (quotes respected) into the same number of fields on the most lines,
// then into the most fields. Title lines have one field whatever the
// delimiter; a decimal comma in a ';' file splits only some lines.
func sniffDelimiter(sample []byte, cut bool) rune {
	if i := bytes.LastIndexByte(sample, '\n'); cut && i > 0 {
		sample = sample[:i+1]
	}
	best, bestLines, bestFields := ',', -1, 0
	for _, d := range []rune{';', '\t', ','} {
		r := csv.NewReader(bytes.NewReader(sample))
		r.Comma, r.LazyQuotes, r.FieldsPerRecord = d, true, -1
		counts := map[int]int{}
		for lines := 0; lines < 50; lines++ {
			rec, err := r.Read()
			if err != nil {
				break
			}
			if len(rec) > 1 {
				counts[len(rec)]++
			}
		}
		lines, fields := 0, 0
		for f, n := range counts {
			if n > lines || n == lines && f > fields {
				lines, fields = n, f
			}
		}
		if lines > bestLines || lines == bestLines && fields > bestFields {
			best, bestLines, bestFields = d, lines, fields
		}
	}
	return best
}

func (s *csvSource) sheets() []sheetInfo { return []sheetInfo{{}} }
func (s *csvSource) close() error        { return nil }

// rows streams the records: one string per record is allocated, the slice is reused.
func (s *csvSource) rows(_ string, fn func(int, []string) error) error {
	r := csv.NewReader(s.r)
	r.Comma, r.LazyQuotes, r.FieldsPerRecord, r.ReuseRecord = s.delim, true, -1, true
	for {
		s.guard.reset()
		rec, err := r.Read()
		if err == io.EOF {
			return nil
		}
		if errors.Is(err, errTooManyFields) {
			line := 1
			if l, _ := r.FieldPos(0); l > 0 {
				line = l
			}
			return tooManyColumns(line+s.lineShift, -s.guard.maxFields, s.maxColumns)
		}
		if errors.Is(err, errRecordTooLong) {
			line := 1
			if l, _ := r.FieldPos(0); l > 0 {
				line = l
			}
			return &contentError{code: "too_long", row: line + s.lineShift,
				vi: fmt.Sprintf("Từ dòng %d, tệp CSV có một dòng dài quá %s (hoặc một dấu ngoặc kép \" mở mà không đóng, nên phần còn lại của tệp bị đọc như một ô). Hãy mở tệp bằng Excel, kiểm tra dòng này rồi lưu lại dạng CSV.", line+s.lineShift, sizeText(s.guard.max)),
				en: fmt.Sprintf("From line %d, the CSV file has a line longer than %s (or a quote \" opened and never closed, so the rest of the file reads as one cell); open it in Excel, check that line and save it as CSV again.", line+s.lineShift, sizeText(s.guard.max))}
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return &contentError{code: "unreadable", row: pe.Line + s.lineShift,
					vi: "Dòng " + strconv.Itoa(pe.Line+s.lineShift) + " của tệp CSV không đọc được (" + pe.Err.Error() + "). Hãy mở tệp bằng Excel và lưu lại dạng CSV.",
					en: "Line " + strconv.Itoa(pe.Line+s.lineShift) + " of the CSV file cannot be read (" + pe.Err.Error() + "); open the file in Excel and save it as CSV again."}
			}
			return err
		}
		line, _ := r.FieldPos(0)
		if s.maxColumns > 0 && len(rec) > s.maxColumns {
			return tooManyColumns(line+s.lineShift, len(rec), s.maxColumns)
		}
		if last := rec[len(rec)-1]; strings.ContainsAny(last, "\n\r") && !s.endsWithQuote {
			if _, err := s.r.Peek(1); err == io.EOF { // it ran to the end of the file: a quote never closed
				l, _ := r.FieldPos(len(rec) - 1)
				return &contentError{code: "unclosed_quote", row: l + s.lineShift,
					vi: fmt.Sprintf("Dòng %d có dấu ngoặc kép \" mở ở ô thứ %d mà không bao giờ đóng, nên toàn bộ phần còn lại của tệp bị đọc như một ô. Hãy đóng dấu ngoặc kép (hoặc xóa nó) rồi gửi lại tệp.", l+s.lineShift, len(rec)),
					en: fmt.Sprintf("Line %d opens a quote \" in its field %d that is never closed, so the whole rest of the file reads as one cell; close the quote (or delete it) and send the file again.", l+s.lineShift, len(rec))}
			}
		}
		if err := fn(line+s.lineShift, rec); err != nil {
			return err
		}
	}
}

// tooManyColumns refuses row n, of n columns (n < 0: too many to count,
// the reading stopped past the limit).
func tooManyColumns(row, n, max int) error {
	has, hasEN := fmt.Sprintf("%d cột, nhiều hơn", n), fmt.Sprintf("%d columns, more than", n)
	if n < 0 {
		has, hasEN = "nhiều cột hơn", "more columns than"
	}
	return &contentError{code: "too_many_columns", row: row,
		vi: fmt.Sprintf("Dòng %d có %s mức tối đa %d cột của một bảng. Hãy xóa các cột thừa (hoặc kiểm tra dấu phân cách của tệp) rồi gửi lại.", row, has, max),
		en: fmt.Sprintf("Row %d has %s the %d a table may have; delete the extra columns (or check the file's separator) and send it again.", row, hasEN, max)}
}

// sizeText writes a byte count for a message: "32 KB", "16 MB".
func sizeText(n int64) string {
	switch {
	case n >= 1<<20:
		return strconv.FormatInt(n>>20, 10) + " MB"
	case n >= 1<<10:
		return strconv.FormatInt(n>>10, 10) + " KB"
	}
	return strconv.FormatInt(n, 10) + " B"
}
