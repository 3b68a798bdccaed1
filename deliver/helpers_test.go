package deliver

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/mail"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hoctap/hoctap"
	"github.com/hoctap/hoctap/config"
	"github.com/hoctap/hoctap/deliver/smtptest"
	"github.com/hoctap/hoctap/reports"
	"github.com/hoctap/hoctap/reports/wardpack"
	"github.com/hoctap/hoctap/store"
)

// workspace is a pipeline's folder with the default pipeline.yaml whose
// delivery section is the test's, and its real DuckDB database, migrated.
type workspace struct {
	dir string
	cfg *config.Config
	db  *store.DB
}

// newWorkspace makes a workspace whose delivery section is delivery (YAML,
// indented under "delivery:"); SMTP is the server srv unless smtp is given.
func newWorkspace(t *testing.T, delivery string) *workspace {
	t.Helper()
	dir := t.TempDir()
	base := string(hoctap.DefaultConfig)
	base = base[:strings.Index(base, "\ndelivery:")]
	path := filepath.Join(dir, "pipeline.yaml")
	if err := os.WriteFile(path, []byte(base+"\ndelivery:\n"+delivery), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.LoadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	ws := &workspace{dir: dir, cfg: cfg}
	ws.open(t)
	return ws
}

func (ws *workspace) open(t *testing.T) {
	t.Helper()
	db, err := store.Open(context.Background(), ws.cfg.Paths.Database, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	ws.db = db
	t.Cleanup(func() { db.Close() })
}

// smtpYAML is the smtp and from keys for srv, with STARTTLS and AUTH when it
// asks for them.
func smtpYAML(srv *smtptest.Server) string {
	s := fmt.Sprintf("  smtp: {host: %s, port: %d", srv.Host, srv.Port)
	if srv.CAFile != "" {
		s += ", security: starttls, ca_file: " + srv.CAFile
	} else {
		s += ", security: none"
	}
	s += ", username: bao-cao@hoikhuyenhoc.example.vn, password_env: HOCTAP_TEST_SMTP_PASSWORD, timeout: 5s}\n"
	return s + "  from: {email: bao-cao@hoikhuyenhoc.example.vn, name: Hội Khuyến học thành phố Sa Đéc}\n" +
		"  public_url: https://hoctap.example.vn\n  retry: {attempts: 3, backoff: 5m, max_backoff: 1h}\n"
}

// startSMTP starts a test server with STARTTLS and AUTH, whose password is
// in the environment the configuration names.
func startSMTP(t *testing.T, opt smtptest.Options) *smtptest.Server {
	t.Helper()
	opt.TLS, opt.User, opt.Password = true, "bao-cao@hoikhuyenhoc.example.vn", "mật-khẩu thử"
	t.Setenv("HOCTAP_TEST_SMTP_PASSWORD", opt.Password)
	return smtptest.Start(t, opt)
}

// clock is a test's time, moved by hand.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func newClock() *clock {
	loc, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
	return &clock{t: time.Date(2021, 4, 1, 7, 5, 0, 0, loc)}
}

// publish writes version v of month's report as Render leaves it — its PDF
// and XLSX in each language (files holds their bodies, by extension), the
// manifest, the reports rows — and returns Render's result, with numbers
// for the headline figures.
func (ws *workspace) publish(t *testing.T, month string, v int, fingerprint string, files map[string][]byte) *reports.Result {
	t.Helper()
	dir := filepath.Join(ws.cfg.Paths.Reports, month, fmt.Sprintf("v%d", v))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	m := reports.Manifest{Month: month, Version: v, Fingerprint: fingerprint, Langs: []string{"en", "vi"}}
	for _, lang := range m.Langs {
		for _, ext := range []string{".pdf", ".xlsx"} {
			name := reports.DocumentFile(month, lang, ext)
			b := files[ext]
			if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
				t.Fatal(err)
			}
			sum := sha256.Sum256(b)
			m.Files = append(m.Files, reports.ManifestFile{Path: name, SHA256: hex.EncodeToString(sum[:]), Bytes: len(b)})
		}
		// Tân Quy Đông's pack, the one ward whose contact takes reports.
		if b, ok := files["pack"]; ok {
			name := wardpack.File("tan-quy-dong", lang, "pdf")
			if err := os.MkdirAll(filepath.Join(dir, filepath.Dir(name)), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
				t.Fatal(err)
			}
			sum := sha256.Sum256(b)
			m.Files = append(m.Files, reports.ManifestFile{Path: name, SHA256: hex.EncodeToString(sum[:]), Bytes: len(b)})
		}
		if _, err := ws.db.Exec(`INSERT INTO reports VALUES (?, ?, ?, ?, ?, 'test', '{}')`, month, v, lang, time.Now(), fingerprint); err != nil {
			t.Fatal(err)
		}
	}
	b, _ := json.Marshal(m)
	if err := os.WriteFile(filepath.Join(dir, "manifest.json"), b, 0o644); err != nil {
		t.Fatal(err)
	}
	prev := "2021-02"
	d := &reports.Data{Month: month, Prev: prev, Progress: []reports.Progress{
		{Month: month, Level: "city", Registered: 31, Assessed: 29, Eligible: 23, EligibleRate: 23.0 / 31, Recognised: 23, RateOfRegistered: 23.0 / 31, Population: 30600, RateOfPopulation: 23.0 / 30600},
		{Month: prev, Level: "city", Registered: 31, Assessed: 12, Eligible: 9, EligibleRate: 9.0 / 31, Recognised: 9, RateOfRegistered: 9.0 / 31, Population: 30600, RateOfPopulation: 9.0 / 30600},
	}}
	return &reports.Result{Month: month, Version: v, Dir: dir, Fingerprint: fingerprint, Data: d}
}

// report files: a small PDF and XLSX, by extension, and a ward's pack
// ("pack").
func smallFiles() map[string][]byte {
	return map[string][]byte{".pdf": []byte("%PDF-1.7\n% báo cáo tháng 3\n%%EOF\n"), ".xlsx": []byte("PK\x03\x04 bảng số liệu"),
		"pack": []byte("%PDF-1.7\n% báo cáo nhanh phường Tân Quy Đông\n%%EOF\n")}
}

// outbox reads every row, oldest first.
func (ws *workspace) outbox(t *testing.T) []Row {
	t.Helper()
	rows, err := List(context.Background(), ws.db, 1000)
	if err != nil {
		t.Fatal(err)
	}
	for i, j := 0, len(rows)-1; i < j; i, j = i+1, j-1 {
		rows[i], rows[j] = rows[j], rows[i]
	}
	return rows
}

// parsed is a received message taken apart.
type parsed struct {
	header mail.Header
	smtptest.Letter
}

// parse takes a message apart as a mail reader would.
func parse(t *testing.T, m smtptest.Message) parsed {
	t.Helper()
	l, err := m.Read()
	if err != nil {
		t.Fatalf("the message does not parse: %v\n%s", err, m.Data)
	}
	return parsed{header: m.Header, Letter: l}
}
