package reports

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/number"

	"github.com/hoctap/hoctap/config"
)

// locale formats numbers, dates and labels in the report's language:
// Vietnamese "1.234,5", "80,6%", "01/04/2021"; English "1,234.5", "80.6%",
// "1 Apr 2021".
type locale struct {
	lang string // vi or en
	p    *message.Printer

	mu    sync.Mutex
	fixes map[fixedKey]string // a city's annex repeats the same scores
	nums  map[fixedKey]string // and the same points short of the title

	// group is the thousands separator int puts itself, as the printer
	// does: "." or ","; 0 when the printer's thousand is not 1<group>000.
	// An annex numbers its 439,000 rows, and the printer takes a
	// microsecond a number.
	group byte
}

type fixedKey struct {
	v   float64
	dec int
}

func newLocale(lang string) (*locale, error) {
	var l *locale
	switch lang {
	case "vi":
		l = &locale{lang: lang, p: message.NewPrinter(language.Vietnamese)}
	case "en":
		l = &locale{lang: lang, p: message.NewPrinter(language.English)}
	default:
		return nil, fmt.Errorf("report: language %q: expected vi or en", lang)
	}
	if k := l.p.Sprint(number.Decimal(1000)); len(k) == 5 && k[0] == '1' && k[2:] == "000" && (k[1] == '.' || k[1] == ',') &&
		l.p.Sprint(number.Decimal(-1234567)) == "-1"+k[1:2]+"234"+k[1:2]+"567" {
		l.group = k[1]
	}
	return l, nil
}

// vi picks the text of the report's language; a name with no English
// version stays Vietnamese.
func (l *locale) vi(vi, en string) string {
	if l.lang == "en" && en != "" {
		return en
	}
	return vi
}

// t is vi with fmt.Sprintf arguments, the numbers in them already formatted.
func (l *locale) t(vi, en string, args ...any) string {
	return fmt.Sprintf(l.vi(vi, en), args...)
}

// int formats a count: 1.234 or 1,234.
func (l *locale) int(n int64) string {
	if l.group == 0 || n == math.MinInt64 {
		return l.p.Sprint(number.Decimal(n))
	}
	digits := strconv.FormatInt(n, 10)
	neg := n < 0
	if neg {
		digits = digits[1:]
	}
	if len(digits) <= 3 {
		if neg {
			return "-" + digits
		}
		return digits
	}
	b := make([]byte, 0, len(digits)+len(digits)/3+1)
	if neg {
		b = append(b, '-')
	}
	head := len(digits) % 3
	if head == 0 {
		head = 3
	}
	b = append(b, digits[:head]...)
	for i := head; i < len(digits); i += 3 {
		b = append(b, l.group)
		b = append(b, digits[i:i+3]...)
	}
	return string(b)
}

// num formats v with at most dec decimals.
func (l *locale) num(v float64, dec int) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "–"
	}
	k := fixedKey{v, dec}
	l.mu.Lock()
	defer l.mu.Unlock()
	if s, ok := l.nums[k]; ok {
		return s
	}
	s := l.p.Sprint(number.Decimal(v, number.MaxFractionDigits(dec)))
	if l.nums == nil {
		l.nums = map[fixedKey]string{}
	}
	l.nums[k] = s
	return s
}

// fixed formats v with exactly dec decimals.
func (l *locale) fixed(v float64, dec int) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "–"
	}
	k := fixedKey{v, dec}
	l.mu.Lock()
	defer l.mu.Unlock()
	if s, ok := l.fixes[k]; ok {
		return s
	}
	s := l.p.Sprint(number.Decimal(v, number.MinFractionDigits(dec), number.MaxFractionDigits(dec)))
	if l.fixes == nil {
		l.fixes = map[fixedKey]string{}
	}
	l.fixes[k] = s
	return s
}

// pct formats a share 0–1 as a percentage with one decimal: 80,6%. Very small
// shares keep two significant figures (0,03%) rather than show 0,0%.
func (l *locale) pct(share float64) string {
	if math.IsNaN(share) || math.IsInf(share, 0) {
		return "–"
	}
	if a := math.Abs(share * 100); a > 0 && a < 0.1 {
		dec := min(1-int(math.Floor(math.Log10(a))), 4)
		return l.p.Sprint(number.Percent(share, number.MinFractionDigits(dec), number.MaxFractionDigits(dec)))
	}
	return l.p.Sprint(number.Percent(share, number.MaxFractionDigits(1)))
}

// signed formats a change in a count: +3, −2, 0.
func (l *locale) signed(n int64) string {
	switch {
	case n > 0:
		return "+" + l.int(n)
	case n < 0:
		return "−" + l.int(-n)
	}
	return "0"
}

// date formats a day: 01/04/2021 or 1 Apr 2021.
func (l *locale) date(t time.Time) string { return FormatDay(l.lang, t) }

// month formats YYYY-MM: 03/2021 or Mar 2021.
func (l *locale) month(m string) string { return FormatMonth(l.lang, m) }

// change says how a count of unit (vi, en: "người", "") moved since the
// month before: "Tăng 7 người so với tháng 02/2021", "Không đổi so với
// tháng 02/2021".
func (l *locale) change(delta int64, prev string, unit [2]string) string {
	u := unit[0]
	if l.lang == "en" {
		u = unit[1]
	}
	n := func(v int64) string { return strings.TrimSpace(l.int(v) + " " + u) }
	switch {
	case delta > 0:
		return l.t("Tăng %s so với tháng %s", "Up %s on %s", n(delta), l.month(prev))
	case delta < 0:
		return l.t("Giảm %s so với tháng %s", "Down %s on %s", n(-delta), l.month(prev))
	}
	return l.t("Không đổi so với tháng %s", "Unchanged on %s", l.month(prev))
}

// and joins items as running text does: "a, b và c", "a, b and c".
func (l *locale) and(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + l.vi(" và ", " and ") + items[len(items)-1]
}

// FormatDay writes a day as the reports in lang ("vi" or "en") do:
// 01/04/2021 or 1 Apr 2021; the zero time is "".
func FormatDay(lang string, t time.Time) string {
	if t.IsZero() {
		return ""
	}
	if lang == "en" {
		return t.Format("2 Jan 2006")
	}
	return t.Format("02/01/2006")
}

// FormatMonth writes a month, YYYY-MM, as the reports in lang do: 03/2021 or
// Mar 2021; anything else is returned as it is.
func FormatMonth(lang, m string) string {
	t, err := config.ParseMonth(m)
	if err != nil {
		return m
	}
	if lang == "en" {
		return t.Format("Jan 2006")
	}
	return t.Label()
}

// monthLong formats YYYY-MM in running text: tháng 3 năm 2021, March 2021.
func (l *locale) monthLong(m string) string {
	t, err := config.ParseMonth(m)
	if err != nil {
		return m
	}
	if l.lang == "en" {
		return t.Format("January 2006")
	}
	return fmt.Sprintf("tháng %d năm %d", int(t.Time.Month()), t.Year())
}

// placeDate is the official place-and-date line: "Sa Đéc, ngày 01 tháng 4 năm 2021".
func (l *locale) placeDate(place string, t time.Time) string {
	if l.lang == "en" {
		return fmt.Sprintf("%s, %s", place, t.Format("2 January 2006"))
	}
	return fmt.Sprintf("%s, ngày %02d tháng %d năm %d", place, t.Day(), int(t.Month()), t.Year())
}

// statusNames name a goal's and a milestone's statuses: Vietnamese, English.
var statusNames = map[string][2]string{
	"achieved":  {"Đã đạt", "Achieved"},
	"on_track":  {"Đúng tiến độ", "On track"},
	"at_risk":   {"Có nguy cơ chậm", "At risk"},
	"behind":    {"Chậm tiến độ", "Behind"},
	"no_data":   {"Chưa có số liệu", "No data"},
	"done":      {"Đã xong", "Done"},
	"late":      {"Quá hạn", "Overdue"},
	"due":       {"Đến hạn tháng sau", "Due next month"},
	"upcoming":  {"Chưa đến hạn", "Upcoming"},
	"reference": {"Tham khảo", "Reference"},
}

// unescoNames are the areas of UNESCO's Key Features of Learning Cities
// (Beijing, 2013), as config.UNESCOAreas codes them.
var unescoNames = map[string][2]string{
	"individual-empowerment":  {"trao quyền cho cá nhân và gắn kết xã hội", "individual empowerment and social cohesion"},
	"economic-cultural":       {"phát triển kinh tế và thịnh vượng văn hóa", "economic development and cultural prosperity"},
	"sustainable-development": {"phát triển bền vững", "sustainable development"},
	"inclusive-education":     {"học tập hòa nhập trong hệ thống giáo dục", "inclusive learning in the education system"},
	"families-communities":    {"học tập trong gia đình và cộng đồng", "learning in families and communities"},
	"workplace":               {"học tập tại nơi làm việc", "learning for and in the workplace"},
	"learning-technologies":   {"ứng dụng công nghệ học tập hiện đại", "modern learning technologies"},
	"quality":                 {"chất lượng học tập", "quality in learning"},
	"culture-of-learning":     {"văn hóa học tập suốt đời", "a culture of learning throughout life"},
	"political-will":          {"ý chí và cam kết chính trị", "political will and commitment"},
	"governance":              {"quản trị và sự tham gia của các bên", "governance and participation of all stakeholders"},
	"resources":               {"huy động và sử dụng nguồn lực", "mobilisation and use of resources"},
}

// denominatorNames say what a rate is of (a goal's denominator kind).
var denominatorNames = map[string][2]string{
	"registered":    {"số người đăng ký", "registrants"},
	"population":    {"dân số từ 15 tuổi trở lên", "population aged 15 and over"},
	"members":       {"thành viên các đơn vị đăng ký", "members of the registered units"},
	"units":         {"số đơn vị đăng ký", "registered units"},
	"title_holders": {"số người đã được công nhận", "people recognised"},
	"":              {"số lượng", "count"},
}

// status names a goal's or a milestone's status.
func (l *locale) status(s string) string { return l.named(statusNames, s) }

// denominator says what a rate is of.
func (l *locale) denominator(d string) string { return l.named(denominatorNames, d) }

func (l *locale) named(names map[string][2]string, key string) string {
	if n, ok := names[key]; ok {
		return l.vi(n[0], n[1])
	}
	return key
}

// wardName is a ward's name: "Tân Quy Đông".
func (l *locale) wardName(d *Data, code string) string {
	w, ok := d.ward(code)
	if !ok {
		return code
	}
	return l.vi(w.Name, w.NameEn)
}

// wardFull is a ward's name with its kind: "phường Tân Quy Đông", or "xã
// Tân Quy Tây (cũ), nay thuộc phường Sa Đéc" once its unit had changed by
// the month's end.
func (l *locale) wardFull(d *Data, code string) string {
	w, ok := d.ward(code)
	if !ok {
		return code
	}
	full := strings.TrimSpace(w.Kind + " " + w.Name)
	if w.Label != "" && config.Fold(w.Label) != config.Fold(full) {
		return l.vi(w.Label, w.LabelEn)
	}
	return l.vi(full, w.NameEn)
}

func (l *locale) groupName(d *Data, id int64) string {
	for _, g := range d.Groups {
		if g.ID == id {
			return l.vi(g.Name, g.NameEn)
		}
	}
	if id == 0 {
		return l.vi("Tất cả các nhóm", "All groups")
	}
	return fmt.Sprint(id)
}
