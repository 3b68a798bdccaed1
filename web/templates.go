package web

import (
	"fmt"
	"html/template"
	"io/fs"
	"path"
	"strings"
	"time"

	"github.com/hoctap/hoctap/reports"
)

// pageNames are the templates in templates/, each with layout.tmpl.
var pageNames = []string{"home", "reports", "quality", "runs", "sql", "outbox", "login", "error"}

func parsePages() (map[string]*template.Template, error) {
	layout, err := fs.ReadFile(templateFS, "templates/layout.tmpl")
	if err != nil {
		return nil, err
	}
	pages := map[string]*template.Template{}
	for _, name := range pageNames {
		body, err := fs.ReadFile(templateFS, "templates/"+name+".tmpl")
		if err != nil {
			return nil, err
		}
		t, err := template.New(name).Parse(string(layout))
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
