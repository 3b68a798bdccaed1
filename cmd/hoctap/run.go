package main

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/hoctap/hoctap/config"
	"github.com/hoctap/hoctap/ingest"
	"github.com/hoctap/hoctap/schedule"
)

// runRun is one pass of what the scheduler does, for cron or by hand: load the
// inbox, rebuild and publish when something was loaded (or nothing was ever
// published), then render the reports due: every finished month of the
// programme without one (catch-ups) and the last finished month, which gets a
// new version when its numbers changed. A refused file does not stop the rest:
// the others still count, and the exit status says a file was refused. Each
// step is a run in job_runs.
func runRun(ctx context.Context, e *env, cmd *command, args []string) error {
	fs, cfgPath := flags(cmd, e)
	cfg, err := configFor(cmd, fs, cfgPath, args)
	if err != nil {
		return err
	}
	open := func(ctx context.Context) (schedule.DB, error) { return openPipeline(ctx, cfg) }
	record := func(r schedule.Run, fn func(context.Context) (int64, error)) error {
		return schedule.Record(ctx, open, r, e.now, fn)
	}
	fmt.Fprintln(e.stdout, "1. Nạp — ingest:")
	loaded, refused := 0, 0
	err = record(schedule.Run{Job: schedule.Ingest}, func(ctx context.Context) (int64, error) {
		outs, err := ingestOnce(ctx, e, cfg)
		refused = printOutcomes(e.stdout, cfg, outs)
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
		return err
	}
	_, statErr := os.Stat(cfg.Paths.Snapshot)
	switch {
	case loaded > 0 || errors.Is(statErr, os.ErrNotExist):
		fmt.Fprintln(e.stdout, "\n2. Tính toán — transform:")
		err := record(schedule.Run{Job: schedule.Transform}, func(ctx context.Context) (int64, error) {
			res, err := transformOnce(ctx, e, cfg)
			if err != nil {
				return 0, err
			}
			fmt.Fprintf(e.stdout, "transform: %d models, %d data tests passed; published %s\n", len(res.Models), len(res.Tests), res.Snapshot)
			var rows int64
			for _, m := range res.Models {
				rows += m.Rows
			}
			return rows, nil
		})
		if err != nil {
			return err
		}
	default:
		fmt.Fprintln(e.stdout, "\n2. Tính toán — transform: nothing new loaded, the published snapshot stands")
	}
	if err := reportsDue(ctx, e, cfg, record); err != nil {
		return err
	}
	if refused > 0 {
		return dataf("%d tệp bị từ chối — %d file(s) refused: see the receipts in %s", refused, refused, cfg.Paths.Quarantine)
	}
	return nil
}

// reportsDue renders the report of every finished month of the programme that
// has none (catch-ups, for months missed while nothing ran) and that of the
// last finished month, which gets a new version when its numbers changed.
func reportsDue(ctx context.Context, e *env, cfg *config.Config, record func(schedule.Run, func(context.Context) (int64, error)) error) error {
	db, err := openPipeline(ctx, cfg)
	if err != nil {
		return err
	}
	var months []string
	err = db.SelectContext(ctx, &months, "SELECT DISTINCT month FROM reports")
	db.Close()
	if err != nil {
		return err
	}
	rendered := map[string]bool{}
	for _, m := range months {
		rendered[m] = true
	}
	due := schedule.ReportsDue(cfg, e.now(), rendered)
	last := lastFinished(cfg, e.now())
	if last < cfg.Programme.Start.Format("2006-01") {
		fmt.Fprintf(e.stdout, "\n3. Báo cáo — report: no month of the programme has ended yet (it starts %s)\n", cfg.Programme.Start.Format("01/2006"))
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
		fmt.Fprintf(e.stdout, "\n3. Báo cáo — %s of %s:\n", what, d.Month)
		err := record(schedule.Run{Job: schedule.Report, Scheduled: d.Due, CatchUp: d.CatchUp}, func(ctx context.Context) (int64, error) {
			return 0, renderMonths(ctx, e, cfg, d.Month, d.Month, "")
		})
		if err != nil {
			return err
		}
	}
	return nil
}
