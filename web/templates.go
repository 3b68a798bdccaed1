package web

import (
	"cmp"
	"fmt"
	"html/template"
	"io/fs"
	"math"
	"path"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/number"

	"github.com/hoctap/hoctap/config"
	"github.com/hoctap/hoctap/reports"
)

// pageNames are the templates in templates/, each with layout.tmpl.
var pageNames = []string{"home", "reports", "quality", "runs", "sql", "outbox", "login", "error", "wards", "ward", "unit", "person"}

func parsePages() (map[string]*template.Template, error) {
	layout, err := fs.ReadFile(templateFS, "templates/layout.tmpl")
	if err != nil {
		return nil, err
	}
	// parts.tmpl holds the pieces several pages share.
	parts, err := fs.ReadFile(templateFS, "templates/parts.tmpl")
	if err != nil {
		return nil, err
	}
	layout = append(layout, parts...)
	pages := map[string]*template.Template{}
	for _, name := range pageNames {
		body, err := fs.ReadFile(templateFS, "templates/"+name+".tmpl")
		if err != nil {
			return nil, err
		}
		t, err := template.New(name).Funcs(template.FuncMap{"list": func(xs ...any) []any { return xs }}).Parse(string(layout))
		if err == nil {
			t, err = t.Parse(string(body))
		}
		if err != nil {
			return nil, fmt.Errorf("web: template %s: %w", name, err)
		}
		pages[name] = t
	}
	return pages, nil
}

// words are the codes pages show, in both languages.
var words = map[string][2]string{
	"ok": {"xong", "ok"}, "failed": {"lỗi", "failed"}, "running": {"chưa xong lúc công bố", "not finished when published"},
	"skipped": {"bỏ qua", "skipped"},
	"loaded":  {"đã nạp", "loaded"}, "refused": {"bị từ chối", "refused"}, "superseded": {"đã được thay", "superseded"},
	"missing": {"chưa nhận", "missing"},
	"ingest":  {"nạp tệp", "ingest"}, "transform": {"tính toán", "transform"}, "report": {"báo cáo", "report"},
	"reminder": {"nhắc nhở", "reminder"}, "backup": {"sao lưu", "backup"}, "deliver": {"gửi thư", "delivery"},
	"queued": {"chờ gửi", "queued"}, "sending": {"đang gửi (hoặc bị ngắt, sẽ gửi lại)", "sending (or cut short: sent again)"},
	"sent": {"đã gửi", "sent"}, "deferred": {"lỗi tạm thời, sẽ gửi lại", "temporary failure, to be tried again"},
	"eligible": {"đủ điều kiện đề nghị công nhận", "eligible for recognition"}, "recognised": {"đã công nhận", "recognised"}, "not_yet": {"chưa đủ điều kiện", "not yet eligible"}, "not_assessed": {"chưa đánh giá", "not assessed"},
	"on_time": {"đúng hạn", "on time"}, "late": {"trễ hạn", "late"},
}

// Word is a code in the page's language, or the code itself.
func (p *page) Word(code string) string {
	if w, ok := words[code]; ok {
		return p.T(w[0], w[1])
	}
	return code
}

// Dataset is a dataset's title.
func (p *page) Dataset(name string) string {
	var parts []string
	for _, n := range strings.Split(name, "+") {
		if d, ok := p.cfg.Dataset(n); ok {
			n = p.T(d.Title, d.TitleEN)
		}
		parts = append(parts, n)
	}
	return strings.Join(parts, ", ")
}

// Ward is a ward's name.
func (p *page) Ward(code string) string {
	for _, w := range p.cfg.Wards {
		if w.Code == code {
			if p.Lang == "en" && w.NameEN != "" {
				return w.NameEN
			}
			return w.Name
		}
	}
	return code
}

// When is an instant in the city's time, as the page's language writes it.
func (p *page) When(t any) string {
	var at time.Time
	switch x := t.(type) {
	case time.Time:
		at = x
	case *time.Time:
		if x == nil {
			return ""
		}
		at = *x
	}
	if at.IsZero() {
		return ""
	}
	at = at.In(p.loc)
	if p.Lang == "en" {
		return at.Format("2 Jan 2006 15:04")
	}
	return at.Format("02/01/2006 15:04")
}

// Day is a date as the page's language, and the reports, write it.
func (p *page) Day(t time.Time) string { return reports.FormatDay(p.Lang, t) }

// Month is YYYY-MM as the page's language, and the reports, write it: 03/2021, Mar 2021.
func (p *page) Month(m string) string { return reports.FormatMonth(p.Lang, m) }

// Lang is a language code's name in itself.
func (p *page) LangName(code string) string {
	switch code {
	case "vi":
		return "Tiếng Việt"
	case "en":
		return "English"
	}
	return code
}

// Base is a path's last element.
func (p *page) Base(s string) string { return path.Base(s) }

// Short is the first n characters of s.
func (p *page) Short(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// printer formats numbers in the page's language, as the reports do.
func (p *page) printer() *message.Printer {
	if p.Lang == "en" {
		return message.NewPrinter(language.English)
	}
	return message.NewPrinter(language.Vietnamese)
}

// Int is a count: 1.234 or 1,234.
func (p *page) Int(n int64) string { return p.printer().Sprint(number.Decimal(n)) }

// Pct is a share 0–1 as the report writes it: 36,4%; very small shares keep
// two significant figures (0,03%) rather than show 0%.
func (p *page) Pct(share any) string {
	var v float64
	switch x := share.(type) {
	case float64:
		v = x
	case *float64:
		if x == nil {
			return "–"
		}
		v = *x
	}
	if a := math.Abs(v * 100); a > 0 && a < 0.1 {
		dec := min(1-int(math.Floor(math.Log10(a))), 4)
		return p.printer().Sprint(number.Percent(v, number.MinFractionDigits(dec), number.MaxFractionDigits(dec)))
	}
	return p.printer().Sprint(number.Percent(v, number.MaxFractionDigits(1)))
}

// Score is an exact decimal as DuckDB writes it ("89.500"), without its
// trailing zeros and with the page's decimal mark: 89,5 or 89.5; "" stays "".
func (p *page) Score(s any) string {
	var v string
	switch x := s.(type) {
	case string:
		v = x
	case *string:
		if x == nil {
			return ""
		}
		v = *x
	}
	if strings.Contains(v, ".") {
		v = strings.TrimRight(strings.TrimRight(v, "0"), ".")
	}
	if p.Lang != "en" {
		v = strings.Replace(v, ".", ",", 1)
	}
	return v
}

// Group is a target group's name.
func (p *page) Group(id int) string {
	for _, g := range p.cfg.Groups {
		if g.ID == id {
			return p.T(g.Name, cmp.Or(g.NameEN, g.Name))
		}
	}
	return fmt.Sprint(id)
}

// Groups are the target groups, to pick from.
func (p *page) Groups() []config.TargetGroup { return p.cfg.Groups }

// Unit is a unit's name.
func (p *page) Unit(code string) string {
	for _, u := range p.cfg.Units {
		if u.Code == code {
			return u.Name
		}
	}
	return code
}

// Indicators writes indicator numbers: "5, 6".
func (p *page) Indicators(ns texts) string { return strings.Join(ns, ", ") }

// Committee reports whether the login sees every ward.
func (p *page) Committee() bool { return p.scope.all() }

// At is the i-th element of a list of scores, or "".
func (p *page) At(xs texts, i int) string {
	if i < len(xs) {
		return p.Score(xs[i])
	}
	return ""
}

// Below reports whether the i-th score of xs is below the minimum per indicator.
func (p *page) Below(xs texts, i int) bool {
	if i >= len(xs) || xs[i] == "" {
		return false
	}
	v, err := strconv.ParseFloat(xs[i], 64) // only compared, never shown
	return err == nil && v < p.cfg.Citizen.MinPerIndicator
}

// ScopeWards are the wards a ward login is limited to.
func (p *page) ScopeWards() []string { return p.scope.wards }

// Round is a survey round's name.
func (p *page) Round(code string) string {
	for _, r := range p.cfg.Rounds {
		if r.Code == code {
			return p.T(r.Name, cmp.Or(r.NameEN, r.Name))
		}
	}
	return code
}

// PickWards are the wards the login may pick, in the configuration's order.
func (p *page) PickWards() []string {
	var ws []string
	for _, w := range p.cfg.Wards {
		if p.scope.has(w.Code) {
			ws = append(ws, w.Code)
		}
	}
	return ws
}

// MemberShareRef is the share of members holding the citizen title that a
// unit is compared with, and the document that sets it.
func (p *page) MemberShareRef() string {
	u := p.cfg.UnitScheme
	ref := p.Pct(u.MemberTitleShare)
	if u.MemberTitleShareSource != "" {
		ref += " (" + u.MemberTitleShareSource + ")"
	}
	return ref
}
