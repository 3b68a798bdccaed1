package doc

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"hash/crc32"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// A streamed table (a Table with All: a city's annex of 439,000 people) has
// its detail rows written here, straight as the sheet's XML, into a file of
// their own; excelize writes the rest of its sheet, with one marker row where
// these rows go, and the package is put together with the rows spliced in
// (spliceSheets). excelize's StreamWriter builds each cell as a struct, with
// its reference and type worked out on the way, and at a million registrants
// that is seconds; the rows here are the same bytes, value for value, as its
// SetRow writes (TestStreamedRowsAsExcelize compares them): an int, a finite
// float of at most 15 significant digits, a date after February 1900, a
// boolean, an empty cell, or a string without surrounding white space or an
// "_xHHHH_" escape. A table with any other value is written by excelize
// whole instead (errUncommon).

// errUncommon is a value fastRows does not write as excelize would.
var errUncommon = errors.New("doc: xlsx: a value for excelize to write")

// fastRows writes rows of cells (each with its style) as a sheet's <row>
// elements, numbered from first, to a temporary file.
type fastRows struct {
	file *os.File
	w    *bufio.Writer
	row  int
	buf  []byte
	ref  []byte
}

func newFastRows(first int) (*fastRows, error) {
	f, err := os.CreateTemp("", "hoctap-xlsx-rows-*")
	if err != nil {
		return nil, err
	}
	return &fastRows{file: f, w: bufio.NewWriterSize(f, 1<<20), row: first}, nil
}

// remove removes the file.
func (r *fastRows) remove() {
	r.file.Close()
	os.Remove(r.file.Name())
}

// put writes one row: values[i] in style styles[i].
func (r *fastRows) put(values []any, styles []int) error {
	b := append(r.buf[:0], `<row r="`...)
	b = strconv.AppendInt(b, int64(r.row), 10)
	b = append(b, `">`...)
	for i, v := range values {
		r.ref = appendColumn(r.ref[:0], i+1)
		r.ref = strconv.AppendInt(r.ref, int64(r.row), 10)
		var err error
		if b, err = appendCell(b, r.ref, styles[i], v); err != nil {
			return err
		}
	}
	b = append(b, `</row>`...)
	r.buf = b
	r.row++
	_, err := r.w.Write(b)
	return err
}

// appendColumn appends the letters of column n (1: A).
func appendColumn(b []byte, n int) []byte {
	var letters [8]byte
	i := len(letters)
	for n > 0 {
		n--
		i--
		letters[i] = byte('A' + n%26)
		n /= 26
	}
	return append(b, letters[i:]...)
}

// appendCell appends a <c> element as excelize's StreamWriter writes it.
func appendCell(b, ref []byte, style int, v any) ([]byte, error) {
	b = append(b, `<c r="`...)
	b = append(b, ref...)
	b = append(b, '"')
	if style != 0 {
		b = append(b, ` s="`...)
		b = strconv.AppendInt(b, int64(style), 10)
		b = append(b, '"')
	}
	switch v := v.(type) {
	case nil:
		return append(b, `></c>`...), nil
	case int:
		return appendNumber(b, strconv.AppendInt(nil, int64(v), 10)), nil
	case int64:
		b = append(b, `><v>`...)
		b = strconv.AppendInt(b, v, 10)
		return append(b, `</v></c>`...), nil
	case float64:
		if math.IsNaN(v) || math.IsInf(v, 0) || math.Abs(v) == math.MaxFloat64 {
			return nil, errUncommon
		}
		s := strconv.AppendFloat(nil, v, 'f', -1, 64)
		if significant(s) > 15 {
			return nil, errUncommon
		}
		return appendNumber(b, s), nil
	case bool:
		b = append(b, ` t="b"><v>`...)
		if v {
			b = append(b, '1')
		} else {
			b = append(b, '0')
		}
		return append(b, `</v></c>`...), nil
	case time.Time:
		days, ok := excelDays(v)
		if !ok || style == 0 {
			return nil, errUncommon
		}
		return appendNumber(b, strconv.AppendFloat(nil, days, 'f', -1, 64)), nil
	case string:
		if len(v) > excelize.TotalCellChars || strings.Contains(v, "_x") {
			return nil, errUncommon
		}
		if v != "" {
			switch v[0] {
			case 9, 10, 13, 32:
				return nil, errUncommon
			}
			switch v[len(v)-1] {
			case 9, 10, 13, 32:
				return nil, errUncommon
			}
		}
		b = append(b, ` t="inlineStr"><is><t>`...)
		b = appendEscaped(b, v)
		return append(b, `</t></is></c>`...), nil
	}
	return nil, errUncommon
}

func appendNumber(b, v []byte) []byte {
	b = append(b, `><v>`...)
	b = append(b, v...)
	return append(b, `</v></c>`...)
}

// significant counts the significant digits of a formatted number.
func significant(s []byte) int {
	n := 0
	for _, c := range s {
		if c < '0' || c > '9' || n == 0 && c == '0' {
			continue
		}
		n++
	}
	return n
}

// excelDays is t as Excel's serial day (1900 system), as excelize makes it:
// t's wall clock in its own zone, days since 1899-12-31, one more from March
// 1900 (Excel's 29 February 1900). Dates before March 1900 or after 2179 are
// excelize's to write.
func excelDays(t time.Time) (float64, bool) {
	_, offset := t.Zone()
	t = t.Add(time.Duration(offset) * time.Second)
	const day = 24 * time.Hour
	epoch := time.Date(1899, time.December, 31, 0, 0, 0, 0, time.UTC)
	if t.Before(time.Date(1900, time.March, 1, 0, 0, 0, 0, time.UTC)) || !t.Before(time.Date(2180, time.January, 1, 0, 0, 0, 0, time.UTC)) {
		return 0, false
	}
	diff := t.Sub(epoch)
	rem := diff % day
	return float64(diff-rem)/float64(day) + float64(rem)/float64(day) + 1, true
}

// appendEscaped appends s escaped as excelize escapes an inline string:
// encoding/xml's EscapeText, with line feeds kept as they are.
func appendEscaped(b []byte, s string) []byte {
	if plainXML(s) {
		return append(b, s...)
	}
	var buf bytes.Buffer
	_ = xml.EscapeText(&buf, []byte(s))
	return append(b, bytes.ReplaceAll(buf.Bytes(), []byte("&#xA;"), []byte("\n"))...)
}

// plainXML says whether EscapeText leaves s as it is: valid UTF-8 of
// characters XML allows, none of & < > " ' or a control character.
func plainXML(s string) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 || c == '&' || c == '<' || c == '>' || c == '"' || c == '\'' {
				return false
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || !(r <= 0xD7FF || 0xE000 <= r && r <= 0xFFFD || 0x10000 <= r && r <= 0x10FFFF) {
			return false
		}
		i += size
	}
	return true
}

// close flushes the rows and says how many there are.
func (r *fastRows) close(first int) (int, error) {
	if err := r.w.Flush(); err != nil {
		return 0, err
	}
	return r.row - first, nil
}

// splice is a streamed table's rows, to put in place of marker in its sheet.
type splice struct {
	marker []byte // the whole placeholder <row> element
	rows   *fastRows
}

// newMarker is a placeholder cell's text no data holds.
func newMarker() (string, error) {
	var b [12]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	return "hoctaprows" + hex.EncodeToString(b[:]), nil
}

// markerRow is the element excelize writes for the marker as the only cell,
// without style, of row n.
func markerRow(marker string, n int) []byte {
	ref := strconv.Itoa(n)
	return []byte(`<row r="` + ref + `"><c r="A` + ref + `" t="inlineStr"><is><t>` + marker + `</t></is></c></row>`)
}

// deflated is a part deflated apart: its compressed bytes and what the zip
// header says of them.
type deflated struct {
	data       bytes.Buffer
	crc        uint32
	size       uint64
	compressed uint64
}

// spliceSheet deflates the sheet XML part with its marker row replaced by
// the rows of s.
func spliceSheet(part []byte, s splice) (*deflated, error) {
	at := bytes.Index(part, s.marker)
	if at < 0 {
		return nil, errors.New("doc: xlsx: the streamed rows' place is missing")
	}
	if _, err := s.rows.file.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	out := &deflated{}
	fw, err := compressor(&out.data)
	if err != nil {
		return nil, err
	}
	h := crc32.NewIEEE()
	w := io.MultiWriter(fw, h)
	n1, err := w.Write(part[:at])
	if err != nil {
		return nil, err
	}
	n2, err := io.Copy(w, bufio.NewReaderSize(s.rows.file, 1<<20))
	if err != nil {
		return nil, err
	}
	n3, err := w.Write(part[at+len(s.marker):])
	if err != nil {
		return nil, err
	}
	if err := fw.Close(); err != nil {
		return nil, err
	}
	out.crc, out.size, out.compressed = h.Sum32(), uint64(n1)+uint64(n2)+uint64(n3), uint64(out.data.Len())
	return out, nil
}
