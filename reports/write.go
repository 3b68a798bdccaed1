package reports

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/google/renameio/v2"
	"golang.org/x/sync/errgroup"

	"github.com/hoctap/hoctap/config"
	"github.com/hoctap/hoctap/reports/doc"
	"github.com/hoctap/hoctap/store"
)

// Request is one month's report to render.
type Request struct {
	Month   config.Month
	Langs   []string // vi, en; empty: the configuration's languages
	Now     time.Time
	Program string // the program's version, for the manifest
	// Force renders a new version even when the latest shows the same
	// numbers: after an upgrade that changed how reports look.
	Force bool
	// AsOf is the instant the data stands at: the files received before it
	// (for a month's first version, the end of its reporting deadline). Zero:
	// the day after the latest file the data holds was received.
	AsOf time.Time
	// Beside, when set, renders more files of the version in each language
	// from the same data, written and listed with the report's: the wards'
	// packs.
	Beside Beside
	// Data, when set, is the month's data an earlier Render read from the
	// same snapshot (its Result's Data): it is not read again. At a million
	// registrants reading it takes seconds, and a second pass over a
	// snapshot that gained no file since only needs its fingerprint to find
	// the version unchanged.
	Data *Data
}

// Result is what Render did.
type Result struct {
	Month       string
	Version     int
	Dir         string // the version's folder
	Fingerprint string
	Files       []string // written, relative to Dir; none when Unchanged
	// Unchanged: the month's latest version already shows these numbers in
	// these languages, and its files are all there: nothing was written.
	Unchanged bool
	Data      *Data
	// Took is how long it took, for the caller to say.
	Took time.Duration `json:"-"`
}

// Manifest describes one version of a month's report: what it was built from
// and what was written. It sits beside the files as manifest.json.
type Manifest struct {
	Month       string         `json:"month"`
	Version     int            `json:"version"`
	Fingerprint string         `json:"data_fingerprint"`
	Program     string         `json:"program_version"`
	Generated   time.Time      `json:"generated_at"`
	Langs       []string       `json:"languages"`
	Files       []ManifestFile `json:"files"`
	Inputs      []InputFile    `json:"input_files"`
	// AsOf is the instant the data stands at: it holds the files received
	// before it. Figures are the numbers the next version compares with.
	AsOf    time.Time       `json:"data_as_of"`
	Figures *Figures        `json:"figures,omitempty"`
	Config  json.RawMessage `json:"-"`
}

// ManifestFile is one file of a version.
type ManifestFile struct {
	Path   string `json:"path"`
	SHA256 string `json:"sha256"`
	Bytes  int    `json:"bytes"`
}

// Render renders the report of req.Month from the published snapshot snap,
// records it in db's reports table and writes it under the configuration's
// reports folder: out/reports/YYYY-MM/vN/. Same numbers, same version: a month
// whose numbers changed since its latest version gets a new version and the
// earlier ones stay. A new version is written in a hidden folder and renamed
// vN once its manifest is there: a folder named like a version is always a
// whole one. Then it is recorded, and the index of all reports written.
func Render(ctx context.Context, cfg *config.Config, db, snap *store.DB, req Request) (*Result, error) {
	langs := languages(cfg, req)
	month := req.Month.String()
	d, err := load(ctx, cfg, snap, req)
	if err != nil {
		return nil, err
	}
	if d.release != nil {
		defer d.release()
	}
	loc := cfg.Location
	if loc == nil {
		loc = time.UTC
	}
	d.AsOf = req.AsOf
	if d.AsOf.IsZero() {
		if d.AsOf, err = latestReceived(ctx, snap.DB, loc); err != nil {
			return nil, err
		}
	}
	fp, err := fingerprint(cfg, d)
	if err != nil {
		return nil, err
	}
	res := &Result{Month: month, Fingerprint: fp, Data: d}

	latest, latestFP, have, err := latestVersion(ctx, db, month)
	if err != nil {
		return nil, err
	}
	res.Version = latest + 1
	if latest > 0 && latestFP == fp && !req.Force {
		res.Version = latest
	}
	res.Dir = filepath.Join(cfg.Paths.Reports, month, fmt.Sprintf("v%d", res.Version))

	if res.Version == latest && complete(res.Dir, month, langs, have) && (req.Beside == nil || besidePresent(res.Dir, langs)) {
		res.Unchanged = true
		return res, nil
	}

	if res.Version == latest && latest > 0 {
		// more languages of a version: its data stands where it stood
		if m, err := readManifest(cfg.Paths.Reports, month, latest); err == nil && !m.AsOf.IsZero() {
			d.AsOf = m.AsOf
		}
	}
	if res.Version > 1 {
		prev, err := readManifest(cfg.Paths.Reports, month, res.Version-1)
		if err != nil {
			return nil, fmt.Errorf("report %s: the previous version: %w", month, err)
		}
		d.Change = d.change(prev, cfg)
	}
	monthDir := filepath.Join(cfg.Paths.Reports, month)
	if err := clearStages(monthDir); err != nil {
		return nil, fmt.Errorf("report %s: %w", month, err)
	}
	files := map[string][]byte{}
	for _, lang := range langs {
		// The files beside the report only read d and the snapshot: they
		// are rendered while the report is, on the other core.
		var more map[string][]byte
		var errLang, errBeside error
		var wg sync.WaitGroup
		if req.Beside != nil {
			wg.Go(func() { more, errBeside = req.Beside(ctx, snap, d, lang, res.Version) })
		}
		errLang = renderLang(cfg, d, lang, res.Version, files)
		wg.Wait()
		if errLang != nil {
			return nil, errLang
		}
		if errBeside != nil {
			return nil, fmt.Errorf("report %s (%s): %w", month, lang, errBeside)
		}
		for name, b := range more {
			if !filepath.IsLocal(filepath.FromSlash(name)) || langOf(name) != lang {
				return nil, fmt.Errorf("report %s (%s): %q is no file of a version in that language", month, lang, name)
			}
			files[name] = b
		}
	}
	// A new version is written whole in a hidden folder beside the others,
	// with its manifest, and renamed to vN only then: a run stopped on the
	// way leaves no version folder at all, only a hidden one, which nobody
	// links to, the web app does not serve, and the next run clears. More
	// languages of an existing version are written into it, but appear in
	// its manifest, and so anywhere, only once all are written.
	dir := res.Dir
	if res.Version != latest {
		if dir, err = stage(monthDir, res.Dir); err != nil {
			return nil, fmt.Errorf("report %s: %w", month, err)
		}
		defer os.RemoveAll(dir) // gone once renamed; else what a failure left
	}
	if res.Files, err = writeFiles(dir, files); err != nil {
		return nil, fmt.Errorf("report %s: %w", month, err)
	}

	// The manifest lists every file of the version, also those of a language
	// rendered earlier with the same numbers.
	m := Manifest{Month: month, Version: res.Version, Fingerprint: fp, Program: req.Program, Generated: req.Now.UTC(), Inputs: d.Inputs,
		AsOf: d.AsOf.UTC(), Figures: d.figures()}
	m.Langs = slices.Clone(langs)
	if res.Version == latest {
		m.Langs = append(m.Langs, slices.Collect(maps.Keys(have))...)
	}
	slices.Sort(m.Langs)
	m.Langs = slices.Compact(m.Langs)
	if err := writeManifest(dir, &m); err != nil {
		return nil, err
	}
	res.Files = append(res.Files, "manifest.json")
	if dir != res.Dir {
		// No row names this version: a folder of that name is what a run
		// stopped before its record left behind, never a report anyone saw.
		if err := os.RemoveAll(res.Dir); err != nil {
			return nil, fmt.Errorf("report %s: %w", month, err)
		}
		if err := os.Rename(dir, res.Dir); err != nil {
			return nil, fmt.Errorf("report %s: %w", month, err)
		}
	}

	if err := record(ctx, db, m, langs, req.Now); err != nil {
		return nil, fmt.Errorf("report %s: %w", month, err)
	}
	if err := WriteIndex(ctx, cfg, db); err != nil {
		return nil, err
	}
	return res, nil
}

// load reads req's month from snap, or takes req.Data: a copy of it, as
// Render sets the instant the data stands at and what changed on its own.
func load(ctx context.Context, cfg *config.Config, snap *store.DB, req Request) (*Data, error) {
	if req.Data != nil {
		if req.Data.Month != req.Month.String() {
			return nil, fmt.Errorf("report %s: data of %s given", req.Month, req.Data.Month)
		}
		d := *req.Data
		d.AsOf, d.Change = time.Time{}, nil
		return &d, nil
	}
	return LoadWith(ctx, snap, req.Month.String(), Options{AnnexLimit: cfg.Report.AnnexLimit, CloseWithin: cfg.Report.CloseWithin, Keep: true})
}

// languages are the languages req asks for: its own, or the configuration's,
// or Vietnamese.
func languages(cfg *config.Config, req Request) []string {
	if len(req.Langs) > 0 {
		return req.Langs
	}
	if len(cfg.Report.Languages) > 0 {
		return cfg.Report.Languages
	}
	return []string{"vi"}
}

// stage makes the hidden folder in monthDir that the new version final is
// written in before it is renamed.
func stage(monthDir, final string) (string, error) {
	if err := os.MkdirAll(monthDir, 0o700); err != nil {
		return "", err
	}
	return os.MkdirTemp(monthDir, stagePrefix+filepath.Base(final)+"-")
}

// complete says whether the version in dir has every language of langs,
// recorded (have) and with all its files.
func complete(dir, month string, langs []string, have map[string]bool) bool {
	for _, lang := range langs {
		if !have[lang] || !filesPresent(dir, month, lang) {
			return false
		}
	}
	return true
}

// latestVersion is the latest version of month's report recorded in db, its
// data's fingerprint and the languages it has (0 when there is none).
func latestVersion(ctx context.Context, db *store.DB, month string) (latest int, fp string, have map[string]bool, err error) {
	var known []struct {
		Version     int    `db:"version"`
		Lang        string `db:"lang"`
		Fingerprint string `db:"data_fingerprint"`
	}
	if err := db.SelectContext(ctx, &known, `SELECT version, lang, data_fingerprint FROM reports WHERE month = ? ORDER BY version`, month); err != nil {
		return 0, "", nil, fmt.Errorf("report %s: %w", month, err)
	}
	have = map[string]bool{}
	for _, k := range known {
		if k.Version > latest {
			latest, fp, have = k.Version, k.Fingerprint, map[string]bool{}
		}
		if k.Version == latest {
			have[k.Lang] = true
		}
	}
	return latest, fp, have, nil
}

// writeFiles writes files (by path relative to dir) into dir, each whole or
// not at all, and lists them in order.
func writeFiles(dir string, files map[string][]byte) ([]string, error) {
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return nil, err
		}
		if err := renameio.WriteFile(path, files[name], 0o600); err != nil {
			return nil, err
		}
	}
	return names, nil
}

// writeManifest lists every file of dir in m, with its checksum, and writes
// m as dir/manifest.json.
func writeManifest(dir string, m *Manifest) error {
	err := filepath.WalkDir(dir, func(path string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() || e.Name() == "manifest.json" || strings.HasPrefix(e.Name(), ".") {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		sum := sha256.Sum256(b)
		m.Files = append(m.Files, ManifestFile{Path: filepath.ToSlash(rel), SHA256: hex.EncodeToString(sum[:]), Bytes: len(b)})
		return nil
	})
	if err != nil {
		return err
	}
	mb, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	return renameio.WriteFile(filepath.Join(dir, "manifest.json"), append(mb, '\n'), 0o600)
}

// record records the version of m in each of langs, with its files, in the
// reports table, in one transaction.
func record(ctx context.Context, db *store.DB, m Manifest, langs []string, now time.Time) error {
	return db.InTx(ctx, func(tx *store.Tx) error {
		for _, lang := range langs {
			var own []ManifestFile
			for _, f := range m.Files {
				if langOf(f.Path) == lang {
					own = append(own, f)
				}
			}
			fb, err := json.Marshal(own)
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM reports WHERE month = ? AND version = ? AND lang = ?`, m.Month, m.Version, lang); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO reports (month, version, lang, generated_at, data_fingerprint, program_version, files) VALUES (?, ?, ?, ?, ?, ?, ?)`,
				m.Month, m.Version, lang, now, m.Fingerprint, m.Program, string(fb)); err != nil {
				return err
			}
		}
		return nil
	})
}

// stagePrefix starts the name of the hidden folder a new version is written
// in before it is renamed vN.
const stagePrefix = ".tmp-"

// clearStages removes what stopped runs left in a month's folder: the hidden
// folders of versions never finished. One process renders at a time (it
// holds the pipeline's database), so none is being written.
func clearStages(monthDir string) error {
	entries, err := os.ReadDir(monthDir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), stagePrefix) {
			if err := os.RemoveAll(filepath.Join(monthDir, e.Name())); err != nil {
				return err
			}
		}
	}
	return nil
}

// Listed reports whether the version whose folder, relative to the reports
// folder dir, is vdir ("2021-03/v2") lists file, relative to it, in its
// manifest: only such files are a report's (a file written by a run that
// stopped before its manifest, or dropped there by someone, is not).
func Listed(dir, vdir, file string) bool {
	if file == "manifest.json" {
		_, err := os.Stat(filepath.Join(dir, filepath.FromSlash(vdir), "manifest.json"))
		return err == nil
	}
	b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(vdir), "manifest.json"))
	if err != nil {
		return false
	}
	var m Manifest
	if json.Unmarshal(b, &m) != nil {
		return false
	}
	for _, f := range m.Files {
		if f.Path == file {
			return true
		}
	}
	return false
}

// baseName is the stem of a language's files: bao-cao-2021-03 or report-2021-03.
func baseName(month, lang string) string {
	if lang == "vi" {
		return "bao-cao-" + month
	}
	return "report-" + month + "." + lang
}

// langOf tells which language a file of a version is in.
func langOf(path string) string {
	switch {
	case strings.HasPrefix(path, besideDir+"/"):
		// wards/tan-quy-dong.vi.pdf
		parts := strings.Split(path, ".")
		if len(parts) >= 3 {
			return parts[len(parts)-2]
		}
	case strings.HasPrefix(path, "bao-cao-"), strings.HasPrefix(path, "png/vi/"):
		return "vi"
	case strings.HasPrefix(path, "png/"):
		return strings.Split(path, "/")[1]
	case strings.HasPrefix(path, "report-"):
		parts := strings.Split(path, ".")
		if len(parts) >= 3 {
			return parts[len(parts)-2]
		}
	}
	return ""
}

func filesPresent(dir, month, lang string) bool {
	for _, ext := range []string{".html", ".pdf", ".xlsx"} {
		if _, err := os.Stat(filepath.Join(dir, baseName(month, lang)+ext)); err != nil {
			return false
		}
	}
	_, err := os.Stat(filepath.Join(dir, "manifest.json"))
	return err == nil
}

// besideDir is the folder of a version the files made beside its report
// are in: the wards' packs.
const besideDir = "wards"

// besidePresent says whether the version in dir has files beside its report
// in each of langs.
func besidePresent(dir string, langs []string) bool {
	for _, lang := range langs {
		if m, _ := filepath.Glob(filepath.Join(dir, besideDir, "*."+lang+".pdf")); len(m) == 0 {
			return false
		}
	}
	return true
}

// renderLang composes the report in lang and adds its files to files, by path
// relative to the version's folder.
func renderLang(cfg *config.Config, d *Data, lang string, version int, files map[string][]byte) error {
	document, err := Compose(cfg, d, lang)
	if err != nil {
		return err
	}
	l, _ := newLocale(lang)
	document.Footer += l.t(" — phiên bản %d", " — version %d", version)
	// The workbook's definitions end with the version.
	if n := len(document.Sheets); n > 0 {
		defs := document.Sheets[n-1]
		defs.Rows = append(defs.Rows, []doc.Cell{{Text: l.vi("Phiên bản", "Version"), Value: l.vi("Phiên bản", "Version")},
			{Text: strconv.Itoa(version), Value: int64(version)}})
	}
	info := doc.Info{Title: strings.ReplaceAll(strings.TrimSpace(document.Title+" "+document.Subtitle), "\n", " "), Author: document.Header.Org, Generated: d.issued(cfg.Location)}
	base := baseName(d.Month, lang)
	html, pdf, xlsx, err := writeFormats(document, info)
	if err != nil {
		return fmt.Errorf("report %s (%s): %w", d.Month, lang, err)
	}
	files[base+".html"], files[base+".pdf"], files[base+".xlsx"] = html, pdf, xlsx
	for _, b := range document.AllBlocks() {
		if ch, ok := b.(*doc.Chart); ok {
			png := ch.Titled
			if png == nil {
				png = ch.PNG
			}
			files["png/"+lang+"/"+ch.ID+".png"] = png
		}
	}
	return nil
}

// writeFormats writes the document as HTML, PDF and XLSX, at once: the three
// writers only read it.
func writeFormats(document *doc.Document, info doc.Info) (html, pdf, xlsx []byte, err error) {
	var g errgroup.Group
	var hb, pb, xb bytes.Buffer
	g.Go(func() error { return doc.WriteHTML(&hb, document) })
	g.Go(func() error {
		if err := doc.WritePDF(&pb, document, info); err != nil {
			return fmt.Errorf("pdf: %w", err)
		}
		return nil
	})
	g.Go(func() error {
		if err := doc.WriteXLSX(&xb, document, info); err != nil {
			return fmt.Errorf("xlsx: %w", err)
		}
		return nil
	})
	if err := g.Wait(); err != nil {
		return nil, nil, nil, err
	}
	return hb.Bytes(), pb.Bytes(), xb.Bytes(), nil
}

// fingerprint is the SHA-256 of the numbers and settings a report shows.
func fingerprint(cfg *config.Config, d *Data) (string, error) {
	b, err := json.Marshal(struct {
		Data      *Data
		City      config.City
		Programme config.Programme
		Report    config.Report
	}{d, cfg.City, cfg.Programme, cfg.Report})
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:]), nil
}
