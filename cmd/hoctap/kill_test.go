package main

import (
	"context"
	"database/sql"
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

// orphanRuns records two runs as running, as a process killed mid-run leaves
// them: one of this machine, by a process that is gone, and one of another
// machine. It returns the gone process's id.
func orphanRuns(t *testing.T, db *store.DB) int {
	t.Helper()
	gone := exec.Command(binary, "version")
	if err := gone.Run(); err != nil {
		t.Fatal(err)
	}
	host, _ := os.Hostname()
	_, err := db.Exec(`INSERT INTO job_runs (run_id, job, started_at, status, host, pid, process_started) VALUES
		(nextval('job_run_ids'), 'ingest', TIMESTAMPTZ '2021-03-01 07:00:00+07', 'running', ?, ?, TIMESTAMPTZ '2021-03-01 06:59:58+07'),
		(nextval('job_run_ids'), 'transform', TIMESTAMPTZ '2021-03-01 07:00:00+07', 'running', 'another-machine', ?, TIMESTAMPTZ '2021-03-01 06:59:58+07')`,
		host, gone.Process.Pid, gone.Process.Pid)
	if err != nil {
		t.Fatal(err)
	}
	return gone.Process.Pid
}

// checkOrphans: after a run, the run of the gone process is closed as failed,
// saying why; the other machine's, whose process cannot be seen from here, is
// left as it is; and the runs since name this machine and their process.
func checkOrphans(t *testing.T, db *store.DB, pid int) {
	t.Helper()
	var runs []struct {
		Job    string         `db:"job"`
		Status string         `db:"status"`
		Error  sql.NullString `db:"error"`
		Host   sql.NullString `db:"host"`
		Pid    sql.NullInt64  `db:"pid"`
	}
	// the two orphans, then the runs since
	if err := db.Select(&runs, `SELECT job, status, error, host, pid FROM job_runs
		WHERE run_id >= (SELECT min(run_id) FROM job_runs WHERE started_at = TIMESTAMPTZ '2021-03-01 07:00:00+07') ORDER BY run_id`); err != nil {
		t.Fatal(err)
	}
	if len(runs) < 4 {
		t.Fatalf("job_runs: %+v", runs)
	}
	host, _ := os.Hostname()
	want := fmt.Sprintf("bị ngắt: tiến trình %d trên máy %s đã dừng trước khi xong — interrupted: process %d on %s stopped before the run ended", pid, host, pid, host)
	if r := runs[0]; r.Status != "failed" || r.Error.String != want {
		t.Errorf("the orphaned run: %+v, want failed with %q", r, want)
	}
	if r := runs[1]; r.Status != "running" || r.Error.Valid {
		t.Errorf("another machine's run: %+v, want it left running", r)
	}
	for _, r := range runs[2:] {
		if r.Status == "running" || r.Host.String != host || !r.Pid.Valid || r.Pid.Int64 == int64(pid) {
			t.Errorf("this run's %s: %+v", r.Job, r)
		}
	}
}
