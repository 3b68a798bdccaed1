package main

import (
	"context"
	"flag"
	"log/slog"
	"time"

	"github.com/hoctap/hoctap/config"
	"github.com/hoctap/hoctap/ingest"
	"github.com/hoctap/hoctap/schedule"
	"github.com/hoctap/hoctap/transform"
)

// The commands that run unattended (serve, run, ingest, transform, report,
// backfill, deliver) log on standard error, with slog and these keys, so that
// an operator (journalctl, a log collector) can follow them:
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
// terminal reads (receipts, tables) stays on standard output, as it was.

// logFlag adds --log-format to the flags of a command that runs unattended.
func logFlag(fs *flag.FlagSet) *string {
	return fs.String("log-format", "", "the log lines on standard error: text or json (default: server.log_format, text)")
}

// logger is the log of a command that runs unattended, on standard error, in
// format (text or json; "": the configuration's server.log_format).
func (e *env) logger(cmd *command, cfg *config.Config, format string) (*slog.Logger, error) {
	if format == "" {
		format = cfg.Server.LogFormat
	}
	opt := &slog.HandlerOptions{}
	switch format {
	case config.LogText:
		return slog.New(slog.NewTextHandler(e.stderr, opt)), nil
	case config.LogJSON:
		// A duration in JSON is a number of seconds, not of nanoseconds.
		opt.ReplaceAttr = func(_ []string, a slog.Attr) slog.Attr {
			if a.Value.Kind() == slog.KindDuration {
				a.Value = slog.Float64Value(a.Value.Duration().Seconds())
			}
			return a
		}
		return slog.New(slog.NewJSONHandler(e.stderr, opt)), nil
	}
	return nil, usagef(cmd, "--log-format %q: expected text or json", format)
}

// logJob logs the line of one run of a job: when it was due (for a scheduled
// run), the rows it reports, how long it took, and its error.
func logJob(ctx context.Context, log *slog.Logger, r schedule.Run, took time.Duration, rows int64, err error, attrs ...any) {
	args := []any{"job", r.Job}
	if !r.Scheduled.IsZero() {
		args = append(args, "scheduled", r.Scheduled)
	}
	if r.CatchUp {
		args = append(args, "catch_up", true)
	}
	args = append(args, attrs...)
	args = append(args, "rows", rows, "duration", took)
	level := slog.LevelInfo
	if err != nil {
		level = slog.LevelError
		args = append(args, "err", err)
	}
	log.Log(ctx, level, "job", args...)
}

// logPublished logs the snapshot a transform published.
func logPublished(ctx context.Context, log *slog.Logger, res *transform.Result) {
	log.InfoContext(ctx, "snapshot published", "job", schedule.Transform, "models", len(res.Models), "tests", len(res.Tests),
		"rows", modelRows(res), "snapshot", res.Snapshot, "duration", res.Duration)
}

// modelRows is how many rows a transform's models made.
func modelRows(res *transform.Result) int64 {
	var n int64
	for _, m := range res.Models {
		n += m.Rows
	}
	return n
}

// logFiles logs a line per file an ingest took, refused or left.
func logFiles(ctx context.Context, log *slog.Logger, outs []ingest.Outcome) {
	for _, o := range outs {
		file := o.Name
		if o.Ward != "" {
			file = o.Ward + "/" + o.Name
		}
		args := []any{"job", schedule.Ingest, "file", file, "ward", o.Ward, "status", string(o.Status)}
		level := slog.LevelInfo
		switch o.Status {
		case ingest.StatusLoaded:
			args = append(args, "rows", o.Rows, "datasets", o.Datasets)
			if o.Result != nil {
				args = append(args, "warnings", o.Result.Warnings())
			}
			if len(o.Superseded) > 0 {
				args = append(args, "replaces", o.Superseded)
			}
		case ingest.StatusRefused:
			level = slog.LevelWarn
			if o.Result != nil {
				args = append(args, "errors", o.Result.Errors())
			}
			args = append(args, "receipt", o.Receipt)
		case ingest.StatusDuplicate:
			args = append(args, "earlier", o.Earlier)
		case ingest.StatusFailed:
			level = slog.LevelError
			args = append(args, "err", o.Reason)
		default: // waiting, skipped
			level = slog.LevelWarn
			args = append(args, "reason", o.Reason)
		}
		log.Log(ctx, level, "file "+string(o.Status), args...)
	}
}
