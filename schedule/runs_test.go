package schedule

import (
	"context"
	"database/sql"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/hoctap/hoctap/store"
)

// Runs left running by processes that are gone are closed by the next
// Record, on a real database: a process of this machine that no longer
// exists, and an earlier process that had this process's id (a container's
// restarted process). This process's own running runs, a live process's and
// another machine's are left running.
func TestRecordClosesOrphanedRuns(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "hoctap.duckdb")
	db, err := store.Open(ctx, path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	ended := exec.Command(os.Args[0], "-test.run", "^$")
	if err := ended.Run(); err != nil {
		t.Fatal(err)
	}
	host, _ := os.Hostname()
	earlier := processStarted.Add(-time.Hour)
	rows := []struct {
		job     string
		host    string
		pid     int
		started time.Time
		closed  bool
	}{
		{"gone", host, ended.Process.Pid, earlier, true},
		{"same id, earlier process", host, os.Getpid(), earlier, true},
		{"this process", host, os.Getpid(), processStarted, false},
		{"alive", host, os.Getppid(), earlier, false},
		{"another machine", "another-machine", ended.Process.Pid, earlier, false},
	}
	for _, r := range rows {
		if _, err := db.ExecContext(ctx, `INSERT INTO job_runs (run_id, job, started_at, status, host, pid, process_started)
			VALUES (nextval('job_run_ids'), ?, ?, 'running', ?, ?, ?)`, r.job, earlier, r.host, r.pid, r.started); err != nil {
			t.Fatal(err)
		}
	}
	open := func(context.Context) (*store.DB, error) { return store.Open(ctx, path, store.Options{}) }
	db.Close()
	now := func() time.Time { return time.Date(2021, 3, 1, 0, 0, 0, 0, time.UTC) }
	if err := Record(ctx, open, Run{Job: Ingest}, now, func(context.Context) (int64, error) { return 7, nil }); err != nil {
		t.Fatal(err)
	}

	db, err = store.Open(ctx, path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		var status string
		var msg sql.NullString
		if err := db.QueryRowContext(ctx, `SELECT status, error FROM job_runs WHERE job = ?`, r.job).Scan(&status, &msg); err != nil {
			t.Fatal(err)
		}
		switch {
		case r.closed && (status != "failed" || msg.String == ""):
			t.Errorf("%s: %s %q, want failed, saying why", r.job, status, msg.String)
		case !r.closed && status != "running":
			t.Errorf("%s: %s %q, want it left running", r.job, status, msg.String)
		}
	}
	var got struct {
		Status string    `db:"status"`
		Rows   int64     `db:"rows_affected"`
		Host   string    `db:"host"`
		Pid    int       `db:"pid"`
		Start  time.Time `db:"process_started"`
	}
	if err := db.GetContext(ctx, &got, `SELECT status, rows_affected, host, pid, process_started FROM job_runs WHERE job = ?`, Ingest); err != nil {
		t.Fatal(err)
	}
	if got.Status != "ok" || got.Rows != 7 || got.Host != host || got.Pid != os.Getpid() || !got.Start.Equal(processStarted) {
		t.Errorf("the run: %+v", got)
	}
}
