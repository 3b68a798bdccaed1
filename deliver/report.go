package deliver

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"time"

	"github.com/hoctap/hoctap/config"
	"github.com/hoctap/hoctap/reports"
	"github.com/hoctap/hoctap/reports/doc"
	"github.com/hoctap/hoctap/reports/wardpack"
	"github.com/hoctap/hoctap/store"
)

// Figure is one of a report's headline figures, in its words.
type Figure struct {
	Label  string `json:"label"`
	Value  string `json:"value"`
	Change string `json:"change,omitempty"`
	Note   string `json:"note,omitempty"`
}

// reportPayload is what a message of a new report version says, fixed when
// the version was published.
type reportPayload struct {
	Month    string `json:"month"`
	Version  int    `json:"version"`
	Replaces int    `json:"replaces,omitempty"` // the version before, whose numbers differ
	// Headline is the report's headline figures, by language.
	Headline map[string][]Figure `json:"headline"`
	// Files are the version's PDF and XLSX for the message's language (for a
	// webhook, of every language).
	Files []File `json:"files"`
}

// EnqueueReport queues the messages of a report version just published: one
// email per recipient (the committee, then the wards' contacts that take
// reports, each address once) with the figures and files in the recipient's
// language, and one call per webhook that takes report_published. A result
// that rendered nothing new queues nothing, and so does a version whose
// numbers equal the version before (made with --force after an upgrade that
// changed only the layout): its recipients have those numbers already.
func EnqueueReport(ctx context.Context, db *store.DB, cfg *config.Config, res *reports.Result, now time.Time) (Enqueued, error) {
	d := cfg.Delivery
	if !d.Enabled() || res == nil || res.Unchanged {
		return Enqueued{}, nil
	}
	replaces, skipped, err := replacedVersion(ctx, db, res)
	if err != nil || skipped != "" {
		return Enqueued{Skipped: skipped}, err
	}
	man, err := readManifest(res.Dir)
	if err != nil {
		return Enqueued{}, err
	}
	rel, err := filepath.Rel(cfg.Paths.Reports, res.Dir)
	if err != nil {
		return Enqueued{}, err
	}
	v := &reportVersion{cfg: cfg, res: res, man: man, rel: rel, figures: map[string][]Figure{}}
	key := fmt.Sprintf("report:%s:v%d", res.Month, res.Version)
	readable := fmt.Sprintf("bao-cao.%s.v%d", res.Month, res.Version)
	var msgs []message
	for _, c := range reportRecipients(d) {
		h, err := v.headline(c.Lang)
		if err != nil {
			return Enqueued{}, err
		}
		msgs = append(msgs, message{event: config.EventReportPublished, eventKey: key, readable: readable, month: res.Month, version: res.Version,
			ward: c.Ward, channel: Email, recipient: c.Email, name: c.Name, lang: c.Lang,
			payload: reportPayload{Month: res.Month, Version: res.Version, Replaces: replaces, Headline: map[string][]Figure{c.Lang: h}, Files: v.recipientFiles(c)}})
	}
	for _, w := range d.Webhooks {
		if !w.Wants(config.EventReportPublished) {
			continue
		}
		p, err := v.webhookPayload(replaces)
		if err != nil {
			return Enqueued{}, err
		}
		msgs = append(msgs, message{event: config.EventReportPublished, eventKey: key, readable: readable, month: res.Month, version: res.Version,
			channel: Webhook, recipient: WebhookName(w.URL), lang: cfg.City.Language, payload: p})
	}
	n, err := enqueue(ctx, db, cfg, msgs, now)
	return Enqueued{Rows: n}, err
}

// replacedVersion is the version before res whose numbers went out (0 for
// none), or why res is not sent at all: a version that shows the numbers of
// the one just before it.
func replacedVersion(ctx context.Context, db *store.DB, res *reports.Result) (replaces int, skipped string, err error) {
	var earlier []struct {
		Version     int    `db:"version"`
		Fingerprint string `db:"data_fingerprint"`
	}
	if err := db.SelectContext(ctx, &earlier, query("previous"), res.Month, res.Version); err != nil {
		return 0, "", fmt.Errorf("outbox: %w", err)
	}
	for i, e := range earlier {
		if i == 0 || e.Fingerprint != earlier[i-1].Fingerprint {
			replaces = e.Version
		}
	}
	if n := len(earlier); n > 0 && earlier[n-1].Version == res.Version-1 && earlier[n-1].Fingerprint == res.Fingerprint {
		return 0, fmt.Sprintf("version %d shows the numbers of version %d, already sent", res.Version, res.Version-1), nil
	}
	return replaces, "", nil
}

// reportVersion is a report version as its messages tell it: its headline
// figures per language (made once each) and its files.
type reportVersion struct {
	cfg     *config.Config
	res     *reports.Result
	man     reports.Manifest
	rel     string // the version's folder under paths.reports
	figures map[string][]Figure
}

// headline is the version's headline figures in lang.
func (v *reportVersion) headline(lang string) ([]Figure, error) {
	if f, ok := v.figures[lang]; ok {
		return f, nil
	}
	blocks, err := reports.Excerpt(v.cfg, v.res.Data, lang, 96, reports.Headline)
	if err != nil {
		return nil, err
	}
	var fs []Figure
	for _, b := range blocks {
		if f, ok := b.(*doc.Figures); ok {
			for _, it := range f.Items {
				fs = append(fs, Figure{Label: it.Label, Value: it.Value, Change: it.Change, Note: it.Note})
			}
		}
	}
	v.figures[lang] = fs
	return fs, nil
}

// files are the PDF and XLSX of lang, or of the version's first language
// when lang was not rendered.
func (v *reportVersion) files(lang string) []File {
	for _, l := range append([]string{lang}, v.man.Langs...) {
		var fs []File
		for _, k := range []struct{ kind, ext string }{{KindReportPDF, ".pdf"}, {KindReportXLSX, ".xlsx"}} {
			name := reports.DocumentFile(v.res.Month, l, k.ext)
			for _, f := range v.man.Files {
				if f.Path == name {
					fs = append(fs, File{Kind: k.kind, Root: RootReports, Path: filepath.ToSlash(filepath.Join(v.rel, name)), Name: name, Bytes: int64(f.Bytes), SHA256: f.SHA256})
				}
			}
		}
		if len(fs) > 0 {
			return fs
		}
	}
	return nil
}

// recipientFiles are the files of c's letter: the report's PDF and XLSX
// for the committee; for a ward's contact, the ward's pack in c's language
// (or the version's first) and the city's report linked.
func (v *reportVersion) recipientFiles(c config.WardContact) []File {
	city := v.files(c.Lang)
	if c.Ward == "" {
		return city
	}
	var out []File
	for _, l := range append([]string{c.Lang}, v.man.Langs...) {
		name := wardpack.File(c.Ward, l, "pdf")
		for _, f := range v.man.Files {
			if f.Path == name {
				out = append(out, File{Kind: KindWardPack, Root: RootReports, Path: filepath.ToSlash(filepath.Join(v.rel, name)), Name: path.Base(name), Bytes: int64(f.Bytes), SHA256: f.SHA256})
			}
		}
		if len(out) > 0 {
			break
		}
	}
	if len(out) == 0 {
		return city // a version rendered before the packs: the city's report, as before
	}
	for _, f := range city {
		f.Link = true
		out = append(out, f)
	}
	return out
}

// webhookPayload is what a webhook gets: the headline in both languages and
// the files of every language rendered.
func (v *reportVersion) webhookPayload(replaces int) (reportPayload, error) {
	p := reportPayload{Month: v.res.Month, Version: v.res.Version, Replaces: replaces, Headline: map[string][]Figure{}}
	for _, lang := range []string{"vi", "en"} {
		h, err := v.headline(lang)
		if err != nil {
			return p, err
		}
		p.Headline[lang] = h
	}
	seen := map[string]bool{}
	for _, lang := range v.man.Langs {
		for _, f := range v.files(lang) {
			if !seen[f.Path] {
				seen[f.Path] = true
				p.Files = append(p.Files, f)
			}
		}
	}
	return p, nil
}

// readManifest reads a version's manifest.json.
func readManifest(dir string) (reports.Manifest, error) {
	var m reports.Manifest
	b, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err == nil {
		err = json.Unmarshal(b, &m)
	}
	if err != nil {
		return m, fmt.Errorf("outbox: the report's manifest: %w", err)
	}
	return m, nil
}
