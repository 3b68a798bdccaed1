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
	var keys []string
	index := map[string]int{}
	type field struct {
		col int
		val string
	}
	var fields []field
	n := 0
	fixed := false
	var buffered [][]string

	// record reads one object, its '{' already read.
	record := func() ([]string, error) {
		fields = fields[:0]
		for dec.More() {
			kt, err := dec.Token()
			if err != nil {
				return nil, jsonError(n+1, err)
			}
			key, _ := kt.(string)
			var raw json.RawMessage
			if err := dec.Decode(&raw); err != nil {
				return nil, jsonError(n+1, err)
			}
			col, ok := index[key]
			if !ok {
				if fixed {
					s.late = append(s.late, key)
					s.lateRec = append(s.lateRec, n+1)
					index[key] = -1
					continue
				}
				col = len(keys)
				index[key] = col
				keys = append(keys, key)
			}
			if col >= 0 {
				fields = append(fields, field{col, jsonText(raw)})
			}
		}
		if _, err := dec.Token(); err != nil { // '}'
			return nil, jsonError(n+1, err)
		}
		n++
		cells := make([]string, len(keys))
		for _, f := range fields {
			cells[f.col] = f.val
		}
		return cells, nil
	}
	flush := func() error {
		fixed = true
		if err := fn(0, keys); err != nil {
			return err
		}
		for i, cells := range buffered {
			for len(cells) < len(keys) {
				cells = append(cells, "")
			}
			if err := fn(i+1, cells); err != nil {
				return err
			}
		}
		buffered = nil
		return nil
	}
	next := func() error { // one record, '{' not yet read
		t, err := dec.Token()
		if err != nil {
			return jsonError(n+1, err)
		}
		if t != json.Delim('{') {
			return &contentError{code: "bad_json", row: n + 1,
				vi: fmt.Sprintf("Bản ghi %d của tệp JSON không phải là một đối tượng {…}. Tệp JSON phải là danh sách các bản ghi dạng [{\"Mã công dân\": …}, …] hoặc mỗi dòng một bản ghi.", n+1),
				en: fmt.Sprintf("Record %d of the JSON file is not an object {…}; a JSON file must be a list of records [{\"Mã công dân\": …}, …] or one record per line.", n+1)}
		}
		cells, err := record()
		if err != nil {
			return err
		}
		if !fixed {
			buffered = append(buffered, cells)
			if len(buffered) == jsonScan {
				return flush()
			}
			return nil
		}
		return fn(n, cells)
	}

	t, err := dec.Token()
	if err != nil {
		return jsonError(1, err)
	}
	switch t {
	case json.Delim('['):
		for dec.More() {
			if err := next(); err != nil {
				return err
			}
		}
		if _, err := dec.Token(); err != nil { // ']'
			return jsonError(n+1, err)
		}
	case json.Delim('{'):
		cells, err := record()
		if err != nil {
			return err
		}
		buffered = append(buffered, cells)
		for dec.More() {
			if err := next(); err != nil {
				return err
			}
		}
	default:
		return &contentError{code: "bad_json",
			vi: "Tệp JSON không phải là danh sách bản ghi. Tệp JSON phải có dạng [{\"Mã công dân\": …}, …] hoặc mỗi dòng một bản ghi {…}.",
			en: "The JSON file is not a list of records; it must be [{\"Mã công dân\": …}, …] or one record {…} per line."}
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return &contentError{code: "bad_json", row: n + 1,
			vi: "Sau danh sách bản ghi, tệp JSON còn nội dung thừa. Hãy xuất lại tệp từ biểu mẫu.",
			en: "The JSON file goes on after its list of records; export it again from the form."}
	}
	if !fixed {
		return flush()
	}
	return nil
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
