package deliver

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html/template"
	"io/fs"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	texttemplate "text/template"
	"time"

	"github.com/wneessen/go-mail"

	"github.com/hoctap/hoctap/config"
	"github.com/hoctap/hoctap/reports"
)

//go:embed templates/*.txt
var templateFS embed.FS

// texts are the messages' words: one template per kind and language (its
// own set, since each defines its "subject": the subject line), whose body is
// the plain text; the HTML alternative is made from the same text (textHTML).
var texts = func() map[string]*texttemplate.Template {
	names, err := fs.Glob(templateFS, "templates/*.txt")
	if err != nil {
		panic(err)
	}
	ts := map[string]*texttemplate.Template{}
	for _, n := range names {
		ts[path.Base(n)] = texttemplate.Must(texttemplate.New(path.Base(n)).Funcs(texttemplate.FuncMap{
			"inc": func(i int) int { return i + 1 },
		}).ParseFS(templateFS, n))
	}
	return ts
}()

// fileView is a file as a message names it.
type fileView struct{ Name, Size, What, URL string }

// reportView is what a report's message says.
type reportView struct {
	To, Org, Programme, Month, DataThrough string
	Version, Replaces                      int
	Headline                               []Figure
	Attached, Links                        []fileView
	// CityLinks are the city's report, linked in a letter to a ward whose
	// pack it carries (Pack).
	CityLinks           []fileView
	Pack                bool
	TooLarge            string // the files' size, when links stand for them
	ReportsURL, ReplyTo string
}

// reminderView is what a ward's reminder says.
type reminderView struct {
	To, Org, Ward, At, SendBy, ReportMonth string
	Items                                  []itemView
	ReceiptsLinked                         bool
	QualityURL, ReplyTo                    string
}

type itemView struct {
	What, Due string
	Overdue   bool
	Refused   []refusedView
}

type refusedView struct {
	Name, SentOn, Receipt string
	Problems              int64
}

// letter is a message's words and files, before it becomes MIME.
type letter struct {
	subject, text string
	files         []File // to attach
	links         []string
}

// How a message carries its files.
type carry int

const (
	attachFiles  carry = iota // attached
	linkOversize              // linked, since attached they would make the message too large
	linkFiles                 // linked (a webhook)
)

// compose writes row's message: its subject, text and files, carried as c says.
func compose(cfg *config.Config, row Row, c carry) (letter, error) {
	lang := row.Lang
	org := headerText(cfg.Delivery.From.Name)
	if lang == "en" && cfg.City.OrganisationEN != "" {
		org = headerText(cfg.City.OrganisationEN)
	}
	var (
		kind string // the message's template: kind.lang.txt
		view any
		lt   letter
		err  error
	)
	switch row.Event {
	case config.EventReportPublished:
		kind = "report"
		view, err = reportLetter(cfg, row, c, org, &lt)
	case config.EventReminderDue:
		kind = "reminder"
		view, err = reminderLetter(cfg, row, c, org, &lt)
	default:
		return lt, fmt.Errorf("outbox row %d: unknown event %q", row.ID, row.Event)
	}
	if err != nil {
		return lt, err
	}
	name := kind + "." + lang + ".txt"
	var subj, body bytes.Buffer
	t := texts[name]
	if t == nil {
		return lt, fmt.Errorf("outbox row %d: no %s message in %q", row.ID, row.Event, lang)
	}
	if err := t.ExecuteTemplate(&subj, "subject", view); err != nil {
		return lt, err
	}
	if err := t.Execute(&body, view); err != nil {
		return lt, err
	}
	lt.subject = headerText(strings.TrimSpace(subj.String()))
	lt.text = body.String()
	return lt, nil
}

// reportLetter is the view of a report version's message, and the files it
// attaches or links, put in lt.
func reportLetter(cfg *config.Config, row Row, c carry, org string, lt *letter) (reportView, error) {
	d, lang := cfg.Delivery, row.Lang
	var p reportPayload
	if err := json.Unmarshal([]byte(row.Payload), &p); err != nil {
		return reportView{}, fmt.Errorf("outbox row %d: %w", row.ID, err)
	}
	prog := cfg.Programme.Name
	if lang == "en" && cfg.Programme.NameEN != "" {
		prog = cfg.Programme.NameEN
	}
	m, _ := config.ParseMonth(p.Month)
	v := reportView{To: headerText(row.RecipientName), Org: org, Programme: prog, Month: reports.FormatMonth(lang, p.Month),
		DataThrough: reports.FormatDay(lang, m.LastDay().Time), Version: p.Version, Replaces: p.Replaces,
		Headline: p.Headline[lang], ReportsURL: d.PublicURL + "/reports", ReplyTo: d.ReplyTo}
	var total int64
	for _, f := range p.Files {
		fv := fileView{Name: f.Name, Size: size(lang, f.Bytes), What: what(lang, f.Kind), URL: fileURL(d.PublicURL, f)}
		if f.Kind == KindWardPack {
			fv.What = fmt.Sprintf(fv.What, wardName(cfg, row.Ward, lang))
			v.Pack = true
		}
		if f.Link {
			v.CityLinks = append(v.CityLinks, fv)
			lt.links = append(lt.links, fv.URL)
			continue
		}
		total += f.Bytes
		if c == attachFiles {
			v.Attached = append(v.Attached, fv)
			lt.files = append(lt.files, f)
		} else {
			v.Links = append(v.Links, fv)
			lt.links = append(lt.links, fv.URL)
		}
	}
	if c == linkOversize {
		v.TooLarge = size(lang, total)
	}
	return v, nil
}

// reminderLetter is the view of a reminder to a ward, and the receipts it
// attaches (or the page it links), put in lt.
func reminderLetter(cfg *config.Config, row Row, c carry, org string, lt *letter) (reminderView, error) {
	d, lang := cfg.Delivery, row.Lang
	var p reminderPayload
	if err := json.Unmarshal([]byte(row.Payload), &p); err != nil {
		return reminderView{}, fmt.Errorf("outbox row %d: %w", row.ID, err)
	}
	v := reminderView{To: headerText(row.RecipientName), Org: org, Ward: wardName(cfg, p.Ward, lang), At: instant(cfg, lang, p.At),
		SendBy: instant(cfg, lang, p.Report), ReportMonth: reports.FormatMonth(lang, p.ReportMonth),
		QualityURL: d.PublicURL + "/quality", ReplyTo: d.ReplyTo}
	for _, it := range p.Items {
		due, _ := time.Parse(time.DateOnly, it.Due)
		iv := itemView{What: submission(cfg, lang, it), Due: reports.FormatDay(lang, due), Overdue: it.Overdue}
		for _, f := range it.Refused {
			sent, _ := time.Parse(time.DateOnly, f.SentOn)
			rv := refusedView{Name: headerText(f.Name), SentOn: reports.FormatDay(lang, sent), Problems: f.Problems}
			if c == attachFiles {
				rv.Receipt = headerText(f.Receipt)
			}
			iv.Refused = append(iv.Refused, rv)
		}
		v.Items = append(v.Items, iv)
	}
	if c == attachFiles {
		lt.files = p.Files
	} else if len(p.Files) > 0 {
		v.ReceiptsLinked = c == linkOversize
		lt.links = []string{v.QualityURL}
	}
	return v, nil
}

// build makes lt the MIME message of row, from cfg's sender, dated now, and
// says how large it is on the wire.
func build(cfg *config.Config, row Row, lt letter, now time.Time) (*mail.Msg, int64, error) {
	d := cfg.Delivery
	m := mail.NewMsg(mail.WithCharset(mail.CharsetUTF8), mail.WithEncoding(mail.EncodingQP))
	if err := m.FromFormat(headerText(d.From.Name), d.From.Email); err != nil {
		return nil, 0, fmt.Errorf("delivery.from: %w", err)
	}
	if err := m.AddToFormat(headerText(row.RecipientName), row.Recipient); err != nil {
		return nil, 0, fmt.Errorf("recipient %q: %w", row.Recipient, err)
	}
	if d.ReplyTo != "" {
		if err := m.ReplyTo(d.ReplyTo); err != nil {
			return nil, 0, fmt.Errorf("delivery.reply_to: %w", err)
		}
	}
	m.Subject(lt.subject)
	m.SetMessageIDWithValue(row.MessageID)
	if cfg.Location != nil {
		now = now.In(cfg.Location)
	}
	m.SetDateWithValue(now)
	m.SetUserAgent("hoctap")
	// RFC 3834: no vacation replies to a machine's message.
	m.SetGenHeader(mail.Header("Auto-Submitted"), "auto-generated")
	m.SetGenHeader(mail.Header("Content-Language"), row.Lang)
	m.SetBodyString(mail.TypeTextPlain, lt.text)
	m.AddAlternativeString(mail.TypeTextHTML, textHTML(row.Lang, lt.subject, lt.text))
	for _, f := range lt.files {
		b, err := readFile(cfg, f)
		if err != nil {
			return nil, 0, err
		}
		if err := m.AttachReader(f.Name, bytes.NewReader(b), mail.WithFileContentType(contentType(f.Name))); err != nil {
			return nil, 0, err
		}
	}
	var n counter
	if _, err := m.WriteTo(&n); err != nil {
		return nil, 0, err
	}
	return m, int64(n), nil
}

// readFile reads a file a message attaches, and refuses one that is not the
// file the event named: a report version's files never change.
func readFile(cfg *config.Config, f File) ([]byte, error) {
	root := cfg.Paths.Reports
	if f.Root == RootQuarantine {
		root = cfg.Paths.Quarantine
	}
	if !filepath.IsLocal(filepath.FromSlash(f.Path)) {
		return nil, fmt.Errorf("%w: %q is outside its folder", errFileChanged, f.Path)
	}
	b, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(f.Path)))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", errFileChanged, err)
	}
	if sum := sha256.Sum256(b); hex.EncodeToString(sum[:]) != f.SHA256 {
		return nil, fmt.Errorf("%w: %s is no longer the file published (SHA-256 %s…)", errFileChanged, f.Path, f.SHA256[:12])
	}
	return b, nil
}

func contentType(name string) mail.ContentType {
	switch path.Ext(name) {
	case ".pdf":
		return "application/pdf"
	case ".xlsx":
		return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	case ".txt":
		return "text/plain; charset=utf-8"
	}
	return "application/octet-stream"
}

// counter counts the bytes written to it.
type counter int64

func (c *counter) Write(p []byte) (int, error) { *c += counter(len(p)); return len(p), nil }

// fileURL is where the web app serves f.
func fileURL(base string, f File) string {
	if f.Root == RootQuarantine {
		return base + "/quality"
	}
	parts := strings.Split(f.Path, "/")
	for i, p := range parts {
		parts[i] = url.PathEscape(p)
	}
	return base + "/reports/" + strings.Join(parts, "/")
}

// what says what a file is.
func what(lang, kind string) string {
	vi := map[string][2]string{
		KindReportPDF:  {"báo cáo (PDF, khổ A4: để in, ký và lưu)", "the report (PDF, A4: to print, sign and file)"},
		KindReportXLSX: {"các bảng số liệu của báo cáo (Excel)", "the report's tables (Excel)"},
		KindReceipt:    {"biên nhận tệp bị từ chối", "the receipt of a refused file"},
		KindWardPack:   {"báo cáo nhanh của %s (PDF, khổ A4)", "the brief report for %s (PDF, A4)"},
	}[kind]
	if lang == "en" {
		return vi[1]
	}
	return vi[0]
}

// size writes a number of bytes as a person reads it: 1,2 MB, 1.2 MB.
func size(lang string, n int64) string {
	var s string
	switch {
	case n >= 1e6:
		s = fmt.Sprintf("%.1f MB", float64(n)/1e6)
	case n >= 1e3:
		s = fmt.Sprintf("%.0f KB", float64(n)/1e3)
	default:
		s = fmt.Sprintf("%d B", n)
	}
	if lang != "en" {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}

// instant writes a time of the city: 08:00 ngày 03/03/2021, 08:00 on 3 Mar 2021.
func instant(cfg *config.Config, lang string, t time.Time) string {
	if cfg.Location != nil {
		t = t.In(cfg.Location)
	}
	if lang == "en" {
		return t.Format("15:04") + " on " + reports.FormatDay(lang, t)
	}
	return t.Format("15:04") + " ngày " + reports.FormatDay(lang, t)
}

// wardName is a ward as a letter names it: xã Tân Phú Đông, Tân Phú Đông commune.
func wardName(cfg *config.Config, code, lang string) string {
	w, ok := cfg.Ward(code)
	if !ok {
		return code
	}
	if lang == "en" {
		name := w.Name
		if w.NameEN != "" {
			return w.NameEN
		}
		kind := map[string]string{"xã": "commune", "phường": "ward", "thị trấn": "township"}[config.NFC(w.Kind)]
		return strings.TrimSpace(name + " " + kind)
	}
	return strings.TrimSpace(w.Kind + " " + w.Name)
}

// submission names a submission a ward owes: its dataset, and its survey
// round or the month its data covers.
func submission(cfg *config.Config, lang string, it reminderItem) string {
	s := it.Dataset
	if d, ok := cfg.Dataset(it.Dataset); ok {
		s = d.Title
		if lang == "en" {
			s = d.TitleEN
		}
	}
	if it.Round != "" {
		round := it.Round
		for _, r := range cfg.Rounds {
			if r.Code == it.Round {
				round = r.Name
				if lang == "en" && r.NameEN != "" {
					round = r.NameEN
				}
			}
		}
		if lang == "en" {
			return s + ", " + round
		}
		return s + ", đợt " + round
	}
	if it.Period != "" {
		if lang == "en" {
			return s + " for " + reports.FormatMonth(lang, it.Period)
		}
		return s + " tháng " + reports.FormatMonth(lang, it.Period)
	}
	return s
}

var urlRe = regexp.MustCompile(`https?://[^\s<>"]+[^\s<>".,;:)]`)

// textHTML is the HTML alternative of a plain-text message: the same words,
// its paragraphs as paragraphs, its "- " lines as lists, a line in capitals
// as a heading, its addresses as links and what follows "--" as a footer.
// Every piece of text is escaped.
func textHTML(lang, title, text string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "<!DOCTYPE html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\"><title>%s</title></head>\n"+
		"<body style=\"font-family: Arial, 'DejaVu Sans', sans-serif; font-size: 15px; line-height: 1.45; color: #1a1a1a; max-width: 42em\">\n",
		template.HTMLEscapeString(lang), template.HTMLEscapeString(title))
	footer := false
	for _, block := range strings.Split(strings.TrimSpace(text), "\n\n") {
		lines := strings.Split(strings.Trim(block, "\n"), "\n")
		if lines[0] == "--" {
			footer = true
			lines = lines[1:]
			b.WriteString("<hr style=\"border: 0; border-top: 1px solid #ccc\">\n")
		}
		if len(lines) == 0 {
			continue
		}
		if !footer && len(lines) > 1 && lines[0] == strings.ToUpper(lines[0]) && strings.ToUpper(lines[0]) != strings.ToLower(lines[0]) {
			fmt.Fprintf(&b, "<h3 style=\"font-size: 15px\">%s</h3>\n", inline(lines[0]))
			lines = lines[1:]
		}
		var para []string
		var items []string
		flush := func() {
			if len(para) > 0 {
				style := ""
				if footer {
					style = " style=\"color: #666; font-size: 13px\""
				}
				fmt.Fprintf(&b, "<p%s>%s</p>\n", style, strings.Join(para, "<br>\n"))
				para = nil
			}
			if len(items) > 0 {
				b.WriteString("<ul>\n")
				for _, it := range items {
					fmt.Fprintf(&b, "<li>%s</li>\n", it)
				}
				b.WriteString("</ul>\n")
				items = nil
			}
		}
		for _, l := range lines {
			if rest, ok := strings.CutPrefix(l, "- "); ok {
				if len(para) > 0 {
					flush()
				}
				items = append(items, inline(rest))
				continue
			}
			if len(items) > 0 {
				flush()
			}
			para = append(para, inline(strings.TrimLeft(l, " ")))
		}
		flush()
	}
	b.WriteString("</body></html>\n")
	return b.String()
}

// inline escapes a line of text and makes its addresses links.
func inline(s string) string {
	var b strings.Builder
	last := 0
	for _, m := range urlRe.FindAllStringIndex(s, -1) {
		b.WriteString(template.HTMLEscapeString(s[last:m[0]]))
		u := template.HTMLEscapeString(s[m[0]:m[1]])
		fmt.Fprintf(&b, "<a href=\"%s\">%s</a>", u, u)
		last = m[1]
	}
	b.WriteString(template.HTMLEscapeString(s[last:]))
	return b.String()
}
