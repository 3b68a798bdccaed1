// Package web is hoctap serve's web app: the latest month's headline figures,
// goals and timeline; the drill-down from the city to a ward, a unit and a
// person; the archive of every report version; data completeness with the
// refused files' receipts; the job runs; a read-only SQL console on the
// published snapshot, with CSV download; and /healthz and /metrics
// (Prometheus) for whoever watches the server.
//
// Pages are Vietnamese first with an English switch, server-rendered with
// html/template, with no script at all. Every page reads the published
// snapshot, never the pipeline's database, so a running job never blocks them;
// the reports and the receipts are read from their folders, and the outbox
// from what the delivery job last read of it.
//
// Without authentication configured, the app listens only on the loopback and
// answers only requests addressed to it by a loopback name. With it, every page
// but /healthz, /metrics and the login form asks who is asking: personal data
// (names, in the reports' annexes, the receipts and the SQL console) is never
// served to an unauthenticated request. A login limited to wards reads only
// its wards' snapshot, on every page and in the console (see scope.go), and
// sessions are kept in the pipeline's data folder (see sessions.go).
package web

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/hoctap/hoctap/config"
	"github.com/hoctap/hoctap/query"
	"github.com/hoctap/hoctap/reports"
	"github.com/hoctap/hoctap/store"
)

//go:embed templates/*.tmpl templates/style.css
var templateFS embed.FS

//go:embed sql/*.sql
var queries embed.FS

// Options are what an App needs besides the configuration.
type Options struct {
	// Snapshot opens the published snapshot; the serve process shares it with
	// its report job (see store.Snapshot).
	Snapshot *store.Snapshot
	// Queries runs the SQL console's queries, each in a process of its
	// own; nil: the console only lists the tables.
	Queries *query.Runner
	Metrics *Metrics
	// Log is told what a person sees only as a short message: failed pages,
	// queries that stopped their process (nil: nothing is logged).
	Log *slog.Logger
	// Trigger asks the scheduler to run a job now ("ingest", or "resend":
	// the outbox's failed and deferred messages); nil hides the buttons.
	Trigger func(job string) error
	// Outbox is the outbox as the delivery job last read it.
	Outbox  *Outbox
	Now     func() time.Time
	Version string
}

// App is the web app of one workspace.
type App struct {
	cfg   *config.Config
	opt   Options
	auth  *Auth
	loc   *time.Location
	pages map[string]*template.Template

	mu    sync.Mutex
	cache map[string]template.HTML // excerpts of reports, by snapshot, month, language and page
	data  *reports.Data            // the numbers of the month last shown (read-only once loaded)
	gen   string                   // the snapshot they were made from
	// wardSnaps are the ward logins' snapshots, by path (see scope).
	wardSnaps map[string]*store.Snapshot
}

// New makes the app of cfg.
func New(cfg *config.Config, opt Options) (*App, error) {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Metrics == nil {
		opt.Metrics = NewMetrics()
	}
	if opt.Log == nil {
		opt.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	auth, err := NewAuth(cfg.Server.Auth, cfg.Server.LoginFailuresPerMinute, opt.Now, filepath.Join(filepath.Dir(cfg.Paths.Database), sessionFile))
	if auth == nil {
		return nil, err
	}
	if err != nil {
		opt.Log.Warn("sessions not restored", "err", err.Error())
	}
	auth.secure = cfg.Server.TLSProxy
	loc, err := time.LoadLocation(cfg.City.TimeZone)
	if err != nil {
		return nil, fmt.Errorf("web: %w", err)
	}
	pages, err := parsePages()
	if err != nil {
		return nil, err
	}
	return &App{cfg: cfg, opt: opt, auth: auth, loc: loc, pages: pages, cache: map[string]template.HTML{}}, nil
}

// Handler is the app's every route.
func (a *App) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", a.opt.Metrics.metricsHandler())
	mux.HandleFunc("GET /healthz", a.opt.Metrics.health)
	mux.HandleFunc("GET /style.css", a.style)
	mux.HandleFunc("GET /login", a.loginPage)
	mux.HandleFunc("POST /login", a.loginPost)
	mux.HandleFunc("POST /logout", a.logoutPost)

	private := http.NewServeMux()
	private.HandleFunc("GET /{$}", a.home)
	private.HandleFunc("GET /reports", a.reportsPage)
	private.HandleFunc("GET /reports/{file...}", a.reportFile)
	private.HandleFunc("GET /quality", a.quality)
	private.HandleFunc("GET /wards", a.wardsPage)
	private.HandleFunc("GET /wards/{ward}", a.wardPage)
	private.HandleFunc("GET /units/{unit}", a.unitPage)
	private.HandleFunc("GET /people/{id}", a.personPage)
	private.HandleFunc("GET /runs", a.runs)
	private.HandleFunc("GET /outbox", a.outbox)
	private.HandleFunc("GET /sql", a.console)
	private.HandleFunc("GET /sql.csv", a.consoleCSV)
	private.HandleFunc("POST /jobs/{job}", a.trigger)
	mux.Handle("/", a.authenticated(private))
	return a.guard(http.NewCrossOriginProtection().Handler(mux))
}

// guard is what every response gets: hardening headers, and, without
// authentication, an answer only to requests addressed to a loopback name (a
// web page elsewhere cannot reach the app through a name of its own that
// resolves here). Inside it, Go's cross-origin protection refuses a POST
// from another site's page (by Sec-Fetch-Site, else Origin), and the
// console runs no query that another site's page sent (crossSite).
func (a *App) guard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Content-Security-Policy", "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; script-src 'none'; frame-ancestors 'none'")
		if r.TLS != nil {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		if !a.auth.Enabled() && !loopbackHost(r.Host) {
			http.Error(w, "hoctap: this server answers only at a loopback address (127.0.0.1, ::1 or localhost)", http.StatusMisdirectedRequest)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// userKey carries the authenticated user in a request's context.
type userKey struct{}

// authenticated lets a request through when no authentication is configured
// or when it says who it is; others get the login form with 401 (429 when
// their address failed too often).
func (a *App) authenticated(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !a.auth.Enabled() {
			next.ServeHTTP(w, r)
			return
		}
		user, err := a.auth.who(r)
		if user != "" {
			next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), userKey{}, user)))
			return
		}
		status := http.StatusUnauthorized
		var tooMany errTooMany
		if errors.As(err, &tooMany) {
			status = http.StatusTooManyRequests
			w.Header().Set("Retry-After", fmt.Sprint(int(tooMany.wait.Seconds())+1))
		}
		w.Header().Set("WWW-Authenticate", `Bearer realm="hoctap"`)
		a.renderLogin(w, r, status, r.URL.RequestURI(), err != nil)
	})
}

// loopbackHost reports whether a Host header names the loopback.
func loopbackHost(hostport string) bool {
	host, _, err := net.SplitHostPort(hostport)
	if err != nil {
		host = hostport
	}
	host = strings.Trim(host, "[]")
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// ErrNoAuth refuses an address off the loopback without authentication.
var ErrNoAuth = errors.New("web: no authentication configured")

// Listen opens addr. Off the loopback it needs authentication: anyone on the
// network could otherwise read the names in the reports.
func Listen(addr string, auth bool) (net.Listener, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("web: listen %q: %w", addr, err)
	}
	ip := net.ParseIP(host)
	if !auth && host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return nil, fmt.Errorf("%w: hoctap serve không mở %s ra mạng khi chưa cấu hình đăng nhập (server.auth) — "+
			"it listens off this machine only with authentication configured: set server.auth.token_sha256 or server.auth.users "+
			"in pipeline.yaml (hoctap passwd prints the hashes), or listen on 127.0.0.1", ErrNoAuth, addr)
	}
	return net.Listen("tcp", addr)
}

// Serve serves h on l until ctx ends, then shuts down within grace: over
// HTTPS when cfg names a certificate, with cfg's timeouts, so that a client
// that sends slowly, reads slowly or keeps an idle connection open holds it
// only so long.
func Serve(ctx context.Context, l net.Listener, h http.Handler, cfg config.Server, grace time.Duration) error {
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: cfg.ReadTimeout.Duration,
		WriteTimeout: cfg.WriteTimeout.Duration, IdleTimeout: cfg.IdleTimeout.Duration, MaxHeaderBytes: 256 << 10}
	done := make(chan error, 1)
	go func() {
		if cfg.TLSCert != "" {
			done <- srv.ServeTLS(l, cfg.TLSCert, cfg.TLSKey)
			return
		}
		done <- srv.Serve(l)
	}()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), grace)
	defer cancel()
	return srv.Shutdown(sctx)
}
