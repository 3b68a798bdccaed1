package geo

import (
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hoctap/hoctap/config"
)

// Problem is one thing wrong in the register's files.
type Problem struct {
	File string
	Line int // 0: the file as a whole
	VI   string
	EN   string
}

func (p Problem) String() string {
	where := p.File
	if p.Line > 0 {
		where += fmt.Sprintf(":%d", p.Line)
	}
	return where + ": " + p.VI + " — " + p.EN
}

// Error lists every problem found in the register's files.
type Error struct{ Problems []Problem }

func (e *Error) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.String()
	}
	return fmt.Sprintf("geo: %d vấn đề trong danh mục đơn vị hành chính — %d problem(s) in the register of administrative units:\n  %s",
		len(e.Problems), len(e.Problems), strings.Join(lines, "\n  "))
}

// maxFileBytes bounds a register file: the whole country's list of about
// 13,000 entries over its history is a few megabytes.
const maxFileBytes = 64 << 20

// LoadFiles reads and checks the register (units) and its crosswalk (links).
// Every problem of both files is reported at once.
func LoadFiles(unitsPath, linksPath string) (*Register, error) {
	return load(unitsPath, linksPath, func(name string) (io.ReadCloser, error) { return os.Open(name) })
}

// LoadFS is LoadFiles for files of fsys: the register embedded in the binary.
func LoadFS(fsys fs.FS, unitsPath, linksPath string) (*Register, error) {
	return load(unitsPath, linksPath, func(name string) (io.ReadCloser, error) { return fsys.Open(name) })
}

func load(unitsPath, linksPath string, open func(string) (io.ReadCloser, error)) (*Register, error) {
	var ps []Problem
	r := &Register{}
	h := sha256.New()
	for _, f := range []struct {
		path string
		read func(string, [][]string) []Problem
	}{
		{unitsPath, r.readUnits},
		{linksPath, r.readLinks},
	} {
		if f.path == "" {
			continue
		}
		b, err := readFile(f.path, open)
		if err != nil {
			ps = append(ps, Problem{File: f.path, VI: "không đọc được tệp: " + err.Error(), EN: "cannot read the file: " + err.Error()})
			continue
		}
		h.Write(b)
		recs, err := csvRecords(b)
		if err != nil {
			ps = append(ps, Problem{File: f.path, VI: "không phải tệp CSV đọc được: " + err.Error(), EN: "not a readable CSV file: " + err.Error()})
			continue
		}
		ps = append(ps, f.read(f.path, recs)...)
	}
	r.Version = hex.EncodeToString(h.Sum(nil))[:16]
	if len(ps) == 0 {
		r.index()
		ps = append(ps, r.Check(unitsPath, linksPath)...)
	}
	if len(ps) > 0 {
		return nil, &Error{Problems: ps}
	}
	return r, nil
}

func readFile(path string, open func(string) (io.ReadCloser, error)) ([]byte, error) {
	f, err := open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxFileBytes+1))
	if err != nil {
		return nil, err
	}
	if len(b) > maxFileBytes {
		return nil, fmt.Errorf("larger than %d MB", maxFileBytes>>20)
	}
	return b, nil
}

// csvRecords reads a UTF-8 CSV (with or without a byte-order mark), separated
// by commas or semicolons as Excel writes it, with its line numbers.
func csvRecords(b []byte) ([][]string, error) {
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
	first, _, _ := bytes.Cut(b, []byte("\n"))
	cr := csv.NewReader(bytes.NewReader(b))
	if bytes.Count(first, []byte(";")) > bytes.Count(first, []byte(",")) {
		cr.Comma = ';'
	}
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = false
	var recs [][]string
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return recs, nil
		}
		if err != nil {
			return nil, err
		}
		line, _ := cr.FieldPos(0)
		// Keep the line number as the record's last element.
		recs = append(recs, append(rec, strconv.Itoa(line)))
	}
}

// field is a column of a register file: its Vietnamese header, as the
// official lists write it, and its English alias.
type field struct{ vi, en string }

// columns maps a header row to the fields, by folded name; it reports the
// fields it lacks.
func columns(header []string, fields []field, required ...string) (map[string]int, []string) {
	at := map[string]int{}
	for i, h := range header {
		f := config.Fold(h)
		for _, fd := range fields {
			if f == config.Fold(fd.vi) || f == config.Fold(fd.en) {
				at[fd.en] = i
			}
		}
	}
	var missing []string
	for _, fd := range fields {
		if _, ok := at[fd.en]; !ok && slices.Contains(required, fd.en) {
			missing = append(missing, fmt.Sprintf("%q (%s)", fd.vi, fd.en))
		}
	}
	return at, missing
}

var unitFields = []field{
	{"Mã", "code"}, {"Tên", "name"}, {"Cấp", "kind"}, {"Mã cấp trên", "parent_code"},
	{"Hiệu lực từ", "valid_from"}, {"Hiệu lực đến", "valid_to"}, {"Căn cứ", "source"},
}

var linkFields = []field{
	{"Mã cũ", "from_code"}, {"Tên cũ", "from_name"}, {"Mã mới", "to_code"}, {"Tên mới", "to_name"},
	{"Ngày hiệu lực", "on"}, {"Tỷ lệ", "share"}, {"Cơ sở tỷ lệ", "basis"}, {"Ước tính", "estimate"}, {"Căn cứ", "source"},
}

// row gives a record's cells by field, trimmed and in NFC.
type row struct {
	cells []string
	at    map[string]int
	line  int
}

func newRows(recs [][]string, at map[string]int) []row {
	var rs []row
	for _, rec := range recs {
		line, _ := strconv.Atoi(rec[len(rec)-1])
		cells := rec[:len(rec)-1]
		blank := true
		for _, c := range cells {
			if strings.TrimSpace(c) != "" {
				blank = false
			}
		}
		if !blank {
			rs = append(rs, row{cells: cells, at: at, line: line})
		}
	}
	return rs
}

func (r row) get(key string) string {
	i, ok := r.at[key]
	if !ok || i >= len(r.cells) {
		return ""
	}
	return config.NFC(strings.TrimSpace(r.cells[i]))
}

// headerOf checks a file's header; the problem names what it lacks.
func headerOf(path string, recs [][]string, fields []field, required ...string) (map[string]int, []Problem) {
	if len(recs) == 0 {
		return nil, []Problem{{File: path, VI: "tệp trống", EN: "the file is empty"}}
	}
	at, missing := columns(recs[0][:len(recs[0])-1], fields, required...)
	if len(missing) > 0 {
		return nil, []Problem{{File: path, Line: 1,
			VI: "thiếu cột " + strings.Join(missing, ", "),
			EN: "missing column(s) " + strings.Join(missing, ", ")}}
	}
	return at, nil
}

// parseDay reads a day written 2006-01-02 or 02/01/2006; "" is zero (open).
func parseDay(s string) (config.Date, bool) {
	if s == "" {
		return config.Date{}, true
	}
	for _, layout := range []string{time.DateOnly, "02/01/2006", "2/1/2006"} {
		if t, err := time.Parse(layout, s); err == nil {
			return config.Date{Time: t}, true
		}
	}
	return config.Date{}, false
}

func (r *Register) readUnits(path string, recs [][]string) []Problem {
	at, ps := headerOf(path, recs, unitFields, "code", "name", "kind", "parent_code", "valid_from", "valid_to")
	if ps != nil {
		return ps
	}
	bad := func(line int, vi, en string, args ...any) {
		ps = append(ps, Problem{File: path, Line: line, VI: fmt.Sprintf(vi, args...), EN: fmt.Sprintf(en, args...)})
	}
	for _, rw := range newRows(recs[1:], at) {
		u := Unit{Code: rw.get("code"), Name: rw.get("name"), Parent: rw.get("parent_code"), Source: rw.get("source"), Line: rw.line}
		if u.Code == "" || strings.ContainsAny(u.Code, " \t") {
			bad(rw.line, "mã %q không hợp lệ: cần một mã số không có khoảng trắng", "code %q is not valid: expected a code without spaces", u.Code)
		}
		if u.Name == "" {
			bad(rw.line, "thiếu tên đơn vị", "the unit's name is missing")
		}
		k, ok := parseKind(rw.get("kind"))
		if !ok {
			bad(rw.line, "cấp %q không rõ: cần Tỉnh, Thành phố, Huyện, Quận, Thị xã, Xã, Phường, Thị trấn hoặc Đặc khu",
				"kind %q is not known: expected Tỉnh, Thành phố, Huyện, Quận, Thị xã, Xã, Phường, Thị trấn or Đặc khu", rw.get("kind"))
		}
		u.Kind = k
		var okFrom, okTo bool
		u.From, okFrom = parseDay(rw.get("valid_from"))
		u.To, okTo = parseDay(rw.get("valid_to"))
		if !okFrom {
			bad(rw.line, "ngày hiệu lực %q không đọc được: cần dd/mm/yyyy hoặc yyyy-mm-dd", "valid_from %q is not a date: expected dd/mm/yyyy or yyyy-mm-dd", rw.get("valid_from"))
		}
		if !okTo {
			bad(rw.line, "ngày hết hiệu lực %q không đọc được: cần dd/mm/yyyy hoặc yyyy-mm-dd", "valid_to %q is not a date: expected dd/mm/yyyy or yyyy-mm-dd", rw.get("valid_to"))
		}
		if okFrom && okTo && !u.From.IsZero() && !u.To.IsZero() && u.To.Before(u.From.Time) {
			bad(rw.line, "hết hiệu lực (%s) trước khi có hiệu lực (%s)", "valid_to (%s) is before valid_from (%s)", u.To, u.From)
		}
		r.Units = append(r.Units, u)
	}
	if len(r.Units) == 0 && len(ps) == 0 {
		bad(0, "danh mục không có đơn vị nào", "the register holds no unit")
	}
	return ps
}

func (r *Register) readLinks(path string, recs [][]string) []Problem {
	at, ps := headerOf(path, recs, linkFields, "from_code", "to_code", "on")
	if ps != nil {
		return ps
	}
	bad := func(line int, vi, en string, args ...any) {
		ps = append(ps, Problem{File: path, Line: line, VI: fmt.Sprintf(vi, args...), EN: fmt.Sprintf(en, args...)})
	}
	for _, rw := range newRows(recs[1:], at) {
		l := Link{From: rw.get("from_code"), To: rw.get("to_code"), Basis: rw.get("basis"), Source: rw.get("source"), Line: rw.line, Share: 1}
		if l.From == "" || l.To == "" {
			bad(rw.line, "thiếu mã cũ hoặc mã mới", "the old or the new code is missing")
		}
		var ok bool
		if l.On, ok = parseDay(rw.get("on")); !ok || l.On.IsZero() {
			bad(rw.line, "ngày hiệu lực %q không đọc được: cần dd/mm/yyyy hoặc yyyy-mm-dd", "the day of the change %q is not a date: expected dd/mm/yyyy or yyyy-mm-dd", rw.get("on"))
		}
		if s := rw.get("share"); s != "" {
			v, err := strconv.ParseFloat(strings.TrimSuffix(strings.ReplaceAll(s, ",", "."), "%"), 64)
			if strings.HasSuffix(s, "%") {
				v /= 100
			}
			if err != nil || v <= 0 || v > 1 || math.IsNaN(v) {
				bad(rw.line, "tỷ lệ %q không hợp lệ: cần một số lớn hơn 0 và không quá 1 (hoặc %%)", "share %q is not valid: expected a number above 0 and at most 1 (or a percentage)", s)
			}
			l.Share = v
		}
		switch config.Fold(rw.get("estimate")) {
		case "", "khong", "no", "false", "0":
		case "co", "x", "yes", "true", "1", "uoc tinh":
			l.Estimate = true
		default:
			bad(rw.line, "cột Ước tính %q: cần \"có\" hoặc để trống", "estimate %q: expected \"có\" (yes) or blank", rw.get("estimate"))
		}
		if l.Share < 1 && l.Basis == "" {
			bad(rw.line, "tỷ lệ %v cần ghi cơ sở (dân số, số hộ)", "a share of %v needs its basis (population, households)", l.Share)
		}
		l.fromName, l.toName = rw.get("from_name"), rw.get("to_name")
		r.Links = append(r.Links, l)
	}
	return ps
}
