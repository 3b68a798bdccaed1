package config

import (
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// Delivery is who receives what hoctap sends, and how: each new version of a
// monthly report by email to the committee and the wards' contacts, the
// reminders to the wards that have not sent their data, and signed webhooks.
// Nothing is sent until someone is listed. Secrets are never in the file:
// they are named by the environment variable or the file that holds them.
type Delivery struct {
	SMTP SMTP    `yaml:"smtp"`
	From Mailbox `yaml:"from"`
	// ReplyTo, when set, is where recipients' replies go.
	ReplyTo string `yaml:"reply_to"`
	// PublicURL is the web app's address as recipients reach it: the links
	// to a report too large to attach, https://hoctap.example.vn.
	PublicURL string `yaml:"public_url"`
	// MaxMessageSize is the largest message sent, attachments included as
	// they travel (base64 makes a file a third larger): a report whose files
	// would make it larger is sent as links instead. A mail server that
	// announces a smaller limit (SMTP SIZE) gets links from that limit on.
	MaxMessageSize ByteSize      `yaml:"max_message_size"`
	Retry          DeliveryRetry `yaml:"retry"`
	// Committee receives every new report version.
	Committee []Recipient `yaml:"committee"`
	// Wards are the wards' contacts: each new report version (unless
	// report: false) and their own ward's reminders (unless reminders: false).
	Wards    []WardContact `yaml:"wards"`
	Webhooks []Webhook     `yaml:"webhooks"`
}

// Enabled reports whether anyone is to receive anything.
func (d Delivery) Enabled() bool {
	return len(d.Committee) > 0 || len(d.Wards) > 0 || len(d.Webhooks) > 0
}

// Email reports whether anyone is to receive email.
func (d Delivery) Email() bool { return len(d.Committee) > 0 || len(d.Wards) > 0 }

// SMTP security modes.
const (
	SecuritySTARTTLS = "starttls" // submission port 587: STARTTLS, required
	SecurityTLS      = "tls"      // port 465: TLS from the first byte
	SecurityNone     = "none"     // no encryption: only to a server on this machine
)

// SMTP is the mail server that sends hoctap's messages.
type SMTP struct {
	Host     string `yaml:"host"`
	Port     int    `yaml:"port"`
	Security string `yaml:"security"` // starttls | tls | none
	Username string `yaml:"username"`
	// PasswordEnv names the environment variable that holds the password;
	// PasswordFile, a file that holds it (and nothing else but a final
	// newline), readable by hoctap's user only.
	PasswordEnv  string `yaml:"password_env"`
	PasswordFile string `yaml:"password_file"`
	// Password is refused: a password never belongs in pipeline.yaml.
	Password string `yaml:"password"`
	// CAFile is a PEM file of certificates to trust besides the system's:
	// for a mail server with a certificate of its own organisation.
	CAFile string `yaml:"ca_file"`
	// Timeout bounds connecting and each exchange with the server.
	Timeout Duration `yaml:"timeout"`
}

// Mailbox is an address with the name shown beside it.
type Mailbox struct {
	Email string `yaml:"email"`
	Name  string `yaml:"name"`
}

// Recipient is a person or office that receives the reports.
type Recipient struct {
	Name  string `yaml:"name"`
	Email string `yaml:"email"`
	Lang  string `yaml:"lang"` // vi | en; default city.language
}

// WardContact is the office or person a ward is reached at.
type WardContact struct {
	Ward  string `yaml:"ward"` // a ward code
	Name  string `yaml:"name"`
	Email string `yaml:"email"`
	Lang  string `yaml:"lang"`
	// Report: each new report version (default true). Reminders: the
	// ward's reminders (default true).
	Report    *bool `yaml:"report"`
	Reminders *bool `yaml:"reminders"`
}

// Webhook events.
const (
	EventReportPublished = "report_published"
	EventReminderDue     = "reminder_due"
)

// Webhook is an address that gets a signed JSON POST for each event, so that
// an office can forward it to a messenger.
type Webhook struct {
	URL string `yaml:"url"`
	// SecretEnv or SecretFile holds the key of the HMAC-SHA256 signature.
	SecretEnv  string `yaml:"secret_env"`
	SecretFile string `yaml:"secret_file"`
	// Secret is refused: a key never belongs in pipeline.yaml.
	Secret string `yaml:"secret"`
	// Events: report_published, reminder_due (default both).
	Events  []string `yaml:"events"`
	Timeout Duration `yaml:"timeout"`
}

// Wants reports whether the webhook takes event.
func (w Webhook) Wants(event string) bool {
	for _, e := range w.Events {
		if e == event {
			return true
		}
	}
	return false
}

// DeliveryRetry is the back-off after a temporary failure (a 4xx reply, a
// connection that failed): Backoff, then twice that, and so on up to
// MaxBackoff, Attempts times in all; then the message is marked failed.
type DeliveryRetry struct {
	Attempts   int      `yaml:"attempts"`
	Backoff    Duration `yaml:"backoff"`
	MaxBackoff Duration `yaml:"max_backoff"`
}

// ByteSize is a size in bytes, written as a number of bytes or with a unit:
// 10MB (10,000,000), 10MiB (10,485,760), 512KB.
type ByteSize int64

var sizeUnits = []struct {
	suffix string
	n      int64
}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"B", 1}}

// ParseByteSize reads a size such as 10MB.
func ParseByteSize(s string) (ByteSize, error) {
	t := strings.TrimSpace(s)
	mult := int64(1)
	for _, u := range sizeUnits {
		if strings.HasSuffix(t, u.suffix) {
			t, mult = strings.TrimSpace(strings.TrimSuffix(t, u.suffix)), u.n
			break
		}
	}
	v, err := strconv.ParseFloat(t, 64)
	if err != nil || v < 0 {
		return 0, fmt.Errorf("%q is not a size: expected a number of bytes or a size such as 10MB or 512KiB", s)
	}
	return ByteSize(v * float64(mult)), nil
}

// UnmarshalYAML reads a size such as 10MB.
func (b *ByteSize) UnmarshalYAML(n *yaml.Node) error {
	v, err := ParseByteSize(n.Value)
	if err != nil {
		return typeError(n, err)
	}
	*b = v
	return nil
}

// String writes the size in MB when it is a whole number of them.
func (b ByteSize) String() string {
	if b >= 1e6 && b%1e6 == 0 {
		return fmt.Sprintf("%dMB", b/1e6)
	}
	if b >= 1<<20 && b%(1<<20) == 0 {
		return fmt.Sprintf("%dMiB", b>>20)
	}
	return fmt.Sprintf("%d bytes", int64(b))
}

// resolve makes the delivery's files absolute against dir.
func (d *Delivery) resolve(dir string) {
	abs := func(s *string) {
		if *s != "" && !filepath.IsAbs(*s) {
			*s = filepath.Join(dir, *s)
		}
	}
	abs(&d.SMTP.PasswordFile)
	abs(&d.SMTP.CAFile)
	for i := range d.Webhooks {
		abs(&d.Webhooks[i].SecretFile)
	}
}

// applyDefaults fills what the delivery section leaves out.
func (d *Delivery) applyDefaults(c *Config) {
	m := &d.SMTP
	if m.Security == "" {
		m.Security = SecuritySTARTTLS
	}
	if m.Port == 0 {
		switch m.Security {
		case SecurityTLS:
			m.Port = 465
		case SecurityNone:
			m.Port = 25
		default:
			m.Port = 587
		}
	}
	if m.Timeout.Duration == 0 {
		m.Timeout.Duration = 30 * time.Second
	}
	if d.From.Name == "" {
		d.From.Name = c.City.Organisation
	}
	d.PublicURL = strings.TrimRight(strings.TrimSpace(d.PublicURL), "/")
	if d.MaxMessageSize == 0 {
		d.MaxMessageSize = 10 << 20
	}
	r := &d.Retry
	if r.Attempts == 0 {
		r.Attempts = 8
	}
	durationOr(&r.Backoff, 5*time.Minute)
	durationOr(&r.MaxBackoff, 6*time.Hour)
	lang := c.City.Language
	for i := range d.Committee {
		if d.Committee[i].Lang == "" {
			d.Committee[i].Lang = lang
		}
	}
	for i := range d.Wards {
		if d.Wards[i].Lang == "" {
			d.Wards[i].Lang = lang
		}
	}
	for i := range d.Webhooks {
		w := &d.Webhooks[i]
		if len(w.Events) == 0 {
			w.Events = []string{EventReportPublished, EventReminderDue}
		}
		if w.Timeout.Duration == 0 {
			w.Timeout.Duration = 10 * time.Second
		}
	}
}
