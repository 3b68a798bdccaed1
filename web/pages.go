package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"
	"unicode"

	"github.com/hoctap/hoctap/config"
	"github.com/hoctap/hoctap/query"
	"github.com/hoctap/hoctap/reports"
	"github.com/hoctap/hoctap/reports/doc"
	"github.com/hoctap/hoctap/reports/wardpack"
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

	cfg   *config.Config
	loc   *time.Location
	scope scope
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
		Programme: a.cfg.Programme.Name, Version: a.opt.Version, Data: data, cfg: a.cfg, loc: a.loc, Delivery: a.cfg.Delivery.Enabled(),
		scope: a.scopeOf(r.Context())}
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

// fail shows an error on a page of its own, and logs a server's failure.
func (a *App) fail(w http.ResponseWriter, r *http.Request, status int, err error) {
	if status >= 500 {
		a.opt.Log.Error("page failed", "path", r.URL.Path, "status", status, "err", err.Error())
	}
	p := a.newPage(w, r, "", "Lỗi", "Error", err.Error())
	a.render(w, status, "error", p)
}

// snapshot opens the published snapshot the request of ctx may read (its
// wards' for a ward login, see scope), or says there is none yet.
func (a *App) snapshot(ctx context.Context) (*store.DB, error) {
	sc := a.scopeOf(ctx)
	db, err := a.snapshotOf(sc).Read(ctx)
	if errors.Is(err, store.ErrNotPublished) {
		if !sc.all() {
			return nil, errNoWardSnapshot
		}
		return nil, errNoSnapshot
	}
	return db, err
}

// read runs fn on the published snapshot and closes it before returning:
// pages are written to their client after, with nothing of the snapshot
// held, so that a client that reads slowly never keeps a job that needs the
// snapshot anew (store.Snapshot.Fresh), and every page behind that job,
// waiting. When there is no snapshot yet, or it cannot be opened, fn does not
// run and unavailable says why: pages show that rather than fail.
func (a *App) read(ctx context.Context, fn func(db *store.DB) error) (unavailable string, err error) {
	db, err := a.snapshot(ctx)
	if err != nil {
		return err.Error(), nil
	}
	defer db.Close()
	return "", fn(db)
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
	for _, m := range a.cfg.Programme.Months() {
		ms = append(ms, m.String())
	}
	return ms
}

// month is the month a page shows: ?month= when it is one of the
// programme's, else the latest month with a report, else the month of now
// within the programme.
func (a *App) month(r *http.Request, ms []reports.Manifest) string {
	if m, err := config.ParseMonth(r.URL.Query().Get("month")); err == nil && a.cfg.Programme.Holds(m) {
		return m.String()
	}
	if len(ms) > 0 {
		return ms[0].Month
	}
	return a.cfg.Programme.Clamp(config.MonthOf(a.opt.Now().In(a.loc))).String()
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
		if d, err = reports.Load(ctx, db, month, a.cfg.Report.AnnexLimit); err != nil {
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
	if !a.scopeOf(r.Context()).all() {
		a.wardHome(w, r)
		return
	}
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
	ctx := r.Context()
	var err error
	v.Err, err = a.read(ctx, func(db *store.DB) error {
		var err error
		if v.Excerpt, err = a.excerpt(ctx, db, v.Month, p.Lang, reports.Headline, reports.Goals, reports.Timeline); err != nil {
			return err
		}
		// The submissions still missing: those due by today in the current
		// month, all those due in a past one.
		v.Missing, err = reports.Missing(ctx, db, v.Month, a.missingBy(v.Month))
		return err
	})
	if err != nil {
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
	Versions []version
}

// version is a report version and the wards' packs beside it that the
// login may read.
type version struct {
	reports.Manifest
	Packs []packLink
}

// packLink is one ward's pack in one language: its PDF and HTML, relative
// to the reports folder.
type packLink struct {
	Ward, Lang, PDF, HTML string
}

func (a *App) reportsPage(w http.ResponseWriter, r *http.Request) {
	sc := a.scopeOf(r.Context())
	ms, err := reports.Manifests(a.cfg.Paths.Reports)
	if err != nil {
		a.fail(w, r, http.StatusInternalServerError, err)
		return
	}
	var codes []string
	for _, wd := range a.cfg.Wards {
		if sc.has(wd.Code) {
			codes = append(codes, wd.Code)
		}
	}
	var months []archive
	for _, m := range ms {
		v := version{Manifest: m}
		listed := map[string]bool{}
		for _, f := range m.Files {
			listed[f.Path] = true
		}
		for _, code := range codes {
			for _, lang := range m.Langs {
				if pdf := wardpack.File(code, lang, "pdf"); listed[pdf] {
					v.Packs = append(v.Packs, packLink{Ward: code, Lang: lang, PDF: m.Dir() + "/" + pdf, HTML: m.Dir() + "/" + wardpack.File(code, lang, "html")})
				}
			}
		}
		if !sc.all() && len(v.Packs) == 0 {
			continue // a ward login reads its packs only, and this version has none
		}
		if n := len(months); n > 0 && months[n-1].Month == m.Month {
			months[n-1].Versions = append(months[n-1].Versions, v)
			continue
		}
		months = append(months, archive{Month: m.Month, Versions: []version{v}})
	}
	a.render(w, http.StatusOK, "reports", a.newPage(w, r, "reports", "Báo cáo", "Reports", months))
}

// reportFile serves a file of a report version from the reports folder:
// MONTH/vN/FILE, listed in that version's manifest. A ward login reads its
// own wards' packs only (MONTH/vN/wards/WARD.LANG.pdf or .html): the city's
// report lists every ward's people in its annexes.
func (a *App) reportFile(w http.ResponseWriter, r *http.Request) {
	sc := a.scopeOf(r.Context())
	name := r.PathValue("file")
	if !sc.all() {
		parts := strings.SplitN(name, "/", 3)
		if !fs.ValidPath(name) || len(parts) != 3 || wardpack.WardOf(parts[2], sc.wards) == "" {
			a.fail(w, r, http.StatusForbidden, errCommittee)
			return
		}
	}
	switch path.Ext(name) {
	case ".html", ".pdf", ".xlsx", ".png", ".json":
	default:
		http.NotFound(w, r)
		return
	}
	// Only a file its version's manifest lists: not one a stopped run or
	// someone else left in the folder.
	parts := strings.SplitN(name, "/", 3)
	if !fs.ValidPath(name) || len(parts) != 3 || !reports.Listed(a.cfg.Paths.Reports, parts[0]+"/"+parts[1], parts[2]) {
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
	Ward     string    `db:"ward"`
	Name     string    `db:"original_name"`
	Modified time.Time `db:"received_at"`
	Path     string    `db:"receipt_path"`
	Receipt  string
}

// maxReceipt caps a receipt shown on the page.
const maxReceipt = 64 << 10

// quarantine lists the refused files whose receipts are still in the
// quarantine folder, newest first. It reads only the receipts ingest wrote
// and recorded (ingest_files.receipt_path): a file someone drops there,
// named x.receipt.txt, is nobody's receipt.
func (a *App) quarantine(ctx context.Context, db *store.DB) ([]quarantined, error) {
	var refused []quarantined
	if err := a.sel(ctx, db, &refused, "refused"); err != nil {
		return nil, err
	}
	out := refused[:0]
	for _, q := range refused {
		rel := filepath.FromSlash(q.Path)
		if !filepath.IsLocal(rel) {
			continue
		}
		f, err := os.Open(filepath.Join(a.cfg.Paths.Quarantine, rel))
		if errors.Is(err, fs.ErrNotExist) {
			continue // fixed and cleared away
		}
		if err != nil {
			return nil, err
		}
		b, err := io.ReadAll(io.LimitReader(f, maxReceipt+1))
		f.Close()
		if err != nil {
			return nil, err
		}
		if len(b) > maxReceipt {
			b = append(b[:maxReceipt], "\n…"...)
		}
		q.Receipt = string(b)
		out = append(out, q)
	}
	return out, nil
}

func (a *App) quality(w http.ResponseWriter, r *http.Request) {
	p := a.newPage(w, r, "quality", "Chất lượng số liệu", "Data quality", nil)
	ms, _ := reports.Manifests(a.cfg.Paths.Reports)
	sc := a.scopeOf(r.Context())
	v := &monthView{Months: a.months(), Trigger: a.opt.Trigger != nil && sc.all(), Started: r.URL.Query().Get("started")}
	v.Month = a.month(r, ms)
	p.Data = v
	ctx := r.Context()
	var err error
	v.Err, err = a.read(ctx, func(db *store.DB) error {
		var err error
		if v.Quarant, err = a.quarantine(ctx, db); err != nil {
			return err
		}
		// The report's part is the city's; a ward login's submissions are
		// on its wards' pages.
		if sc.all() {
			if v.Excerpt, err = a.excerpt(ctx, db, v.Month, p.Lang, reports.Quality); err != nil {
				return err
			}
		}
		return a.sel(ctx, db, &v.Files, "files")
	})
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
	if a.committeeOnly(w, r) {
		return
	}
	v := &runsView{Recent: a.opt.Metrics.Recent()}
	p := a.newPage(w, r, "runs", "Lần chạy", "Job runs", v)
	if fi, err := os.Stat(a.opt.Snapshot.Path); err == nil {
		v.Published = fi.ModTime()
	}
	var err error
	v.Err, err = a.read(r.Context(), func(db *store.DB) error { return a.sel(r.Context(), db, &v.History, "runs") })
	if err != nil {
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
	Cut     string // why rows were left out
	Took    time.Duration
	Err     string
	Foreign bool // sent from another site's page: shown, not run
	Tables  []table
}

type table struct {
	Name    string `db:"table_name"`
	Comment string `db:"comment"`
	Rows    int64  `db:"estimated_size"`
}

const exampleSQL = "SELECT ward, registered, assessed, recognised, rate_of_registered\nFROM progress_monthly\nWHERE level = 'ward' AND month = (SELECT max(month) FROM progress_monthly)\nORDER BY ward"

// console is the SQL console. Its query runs in a process of its own
// (query.Runner), and only when the browser came from this app's own pages,
// a bookmark or a typed address: a link or form on another site that a
// browser follows is shown with its SQL, to be run by pressing Run.
func (a *App) console(w http.ResponseWriter, r *http.Request) {
	v := &consoleView{SQL: r.URL.Query().Get("q")}
	p := a.newPage(w, r, "sql", "Truy vấn SQL", "SQL console", v)
	var err error
	v.Err, err = a.read(r.Context(), func(db *store.DB) error { return a.sel(r.Context(), db, &v.Tables, "tables") })
	switch {
	case err != nil:
		a.fail(w, r, http.StatusInternalServerError, err)
		return
	case v.Err != "":
		a.render(w, http.StatusOK, "sql", p)
		return
	case strings.TrimSpace(v.SQL) == "":
		v.SQL = exampleSQL
		a.render(w, http.StatusOK, "sql", p)
		return
	case crossSite(r):
		v.Foreign = true
		a.render(w, http.StatusOK, "sql", p)
		return
	}
	res, err := a.runQuery(r, v.SQL, min(consoleRows, a.cfg.Database.MaxRows))
	if err != nil {
		v.Err = err.Error()
		a.render(w, queryStatus(err), "sql", p)
		return
	}
	v.Columns, v.Cut, v.Took = res.Columns, res.Cut, res.Duration.Round(time.Millisecond)
	for i := range res.Rows {
		cells := make([]string, len(res.Columns))
		for j := range cells {
			cells[j] = res.Text(i, j)
		}
		v.Rows = append(v.Rows, cells)
	}
	a.render(w, http.StatusOK, "sql", p)
}

// runQuery runs a console query within the configuration's limits, and logs
// one that stopped its process.
func (a *App) runQuery(r *http.Request, sql string, maxRows int) (*query.Result, error) {
	if a.opt.Queries == nil {
		return nil, errors.New("hoctap: the SQL console has no query runner here")
	}
	d := a.cfg.Database
	opt := query.Options{MaxRows: maxRows, MaxBytes: int64(d.MaxResultSize), Timeout: d.QueryTimeout.Duration, Zone: a.loc}
	if sc := a.scopeOf(r.Context()); !sc.all() {
		// A ward login's query reads its wards' snapshot and nothing else.
		opt.Snapshot = a.snapshotOf(sc).Path
	}
	res, err := a.opt.Queries.Run(r.Context(), sql, opt)
	var crash *query.CrashError
	if errors.As(err, &crash) {
		a.opt.Log.Error("console query stopped its process", "sql", sql, "status", crash.Status, "detail", crash.Detail)
	}
	return res, err
}

// queryStatus is the status of a page whose query failed: the query's
// fault (400) unless it stopped its process (500).
func queryStatus(err error) int {
	var crash *query.CrashError
	switch {
	case errors.As(err, &crash):
		return http.StatusInternalServerError
	case errors.Is(err, query.ErrNotPublished):
		return http.StatusServiceUnavailable
	}
	return http.StatusBadRequest
}

// crossSite reports whether r was sent by another site's page: a link, form
// or image there that a browser (with its cookies) follows. Browsers say so
// in Sec-Fetch-Site ("none" for a bookmark or a typed address); without it,
// an Origin or Referer of another host says so.
func crossSite(r *http.Request) bool {
	switch r.Header.Get("Sec-Fetch-Site") {
	case "same-origin", "none":
		return false
	case "":
	default: // same-site (another port or name of this host), cross-site
		return true
	}
	for _, h := range []string{"Origin", "Referer"} {
		if v := r.Header.Get(h); v != "" {
			if u, err := url.Parse(v); err != nil || u.Host != r.Host {
				return true
			}
		}
	}
	return false
}

// consoleCSV downloads a query's result as CSV, with formulas neutralised
// (query.Result.CSVCell). The result is whole in memory (at most
// database.max_result_size) before the first byte is written.
func (a *App) consoleCSV(w http.ResponseWriter, r *http.Request) {
	if crossSite(r) {
		http.Error(w, "hoctap: truy vấn gửi từ trang web khác không được chạy — a query sent from another site's page is not run: open /sql and run it there", http.StatusForbidden)
		return
	}
	res, err := a.runQuery(r, r.URL.Query().Get("q"), a.cfg.Database.MaxRows)
	if err != nil {
		http.Error(w, err.Error(), queryStatus(err))
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="hoctap-query.csv"`)
	if res.Truncated() {
		w.Header().Set("X-Hoctap-Truncated", query.Escape(res.Cut))
	}
	if err := query.Write(w, res, query.FormatCSV); err != nil {
		a.opt.Log.Info("csv download not finished", "err", err.Error())
	}
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
	if a.committeeOnly(w, r) {
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
	var tooMany errTooMany
	if err != nil && !errors.As(err, &tooMany) {
		a.fail(w, r, http.StatusInternalServerError, fmt.Errorf("không lưu được phiên đăng nhập — the session could not be saved: %w", err))
		return
	}
	if cookie == nil {
		status := http.StatusUnauthorized
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
	if err := a.auth.logout(r); err != nil {
		a.fail(w, r, http.StatusInternalServerError, fmt.Errorf("không xoá được phiên đăng nhập — the session could not be ended: %w", err))
		return
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, Secure: a.auth.overTLS(r)})
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

// safeNext keeps a redirect after login on this site: a path of this app,
// or "/". Browsers drop tabs and line breaks from a URL and read a backslash
// as a slash, so "/\t/evil.example" and "/\\evil.example" would leave
// the site as "//evil.example" does: any control character or backslash is
// refused, and so is anything with a scheme or a host.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/login") ||
		strings.ContainsRune(next, '\\') || strings.ContainsFunc(next, unicode.IsControl) {
		return "/"
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil {
		return "/"
	}
	return next
}
