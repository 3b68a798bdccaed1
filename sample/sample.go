// Package sample writes realistic, deterministic ward exports for the demo, the
// tests and the benchmarks: the Sa Đéc pilot exactly as its three localities
// would have sent it (Pilot), or a synthetic city or province of any size
// (Scale).
//
// Pilot writes files the way ward offices write them — title rows above the
// header, Vietnamese headers, a totals row, dates as Excel dates or as typed
// text, numbers stored as text with decimal commas, ward names spelt several
// ways, a two-row header, a workbook with two sheets, a web-form CSV, a late
// file, a corrected re-export and a file with errors — so that ingest meets the
// messy reality described in DATA.md. Scale streams plain CSV exports of any
// size with memory flat in the number of citizens.
//
// The same seed gives byte-identical files: XLSX archives are written with
// sorted, undated zip entries and document properties dated by the simulated
// send date, and every file's modification time is its send date.
//
// The package only writes files. It never opens the database, never reads ward
// files back, never reads the clock (every date belongs to the simulated
// programme) and takes the pilot's wards and units from the configuration; the
// facts it owns are the pilot's head counts and what each person's surveys are
// built to show.
package sample

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"time"
)

// DefaultSeed is the seed of `hoctap demo` and `hoctap sample`.
const DefaultSeed = 20201208

// File is one export the generator wrote, as a ward office would send it.
type File struct {
	Path    string    // relative to the inbox root, slash-separated: "<ward code>/<file name>"
	Ward    string    // ward code
	Dataset string    // units | citizens | citizen_assessments | unit_assessments | activities ("" if several sheets hold several datasets — then list them in Note)
	Period  string    // "2021-02" for monthly data, or the round code ("baseline","mid","final") for assessments, "" for registrations
	SentAt  time.Time // when the ward sent it (city time zone cfg.Location); the file's mtime is set to it (os.Chtimes)
	Kind    string    // "normal" | "late" | "corrected" | "errors" | "webform"
	Note    string    // one line in English saying what is special about the file
}

// File kinds.
const (
	KindNormal    = "normal"
	KindLate      = "late"      // sent after its due date
	KindCorrected = "corrected" // a re-export that replaces an earlier file of the same ward, dataset and period
	KindErrors    = "errors"    // holds mistakes ingest must refuse; a fixed file follows it
	KindWebform   = "webform"   // a web-form CSV export
)

// Random streams: each part of the simulation draws from its own, so that
// changing one part leaves the others' files as they were.
const (
	streamPeople uint64 = iota + 1
	streamScores
	streamUnits
	streamActivities
	streamSending
	streamScale                          // + the ward's index
	streamFamilies = streamScale + 1<<32 // households: far from the scale's wards
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
