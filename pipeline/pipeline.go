// Package pipeline runs the jobs of one workspace: ingest, transform, the
// monthly reports, the reminder, the backup (with the archive's mirror) and
// the delivery of the outbox, each recorded in job_runs and logged. It is what
// hoctap run does once and hoctap serve on its schedule; the commands only
// wire it (flags, configuration, exit codes).
//
// Every job logs with log/slog and these keys, so that an operator
// (journalctl, a log collector) can follow it:
//
//	job       the job: ingest, transform, report, reminder, backup, deliver
//	file      a ward file, as ward/name
//	ward      a ward's code
//	month     a month, YYYY-MM
//	rows      rows loaded, modelled, sent, …
//	duration  how long it took (seconds in JSON)
//	err       what went wrong
//
// One line per job run ("job"), per file taken or refused ("file …"), per
// report written ("report written", "report unchanged") and per delivery
// attempt ("delivery attempt", from package deliver). What a person at the
// terminal reads (receipts, tables) goes to Out.
package pipeline

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"path/filepath"
	"sync/atomic"
	"time"

	"github.com/hoctap/hoctap"
	"github.com/hoctap/hoctap/config"
	"github.com/hoctap/hoctap/deliver"
	"github.com/hoctap/hoctap/ingest"
	"github.com/hoctap/hoctap/schedule"
	"github.com/hoctap/hoctap/store"
)

// Pipeline runs the jobs of one workspace.
type Pipeline struct {
	Cfg     *config.Config
	Snap    *store.Snapshot // the published snapshot, shared with the web app
	Out     io.Writer       // what a person at the terminal reads
	Log     *slog.Logger
	Now     func() time.Time
	Program string // the program's version, in each report's manifest

	// Outcomes, when set, is told what each ingest did with each file.
	Outcomes func([]ingest.Outcome)
	// Runs, when set, is told of each run when it ends.
	Runs func(Ended)
	// Outbox and OutboxCounts, when set, are told what the outbox holds
	// after each delivery.
	Outbox       func(rows []deliver.Row, at time.Time)
	OutboxCounts func(map[deliver.Status]int)

	// resend asks the next delivery to queue the failed messages again
	// (the outbox page's button).
	resend atomic.Bool
}

// Ended is a run that has ended.
type Ended struct {
	schedule.Run
	Started, Finished time.Time
	Rows              int64
	Err               error
}

// New is the pipeline of cfg, its published snapshot read-only and sandboxed.
func New(cfg *config.Config, out io.Writer, log *slog.Logger, now func() time.Time, program string) *Pipeline {
	return &Pipeline{Cfg: cfg, Snap: SnapshotOf(cfg), Out: out, Log: log, Now: now, Program: program}
}

// Error is a request or data that is wrong in a way the user can fix; its
// message says what.
type Error struct{ msg string }

func (e *Error) Error() string { return e.msg }

func errorf(format string, args ...any) error { return &Error{msg: fmt.Sprintf(format, args...)} }

// Once is one pass of what the scheduler does, for cron or by hand: load the
// inbox, rebuild and publish when something was loaded (or nothing was ever
// published), then render the reports due: every finished month of the
// programme without one (catch-ups) and the last finished month, which gets a
// new version when its numbers changed. A refused file does not stop the rest:
// the others still count, and the error says a file was refused. Then it
// sends the outbox's messages that are due. Each step is a run in job_runs.
func (p *Pipeline) Once(ctx context.Context) error {
	fmt.Fprintln(p.Out, "1. Nạp — ingest:")
	refused, err := p.Ingest(ctx, schedule.Run{Job: schedule.Ingest})
	if err != nil {
		return err
	}
	if err := p.ReportsDue(ctx); err != nil {
		return err
	}
	if err := p.DeliverDue(ctx, schedule.Run{Job: schedule.Deliver}); err != nil {
		return err
	}
	return p.refusedError(refused)
}

func (p *Pipeline) refusedError(refused int) error {
	if refused > 0 {
		return errorf("%d tệp bị từ chối — %d file(s) refused: see the receipts in %s", refused, refused, p.Cfg.Paths.Quarantine)
	}
	return nil
}

// Task runs the scheduled run r: the scheduler's task.
func (p *Pipeline) Task(ctx context.Context, r schedule.Run) error {
	fmt.Fprintf(p.Out, "%s %s\n", r.Scheduled.Format("2006-01-02 15:04"), r.Job)
	switch r.Job {
	case schedule.Ingest:
		_, err := p.Ingest(ctx, r)
		return err
	case schedule.Report:
		month := schedule.MonthReported(r.Scheduled)
		if !p.Cfg.Programme.Holds(month) {
			fmt.Fprintf(p.Out, "report: %s is outside the programme, nothing to render\n", month)
			return nil
		}
		if err := p.report(ctx, r, month); err != nil {
			return err
		}
		return p.DeliverDue(ctx, schedule.Run{Job: schedule.Deliver, Scheduled: r.Scheduled})
	case schedule.Reminder:
		return p.Reminder(ctx, r)
	case schedule.Backup:
		return p.Backup(ctx, r)
	case schedule.Deliver:
		return p.DeliverDue(ctx, r)
	}
	return fmt.Errorf("unknown job %s", r.Job)
}

// Scheduler is the service that runs p's jobs on the configuration's
// schedule, one at a time; a run that finds the database held by another
// process (a command run by hand) is tried again later.
func (p *Pipeline) Scheduler() *schedule.Service {
	return &schedule.Service{Cfg: p.Cfg, Task: p.Task, Transient: func(err error) bool {
		return errors.Is(err, store.ErrLocked)
	}, Errors: func(r schedule.Run, err error) {
		// The run's own line has its error; this is the scheduler's word
		// on it (it tries a held database again). slog quotes (text) or
		// escapes (JSON) a file's name in it: it cannot forge a line.
		p.Log.Warn("scheduled run failed", "job", r.Job, "scheduled", r.Scheduled, "err", err)
	}}
}

// CatchUp renders the reports due when the scheduler starts (those missed
// while it was down) and sends what the outbox holds due; a failure is
// logged, and the scheduler starts all the same.
func (p *Pipeline) CatchUp(ctx context.Context) {
	if err := p.ReportsDue(ctx); err != nil {
		p.Log.Error("reports due at start", "job", schedule.Report, "err", err)
	}
	if err := p.DeliverDue(ctx, schedule.Run{Job: schedule.Deliver}); err != nil {
		p.Log.Error("delivery at start", "job", schedule.Deliver, "err", err)
	}
}

// Resend asks the next delivery to queue the failed messages again first.
func (p *Pipeline) Resend() { p.resend.Store(true) }

// record runs fn as the run r, kept in job_runs, and logs its line; attrs
// are more of the line's keys and values (the month of a report).
func (p *Pipeline) record(ctx context.Context, r schedule.Run, fn func(context.Context) (int64, error), attrs ...any) error {
	open := func(ctx context.Context) (*store.DB, error) { return Open(ctx, p.Cfg) }
	started := p.Now()
	var rows int64
	err := schedule.Record(ctx, open, r, p.Now, func(ctx context.Context) (int64, error) {
		n, err := fn(ctx)
		rows = n
		return n, err
	})
	finished := p.Now()
	p.logJob(ctx, r, finished.Sub(started), rows, err, attrs...)
	if p.Runs != nil {
		p.Runs(Ended{Run: r, Started: started, Finished: finished, Rows: rows, Err: err})
	}
	return err
}

// Open opens the pipeline's own database, for writing, with its tables up to
// date.
func Open(ctx context.Context, cfg *config.Config) (*store.DB, error) {
	db, err := store.Open(ctx, cfg.Paths.Database, store.OptionsFrom(cfg))
	if err != nil {
		return nil, err
	}
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// SnapshotOf is the published snapshot of cfg, read-only and sandboxed.
func SnapshotOf(cfg *config.Config) *store.Snapshot {
	opt := store.OptionsFrom(cfg)
	opt.Sandbox = true
	return &store.Snapshot{Path: cfg.Paths.Snapshot, Options: opt}
}

// Fresh opens snap as it is now, or says that nothing is published yet.
func Fresh(ctx context.Context, snap *store.Snapshot) (*store.DB, error) {
	db, err := snap.Fresh(ctx)
	if errors.Is(err, store.ErrNotPublished) {
		return nil, errorf("chưa có bản công bố — no published snapshot yet at %s: run \"hoctap transform\" first", snap.Path)
	}
	return db, err
}

// SQL is the models and data tests of sql/, embedded at build time.
func SQL() fs.FS {
	sub, err := fs.Sub(hoctap.SQL, "sql")
	if err != nil {
		panic(err) // the embedded tree is fixed at build time
	}
	return sub
}

// Rel shows path relative to base when it lies inside it.
func Rel(base, path string) string {
	abs, err := filepath.Abs(base)
	if err != nil {
		return path
	}
	if r, err := filepath.Rel(abs, path); err == nil && !filepath.IsAbs(r) && r != ".." && (len(r) < 3 || r[:3] != "../") {
		return filepath.Join(base, r)
	}
	return path
}
