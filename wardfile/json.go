package wardfile

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
)

// jsonScan is how many records of a JSON file make its header: the union of
// their keys (a web form may leave out a key whose answer is empty).
const jsonScan = 1000

// jsonSource reads a web form's export: an array of objects, or one object per
// line (NDJSON), whose keys are the headers. Its rows are a header row (0) —
// the keys of the first records — then one row per record, numbered from 1.
type jsonSource struct {
	r io.Reader
	// late are keys first seen after the header was made, with the record
	// that has them first; their values are not read.
	late    []string
	lateRec []int
}

func (s *jsonSource) sheets() []sheetInfo { return []sheetInfo{{}} }
func (s *jsonSource) close() error        { return nil }

func (s *jsonSource) rows(_ string, fn func(int, []string) error) error {
	dec := json.NewDecoder(bufio.NewReaderSize(s.r, 64<<10))
	dec.UseNumber()
	j := &jsonRows{src: s, dec: dec, fn: fn, index: map[string]int{}}
	t, err := dec.Token()
	if err != nil {
		return jsonError(1, err)
	}
	switch t {
	case json.Delim('['):
		for dec.More() {
			if err := j.next(); err != nil {
				return err
			}
		}
		if _, err := dec.Token(); err != nil { // ']'
			return jsonError(j.n+1, err)
		}
	case json.Delim('{'):
		cells, err := j.record()
		if err != nil {
			return err
		}
		j.buffered = append(j.buffered, cells)
		for dec.More() {
			if err := j.next(); err != nil {
				return err
			}
		}
	default:
		return &contentError{code: "bad_json",
			vi: "Tệp JSON không phải là danh sách bản ghi. Tệp JSON phải có dạng [{\"Mã công dân\": …}, …] hoặc mỗi dòng một bản ghi {…}.",
			en: "The JSON file is not a list of records; it must be [{\"Mã công dân\": …}, …] or one record {…} per line."}
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return &contentError{code: "bad_json", row: j.n + 1,
			vi: "Sau danh sách bản ghi, tệp JSON còn nội dung thừa. Hãy xuất lại tệp từ biểu mẫu.",
			en: "The JSON file goes on after its list of records; export it again from the form."}
	}
	if !j.fixed {
		return j.flush()
	}
	return nil
}

// jsonRows turns a JSON file's records into rows as they are decoded. The
// header is the keys of the first jsonScan records, which wait in buffered
// until it is fixed; a key first seen after that is late.
type jsonRows struct {
	src      *jsonSource
	dec      *json.Decoder
	fn       func(int, []string) error
	keys     []string
	index    map[string]int // a key's column; -1 for a late key
	fields   []jsonField
	n        int // records read
	fixed    bool
	buffered [][]string
}

// jsonField is one value of a record and its column.
type jsonField struct {
	col int
	val string
}

// record reads one object, its '{' already read, as a row of cells.
func (j *jsonRows) record() ([]string, error) {
	j.fields = j.fields[:0]
	for j.dec.More() {
		kt, err := j.dec.Token()
		if err != nil {
			return nil, jsonError(j.n+1, err)
		}
		key, _ := kt.(string)
		var raw json.RawMessage
		if err := j.dec.Decode(&raw); err != nil {
			return nil, jsonError(j.n+1, err)
		}
		col, ok := j.index[key]
		if !ok {
			if j.fixed {
				j.src.late = append(j.src.late, key)
				j.src.lateRec = append(j.src.lateRec, j.n+1)
				j.index[key] = -1
				continue
			}
			col = len(j.keys)
			j.index[key] = col
			j.keys = append(j.keys, key)
		}
		if col >= 0 {
			j.fields = append(j.fields, jsonField{col, jsonText(raw)})
		}
	}
	if _, err := j.dec.Token(); err != nil { // '}'
		return nil, jsonError(j.n+1, err)
	}
	j.n++
	cells := make([]string, len(j.keys))
	for _, f := range j.fields {
		cells[f.col] = f.val
	}
	return cells, nil
}

// flush fixes the header and hands on the header row and the records that
// waited for it.
func (j *jsonRows) flush() error {
	j.fixed = true
	if err := j.fn(0, j.keys); err != nil {
		return err
	}
	for i, cells := range j.buffered {
		for len(cells) < len(j.keys) {
			cells = append(cells, "")
		}
		if err := j.fn(i+1, cells); err != nil {
			return err
		}
	}
	j.buffered = nil
	return nil
}

// next reads one record, its '{' not yet read.
func (j *jsonRows) next() error {
	t, err := j.dec.Token()
	if err != nil {
		return jsonError(j.n+1, err)
	}
	if t != json.Delim('{') {
		return &contentError{code: "bad_json", row: j.n + 1,
			vi: fmt.Sprintf("Bản ghi %d của tệp JSON không phải là một đối tượng {…}. Tệp JSON phải là danh sách các bản ghi dạng [{\"Mã công dân\": …}, …] hoặc mỗi dòng một bản ghi.", j.n+1),
			en: fmt.Sprintf("Record %d of the JSON file is not an object {…}; a JSON file must be a list of records [{\"Mã công dân\": …}, …] or one record per line.", j.n+1)}
	}
	cells, err := j.record()
	if err != nil {
		return err
	}
	if !j.fixed {
		j.buffered = append(j.buffered, cells)
		if len(j.buffered) == jsonScan {
			return j.flush()
		}
		return nil
	}
	return j.fn(j.n, cells)
}

func jsonError(rec int, err error) error {
	var ioErr *ioError
	if errors.As(err, &ioErr) {
		return err
	}
	return &contentError{code: "bad_json", row: rec,
		vi: fmt.Sprintf("Tệp JSON bị lỗi ở bản ghi %d (%s). Hãy xuất lại tệp từ biểu mẫu.", rec, err),
		en: fmt.Sprintf("The JSON file is broken at record %d (%s); export it again from the form.", rec, err)}
}

// jsonText is a value as a cell's text: a string as is, a number as written,
// true/false, null as empty, anything else as its JSON.
func jsonText(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return ""
	}
	switch raw[0] {
	case '"':
		var s string
		if err := json.Unmarshal(raw, &s); err == nil {
			return s
		}
	case 'n':
		return ""
	case '[', '{':
		var b bytes.Buffer
		if json.Compact(&b, raw) == nil {
			return b.String()
		}
	}
	if s, err := strconv.Unquote(string(raw)); err == nil {
		return s
	}
	return string(raw)
}
