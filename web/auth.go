package web

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"math"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/bcrypt"
	"golang.org/x/time/rate"

	"github.com/hoctap/hoctap/config"
)

// sessionCookie carries a browser's session after a login.
const (
	sessionCookie = "hoctap_session"
	sessionLife   = 12 * time.Hour
)

// Auth checks who is asking: a session cookie from the login form, a bearer
// token (for scripts and Prometheus) or HTTP basic credentials. The
// configuration holds only hashes — the SHA-256 of the token, each user's
// bcrypt hash — and the secrets stay with the people and scripts that use
// them. Failed attempts are limited per client address.
type Auth struct {
	token  []byte              // SHA-256 of the bearer token; nil: none
	users  map[string][]byte   // name → bcrypt hash
	wards  map[string][]string // name → the wards it is limited to; none: the committee
	now    func() time.Time
	secure bool // browsers reach the app over HTTPS through a proxy: cookies are Secure

	perMinute int
	sessions  *sessions
	mu        sync.Mutex
	failures  map[string]*rate.Limiter // client address → its failed attempts
}

// NewAuth reads the hashes of cfg; failures per minute per client beyond
// perMinute (at least 1) are refused until the minute has passed. Sessions
// are kept in the file sessionPath ("": in memory only); a file that cannot
// be read is reported with the Auth, which starts without its sessions.
func NewAuth(cfg config.Auth, perMinute int, now func() time.Time, sessionPath string) (*Auth, error) {
	ss, sessErr := openSessions(sessionPath, now)
	a := &Auth{users: map[string][]byte{}, wards: map[string][]string{}, now: now, perMinute: max(perMinute, 1),
		sessions: ss, failures: map[string]*rate.Limiter{}}
	if cfg.TokenSHA256 != "" {
		h, err := hex.DecodeString(cfg.TokenSHA256)
		if err != nil || len(h) != sha256.Size {
			return nil, fmt.Errorf("server.auth.token_sha256: expected the 64 hex digits of a SHA-256 hash")
		}
		a.token = h
	}
	for _, u := range cfg.Users {
		if _, err := bcrypt.Cost([]byte(u.PasswordHash)); err != nil {
			return nil, fmt.Errorf("server.auth.users %s: password_bcrypt: %v", u.Name, err)
		}
		a.users[u.Name] = []byte(u.PasswordHash)
		if len(u.Wards) > 0 {
			a.wards[u.Name] = slices.Sorted(slices.Values(u.Wards))
		}
	}
	return a, sessErr
}

// credential is the fingerprint of what user logs in with now: a session
// opened with another (the password changed, the user removed) has ended.
func (a *Auth) credential(user string) string {
	var h []byte
	if user == "token" && a.token != nil {
		h = a.token
	} else if u, ok := a.users[user]; ok {
		h = u
	} else {
		return ""
	}
	sum := sha256.Sum256(h)
	return hex.EncodeToString(sum[:])
}

// Enabled reports whether any credential is configured: without one, every
// request is let in, which Listen allows only on the loopback.
func (a *Auth) Enabled() bool { return a.token != nil || len(a.users) > 0 }

// errTooMany is a client over its limit of failed attempts.
type errTooMany struct{ wait time.Duration }

func (e errTooMany) Error() string {
	return fmt.Sprintf("too many failed attempts: try again in %d s", int(math.Ceil(e.wait.Seconds())))
}

// who returns the user a request is from ("" if none, or when nothing is
// configured), or errTooMany when its client has failed too often.
func (a *Auth) who(r *http.Request) (string, error) {
	if c, err := r.Cookie(sessionCookie); err == nil {
		if s, ok := a.sessions.get(c.Value); ok && s.Credential != "" && s.Credential == a.credential(s.User) {
			return s.User, nil
		}
	}
	h := r.Header.Get("Authorization")
	if h == "" {
		return "", nil
	}
	if tok, ok := strings.CutPrefix(h, "Bearer "); ok {
		return a.check(r, "", tok)
	}
	if user, pass, ok := r.BasicAuth(); ok {
		return a.check(r, user, pass)
	}
	return "", nil
}

// check verifies a user's password, or the token when user is empty, within
// the client's limit of failures. Each attempt takes its failure's place in
// the client's bucket before the (slow) check and gives it back if it was
// right: attempts sent all at once are limited as attempts one after
// another are, and only as many as the limit are ever checked.
func (a *Auth) check(r *http.Request, user, secret string) (string, error) {
	lim := a.limiter(r)
	now := a.now()
	res := lim.ReserveN(now, 1)
	if wait := res.DelayFrom(now); !res.OK() || wait > 0 {
		res.CancelAt(now)
		return "", errTooMany{wait: max(wait, time.Second)}
	}
	if a.valid(user, secret) {
		res.CancelAt(now)
		if user == "" {
			user = "token"
		}
		return user, nil
	}
	return "", nil
}

func (a *Auth) valid(user, secret string) bool {
	if user == "" {
		if a.token == nil {
			return false
		}
		sum := sha256.Sum256([]byte(secret))
		return subtle.ConstantTimeCompare(sum[:], a.token) == 1
	}
	hash, ok := a.users[user]
	if !ok {
		// The same work as for a known name, so that timing does not tell
		// which names exist.
		hash = []byte("$2a$10$6Hk86NYH8SEjJmpAa0FgMeAhta.RuP72LiLiWKeaBm7hsffsGwO7C")
		bcrypt.CompareHashAndPassword(hash, []byte(secret))
		return false
	}
	return bcrypt.CompareHashAndPassword(hash, []byte(secret)) == nil
}

// limiter is the bucket of failed attempts of r's client: perMinute of them,
// refilled over a minute.
func (a *Auth) limiter(r *http.Request) *rate.Limiter {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	lim, ok := a.failures[host]
	if !ok {
		if len(a.failures) > 10000 { // forget clients whose bucket is full again
			now := a.now()
			for k, l := range a.failures {
				if l.TokensAt(now) >= float64(a.perMinute) {
					delete(a.failures, k)
				}
			}
		}
		lim = rate.NewLimiter(rate.Every(time.Minute/time.Duration(a.perMinute)), a.perMinute)
		a.failures[host] = lim
	}
	return lim
}

// login checks a login form's credentials and returns a new session's cookie.
func (a *Auth) login(r *http.Request, user, secret string) (*http.Cookie, error) {
	who, err := a.check(r, user, secret)
	if err != nil || who == "" {
		return nil, err
	}
	b := make([]byte, 32)
	rand.Read(b)
	id := hex.EncodeToString(b)
	if err := a.sessions.add(id, storedSession{User: who, Expires: a.now().Add(sessionLife), Credential: a.credential(who)}); err != nil {
		return nil, err
	}
	return &http.Cookie{Name: sessionCookie, Value: id, Path: "/", HttpOnly: true, SameSite: http.SameSiteStrictMode,
		Secure: a.overTLS(r), MaxAge: int(sessionLife.Seconds())}, nil
}

// overTLS reports whether the browser reached r over HTTPS: served so, or
// through a TLS proxy the configuration names (server.tls_proxy).
func (a *Auth) overTLS(r *http.Request) bool { return r.TLS != nil || a.secure }

// logout ends r's session.
func (a *Auth) logout(r *http.Request) error {
	if c, err := r.Cookie(sessionCookie); err == nil {
		return a.sessions.remove(c.Value)
	}
	return nil
}
