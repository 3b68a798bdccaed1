package deliver

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/hoctap/hoctap/config"
)

// Webhook headers. The signature is Stripe's scheme: t is the Unix time of
// the attempt, v1 the hex HMAC-SHA256, keyed by the webhook's secret, of the
// time, a full stop and the body. A receiver recomputes it, compares in
// constant time, and refuses a t far from its clock (a replay).
const (
	HeaderSignature = "X-Hoctap-Signature"
	HeaderEvent     = "X-Hoctap-Event"
	HeaderDelivery  = "X-Hoctap-Delivery" // the row's message id: the same on every attempt
)

// Sign is the X-Hoctap-Signature of body sent at t with secret.
func Sign(secret []byte, t time.Time, body []byte) string {
	ts := strconv.FormatInt(t.Unix(), 10)
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte(ts))
	mac.Write([]byte("."))
	mac.Write(body)
	return "t=" + ts + ",v1=" + hex.EncodeToString(mac.Sum(nil))
}

// hookBody is a webhook's JSON.
type hookBody struct {
	Event        string              `json:"event"`
	ID           string              `json:"id"`
	City         string              `json:"city"`
	Organisation string              `json:"organisation"`
	Month        string              `json:"month"`
	Version      int                 `json:"version,omitempty"`
	Replaces     int                 `json:"replaces,omitempty"`
	Ward         *hookWard           `json:"ward,omitempty"`
	At           *time.Time          `json:"at,omitempty"`
	ReportAt     *time.Time          `json:"report_at,omitempty"`
	Headline     map[string][]Figure `json:"headline,omitempty"`
	Items        []reminderItem      `json:"items,omitempty"`
	Files        []hookFile          `json:"files,omitempty"`
	// Subject and Text are the message in each language, ready to forward.
	Subject map[string]string `json:"subject"`
	Text    map[string]string `json:"text"`
}

type hookWard struct {
	Code   string `json:"code"`
	Name   string `json:"name"`
	NameEN string `json:"name_en"`
}

type hookFile struct {
	Kind   string `json:"kind"`
	Name   string `json:"name"`
	Bytes  int64  `json:"bytes"`
	SHA256 string `json:"sha256"`
	URL    string `json:"url"`
}

// hookJSON is the body of a webhook row.
func hookJSON(cfg *config.Config, row Row) ([]byte, error) {
	b := hookBody{Event: row.Event, ID: row.MessageID, City: cfg.City.Name, Organisation: cfg.City.Organisation, Month: row.Month,
		Subject: map[string]string{}, Text: map[string]string{}}
	var files []File
	switch row.Event {
	case config.EventReportPublished:
		var p reportPayload
		if err := json.Unmarshal([]byte(row.Payload), &p); err != nil {
			return nil, err
		}
		b.Version, b.Replaces, b.Headline, files = p.Version, p.Replaces, p.Headline, p.Files
	case config.EventReminderDue:
		var p reminderPayload
		if err := json.Unmarshal([]byte(row.Payload), &p); err != nil {
			return nil, err
		}
		b.Ward = &hookWard{Code: p.Ward, Name: wardName(cfg, p.Ward, "vi"), NameEN: wardName(cfg, p.Ward, "en")}
		b.At, b.ReportAt, b.Items, files = &p.At, &p.Report, p.Items, p.Files
	}
	for _, f := range files {
		b.Files = append(b.Files, hookFile{Kind: f.Kind, Name: f.Name, Bytes: f.Bytes, SHA256: f.SHA256, URL: fileURL(cfg.Delivery.PublicURL, f)})
	}
	for _, lang := range []string{"vi", "en"} {
		r := row
		r.Lang, r.RecipientName = lang, ""
		lt, err := compose(cfg, r, linkFiles)
		if err != nil {
			return nil, err
		}
		b.Subject[lang], b.Text[lang] = lt.subject, lt.text
	}
	return json.Marshal(b)
}

// WebhookName is how the outbox, its page and the logs name a webhook: its
// scheme and host and a hash of the whole address. Many services put the key
// of a webhook in its path (…/hooks/T0/B0/XXXX), and the outbox is shown on
// the web and copied into the snapshot: the address itself stays in
// pipeline.yaml.
func WebhookName(raw string) string {
	sum := sha256.Sum256([]byte(raw))
	host := raw
	if u, err := url.Parse(raw); err == nil {
		host = u.Scheme + "://" + u.Host
	}
	return host + "/… #" + hex.EncodeToString(sum[:4])
}

// poster posts webhooks.
type poster struct {
	secrets map[string][]byte // by URL
	client  func(timeout time.Duration) *http.Client
}

func newPoster(hooks []config.Webhook) (*poster, error) {
	p := &poster{secrets: map[string][]byte{}, client: func(timeout time.Duration) *http.Client {
		return &http.Client{Timeout: timeout, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	}}
	for i, w := range hooks {
		s, err := secret(fmt.Sprintf("delivery.webhooks[%d].secret", i), w.SecretEnv, w.SecretFile)
		if err != nil {
			return nil, err
		}
		p.secrets[w.URL] = []byte(s)
	}
	return p, nil
}

// post sends row's webhook, signed, and tells what came of it: a 2xx is
// accepted; 408, 425, 429, a 5xx or a connection that failed are temporary;
// any other answer (a redirect, which is not followed, a 4xx) is permanent.
func (p *poster) post(ctx context.Context, cfg *config.Config, row Row, now time.Time) outcome {
	var hook *config.Webhook
	for i, w := range cfg.Delivery.Webhooks {
		if WebhookName(w.URL) == row.Recipient {
			hook = &cfg.Delivery.Webhooks[i]
		}
	}
	if hook == nil {
		return outcome{reply: "this webhook is no longer in pipeline.yaml's delivery.webhooks"}
	}
	body, err := hookJSON(cfg, row)
	if err != nil {
		return outcome{reply: err.Error()}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, hook.URL, bytes.NewReader(body))
	if err != nil {
		return outcome{reply: err.Error()}
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	req.Header.Set("User-Agent", "hoctap")
	req.Header.Set(HeaderEvent, row.Event)
	req.Header.Set(HeaderDelivery, row.MessageID)
	req.Header.Set(HeaderSignature, Sign(p.secrets[hook.URL], now, body))
	resp, err := p.client(hook.Timeout.Duration).Do(req)
	if err != nil {
		return outcome{temporary: true, server: true, reply: err.Error()}
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	reply := strings.TrimSpace(resp.Status + " " + strings.Join(strings.Fields(string(answer)), " "))
	switch c := resp.StatusCode; {
	case c >= 200 && c < 300:
		return outcome{ok: true, reply: reply}
	case c == http.StatusRequestTimeout, c == http.StatusTooEarly, c == http.StatusTooManyRequests, c >= 500:
		return outcome{temporary: true, reply: reply}
	default:
		return outcome{reply: reply}
	}
}
