package main

import (
	"bytes"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestWardLogin, on the real binary and the demo's workspace: hoctap check
// refuses a login limited to a ward that is not configured; with a login
// limited to Tân Quy Tây, transform publishes its wards' snapshot; serve
// shows that login its own ward's people and nobody of another ward on the
// pages, the downloads and the SQL console, whatever the console is asked;
// its session survives a restart of serve, and logging out ends it.
func TestWardLogin(t *testing.T) {
	dir := t.TempDir()
	if r := runHoctap(t, dir, "demo", "--dir", "ws"); r.code != exitOK {
		t.Fatalf("demo: exit %d\n%s", r.code, r.stderr)
	}
	ws := filepath.Join(dir, "ws")
	hash := func(user, password string) string {
		cmd := exec.Command(binary, "passwd", "--user", user)
		cmd.Stdin = strings.NewReader(password + "\n")
		out, err := cmd.Output()
		m := regexp.MustCompile(`password_bcrypt: "(\$2a\$[^"]+)"`).FindSubmatch(out)
		if err != nil || m == nil {
			t.Fatalf("hoctap passwd: %v\n%s", err, out)
		}
		return string(m[1])
	}
	cfg, err := os.ReadFile(filepath.Join(ws, "pipeline.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	write := func(name, users string) {
		t.Helper()
		b := regexp.MustCompile(`(?m)^  auth: \{\}.*$`).ReplaceAllLiteral(cfg, []byte("  auth:\n    users:\n"+users))
		if bytes.Equal(b, cfg) {
			t.Fatal("pipeline.yaml has no server.auth line to replace")
		}
		if err := os.WriteFile(filepath.Join(ws, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	wardHash := hash("tqt", "mật khẩu Tân Quy Tây")
	write("bad.yaml", `      - {name: tqt, password_bcrypt: "`+wardHash+`", wards: [tan-quy-tay, tan-khanh]}`+"\n")
	if r := runHoctap(t, ws, "check", "--config", "bad.yaml"); r.code != exitData || !strings.Contains(r.stderr, `server.auth.users[0].wards[1]: "tan-khanh" is not a ward code of this file`) {
		t.Errorf("check of a login limited to an unknown ward: exit %d\n%s", r.code, r.stderr)
	}
	write("auth.yaml", `      - {name: tqt, password_bcrypt: "`+wardHash+`", wards: [tan-quy-tay]}`+"\n")
	if r := runHoctap(t, ws, "transform", "--config", "auth.yaml"); r.code != exitOK {
		t.Fatalf("transform: exit %d\n%s", r.code, r.stderr)
	}
	if _, err := os.Stat(filepath.Join(ws, "data/published/wards/tan-quy-tay.duckdb")); err != nil {
		t.Fatalf("no ward snapshot: %v", err)
	}
	// What the ward login must never see: the other wards' people, read
	// from the full snapshot.
	r := runHoctap(t, ws, "query", "--format", "csv", "SELECT full_name FROM citizens WHERE ward <> 'tan-quy-tay' UNION ALL SELECT citizen_id FROM citizens WHERE ward <> 'tan-quy-tay'")
	others := strings.Split(strings.TrimSpace(r.stdout), "\n")[1:]
	r = runHoctap(t, ws, "query", "--format", "csv", "SELECT full_name FROM citizens WHERE ward = 'tan-quy-tay' ORDER BY citizen_id")
	own := strings.Split(strings.TrimSpace(r.stdout), "\n")[1:]
	if len(others) < 20 || len(own) < 5 {
		t.Fatalf("the demo has %d names and codes of other wards, %d people in Tân Quy Tây", len(others), len(own))
	}
	leaks := func(body string) []string {
		var found []string
		for _, o := range others {
			if strings.Contains(body, o) {
				found = append(found, o)
			}
		}
		return found
	}

	s := startServe(t, ws, "--config", "auth.yaml", "--listen", "127.0.0.1:0")
	form := url.Values{"user": {"tqt"}, "password": {"mật khẩu Tân Quy Tây"}, "next": {"/"}}
	req, _ := http.NewRequest(http.MethodPost, s.base+"/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	code, h, _ := do(t, req)
	cookie := strings.Split(h.Get("Set-Cookie"), ";")[0]
	if code != http.StatusSeeOther || !strings.HasPrefix(cookie, "hoctap_session=") {
		t.Fatalf("login: %d %v", code, h)
	}
	var seen strings.Builder
	for _, path := range []string{"/", "/wards", "/wards/tan-quy-tay?month=2021-07", "/people/TQT-005?month=2021-07", "/units/TQT-TH", "/quality", "/reports", "/outbox",
		"/sql?q=" + url.QueryEscape("SELECT full_name, ward FROM citizens"),
		"/sql.csv?q=" + url.QueryEscape("SELECT * FROM citizen_status_monthly"),
		"/sql.csv?q=" + url.QueryEscape("SELECT * FROM ingest_problems"),
	} {
		code, body := s.get(t, path, "Cookie", cookie)
		if code != 200 {
			t.Errorf("ward login GET %s: %d", path, code)
		}
		if l := leaks(body); len(l) > 0 {
			t.Errorf("ward login GET %s shows other wards' %q", path, l)
		}
		seen.WriteString(body)
	}
	for _, name := range own {
		if !strings.Contains(seen.String(), name) {
			t.Errorf("the ward login never sees its own %s", name)
		}
	}
	for path, want := range map[string]int{"/wards/tan-phu-dong": 404, "/people/TPD-001": 404, "/runs": 403, "/reports/2021-07/v1/bao-cao-2021-07.pdf": 403} {
		if code, _ := s.get(t, path, "Cookie", cookie); code != want {
			t.Errorf("ward login GET %s: %d, want %d", path, code, want)
		}
	}
	full := filepath.Join(ws, "data/published/hoctap.duckdb")
	for _, q := range []string{
		"ATTACH '" + full + "' AS f (READ_ONLY)",
		"SELECT * FROM '" + full + "'",
		"SELECT * FROM read_csv('" + full + "')",
		"SELECT * FROM glob('" + filepath.Join(ws, "data", "**") + "')",
		"SELECT * FROM hoctap.main.citizens",
		"SET VARIABLE ward = 'tan-phu-dong'",
		"COPY citizens TO '" + filepath.Join(ws, "x.csv") + "'",
	} {
		code, body := s.get(t, "/sql?q="+url.QueryEscape(q), "Cookie", cookie)
		if code == 200 || len(leaks(body)) > 0 {
			t.Errorf("%s: %d, leaks %v", q, code, leaks(body))
		}
	}
	for _, q := range []string{
		"SELECT * FROM citizens WHERE ward <> 'tan-quy-tay'",
		"SELECT * FROM duckdb_tables() WHERE table_name IN ('goal_progress', 'job_runs')",
		"SELECT * FROM information_schema.tables WHERE table_name = 'metrics_monthly'",
	} {
		code, body := s.get(t, "/sql.csv?q="+url.QueryEscape(q), "Cookie", cookie)
		if code != 200 || strings.Count(strings.TrimSpace(body), "\n") != 0 {
			t.Errorf("%s: %d, want no row:\n%.1000s", q, code, body)
		}
	}
	s.stop(t)

	// A restart: the session still works; after logout it does not.
	s = startServe(t, ws, "--config", "auth.yaml", "--listen", "127.0.0.1:0")
	if code, body := s.get(t, "/wards/tan-quy-tay", "Cookie", cookie); code != 200 || !strings.Contains(body, own[0]) {
		t.Errorf("the session after a restart: %d", code)
	}
	req, _ = http.NewRequest(http.MethodPost, s.base+"/logout", nil)
	req.Header.Set("Cookie", cookie)
	do(t, req)
	if code, _ := s.get(t, "/wards/tan-quy-tay", "Cookie", cookie); code != http.StatusUnauthorized {
		t.Errorf("the session after logout: %d, want 401", code)
	}
	s.stop(t)
}
