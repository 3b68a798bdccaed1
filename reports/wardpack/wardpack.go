// Package wardpack writes each ward's pack beside every version of the
// monthly report: one or two A4 pages per ward and language, in the official
// layout of the city's report (reports/doc), that tell the ward its figures
// against the city's, its people eligible, close to the title (and what each
// lacks) and not yet assessed, its units, its submissions of the month and
// what to do before the next report. A pack reads the same snapshot as the
// version it stands beside: its data stands where the report's does.
//
// The files are wards/<ward>.<lang>.html and .pdf in the version's folder
// (out/reports/2021-03/v2/wards/tan-quy-dong.vi.pdf), listed in its manifest.
package wardpack

import (
	"bytes"
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/hoctap/hoctap/config"
	"github.com/hoctap/hoctap/reports"
	"github.com/hoctap/hoctap/reports/doc"
	"github.com/hoctap/hoctap/store"
)

// Dir is the folder of a version that holds its packs.
const Dir = "wards"

// File is the path, in a version's folder, of ward's pack in lang of the
// extension ext ("pdf", "html").
func File(ward, lang, ext string) string { return Dir + "/" + slug(ward) + "." + lang + "." + ext }

// WardOf is the ward whose pack the path (relative to a version's folder)
// is, among codes; "" when it is none.
func WardOf(path string, codes []string) string {
	rest, ok := strings.CutPrefix(path, Dir+"/")
	if !ok || strings.Contains(rest, "/") {
		return ""
	}
	for _, c := range codes {
		for _, lang := range []string{"vi", "en"} {
			for _, ext := range []string{"pdf", "html"} {
				if path == File(c, lang, ext) {
					return c
				}
			}
		}
	}
	return ""
}

var notSlug = regexp.MustCompile(`[^a-z0-9-]+`)

// slug is a ward code as a file name: its letters, digits and hyphens.
func slug(code string) string {
	s := notSlug.ReplaceAllString(strings.ToLower(config.Fold(code)), "-")
	if s = strings.Trim(s, "-"); s == "" {
		return "ward"
	}
	return s
}

// Beside is what reports.Render calls to write the packs of a version in
// one language.
func Beside(cfg *config.Config) reports.Beside {
	return func(ctx context.Context, snap *store.DB, d *reports.Data, lang string, version int) (map[string][]byte, error) {
		return Render(ctx, cfg, snap, d, lang, version)
	}
}

// Render writes the pack of every ward of d in lang, from the snapshot d
// was read from: its HTML and its PDF, by path in the version's folder.
func Render(ctx context.Context, cfg *config.Config, snap *store.DB, d *reports.Data, lang string, version int) (map[string][]byte, error) {
	w, err := reports.NewWords(lang)
	if err != nil {
		return nil, err
	}
	month, err := config.ParseMonth(d.Month)
	if err != nil {
		return nil, err
	}
	// What the ward does before the next report: by the reporting deadline
	// of the month that follows.
	next := cfg.DataCutoff(month.Next()).AddDate(0, 0, -1)
	files := map[string][]byte{}
	for _, wd := range d.Wards {
		wk, err := load(ctx, snap, d, wd.Code, cfg.Report.PackLimit, reports.CloseWithin(cfg, d), next)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", wd.Code, err)
		}
		p := &pack{cfg: cfg, d: d, w: w, ward: wk, version: version, next: next, doc: &doc.Document{Lang: lang}}
		p.compose()
		var hb, pb bytes.Buffer
		if err := doc.WriteHTML(&hb, p.doc); err != nil {
			return nil, fmt.Errorf("ward pack %s: %w", wd.Code, err)
		}
		info := doc.Info{Title: strings.ReplaceAll(p.doc.Title+" "+p.doc.Subtitle, "\n", " "), Author: p.doc.Header.Org, Generated: d.Issued(cfg.Location)}
		if err := doc.WritePDF(&pb, p.doc, info); err != nil {
			return nil, fmt.Errorf("ward pack %s: pdf: %w", wd.Code, err)
		}
		files[File(wd.Code, lang, "html")] = hb.Bytes()
		files[File(wd.Code, lang, "pdf")] = pb.Bytes()
	}
	return files, nil
}

// pack composes one ward's pack.
type pack struct {
	cfg     *config.Config
	d       *reports.Data
	w       *reports.Words
	ward    *ward
	version int
	next    time.Time
	doc     *doc.Document
}
