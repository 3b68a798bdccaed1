package web

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/hoctap/hoctap/config"
)

// TestSessionsSurviveRestart: a session opened with the login form still
// works in a new App over the same workspace (hoctap serve restarted); the
// sessions' file is 0600 and holds no session id; a session logged out, one
// expired, one whose user's password has changed since, and one of a user
// no longer configured do not work after the restart.
func TestSessionsSurviveRestart(t *testing.T) {
	hash := func(pw string) string {
		h, err := bcrypt.GenerateFromPassword([]byte(pw), bcrypt.MinCost)
		if err != nil {
			t.Fatal(err)
		}
		return string(h)
	}
	c := &clock{t: time.Date(2021, 3, 1, 8, 0, 0, 0, time.UTC)}
	users := []config.User{{Name: "lan", PasswordHash: hash("một")}, {Name: "minh", PasswordHash: hash("hai")},
		{Name: "hoa", PasswordHash: hash("ba")}, {Name: "tu", PasswordHash: hash("bốn")}}
	first := newApp(t, config.Auth{Users: users}, c)
	cfg := first.cfg
	srv := httptest.NewServer(first.Handler())
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	login := func(srv *httptest.Server, user, pw string) *http.Cookie {
		t.Helper()
		resp, err := client.PostForm(srv.URL+"/login", url.Values{"user": {user}, "password": {pw}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		for _, ck := range resp.Cookies() {
			if ck.Name == sessionCookie {
				return ck
			}
		}
		t.Fatalf("login %s: %d, no session cookie", user, resp.StatusCode)
		return nil
	}
	code := func(srv *httptest.Server, ck *http.Cookie) int {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/runs", nil)
		req.AddCookie(ck)
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	lan, minh, hoa, tu := login(srv, "lan", "một"), login(srv, "minh", "hai"), login(srv, "hoa", "ba"), login(srv, "tu", "bốn")
	early := login(srv, "lan", "một")
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/logout", nil)
	req.AddCookie(minh)
	if resp, err := client.Do(req); err == nil {
		resp.Body.Close()
	}
	srv.Close()

	file := filepath.Join(filepath.Dir(cfg.Paths.Database), sessionFile)
	fi, err := os.Stat(file)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("%s has mode %v, want 0600", file, fi.Mode().Perm())
	}
	b, _ := os.ReadFile(file)
	for _, ck := range []*http.Cookie{lan, minh, hoa, tu} {
		if strings.Contains(string(b), ck.Value) {
			t.Errorf("the sessions' file holds a session id:\n%s", b)
		}
	}
	if strings.Count(string(b), `"user"`) != 4 {
		t.Errorf("the sessions' file should hold the 4 sessions not logged out:\n%s", b)
	}

	// The restart: hoa's password changed, tu removed, lan's early
	// session has expired by the time it is used.
	cfg.Server.Auth.Users = []config.User{users[0], users[1], {Name: "hoa", PasswordHash: hash("năm")}}
	c.add(time.Hour)
	second, err := New(cfg, first.opt)
	if err != nil {
		t.Fatal(err)
	}
	srv = httptest.NewServer(second.Handler())
	defer srv.Close()
	if got := code(srv, lan); got != http.StatusOK {
		t.Errorf("lan's session after the restart: %d, want 200", got)
	}
	for name, ck := range map[string]*http.Cookie{"minh (logged out)": minh, "hoa (password changed)": hoa, "tu (removed)": tu} {
		if got := code(srv, ck); got != http.StatusUnauthorized {
			t.Errorf("%s's session after the restart: %d, want 401", name, got)
		}
	}
	c.add(sessionLife - time.Hour)
	if got := code(srv, early); got != http.StatusUnauthorized {
		t.Errorf("an expired session after the restart: %d, want 401", got)
	}
	// Expired sessions leave the file at the next write.
	login(srv, "minh", "hai")
	b, _ = os.ReadFile(file)
	if n := strings.Count(string(b), `"user"`); n != 1 {
		t.Errorf("after every earlier session expired, the file holds %d sessions, want 1:\n%s", n, b)
	}

	// A damaged file: the app starts, its users log in again.
	os.WriteFile(file, []byte("{not json"), 0o600)
	third, err := New(cfg, first.opt)
	if err != nil {
		t.Fatalf("a damaged sessions file stops the app: %v", err)
	}
	srv3 := httptest.NewServer(third.Handler())
	defer srv3.Close()
	if got := code(srv3, login(srv3, "lan", "một")); got != http.StatusOK {
		t.Errorf("a login after a damaged sessions file: %d", got)
	}
}
