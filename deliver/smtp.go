package deliver

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/wneessen/go-mail"

	"github.com/hoctap/hoctap/config"
)

// errFileChanged is a file a message should carry that is gone or changed:
// a permanent failure, since sending another file would be wrong.
var errFileChanged = errors.New("a file to attach is missing or changed")

// mailer sends email through the configured server, one connection per
// message: a message never depends on the state another left.
type mailer struct {
	cfg      config.SMTP
	password string
	tls      *tls.Config
}

func newMailer(cfg config.SMTP) (*mailer, error) {
	m := &mailer{cfg: cfg, tls: &tls.Config{ServerName: cfg.Host, MinVersion: tls.VersionTLS12}}
	if cfg.Username != "" {
		p, err := secret("delivery.smtp.password", cfg.PasswordEnv, cfg.PasswordFile)
		if err != nil {
			return nil, err
		}
		m.password = p
	}
	if cfg.CAFile != "" {
		pem, err := os.ReadFile(cfg.CAFile)
		if err != nil {
			return nil, fmt.Errorf("delivery.smtp.ca_file: %w", err)
		}
		pool, err := x509.SystemCertPool()
		if err != nil {
			pool = x509.NewCertPool()
		}
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("delivery.smtp.ca_file: %s holds no PEM certificate", cfg.CAFile)
		}
		m.tls.RootCAs = pool
	}
	return m, nil
}

// client is a go-mail client for one connection.
func (m *mailer) client() (*mail.Client, error) {
	c := m.cfg
	opts := []mail.Option{mail.WithPort(c.Port), mail.WithTimeout(c.Timeout.Duration), mail.WithTLSConfig(m.tls)}
	switch c.Security {
	case config.SecurityTLS:
		opts = append(opts, mail.WithSSL())
	case config.SecurityNone:
		opts = append(opts, mail.WithTLSPolicy(mail.NoTLS))
	default:
		opts = append(opts, mail.WithTLSPolicy(mail.TLSMandatory))
	}
	if c.Username != "" {
		opts = append(opts, mail.WithSMTPAuth(mail.SMTPAuthAutoDiscover), mail.WithUsername(c.Username), mail.WithPassword(m.password))
	}
	return mail.NewClient(c.Host, opts...)
}

// outcome is what one attempt came to.
type outcome struct {
	ok        bool
	temporary bool   // a failure worth another attempt
	server    bool   // the server could not be reached or refused the session: so will it for the next message
	reply     string // the server's reply: on acceptance, or the failure's
	attached  []File
	links     []string
}

// send sends row's message: it connects, composes the message with its
// files attached unless they would make it larger than the configured limit
// or the one the server announces (then with links), and hands it over. A
// server that refuses it as too large gets it again at once with links.
func (m *mailer) send(ctx context.Context, cfg *config.Config, row Row, now time.Time) outcome {
	c, err := m.client()
	if err != nil {
		return outcome{temporary: true, server: true, reply: err.Error()}
	}
	conn, err := c.DialToSMTPClientWithContext(ctx)
	if err != nil {
		return outcome{temporary: true, server: true, reply: "connecting to " + m.cfg.Host + ": " + err.Error()}
	}
	defer c.CloseWithSMTPClient(conn)
	limit := int64(cfg.Delivery.MaxMessageSize)
	if ok, v := conn.Extension("SIZE"); ok {
		if n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64); err == nil && n > 0 && n < limit {
			limit = n
		}
	}
	attach := true
	for {
		how := attachFiles
		if !attach {
			how = linkOversize
		}
		lt, err := compose(cfg, row, how)
		if err != nil {
			return outcome{reply: err.Error()}
		}
		msg, n, err := build(cfg, row, lt, now)
		if err != nil {
			return outcome{reply: err.Error()}
		}
		if attach && len(lt.files) > 0 && n > limit {
			attach = false
			continue
		}
		err = c.SendWithSMTPClient(conn, msg)
		if err == nil {
			return outcome{ok: true, reply: strings.TrimSpace("250 " + msg.ServerResponse()), attached: lt.files, links: lt.links}
		}
		o := classify(err)
		o.attached, o.links = lt.files, lt.links
		var se *mail.SendError
		if attach && len(lt.files) > 0 && errors.As(err, &se) && (se.ErrorCode() == 552 || se.EnhancedStatusCode() == "5.3.4") {
			attach = false // the server's limit is lower than it said, or than ours
			continue
		}
		return o
	}
}

// classify tells a failed send: a 5xx reply is permanent; a 4xx reply, a
// connection lost or timed out, anything else, temporary.
func classify(err error) outcome {
	var se *mail.SendError
	if errors.As(err, &se) {
		code := se.ErrorCode()
		if code >= 500 && code < 600 {
			return outcome{reply: tidy(err)}
		}
	}
	return outcome{temporary: true, reply: tidy(err)}
}

var (
	quotedReply = regexp.MustCompile(`\b([245]\d\d) ("(?:[^"\\]|\\.)*")`)
	messageIDIn = regexp.MustCompile(`, affected message ID: <[^>]*>`)
)

// tidy is an SMTP error as the outbox keeps it: the server's reply as it
// wrote it (Go quotes it), without the Message-ID the row has already, and
// with no control character in it.
func tidy(err error) string {
	s := messageIDIn.ReplaceAllString(err.Error(), "")
	s = quotedReply.ReplaceAllStringFunc(s, func(m string) string {
		code, q, _ := strings.Cut(m, " ")
		if u, err := strconv.Unquote(q); err == nil {
			return code + " " + u
		}
		return m
	})
	return headerText(s)
}

// secret reads a secret from the environment variable env or the file file.
// A file readable by others than its owner and group is refused.
func secret(what, env, file string) (string, error) {
	if env != "" {
		v, ok := os.LookupEnv(env)
		if !ok || v == "" {
			return "", fmt.Errorf("%s_env: the environment variable %s is not set: set it where hoctap runs (for systemd, Environment= or EnvironmentFile= in the unit)", what, env)
		}
		return v, nil
	}
	fi, err := os.Stat(file)
	if err != nil {
		return "", fmt.Errorf("%s_file: %w", what, err)
	}
	if fi.Mode().Perm()&0o004 != 0 {
		return "", fmt.Errorf("%s_file: %s can be read by anyone on this machine: chmod 600 it (or 640 for a group of hoctap's)", what, file)
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return "", fmt.Errorf("%s_file: %w", what, err)
	}
	v := strings.TrimRight(string(b), "\r\n")
	if v == "" {
		return "", fmt.Errorf("%s_file: %s is empty", what, file)
	}
	return v, nil
}
