package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/hoctap/hoctap/config"
	"github.com/hoctap/hoctap/query"
	"github.com/hoctap/hoctap/reports"
	"github.com/hoctap/hoctap/reports/doc"
	"github.com/hoctap/hoctap/store"
)

// page is what every template gets: the request's language, where it is, who
// is asking, and the page's own data.
type page struct {
	Lang      string
	Nav       string
	User      string
	Auth      bool
	Org       string
	Programme string
	Title     string
	Delivery  bool   // someone to deliver to: the outbox's page is in the menu
	Switch    string // this page in the other language
	Version   string // the program's
	Data      any

	cfg *config.Config
	loc *time.Location
}

// T picks the text of the page's language.
func (p *page) T(vi, en string) string {
	if p.Lang == "en" {
		return en
	}
	return vi
}

const langCookie = "hoctap_lang"

// lang is the request's language: ?lang= (remembered in a cookie), the
// cookie, or Vietnamese.
func lang(w http.ResponseWriter, r *http.Request) string {
	if l := r.URL.Query().Get("lang"); l == "vi" || l == "en" {
		http.SetCookie(w, &http.Cookie{Name: langCookie, Value: l, Path: "/", MaxAge: 365 * 24 * 3600, SameSite: http.SameSiteLaxMode})
		return l
	}
	if c, err := r.Cookie(langCookie); err == nil && (c.Value == "vi" || c.Value == "en") {
		return c.Value
	}
	return "vi"
}

func (a *App) newPage(w http.ResponseWriter, r *http.Request, nav, titleVi, titleEn string, data any) *page {
	l := lang(w, r)
	q := r.URL.Query()
	user, _ := r.Context().Value(userKey{}).(string)
	pg := &page{Lang: l, Nav: nav, User: user, Auth: a.auth.Enabled(), Org: a.cfg.City.Organisation,
		Programme: a.cfg.Programme.Name, Version: a.opt.Version, Data: data, cfg: a.cfg, loc: a.loc, Delivery: a.cfg.Delivery.Enabled()}
	other := "en"
	if l == "en" {
		other = "vi"
	}
	q.Set("lang", other)
	pg.Switch = r.URL.Path + "?" + q.Encode()
	if l == "en" {
		if a.cfg.City.OrganisationEN != "" {
			pg.Org = a.cfg.City.OrganisationEN
		}
		if a.cfg.Programme.NameEN != "" {
			pg.Programme = a.cfg.Programme.NameEN
		}
	}
	pg.Title = pg.T(titleVi, titleEn)
	return pg
}

// render writes the page template name, whole or not at all.
func (a *App) render(w http.ResponseWriter, status int, name string, p *page) {
	var b bytes.Buffer
	if err := a.pages[name].ExecuteTemplate(&b, "layout", p); err != nil {
		http.Error(w, "hoctap: "+err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(b.Bytes())
}

// fail shows an error on a page of its own.
func (a *App) fail(w http.ResponseWriter, r *http.Request, status int, err error) {
	p := a.newPage(w, r, "", "Lỗi", "Error", err.Error())
	a.render(w, status, "error", p)
}

// snapshot opens the published snapshot, or says there is none yet.
func (a *App) snapshot(ctx context.Context) (*store.DB, error) {
	db, err := a.opt.Snapshot.Read(ctx)
	if errors.Is(err, store.ErrNotPublished) {
		return nil, errNoSnapshot
	}
	return db, err
}

// pageSnapshot opens the published snapshot for the page p. When there is
// none yet or it cannot be opened, p is shown with the reason in *reason and
// ok is false: the page says why it has no data rather than failing.
func (a *App) pageSnapshot(w http.ResponseWriter, r *http.Request, p *page, reason *string) (db *store.DB, ok bool) {
	db, err := a.snapshot(r.Context())
	if err != nil {
		*reason = err.Error()
		a.render(w, http.StatusOK, p.Nav, p)
		return nil, false
	}
	return db, true
}

var errNoSnapshot = errors.New("chưa có bản công bố: dữ liệu hiện ra sau lần nạp và tính toán đầu tiên — no published snapshot yet: the data shows after the first ingest and transform")

// generation names the snapshot file as it is now.
func (a *App) generation() string {
	fi, err := os.Stat(a.opt.Snapshot.Path)
	if err != nil {
		return ""
	}
	return fmt.Sprintf("%d.%d", fi.ModTime().UnixNano(), fi.Size())
}

// months are the programme's months, YYYY-MM.
func (a *App) months() []string {
	var ms []string
	for m := a.cfg.Programme.Start.Month(); !a.cfg.Programme.End.Month().Before(m); m = m.Next() {
		ms = append(ms, m.String())
	}
	return ms
}

// month is the month a page shows: ?month= when it is one of the
// programme's, else the latest month with a report, else the month of now
// within the programme.
func (a *App) month(r *http.Request, ms []reports.Manifest) string {
	all := a.months()
	if m := r.URL.Query().Get("month"); m != "" {
		for _, x := range all {
			if x == m {
				return m
			}
		}
	}
	if len(ms) > 0 {
		return ms[0].Month
	}
	now := config.MonthOf(a.opt.Now().In(a.loc)).String()
	switch {
	case now < all[0]:
		return all[0]
	case now > all[len(all)-1]:
		return all[len(all)-1]
	}
	return now
}

// excerpt is the HTML of parts of month's report in lang, made once per
// snapshot, from the month's numbers, which the last month asked for keeps.
func (a *App) excerpt(ctx context.Context, db *store.DB, month, lang string, parts ...reports.Part) (template.HTML, error) {
	gen := a.generation()
	key := fmt.Sprint(month, lang, parts)
	a.mu.Lock()
	if a.gen != gen {
		a.gen, a.cache, a.data = gen, map[string]template.HTML{}, nil
	}
	h, ok := a.cache[key]
	d := a.data
	a.mu.Unlock()
	if ok {
		return h, nil
	}
	// The month's numbers serve every page and language: load them once.
	if d == nil || d.Month != month {
		var err error
		if d, err = reports.Load(ctx, db.DB, month); err != nil {
			return "", err
		}
		a.mu.Lock()
		if a.gen == gen {
			a.data = d
		}
		a.mu.Unlock()
	}
	blocks, err := reports.Excerpt(a.cfg, d, lang, float64(max(a.cfg.Report.ChartDPI, 96)), parts...)
	if err != nil {
		return "", err
	}
	var b bytes.Buffer
	if err := doc.WriteHTMLBlocks(&b, blocks); err != nil {
		return "", err
	}
	// The fragment comes from the report's own template, which escapes
	// every value; charts escape their texts.
	h = template.HTML(b.String())
	a.mu.Lock()
	if a.gen == gen {
		a.cache[key] = h
	}
	a.mu.Unlock()
	return h, nil
}

// monthView is what the home and data-quality pages share: the month shown,
// the months to pick from, and the part of its report.
type monthView struct {
	Month   string
	Months  []string
	Excerpt template.HTML
	Report  *reports.Manifest // the month's latest report, if any
	Missing []reports.Submission
	Files   []fileRow
	Quarant []quarantined
	Trigger bool
	Started string // a job just asked for
	Runs    []Run  // each job's last run since the server started
	Err     string
}

func (a *App) home(w http.ResponseWriter, r *http.Request) {
	p := a.newPage(w, r, "home", "Tổng quan", "Overview", nil)
	ms, _ := reports.Manifests(a.cfg.Paths.Reports)
	v := &monthView{Months: a.months()}
	v.Month = a.month(r, ms)
	for i := range ms {
		if ms[i].Month == v.Month {
			v.Report = &ms[i]
			break
		}
	}
	p.Data = v
	v.Runs = a.opt.Metrics.Last()
	db, ok := a.pageSnapshot(w, r, p, &v.Err)
	if !ok {
		return
	}
	defer db.Close()
	var err error
	if v.Excerpt, err = a.excerpt(r.Context(), db, v.Month, p.Lang, reports.Headline, reports.Goals, reports.Timeline); err != nil {
		a.fail(w, r, http.StatusInternalServerError, err)
		return
	}
	// The submissions still missing: those due by today in the current
	// month, all those due in a past one.
	month, _ := time.ParseInLocation("2006-01", v.Month, a.loc)
	by := month.AddDate(0, 1, -1)
	if today := a.opt.Now().In(a.loc); today.Before(by) {
		by = today
	}
	if v.Missing, err = reports.Missing(r.Context(), db.DB, v.Month, by); err != nil {
		a.fail(w, r, http.StatusInternalServerError, err)
		return
	}
	a.render(w, http.StatusOK, "home", p)
}

// sel runs the page query web/sql/name.sql.
func (a *App) sel(ctx context.Context, db *store.DB, dest any, name string, args ...any) error {
	q, err := queries.ReadFile("sql/" + name + ".sql")
	if err != nil {
		return err
	}
	if err := db.SelectContext(ctx, dest, string(q), args...); err != nil {
		return fmt.Errorf("web: %s.sql: %w", name, err)
	}
	return nil
}

// archive is one month's report versions, newest first.
type archive struct {
	Month    string
	Versions []reports.Manifest
}

func (a *App) reportsPage(w http.ResponseWriter, r *http.Request) {
	ms, err := reports.Manifests(a.cfg.Paths.Reports)
	if err != nil {
		a.fail(w, r, http.StatusInternalServerError, err)
		return
	}
	var months []archive
	for _, m := range ms {
		if n := len(months); n > 0 && months[n-1].Month == m.Month {
			months[n-1].Versions = append(months[n-1].Versions, m)
			continue
		}
		months = append(months, archive{Month: m.Month, Versions: []reports.Manifest{m}})
	}
	a.render(w, http.StatusOK, "reports", a.newPage(w, r, "reports", "Báo cáo", "Reports", months))
}

// reportFile serves a file of a report version from the reports folder.
func (a *App) reportFile(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("file")
	switch path.Ext(name) {
	case ".html", ".pdf", ".xlsx", ".png", ".json":
	default:
		http.NotFound(w, r)
		return
	}
	if !fs.ValidPath(name) {
		http.NotFound(w, r)
		return
	}
	if path.Ext(name) != ".html" {
		w.Header().Set("Content-Disposition", fmt.Sprintf("inline; filename=%q", path.Base(name)))
	}
	http.ServeFileFS(w, r, os.DirFS(a.cfg.Paths.Reports), name)
}

// fileRow is a received file.
type fileRow struct {
	ID         int64     `db:"file_id"`
	Name       string    `db:"original_name"`
	Ward       string    `db:"ward"`
	Dataset    string    `db:"dataset"`
	Period     string    `db:"period"`
	Status     string    `db:"status"`
	ReceivedAt time.Time `db:"received_at"`
	Rows       int64     `db:"rows_loaded"`
	Warnings   int64     `db:"warnings"`
	Problems   int64     `db:"problems"`
}

// quarantined is a refused file waiting in quarantine, with its receipt.
type quarantined struct {
	Ward     string
	Name     string
	Modified time.Time
	Receipt  string
}

// maxReceipt caps a receipt shown on the page.
const maxReceipt = 64 << 10

// quarantine lists the refused files in the quarantine folder, newest first.
func (a *App) quarantine() ([]quarantined, error) {
	root := a.cfg.Paths.Quarantine
	var out []quarantined
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) && p == root {
				return filepath.SkipDir
			}
			return err
		}
		if d.IsDir() || !strings.HasSuffix(p, ".receipt.txt") {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if len(b) > maxReceipt {
			b = append(b[:maxReceipt], "\n…"...)
		}
		rel, _ := filepath.Rel(root, p)
		ward, name := filepath.Split(rel)
		out = append(out, quarantined{Ward: filepath.Clean(ward), Name: strings.TrimSuffix(name, ".receipt.txt"), Modified: info.ModTime(), Receipt: string(b)})
		return nil
	})
	sort.SliceStable(out, func(i, j int) bool { return out[i].Modified.After(out[j].Modified) })
	return out, err
}

func (a *App) quality(w http.ResponseWriter, r *http.Request) {
	p := a.newPage(w, r, "quality", "Chất lượng số liệu", "Data quality", nil)
	ms, _ := reports.Manifests(a.cfg.Paths.Reports)
	v := &monthView{Months: a.months(), Trigger: a.opt.Trigger != nil, Started: r.URL.Query().Get("started")}
	v.Month = a.month(r, ms)
	p.Data = v
	var err error
	if v.Quarant, err = a.quarantine(); err != nil {
		a.fail(w, r, http.StatusInternalServerError, err)
		return
	}
	db, ok := a.pageSnapshot(w, r, p, &v.Err)
	if !ok {
		return
	}
	defer db.Close()
	if v.Excerpt, err = a.excerpt(r.Context(), db, v.Month, p.Lang, reports.Quality); err == nil {
		err = a.sel(r.Context(), db, &v.Files, "files")
	}
	if err != nil {
		a.fail(w, r, http.StatusInternalServerError, err)
		return
	}
	a.render(w, http.StatusOK, "quality", p)
}

// runRow is a job run in the snapshot's history.
type runRow struct {
	Job       string     `db:"job"`
	Scheduled *time.Time `db:"scheduled_at"`
	Started   time.Time  `db:"started_at"`
	Finished  *time.Time `db:"finished_at"`
	Status    string     `db:"status"`
	Error     string     `db:"error"`
	Rows      int64      `db:"rows_affected"`
	CatchUp   bool       `db:"catch_up"`
}

type runsView struct {
	Recent    []Run
	History   []runRow
	Published time.Time
	Err       string
}

func (a *App) runs(w http.ResponseWriter, r *http.Request) {
	v := &runsView{Recent: a.opt.Metrics.Recent()}
	p := a.newPage(w, r, "runs", "Lần chạy", "Job runs", v)
	if fi, err := os.Stat(a.opt.Snapshot.Path); err == nil {
		v.Published = fi.ModTime()
	}
	db, ok := a.pageSnapshot(w, r, p, &v.Err)
	if !ok {
		return
	}
	defer db.Close()
	if err := a.sel(r.Context(), db, &v.History, "runs"); err != nil {
		a.fail(w, r, http.StatusInternalServerError, err)
		return
	}
	a.render(w, http.StatusOK, "runs", p)
}

// consoleRows caps the rows the console shows; the CSV download takes up to
// database.max_rows.
const consoleRows = 1000

type consoleView struct {
	SQL     string
	Columns []string
	Rows    [][]string
	More    bool
	Took    time.Duration
	Err     string
	Tables  []table
}

type table struct {
	Name    string `db:"table_name"`
	Comment string `db:"comment"`
	Rows    int64  `db:"estimated_size"`
}

const exampleSQL = "SELECT ward, registered, assessed, recognised, rate_of_registered\nFROM progress_monthly\nWHERE level = 'ward' AND month = (SELECT max(month) FROM progress_monthly)\nORDER BY ward"

func (a *App) console(w http.ResponseWriter, r *http.Request) {
	v := &consoleView{SQL: r.URL.Query().Get("q")}
	p := a.newPage(w, r, "sql", "Truy vấn SQL", "SQL console", v)
	db, ok := a.pageSnapshot(w, r, p, &v.Err)
	if !ok {
		return
	}
	defer db.Close()
	if err := a.sel(r.Context(), db, &v.Tables, "tables"); err != nil {
		a.fail(w, r, http.StatusInternalServerError, err)
		return
	}
	if strings.TrimSpace(v.SQL) == "" {
		v.SQL = exampleSQL
		a.render(w, http.StatusOK, "sql", p)
		return
	}
	res, err := query.Run(r.Context(), db, v.SQL, query.Options{MaxRows: min(consoleRows, a.maxRows()), Timeout: a.cfg.Database.QueryTimeout.Duration})
	if err != nil {
		v.Err = err.Error()
		a.render(w, http.StatusBadRequest, "sql", p)
		return
	}
	v.Columns, v.More, v.Took = res.Columns, res.Truncated, res.Duration.Round(time.Millisecond)
	for _, row := range res.Rows {
		cells := make([]string, len(row))
		for i, c := range row {
			cells[i] = query.Text(c)
		}
		v.Rows = append(v.Rows, cells)
	}
	a.render(w, http.StatusOK, "sql", p)
}

func (a *App) maxRows() int {
	if a.cfg.Database.MaxRows > 0 {
		return a.cfg.Database.MaxRows
	}
	return 100000
}

// consoleCSV downloads a query's result as CSV.
func (a *App) consoleCSV(w http.ResponseWriter, r *http.Request) {
	db, err := a.snapshot(r.Context())
	if err != nil {
		http.Error(w, err.Error(), http.StatusServiceUnavailable)
		return
	}
	defer db.Close()
	res, err := query.Run(r.Context(), db, r.URL.Query().Get("q"), query.Options{MaxRows: a.maxRows(), Timeout: a.cfg.Database.QueryTimeout.Duration})
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	var b bytes.Buffer
	if err := query.Write(&b, res, query.FormatCSV); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="hoctap-query.csv"`)
	w.Write(b.Bytes())
}

// trigger asks the scheduler to run a job now: the ingest button, and the
// outbox's button to send its failed messages again.
func (a *App) trigger(w http.ResponseWriter, r *http.Request) {
	job := r.PathValue("job")
	back := map[string]string{"ingest": "/quality", "resend": "/outbox"}[job]
	if a.opt.Trigger == nil || back == "" {
		http.NotFound(w, r)
		return
	}
	if err := a.opt.Trigger(job); err != nil {
		a.fail(w, r, http.StatusServiceUnavailable, err)
		return
	}
	http.Redirect(w, r, back+"?started="+job, http.StatusSeeOther)
}

func (a *App) style(w http.ResponseWriter, r *http.Request) {
	b, _ := templateFS.ReadFile("templates/style.css")
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Header().Set("Cache-Control", "max-age=3600")
	w.Write(b)
	fmt.Fprintf(w, "\n/* the report's blocks */\n%s\n", doc.BlockStyle())
}

type loginView struct {
	Next   string
	Failed bool
	Err    string
}

func (a *App) renderLogin(w http.ResponseWriter, r *http.Request, status int, next string, failed bool) {
	v := &loginView{Next: safeNext(next), Failed: failed}
	p := a.newPage(w, r, "login", "Đăng nhập", "Sign in", v)
	if status == http.StatusTooManyRequests {
		v.Err = p.T("Đăng nhập sai quá nhiều lần. Xin chờ một phút rồi thử lại.", "Too many failed sign-ins. Wait a minute and try again.")
	} else if failed {
		v.Err = p.T("Tên đăng nhập, mật khẩu hoặc mã truy cập không đúng.", "Wrong name, password or token.")
	}
	a.render(w, status, "login", p)
}

func (a *App) loginPage(w http.ResponseWriter, r *http.Request) {
	a.renderLogin(w, r, http.StatusOK, r.URL.Query().Get("next"), false)
}

func (a *App) loginPost(w http.ResponseWriter, r *http.Request) {
	next := safeNext(r.PostFormValue("next"))
	if !a.auth.Enabled() {
		http.Redirect(w, r, next, http.StatusSeeOther)
		return
	}
	cookie, err := a.auth.login(r, strings.TrimSpace(r.PostFormValue("user")), r.PostFormValue("password"))
	if cookie == nil {
		status := http.StatusUnauthorized
		var tooMany errTooMany
		if errors.As(err, &tooMany) {
			status = http.StatusTooManyRequests
			w.Header().Set("Retry-After", fmt.Sprint(int(tooMany.wait.Seconds())+1))
		}
		a.renderLogin(w, r, status, next, true)
		return
	}
	http.SetCookie(w, cookie)
	http.Redirect(w, r, next, http.StatusSeeOther)
}

func (a *App) logoutPost(w http.ResponseWriter, r *http.Request) {
	a.auth.logout(r)
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1})
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

// safeNext keeps a redirect after login on this site.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") || strings.HasPrefix(next, "/login") {
		return "/"
	}
	return next
}
