// Package sample writes realistic, deterministic ward exports for the demo, the
// tests and the benchmarks: the Sa Đéc pilot exactly as its three localities
// would send it (Pilot), or a synthetic city or province of any size (Scale).
//
// Files are written the way ward offices write them — title rows, Vietnamese
// headers, a totals row, dates as Excel dates or as text, decimal commas, ward
// names spelt several ways, one web-form CSV, one late file, one corrected
// re-export and one faulty file — so that ingest meets the messy reality of
// DATA.md. The same seed gives byte-identical files.
//
// The package only writes files: it never opens the database and never reads
// the clock (every date is part of the simulated programme).
package sample

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"time"
)

// DefaultSeed is the seed of `hoctap demo`.
const DefaultSeed = 20201208

// File is one export the generator wrote, as a ward office would send it.
type File struct {
	Path    string    // relative to the inbox root, slash-separated: "<ward code>/<file name>"
	Ward    string    // ward code
	Dataset string    // the dataset, or "" when the sheets hold several (see Note)
	Period  string    // the data's month (YYYY-MM), a survey round, or "" for registrations
	SentAt  time.Time // when the ward sent it; the file's modification time is set to it
	Kind    string    // normal, late, corrected, errors or webform
	Note    string    // what is special about the file, in one line
}

// File kinds.
const (
	KindNormal    = "normal"
	KindLate      = "late"
	KindCorrected = "corrected"
	KindErrors    = "errors"
	KindWebform   = "webform"
)

// newRand is the generator's only source of randomness.
func newRand(seed int64, stream uint64) *rand.Rand {
	return rand.New(rand.NewPCG(uint64(seed), stream))
}

// writeFile writes b to root/rel and dates it sentAt.
func writeFile(root, rel string, b []byte, sentAt time.Time) error {
	p := filepath.Join(root, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(p, b, 0o644); err != nil {
		return err
	}
	if err := os.Chtimes(p, sentAt, sentAt); err != nil {
		return fmt.Errorf("date %s: %w", rel, err)
	}
	return nil
}
