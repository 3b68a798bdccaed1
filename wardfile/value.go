package wardfile

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/hoctap/hoctap/config"
)

// How cells are read. Every rule below refuses rather than guesses: a value
// that could mean two things is an error that says how to write it.
//
//   - Text is NFC, trimmed, with runs of spaces (and no-break spaces) as one.
//   - Numbers take one decimal mark, comma or point: "8,5" = "8.5" = 8.5;
//     "8,5,1", "1.234,5", "abc" are refused.
//   - Whole numbers (members, participants, birth year) may group thousands
//     with points or commas when that cannot be a decimal: "1.234" and
//     "1.234.567" are 1234 and 1234567 (1,234 people cannot be meant); "25.000"
//     is refused (25 or 25000?); "25,0" is 25.
//   - Decimal numbers without a maximum (hours) refuse one mark followed by
//     exactly three digits ("1.500": 1,5 or 1500?). Scores have a maximum, so
//     "8,500" can only be 8.5.
//   - In a workbook a point is always a decimal point: numeric cells are
//     stored so, whatever the language of the Excel that wrote them.
//   - Dates are day/month/year as Vietnamese write them (d/m/yyyy, with / - or
//     .), ISO yyyy-mm-dd, a web form's date-time (the date is kept; with a
//     zone, the date in the city's zone), "ngày 8 tháng 12 năm 2020", and in a
//     workbook Excel serial numbers (1900 or 1904 system). Day and month are
//     never swapped to make a date fit; two-digit years are refused; a number
//     in a date column of a CSV or JSON file is refused (it is no date there).
//   - Event dates fall between 1990 and the run's day (Hint.Now); birth years
//     between 1900 and the run's year, and not after the registration.
//   - Wards, target groups and rounds are looked up by config (WardByName,
//     GroupByName, RoundByName), never guessed; a ward that is not the one of
//     the file's folder (Hint.Ward) is refused: the loader files rows by the
//     folder's ward, so a row of another ward would be filed under the wrong one.

// earliestYear is the first year an event date (a registration, an
// assessment, an activity) may have: earlier years are typing mistakes, or a
// year typed into a date column ("2021" as a serial is a day of 1905).
const earliestYear = 1990

// fault is what is wrong with a cell; message turns it into words.
type fault uint8

const (
	okCell fault = iota
	fMissing
	fNotNumber
	fNotInteger
	fAmbiguousNumber
	fNegative
	fAboveMax
	fStep
	fBirthYear
	fBadDate
	fDateOrder // month/day order
	fNoSuchDay
	fShortYear
	fSerialInText
	fTooEarly
	fTooLate
	fWrongWard
	fCategory // fits no category, or several
	fEncoding
	fTimestamp
	fNoMonth
)

// parser turns the text of cells into typed values for one file.
type parser struct {
	cfg      *config.Config
	serials  bool // numbers in date columns are Excel serial dates (workbooks)
	date1904 bool
	step     float64
	loc      *time.Location
	hintWard string
	// latest is the last day an event date may have (the run's day, plus one
	// for time zones); maxBirth the last birth year. Zero: 2100.
	latest   time.Time
	maxBirth int
	cats     catLists
	// how is how the last category value was read, and as which entry.
	how   how
	entry int
	// utc are the timestamp columns whose times are UTC (KoboToolbox's
	// _submission_time); others are in the city's time.
	utc map[*config.Column]bool

	// Boxed values, so that a row does not allocate for its numbers and dates:
	// small whole numbers, hundredths, and days.
	ints   []any
	tenths []any
	floats []any
	dates  map[int32]any
}

func newParser(cfg *config.Config, hint Hint, cats catLists) *parser {
	p := &parser{cfg: cfg, step: cfg.Citizen.ScoreStep, loc: cfg.Location, hintWard: hint.Ward, maxBirth: 2100, cats: cats, utc: map[*config.Column]bool{},
		latest: time.Date(2100, 12, 31, 0, 0, 0, 0, time.UTC)}
	if p.loc == nil {
		p.loc = time.UTC
	}
	if !hint.Now.IsZero() {
		now := hint.Now.In(p.loc)
		p.maxBirth = now.Year()
		p.latest = time.Date(now.Year(), now.Month(), now.Day()+1, 0, 0, 0, 0, time.UTC)
	}
	return p
}

// memoMax bounds the distinct cells remembered per column.
const memoMax = 1000

// memoized reports the column types whose cells are remembered by their text:
// a file repeats the same few wards, groups, rounds, genders and days.
func memoized(t config.ColumnType) bool {
	switch t {
	case config.TypeWard, config.TypeGroup, config.TypeRound, config.TypeGender, config.TypeDate,
		config.TypeUnitType, config.TypeActivityKind, config.TypeReviewStatus, config.TypeTitle, config.TypeYesNo:
		return true
	}
	return false
}

// kind is a column's type as a small number: the hot path switches on it.
type kind uint8

const (
	kText kind = iota
	kInt
	kNumber
	kScore
	kDate
	kCategory
	kTimestamp
)

func kindOf(t config.ColumnType) kind {
	switch t {
	case config.TypeInt:
		return kInt
	case config.TypeNumber:
		return kNumber
	case config.TypeScore:
		return kScore
	case config.TypeDate:
		return kDate
	case config.TypeTimestamp:
		return kTimestamp
	case config.TypeText:
		return kText
	}
	return kCategory
}

// parse reads one cleaned cell of column c, of kind k: nil for an empty cell.
func (p *parser) parse(c *config.Column, k kind, s string) (any, fault) {
	if s == "" {
		if c.Required {
			return nil, fMissing
		}
		return nil, okCell
	}
	switch k {
	case kText:
		return text(s), okCell
	case kInt:
		n, f := integer(s, p.serials)
		if f != okCell {
			return nil, f
		}
		if c.Key == "birth_year" && (n < 1900 || n > int64(p.maxBirth)) {
			return nil, fBirthYear
		}
		return p.boxInt(n), okCell
	case kNumber, kScore:
		if x, ok := tenths(s); ok {
			return p.fromTenths(c, k, x)
		}
		v, f := p.number(c, s)
		if f != okCell {
			return nil, f
		}
		return p.boxFloat(v), okCell
	case kDate:
		d, f := p.date(s)
		if f == fTooEarly && c.Key == "birth_date" && d.Year() >= 1900 {
			f = okCell
		}
		if f == okCell && c.Key == "birth_date" && d.Year() > p.maxBirth {
			f = fBirthYear
		}
		if f != okCell {
			return nil, f
		}
		return p.boxDate(d), okCell
	case kTimestamp:
		t, f := p.timestamp(s, c)
		if f != okCell {
			return nil, f
		}
		return t, okCell
	}
	return p.category(c, s)
}

// fromTenths is a number or score of x tenths ("8,5" is 85): most scores.
func (p *parser) fromTenths(c *config.Column, k kind, x int) (any, fault) {
	if k == kScore {
		if float64(x) > c.Max*10 {
			return nil, fAboveMax
		}
		if p.step > 0 && !p.onStep(float64(x)/10) {
			return nil, fStep
		}
	}
	return p.boxTenths(x), okCell
}

// category reads a value that names a category of the column's list; p.how
// and p.entry say how it was read.
func (p *parser) category(c *config.Column, s string) (any, fault) {
	l := p.cats[c.Type]
	if l == nil {
		return s, okCell
	}
	e, h, _ := l.match(s)
	if e < 0 {
		return nil, fCategory
	}
	p.how, p.entry = h, e
	v := l.entries[e].value
	if c.Type == config.TypeWard && p.hintWard != "" && v != p.hintWard {
		return nil, fWrongWard
	}
	return v, okCell
}

// clean trims a cell and puts it in NFC, dropping the zero-width characters
// web forms leave; ASCII cells pass without a copy.
func clean(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return cleanUnicode(s)
		}
	}
	// ASCII: trim spaces and control characters
	i, j := 0, len(s)
	for i < j && s[i] <= ' ' {
		i++
	}
	for j > i && s[j-1] <= ' ' {
		j--
	}
	return s[i:j]
}

func cleanUnicode(s string) string {
	// U+200B…U+200D are E2 80 8B…8D, U+FEFF is EF BB BF: rare bytes in Vietnamese
	if (strings.IndexByte(s, 0xE2) >= 0 || strings.IndexByte(s, 0xEF) >= 0) && strings.ContainsAny(s, "\u200b\u200c\u200d\ufeff") {
		s = strings.NewReplacer("\u200b", "", "\u200c", "", "\u200d", "", "\ufeff", "").Replace(s)
	}
	return strings.TrimSpace(config.NFC(s))
}

// text collapses runs of white space (tabs, line breaks, no-break spaces) to one space.
func text(s string) string {
	prev := byte(0)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f' || c == 0xC2 || (c == ' ' && prev == ' ') {
			return strings.Join(strings.Fields(s), " ")
		}
		prev = c
	}
	return s
}

// ---- numbers

var pow10 = [...]float64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}

// decimalParts splits a plain decimal: an optional sign, digits, at most one
// mark ('.' or ',') and digits. ok is false for anything else.
type decimalParts struct {
	neg        bool
	intPart    string
	mark       byte // 0 when there is none
	fracPart   string
	exponent   bool // 1E-3, as workbooks write some numbers
	digitCount int
}

func splitDecimal(s string) (d decimalParts, ok bool) {
	i := 0
	if i < len(s) && (s[i] == '-' || s[i] == '+') {
		d.neg = s[i] == '-'
		i++
	}
	start := i
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	d.intPart = s[start:i]
	if i < len(s) && (s[i] == '.' || s[i] == ',') {
		d.mark = s[i]
		i++
		start = i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		d.fracPart = s[start:i]
	}
	d.digitCount = len(d.intPart) + len(d.fracPart)
	if d.digitCount == 0 {
		return d, false
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') && d.mark != ',' {
		j := i + 1
		if j < len(s) && (s[j] == '-' || s[j] == '+') {
			j++
		}
		k := j
		for j < len(s) && s[j] >= '0' && s[j] <= '9' {
			j++
		}
		if j == k {
			return d, false
		}
		d.exponent = true
		i = j
	}
	return d, i == len(s)
}

// value of a plain decimal; exact (correctly rounded) for up to 15 digits.
func (d decimalParts) value(s string) (float64, bool) {
	if !d.exponent && d.digitCount <= 15 {
		var m uint64
		for i := 0; i < len(d.intPart); i++ {
			m = m*10 + uint64(d.intPart[i]-'0')
		}
		for i := 0; i < len(d.fracPart); i++ {
			m = m*10 + uint64(d.fracPart[i]-'0')
		}
		v := float64(m) / pow10[len(d.fracPart)]
		if d.neg {
			v = -v
		}
		return v, true
	}
	if d.mark == ',' {
		s = strings.Replace(s, ",", ".", 1)
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
		return 0, false
	}
	return v, true
}

// number reads a decimal or a score of column c.
func (p *parser) number(c *config.Column, s string) (float64, fault) {
	d, ok := splitDecimal(s)
	if !ok {
		return 0, fNotNumber
	}
	v, ok := d.value(s)
	if !ok {
		return 0, fNotNumber
	}
	if v < 0 {
		return 0, fNegative
	}
	// "1.500" may be 1,5 or 1500 unless the column's maximum rules 1500 out
	// (or it is a workbook's number, always with a decimal point).
	if d.mark != 0 && !(p.serials && d.mark == '.') && !d.exponent && len(d.fracPart) == 3 && len(d.intPart) >= 1 && len(d.intPart) <= 3 && d.intPart[0] != '0' {
		if c.Type != config.TypeScore || v*1000 <= c.Max {
			return 0, fAmbiguousNumber
		}
	}
	if c.Type == config.TypeScore {
		if v > c.Max {
			return 0, fAboveMax
		}
		if p.step > 0 && !p.onStep(v) {
			return 0, fStep
		}
	}
	return v, okCell
}

// tenths reads one or two digits, perhaps with one decimal digit after a
// comma or a point, as tenths: "8,5" is 85. The quick way for scores.
func tenths(s string) (int, bool) {
	var v, i int
	for i < len(s) && i < 2 && s[i] >= '0' && s[i] <= '9' {
		v = v*10 + int(s[i]-'0')
		i++
	}
	switch {
	case i == 0:
		return 0, false
	case i == len(s):
		return v * 10, true
	case len(s) == i+2 && (s[i] == ',' || s[i] == '.') && s[i+1] >= '0' && s[i+1] <= '9':
		return v*10 + int(s[i+1]-'0'), true
	}
	return 0, false
}

// onStep reports a score that is a multiple of the configured step.
func (p *parser) onStep(v float64) bool {
	return math.Abs(v/p.step-math.Round(v/p.step)) <= 1e-9
}

// integer reads a whole number, with thousands grouped when that is the only
// reading. In a workbook a point is always a decimal point: numeric cells are
// written so, whatever the reader's language.
func integer(s string, workbook bool) (int64, fault) {
	if s[0] == '-' {
		if _, ok := splitDecimal(s); ok {
			return 0, fNegative
		}
		return 0, fNotNumber
	}
	var n int64
	plain := true
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			plain = false
			break
		}
		if n > (math.MaxInt64-9)/10 {
			return 0, fNotNumber
		}
		n = n*10 + int64(s[i]-'0')
	}
	if plain {
		return n, okCell
	}
	if n, f, ok := grouped(s); ok && !(workbook && strings.IndexByte(s, '.') >= 0) {
		return n, f
	}
	d, ok := splitDecimal(s)
	if !ok {
		return 0, fNotNumber
	}
	v, ok := d.value(s)
	if !ok || math.Abs(v) > 1e15 {
		return 0, fNotNumber
	}
	if v != math.Trunc(v) {
		// a workbook's arithmetic leaves 24.999999999999996 for 25
		if len(d.fracPart) >= 12 && math.Abs(v-math.Round(v)) < 1e-9 {
			return int64(math.Round(v)), okCell
		}
		return 0, fNotInteger
	}
	return int64(v), okCell
}

// grouped reads "1.234", "1,234" or "1.234.567": a first group of one to three
// digits, then groups of three after the same mark. ok is false when s is not
// written so. One group of "000" ("25.000") is ambiguous.
func grouped(s string) (n int64, f fault, ok bool) {
	var mark byte
	groups, digits := 0, 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			digits++
			if groups == 0 && digits > 3 || groups > 0 && digits > 3 {
				return 0, 0, false
			}
			if n > (math.MaxInt64-9)/10 {
				return 0, 0, false
			}
			n = n*10 + int64(c-'0')
		case c == '.' || c == ',':
			if digits == 0 || (groups > 0 && digits != 3) || (mark != 0 && c != mark) {
				return 0, 0, false
			}
			mark = c
			groups++
			digits = 0
		default:
			return 0, 0, false
		}
	}
	if groups == 0 || digits != 3 {
		return 0, 0, false
	}
	if groups == 1 && strings.HasSuffix(s, "000") {
		return 0, fAmbiguousNumber, true
	}
	return n, okCell, true
}

// ---- dates

// date reads a day: text as day/month/year (or ISO), or in a workbook an Excel
// serial number.
func (p *parser) date(s string) (time.Time, fault) {
	if isSerial(s) {
		if !p.serials {
			return time.Time{}, fSerialInText
		}
		v, err := strconv.ParseFloat(s, 64)
		if err != nil || v < 1 || v > 2958465 {
			return time.Time{}, fBadDate
		}
		t, err := excelize.ExcelDateToTime(v, p.date1904)
		if err != nil {
			return time.Time{}, fBadDate
		}
		return p.inRange(t.Year(), int(t.Month()), t.Day())
	}
	y, m, d, f := dateParts(s)
	if f != okCell {
		if f == fBadDate {
			if t, ok := p.zoned(s); ok {
				return p.inRange(t.Year(), int(t.Month()), t.Day())
			}
		}
		return time.Time{}, f
	}
	return p.inRange(y, m, d)
}

func (p *parser) inRange(y, m, d int) (time.Time, fault) {
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if y < earliestYear {
		return t, fTooEarly
	}
	if t.After(p.latest) {
		return t, fTooLate
	}
	return t, okCell
}

// timestamp reads a date and time of day: a workbook's serial number, a form
// tool's "dd/mm/yyyy hh:mm:ss" or ISO date-time, in the city's time unless it
// names its zone (or the column is UTC).
func (p *parser) timestamp(s string, c *config.Column) (time.Time, fault) {
	loc := p.loc
	if p.utc[c] {
		loc = time.UTC
	}
	if isSerial(s) {
		if !p.serials {
			return time.Time{}, fTimestamp
		}
		v, err := strconv.ParseFloat(s, 64)
		if err != nil || v < 1 || v > 2958465 {
			return time.Time{}, fTimestamp
		}
		t, err := excelize.ExcelDateToTime(v, p.date1904)
		if err != nil {
			return time.Time{}, fTimestamp
		}
		t = time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), 0, loc)
		if _, f := p.inRange(t.Year(), int(t.Month()), t.Day()); f != okCell {
			return time.Time{}, f
		}
		return t, okCell
	}
	if t, ok := p.zoned(s); ok {
		if _, f := p.inRange(t.Year(), int(t.Month()), t.Day()); f != okCell {
			return time.Time{}, f
		}
		return t, okCell
	}
	for _, layout := range []string{"2/1/2006 15:04:05", "2/1/2006 15:04", "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02T15:04:05.999999999", "2006-01-02T15:04", "2-1-2006 15:04:05", "2/1/2006", "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			if _, f := p.inRange(t.Year(), int(t.Month()), t.Day()); f != okCell {
				return time.Time{}, f
			}
			return t, okCell
		}
	}
	return time.Time{}, fTimestamp
}

// zoned reads a date-time with a zone ("2021-03-20T02:15:42Z") as the day it
// was in the city.
func (p *parser) zoned(s string) (time.Time, bool) {
	for _, l := range []string{time.RFC3339Nano, "2006-01-02 15:04:05Z07:00", "2006-01-02 15:04:05 -0700", "2006-01-02 15:04:05 -0700 MST"} {
		if t, err := time.Parse(l, s); err == nil {
			return t.In(p.loc), true
		}
	}
	return time.Time{}, false
}

// isSerial reports a plain unsigned number: what a workbook holds for a date.
func isSerial(s string) bool {
	dot := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
		case c == '.' && !dot && i > 0:
			dot = true
		default:
			return false
		}
	}
	return len(s) > 0
}

// dateParts reads the day of "d/m/yyyy", "d-m-yyyy", "d.m.yyyy", "yyyy-mm-dd"
// (each perhaps followed by a time of day) or "ngày d tháng m năm yyyy".
func dateParts(s string) (y, m, d int, f fault) {
	var num [3]int
	var width [3]int
	i, k := 0, 0
	var sep byte
	for k < 3 {
		start := i
		for i < len(s) && i-start < 5 && s[i] >= '0' && s[i] <= '9' {
			num[k] = num[k]*10 + int(s[i]-'0')
			i++
		}
		width[k] = i - start
		if width[k] == 0 {
			return longDate(s)
		}
		k++
		if k == 3 {
			break
		}
		if k == 1 && i < len(s) && s[i] == ' ' {
			return longDate(s) // "8 tháng 12 năm 2020"
		}
		if i >= len(s) || (s[i] != '/' && s[i] != '-' && s[i] != '.') || (sep != 0 && s[i] != sep) {
			return 0, 0, 0, fBadDate
		}
		sep = s[i]
		i++
	}
	if i < len(s) && !timeOfDay(s[i:]) {
		return 0, 0, 0, fBadDate
	}
	switch {
	case width[0] == 4 && width[1] <= 2 && width[2] <= 2:
		y, m, d = num[0], num[1], num[2]
		if m < 1 || m > 12 {
			return 0, 0, 0, fNoMonth // year first: the order is clear
		}
	case width[0] <= 2 && width[1] <= 2 && width[2] == 4:
		d, m, y = num[0], num[1], num[2]
	case width[0] <= 2 && width[1] <= 2 && width[2] == 2:
		return 0, 0, 0, fShortYear
	default:
		return 0, 0, 0, fBadDate
	}
	return y, m, d, checkDay(y, m, d)
}

func checkDay(y, m, d int) fault {
	if m < 1 || m > 12 {
		if m > 12 && m <= 31 && d >= 1 && d <= 12 {
			return fDateOrder
		}
		return fBadDate
	}
	if d < 1 || d > daysIn(y, m) {
		return fNoSuchDay
	}
	return okCell
}

func daysIn(y, m int) int {
	return time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// timeOfDay accepts what follows a date in a web form's date-time:
// " 09:15", " 09:15:42", "T09:15:42.123", with an optional AM/PM (SA/CH).
// A zone is not accepted here (see zoned).
func timeOfDay(s string) bool {
	if s[0] != ' ' && s[0] != 'T' {
		return false
	}
	s = strings.TrimSpace(s[1:])
	fields := 0
	for {
		j := 0
		for j < len(s) && j < 2 && s[j] >= '0' && s[j] <= '9' {
			j++
		}
		if j == 0 {
			return false
		}
		fields++
		s = s[j:]
		if len(s) > 0 && s[0] == ':' && fields < 3 {
			s = s[1:]
			continue
		}
		break
	}
	if fields < 2 {
		return false
	}
	if len(s) > 0 && s[0] == '.' { // fractions of a second
		j := 1
		for j < len(s) && s[j] >= '0' && s[j] <= '9' {
			j++
		}
		s = s[j:]
	}
	switch strings.ToUpper(strings.TrimSpace(s)) {
	case "", "AM", "PM", "SA", "CH", "SÁNG", "CHIỀU":
		return true
	}
	return false
}

// longDate reads "ngày 8 tháng 12 năm 2020" (or "8 tháng 12, 2020").
func longDate(s string) (y, m, d int, f fault) {
	w := strings.Fields(config.Fold(s))
	if len(w) > 0 && w[0] == "ngay" {
		w = w[1:]
	}
	switch {
	case len(w) == 5 && w[1] == "thang" && w[3] == "nam":
		w = []string{w[0], w[2], w[4]}
	case len(w) == 4 && w[1] == "thang":
		w = []string{w[0], w[2], w[3]}
	default:
		return 0, 0, 0, fBadDate
	}
	var err1, err2, err3 error
	d, err1 = strconv.Atoi(w[0])
	m, err2 = strconv.Atoi(w[1])
	y, err3 = strconv.Atoi(w[2])
	if err1 != nil || err2 != nil || err3 != nil || len(w[2]) != 4 || d < 0 || m < 0 {
		return 0, 0, 0, fBadDate
	}
	return y, m, d, checkDay(y, m, d)
}

// ---- boxes

func (p *parser) boxInt(n int64) any {
	if n < 0 || n >= 4096 {
		return n
	}
	if p.ints == nil {
		p.ints = make([]any, 4096)
	}
	if p.ints[n] == nil {
		p.ints[n] = n
	}
	return p.ints[n]
}

// boxTenths boxes k/10 for k from 0 to 999.
func (p *parser) boxTenths(k int) any {
	if p.tenths == nil {
		p.tenths = make([]any, 1000)
	}
	if b := p.tenths[k]; b != nil {
		return b
	}
	p.tenths[k] = float64(k) / 10
	return p.tenths[k]
}

func (p *parser) boxFloat(v float64) any {
	k := int(v*100 + 0.5)
	if k < 0 || k > 10000 || float64(k)/100 != v {
		return v
	}
	if p.floats == nil {
		p.floats = make([]any, 10001)
	}
	if p.floats[k] == nil {
		p.floats[k] = v
	}
	return p.floats[k]
}

func (p *parser) boxDate(t time.Time) any {
	day := int32(t.Unix() / 86400)
	if b, ok := p.dates[day]; ok {
		return b
	}
	if p.dates == nil {
		p.dates = map[int32]any{}
	}
	var b any = t
	if len(p.dates) < 20000 {
		p.dates[day] = b
	}
	return b
}

// ---- messages

// message says what is wrong with value v of column c and how to write it.
func (p *parser) message(f fault, c *config.Column, v string) (code, vi, en string) {
	evi, een := p.expect(c)
	switch f {
	case fMissing:
		return "missing_required", fmt.Sprintf("Ô trống, nhưng cột \"%s\" là bắt buộc. Hãy nhập %s.", c.Header, evi),
			fmt.Sprintf("The cell is empty, but column \"%s\" is required; enter %s.", c.Header, een)
	case fNotNumber, fNotInteger, fAmbiguousNumber, fNegative, fAboveMax, fStep, fBirthYear:
		return p.numberMessage(f, c, v, evi, een)
	case fBadDate, fDateOrder, fNoSuchDay, fNoMonth, fShortYear, fSerialInText, fTooEarly, fTooLate, fTimestamp:
		return p.dateMessage(f, v, evi, een)
	case fWrongWard:
		w, _ := p.cfg.Ward(p.hintWard)
		return "wrong_ward", fmt.Sprintf("Dòng này ghi xã/phường \"%s\", nhưng tệp nằm trong thư mục của %s %s. Hãy gửi dữ liệu của mỗi xã/phường trong thư mục của xã/phường đó.", v, w.Kind, w.Name),
			fmt.Sprintf("This row names the ward %q, but the file is in the folder of %s; send each ward's data in its own folder.", v, w.Name)
	case fCategory:
		return p.categoryMessage(c, v)
	case fEncoding:
		return "encoding", "Ô này có ký tự không đọc được: tệp không hoàn toàn theo bảng mã UTF-8. Hãy lưu lại tệp dạng \"CSV UTF-8\" rồi gửi lại.",
			"The cell holds characters that cannot be read: the file is not entirely UTF-8. Save it as \"CSV UTF-8\" and send it again."
	}
	return "bad_value", fmt.Sprintf("Giá trị \"%s\" không hợp lệ. Hãy nhập %s.", v, evi), fmt.Sprintf("%q is not valid; enter %s.", v, een)
}

// numberMessage is the message of a number that is not one, or not in range.
func (p *parser) numberMessage(f fault, c *config.Column, v, evi, een string) (code, vi, en string) {
	switch f {
	case fNotNumber:
		return "bad_number", fmt.Sprintf("Giá trị \"%s\" không phải là số. Hãy nhập %s.", v, evi),
			fmt.Sprintf("%q is not a number; enter %s.", v, een)
	case fNotInteger:
		return "bad_number", fmt.Sprintf("Giá trị \"%s\" không phải là số nguyên. Hãy nhập %s.", v, evi),
			fmt.Sprintf("%q is not a whole number; enter %s.", v, een)
	case fAmbiguousNumber:
		if c.Type == config.TypeInt { // "25.000"
			i := strings.IndexAny(v, ".,")
			whole := v[:i] + v[i+1:]
			return "bad_number", fmt.Sprintf("Không rõ giá trị \"%s\" là %s hay %s. Hãy ghi số nguyên không có dấu chấm hay dấu phẩy, ví dụ %s.", v, v[:i], whole, whole),
				fmt.Sprintf("%q could be %s or %s; write the whole number without points or commas, such as %s.", v, v[:i], whole, whole)
		}
		d, _ := splitDecimal(v)
		x, _ := d.value(v)
		whole := strings.TrimLeft(d.intPart+d.fracPart, "0")
		return "bad_number", fmt.Sprintf("Không rõ giá trị \"%s\" là %s hay %s. Hãy ghi số không có dấu phân cách hàng nghìn và phần thập phân sau dấu phẩy: %s hoặc %s.", v, num(x), whole, whole, num(x)),
			fmt.Sprintf("%q could be %s or %s; write numbers without thousands separators and with one decimal mark: %s or %s.", v, numEN(x), whole, whole, numEN(x))
	case fNegative:
		return "out_of_range", fmt.Sprintf("Giá trị \"%s\" là số âm. Hãy nhập %s.", v, evi),
			fmt.Sprintf("%q is negative; enter %s.", v, een)
	case fAboveMax:
		return "out_of_range", fmt.Sprintf("Giá trị \"%s\" vượt quá điểm tối đa %s. Hãy nhập điểm từ 0 đến %s.", v, num(c.Max), num(c.Max)),
			fmt.Sprintf("%q is above the maximum score of %s; enter a score from 0 to %s.", v, numEN(c.Max), numEN(c.Max))
	case fStep:
		return "bad_step", fmt.Sprintf("Điểm \"%s\" không hợp lệ: điểm phải là bội số của %s. Hãy nhập %s.", v, num(p.step), evi),
			fmt.Sprintf("%q is not allowed: scores go in steps of %s; enter %s.", v, numEN(p.step), een)
	case fBirthYear:
		return "out_of_range", fmt.Sprintf("Năm sinh \"%s\" không hợp lý. Hãy nhập năm sinh có 4 chữ số, từ 1900 đến %d.", v, p.maxBirth),
			fmt.Sprintf("Birth year %q is not plausible; enter a four-digit year from 1900 to %d.", v, p.maxBirth)
	}
	return "bad_value", fmt.Sprintf("Giá trị \"%s\" không hợp lệ. Hãy nhập %s.", v, evi), fmt.Sprintf("%q is not valid; enter %s.", v, een)
}

// dateMessage is the message of a date (or a date and time) that is not one,
// or not a plausible one.
func (p *parser) dateMessage(f fault, v, evi, een string) (code, vi, en string) {
	switch f {
	case fBadDate:
		return "bad_date", fmt.Sprintf("Giá trị \"%s\" không phải là ngày. Hãy nhập %s.", v, evi),
			fmt.Sprintf("%q is not a date; enter %s.", v, een)
	case fDateOrder:
		_, m, d, _ := dayMonth(v)
		return "bad_date", fmt.Sprintf("Giá trị \"%s\" có vẻ được ghi theo thứ tự tháng/ngày/năm: không có tháng %d. Hãy ghi ngày theo dạng ngày/tháng/năm, ví dụ %s.", v, m, swapped(v, d, m)),
			fmt.Sprintf("%q looks like month/day/year: there is no month %d; write the date as day/month/year, such as %s.", v, m, swapped(v, d, m))
	case fNoSuchDay:
		y, m, _, _ := dayMonth(v)
		return "bad_date", fmt.Sprintf("Ngày \"%s\" không có thật: tháng %d năm %d chỉ có %d ngày. Hãy kiểm tra lại ngày.", v, m, y, daysIn(y, m)),
			fmt.Sprintf("%q is not a real date: %s %d has %d days; check the day.", v, time.Month(m), y, daysIn(y, m))
	case fNoMonth:
		_, m, _, _ := dayMonth(v)
		return "bad_date", fmt.Sprintf("Giá trị \"%s\" không phải là ngày: không có tháng %d. Hãy kiểm tra lại ngày, ghi theo dạng ngày/tháng/năm, ví dụ 08/12/2020.", v, m),
			fmt.Sprintf("%q is not a date: there is no month %d; check the date and write it as day/month/year, such as 08/12/2020.", v, m)
	case fShortYear:
		return "bad_date", fmt.Sprintf("Năm trong \"%s\" chỉ có 2 chữ số. Hãy ghi năm đủ 4 chữ số, ví dụ 08/12/2020.", v),
			fmt.Sprintf("The year in %q has two digits; write all four, such as 08/12/2020.", v)
	case fSerialInText:
		return "bad_date", fmt.Sprintf("Giá trị \"%s\" là một con số, không phải ngày. Hãy nhập %s.", v, evi),
			fmt.Sprintf("%q is a number, not a date; enter %s.", v, een)
	case fTooEarly:
		t, _ := p.date(v)
		if isSerial(v) {
			return "out_of_range", fmt.Sprintf("Giá trị \"%s\" là ngày %s theo cách Excel lưu ngày, trước năm %d. Hãy nhập %s.", v, t.Format("02/01/2006"), earliestYear, evi),
				fmt.Sprintf("%q is the day %s as Excel stores days, before %d; enter %s.", v, t.Format("02/01/2006"), earliestYear, een)
		}
		return "out_of_range", fmt.Sprintf("Ngày \"%s\" trước năm %d, không thể là ngày đăng ký, đánh giá hay hoạt động. Hãy kiểm tra lại năm.", v, earliestYear),
			fmt.Sprintf("%q is before %d, too early for a registration, an assessment or an activity; check the year.", v, earliestYear)
	case fTooLate:
		t, _ := p.date(v)
		last := p.latest.AddDate(0, 0, -1).Format("02/01/2006")
		return "out_of_range", fmt.Sprintf("Ngày %s ở sau ngày nhận tệp (%s). Hãy kiểm tra lại năm.", t.Format("02/01/2006"), last),
			fmt.Sprintf("%s is after the day the file was received (%s); check the year.", t.Format("02/01/2006"), last)
	case fTimestamp:
		return "bad_date", fmt.Sprintf("Giá trị \"%s\" không phải là ngày giờ. Hãy nhập ngày và giờ theo dạng ngày/tháng/năm giờ:phút:giây, ví dụ 14/12/2020 19:01:05.", v),
			fmt.Sprintf("%q is not a date and time; write day/month/year hour:minute:second, such as 14/12/2020 19:01:05.", v)
	}
	return "bad_value", fmt.Sprintf("Giá trị \"%s\" không hợp lệ. Hãy nhập %s.", v, evi), fmt.Sprintf("%q is not valid; enter %s.", v, een)
}

// expect says what a cell of column c should hold.
func (p *parser) expect(c *config.Column) (vi, en string) {
	switch c.Type {
	case config.TypeInt:
		if c.Key == "birth_year" {
			return "năm sinh có 4 chữ số, ví dụ 1975", "a four-digit year such as 1975"
		}
		return "một số nguyên, ví dụ 25", "a whole number such as 25"
	case config.TypeNumber:
		return "một số, ví dụ 2 hoặc 1,5", "a number such as 2 or 1.5"
	case config.TypeScore:
		a := math.Floor(c.Max * 0.8)
		if p.step >= 1 {
			return fmt.Sprintf("điểm từ 0 đến %s, ví dụ %s", num(c.Max), num(a)), fmt.Sprintf("a score from 0 to %s such as %s", numEN(c.Max), numEN(a))
		}
		b := a + 0.5
		if p.step > 0 {
			b = a + p.step
		}
		return fmt.Sprintf("điểm từ 0 đến %s, ví dụ %s hoặc %s", num(c.Max), num(a), num(b)),
			fmt.Sprintf("a score from 0 to %s such as %s or %s", numEN(c.Max), numEN(a), numEN(b))
	case config.TypeDate:
		return "ngày theo dạng ngày/tháng/năm, ví dụ 08/12/2020", "a date as day/month/year, such as 08/12/2020"
	case config.TypeTimestamp:
		return "ngày và giờ, ví dụ 14/12/2020 19:01:05", "a date and time such as 14/12/2020 19:01:05"
	}
	if l := p.cats[c.Type]; l != nil {
		return "một trong các " + l.what + ": " + l.names(false, nil), "one of the " + l.whatEN + "s: " + l.names(true, nil)
	}
	return "giá trị vào ô này", "a value in this cell"
}

// dayMonth reads the numbers of a date as written, for messages.
func dayMonth(v string) (y, m, d int, ok bool) {
	var n [3]int
	k := 0
	for i := 0; i < len(v) && k < 3; i++ {
		switch c := v[i]; {
		case c >= '0' && c <= '9':
			n[k] = n[k]*10 + int(c-'0')
		case c == '/' || c == '-' || c == '.':
			k++
		default:
			i = len(v)
		}
	}
	if n[0] > 31 { // ISO
		return n[0], n[1], n[2], true
	}
	return n[2], n[1], n[0], true
}

// swapped writes the date v with day and month exchanged, as a suggestion.
func swapped(v string, d, m int) string {
	y, _, _, _ := dayMonth(v)
	return fmt.Sprintf("%02d/%02d/%d", m, d, y)
}

// num writes a number the Vietnamese way: 8,5.
// num writes a number the Vietnamese way (8,5); numEN the English way (8.5).
func num(v float64) string   { return strings.Replace(numEN(v), ".", ",", 1) }
func numEN(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// categoryMessage says that v names no category of c's list, or several.
func (p *parser) categoryMessage(c *config.Column, v string) (code, vi, en string) {
	l := p.cats[c.Type]
	code = "unknown_" + string(c.Type)
	switch c.Type {
	case config.TypeGroup:
		code = "unknown_group"
	case config.TypeGender:
		code = "bad_gender"
	}
	_, _, cands := l.match(v)
	if len(cands) > 1 {
		return "ambiguous_" + string(c.Type),
			fmt.Sprintf("Không rõ %s \"%s\" là %s. Hãy ghi rõ một trong các %s: %s.", l.what, v, orList(l, cands, false), l.what, l.names(false, nil)),
			fmt.Sprintf("%s %q could be %s; write exactly one of: %s.", upperFirst(l.whatEN), v, orList(l, cands, true), l.names(true, nil))
	}
	return code, fmt.Sprintf("%s \"%s\" không hợp lệ: không khớp với %s nào. Hãy ghi một trong các %s: %s.", upperFirst(l.what), v, l.what, l.what, l.names(false, nil)),
		fmt.Sprintf("%s %q is not understood: it names no %s; write one of: %s.", upperFirst(l.whatEN), v, l.whatEN, l.names(true, nil))
}

// orList names the candidates: "nhóm 1 (…) hay nhóm 2 (…)".
func orList(l *catList, cands []int, en bool) string {
	var out []string
	for _, i := range cands {
		if en {
			out = append(out, l.entries[i].labelEN)
		} else {
			out = append(out, l.entries[i].label)
		}
	}
	sep := " hay "
	if en {
		sep = " or "
	}
	return strings.Join(out, sep)
}

func upperFirst(s string) string {
	for i, r := range s {
		return strings.ToUpper(string(r)) + s[i+len(string(r)):]
	}
	return s
}
