package reports

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"html/template"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/google/renameio/v2"

	"github.com/hoctap/hoctap/config"
	"github.com/hoctap/hoctap/store"
)

//go:embed index.html.tmpl
var indexTemplate string

var indexPage = template.Must(template.New("index").Parse(indexTemplate))

// Entry is one rendered version of a month's report in one language.
type Entry struct {
	Month       string    `db:"month"`
	Version     int       `db:"version"`
	Lang        string    `db:"lang"`
	Generated   time.Time `db:"generated_at"`
	Fingerprint string    `db:"data_fingerprint"`
	Program     string    `db:"program_version"`
	Latest      bool      `db:"latest"`
}

// Dir is the entry's folder relative to the reports folder.
func (e Entry) Dir() string { return fmt.Sprintf("%s/v%d", e.Month, e.Version) }

// File is the entry's file of the extension ext ("html", "pdf", "xlsx"),
// relative to the reports folder.
func (e Entry) File(ext string) string { return e.Dir() + "/" + baseName(e.Month, e.Lang) + "." + ext }

// Entries lists every report rendered, newest month first, then newest version.
func Entries(ctx context.Context, db *store.DB) ([]Entry, error) {
	var es []Entry
	err := db.SelectContext(ctx, &es, `SELECT month, version, lang, generated_at, data_fingerprint, program_version,
		version = max(version) OVER (PARTITION BY month) AS latest
		FROM reports ORDER BY month DESC, version DESC, lang DESC`)
	return es, err
}

// WriteIndex writes index.html in the reports folder: every month, every
// version, every language, with links to the files.
func WriteIndex(ctx context.Context, cfg *config.Config, db *store.DB) error {
	es, err := Entries(ctx, db)
	if err != nil {
		return fmt.Errorf("report index: %w", err)
	}
	loc, err := time.LoadLocation(cfg.City.TimeZone)
	if err != nil {
		loc = time.UTC
	}
	for i := range es {
		es[i].Generated = es[i].Generated.In(loc)
	}
	var b bytes.Buffer
	err = indexPage.Execute(&b, struct {
		Org, Programme string
		Entries        []Entry
	}{cfg.City.Organisation, cfg.Programme.Name, es})
	if err != nil {
		return fmt.Errorf("report index: %w", err)
	}
	return renameio.WriteFile(filepath.Join(cfg.Paths.Reports, "index.html"), b.Bytes(), 0o600)
}

// Manifests reads the manifest of every version under the reports folder dir,
// newest month first, then newest version: what is on disk, whatever the
// database says. A folder without a readable manifest is skipped (a render
// stopped before its last step).
func Manifests(dir string) ([]Manifest, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "[0-9][0-9][0-9][0-9]-[0-9][0-9]", "v*", "manifest.json"))
	if err != nil {
		return nil, err
	}
	var ms []Manifest
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		var m Manifest
		if json.Unmarshal(b, &m) != nil || m.Month == "" || m.Version == 0 {
			continue
		}
		ms = append(ms, m)
	}
	sort.Slice(ms, func(i, j int) bool {
		if ms[i].Month != ms[j].Month {
			return ms[i].Month > ms[j].Month
		}
		return ms[i].Version > ms[j].Version
	})
	return ms, nil
}

// Dir is the version's folder relative to the reports folder.
func (m Manifest) Dir() string { return fmt.Sprintf("%s/v%d", m.Month, m.Version) }

// File is the version's file in lang of the extension ext ("html", "pdf",
// "xlsx"), relative to the reports folder.
func (m Manifest) File(lang, ext string) string {
	return m.Dir() + "/" + baseName(m.Month, lang) + "." + ext
}
