package main

import (
	"context"

	"github.com/hoctap/hoctap/config"
	"github.com/hoctap/hoctap/pipeline"
)

func runReport(ctx context.Context, e *env, cmd *command, args []string) error {
	fs, cfgPath := flags(cmd, e)
	month := fs.String("month", "", "the month to report on, YYYY-MM (required)")
	lang := fs.String("lang", "", "vi or en (default: every language of report.languages)")
	force := fs.Bool("force", false, "a new version even when the numbers are unchanged (after an upgrade that changed the layout)")
	logFormat := logFlag(fs)
	cfg, err := configFor(cmd, fs, cfgPath, args)
	if err != nil {
		return err
	}
	if *month == "" {
		return usagef(cmd, "--month is required")
	}
	m, err := config.ParseMonth(*month)
	if err != nil {
		return usagef(cmd, "--month: %v", err)
	}
	p, err := e.pipeline(cmd, cfg, *logFormat)
	if err != nil {
		return err
	}
	return p.Reports(ctx, pipeline.Span{From: m, To: m, Lang: *lang, Force: *force}, "month", m.String())
}

func runBackfill(ctx context.Context, e *env, cmd *command, args []string) error {
	fs, cfgPath := flags(cmd, e)
	from := fs.String("from", "", "the first month, YYYY-MM (default: the programme's first)")
	to := fs.String("to", "", "the last month, YYYY-MM (default: the programme's last, or the last finished month)")
	lang := fs.String("lang", "", "vi or en (default: every language of report.languages)")
	force := fs.Bool("force", false, "new versions even when the numbers are unchanged (after an upgrade that changed the layout)")
	logFormat := logFlag(fs)
	cfg, err := configFor(cmd, fs, cfgPath, args)
	if err != nil {
		return err
	}
	sp := pipeline.Span{From: cfg.Programme.Start.Month(), To: pipeline.LastFinished(cfg, e.now()), Lang: *lang, Force: *force}
	if *from != "" {
		if sp.From, err = config.ParseMonth(*from); err != nil {
			return usagef(cmd, "--from: %v", err)
		}
	}
	if *to != "" {
		if sp.To, err = config.ParseMonth(*to); err != nil {
			return usagef(cmd, "--to: %v", err)
		}
	}
	p, err := e.pipeline(cmd, cfg, *logFormat)
	if err != nil {
		return err
	}
	return p.Reports(ctx, sp, "from", sp.From.String(), "to", sp.To.String())
}
