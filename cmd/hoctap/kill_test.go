package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
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

	// Ten kills spread over the clean run's length, then, while fewer than
	// three of them landed in the middle of a run (the machine's load moves
	// that window), kills aimed between the latest that came too early (nothing
	// kept yet) and the earliest that came too late (nothing waiting).
	const points, minPartial, maxKills = 10, 3, 20
	partial := 0 // kills that left some files loaded and some waiting: the interesting ones
	early, late := time.Duration(0), took
	kills := 0
	for i := 0; i < maxKills && (i < points || partial < minPartial); i++ {
		delay := took * time.Duration(i) / points
		if i >= points {
			delay = early + (late-early)*time.Duration(1+(i-points)%3)/4
		}
		kills++
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
			switch {
			case len(waiting) > 0 && len(kept) > 0:
				partial++
			case len(kept) == 0:
				early = max(early, delay)
			case len(waiting) == 0:
				late = min(late, delay)
			}
			if r := runHoctap(t, ws, "ingest"); r.code != exitOK && r.code != exitData {
				t.Fatalf("ingest after the kill: exit %d\n%s", r.code, r.stderr)
			}
			if got := ingestState(t, ws); got != want {
				t.Errorf("after a kill and a rerun:\n got %s\nwant %s", got, want)
			}
		})
	}
	if partial < minPartial {
		t.Errorf("only %d of %d kills landed in the middle of a run: the test did not exercise half-done states", partial, kills)
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

var pilot struct {
	once  sync.Once
	state string
}

// pilotIngested is ingestState after one hoctap ingest of the pilot's files
// in a new workspace: what any way of loading them must end with.
func pilotIngested(t *testing.T) string {
	t.Helper()
	pilot.once.Do(func() {
		clean := newPilotWorkspace(t, t.TempDir())
		runHoctap(t, clean, "ingest")
		pilot.state = ingestState(t, clean)
	})
	return pilot.state
}

// snapshotState is what the published snapshot says, through hoctap query:
// the numbers a transform of the same data always gives.
func snapshotState(t *testing.T, ws string) string {
	t.Helper()
	r := runHoctap(t, ws, "query", "--format", "csv", `SELECT (SELECT count(*) FROM citizens) AS citizens, (SELECT count(*) FROM assessments) AS assessments,
		(SELECT count(*) FROM activities) AS activities, (SELECT count(*) FROM ingest_files) AS files,
		(SELECT sum(recognised) FROM progress_monthly WHERE level = 'city') AS recognised, (SELECT count(*) FROM goal_progress) AS goals`)
	if r.code != exitOK {
		return fmt.Sprintf("no snapshot: exit %d %s", r.code, r.stderr)
	}
	return r.stdout
}

// Killing hoctap transform at any instant leaves the published snapshot as
// it was, or the new one whole — never half — and the next transform
// publishes the same numbers.
func TestTransformSurvivesKill(t *testing.T) {
	ws := newPilotWorkspace(t, t.TempDir())
	if r := runHoctap(t, ws, "ingest"); r.code != exitData {
		t.Fatalf("ingest: exit %d\n%s", r.code, r.stderr)
	}
	start := time.Now()
	if r := runHoctap(t, ws, "transform", "--quiet"); r.code != exitOK {
		t.Fatalf("transform: exit %d\n%s", r.code, r.stderr)
	}
	took := time.Since(start)
	want := snapshotState(t, ws)
	const points = 8
	for i := 1; i <= points; i++ {
		delay := took * time.Duration(i) / (points + 1)
		cmd := exec.Command(binary, "transform", "--quiet")
		cmd.Dir = ws
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(delay)
		cmd.Process.Signal(os.Kill)
		cmd.Wait()
		if got := snapshotState(t, ws); got != want {
			t.Errorf("killed after %s: the published snapshot says\n%s\nwant\n%s", delay.Round(time.Millisecond), got, want)
		}
	}
	if r := runHoctap(t, ws, "transform", "--quiet"); r.code != exitOK || snapshotState(t, ws) != want {
		t.Errorf("transform after the kills: exit %d %s", r.code, r.stderr)
	}
}

// Killing hoctap report at any instant leaves no version folder without its
// manifest, nor a file in one that its manifest does not list (the web app
// serves a version's files by its manifest); a run after clears what the
// killed ones left.
func TestReportSurvivesKill(t *testing.T) {
	ws := newPilotWorkspace(t, t.TempDir())
	for _, args := range [][]string{{"ingest"}, {"transform", "--quiet"}} {
		if r := runHoctap(t, ws, args...); r.code != exitOK && r.code != exitData {
			t.Fatalf("%v: exit %d\n%s", args, r.code, r.stderr)
		}
	}
	start := time.Now()
	if r := runHoctap(t, ws, "report", "--month", "2021-03", "--lang", "vi"); r.code != exitOK {
		t.Fatalf("report: exit %d\n%s", r.code, r.stderr)
	}
	took := time.Since(start)
	month := filepath.Join(ws, "out/reports/2021-03")
	whole := func(when string) {
		t.Helper()
		versions, _ := filepath.Glob(filepath.Join(month, "v*"))
		for _, v := range versions {
			b, err := os.ReadFile(filepath.Join(v, "manifest.json"))
			var m struct{ Files []struct{ Path string } }
			if err != nil || json.Unmarshal(b, &m) != nil || len(m.Files) < 10 {
				t.Errorf("%s: %s has no manifest: %v", when, v, err)
				continue
			}
			listed := map[string]bool{"manifest.json": true}
			for _, f := range m.Files {
				listed[f.Path] = true
				if _, err := os.Stat(filepath.Join(v, filepath.FromSlash(f.Path))); err != nil {
					t.Errorf("%s: %s lists a file it lacks: %v", when, v, err)
				}
			}
			filepath.WalkDir(v, func(p string, d fs.DirEntry, err error) error {
				if err == nil && !d.IsDir() {
					rel, _ := filepath.Rel(v, p)
					if !listed[filepath.ToSlash(rel)] {
						t.Errorf("%s: %s holds %s, which its manifest does not list", when, v, rel)
					}
				}
				return err
			})
		}
	}
	// Killed at instants through the run, and killed the moment a new
	// version's folder appears: a folder named like a version must be whole
	// from its first instant.
	const points = 3
	for i := 1; i <= 2*points; i++ {
		delay := took * time.Duration(i) / (points + 1)
		before, _ := filepath.Glob(filepath.Join(month, "v*"))
		cmd := exec.Command(binary, "report", "--month", "2021-03", "--lang", "vi", "--force")
		cmd.Dir = ws
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		when := fmt.Sprintf("killed after %s", delay.Round(time.Millisecond))
		if i > points {
			when = "killed as its version's folder appeared"
			exited := make(chan struct{})
			go func() { cmd.Wait(); close(exited) }()
		watch:
			for {
				select {
				case <-exited:
					break watch
				default:
				}
				if now, _ := filepath.Glob(filepath.Join(month, "v*")); len(now) > len(before) {
					cmd.Process.Signal(os.Kill)
					break
				}
				time.Sleep(200 * time.Microsecond)
			}
			<-exited
		} else {
			time.Sleep(delay)
			cmd.Process.Signal(os.Kill)
			cmd.Wait()
		}
		whole(when)
	}
	r := runHoctap(t, ws, "report", "--month", "2021-03", "--lang", "vi", "--force")
	if r.code != exitOK {
		t.Fatalf("report after the kills: exit %d\n%s", r.code, r.stderr)
	}
	whole("after a whole run")
	if left, _ := filepath.Glob(filepath.Join(month, ".*")); len(left) > 0 {
		t.Errorf("the killed runs' leftovers stay: %v", left)
	}
}

// Two hoctap ingest at once: one loads, the other says the database is in
// use and touches nothing; every file is loaded once.
func TestTwoIngestsAtOnce(t *testing.T) {
	want := pilotIngested(t)
	ws := newPilotWorkspace(t, t.TempDir())
	results := make(chan result, 2)
	for i := 0; i < 2; i++ {
		go func() { results <- runHoctap(t, ws, "ingest") }()
	}
	a, b := <-results, <-results
	locked := 0
	for _, r := range []result{a, b} {
		switch {
		case r.code == exitData && strings.Contains(r.stderr, "is in use by PID"):
			locked++
		case r.code != exitOK && r.code != exitData: // the other ran after the first: nothing left, or it loaded all
			t.Errorf("an ingest: exit %d\n%s%s", r.code, r.stdout, r.stderr)
		}
	}
	if got := ingestState(t, ws); got != want {
		t.Errorf("after two ingests at once (%d refused the lock):\n got %s\nwant %s", locked, got, want)
	}
}

// A disk that fills during ingest or transform (here the file size limit of
// the process, ulimit -f, which stops writes where a full disk would) loses
// nothing: the run fails, the published snapshot stays whole, and a run
// with room loads every file once.
func TestFullDisk(t *testing.T) {
	if _, err := exec.LookPath("bash"); err != nil {
		t.Fatal("bash is needed to limit a process's file size (ulimit -f)")
	}
	limited := func(ws string, kb int, args ...string) result {
		t.Helper()
		cmd := exec.Command("bash", append([]string{"-c", fmt.Sprintf(`ulimit -f %d && exec "$0" "$@"`, kb), binary}, args...)...)
		cmd.Dir = ws
		var out, errb strings.Builder
		cmd.Stdout, cmd.Stderr = &out, &errb
		err := cmd.Run()
		code := 0
		if x, ok := err.(*exec.ExitError); ok {
			code = x.ExitCode()
			if code < 0 {
				code = 128 // killed by SIGXFSZ
			}
		}
		return result{code, out.String(), errb.String()}
	}
	want := pilotIngested(t)
	// 300 KB: a write fails (EFBIG), as on a full disk (ENOSPC); 600 KB:
	// the system stops the process (SIGXFSZ) in a write of DuckDB's.
	for _, kb := range []int{300, 600} {
		ws := newPilotWorkspace(t, t.TempDir())
		if r := limited(ws, kb, "ingest"); r.code == exitOK || r.code == exitData {
			t.Errorf("ingest with %d KB of disk: exit %d, want a failure\n%s", kb, r.code, r.stderr)
		}
		if r := runHoctap(t, ws, "ingest"); r.code != exitOK && r.code != exitData {
			t.Errorf("ingest with room: exit %d\n%s", r.code, r.stderr)
		}
		if got := ingestState(t, ws); got != want {
			t.Errorf("after a full disk (%d KB) and a run with room:\n got %s\nwant %s", kb, got, want)
		}
		if kb == 600 {
			if r := runHoctap(t, ws, "transform", "--quiet"); r.code != exitOK {
				t.Fatalf("transform: exit %d %s", r.code, r.stderr)
			}
			published := snapshotState(t, ws)
			if r := limited(ws, 2000, "transform", "--quiet"); r.code == exitOK {
				t.Errorf("transform with 2 MB of disk: exit 0, want a failure")
			}
			if got := snapshotState(t, ws); got != published {
				t.Errorf("the snapshot after a transform that filled the disk:\n%s\nwant\n%s", got, published)
			}
		}
	}
}
