package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"text/tabwriter"

	"github.com/hoctap/hoctap"
	"github.com/hoctap/hoctap/config"
	"github.com/hoctap/hoctap/query"
	"github.com/hoctap/hoctap/schedule"
	"github.com/hoctap/hoctap/store"
	"github.com/hoctap/hoctap/transform"
)

func runTransform(ctx context.Context, e *env, cmd *command, args []string) error {
	fs, cfgPath := flags(cmd, e)
	quiet := fs.Bool("quiet", false, "print only the summary line")
	logFormat := logFlag(fs)
	cfg, err := configFor(cmd, fs, cfgPath, args)
	if err != nil {
		return err
	}
	log, err := e.logger(cmd, cfg, *logFormat)
	if err != nil {
		return err
	}
	started := e.now()
	res, err := transformOnce(ctx, e, cfg)
	if res != nil && !*quiet {
		printTransform(e, res)
	}
	var rows int64
	if res != nil {
		rows = modelRows(res)
	}
	logJob(ctx, log, schedule.Run{Job: schedule.Transform}, e.now().Sub(started), rows, err)
	if err != nil {
		return err
	}
	logPublished(ctx, log, res)
	fmt.Fprintf(e.stdout, "transform: %d models, %d data tests passed in %s; published %s\n",
		len(res.Models), len(res.Tests), res.Duration.Round(1e6), res.Snapshot)
	return nil
}

// transformOnce runs the models and tests and publishes the snapshot.
func transformOnce(ctx context.Context, e *env, cfg *config.Config) (*transform.Result, error) {
	db, err := openPipeline(ctx, cfg)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	return transform.Run(ctx, db, cfg, sqlFiles(), e.now())
}

// openPipeline opens the pipeline's own database, for writing, with its tables
// up to date.
func openPipeline(ctx context.Context, cfg *config.Config) (*store.DB, error) {
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

func sqlFiles() fs.FS {
	sub, err := fs.Sub(hoctap.SQL, "sql")
	if err != nil {
		panic(err) // the embedded tree is fixed at build time
	}
	return sub
}

func printTransform(e *env, res *transform.Result) {
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "model\trows\tms\t")
	for _, m := range res.Models {
		fmt.Fprintf(tw, "%s\t%d\t%d\t\n", m.Name, m.Rows, m.Duration.Milliseconds())
	}
	tw.Flush()
	for _, t := range res.Tests {
		mark := "ok"
		if t.Rows > 0 {
			mark = fmt.Sprintf("FAILED (%d rows)", t.Rows)
		}
		fmt.Fprintf(e.stdout, "test %-32s %s\n", t.Name, mark)
	}
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

// openSnapshot opens the published snapshot read-only and sandboxed.
func openSnapshot(ctx context.Context, cfg *config.Config) (*store.DB, error) {
	return openFresh(ctx, snapshotOf(cfg))
}

// snapshotOf is the published snapshot of cfg, read-only and sandboxed.
func snapshotOf(cfg *config.Config) *store.Snapshot {
	opt := store.OptionsFrom(cfg)
	opt.Sandbox = true
	return &store.Snapshot{Path: cfg.Paths.Snapshot, Options: opt}
}

// openFresh opens snap as it is now, or says that nothing is published yet.
func openFresh(ctx context.Context, snap *store.Snapshot) (*store.DB, error) {
	db, err := snap.Fresh(ctx)
	if errors.Is(err, store.ErrNotPublished) {
		return nil, dataf("chưa có bản công bố — no published snapshot yet at %s: run \"hoctap transform\" first", snap.Path)
	}
	return db, err
}
