package web

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/hoctap/hoctap"
	"github.com/hoctap/hoctap/config"
	"github.com/hoctap/hoctap/deliver"
	"github.com/hoctap/hoctap/query"
	"github.com/hoctap/hoctap/reports"
	"github.com/hoctap/hoctap/reports/wardpack"
	"github.com/hoctap/hoctap/store"
	"github.com/hoctap/hoctap/transform"
)

// wardWorld is a workspace whose snapshot was published by the real
// transform from the transform package's fixture, with people, files and
// receipts of two wards, a committee login (ban) and a login limited to Tân
// Quy Tây (tqt).
type wardWorld struct {
	app    *App
	srv    *httptest.Server
	cfg    *config.Config
	others []string // what tqt must never see: other wards' names, codes, files
	own    []string // what tqt sees of its own
}

const wardLogin, committeeLogin = "tqt", "ban"

func newWardWorld(t *testing.T) *wardWorld {
	t.Helper()
	hash, err := bcrypt.GenerateFromPassword([]byte("mật khẩu phường"), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	app := newApp(t, config.Auth{Users: []config.User{{Name: committeeLogin, PasswordHash: string(hash)},
		{Name: wardLogin, PasswordHash: string(hash), Wards: []string{"tan-quy-tay"}}}}, nil)
	cfg := app.cfg
	ctx := context.Background()
	db, err := store.Open(ctx, cfg.Paths.Database, store.OptionsFrom(cfg))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	fixture, err := os.ReadFile("../transform/testdata/fixture.sql")
	if err != nil {
		t.Fatal(err)
	}
	// Tân Quy Tây's own people, and a refused file with a receipt in each ward.
	extra := `
		INSERT INTO ingest_files (file_id, sha256, original_name, ward, dataset, period, received_at, file_modified_at, size_bytes, status, rows_loaded, warnings, problems, receipt_path) VALUES
		 (8, 'b8', 'dang_ky_tqt.xlsx', 'tan-quy-tay', 'citizens', '2020-11', TIMESTAMP '2020-11-21 09:00:00', TIMESTAMP '2020-11-21 08:00:00', 1, 'loaded', 2, 0, 0, NULL),
		 (9, 'b9', 'Bi_mat_TPD.xlsx', 'tan-phu-dong', 'activities', '2021-01', TIMESTAMP '2021-02-03 09:00:00', TIMESTAMP '2021-02-03 08:00:00', 1, 'refused', 0, 0, 2, 'tan-phu-dong/Bi_mat_TPD.xlsx.receipt.txt');
		UPDATE ingest_files SET receipt_path = 'tan-quy-tay/loi.xlsx.receipt.txt' WHERE file_id = 7;
		INSERT INTO ingest_file_tables (file_id, dataset, sheets, ward, period, rows, status, superseded_by) VALUES
		 (8, 'citizens', 'Cá nhân', 'tan-quy-tay', '2020-11', 2, 'loaded', NULL);
		INSERT INTO raw_citizens (file_id, sheet, row_number, citizen_id, full_name, gender, birth_year, group_id, ward, hamlet, unit_code, registered_on) VALUES
		 (8, 'Cá nhân', 5, 'TQT-101', 'Lâm Thị Xuân', 'Nữ', 1982, 1, 'tan-quy-tay', 'Ấp Tân Hòa', NULL, DATE '2020-11-19'),
		 (8, 'Cá nhân', 6, 'TQT-102', 'Quách Văn Yên', 'Nam', 1977, 3, 'tan-quy-tay', NULL, 'TQT-UB', DATE '2020-11-19'),
		 (8, 'Cá nhân', 7, 'TQT-103', 'Trần Văn Đức', 'Nam', 1980, 1, 'tan-quy-tay', NULL, NULL, DATE '2020-11-19'),
		 (8, 'Cá nhân', 8, 'TQT-104', 'Lê Thị Dung', 'Nữ', 1985, 1, 'tan-quy-tay', NULL, NULL, DATE '2020-11-19'),
		 (8, 'Cá nhân', 9, 'TQT-105', 'Nguyễn An', 'Nam', 1990, 2, 'tan-quy-tay', NULL, NULL, DATE '2020-11-19');
		-- Two people the "close to the title" rules tell apart: TQT-103 has
		-- the total (88) with two indicators below 5, TQT-104 none below and
		-- a total 5 points short.
		INSERT INTO ingest_files (file_id, sha256, original_name, ward, dataset, period, received_at, file_modified_at, size_bytes, status, rows_loaded, warnings, problems, receipt_path) VALUES
		 (10, 'b10', 'khao_sat_tqt.xlsx', 'tan-quy-tay', 'citizen_assessments', 'baseline', TIMESTAMP '2020-12-20 09:00:00', TIMESTAMP '2020-12-20 08:00:00', 1, 'loaded', 2, 0, 0, NULL);
		INSERT INTO ingest_file_tables (file_id, dataset, sheets, ward, period, rows, status, superseded_by) VALUES
		 (10, 'citizen_assessments', 'KS', 'tan-quy-tay', 'baseline', 2, 'loaded', NULL);
		INSERT INTO raw_citizen_assessments (file_id, sheet, row_number, citizen_id, round, assessed_on, self_scores, reviewed_scores, reviewer) VALUES
		 (10, 'KS', 5, 'TQT-103', 'baseline', DATE '2020-12-15', [10, 10, 10, 10, 4, 4, 10, 10, 10, 10], NULL, NULL),
		 (10, 'KS', 6, 'TQT-104', 'baseline', DATE '2020-12-15', [8, 8, 8, 8, 8, 8, 8, 7, 6, 6], NULL, NULL);`
	for _, stmt := range append(store.Statements(string(fixture)), store.Statements(extra)...) {
		if _, err := db.ExecContext(ctx, stmt); err != nil {
			t.Fatalf("fixture: %v\n%s", err, stmt)
		}
	}
	q := cfg.Paths.Quarantine
	for ward, receipt := range map[string]string{"tan-quy-tay/loi.xlsx.receipt.txt": "BIÊN NHẬN loi.xlsx: 3 lỗi", "tan-phu-dong/Bi_mat_TPD.xlsx.receipt.txt": "BIÊN NHẬN Bi_mat_TPD.xlsx: Nguyễn Văn An"} {
		os.MkdirAll(filepath.Join(q, filepath.Dir(ward)), 0o700)
		os.WriteFile(filepath.Join(q, ward), []byte(receipt), 0o600)
	}
	sqlFS, err := fs.Sub(hoctap.SQL, "sql")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := transform.Run(ctx, db, cfg, sqlFS, time.Date(2021, 8, 1, 7, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	w := &wardWorld{app: app, cfg: cfg, own: []string{"Lâm Thị Xuân", "Quách Văn Yên", "loi.xlsx"}}
	// What Tân Quy Tây's login must never see, read from the full snapshot:
	// every other ward's people (names and codes) and files.
	var names []struct {
		Name string `db:"full_name"`
		ID   string `db:"citizen_id"`
	}
	db2, err := store.Open(ctx, cfg.Paths.Snapshot, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := db2.SelectContext(ctx, &names, "SELECT full_name, citizen_id FROM citizens WHERE ward <> 'tan-quy-tay'"); err != nil {
		t.Fatal(err)
	}
	var files []string
	if err := db2.SelectContext(ctx, &files, "SELECT original_name FROM ingest_files WHERE ward <> 'tan-quy-tay'"); err != nil {
		t.Fatal(err)
	}
	db2.Close()
	if len(names) < 6 || len(files) < 6 {
		t.Fatalf("the fixture has %d people and %d files of other wards", len(names), len(files))
	}
	for _, n := range names {
		w.others = append(w.others, n.Name, n.ID)
	}
	w.others = append(w.others, files...)
	w.others = append(w.others, "Nguyễn Văn An", "ke-toan@tan-phu-dong.example", "ban-chi-dao@example.vn")

	opt := store.Options{TimeZone: cfg.City.TimeZone, Sandbox: true}
	app.opt.Snapshot = &store.Snapshot{Path: cfg.Paths.Snapshot, Options: opt}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	opt.MemoryLimit = "512MB"
	app.opt.Queries = &query.Runner{Program: exe, Env: []string{"HOCTAP_TEST_WORKER=work"}, Snapshot: cfg.Paths.Snapshot, Database: opt, Workers: 2}
	app.opt.Trigger = func(string) error { return nil }
	app.opt.Outbox = &Outbox{}
	at := time.Date(2021, 4, 3, 8, 0, 0, 0, time.UTC)
	app.opt.Outbox.Set([]deliver.Row{
		{ID: 1, Event: "report_published", Month: "2021-03", Version: 1, Channel: "email", Recipient: "ban-chi-dao@example.vn", Status: deliver.Sent, CreatedAt: at},
		{ID: 2, Event: "reminder_due", Month: "2021-03", Ward: "tan-phu-dong", Channel: "email", Recipient: "ke-toan@tan-phu-dong.example", Status: deliver.Failed, CreatedAt: at},
		{ID: 3, Event: "reminder_due", Month: "2021-03", Ward: "tan-quy-tay", Channel: "email", Recipient: "van-phong@tan-quy-tay.example", Status: deliver.Sent, CreatedAt: at},
	}, at)
	cfg.Delivery.Committee = []config.Recipient{{Name: "Ban chỉ đạo", Email: "ban-chi-dao@example.vn"}}
	w.srv = httptest.NewServer(app.Handler())
	t.Cleanup(w.srv.Close)
	return w
}

// as sends a request as user (basic credentials) and returns its status and body.
func (w *wardWorld) as(t *testing.T, user, method, path string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(method, w.srv.URL+path, nil)
	req.SetBasicAuth(user, "mật khẩu phường")
	resp, err := w.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}

// leaks lists what of other wards body shows.
func (w *wardWorld) leaks(body string) []string {
	var found []string
	for _, s := range w.others {
		if strings.Contains(body, s) {
			found = append(found, s)
		}
	}
	return found
}

// TestWardLoginPages: a login limited to Tân Quy Tây sees its own people,
// files and receipts, and nothing of another ward on any page or download:
// other wards' pages, people and units are 404, the city's reports and the
// job runs are refused, the outbox shows its own reminders only, the job
// buttons are refused. The committee's login sees every ward.
func TestWardLoginPages(t *testing.T) {
	w := newWardWorld(t)
	pages := []string{"/", "/?month=2021-03", "/wards", "/wards?month=2021-07&group=1", "/wards/tan-quy-tay", "/wards/tan-quy-tay?month=2021-07&group=3",
		"/wards/tan-phu-dong", "/wards/tan-quy-dong", "/people/TPD-001", "/people/TQT-101", "/units/TPD-UB", "/units/TQT-UB",
		"/quality", "/quality?month=2021-01", "/reports", "/reports/2021-03/v1/bao-cao-2021-03.html", "/runs", "/outbox",
		"/sql", "/sql?q=" + url.QueryEscape("SELECT * FROM citizens"), "/sql.csv?q=" + url.QueryEscape("SELECT * FROM ingest_files"),
		"/wards/tan-quy-tay?lang=en", "/people/TQT-102?month=2021-07&lang=en", "/wards?ward=tan-quy-tay&month=2021-03", "/wards?ward=tan-phu-dong"}
	want := map[string]int{"/wards/tan-phu-dong": 404, "/wards?ward=tan-phu-dong": 404, "/wards/tan-quy-dong": 404, "/people/TPD-001": 404, "/units/TPD-UB": 404,
		"/reports/2021-03/v1/bao-cao-2021-03.html": 403, "/runs": 403}
	seen := ""
	for _, path := range pages {
		code, body := w.as(t, wardLogin, http.MethodGet, path)
		if wc := orStatus(want[path], 200); code != wc {
			t.Errorf("ward login GET %s: %d, want %d\n%.2000s", path, code, wc, body)
		}
		// The page's own address (in its language switch) is what was asked.
		u, _ := url.Parse(path)
		if l := w.leaks(strings.ReplaceAll(body, u.Path, "")); len(l) > 0 {
			t.Errorf("ward login GET %s shows another ward's %q", path, l)
		}
		seen += body
	}
	for _, s := range w.own {
		if !strings.Contains(seen, s) {
			t.Errorf("the ward login's pages never show its own %q", s)
		}
	}
	for _, s := range []string{"BIÊN NHẬN loi.xlsx", "van-phong@tan-quy-tay.example", "Lâm Thị Xuân"} {
		if !strings.Contains(seen, s) {
			t.Errorf("the ward login does not see its own %q", s)
		}
	}
	// Names sort as Vietnamese lists do, as in the report's annex: by the
	// given name, then the whole name, đ after d.
	_, body := w.as(t, wardLogin, http.MethodGet, "/wards/tan-quy-tay")
	last := -1
	for _, name := range []string{"Nguyễn An", "Lê Thị Dung", "Trần Văn Đức", "Lâm Thị Xuân", "Quách Văn Yên"} {
		i := strings.LastIndex(body, ">"+name+"</a>")
		if i < last {
			t.Errorf("%s is listed before the name that should come before it", name)
		}
		last = i
	}
	if code, _ := w.as(t, wardLogin, http.MethodPost, "/jobs/ingest"); code != http.StatusForbidden {
		t.Errorf("a ward login's ingest button: %d, want 403", code)
	}
	// The committee sees every ward, the report's archive and the runs.
	all := ""
	for _, path := range []string{"/wards", "/wards/tan-phu-dong", "/people/TPD-001", "/outbox", "/quality"} {
		code, body := w.as(t, committeeLogin, http.MethodGet, path)
		if code != 200 {
			t.Errorf("committee GET %s: %d", path, code)
		}
		all += body
	}
	if len(w.leaks(all)) < 5 {
		t.Errorf("the committee's pages do not show the other wards (%v): the test would not catch a leak", w.leaks(all))
	}
	// Without its snapshot (a login added since the last transform), a
	// ward login is told so, and never falls back to the full snapshot.
	if err := os.Remove(w.cfg.Paths.WardSnapshot([]string{"tan-quy-tay"})); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/", "/wards", "/wards/tan-quy-tay", "/quality", "/sql", "/sql?q=" + url.QueryEscape("SELECT * FROM citizens"), "/sql.csv?q=" + url.QueryEscape("SELECT * FROM citizens")} {
		code, body := w.as(t, wardLogin, http.MethodGet, path)
		if l := w.leaks(body); len(l) > 0 {
			t.Errorf("without its snapshot, ward login GET %s shows %q", path, l)
		}
		if !strings.Contains(body, "hoctap transform") && !strings.Contains(body, "no snapshot published yet") {
			t.Errorf("without its snapshot, ward login GET %s: %d, does not say why:\n%.1500s", path, code, body)
		}
	}
}

func orStatus(a, b int) int {
	if a != 0 {
		return a
	}
	return b
}

// TestWardConsole: the SQL console of a login limited to Tân Quy Tây reads
// its wards' snapshot only. Every way the console allows to reach another
// ward's rows is tried — the tables directly, catalog-qualified names, the
// catalog functions and information_schema, ATTACH of the full snapshot's
// path, reading the snapshot or the data folder as a file (read_csv,
// read_parquet, read_text, a path in FROM, glob), SET VARIABLE and
// getvariable, COPY, a CSV download — and each is refused or empty.
func TestWardConsole(t *testing.T) {
	w := newWardWorld(t)
	full := w.cfg.Paths.Snapshot
	data := filepath.Dir(w.cfg.Paths.Database)
	empty := []string{
		"SELECT * FROM citizens WHERE ward <> 'tan-quy-tay'",
		"SELECT * FROM citizen_status_monthly WHERE ward <> 'tan-quy-tay'",
		"SELECT * FROM assessments WHERE citizen_id NOT LIKE 'TQT-%'",
		"SELECT * FROM ingest_files WHERE ward IS DISTINCT FROM 'tan-quy-tay'",
		"SELECT * FROM ingest_problems WHERE file_id <> 7",
		"SELECT * FROM progress_monthly WHERE ward IS DISTINCT FROM 'tan-quy-tay'",
		"SELECT * FROM cfg_wards WHERE ward <> 'tan-quy-tay'",
		"SELECT * FROM duckdb_databases() WHERE path LIKE '%hoctap.duckdb' OR database_name NOT IN ('tan-quy-tay', 'system', 'temp')",
		"SELECT * FROM duckdb_tables() WHERE table_name IN ('goal_progress', 'metrics_monthly', 'job_runs', 'raw_citizens')",
		"SELECT * FROM information_schema.tables WHERE table_name IN ('goal_progress', 'metrics_monthly', 'job_runs')",
		"SELECT * FROM duckdb_settings() WHERE value LIKE '%tan-phu-dong%'",
		"SELECT getvariable('ward') AS w WHERE getvariable('ward') IS NOT NULL",
	}
	for _, q := range empty {
		code, body := w.as(t, wardLogin, http.MethodGet, "/sql.csv?q="+url.QueryEscape(q))
		if code != 200 || strings.Count(strings.TrimSpace(body), "\n") != 0 {
			t.Errorf("%s: %d, want a header and no row:\n%.1500s", q, code, body)
		}
	}
	// The ward's own rows are there.
	code, body := w.as(t, wardLogin, http.MethodGet, "/sql.csv?q="+url.QueryEscape("SELECT full_name FROM citizens ORDER BY 1"))
	if code != 200 || body != "full_name\nLâm Thị Xuân\nLê Thị Dung\nNguyễn An\nQuách Văn Yên\nTrần Văn Đức\n" {
		t.Errorf("the ward's own people: %d %q", code, body)
	}
	refused := []string{
		"ATTACH " + store.Literal(full) + " AS full_snapshot (READ_ONLY)",
		"SELECT * FROM " + store.Literal(full),
		"SELECT * FROM read_csv(" + store.Literal(full) + ")",
		"SELECT * FROM read_parquet(" + store.Literal(filepath.Join(data, "*")) + ")",
		"SELECT * FROM read_text(" + store.Literal(full) + ")",
		"SELECT * FROM read_blob(" + store.Literal(w.cfg.Paths.Database) + ")",
		"SELECT * FROM glob(" + store.Literal(filepath.Join(data, "**")) + ")",
		"SELECT * FROM sniff_csv(" + store.Literal(full) + ")",
		"SELECT * FROM hoctap.main.citizens",
		"SELECT * FROM full_snapshot.citizens",
		"SET VARIABLE ward = 'tan-phu-dong'",
		"SET search_path = 'hoctap'",
		"COPY citizens TO '/tmp/x.csv'",
		"COPY (SELECT 1) TO " + store.Literal(filepath.Join(data, "x.csv")),
		"EXPORT DATABASE '/tmp/x'",
		"SELECT * FROM query('SELECT * FROM citizens')",
		"CALL duckdb_databases()",
		"PRAGMA database_list",
		"INSTALL httpfs",
		"SELECT 1; ATTACH " + store.Literal(full) + " AS f",
	}
	for _, q := range refused {
		code, body := w.as(t, wardLogin, http.MethodGet, "/sql?q="+url.QueryEscape(q))
		if code == 200 {
			t.Errorf("%s: 200, want refused:\n%.1500s", q, body)
		}
		if l := w.leaks(body); len(l) > 0 {
			t.Errorf("%s shows another ward's %q", q, l)
		}
	}
	// The console's table list is the ward snapshot's.
	_, body = w.as(t, wardLogin, http.MethodGet, "/sql")
	for _, city := range []string{"goal_progress", "job_runs", "metrics_monthly"} {
		if strings.Contains(body, ">"+city+"<") {
			t.Errorf("the ward console lists %s", city)
		}
	}
	if !strings.Contains(body, "snapshot_scope") {
		t.Error("the ward console does not list snapshot_scope")
	}
	// Another ward's committee-side figures are there for the committee.
	code, body = w.as(t, committeeLogin, http.MethodGet, "/sql.csv?q="+url.QueryEscape("SELECT count(*) AS n FROM citizens WHERE ward = 'tan-phu-dong'"))
	if code != 200 || body != "n\n6\n" {
		t.Errorf("the committee's console: %d %q", code, body)
	}
}

// TestDrillDownAgreesWithReport: the drill-down's figures are the report's —
// for every month of the programme, the city's row and each ward's on
// /wards (every group and each target group) are the rows reports.Load reads
// for the month's report, and a ward's page lists as many people as the
// report counts registered there.
func TestDrillDownAgreesWithReport(t *testing.T) {
	w := newWardWorld(t)
	ctx := context.Background()
	db, err := store.Open(ctx, w.cfg.Paths.Snapshot, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	// The report's numbers first: the app opens the snapshot with settings
	// of its own, which DuckDB refuses while this handle is open.
	data := map[string]*reports.Data{}
	for _, month := range w.app.months() {
		if data[month], err = reports.Load(ctx, db, month, w.cfg.Report.AnnexLimit); err != nil {
			t.Fatal(err)
		}
	}
	// A ward's "close to the title" list is the report annex's, under the
	// same report.close_within (not its default, one indicator's maximum).
	w.cfg.Report.CloseWithin = 4
	closeChecked := 0
	for _, month := range w.app.months() {
		d, err := reports.LoadWith(ctx, db, month, reports.Options{CloseWithin: w.cfg.Report.CloseWithin})
		if err != nil {
			t.Fatal(err)
		}
		want := map[string][]string{}
		for _, n := range d.Close {
			want[n.Ward] = append(want[n.Ward], n.ID)
		}
		for _, ward := range w.cfg.Wards {
			v := &drillView{Month: month}
			if err := w.app.people(ctx, db, v, ward.Code, ""); err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, p := range v.Close {
				got = append(got, p.ID)
			}
			if strings.Join(got, ",") != strings.Join(want[ward.Code], ",") {
				t.Errorf("%s %s: the ward page's close list %v, the report's annex %v", month, ward.Code, got, want[ward.Code])
			}
			closeChecked += len(got)
		}
	}
	t.Logf("close people checked: %d", closeChecked)
	if closeChecked == 0 {
		t.Error("nobody close to the title in any month: the check saw nothing")
	}
	db.Close()
	p := &page{Lang: "vi", cfg: w.cfg}
	checked := 0
	for _, month := range w.app.months() {
		d := data[month]
		pages := map[int]string{}
		for _, pr := range d.Progress {
			if pr.Month != month {
				continue
			}
			group := 0
			switch pr.Level {
			case "city", "ward":
			case "group", "ward_group":
				group = int(pr.Group)
			default:
				continue
			}
			body, ok := pages[group]
			if !ok {
				var code int
				code, body = w.as(t, committeeLogin, http.MethodGet, fmt.Sprintf("/wards?month=%s&group=%d", month, group))
				if code != 200 {
					t.Fatalf("/wards %s group %d: %d", month, group, code)
				}
				pages[group] = body
			}
			name := "<b>Toàn thành phố</b>"
			if pr.Ward != "" {
				name = ">" + p.Ward(pr.Ward) + "</a>"
			}
			row := fmt.Sprintf(`%s</td><td class="r">%s</td><td class="r">%s</td><td class="r">%s</td><td class="r">%s</td>`,
				name, p.Int(pr.Registered), p.Int(pr.Assessed), p.Int(pr.Recognised), p.Int(pr.NotYet))
			if !strings.Contains(body, row) {
				t.Errorf("%s, level %s, ward %q, group %d: /wards lacks the report's row %s", month, pr.Level, pr.Ward, pr.Group, row)
			}
			checked++
			if pr.Level == "ward" {
				_, wp := w.as(t, committeeLogin, http.MethodGet, "/wards/"+pr.Ward+"?month="+month)
				if n := strings.Count(wp, `<a href="/people/`) - strings.Count(strings.SplitN(wp, "Người đăng ký", 2)[0], `<a href="/people/`); n != int(pr.Registered) {
					t.Errorf("%s %s: the ward's page lists %d registrants, the report counts %d", month, pr.Ward, n, pr.Registered)
				}
			}
		}
	}
	if checked < 9*(1+3)*2 {
		t.Errorf("only %d rows of the report checked", checked)
	}
}

// TestWardPacks: a ward login lists and downloads its own ward's packs, and
// never another ward's nor the city's report, however the address is
// written (dot segments, encoded slashes, a doubled slash, another case);
// the committee lists and downloads every ward's pack.
func TestWardPacks(t *testing.T) {
	w := newWardWorld(t)
	dir := filepath.Join(w.cfg.Paths.Reports, "2021-03", "v2")
	content := map[string]string{
		"bao-cao-2021-03.pdf":    "%PDF báo cáo thành phố Bi_mat_TPD.xlsx",
		"bao-cao-2021-03.html":   "<p>báo cáo thành phố Bi_mat_TPD.xlsx</p>",
		"bao-cao-2021-03.xlsx":   "PK bảng Bi_mat_TPD.xlsx",
		"report-2021-03.en.pdf":  "%PDF city report Bi_mat_TPD.xlsx",
		"report-2021-03.en.html": "<p>city report Bi_mat_TPD.xlsx</p>",
		"report-2021-03.en.xlsx": "PK tables Bi_mat_TPD.xlsx",
	}
	for _, code := range []string{"tan-quy-tay", "tan-phu-dong", "tan-quy-dong"} {
		for _, lang := range []string{"vi", "en"} {
			for _, ext := range []string{"pdf", "html"} {
				secret := "PACK " + code
				if code != "tan-quy-tay" {
					secret += " Bi_mat_TPD.xlsx" // what tqt must never see
				}
				content[wardpack.File(code, lang, ext)] = secret + " " + lang
			}
		}
	}
	m := reports.Manifest{Month: "2021-03", Version: 2, Langs: []string{"en", "vi"}, Generated: time.Date(2021, 8, 4, 8, 0, 0, 0, time.UTC)}
	for name, body := range content {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		m.Files = append(m.Files, reports.ManifestFile{Path: name, Bytes: len(body)})
	}
	// A pack of Tân Quy Tây that the manifest does not list is not served.
	os.WriteFile(filepath.Join(dir, "wards", "tan-quy-tay.vi.pdf.bak"), []byte("stray"), 0o600)
	b, _ := json.Marshal(m)
	if err := os.WriteFile(filepath.Join(dir, "manifest.json"), b, 0o600); err != nil {
		t.Fatal(err)
	}

	code, body := w.as(t, wardLogin, http.MethodGet, "/reports")
	if code != 200 || !strings.Contains(body, `href="/reports/2021-03/v2/wards/tan-quy-tay.vi.pdf"`) || !strings.Contains(body, `href="/reports/2021-03/v2/wards/tan-quy-tay.en.html"`) {
		t.Errorf("the ward login's reports page: %d, does not link its packs:\n%.3000s", code, body)
	}
	if strings.Contains(body, "tan-phu-dong") || strings.Contains(body, "tan-quy-dong") || strings.Contains(body, "bao-cao-2021-03") {
		t.Errorf("the ward login's reports page links another ward's pack or the city's report:\n%.3000s", body)
	}
	for _, own := range []string{"/reports/2021-03/v2/wards/tan-quy-tay.vi.pdf", "/reports/2021-03/v2/wards/tan-quy-tay.en.html"} {
		if code, body := w.as(t, wardLogin, http.MethodGet, own); code != 200 || !strings.HasPrefix(body, "PACK tan-quy-tay") {
			t.Errorf("ward login GET %s: %d %q, want its pack", own, code, body)
		}
	}
	tricks := []string{
		"/reports/2021-03/v2/wards/tan-phu-dong.vi.pdf",
		"/reports/2021-03/v2/wards/tan-quy-dong.en.html",
		"/reports/2021-03/v2/bao-cao-2021-03.pdf",
		"/reports/2021-03/v2/report-2021-03.en.html",
		"/reports/2021-03/v2/manifest.json",
		"/reports/2021-03/v2/wards/tan-quy-tay.vi.pdf.bak",
		"/reports/2021-03/v2/wards/../wards/tan-phu-dong.vi.pdf",
		"/reports/2021-03/v2/wards/tan-quy-tay.vi.pdf/../tan-phu-dong.vi.pdf",
		"/reports/2021-03/v2/wards/%2e%2e/bao-cao-2021-03.pdf",
		"/reports/2021-03/v2/wards%2F..%2Fbao-cao-2021-03.pdf",
		"/reports/2021-03/v2/wards%2Ftan-phu-dong.vi.pdf",
		"/reports/2021-03/v2/wards/..%2Fwards%2Ftan-phu-dong.vi.pdf",
		"/reports/2021-03/v2/wards/tan-quy-tay.vi.pdf%2F..%2F..%2Fbao-cao-2021-03.pdf",
		"/reports/2021-03/v2/wards//tan-phu-dong.vi.pdf",
		"/reports/2021-03/v2//wards/tan-phu-dong.vi.pdf",
		"/reports/2021-03/v2/wards/TAN-PHU-DONG.vi.pdf",
		"/reports/2021-03/v2/wards/tan-phu-dong.vi.pdf?ward=tan-quy-tay",
		"/reports/2021-03/v2/wards/tan-quy-tay%00.vi.pdf",
		"/reports/2021-03/v2/wards/.%2Ftan-phu-dong.vi.pdf",
		"/reports/2021-03/v2/%77ards/tan-phu-dong.vi.pdf",
	}
	for _, path := range tricks {
		code, body := w.as(t, wardLogin, http.MethodGet, path)
		if code == 200 || strings.Contains(body, "PACK tan-phu-dong") || strings.Contains(body, "PACK tan-quy-dong") || strings.Contains(body, "thành phố") && strings.Contains(body, "Bi_mat") || w.leaks(body) != nil {
			t.Errorf("ward login GET %s: %d %.300q: want it refused", path, code, body)
		}
	}
	// The committee lists and reads every ward's pack, and the city's report.
	code, body = w.as(t, committeeLogin, http.MethodGet, "/reports")
	for _, want := range []string{"/reports/2021-03/v2/wards/tan-phu-dong.vi.pdf", "/reports/2021-03/v2/wards/tan-quy-dong.en.pdf", "/reports/2021-03/v2/bao-cao-2021-03.pdf"} {
		if code != 200 || !strings.Contains(body, `href="`+want+`"`) {
			t.Errorf("the committee's reports page does not link %s", want)
		}
	}
	for _, path := range []string{"/reports/2021-03/v2/wards/tan-phu-dong.vi.pdf", "/reports/2021-03/v2/bao-cao-2021-03.pdf"} {
		if code, body := w.as(t, committeeLogin, http.MethodGet, path); code != 200 || body != content[strings.TrimPrefix(path, "/reports/2021-03/v2/")] {
			t.Errorf("committee GET %s: %d %q", path, code, body)
		}
	}
}
