package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/hoctap/hoctap/config"
	"github.com/hoctap/hoctap/query"
	"github.com/hoctap/hoctap/store"
)

func runTransform(ctx context.Context, e *env, cmd *command, args []string) error {
	fs, cfgPath := flags(cmd, e)
	quiet := fs.Bool("quiet", false, "print only the summary line")
	full := fs.Bool("full", false, "compute every model whole, not only what the files received since the last run change")
	logFormat := logFlag(fs)
	cfg, err := configFor(cmd, fs, cfgPath, args)
	if err != nil {
		return err
	}
	p, err := e.pipeline(cmd, cfg, *logFormat)
	if err != nil {
		return err
	}
	return p.Transform(ctx, *quiet, *full)
}

func runQuery(ctx context.Context, e *env, cmd *command, args []string) error {
	fs, cfgPath := flags(cmd, e)
	format := fs.String("format", "table", "table, csv or json")
	maxRows := fs.Int("max-rows", 0, "the most rows to print (default: database.max_rows)")
	pos, err := parse(fs, cmd, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef(cmd, "expected one SQL statement in quotes (or - to read it from standard input)")
	}
	if *format != query.FormatTable && *format != query.FormatCSV && *format != query.FormatJSON {
		return usagef(cmd, "--format %q: expected table, csv or json", *format)
	}
	sql := pos[0]
	if sql == "-" {
		b, err := io.ReadAll(e.stdin)
		if err != nil {
			return fmt.Errorf("query: reading standard input: %w", err)
		}
		sql = string(b)
	}
	cfg, err := loadConfig(*cfgPath)
	if err != nil {
		return err
	}
	limit := cfg.Database.MaxRows
	if *maxRows > 0 {
		limit = *maxRows
	}
	runner, err := queryRunner(cfg)
	if err != nil {
		return err
	}
	res, err := runner.Run(ctx, sql, query.Options{MaxRows: limit, MaxBytes: int64(cfg.Database.MaxResultSize), Timeout: cfg.Database.QueryTimeout.Duration, Zone: cfg.Location})
	if errors.Is(err, query.ErrNotPublished) {
		return dataf("chưa có bản công bố — no published snapshot yet at %s: run \"hoctap transform\" first", cfg.Paths.Snapshot)
	}
	if err != nil {
		return dataf("%v", err) // the person's SQL, refused or failing: theirs to fix
	}
	return query.Write(e.stdout, res, *format)
}

// queryRunner runs ad-hoc queries on cfg's snapshot, each in a hoctap
// query-worker process of its own, within the database section's limits.
func queryRunner(cfg *config.Config) (*query.Runner, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("query: %w", err)
	}
	opt := store.OptionsFrom(cfg)
	opt.MemoryLimit, opt.MaxTempSize = cfg.Database.QueryMemoryLimit, cfg.Database.QueryTempLimit
	mem, _ := config.ParseByteSize(cfg.Database.QueryMemoryLimit) // checked by the loader
	return &query.Runner{Program: exe, Args: []string{"query-worker"}, Snapshot: cfg.Paths.Snapshot, Database: opt,
		ProcessMemory: 2*int64(mem) + 512<<20, Workers: cfg.Database.QueryWorkers}, nil
}

// runQueryWorker is one query's process (query.Runner starts it).
func runQueryWorker(ctx context.Context, e *env, cmd *command, args []string) error {
	if len(args) > 0 {
		return usagef(cmd, "hoctap query-worker takes no arguments: hoctap starts it")
	}
	return query.Work(ctx, e.stdin, e.stdout)
}
