package web

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/hoctap/hoctap/config"
	"github.com/hoctap/hoctap/query"
	"github.com/hoctap/hoctap/store"
)

// The test binary is the console's query worker when HOCTAP_TEST_WORKER=work,
// as hoctap query-worker is serve's; =abort is a worker that DuckDB aborts.
func TestMain(m *testing.M) {
	switch os.Getenv("HOCTAP_TEST_WORKER") {
	case "work":
		if err := query.Work(context.Background(), os.Stdin, os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(3)
		}
		os.Exit(0)
	case "abort":
		io.Copy(io.Discard, os.Stdin)
		fmt.Fprintln(os.Stderr, "terminate called after throwing an instance of 'duckdb::PermissionException'")
		if self, err := os.FindProcess(os.Getpid()); err == nil {
			self.Signal(syscall.SIGABRT)
		}
		time.Sleep(time.Minute)
	}
	os.Exit(m.Run())
}

// withSnapshot gives app a published snapshot holding the bookkeeping tables
// (real migrations) with setup's rows, and a console that runs queries in
// worker processes.
func withSnapshot(t *testing.T, app *App, setup ...string) {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "published", "hoctap.duckdb")
	db, err := store.Open(ctx, path, store.Options{TimeZone: app.cfg.City.TimeZone})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	for _, s := range setup {
		if _, err := db.ExecContext(ctx, s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
	db.Close()
	opt := store.Options{TimeZone: app.cfg.City.TimeZone, Sandbox: true}
	app.opt.Snapshot = &store.Snapshot{Path: path, Options: opt}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	opt.MemoryLimit = "512MB"
	app.opt.Queries = &query.Runner{Program: exe, Env: []string{"HOCTAP_TEST_WORKER=work"}, Snapshot: path, Database: opt, Workers: 2}
}

func request(t *testing.T, srv *httptest.Server, path string, header ...string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, srv.URL+path, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestConsole: the console runs a query in a worker and shows it; refuses
// what does not only read, the crashing query of issue 14 among them; and
// runs nothing another site's page sent — a link there is shown, to be run
// by pressing Run, and a CSV download from there is refused.
func TestConsole(t *testing.T) {
	app := newApp(t, config.Auth{}, nil)
	withSnapshot(t, app)
	srv := httptest.NewServer(app.Handler())
	defer srv.Close()
	q := "/sql?q=" + url.QueryEscape("SELECT 'Tân Quy Đông' AS ward, TIMESTAMPTZ '2021-03-01 00:00:00+07' AS at")
	for _, h := range [][]string{nil, {"Sec-Fetch-Site", "same-origin"}, {"Sec-Fetch-Site", "none"}, {"Referer", srv.URL + "/sql"}} {
		code, body := request(t, srv, q, h...)
		if code != 200 || !strings.Contains(body, "<td>Tân Quy Đông</td><td>2021-03-01 00:00:00&#43;07:00</td>") {
			t.Errorf("the console with %v: %d\n%.3000s", h, code, body)
		}
	}
	for _, h := range [][]string{{"Sec-Fetch-Site", "cross-site"}, {"Sec-Fetch-Site", "same-site"}, {"Origin", "http://evil.example"},
		{"Referer", "http://evil.example/page"}, {"Origin", "null"}} {
		code, body := request(t, srv, q, h...)
		if code != 200 || strings.Contains(body, "<td>Tân Quy Đông</td>") || !strings.Contains(body, "came from another site") && !strings.Contains(body, "đến từ một trang web khác") ||
			!strings.Contains(body, "SELECT &#39;Tân Quy Đông&#39; AS ward") {
			t.Errorf("the console sent from another site (%v): %d, ran or did not show the query:\n%.3000s", h, code, body)
		}
		if code, _ := request(t, srv, "/sql.csv?q="+url.QueryEscape("SELECT 1"), h...); code != http.StatusForbidden {
			t.Errorf("a CSV download sent from another site (%v): %d, want 403", h, code)
		}
	}
	for sql, want := range map[string]string{
		"SELECT 1 AS x$y$; CALL enable_logging(storage='file', storage_path='logs'); SELECT 2 AS z$y$": "only a SELECT runs here",
		"CALL enable_logging(storage='file', storage_path='logs')":                                     "only a SELECT runs here",
		`SELECT E'\'' AS a; SELECT 42; SELECT 'x'`:                                                     "one statement at a time: found 3",
		"SELECT * FROM read_csv('/etc/passwd')":                                                        "read_csv",
	} {
		code, body := request(t, srv, "/sql?q="+url.QueryEscape(sql))
		if code != http.StatusBadRequest || !strings.Contains(body, want) {
			t.Errorf("%s: %d, lacks %q", sql, code, want)
		}
	}
	// A CSV download neutralises formulas and keeps numbers.
	code, body := request(t, srv, "/sql.csv?q="+url.QueryEscape(`SELECT '=HYPERLINK("http://evil.example")' AS f, -12.5 AS n`))
	if want := "f,n\n\"'=HYPERLINK(\"\"http://evil.example\"\")\",-12.5\n"; code != 200 || body != want {
		t.Errorf("CSV: %d %q, want %q", code, body, want)
	}
}

// TestConsoleLogs: a query whose process DuckDB aborted gets a short error
// page, and the log says what happened in one line: the query's control
// characters (a line feed, an escape) are escaped, and cannot forge a line.
func TestConsoleLogs(t *testing.T) {
	var log bytes.Buffer
	app := newApp(t, config.Auth{}, nil)
	app.opt.Log = slog.New(slog.NewTextHandler(&log, nil))
	withSnapshot(t, app)
	app.opt.Queries.Env = []string{"HOCTAP_TEST_WORKER=abort"}
	srv := httptest.NewServer(app.Handler())
	defer srv.Close()
	code, body := request(t, srv, "/sql?q="+url.QueryEscape("SELECT 1 -- x\nlevel=ERROR msg=forged\x1b[2J"))
	if code != http.StatusInternalServerError || !strings.Contains(body, "the query stopped the process that ran it") || !strings.Contains(body, "nothing else was affected") {
		t.Errorf("a worker that aborts: %d\n%.2000s", code, body)
	}
	if got := log.String(); strings.Count(got, "\n") != 1 || strings.Contains(got, "\x1b") || !strings.Contains(got, `SELECT 1 -- x\nlevel=ERROR msg=forged\x1b[2J`) || !strings.Contains(got, "SIGABRT") {
		t.Errorf("the log:\n%q", got)
	}
	if code, _ := request(t, srv, "/runs"); code != 200 {
		t.Errorf("a page after the aborted worker: %d", code)
	}
}

// TestSlowClient: a client that asks for a 20 MB CSV and reads none of it
// holds nothing of the snapshot: a job that needs it anew (Fresh, as the
// report job opens it) gets it at once, and other pages answer meanwhile.
func TestSlowClient(t *testing.T) {
	app := newApp(t, config.Auth{}, nil, func(cfg *config.Config) { cfg.Database.MaxResultSize = 64e6 })
	withSnapshot(t, app)
	srv := httptest.NewServer(app.Handler())
	defer srv.Close()

	conn, err := net.Dial("tcp", srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if tc, ok := conn.(*net.TCPConn); ok {
		tc.SetReadBuffer(4 << 10) // read as little as the system lets us
	}
	q := url.QueryEscape("SELECT repeat('x', 1000) AS s FROM range(20000)")
	fmt.Fprintf(conn, "GET /sql.csv?q=%s HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", q)
	status, err := bufio.NewReaderSize(conn, 16).ReadString('\n')
	if err != nil || !strings.Contains(status, "200") {
		t.Fatalf("the slow client's answer: %q, %v", status, err)
	}
	// The answer has begun and the client reads no more of its 20 MB.
	time.Sleep(200 * time.Millisecond)

	done := make(chan error, 1)
	go func() {
		db, err := app.opt.Snapshot.Fresh(context.Background())
		if err == nil {
			db.Close()
		}
		done <- err
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("a job's Fresh open of the snapshot waits for the client that does not read")
	}
	pageDone := make(chan int, 1)
	go func() {
		code, _ := request(t, srv, "/runs")
		pageDone <- code
	}()
	select {
	case code := <-pageDone:
		if code != 200 {
			t.Errorf("/runs while the slow client waits: %d", code)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("/runs waits for the client that does not read")
	}
}

// TestQualityReceipts: the data-quality page lists the receipts ingest wrote
// and recorded, read from the quarantine; not a file dropped there with a
// receipt's name, a recorded path that leaves the quarantine, or a receipt
// cleared away. (The page itself: the serve test in cmd/hoctap.)
func TestQualityReceipts(t *testing.T) {
	app := newApp(t, config.Auth{}, nil)
	q := app.cfg.Paths.Quarantine
	os.MkdirAll(filepath.Join(q, "tan-quy-tay"), 0o700)
	os.WriteFile(filepath.Join(q, "tan-quy-tay", "Danh_gia.xlsx.receipt.txt"), []byte("BIÊN NHẬN TỆP — Danh_gia.xlsx: 3 lỗi"), 0o600)
	os.WriteFile(filepath.Join(q, "tan-quy-tay", "x.receipt.txt"), []byte("BIÊN NHẬN GIẢ: gửi mật khẩu về đây"), 0o600)
	secret := filepath.Join(t.TempDir(), "secret.txt")
	os.WriteFile(secret, []byte("KHÔNG ĐƯỢC LỘ"), 0o600)
	rel, _ := filepath.Rel(q, secret)
	withSnapshot(t, app, `INSERT INTO ingest_files (file_id, sha256, original_name, ward, received_at, size_bytes, status, problems, receipt_path) VALUES
		(1, 'a', 'Danh_gia.xlsx', 'tan-quy-tay', TIMESTAMPTZ '2021-03-20 08:00:00+07', 10, 'refused', 3, 'tan-quy-tay/Danh_gia.xlsx.receipt.txt'),
		(2, 'b', 'Secret.xlsx', 'tan-quy-tay', TIMESTAMPTZ '2021-03-21 08:00:00+07', 10, 'refused', 1, '`+filepath.ToSlash(rel)+`'),
		(3, 'c', 'Gone.xlsx', 'tan-quy-tay', TIMESTAMPTZ '2021-03-22 08:00:00+07', 10, 'refused', 1, 'tan-quy-tay/Gone.xlsx.receipt.txt')`)
	var got []quarantined
	if _, err := app.read(context.Background(), func(db *store.DB) (err error) {
		got, err = app.quarantine(context.Background(), db)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Name != "Danh_gia.xlsx" || got[0].Receipt != "BIÊN NHẬN TỆP — Danh_gia.xlsx: 3 lỗi" {
		t.Errorf("the receipts listed: %+v, want only the one ingest recorded", got)
	}
}
