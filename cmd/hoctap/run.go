package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync/atomic"

	"github.com/hoctap/hoctap/config"
	"github.com/hoctap/hoctap/deliver"
	"github.com/hoctap/hoctap/ingest"
	"github.com/hoctap/hoctap/reports"
	"github.com/hoctap/hoctap/schedule"
	"github.com/hoctap/hoctap/store"
	"github.com/hoctap/hoctap/web"
)

// runRun is one pass of what the scheduler does, for cron or by hand: load the
// inbox, rebuild and publish when something was loaded (or nothing was ever
// published), then render the reports due: every finished month of the
// programme without one (catch-ups) and the last finished month, which gets a
// new version when its numbers changed. A refused file does not stop the rest:
// the others still count, and the exit status says a file was refused. Then
// it sends the outbox's messages that are due. Each step is a run in job_runs.
func runRun(ctx context.Context, e *env, cmd *command, args []string) error {
	fs, cfgPath := flags(cmd, e)
	logFormat := logFlag(fs)
	cfg, err := configFor(cmd, fs, cfgPath, args)
	if err != nil {
		return err
	}
	log, err := e.logger(cmd, cfg, *logFormat)
	if err != nil {
		return err
	}
	p := &pipeline{e: e, cfg: cfg, snap: snapshotOf(cfg), log: log}
	fmt.Fprintln(e.stdout, "1. Nạp — ingest:")
	refused, err := p.ingest(ctx, schedule.Run{Job: schedule.Ingest})
	if err != nil {
		return err
	}
	if err := p.reportsDue(ctx); err != nil {
		return err
	}
	if err := p.deliverDue(ctx, schedule.Run{Job: schedule.Deliver}); err != nil {
		return err
	}
	if refused > 0 {
		return dataf("%d tệp bị từ chối — %d file(s) refused: see the receipts in %s", refused, refused, cfg.Paths.Quarantine)
	}
	return nil
}

// pipeline runs the jobs of one workspace, each recorded in job_runs and
// logged: what hoctap run does once and hoctap serve on its schedule.
type pipeline struct {
	e    *env
	cfg  *config.Config
	log  *slog.Logger
	snap *store.Snapshot // the published snapshot, shared with the web app
	// outcomes, when set, is told what each ingest did with each file.
	outcomes func([]ingest.Outcome)
	// runs, when set, is told of each run when it ends.
	runs func(web.Run)
	// outbox and outboxCounts, when set, are told what the outbox holds
	// after each delivery.
	outbox       *web.Outbox
	outboxCounts func(map[deliver.Status]int)
	// resend asks the next delivery to queue the failed messages again
	// (the outbox page's button).
	resend atomic.Bool
}

// record runs fn as the run r, kept in job_runs, and logs its line; attrs
// are more of the line's keys and values (the month of a report).
func (p *pipeline) record(ctx context.Context, r schedule.Run, fn func(context.Context) (int64, error), attrs ...any) error {
	open := func(ctx context.Context) (*store.DB, error) { return openPipeline(ctx, p.cfg) }
	started := p.e.now()
	var rows int64
	err := schedule.Record(ctx, open, r, p.e.now, func(ctx context.Context) (int64, error) {
		n, err := fn(ctx)
		rows = n
		return n, err
	})
	finished := p.e.now()
	logJob(ctx, p.log, r, finished.Sub(started), rows, err, attrs...)
	if p.runs != nil {
		p.runs(web.Run{Job: r.Job, Scheduled: r.Scheduled, Started: started, Finished: finished, CatchUp: r.CatchUp, Rows: rows, Err: err})
	}
	return err
}

// ingest loads the inbox, then rebuilds and publishes when a file was loaded
// or refused (the snapshot's data quality and the refused files' receipts,
// which the web app lists from it, change too) or nothing was ever
// published. It returns how many files were refused.
func (p *pipeline) ingest(ctx context.Context, r schedule.Run) (refused int, err error) {
	e, cfg := p.e, p.cfg
	loaded := 0
	err = p.record(ctx, r, func(ctx context.Context) (int64, error) {
		outs, err := ingestOnce(ctx, e, cfg)
		logFiles(ctx, p.log, outs)
		refused = printOutcomes(e.stdout, cfg, outs)
		if p.outcomes != nil {
			p.outcomes(outs)
		}
		rows := 0
		for _, o := range outs {
			if o.Status == ingest.StatusLoaded {
				loaded++
				rows += o.Rows
			}
		}
		return int64(rows), err
	})
	if err != nil {
		return refused, err
	}
	if _, statErr := os.Stat(cfg.Paths.Snapshot); loaded == 0 && refused == 0 && !errors.Is(statErr, os.ErrNotExist) {
		fmt.Fprintln(e.stdout, "transform: nothing new loaded, the published snapshot stands")
		return refused, nil
	}
	err = p.record(ctx, schedule.Run{Job: schedule.Transform, Scheduled: r.Scheduled}, func(ctx context.Context) (int64, error) {
		res, err := transformOnce(ctx, e, cfg)
		if err != nil {
			return 0, err
		}
		fmt.Fprintf(e.stdout, "transform: %d models, %d data tests passed; published %s\n", len(res.Models), len(res.Tests), res.Snapshot)
		logPublished(ctx, p.log, res)
		return modelRows(res), nil
	})
	return refused, err
}

// report renders the report of month for the run r.
func (p *pipeline) report(ctx context.Context, r schedule.Run, month string) error {
	return p.record(ctx, r, func(ctx context.Context) (int64, error) {
		_, err := renderMonths(ctx, p.e, p.log, p.cfg, p.snap, span{From: month, To: month})
		return 0, err
	}, "month", month)
}

// reportsDue renders the report of every finished month of the programme that
// has none (catch-ups, for months missed while nothing ran) and that of the
// last finished month, which gets a new version when its numbers changed.
func (p *pipeline) reportsDue(ctx context.Context) error {
	e, cfg := p.e, p.cfg
	db, err := openPipeline(ctx, cfg)
	if err != nil {
		return err
	}
	entries, err := reports.Entries(ctx, db)
	db.Close()
	if err != nil {
		return err
	}
	rendered := map[string]bool{}
	for _, en := range entries {
		rendered[en.Month] = true
	}
	due := schedule.ReportsDue(cfg, e.now(), rendered)
	last := lastFinished(cfg, e.now())
	if last < cfg.Programme.Start.Format("2006-01") {
		fmt.Fprintf(e.stdout, "report: no month of the programme has ended yet (it starts %s)\n", cfg.Programme.Start.Format("01/2006"))
		return nil
	}
	if n := len(due); n == 0 || due[n-1].Month != last {
		due = append(due, schedule.ReportDue{Month: last})
	}
	for _, d := range due {
		what := "report"
		if d.CatchUp {
			what = "catch-up report, due " + d.Due.Format("2006-01-02 15:04")
		}
		fmt.Fprintf(e.stdout, "%s of %s:\n", what, d.Month)
		if err := p.report(ctx, schedule.Run{Job: schedule.Report, Scheduled: d.Due, CatchUp: d.CatchUp}, d.Month); err != nil {
			return err
		}
	}
	return nil
}
