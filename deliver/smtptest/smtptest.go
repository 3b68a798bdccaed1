// Package smtptest runs a real SMTP server (github.com/emersion/go-smtp) on
// the loopback, in a test's own process, for the tests of hoctap's delivery:
// it accepts messages and keeps them, answers a recipient with a temporary
// (4xx) or permanent (5xx) failure, holds a message until the test lets it
// go, enforces a size limit (announced, or silently), and can require
// STARTTLS, with a certificate of its own that the test trusts, and AUTH.
// It is a test's peer only: it delivers nothing anywhere.
package smtptest

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/pem"
	"io"
	"math/big"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Options say how the server behaves.
type Options struct {
	// TLS offers STARTTLS with a certificate made for 127.0.0.1 and
	// localhost (CAFile is its PEM, for the client to trust) and refuses
	// MAIL before it.
	TLS bool
	// User and Password, when User is set, are required by AUTH PLAIN before
	// MAIL.
	User, Password string
	// MaxBytes is the size limit the server announces (SIZE) and enforces.
	MaxBytes int64
	// RefuseAbove refuses a larger message at the end of DATA with 552 5.3.4,
	// without announcing any limit.
	RefuseAbove int64
}

// Rule is how the server answers one recipient.
type Rule struct {
	// TempFail answers the first TempFail attempts' RCPT with 451.
	TempFail int
	// PermFail answers every RCPT with 550.
	PermFail bool
	// HoldRcpt holds the first HoldRcpt attempts at RCPT until Release,
	// then answers 421 and closes: the message is never accepted.
	HoldRcpt int
	// HoldAccepted holds the first HoldAccepted messages after their data
	// came in whole until Release, then accepts them.
	HoldAccepted int
}

// Message is a message the server accepted.
type Message struct {
	From string
	To   []string
	Data []byte
	// Header is the message's header, parsed.
	Header mail.Header
}

// Letter is a message taken apart as a mail reader would: its subject
// decoded, its text and HTML parts decoded (with plain line ends), its
// attachments by name.
type Letter struct {
	Subject     string
	Text, HTML  string
	Attachments map[string][]byte
}

// Read takes m apart.
func (m Message) Read() (Letter, error) {
	msg, err := mail.ReadMessage(bytes.NewReader(m.Data))
	if err != nil {
		return Letter{}, err
	}
	var dec mime.WordDecoder
	subj, err := dec.DecodeHeader(msg.Header.Get("Subject"))
	if err != nil {
		return Letter{}, err
	}
	l := Letter{Subject: subj, Attachments: map[string][]byte{}}
	err = l.walk(msg.Header.Get("Content-Type"), msg.Header.Get("Content-Transfer-Encoding"), msg.Header.Get("Content-Disposition"), msg.Body)
	return l, err
}

func (l *Letter) walk(ctype, cte, disp string, body io.Reader) error {
	mt, params, err := mime.ParseMediaType(ctype)
	if err != nil {
		return err
	}
	if strings.HasPrefix(mt, "multipart/") {
		r := multipart.NewReader(body, params["boundary"])
		for {
			part, err := r.NextRawPart()
			if err == io.EOF {
				return nil
			}
			if err != nil {
				return err
			}
			if err := l.walk(part.Header.Get("Content-Type"), part.Header.Get("Content-Transfer-Encoding"), part.Header.Get("Content-Disposition"), part); err != nil {
				return err
			}
		}
	}
	r := body
	switch strings.ToLower(cte) {
	case "quoted-printable":
		r = quotedprintable.NewReader(body)
	case "base64":
		r = base64.NewDecoder(base64.StdEncoding, body)
	}
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	if _, dp, err := mime.ParseMediaType(disp); err == nil && dp["filename"] != "" {
		var dec mime.WordDecoder
		name, _ := dec.DecodeHeader(dp["filename"])
		l.Attachments[name] = b
		return nil
	}
	switch mt {
	case "text/plain":
		l.Text = strings.ReplaceAll(string(b), "\r\n", "\n")
	case "text/html":
		l.HTML = strings.ReplaceAll(string(b), "\r\n", "\n")
	}
	return nil
}

// Server is a running test SMTP server.
type Server struct {
	Host   string // 127.0.0.1
	Port   int
	CAFile string // with Options.TLS: the PEM of the server's certificate

	opt     Options
	srv     *smtp.Server
	mu      sync.Mutex
	rules   map[string]Rule
	tries   map[string]int // RCPT attempts by recipient
	holds   map[string]int // data holds by recipient
	got     []Message
	release chan struct{}
	held    chan string
}

// Start starts a server on a loopback port; the test's end stops it.
func Start(t testing.TB, opt Options) *Server {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{Host: "127.0.0.1", Port: l.Addr().(*net.TCPAddr).Port, opt: opt, rules: map[string]Rule{},
		tries: map[string]int{}, holds: map[string]int{}, release: make(chan struct{}), held: make(chan string, 16)}
	srv := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) { return &session{s: s, c: c}, nil }))
	srv.Domain = "localhost"
	srv.ReadTimeout, srv.WriteTimeout = 30*time.Second, 30*time.Second
	srv.MaxMessageBytes = opt.MaxBytes
	srv.ErrorLog = quietLog{}
	if opt.TLS {
		cert, pemBytes, err := selfSigned()
		if err != nil {
			t.Fatal(err)
		}
		srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
		s.CAFile = filepath.Join(t.TempDir(), "smtptest-ca.pem")
		if err := os.WriteFile(s.CAFile, pemBytes, 0o600); err != nil {
			t.Fatal(err)
		}
	} else {
		srv.AllowInsecureAuth = true
	}
	s.srv = srv
	go srv.Serve(l)
	t.Cleanup(func() {
		s.Release()
		srv.Close()
	})
	return s
}

// Addr is host:port.
func (s *Server) Addr() string { return net.JoinHostPort(s.Host, strconv.Itoa(s.Port)) }

// On sets how the server answers rcpt.
func (s *Server) On(rcpt string, r Rule) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rules[strings.ToLower(rcpt)] = r
}

// Held receives the recipient of each message the server starts to hold.
func (s *Server) Held() <-chan string { return s.held }

func (s *Server) notify(rcpt string) {
	select {
	case s.held <- rcpt:
	default:
	}
}

// Release lets every held message go (and those held later pass at once).
func (s *Server) Release() {
	s.mu.Lock()
	defer s.mu.Unlock()
	select {
	case <-s.release:
	default:
		close(s.release)
	}
}

// Messages are the messages accepted so far, in order.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.got...)
}

// To are the messages accepted so far for rcpt.
func (s *Server) To(rcpt string) []Message {
	var out []Message
	for _, m := range s.Messages() {
		for _, to := range m.To {
			if strings.EqualFold(to, rcpt) {
				out = append(out, m)
			}
		}
	}
	return out
}

// Attempts is how many times a client gave rcpt in RCPT.
func (s *Server) Attempts(rcpt string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.tries[strings.ToLower(rcpt)]
}

type session struct {
	s      *Server
	c      *smtp.Conn
	authed bool
	from   string
	to     []string
}

func (ss *session) AuthMechanisms() []string {
	if ss.s.opt.User == "" {
		return nil
	}
	return []string{sasl.Plain}
}

func (ss *session) Auth(mech string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(identity, user, password string) error {
		if user != ss.s.opt.User || password != ss.s.opt.Password {
			return &smtp.SMTPError{Code: 535, EnhancedCode: smtp.EnhancedCode{5, 7, 8}, Message: "Authentication credentials invalid"}
		}
		ss.authed = true
		return nil
	}), nil
}

func (ss *session) Mail(from string, _ *smtp.MailOptions) error {
	if _, ok := ss.c.TLSConnectionState(); ss.s.opt.TLS && !ok {
		return &smtp.SMTPError{Code: 530, EnhancedCode: smtp.EnhancedCode{5, 7, 0}, Message: "Must issue a STARTTLS command first"}
	}
	if ss.s.opt.User != "" && !ss.authed {
		return &smtp.SMTPError{Code: 530, EnhancedCode: smtp.EnhancedCode{5, 7, 0}, Message: "Authentication required"}
	}
	ss.from = from
	return nil
}

func (ss *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	s := ss.s
	key := strings.ToLower(to)
	s.mu.Lock()
	s.tries[key]++
	n, r := s.tries[key], s.rules[key]
	s.mu.Unlock()
	switch {
	case n <= r.HoldRcpt:
		s.notify(to)
		<-s.release
		ss.c.Conn().Close()
		return &smtp.SMTPError{Code: 421, EnhancedCode: smtp.EnhancedCode{4, 4, 2}, Message: "Connection dropped"}
	case r.PermFail:
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "Mailbox unavailable: no such user here"}
	case n <= r.TempFail:
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "Mailbox busy, try again later"}
	}
	ss.to = append(ss.to, to)
	return nil
}

func (ss *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s := ss.s
	if s.opt.RefuseAbove > 0 && int64(len(b)) > s.opt.RefuseAbove {
		return &smtp.SMTPError{Code: 552, EnhancedCode: smtp.EnhancedCode{5, 3, 4}, Message: "Message too big for system"}
	}
	hold := false
	s.mu.Lock()
	for _, to := range ss.to {
		k := strings.ToLower(to)
		if s.holds[k] < s.rules[k].HoldAccepted {
			s.holds[k]++
			hold = true
		}
	}
	s.mu.Unlock()
	if hold {
		s.notify(strings.Join(ss.to, ","))
		<-s.release
	}
	m := Message{From: ss.from, To: ss.to, Data: b}
	if msg, err := mail.ReadMessage(bytes.NewReader(b)); err == nil {
		m.Header = msg.Header
	}
	s.mu.Lock()
	s.got = append(s.got, m)
	s.mu.Unlock()
	return nil
}

func (ss *session) Reset()        { ss.from, ss.to = "", nil }
func (ss *session) Logout() error { return nil }

// selfSigned makes a certificate for 127.0.0.1 and localhost, and its PEM.
func selfSigned() (tls.Certificate, []byte, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "hoctap smtptest"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true, IsCA: true,
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, DNSNames: []string{"localhost"},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	pemBytes := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, pemBytes, nil
}

type quietLog struct{}

func (quietLog) Printf(string, ...interface{}) {}
func (quietLog) Println(...interface{})        {}
