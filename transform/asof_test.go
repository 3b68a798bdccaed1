package transform

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/hoctap/hoctap/store"
)

// TestAsOf builds the fixture's models as they stood at three instants and
// reads them back: a file received after the instant does not count, a file
// superseded by one received after it still does, and a file's received
// instant is its own modification time when that is earlier (the fixture's
// files were modified an hour before ingest read them).
func TestAsOf(t *testing.T) {
	cfg, db := pilot(t)
	ctx := context.Background()
	var tz string
	if err := db.GetContext(ctx, &tz, "SELECT current_setting('TimeZone')"); err != nil {
		t.Fatal(err)
	}
	loc, err := time.LoadLocation(tz)
	if err != nil {
		t.Fatal(err)
	}
	at := func(y int, m time.Month, d, h, min int) time.Time { return time.Date(y, m, d, h, min, 0, 0, loc) }
	for _, tc := range []struct {
		name   string
		cutoff time.Time
		// the files then, with their status; TPD-006's baseline total; December's activities
		files      string
		tpd006     float64
		activities int64
	}{
		// The first baseline file is in, its correction (27/12) not yet: it
		// still counts, and TPD-006 stands on its 90 points.
		{"before the correction", at(2020, 12, 25, 0, 0), "1:loaded 2:loaded", 90, 0},
		// 08:30 on 27/12: ingest read the correction at 09:00, but the file
		// is dated 08:00: it counts, and the first file is superseded.
		{"by the correction's own date", at(2020, 12, 27, 8, 30), "1:loaded 2:superseded 3:loaded", 60, 0},
		// 05/01: the refused file of 03/01 is in; December's activities,
		// sent on 08/01, are not.
		{"before the activities", at(2021, 1, 5, 0, 0), "1:loaded 2:superseded 3:loaded 5:loaded 7:refused", 60, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "as-of.duckdb")
			res, err := AsOf(ctx, db, cfg, sqlFS(t), tc.cutoff, path)
			if err != nil {
				t.Fatal(err)
			}
			if res.Snapshot != path || len(res.Models) == 0 || len(res.Tests) == 0 {
				t.Fatalf("result %+v", res)
			}
			opt := store.OptionsFrom(cfg)
			opt.ReadOnly = true
			snap, err := store.Open(ctx, path, opt)
			if err != nil {
				t.Fatal(err)
			}
			defer snap.Close()
			var files string
			if err := snap.GetContext(ctx, &files, `SELECT string_agg(file_id || ':' || status, ' ' ORDER BY file_id) FROM ingest_files`); err != nil {
				t.Fatal(err)
			}
			if files != tc.files {
				t.Errorf("files %q, want %q", files, tc.files)
			}
			var total float64
			if err := snap.GetContext(ctx, &total, `SELECT total::DOUBLE FROM citizen_scores WHERE citizen_id = 'TPD-006' AND round = 'baseline'`); err != nil {
				t.Fatal(err)
			}
			if total != tc.tpd006 {
				t.Errorf("TPD-006's baseline total %v, want %v", total, tc.tpd006)
			}
			var acts int64
			if err := snap.GetContext(ctx, &acts, `SELECT coalesce(sum(activities), 0) FROM activities_monthly WHERE month = '2020-12'`); err != nil {
				t.Fatal(err)
			}
			if acts != tc.activities {
				t.Errorf("December's activities %d, want %d", acts, tc.activities)
			}
			var raw int64
			if err := snap.GetContext(ctx, &raw, `SELECT count(*) FROM duckdb_tables() WHERE table_name LIKE 'raw\_%' ESCAPE '\'`); err != nil || raw != 0 {
				t.Errorf("%d raw tables kept in the snapshot (%v)", raw, err)
			}
		})
	}
	// The pipeline's own bookkeeping is as it was: the published snapshot
	// made afterwards holds every file.
	if _, err := Run(ctx, db, cfg, sqlFS(t), runAt); err != nil {
		t.Fatal(err)
	}
	var total float64
	if err := openSnapshot(t, cfg).GetContext(ctx, &total, `SELECT sum(activities) FROM activities_monthly WHERE month = '2020-12'`); err != nil || total == 0 {
		t.Errorf("December's activities after all files: %v (%v)", total, err)
	}
}
