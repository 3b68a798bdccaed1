package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/hoctap/hoctap/store"
)

// ingestState is what a workspace holds after ingest: the counts that must not
// depend on whether a run was killed on the way.
func ingestState(t *testing.T, ws string) string {
	t.Helper()
	db, err := store.Open(context.Background(), filepath.Join(ws, "data/hoctap.duckdb"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var s struct {
		Files, Loaded, Refused, Superseded, Shas                    int
		Citizens, Assessments, UnitItems, Activities, Units, Tables int
	}
	err = db.QueryRowContext(context.Background(), `SELECT
		(SELECT count(*) FROM ingest_files), (SELECT count(*) FROM ingest_files WHERE status = 'loaded'),
		(SELECT count(*) FROM ingest_files WHERE status = 'refused'), (SELECT count(*) FROM ingest_files WHERE status = 'superseded'),
		(SELECT count(DISTINCT sha256) FROM ingest_files),
		(SELECT count(*) FROM raw_citizens), (SELECT count(*) FROM raw_citizen_assessments), (SELECT count(*) FROM raw_unit_assessments),
		(SELECT count(*) FROM raw_activities), (SELECT count(*) FROM raw_units), (SELECT count(*) FROM ingest_file_tables)`).Scan(
		&s.Files, &s.Loaded, &s.Refused, &s.Superseded, &s.Shas, &s.Citizens, &s.Assessments, &s.UnitItems, &s.Activities, &s.Units, &s.Tables)
	if err != nil {
		t.Fatal(err)
	}
	inbox, _ := filepath.Glob(filepath.Join(ws, "data/inbox/*/*"))
	archived, _ := filepath.Glob(filepath.Join(ws, "data/archive/*/*/*.xlsx"))
	csvs, _ := filepath.Glob(filepath.Join(ws, "data/archive/*/*/*.csv"))
	quarantined, _ := filepath.Glob(filepath.Join(ws, "data/quarantine/*/*.xlsx"))
	receipts, _ := filepath.Glob(filepath.Join(ws, "data/*/*/*.receipt.txt"))
	archivedReceipts, _ := filepath.Glob(filepath.Join(ws, "data/archive/*/*/*.receipt.txt"))
	return fmt.Sprintf("%+v inbox=%d archived=%d quarantined=%d receipts=%d", s, len(inbox), len(archived)+len(csvs), len(quarantined), len(receipts)+len(archivedReceipts))
}

func newPilotWorkspace(t *testing.T, dir string) string {
	t.Helper()
	ws := filepath.Join(dir, "ws")
	if r := runHoctap(t, dir, "init", ws); r.code != exitOK {
		t.Fatal(r.stderr)
	}
	if r := runHoctap(t, dir, "sample", "--config", filepath.Join(ws, "pipeline.yaml"), "--dir", filepath.Join(ws, "data/inbox")); r.code != exitOK {
		t.Fatal(r.stderr)
	}
	return ws
}

// Killing hoctap ingest at any instant and running it again leaves every file
// loaded once and archived, or refused and in quarantine: never half, never twice.
func TestIngestSurvivesKill(t *testing.T) {
	clean := newPilotWorkspace(t, t.TempDir())
	start := time.Now()
	if r := runHoctap(t, clean, "ingest"); r.code != exitData { // the faulty file is refused: exit 1
		t.Fatalf("clean ingest: exit %d\n%s", r.code, r.stderr)
	}
	took := time.Since(start)
	want := ingestState(t, clean)

	const points = 10
	partial := 0 // kills that left some files loaded and some waiting: the interesting ones
	for i := 0; i < points; i++ {
		delay := took * time.Duration(i) / points
		t.Run(fmt.Sprintf("killed after %s", delay.Round(time.Millisecond)), func(t *testing.T) {
			ws := newPilotWorkspace(t, t.TempDir())
			cmd := exec.Command(binary, "ingest")
			cmd.Dir = ws
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			time.Sleep(delay)
			cmd.Process.Signal(os.Kill)
			cmd.Wait()
			waiting, _ := filepath.Glob(filepath.Join(ws, "data/inbox/*/*"))
			kept, _ := filepath.Glob(filepath.Join(ws, "data/archive/*/*/*.receipt.txt"))
			if len(waiting) > 0 && len(kept) > 0 {
				partial++
			}
			if r := runHoctap(t, ws, "ingest"); r.code != exitOK && r.code != exitData {
				t.Fatalf("ingest after the kill: exit %d\n%s", r.code, r.stderr)
			}
			if got := ingestState(t, ws); got != want {
				t.Errorf("after a kill and a rerun:\n got %s\nwant %s", got, want)
			}
		})
	}
	if partial < 3 {
		t.Errorf("only %d of %d kills landed in the middle of a run: the test did not exercise half-done states", partial, points)
	}
}
