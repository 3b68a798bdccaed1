package ingest

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// source gives the rows of a file's sheets as text cells, one row at a time.
type source interface {
	Sheets() []string
	// Rows calls fn for every row of sheet, with its 1-based number.
	Rows(sheet string, fn func(n int, cells []string) error) error
	// Spreadsheet reports whether cells come from a spreadsheet (numbers in date
	// columns are then Excel serial dates).
	Spreadsheet() bool
	Close() error
}

// Formats.
const (
	FormatXLSX = "xlsx"
	FormatCSV  = "csv"
	FormatJSON = "json"
)

var errNotSpreadsheet = errors.New("not a spreadsheet")

// sniff names a file's format from its first bytes.
func sniff(head []byte) (string, error) {
	switch {
	case bytes.HasPrefix(head, []byte("PK\x03\x04")):
		return FormatXLSX, nil
	case bytes.HasPrefix(head, []byte{0xD0, 0xCF, 0x11, 0xE0}):
		return "xls", errNotSpreadsheet
	case bytes.HasPrefix(head, []byte("%PDF")), bytes.HasPrefix(head, []byte("\x89PNG")), bytes.HasPrefix(head, []byte("\xFF\xD8\xFF")),
		bytes.HasPrefix(head, []byte("GIF8")), bytes.HasPrefix(head, []byte("{\\rtf")):
		return "binary", errNotSpreadsheet
	}
	t := bytes.TrimLeft(bytes.TrimPrefix(head, []byte("\xEF\xBB\xBF")), " \t\r\n")
	if len(t) > 0 && (t[0] == '[' || t[0] == '{') {
		return FormatJSON, nil
	}
	if bytes.HasPrefix(head, []byte{0xFF, 0xFE}) || bytes.HasPrefix(head, []byte{0xFE, 0xFF}) {
		return FormatCSV, nil
	}
	if bytes.IndexByte(head, 0) >= 0 {
		return "binary", errNotSpreadsheet
	}
	return FormatCSV, nil
}

// nfc normalises a cell to NFC, trimming spaces; ASCII passes untouched.
func nfc(s string) string {
	s = strings.TrimSpace(s)
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return strings.TrimSpace(norm.NFC.String(s))
		}
	}
	return s
}

// ---- XLSX

type xlsxSource struct{ f *excelize.File }

func openXLSX(path string) (*xlsxSource, error) {
	f, err := excelize.OpenFile(path)
	if err != nil {
		return nil, err
	}
	return &xlsxSource{f: f}, nil
}

func (s *xlsxSource) Sheets() []string  { return s.f.GetSheetList() }
func (s *xlsxSource) Spreadsheet() bool { return true }
func (s *xlsxSource) Close() error      { return s.f.Close() }

func (s *xlsxSource) Rows(sheet string, fn func(int, []string) error) error {
	rows, err := s.f.Rows(sheet)
	if err != nil {
		return err
	}
	defer rows.Close()
	n := 0
	opt := excelize.Options{RawCellValue: true}
	for rows.Next() {
		n++
		cells, err := rows.Columns(opt)
		if err != nil {
			return err
		}
		for i := range cells {
			cells[i] = nfc(cells[i])
		}
		if err := fn(n, cells); err != nil {
			return err
		}
	}
	return rows.Error()
}

// ---- CSV

type csvSource struct {
	f         *os.File
	r         io.Reader
	delim     rune
	encoding  string
	firstLine int
}

// openCSV decodes the file's encoding and sniffs its delimiter.
func openCSV(path string) (*csvSource, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	br := bufio.NewReaderSize(f, 1<<20)
	head, _ := br.Peek(1 << 20)
	var r io.Reader
	enc := "UTF-8"
	switch {
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}):
		enc = "UTF-16LE"
		r = transform.NewReader(br, unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder())
	case bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		enc = "UTF-16BE"
		r = transform.NewReader(br, unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM).NewDecoder())
	case bytes.HasPrefix(head, []byte("\xEF\xBB\xBF")):
		enc = "UTF-8 BOM"
		br.Discard(3)
		r = br
	case !utf8.Valid(trimPartialRune(head)):
		enc = "Windows-1258"
		r = transform.NewReader(br, charmap.Windows1258.NewDecoder())
	default:
		r = br
	}
	// Sniff the delimiter on the decoded start of the file.
	dr := bufio.NewReaderSize(r, 1<<16)
	sample, _ := dr.Peek(32 << 10)
	return &csvSource{f: f, r: dr, delim: sniffDelimiter(sample), encoding: enc}, nil
}

func trimPartialRune(b []byte) []byte {
	for i := 0; i < utf8.UTFMax && len(b) > 0; i++ {
		if r, size := utf8.DecodeLastRune(b); r != utf8.RuneError || size > 1 {
			return b
		}
		b = b[:len(b)-1]
	}
	return b
}

// sniffDelimiter picks among , ; and tab the one that splits the first lines
// into the same number of fields, the most of them.
func sniffDelimiter(sample []byte) rune {
	if i := bytes.LastIndexByte(sample, '\n'); i > 0 && len(sample) == 32<<10 {
		sample = sample[:i+1]
	}
	best, bestScore := ',', -1
	for _, d := range []rune{';', '\t', ','} {
		r := csv.NewReader(bytes.NewReader(sample))
		r.Comma, r.LazyQuotes, r.FieldsPerRecord = d, true, -1
		counts := map[int]int{}
		lines := 0
		for lines < 30 {
			rec, err := r.Read()
			if err != nil {
				break
			}
			lines++
			if len(rec) > 1 {
				counts[len(rec)]++
			}
		}
		score := 0
		for fields, n := range counts {
			if s := n*100 + fields; s > score {
				score = s
			}
		}
		if score > bestScore {
			best, bestScore = d, score
		}
	}
	return best
}

func (s *csvSource) Sheets() []string  { return []string{""} }
func (s *csvSource) Spreadsheet() bool { return false }
func (s *csvSource) Close() error      { return s.f.Close() }

func (s *csvSource) Rows(_ string, fn func(int, []string) error) error {
	r := csv.NewReader(s.r)
	r.Comma, r.LazyQuotes, r.FieldsPerRecord, r.ReuseRecord = s.delim, true, -1, true
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		line, _ := r.FieldPos(0)
		for i := range rec {
			rec[i] = nfc(rec[i])
		}
		if err := fn(line, rec); err != nil {
			return err
		}
	}
}

// ---- JSON and NDJSON (web-form exports): objects whose keys are headers.

type jsonSource struct {
	f *os.File
}

func (s *jsonSource) Sheets() []string  { return []string{""} }
func (s *jsonSource) Spreadsheet() bool { return false }
func (s *jsonSource) Close() error      { return s.f.Close() }

func (s *jsonSource) Rows(_ string, fn func(int, []string) error) error {
	dec := json.NewDecoder(bufio.NewReader(s.f))
	dec.UseNumber()
	tok, err := dec.Token()
	if err != nil {
		return fmt.Errorf("JSON: %w", err)
	}
	array := tok == json.Delim('[')
	if !array && tok != json.Delim('{') {
		return fmt.Errorf("JSON: expected an array of objects or one object per line")
	}
	var header []string
	col := map[string]int{}
	n := 0
	readObject := func(opened bool) error {
		if !opened {
			t, err := dec.Token()
			if err != nil {
				return err
			}
			if t != json.Delim('{') {
				return fmt.Errorf("JSON: record %d is not an object", n+1)
			}
		}
		cells := make([]string, len(header))
		for dec.More() {
			kt, err := dec.Token()
			if err != nil {
				return err
			}
			key, _ := kt.(string)
			var v any
			if err := dec.Decode(&v); err != nil {
				return err
			}
			i, ok := col[key]
			if !ok {
				i = len(header)
				col[key] = i
				header = append(header, key)
				cells = append(cells, "")
			}
			for len(cells) < len(header) {
				cells = append(cells, "")
			}
			cells[i] = nfc(jsonText(v))
		}
		if _, err := dec.Token(); err != nil { // }
			return err
		}
		n++
		if n == 1 {
			// the header row, then the first record
			if err := fn(1, append([]string(nil), header...)); err != nil {
				return err
			}
		}
		return fn(n+1, cells)
	}
	if !array {
		if err := readObject(true); err != nil {
			return err
		}
	}
	for dec.More() {
		if err := readObject(false); err != nil {
			return err
		}
	}
	return nil
}

func jsonText(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case json.Number:
		return x.String()
	case bool:
		if x {
			return "true"
		}
		return "false"
	}
	b, _ := json.Marshal(v)
	return string(b)
}
