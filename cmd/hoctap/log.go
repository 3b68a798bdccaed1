package main

import (
	"flag"
	"log/slog"

	"github.com/hoctap/hoctap/config"
)

// The commands that run unattended (serve, run, ingest, transform, report,
// backfill, deliver) log on standard error, with slog and the keys package
// pipeline lists; what a person at the terminal reads (receipts, tables)
// stays on standard output.

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
