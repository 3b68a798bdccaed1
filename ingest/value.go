package ingest

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/hoctap/hoctap/config"
)

// valueError says what is wrong with a cell, in both languages.
type valueError struct {
	code   string
	vi, en string
}

func bad(code, vi, en string, args ...any) *valueError {
	return &valueError{code: code, vi: fmt.Sprintf(vi, args...), en: fmt.Sprintf(en, args...)}
}

// parser turns cell text into typed values for one configuration.
type parser struct {
	cfg         *config.Config
	spreadsheet bool
	step        float64
	// memo keeps the values of categorical cells (wards, groups, rounds,
	// genders): a file repeats the same few spellings on every row.
	memo map[config.ColumnType]map[string]memoValue
}

type memoValue struct {
	v   any
	err *valueError
}

const memoMax = 1000

// parse reads one cell of column c, remembering categorical answers.
func (p *parser) parse(c config.Column, s string) (any, *valueError) {
	switch c.Type {
	case config.TypeWard, config.TypeGroup, config.TypeRound, config.TypeGender:
	default:
		return p.parseCell(c, s)
	}
	m := p.memo[c.Type]
	if mv, ok := m[s]; ok {
		return mv.v, mv.err
	}
	v, err := p.parseCell(c, s)
	if p.memo == nil {
		p.memo = map[config.ColumnType]map[string]memoValue{}
	}
	if m == nil {
		m = map[string]memoValue{}
		p.memo[c.Type] = m
	}
	if len(m) < memoMax && (s != "" || !c.Required) {
		m[s] = memoValue{v, err}
	}
	return v, err
}

// parseCell reads one cell of column c. An empty cell gives nil.
func (p *parser) parseCell(c config.Column, s string) (any, *valueError) {
	if s == "" {
		if c.Required {
			return nil, bad("missing_required", "Ô trống: cột \"%s\" bắt buộc phải có giá trị.", "Empty: column \"%s\" is required.", c.Header)
		}
		return nil, nil
	}
	switch c.Type {
	case config.TypeText:
		return strings.Join(strings.Fields(s), " "), nil
	case config.TypeInt:
		return p.integer(c, s)
	case config.TypeNumber:
		v, ok := number(s)
		if !ok || v < 0 {
			return nil, bad("bad_number", "\"%s\" không phải là số. Hãy nhập một số, ví dụ 2,5.", "%q is not a number: enter a number such as 2.5.", s)
		}
		return v, nil
	case config.TypeScore:
		v, ok := number(s)
		if !ok {
			return nil, bad("bad_number", "\"%s\" không phải là điểm số. Hãy nhập điểm từ 0 đến %s.", "%q is not a score: enter a score from 0 to %s.", s, num(c.Max))
		}
		if v < 0 || v > c.Max {
			return nil, bad("out_of_range", "Điểm %s nằm ngoài khoảng 0–%s. Hãy nhập điểm từ 0 đến %s.", "%s is outside 0–%s: enter a score from 0 to %s.", s, num(c.Max), num(c.Max))
		}
		if p.step > 0 && math.Abs(v/p.step-math.Round(v/p.step)) > 1e-9 {
			return nil, bad("bad_step", "Điểm %s không hợp lệ: điểm phải là bội số của %s.", "%s is not allowed: scores go in steps of %s.", s, num(p.step))
		}
		return v, nil
	case config.TypeDate:
		return p.date(s)
	case config.TypeGender:
		switch config.Fold(s) {
		case "nam", "m", "male", "trai":
			return "Nam", nil
		case "nu", "f", "female", "gai":
			return "Nữ", nil
		}
		return nil, bad("bad_gender", "Giới tính \"%s\" không hợp lệ: ghi Nam hoặc Nữ.", "Gender %q is not understood: write Nam or Nữ.", s)
	case config.TypeWard:
		w, ok := p.cfg.WardByName(s)
		if !ok {
			return nil, bad("unknown_ward", "\"%s\" không phải là xã/phường của chương trình (%s). Hãy ghi đúng tên xã/phường.", "%q is not a ward of the programme (%s): write the ward's name.", s, p.wardNames())
		}
		return w.Code, nil
	case config.TypeGroup:
		g, ok := p.cfg.GroupByName(s)
		if !ok {
			return nil, bad("unknown_group", "Nhóm đối tượng \"%s\" không hợp lệ: ghi số nhóm (%s) hoặc tên nhóm.", "Target group %q is not understood: write the group's number (%s) or name.", s, p.groupIDs())
		}
		return int64(g.ID), nil
	case config.TypeRound:
		r, ok := p.cfg.RoundByName(s)
		if !ok {
			return nil, bad("unknown_round", "Đợt \"%s\" không hợp lệ: ghi %s.", "Round %q is not understood: write %s.", s, p.roundNames())
		}
		return r.Code, nil
	}
	return s, nil
}

func (p *parser) integer(c config.Column, s string) (any, *valueError) {
	v, ok := number(s)
	if !ok || v != math.Trunc(v) || v < 0 {
		return nil, bad("bad_number", "\"%s\" không phải là số nguyên. Hãy nhập một số nguyên, ví dụ 25.", "%q is not a whole number: enter a number such as 25.", s)
	}
	if c.Key == "birth_year" && (v < 1900 || v > 2100) {
		return nil, bad("out_of_range", "Năm sinh %s không hợp lệ: hãy nhập năm có 4 chữ số, ví dụ 1975.", "Birth year %s is not plausible: enter a four-digit year such as 1975.", s)
	}
	return int64(v), nil
}

// number reads "8", "8.5", "8,5" and " 8,5 " alike; thousands separators are
// refused rather than guessed ("1.234" is 1.234, never 1234).
func number(s string) (float64, bool) {
	s = strings.TrimSpace(s)
	if strings.Count(s, ",") == 1 && !strings.Contains(s, ".") {
		s = strings.Replace(s, ",", ".", 1)
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, false
	}
	return v, true
}

func num(v float64) string { return strings.Replace(strconv.FormatFloat(v, 'f', -1, 64), ".", ",", 1) }

var dateLayouts = []string{"2/1/2006", "2-1-2006", "2.1.2006", "2006-01-02", "2/1/2006 15:04:05", "2/1/2006 15:04", "2-1-2006 15:04:05", "2006-01-02 15:04:05", "2006-01-02T15:04:05"}

// date reads a day written as Vietnamese write it (dd/mm/yyyy, with or without
// a time), as ISO, or — in a spreadsheet — as an Excel serial number. Day and
// month are never swapped to make a date fit.
func (p *parser) date(s string) (any, *valueError) {
	if p.spreadsheet && isNumber(s) && !strings.Contains(s, ",") {
		v, err := strconv.ParseFloat(s, 64)
		if err == nil && v >= 1 && v < 2958466 {
			epoch := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
			d := epoch.AddDate(0, 0, int(math.Floor(v)))
			return d, nil
		}
	}
	for _, l := range dateLayouts {
		if t, err := time.Parse(l, s); err == nil {
			if t.Year() < 1900 || t.Year() > 2100 {
				break
			}
			return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC), nil
		}
	}
	return nil, bad("bad_date", "\"%s\" không phải là ngày hợp lệ. Hãy ghi ngày theo dạng ngày/tháng/năm, ví dụ 08/12/2020.", "%q is not a valid date: write it as day/month/year, such as 08/12/2020.", s)
}

func (p *parser) wardNames() string {
	n := make([]string, len(p.cfg.Wards))
	for i, w := range p.cfg.Wards {
		n[i] = w.Name
	}
	return strings.Join(n, ", ")
}

func (p *parser) groupIDs() string {
	n := make([]string, len(p.cfg.Groups))
	for i, g := range p.cfg.Groups {
		n[i] = strconv.Itoa(g.ID)
	}
	return strings.Join(n, ", ")
}

func (p *parser) roundNames() string {
	n := make([]string, len(p.cfg.Rounds))
	for i, r := range p.cfg.Rounds {
		n[i] = r.Name
	}
	return strings.Join(n, ", ")
}
