package config

import (
	"fmt"
	"net"
	"net/mail"
	"net/url"
	"regexp"
	"strings"
	"time"
	"unicode"
)

var envNameRe = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// delivery checks the delivery section: addresses that parse, names that
// cannot break a mail header, secrets named and never written, and a mail
// server reached encrypted unless it is on this machine.
func (l *loader) delivery(c *Config) {
	d := c.Delivery
	const p = "delivery"
	for i, r := range d.Committee {
		at := fmt.Sprintf("%s.committee[%d]", p, i)
		l.recipient(at, r.Name, r.Email, r.Lang)
	}
	for i, w := range d.Wards {
		at := fmt.Sprintf("%s.wards[%d]", p, i)
		if _, ok := c.Ward(w.Ward); !ok {
			l.add(at+".ward", "%q is not a ward code of this file%s", w.Ward, l.wardCodes(c))
		}
		l.recipient(at, w.Name, w.Email, w.Lang)
	}
	for i, w := range d.Webhooks {
		at := fmt.Sprintf("%s.webhooks[%d]", p, i)
		l.endpoint(at+".url", w.URL)
		l.secret(at, "secret", w.Secret, w.SecretEnv, w.SecretFile, true)
		for j, e := range w.Events {
			if e != EventReportPublished && e != EventReminderDue {
				l.add(fmt.Sprintf("%s.events[%d]", at, j), "%q: expected report_published or reminder_due", e)
			}
		}
		if w.Timeout.Duration < time.Second {
			l.add(at+".timeout", "%s: expected at least 1s", w.Timeout)
		}
	}
	m := d.SMTP
	l.secret(p+".smtp", "password", m.Password, m.PasswordEnv, m.PasswordFile, m.Username != "")
	if m.Username == "" && (m.PasswordEnv != "" || m.PasswordFile != "") {
		l.add(p+".smtp.username", "required with a password: the name the mail server knows hoctap by")
	}
	if bad := headerUnsafe(m.Username); bad != "" {
		l.add(p+".smtp.username", "%s", bad)
	}
	switch m.Security {
	case SecuritySTARTTLS, SecurityTLS:
	case SecurityNone:
		if m.Host != "" && !loopback(m.Host) {
			l.add(p+".smtp.security", "none sends the password and the reports unencrypted: only to a mail server on this machine (localhost), not to %q; use starttls or tls", m.Host)
		}
	default:
		l.add(p+".smtp.security", "%q: expected starttls, tls or none", m.Security)
	}
	if m.Port < 1 || m.Port > 65535 {
		l.add(p+".smtp.port", "%d: expected a port from 1 to 65535", m.Port)
	}
	if m.Timeout.Duration < time.Second {
		l.add(p+".smtp.timeout", "%s: expected at least 1s", m.Timeout)
	}
	if d.Email() {
		if l.required(p+".smtp.host", m.Host) && strings.ContainsAny(m.Host, " /:@") {
			l.add(p+".smtp.host", "%q: expected a host name or address, without port or scheme (the port is smtp.port)", m.Host)
		}
		l.required(p+".from.email", d.From.Email)
	}
	if d.From.Email != "" {
		l.address(p+".from.email", d.From.Email)
	}
	if bad := headerUnsafe(d.From.Name); bad != "" {
		l.add(p+".from.name", "%s", bad)
	}
	if d.ReplyTo != "" {
		l.address(p+".reply_to", d.ReplyTo)
	}
	if d.Enabled() && l.required(p+".public_url", d.PublicURL) {
		u, err := url.Parse(d.PublicURL)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
			l.add(p+".public_url", "%q: expected the web app's address as recipients reach it, such as https://hoctap.example.vn", d.PublicURL)
		}
	}
	if d.MaxMessageSize < 64<<10 {
		l.add(p+".max_message_size", "%s: expected at least 64KiB", d.MaxMessageSize)
	}
	r := d.Retry
	if r.Attempts < 1 {
		l.add(p+".retry.attempts", "%d: expected at least 1", r.Attempts)
	}
	if r.Backoff.Duration < time.Second {
		l.add(p+".retry.backoff", "%s: expected at least 1s", r.Backoff)
	}
	if r.MaxBackoff.Duration < r.Backoff.Duration {
		l.add(p+".retry.max_backoff", "%s: expected at least retry.backoff, %s", r.MaxBackoff, r.Backoff)
	}
}

// recipient checks one person or office to write to.
func (l *loader) recipient(at, name, email, lang string) {
	if bad := headerUnsafe(name); bad != "" {
		l.add(at+".name", "%s", bad)
	}
	if l.required(at+".email", email) {
		l.address(at+".email", email)
	}
	if lang != "vi" && lang != "en" {
		l.add(at+".lang", "%q: expected vi or en", lang)
	}
}

// address checks a bare email address.
func (l *loader) address(at, email string) {
	a, err := mail.ParseAddress(email)
	if err != nil || a.Address != email || a.Name != "" {
		l.add(at, "%q: expected an email address alone, such as van-phong@example.vn (the name goes in name)", email)
	}
}

// secret checks that a secret is named by an environment variable or a file,
// one of them, and never written in the file itself.
func (l *loader) secret(at, what, literal, env, file string, needed bool) {
	if literal != "" {
		l.add(at+"."+what, "a %s is never written in pipeline.yaml: put it in an environment variable and name it in %s_env, or in a file readable only by hoctap's user and name it in %s_file", what, what, what)
	}
	switch {
	case env != "" && file != "":
		l.add(at+"."+what+"_env", "give %s_env or %s_file, not both", what, what)
	case env == "" && file == "" && needed && literal == "":
		l.add(at+"."+what+"_env", "required: the environment variable that holds the %s (or %s_file, a file that holds it)", what, what)
	}
	if env != "" && !envNameRe.MatchString(env) {
		l.add(at+"."+what+"_env", "%q: expected the name of an environment variable, such as HOCTAP_SMTP_PASSWORD", env)
	}
}

// endpoint checks a webhook's address: https, or http to this machine only.
func (l *loader) endpoint(at, raw string) {
	u, err := url.Parse(raw)
	switch {
	case !l.required(at, raw):
	case err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http"):
		l.add(at, "%q: expected an https:// address", raw)
	case u.User != nil:
		l.add(at, "%q: a password in the address is never written in pipeline.yaml; the signature's secret authenticates hoctap", raw)
	case u.Scheme == "http" && !loopback(u.Hostname()):
		l.add(at, "%q: plain http only to this machine (localhost); use https", raw)
	}
}

// headerUnsafe says why s cannot go into a mail header, or "".
func headerUnsafe(s string) string {
	for _, r := range s {
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
			return fmt.Sprintf("%q holds a control character (a line break, a tab…): names go into mail headers, where one would start another header", s)
		}
	}
	return ""
}

// loopback reports whether host names this machine.
func loopback(host string) bool {
	h := strings.Trim(host, "[]")
	if strings.EqualFold(h, "localhost") {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}
