package web

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/hoctap/hoctap"
	"github.com/hoctap/hoctap/config"
	"github.com/hoctap/hoctap/deliver"
	"github.com/hoctap/hoctap/store"
)

func TestListen(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:0", "192.168.1.10:8080", ":8080", "example.org:80"} {
		if _, err := Listen(addr, false); !errors.Is(err, ErrNoAuth) {
			t.Errorf("Listen(%q) without auth: %v, want ErrNoAuth", addr, err)
		}
	}
	for _, addr := range []string{"127.0.0.1:0", "0.0.0.0:0"} {
		l, err := Listen(addr, addr == "0.0.0.0:0")
		if err != nil {
			t.Fatal(err)
		}
		l.Close()
	}
}

func TestMetricsAndHealth(t *testing.T) {
	m := NewMetrics()
	at := time.Date(2021, 4, 1, 0, 0, 0, 0, time.UTC)
	m.Record(Run{Job: "report", Started: at.Add(-2 * time.Second), Finished: at, CatchUp: true})
	m.Record(Run{Job: "ingest", Started: at.Add(-time.Second), Finished: at, Err: errors.New("the database is in use")})
	m.Files("loaded", 3)
	m.Files("refused", 1)
	app := newApp(t, config.Auth{}, nil)
	app.opt.Metrics = m
	srv := httptest.NewServer(app.Handler())
	defer srv.Close()
	metrics := get(t, srv, "/metrics", "")
	for _, want := range []string{
		`hoctap_job_runs_total{job="report",status="ok"} 1`,
		`hoctap_job_runs_total{job="ingest",status="failed"} 1`,
		`hoctap_job_last_success_timestamp_seconds{job="report"} 1.6172352e+09`,
		`hoctap_files_total{outcome="refused"} 1`,
		`hoctap_job_duration_seconds_count{job="report"} 1`,
	} {
		if !strings.Contains(metrics, want) {
			t.Errorf("/metrics lacks %s:\n%s", want, metrics)
		}
	}
	if strings.Contains(metrics, `hoctap_job_last_success_timestamp_seconds{job="ingest"}`) {
		t.Error("a failed ingest counts as a success")
	}
	// /healthz asks for no login: it says which job is failing, never why
	// (an error can name a ward's file, a file's name a person).
	if code, h := status(t, srv, "/healthz", ""); code != http.StatusServiceUnavailable || !strings.HasPrefix(h, `{"status":"failing"`) ||
		!strings.Contains(h, `"ingest":{"status":"failing"`) || !strings.Contains(h, `"report":{"status":"ok"`) || strings.Contains(h, "database") {
		t.Errorf("/healthz while ingest fails: %d %s", code, h)
	}
	m.Record(Run{Job: "ingest", Started: at, Finished: at.Add(time.Second)})
	if code, h := status(t, srv, "/healthz", ""); code != http.StatusOK || !strings.HasPrefix(h, `{"status":"ok"`) || !strings.Contains(h, `"ingest":{"status":"ok"`) {
		t.Errorf("/healthz once ingest runs well again: %d %s", code, h)
	}
	if r := m.Recent(); len(r) != 3 || r[1].Job != "ingest" || r[1].Err == nil || !r[2].CatchUp {
		t.Errorf("Recent: %+v, want ingest twice then the report", r)
	}
	for i := 0; i < recentRuns+10; i++ {
		m.Record(Run{Job: "ingest", Started: at, Finished: at})
	}
	if n := len(m.Recent()); n != recentRuns {
		t.Errorf("Recent keeps %d runs, want %d", n, recentRuns)
	}
}

// clock is a settable time for the rate limit.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func newApp(t *testing.T, auth config.Auth, c *clock, edit ...func(*config.Config)) *App {
	t.Helper()
	dir := t.TempDir()
	cfg, err := config.Parse(hoctap.DefaultConfig, filepath.Join(dir, "pipeline.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := hoctap.WriteRegister(dir); err != nil {
		t.Fatal(err)
	}
	cfg.Server.Auth = auth
	cfg.Server.LoginFailuresPerMinute = 3
	for _, e := range edit {
		e(cfg)
	}
	opt := Options{Snapshot: &store.Snapshot{Path: filepath.Join(t.TempDir(), "none.duckdb")}}
	if c != nil {
		opt.Now = c.now
	}
	app, err := New(cfg, opt)
	if err != nil {
		t.Fatal(err)
	}
	return app
}

func get(t *testing.T, srv *httptest.Server, path, auth string) string {
	t.Helper()
	code, body := status(t, srv, path, auth)
	if code != http.StatusOK {
		t.Errorf("GET %s: %d", path, code)
	}
	return body
}

func status(t *testing.T, srv *httptest.Server, path, auth string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, srv.URL+path, nil)
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestAuth: with a token and a user configured, pages ask for a login (401,
// the login form) and nothing else; the token and the user's password let a
// request in; wrong ones are counted per address, three a minute here, after
// which even the right one waits until the minute has passed.
func TestAuth(t *testing.T) {
	sum := sha256.Sum256([]byte("s3cret-token"))
	hash, err := bcrypt.GenerateFromPassword([]byte("mật khẩu"), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	c := &clock{t: time.Date(2021, 3, 1, 8, 0, 0, 0, time.UTC)}
	app := newApp(t, config.Auth{TokenSHA256: hex.EncodeToString(sum[:]), Users: []config.User{{Name: "lan", PasswordHash: string(hash)}}}, c)
	srv := httptest.NewServer(app.Handler())
	defer srv.Close()

	for _, path := range []string{"/", "/sql?q=SELECT+full_name+FROM+citizens", "/reports/2021-03/v1/bao-cao-2021-03.html", "/quality", "/runs", "/sql.csv?q=SELECT+1"} {
		code, body := status(t, srv, path, "")
		if code != http.StatusUnauthorized || !strings.Contains(body, `<form class="login" method="post" action="/login">`) {
			t.Errorf("GET %s without a login: %d, want 401 and the login form", path, code)
		}
	}
	if code, _ := status(t, srv, "/healthz", ""); code != http.StatusOK {
		t.Errorf("/healthz asks for a login: %d", code)
	}
	if body := get(t, srv, "/", "Bearer s3cret-token"); !strings.Contains(body, "chưa có bản công bố") {
		t.Errorf("the home page with the token lacks the no-snapshot note:\n%s", body)
	}
	for _, path := range []string{"/quality", "/runs", "/sql"} {
		if body := get(t, srv, path, "Bearer s3cret-token"); !strings.Contains(body, "chưa có bản công bố") {
			t.Errorf("%s without a snapshot lacks the no-snapshot note:\n%s", path, body)
		}
	}
	basic := &http.Request{Header: http.Header{}}
	basic.SetBasicAuth("lan", "mật khẩu")
	get(t, srv, "/runs", basic.Header.Get("Authorization"))

	for i := 0; i < 3; i++ {
		if code, _ := status(t, srv, "/", "Bearer wrong"); code != http.StatusUnauthorized {
			t.Errorf("wrong token %d: %d, want 401", i+1, code)
		}
	}
	if code, _ := status(t, srv, "/", "Bearer s3cret-token"); code != http.StatusTooManyRequests {
		t.Errorf("the right token after 3 failures: %d, want 429", code)
	}
	c.add(20 * time.Second) // one failure's worth refills
	get(t, srv, "/", "Bearer s3cret-token")
	if code, _ := status(t, srv, "/", "Bearer wrong"); code != http.StatusUnauthorized {
		t.Errorf("a failure after the refill: %d, want 401", code)
	}
	if code, _ := status(t, srv, "/", "Bearer s3cret-token"); code != http.StatusTooManyRequests {
		t.Errorf("the bucket is empty again: %d, want 429", code)
	}
	c.add(time.Minute)

	// The login form: a session cookie, then logout ends it.
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.PostForm(srv.URL+"/login", url.Values{"user": {"lan"}, "password": {"mật khẩu"}, "next": {"//evil.example/"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	var session *http.Cookie
	for _, ck := range resp.Cookies() {
		if ck.Name == sessionCookie {
			session = ck
		}
	}
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/" || session == nil || !session.HttpOnly {
		t.Fatalf("login: %d to %q, cookie %v", resp.StatusCode, resp.Header.Get("Location"), session)
	}
	withCookie := func() int {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/runs", nil)
		req.AddCookie(session)
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if code := withCookie(); code != http.StatusOK {
		t.Errorf("with the session: %d", code)
	}
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/logout", nil)
	req.AddCookie(session)
	if resp, err := client.Do(req); err == nil {
		resp.Body.Close()
	}
	if code := withCookie(); code != http.StatusUnauthorized {
		t.Errorf("after logout: %d, want 401", code)
	}
	resp, err = client.PostForm(srv.URL+"/login", url.Values{"user": {"lan"}, "password": {"sai"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized || len(resp.Cookies()) != 0 {
		t.Errorf("a wrong password: %d, cookies %v; want 401 and none", resp.StatusCode, resp.Cookies())
	}
	// A session lasts sessionLife.
	resp, err = client.PostForm(srv.URL+"/login", url.Values{"user": {"lan"}, "password": {"mật khẩu"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	session = resp.Cookies()[0]
	c.add(sessionLife - time.Second)
	if code := withCookie(); code != http.StatusOK {
		t.Errorf("a session just before its end: %d", code)
	}
	c.add(time.Second)
	if code := withCookie(); code != http.StatusUnauthorized {
		t.Errorf("an expired session: %d, want 401", code)
	}
}

// TestGuard: without authentication the app answers only requests for a
// loopback name, and refuses a POST from another site's page.
func TestGuard(t *testing.T) {
	app := newApp(t, config.Auth{}, nil)
	ran := 0
	app.opt.Trigger = func(job string) error { ran++; return nil }
	h := app.Handler()
	for host, want := range map[string]int{"127.0.0.1:8080": 200, "localhost:8080": 200, "[::1]:8080": 200, "attacker.example": 421, "192.168.1.5:8080": 421} {
		req := httptest.NewRequest(http.MethodGet, "/runs", nil)
		req.Host = host
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != want {
			t.Errorf("Host %s: %d, want %d", host, w.Code, want)
		}
	}
	for origin, want := range map[string]int{"http://evil.example": 403, "http://127.0.0.1:8080": 303, "": 303} {
		req := httptest.NewRequest(http.MethodPost, "/jobs/ingest", nil)
		req.Host = "127.0.0.1:8080"
		if origin != "" {
			req.Header.Set("Origin", origin)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != want {
			t.Errorf("POST from %q: %d, want %d", origin, w.Code, want)
		}
	}
	if ran != 2 {
		t.Errorf("the ingest button ran the job %d times, want 2", ran)
	}
	req := httptest.NewRequest(http.MethodPost, "/jobs/backup", nil)
	req.Host = "127.0.0.1"
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	if w.Code != http.StatusNotFound {
		t.Errorf("POST /jobs/backup: %d, want 404: only ingest has a button", w.Code)
	}
}

// TestLanguage: Vietnamese first; ?lang=en switches and is remembered.
func TestLanguage(t *testing.T) {
	app := newApp(t, config.Auth{}, nil)
	srv := httptest.NewServer(app.Handler())
	defer srv.Close()
	if body := get(t, srv, "/runs", ""); !strings.Contains(body, `<html lang="vi">`) || !strings.Contains(body, "<h1>Lần chạy</h1>") || !strings.Contains(body, `href="/runs?lang=en"`) {
		t.Errorf("the default page is not Vietnamese:\n%s", body)
	}
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar}
	for _, path := range []string{"/runs?lang=en", "/runs"} {
		resp, err := client.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if !strings.Contains(string(b), "<h1>Job runs</h1>") || !strings.Contains(string(b), `href="/runs?lang=vi"`) {
			t.Errorf("GET %s after choosing English:\n%s", path, b)
		}
	}
}

func TestSafeNext(t *testing.T) {
	for in, want := range map[string]string{
		"/sql?q=1": "/sql?q=1", "/reports/2021-03/v1/bao-cao-2021-03.pdf": "/reports/2021-03/v1/bao-cao-2021-03.pdf",
		"//evil.example": "/", "https://evil.example": "/", "/\\evil": "/", "": "/", "/login": "/",
		// Browsers drop tabs and line breaks and read '\' as '/': each of
		// these would land on //evil.example.
		"/\t/evil.example": "/", "/\n/evil.example": "/", "/\r\n/evil.example": "/", "/\\/evil.example": "/", "/x\\..\\..\\\\evil": "/",
		"\t//evil.example": "/", " //evil.example": "/", "javascript:alert(1)": "/", "http:/evil.example": "/",
		"/\x00/evil.example": "/", "/\u0085/evil.example": "/",
		"/%09/evil.example": "/%09/evil.example", // stays a path of this site: browsers do not decode it
	} {
		if got := safeNext(in); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestLoginRedirect: after a login, next=/\t/evil.example does not leave the
// site; a path of the site is where the browser goes.
func TestLoginRedirect(t *testing.T) {
	hash, _ := bcrypt.GenerateFromPassword([]byte("mật khẩu"), bcrypt.MinCost)
	app := newApp(t, config.Auth{Users: []config.User{{Name: "lan", PasswordHash: string(hash)}}}, nil)
	srv := httptest.NewServer(app.Handler())
	defer srv.Close()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for next, want := range map[string]string{"/\t/evil.example": "/", "/\\evil.example": "/", "/runs?lang=en": "/runs?lang=en"} {
		resp, err := client.PostForm(srv.URL+"/login", url.Values{"user": {"lan"}, "password": {"mật khẩu"}, "next": {next}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != want {
			t.Errorf("login with next=%q: %d to %q, want %q", next, resp.StatusCode, resp.Header.Get("Location"), want)
		}
	}
}

// TestLoginBurst: 60 wrong passwords sent at once are limited as 60 sent one
// after another: three are checked (server.login_failures_per_minute here),
// the others wait, and so does the right password after them.
func TestLoginBurst(t *testing.T) {
	// The cost hoctap passwd uses: each check takes a while, as it does
	// for an attacker.
	hash, _ := bcrypt.GenerateFromPassword([]byte("mật khẩu"), bcrypt.DefaultCost)
	c := &clock{t: time.Date(2021, 3, 1, 8, 0, 0, 0, time.UTC)}
	app := newApp(t, config.Auth{Users: []config.User{{Name: "lan", PasswordHash: string(hash)}}}, c)
	srv := httptest.NewServer(app.Handler())
	defer srv.Close()
	codes := make(chan int, 60)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := 0; i < 60; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			resp, err := http.PostForm(srv.URL+"/login", url.Values{"user": {"lan"}, "password": {"đoán bừa"}})
			if err != nil {
				codes <- 0
				return
			}
			resp.Body.Close()
			codes <- resp.StatusCode
		}()
	}
	close(start)
	wg.Wait()
	close(codes)
	n := map[int]int{}
	for code := range codes {
		n[code]++
	}
	if n[http.StatusUnauthorized] != 3 || n[http.StatusTooManyRequests] != 57 {
		t.Errorf("60 wrong passwords at once: %v, want 3 checked (401) and 57 waiting (429)", n)
	}
	resp, err := http.PostForm(srv.URL+"/login", url.Values{"user": {"lan"}, "password": {"mật khẩu"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusTooManyRequests {
		t.Errorf("the right password after the burst: %d, want 429", resp.StatusCode)
	}
}

// TestSecureCookie: the session cookie is Secure when the app is served over
// TLS, or behind a TLS proxy the configuration names, and only then.
func TestSecureCookie(t *testing.T) {
	hash, _ := bcrypt.GenerateFromPassword([]byte("mật khẩu"), bcrypt.MinCost)
	auth := config.Auth{Users: []config.User{{Name: "lan", PasswordHash: string(hash)}}}
	login := func(srv *httptest.Server) *http.Cookie {
		client := srv.Client()
		client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
		resp, err := client.PostForm(srv.URL+"/login", url.Values{"user": {"lan"}, "password": {"mật khẩu"}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		for _, c := range resp.Cookies() {
			if c.Name == sessionCookie {
				return c
			}
		}
		t.Fatalf("no session cookie: %d", resp.StatusCode)
		return nil
	}
	plain := httptest.NewServer(newApp(t, auth, nil).Handler())
	defer plain.Close()
	if c := login(plain); c.Secure || !c.HttpOnly || c.SameSite != http.SameSiteStrictMode {
		t.Errorf("over plain HTTP: %+v, want HttpOnly, SameSite=Strict, not Secure", c)
	}
	tlsSrv := httptest.NewTLSServer(newApp(t, auth, nil).Handler())
	defer tlsSrv.Close()
	if c := login(tlsSrv); !c.Secure {
		t.Errorf("over TLS: %+v, want Secure", c)
	}
	proxied := newApp(t, auth, nil, func(cfg *config.Config) { cfg.Server.TLSProxy = true })
	behind := httptest.NewServer(proxied.Handler())
	defer behind.Close()
	if c := login(behind); !c.Secure {
		t.Errorf("behind a TLS proxy: %+v, want Secure", c)
	}
}

// TestOutboxPage: the outbox as the delivery job last read it, in both
// languages, the servers' replies escaped; a button sends the failed and
// deferred messages again, through the scheduler, and only from the app's
// own pages. Without anyone to deliver to, the page says so and the menu
// has no link to it.
func TestOutboxPage(t *testing.T) {
	app := newApp(t, config.Auth{}, nil)
	srv := httptest.NewServer(app.Handler())
	if body := get(t, srv, "/outbox", ""); !strings.Contains(body, "Chưa có ai để gửi") || strings.Contains(get(t, srv, "/runs", ""), `href="/outbox"`) {
		t.Errorf("the outbox page without delivery:\n%s", body)
	}
	srv.Close()

	app = newApp(t, config.Auth{}, nil)
	app.cfg.Delivery.Committee = []config.Recipient{{Name: "Thường trực", Email: "tt@example.vn", Lang: "vi"}}
	var asked []string
	app.opt.Trigger = func(job string) error { asked = append(asked, job); return nil }
	app.opt.Outbox = &Outbox{}
	at := time.Date(2021, 4, 1, 0, 10, 0, 0, time.UTC)
	next := at.Add(5 * time.Minute)
	app.opt.Outbox.Set([]deliver.Row{
		{ID: 3, Event: "report_published", Month: "2021-03", Version: 2, Channel: "email", Recipient: "a@example.vn", RecipientName: "Văn phòng UBND xã",
			Status: deliver.Failed, Attempts: 1, CreatedAt: at, LastError: "RCPT TO: 550 5.1.1 <script>alert(1)</script>"},
		{ID: 2, Event: "reminder_due", Month: "2021-03", Ward: "tan-quy-tay", Channel: "email", Recipient: "b@example.vn",
			Status: deliver.Deferred, Attempts: 2, CreatedAt: at, NextAttempt: &next, LastError: "451 4.3.0 Mailbox busy"},
		{ID: 1, Event: "report_published", Month: "2021-03", Version: 2, Channel: "webhook", Recipient: "https://example.vn/hook",
			Status: deliver.Sent, Attempts: 1, CreatedAt: at, SentAt: &at, Reply: "200 OK"},
	}, at)
	srv = httptest.NewServer(app.Handler())
	defer srv.Close()
	body := get(t, srv, "/outbox", "")
	for _, w := range []string{`href="/outbox" class="on">Thư gửi đi</a>`, "Báo cáo tháng 03/2021, phiên bản 2", "Nhắc gửi số liệu: Tân Quy Tây",
		"lỗi tạm thời, sẽ gửi lại", "01/04/2021 07:15", "&lt;script&gt;alert(1)&lt;/script&gt;", "Gửi lại các thư chưa gửi được (2)", "webhook https://example.vn/hook"} {
		if !strings.Contains(body, w) {
			t.Errorf("the outbox page lacks %q", w)
		}
	}
	if strings.Contains(body, "<script>") {
		t.Error("a server's reply is not escaped")
	}
	if en := get(t, srv, "/outbox?lang=en", ""); !strings.Contains(en, "Report for Mar 2021, version 2") || !strings.Contains(en, "Send the unsent messages again (2)") {
		t.Errorf("the English outbox page:\n%s", en)
	}
	for origin, want := range map[string]int{"http://evil.example": 403, srv.URL: 303} {
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/jobs/resend", nil)
		req.Header.Set("Origin", origin)
		client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want || (want == 303 && resp.Header.Get("Location") != "/outbox?started=resend") {
			t.Errorf("POST /jobs/resend from %s: %d %s, want %d", origin, resp.StatusCode, resp.Header.Get("Location"), want)
		}
	}
	if len(asked) != 1 || asked[0] != "resend" {
		t.Errorf("the button asked the scheduler for %v, want resend once", asked)
	}
}

// TestServeTLS: with server.tls_cert and tls_key, Serve speaks HTTPS, says so
// (Strict-Transport-Security) and marks the session cookie Secure; the
// configured timeouts are the server's.
func TestServeTLS(t *testing.T) {
	dir := t.TempDir()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "127.0.0.1"}, IPAddresses: []net.IP{net.ParseIP("127.0.0.1")},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kb, _ := x509.MarshalECPrivateKey(key)
	certFile, keyFile := filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600)
	os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kb}), 0o600)

	hash, _ := bcrypt.GenerateFromPassword([]byte("mật khẩu"), bcrypt.MinCost)
	app := newApp(t, config.Auth{Users: []config.User{{Name: "lan", PasswordHash: string(hash)}}}, nil, func(cfg *config.Config) {
		cfg.Server.TLSCert, cfg.Server.TLSKey = certFile, keyFile
	})
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- Serve(ctx, l, app.Handler(), app.cfg.Server, time.Second) }()
	defer func() {
		stop()
		<-done
	}()
	pool := x509.NewCertPool()
	pool.AddCert(must(x509.ParseCertificate(der)))
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.PostForm("https://"+l.Addr().String()+"/login", url.Values{"user": {"lan"}, "password": {"mật khẩu"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	var session *http.Cookie
	for _, c := range resp.Cookies() {
		if c.Name == sessionCookie {
			session = c
		}
	}
	if resp.StatusCode != http.StatusSeeOther || session == nil || !session.Secure || resp.Header.Get("Strict-Transport-Security") == "" {
		t.Errorf("a login over HTTPS: %d, cookie %+v, HSTS %q", resp.StatusCode, session, resp.Header.Get("Strict-Transport-Security"))
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
