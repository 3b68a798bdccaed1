package schedule

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"os"
	"time"

	"github.com/hoctap/hoctap/store"
)

// Run is one run of a job.
type Run struct {
	Job       string
	Scheduled time.Time // the instant it was due; zero when started by hand
	CatchUp   bool      // run on start for an instant missed while down
}

//go:embed sql/*.sql
var queries embed.FS

// query is the text of sql/name.sql.
func query(name string) string {
	b, err := queries.ReadFile("sql/" + name + ".sql")
	if err != nil {
		panic(err) // the embedded files are fixed at build time
	}
	return string(b)
}

// Opener opens the pipeline's database for writing.
type Opener func(context.Context) (*store.DB, error)

// Record runs fn as r and keeps its history in job_runs: a row with status
// running, naming this machine and process, is committed before fn starts and
// completed (ok or failed, the error, the rows fn reports, the end) when it
// returns, so a process stopped mid-run leaves a run with no end rather than
// no trace. The database is opened only around these writes: fn opens it
// itself, and DuckDB has one writer.
//
// Before it starts, runs left running on this machine by a process that is
// gone are closed as failed: their end is unknown, and their error says so.
func Record(ctx context.Context, open Opener, r Run, now func() time.Time, fn func(context.Context) (rows int64, err error)) error {
	var id int64
	host, _ := os.Hostname()
	err := write(ctx, open, func(db *store.DB) error {
		if err := closeOrphans(ctx, db, host); err != nil {
			return err
		}
		var scheduled sql.NullTime
		if !r.Scheduled.IsZero() {
			scheduled = sql.NullTime{Time: r.Scheduled, Valid: true}
		}
		return db.GetContext(ctx, &id, query("start"), r.Job, scheduled, now(), r.CatchUp, host, os.Getpid(), processStarted)
	})
	if err != nil {
		return fmt.Errorf("job %s: recording its start: %w", r.Job, err)
	}
	rows, runErr := fn(ctx)
	status, msg := "ok", sql.NullString{}
	if runErr != nil {
		status, msg = "failed", sql.NullString{String: runErr.Error(), Valid: true}
	}
	err = write(ctx, open, func(db *store.DB) error {
		_, err := db.ExecContext(ctx, query("finish"), now(), status, msg, rows, id)
		return err
	})
	if runErr != nil {
		return runErr
	}
	if err != nil {
		return fmt.Errorf("job %s: recording its end: %w", r.Job, err)
	}
	return nil
}

// processStarted tells this process from an earlier one that had its id:
// when it started, on the real clock, to the microsecond DuckDB keeps.
var processStarted = time.Now().Truncate(time.Microsecond)

// closeOrphans marks failed the runs recorded as running by processes of this
// machine that no longer exist: an id no process has now, or this process's
// id when an earlier process had it. Runs of this process, of other machines,
// or recorded before the process was kept are left alone.
func closeOrphans(ctx context.Context, db *store.DB, host string) error {
	var procs []struct {
		Pid     int       `db:"pid"`
		Started time.Time `db:"process_started"`
	}
	if err := db.SelectContext(ctx, &procs, query("running"), host, os.Getpid(), processStarted); err != nil {
		return err
	}
	for _, p := range procs {
		if p.Pid != os.Getpid() && !gone(p.Pid) {
			continue
		}
		if _, err := db.ExecContext(ctx, query("orphaned"), fmt.Sprintf("bị ngắt: tiến trình %d trên máy %s đã dừng trước khi xong — interrupted: process %d on %s stopped before the run ended", p.Pid, host, p.Pid, host),
			host, p.Pid, p.Started); err != nil {
			return err
		}
	}
	return nil
}

func write(ctx context.Context, open Opener, fn func(*store.DB) error) error {
	db, err := open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	return fn(db)
}
