package main

import (
	"bytes"
	"context"
	"encoding/json"
	"image"
	"image/png"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/hoctap/hoctap/config"
	"github.com/hoctap/hoctap/pipeline"
	"github.com/hoctap/hoctap/schedule"
	"github.com/hoctap/hoctap/store"
)

// server is a real hoctap serve the test started.
type server struct {
	cmd    *exec.Cmd
	out    *syncBuffer // standard output and error
	stderr *syncBuffer // standard error alone: the log
	base   string      // http://127.0.0.1:port
}

// startServe starts hoctap serve with args in ws and waits until it says
// where it listens and its scheduler runs (after the reports due at start).
func startServe(t *testing.T, ws string, args ...string) *server {
	t.Helper()
	cmd := exec.Command(binary, append([]string{"serve"}, args...)...)
	cmd.Dir = ws
	out, stderr := &syncBuffer{}, &syncBuffer{}
	cmd.Stdout, cmd.Stderr = out, io.MultiWriter(out, stderr)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s := &server{cmd: cmd, out: out, stderr: stderr}
	t.Cleanup(func() { cmd.Process.Kill() })
	addr := regexp.MustCompile(`the web app is at http://[^ ]*:(\d+)/`)
	for deadline := time.Now().Add(2 * time.Minute); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if m := addr.FindStringSubmatch(out.String()); m != nil && strings.Contains(out.String(), "scheduler started") {
			s.base = "http://127.0.0.1:" + m[1]
			return s
		}
	}
	t.Fatalf("serve did not start:\n%s", out.String())
	return nil
}

// stop sends SIGTERM and expects a clean exit.
func (s *server) stop(t *testing.T) string {
	t.Helper()
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	err := s.cmd.Wait()
	got := s.out.String()
	if err != nil || !strings.Contains(got, "hoctap serve: stopped") {
		t.Errorf("serve after SIGTERM: %v\n%s", err, got)
	}
	return got
}

// do sends a request and returns the response's status, headers and body.
func do(t *testing.T, req *http.Request) (int, http.Header, string) {
	t.Helper()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(b)
}

func (s *server) get(t *testing.T, path string, header ...string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, s.base+path, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	code, _, body := do(t, req)
	return code, body
}

// want fails unless GET path answers code with every string of wants.
func (s *server) want(t *testing.T, path string, code int, wants ...string) string {
	t.Helper()
	got, body := s.get(t, path)
	if got != code {
		t.Errorf("GET %s: %d, want %d:\n%.2000s", path, got, code, body)
	}
	for _, w := range wants {
		if !strings.Contains(body, w) {
			t.Errorf("GET %s lacks %q", path, w)
		}
	}
	return body
}

// checkServe starts the real hoctap serve on the workspace after forgetting
// April's report: at start it renders April as a catch-up. Its web app shows
// the month, the reports, data quality, runs and the SQL console, in
// Vietnamese and English, in a real browser too; a file dropped in an inbox
// and the ingest button get it loaded, transformed and shown; hoctap query
// works meanwhile; SIGTERM stops it cleanly, and the database opens after.
func checkServe(t *testing.T, ws string) {
	t.Helper()
	db, err := store.Open(context.Background(), filepath.Join(ws, "data/hoctap.duckdb"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = db.Exec(`DELETE FROM reports WHERE month = '2021-04'`)
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	s := startServe(t, ws, "--listen", "127.0.0.1:0", "--log-format", "json")
	s.want(t, "/healthz", 200, `"report":{"status":"ok"`)
	// April's catch-up and July, unchanged (and one more only if the test
	// runs across 07:00 on the 8th of a month, city time).
	if m := regexp.MustCompile(`hoctap_job_runs_total\{job="report",status="ok"\} (\d+)`).FindStringSubmatch(s.want(t, "/metrics", 200)); m == nil || atoi(m[1]) < 2 {
		t.Errorf("/metrics: report runs %v, want at least 2", m)
	}

	// The month's figures agree with SQL on the snapshot, which hoctap
	// query reads while serve runs.
	r := runHoctap(t, ws, "query", "--format", "csv", `SELECT registered, recognised FROM progress_monthly WHERE level = 'city' AND month = '2021-07'`)
	if r.code != exitOK {
		t.Fatalf("query while serve runs: exit %d %s", r.code, r.stderr)
	}
	city := strings.Split(strings.Split(strings.TrimSpace(r.stdout), "\n")[1], ",")
	home := s.want(t, "/?month=2021-07", 200, "Tổng quan", "Người đăng ký phấn đấu", "Bảng 1. Các mục tiêu", "Các giai đoạn và mốc của thí điểm",
		`href="/reports/2021-07/v2/bao-cao-2021-07.pdf"`)
	for i, label := range []string{"Người đăng ký phấn đấu", "Người đã được công nhận Công dân học tập"} {
		if !regexp.MustCompile(`<div class="label">` + label + `</div><div class="value">` + city[i] + `</div>`).MatchString(home) {
			t.Errorf("the home page does not show %s = %s as SQL does", label, city[i])
		}
	}
	// The overview's sections are the report's, without its numbers (I., III., VI.), which would skip.
	if !strings.Contains(home, ">TIẾN ĐỘ THỰC HIỆN MỤC TIÊU<") || strings.Contains(home, "III. ") {
		t.Errorf("the home page's sections are not the report's without their numbers")
	}
	// The submissions owed (reports.Missing, which the reminders send too):
	// Tân Quy Tây's mid-term survey, refused.
	s.want(t, "/?month=2021-03", 200, `<tr><td>Tân Quy Tây</td><td>Phiếu đánh giá Công dân học tập</td><td class="c">31/03/2021</td><td class="bad">bị từ chối</td></tr>`)
	s.want(t, "/?month=2021-07&lang=en", 200, "People registered", "Table 1. Goals", `lang="en"`)
	s.want(t, "/reports", 200, "Tháng 04/2021", `href="/reports/2021-03/v2/bao-cao-2021-03.pdf"`, `href="/reports/2021-03/v1/bao-cao-2021-03.pdf"`,
		`href="/reports/2020-11/v1/report-2020-11.en.xlsx"`)
	s.want(t, "/reports/2021-03/v2/bao-cao-2021-03.html", 200, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
	if code, body := s.get(t, "/reports/2021-03/v2/bao-cao-2021-03.pdf"); code != 200 || !strings.HasPrefix(body, "%PDF") {
		t.Errorf("the March PDF: %d", code)
	}
	s.want(t, "/reports/..%2fdata%2fhoctap.json", 404)
	s.want(t, "/quality?month=2021-03", 200, ">TÌNH HÌNH GỬI SỐ LIỆU<", "Tệp bị từ chối đang chờ sửa", "BIÊN NHẬN TỆP", "Nhận các tệp đang chờ ngay")
	s.want(t, "/sql?q="+url.QueryEscape("SELECT count(*) AS so_nguoi FROM citizens"), 200, "<th>so_nguoi</th>", "<td>31</td>")
	s.want(t, "/sql.csv?q="+url.QueryEscape("SELECT 'Tân Quy Đông' AS ward, 31 AS n"), 200, "ward,n\nTân Quy Đông,31\n")
	s.want(t, "/sql?q="+url.QueryEscape("SELECT * FROM read_csv('/etc/passwd')"), 400, "query refused")
	s.want(t, "/sql?q="+url.QueryEscape("DROP TABLE citizens; SELECT 1"), 400, "only a SELECT runs here")
	// The query that made DuckDB abort serve, and the CALL that armed it,
	// are refused by DuckDB's parser, and serve goes on serving.
	for _, q := range []string{"SELECT 1 AS x$y$; CALL enable_logging(storage='file', storage_path='logs'); SELECT 2 AS z$y$",
		"CALL enable_logging(storage='file', storage_path='logs')", `SELECT E'\'' AS a; SELECT 42; SELECT 'x'`} {
		s.want(t, "/sql?q="+url.QueryEscape(q), 400, "query refused")
		s.want(t, "/?month=2021-07", 200, "Người đăng ký phấn đấu")
	}
	s.want(t, "/healthz", 200, `{"status":"ok"`)
	// A query another site's page sends is shown, not run; its CSV is refused.
	count := "/sql?q=" + url.QueryEscape("SELECT count(*) AS so_nguoi FROM citizens")
	if code, body := s.get(t, count, "Sec-Fetch-Site", "cross-site"); code != 200 || strings.Contains(body, "<td>31</td>") || !strings.Contains(body, "đến từ một trang web khác") {
		t.Errorf("a query from another site: %d, ran or said nothing", code)
	}
	if code, _ := s.get(t, "/sql.csv?q="+url.QueryEscape("SELECT 1"), "Referer", "http://evil.example/"); code != http.StatusForbidden {
		t.Errorf("a CSV download from another site: %d, want 403", code)
	}
	s.want(t, "/sql?q="+url.QueryEscape("SELECT TIMESTAMPTZ '2021-03-01 00:00:00+07' AS t"), 200, "<td>2021-03-01 00:00:00&#43;07:00</td>")
	s.want(t, "/sql.csv?q="+url.QueryEscape("SELECT '=1+1' AS f, -3 AS n"), 200, "f,n\n'=1+1,-3\n")
	// A file named like a receipt, dropped in the quarantine, is nobody's
	// receipt; a file dropped into a report's version folder, or left in a
	// hidden one by a stopped run, is not served.
	os.WriteFile(filepath.Join(ws, "data/quarantine/tan-quy-tay/x.receipt.txt"), []byte("BIÊN NHẬN GIẢ"), 0o600)
	os.WriteFile(filepath.Join(ws, "out/reports/2021-03/v2/extra.html"), []byte("<p>not a report</p>"), 0o600)
	os.MkdirAll(filepath.Join(ws, "out/reports/2021-03/.tmp-v3-1"), 0o700)
	os.WriteFile(filepath.Join(ws, "out/reports/2021-03/.tmp-v3-1/bao-cao-2021-03.html"), []byte("<p>half</p>"), 0o600)
	if body := s.want(t, "/quality", 200, "BIÊN NHẬN TỆP"); strings.Contains(body, "BIÊN NHẬN GIẢ") {
		t.Error("/quality shows a receipt ingest did not write")
	}
	s.want(t, "/reports/2021-03/v2/extra.html", 404)
	s.want(t, "/reports/2021-03/.tmp-v3-1/bao-cao-2021-03.html", 404)
	s.want(t, "/reports/2021-03/v2/manifest.json", 200, `"data_fingerprint"`)
	os.Remove(filepath.Join(ws, "data/quarantine/tan-quy-tay/x.receipt.txt"))
	os.Remove(filepath.Join(ws, "out/reports/2021-03/v2/extra.html"))
	req, _ := http.NewRequest(http.MethodGet, s.base+"/", nil)
	req.Host = "attacker.example:80" // a name of someone else's that resolves here
	if code, _, _ := do(t, req); code != http.StatusMisdirectedRequest {
		t.Errorf("a request for another host name: %d, want 421", code)
	}

	// A file dropped in a ward's inbox, picked up at the button's request.
	const name = "Hoat_dong_bo_sung_T07-2021.csv"
	csv := "Ngày,Xã/phường,Loại hoạt động,Nội dung,Số người tham dự,Số giờ\n20/07/2021,P. Tân Quy Đông,Tuyên truyền,Đọc sách cộng đồng,42,2\n"
	if err := os.WriteFile(filepath.Join(ws, "data/inbox/tan-quy-dong", name), []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	req, _ = http.NewRequest(http.MethodPost, s.base+"/jobs/ingest", nil)
	req.Header.Set("Origin", "http://evil.example")
	if code, _, _ := do(t, req); code != http.StatusForbidden {
		t.Errorf("the ingest button from another site: %d, want 403", code)
	}
	req.Header.Set("Origin", s.base)
	if code, h, _ := do(t, req); code != http.StatusSeeOther || h.Get("Location") != "/quality?started=ingest" {
		t.Errorf("the ingest button: %d %s", code, h.Get("Location"))
	}
	var metrics string
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		_, metrics = s.get(t, "/metrics")
		if strings.Contains(metrics, `hoctap_job_runs_total{job="transform",status="ok"} 1`) {
			break
		}
	}
	for _, want := range []string{`hoctap_files_total{outcome="loaded"} 1`, `hoctap_job_runs_total{job="ingest",status="ok"} 1`,
		`hoctap_job_runs_total{job="transform",status="ok"} 1`, `hoctap_job_last_success_timestamp_seconds{job="transform"}`} {
		if !strings.Contains(metrics, want) {
			t.Errorf("/metrics after the dropped file lacks %s:\n%s\n%s", want, metrics, s.out.String())
		}
	}
	s.want(t, "/quality", 200, name, "đã nạp")
	s.want(t, "/runs", 200, "nạp tệp", "tính toán")
	s.want(t, "/sql?q="+url.QueryEscape("SELECT title FROM activities WHERE title = 'Đọc sách cộng đồng'"), 200, "<td>Đọc sách cộng đồng</td>")

	checkBrowser(t, s)
	got := s.stop(t)
	for _, want := range []string{"catch-up report, due 2021-05-08 07:00 of 2021-04", "report 2021-04: version", "scheduler started"} {
		if !strings.Contains(got, want) {
			t.Errorf("serve output lacks %q:\n%s", want, got)
		}
	}
	checkLog(t, s.stderr.String())
	r = runHoctap(t, ws, "ingest") // needs the database for writing
	if r.code != exitOK {
		t.Errorf("ingest after serve stopped: exit %d %s", r.code, r.stderr)
	}
	checkServeAuth(t, ws)
}

// checkLog reads the log of checkServe's serve --log-format json: every line
// is a JSON object with a time, a level and a message, and the lines of the
// runs, the file it loaded and the reports it wrote carry their stable keys.
func checkLog(t *testing.T, log string) {
	t.Helper()
	var lines []map[string]any
	for i, line := range strings.Split(strings.TrimSpace(log), "\n") {
		var v map[string]any
		if err := json.Unmarshal([]byte(line), &v); err != nil {
			t.Errorf("log line %d is not JSON: %v\n%s", i+1, err, line)
			continue
		}
		for _, k := range []string{"time", "level", "msg"} {
			if _, ok := v[k]; !ok {
				t.Errorf("log line %d has no %q: %s", i+1, k, line)
			}
		}
		lines = append(lines, v)
	}
	// find is the first line with msg and the given keys' values; it
	// checks that the line has every one of keys too.
	find := func(msg string, match map[string]any, keys ...string) {
		t.Helper()
		for _, v := range lines {
			if v["msg"] != msg {
				continue
			}
			ok := true
			for k, want := range match {
				ok = ok && v[k] == want
			}
			if !ok {
				continue
			}
			for _, k := range keys {
				if _, has := v[k]; !has {
					t.Errorf("the %q line %v has no %q", msg, v, k)
				}
			}
			if d, ok := v["duration"]; ok {
				if _, num := d.(float64); !num {
					t.Errorf("the %q line's duration %v is not a number of seconds", msg, d)
				}
			}
			return
		}
		t.Errorf("no %q line with %v in the log:\n%s", msg, match, log)
	}
	find("serve started", nil, "listen", "config")
	find("job", map[string]any{"job": "report", "month": "2021-04", "catch_up": true, "level": "INFO"}, "scheduled", "rows", "duration")
	find("report written", map[string]any{"job": "report", "month": "2021-04"}, "version", "files", "dir", "duration")
	find("file loaded", map[string]any{"job": "ingest", "file": "tan-quy-dong/Hoat_dong_bo_sung_T07-2021.csv", "ward": "tan-quy-dong", "rows": 1.0}, "status", "datasets")
	find("job", map[string]any{"job": "ingest", "rows": 1.0}, "duration")
	find("snapshot published", map[string]any{"job": "transform"}, "models", "tests", "rows", "duration")
	find("job", map[string]any{"job": "transform"}, "rows", "duration")
	find("serve stopped", nil)
}

// checkServeAuth serves the workspace on every address with a token and a
// user configured: names are never served without a login, wrong attempts
// are limited, and the token, basic credentials and the login form work.
func checkServeAuth(t *testing.T, ws string) {
	t.Helper()
	r := runHoctap(t, ws, "passwd", "--token")
	token := regexp.MustCompile(`keep it secret\): ([0-9a-f]+)`).FindStringSubmatch(r.stdout)
	tokenHash := regexp.MustCompile(`token_sha256: ([0-9a-f]{64})`).FindStringSubmatch(r.stdout)
	cmd := exec.Command(binary, "passwd", "--user", "chuyenvien")
	cmd.Stdin = strings.NewReader("mật khẩu của phường\n")
	userOut, err := cmd.Output()
	user := regexp.MustCompile(`- \{name: "chuyenvien", password_bcrypt: "(\$2a\$[^"]+)"\}`).FindSubmatch(userOut)
	if token == nil || tokenHash == nil || user == nil || err != nil {
		t.Fatalf("hoctap passwd: %v\n%s\n%s", err, r.stdout, userOut)
	}
	cfg, err := os.ReadFile(filepath.Join(ws, "pipeline.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	auth := "  auth:\n    token_sha256: " + tokenHash[1] + "\n    users:\n      - {name: chuyenvien, password_bcrypt: \"" + string(user[1]) + "\"}"
	cfg = regexp.MustCompile(`(?m)^  auth: \{\}.*$`).ReplaceAllLiteral(cfg, []byte(auth))
	if !bytes.Contains(cfg, []byte(tokenHash[1])) {
		t.Fatal("pipeline.yaml has no server.auth line to replace")
	}
	if err := os.WriteFile(filepath.Join(ws, "auth.yaml"), cfg, 0o644); err != nil {
		t.Fatal(err)
	}
	defer os.Remove(filepath.Join(ws, "auth.yaml"))
	r = runHoctap(t, ws, "query", "--format", "csv", "SELECT full_name FROM citizens ORDER BY citizen_id LIMIT 1")
	person := strings.TrimSpace(strings.Split(r.stdout, "\n")[1])

	s := startServe(t, ws, "--config", "auth.yaml", "--listen", "0.0.0.0:0")
	names := "/sql?q=" + url.QueryEscape("SELECT full_name FROM citizens ORDER BY citizen_id")
	for _, path := range []string{names, "/", "/reports/2021-03/v2/bao-cao-2021-03.html", "/quality"} {
		body := s.want(t, path, http.StatusUnauthorized, "Đăng nhập")
		if strings.Contains(body, person) {
			t.Errorf("GET %s without a login shows %s", path, person)
		}
	}
	s.want(t, "/healthz", 200)
	s.want(t, "/metrics", 200, "hoctap_job_runs_total")
	if code, body := s.get(t, names, "Authorization", "Bearer "+token[1]); code != 200 || !strings.Contains(body, person) {
		t.Errorf("with the token: %d, has %s: %v", code, person, strings.Contains(body, person))
	}
	basic := &http.Request{Header: http.Header{}}
	basic.SetBasicAuth("chuyenvien", "mật khẩu của phường")
	if code, body := s.get(t, names, "Authorization", basic.Header.Get("Authorization")); code != 200 || !strings.Contains(body, person) {
		t.Errorf("with basic credentials: %d", code)
	}
	login := func(password, next string) (int, http.Header) {
		form := url.Values{"user": {"chuyenvien"}, "password": {password}, "next": {next}}
		req, _ := http.NewRequest(http.MethodPost, s.base+"/login", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		code, h, _ := do(t, req)
		return code, h
	}
	code, h := login("mật khẩu của phường", "/sql")
	cookie := h.Get("Set-Cookie")
	if code != http.StatusSeeOther || h.Get("Location") != "/sql" || !strings.Contains(cookie, "hoctap_session=") || !strings.Contains(cookie, "HttpOnly") {
		t.Errorf("login: %d %v", code, h)
	}
	if code, body := s.get(t, names, "Cookie", strings.Split(cookie, ";")[0]); code != 200 || !strings.Contains(body, person) {
		t.Errorf("with the session: %d", code)
	}
	// After a login, a next that a browser would read as another site's
	// address stays on this one.
	for _, next := range []string{"/\t/evil.example", "/\\evil.example", "//evil.example"} {
		if code, h := login("mật khẩu của phường", next); code != http.StatusSeeOther || h.Get("Location") != "/" {
			t.Errorf("login with next=%q: %d to %q, want /", next, code, h.Get("Location"))
		}
	}
	// 60 wrong passwords at once from one address are limited as 60 one
	// after another: five are checked (server.login_failures_per_minute),
	// the rest wait, and then even the right password waits.
	codes := make(chan int, 60)
	var wg sync.WaitGroup
	for i := 0; i < 60; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			code, _ := login("đoán bừa", "/")
			codes <- code
		}()
	}
	wg.Wait()
	close(codes)
	n := map[int]int{}
	for c := range codes {
		n[c]++
	}
	if n[http.StatusUnauthorized] != 5 || n[http.StatusTooManyRequests] != 55 {
		t.Errorf("60 wrong passwords at once: %v, want 5 checked (401), 55 waiting (429)", n)
	}
	if code, h := login("mật khẩu của phường", "/"); code != http.StatusTooManyRequests || h.Get("Retry-After") == "" {
		t.Errorf("after the burst: %d, want 429 with Retry-After", code)
	}
	s.stop(t)
}

// checkBrowser opens the home page and a report in headless Chromium: the
// text it lays out is the Vietnamese the pages hold, and its screenshots are
// full pages of ink (saved to $HOCTAP_SCREENSHOTS when set, to look at).
func checkBrowser(t *testing.T, s *server) {
	t.Helper()
	var browser string
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			browser = p
			break
		}
	}
	if browser == "" {
		t.Fatal("no Chromium: the web pages are checked in a headless browser (apt-get install chromium)")
	}
	profile := t.TempDir()
	run := func(args ...string) []byte {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, browser, append([]string{"--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
			"--no-first-run", "--user-data-dir=" + profile}, args...)...)
		var errb bytes.Buffer
		cmd.Stderr = &errb
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("chromium %v: %v\n%s", args, err, errb.String())
		}
		return out
	}
	for _, p := range []struct {
		path, shot string
		wants      []string
	}{
		{"/?month=2021-03", "home.png", []string{"Tổng quan", "Người đăng ký phấn đấu", "Đủ 31 cá nhân đăng ký", "Khảo sát thực trạng xong"}},
		{"/reports/2021-03/v1/bao-cao-2021-03.html", "report.png", []string{"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "Sa Đéc, ngày 08 tháng 4 năm 2021"}},
	} {
		dom := string(run("--dump-dom", s.base+p.path))
		for _, w := range p.wants {
			if !strings.Contains(dom, w) {
				t.Errorf("Chromium's page %s lacks %q", p.path, w)
			}
		}
		dir := os.Getenv("HOCTAP_SCREENSHOTS")
		if dir == "" {
			dir = t.TempDir()
		}
		shot := filepath.Join(dir, p.shot)
		run("--window-size=1200,1600", "--screenshot="+shot, s.base+p.path)
		checkInk(t, shot)
	}
}

// checkInk fails unless the PNG at path is 1200×1600 and has text on it:
// dark pixels in a fair share of its rows.
func checkInk(t *testing.T, path string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	b := img.Bounds()
	if b.Dx() != 1200 || b.Dy() != 1600 {
		t.Errorf("%s: %v, want 1200×1600", path, b)
	}
	inked := 0
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if dark(img, x, y) {
				inked++
				break
			}
		}
	}
	if inked < b.Dy()/4 {
		t.Errorf("%s: ink on %d of %d rows: a blank page?", path, inked, b.Dy())
	}
}

func dark(img image.Image, x, y int) bool {
	r, g, bl, _ := img.At(x, y).RGBA()
	return r+g+bl < 3*0x4000
}

// checkBackup runs serve's backup job on the workspace for sixteen days: each
// copy of the database opens and holds what the database holds, the archive's
// files are all in backups/archive/ byte for byte and are copied once, and
// the newest schedule.backup.keep (14) copies stay.
func checkBackup(t *testing.T, ws string) {
	t.Helper()
	ctx := context.Background()
	cfg, err := config.LoadFile(filepath.Join(ws, "pipeline.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var out, logs bytes.Buffer
	loc, _ := time.LoadLocation(cfg.City.TimeZone)
	day := time.Date(2021, 4, 1, 2, 0, 0, 0, loc)
	p := pipeline.New(cfg, &out, slog.New(slog.NewTextHandler(&logs, nil)), func() time.Time { return day }, "test")
	for i := 0; i < 16; i++ {
		if err := p.Backup(ctx, schedule.Run{Job: schedule.Backup, Scheduled: day}); err != nil {
			t.Fatalf("backup of %s: %v", day.Format(time.DateOnly), err)
		}
		if i == 0 && !strings.Contains(out.String(), "new archived file(s) copied") {
			t.Errorf("backup output: %s", out.String())
		}
		day = day.AddDate(0, 0, 1)
	}
	copies, _ := filepath.Glob(filepath.Join(cfg.Paths.Backups, "hoctap-*.duckdb"))
	if len(copies) != 14 || filepath.Base(copies[0]) != "hoctap-2021-04-03.duckdb" || filepath.Base(copies[13]) != "hoctap-2021-04-16.duckdb" {
		t.Errorf("backups kept: %v, want 3 to 16 April", copies)
	}
	if !strings.HasSuffix(out.String(), "; 0 new archived file(s) copied\n") {
		t.Errorf("the last backup copied archived files again:\n%s", out.String())
	}
	if n := strings.Count(logs.String(), `msg="backup written" job=backup file=`); n != 16 {
		t.Errorf("%d backup lines in the log, want 16:\n%s", n, logs.String())
	}
	count := func(path string, opt store.Options) (n int) {
		db, err := store.Open(ctx, path, opt)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if err := db.Get(&n, "SELECT count(*) FROM ingest_files"); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if got, want := count(copies[13], store.Options{ReadOnly: true}), count(cfg.Paths.Database, store.Options{}); got != want || want == 0 {
		t.Errorf("the backup holds %d files received, the database %d", got, want)
	}
	archived := 0
	err = filepath.WalkDir(cfg.Paths.Archive, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(cfg.Paths.Archive, path)
		a, _ := os.ReadFile(path)
		b, err := os.ReadFile(filepath.Join(cfg.Paths.Backups, "archive", rel))
		if err != nil || !bytes.Equal(a, b) {
			t.Errorf("backups/archive/%s: %v, or differs", rel, err)
		}
		archived++
		return nil
	})
	if err != nil || archived < 40 {
		t.Errorf("%d archived files (%v), want the demo's", archived, err)
	}
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}
