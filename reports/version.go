package reports

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/hoctap/hoctap/config"
)

// A month's report states what was known by its date. Its first version
// holds the files received by the reporting deadline (report.data_deadline_day
// of the next month); a file received later that changes its numbers makes a
// new version, whose first section says what changed since the previous one
// and which files made it change. Each version's manifest keeps the instant
// its data stands at and the figures the next version compares with.

// Figures are the numbers of a version that the next one compares with: the
// counts that a change of data moves, and each milestone's status.
type Figures struct {
	Counts     []Count           `json:"counts"`
	Milestones map[string]string `json:"milestones"`
}

// Count is one number of Figures: what it counts (Key), for a ward or ""
// for the whole programme.
type Count struct {
	Key   string `json:"key"`
	Ward  string `json:"ward,omitempty"`
	Value int64  `json:"value"`
}

// The keys of Count, in the order the change section lists them.
const (
	countRegistered = "registered"
	countAssessed   = "assessed"
	countEligible   = "eligible"
	countRecognised = "recognised"
	countUnitsAssd  = "units_assessed"
	countUnitsElig  = "units_eligible"
	countActivities = "activities"
	countReceived   = "submissions_received"
	countRefused    = "files_refused"
)

var countOrder = []string{countRegistered, countAssessed, countEligible, countRecognised, countUnitsAssd, countUnitsElig,
	countActivities, countReceived, countRefused}

// Change is what changed since the month's previous version, and why.
type Change struct {
	PrevVersion int
	PrevAsOf    time.Time
	// Added are the files received since the previous version that bear on
	// the month; Dropped, those the previous version counted that no longer
	// count (a correction replaced them).
	Added, Dropped []InputFile
	Counts         []CountChange
	Milestones     []MilestoneChange
}

// CountChange is a count that differs between two versions.
type CountChange struct {
	Key, Ward     string
	Before, After int64
}

// MilestoneChange is a milestone whose status differs between two versions.
type MilestoneChange struct {
	ID, Before, After string
}

// figures takes d's Figures.
func (d *Data) figures() *Figures {
	f := &Figures{Milestones: map[string]string{}}
	add := func(key, ward string, v int64) { f.Counts = append(f.Counts, Count{key, ward, v}) }
	for _, level := range []string{"city", "ward"} {
		for _, p := range d.Progress {
			if p.Month != d.Month || p.Level != level {
				continue
			}
			add(countRegistered, p.Ward, p.Registered)
			add(countAssessed, p.Ward, p.Assessed)
			add(countEligible, p.Ward, p.Eligible)
			add(countRecognised, p.Ward, p.Recognised)
		}
	}
	var assessed, eligible int64
	for _, u := range d.Units {
		if u.InRound {
			assessed++
		}
		if u.Eligible {
			eligible++
		}
	}
	add(countUnitsAssd, "", assessed)
	add(countUnitsElig, "", eligible)
	var acts, received, refused int64
	for _, a := range d.Activities {
		if a.Month == d.Month {
			acts += a.Activities
		}
	}
	for _, q := range d.Quality {
		if q.Month == d.Month {
			received += q.OnTime + q.Late
			refused += q.FilesRefused
		}
	}
	add(countActivities, "", acts)
	add(countReceived, "", received)
	add(countRefused, "", refused)
	for _, m := range d.Milestones {
		f.Milestones[m.ID] = m.Status
	}
	return f
}

// change compares d with the previous version, whose manifest is prev; cfg
// says when each survey round is due.
func (d *Data) change(prev *Manifest, cfg *config.Config) *Change {
	c := &Change{PrevVersion: prev.Version, PrevAsOf: prev.AsOf}
	had := map[string]bool{}
	for _, f := range prev.Inputs {
		had[f.SHA256] = true
	}
	has := map[string]bool{}
	for _, f := range d.Inputs {
		has[f.SHA256] = true
		if !had[f.SHA256] && bearsOn(cfg, f, d.Month) {
			c.Added = append(c.Added, f)
		}
	}
	for _, f := range prev.Inputs {
		if !has[f.SHA256] {
			c.Dropped = append(c.Dropped, f)
		}
	}
	sortFiles := func(fs []InputFile) {
		sort.SliceStable(fs, func(i, j int) bool { return fs[i].Received.Before(fs[j].Received) })
	}
	sortFiles(c.Added)
	sortFiles(c.Dropped)
	if prev.Figures == nil {
		return c
	}
	now := d.figures()
	before := map[[2]string]int64{}
	for _, k := range prev.Figures.Counts {
		before[[2]string{k.Key, k.Ward}] = k.Value
	}
	for _, key := range countOrder {
		for _, k := range now.Counts {
			if k.Key != key {
				continue
			}
			if b := before[[2]string{k.Key, k.Ward}]; b != k.Value {
				c.Counts = append(c.Counts, CountChange{k.Key, k.Ward, b, k.Value})
			}
		}
	}
	for _, m := range d.Milestones {
		if b := prev.Figures.Milestones[m.ID]; b != "" && b != m.Status {
			c.Milestones = append(c.Milestones, MilestoneChange{m.ID, b, m.Status})
		}
	}
	return c
}

// bearsOn says whether a file's data can move month's numbers: a file of a
// later month's data cannot, nor a survey round due after the month; a list's
// can.
func bearsOn(cfg *config.Config, f InputFile, month string) bool {
	if len(f.Period) == 7 && f.Period[4] == '-' {
		return f.Period <= month
	}
	for _, s := range cfg.Submissions {
		if s.Round != "" && s.Round == f.Period && s.Dataset == f.Dataset && !s.Due.IsZero() {
			// a round is surveyed in the month it is due or the one before
			return s.Due.Month().AddDate(0, -1, 0).Format("2006-01") <= month
		}
	}
	return true
}

// readManifest reads the manifest of month's version v under the reports
// folder dir.
func readManifest(dir, month string, v int) (*Manifest, error) {
	b, err := os.ReadFile(filepath.Join(dir, month, fmt.Sprintf("v%d", v), "manifest.json"))
	if err != nil {
		return nil, err
	}
	var m Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("report %s v%d: manifest.json: %w", month, v, err)
	}
	return &m, nil
}

// latestReceived is the day after the latest file the data holds was
// received, in loc: the instant before which the data holds every file it
// does. Zero when it holds none.
func latestReceived(ctx context.Context, db *sqlx.DB, loc *time.Location) (time.Time, error) {
	var t sql.NullTime
	if err := get(ctx, db, &t, "received"); err != nil {
		return time.Time{}, err
	}
	if !t.Valid {
		return time.Time{}, nil
	}
	l := t.Time.In(loc)
	return time.Date(l.Year(), l.Month(), l.Day()+1, 0, 0, 0, 0, loc), nil
}

// issued is the day the report is dated: the day its data stands at, the
// day after the last day of files it holds; the first day after its month
// when it holds none.
func (d *Data) issued(loc *time.Location) time.Time {
	if d.AsOf.IsZero() {
		return reportDate(d.Month)
	}
	t := d.AsOf.In(loc)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// receivedBy is the last day of the files the data holds: "Số liệu nhận đến
// ngày …".
func (d *Data) receivedBy(loc *time.Location) time.Time {
	return d.issued(loc).AddDate(0, 0, -1)
}

// FilesSince counts the files of the snapshot db received at or after t: a
// month whose reporting deadline ended at t has its first version from the
// files received before it only when there are some.
func FilesSince(ctx context.Context, db *sqlx.DB, t time.Time) (int64, error) {
	var n int64
	err := get(ctx, db, &n, "since", t)
	return n, err
}

// Versions is how many versions of month's report db records.
func Versions(ctx context.Context, db *sqlx.DB, month string) (int, error) {
	var n sql.NullInt64
	if err := db.GetContext(ctx, &n, `SELECT max(version) FROM reports WHERE month = ?`, month); err != nil {
		return 0, fmt.Errorf("report %s: %w", month, err)
	}
	return int(n.Int64), nil
}
