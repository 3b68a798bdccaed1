package transform

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/hoctap/hoctap/config"
	"github.com/hoctap/hoctap/store"
)

// Result says what one transform did.
type Result struct {
	Models   []Step
	Tests    []Step
	Snapshot string // the published file; "" when nothing was published
	Duration time.Duration
	// Config and Publish are the time spent loading the configuration tables and
	// writing the snapshot.
	Config, Publish time.Duration
	TestsFail       []TestFailure
	// Kind is KindFull or KindIncremental; for a full run of Run, Reason
	// says why it was not incremental, and for an incremental one People is
	// how many people it recomputed.
	Kind   string
	Reason string
	People int64
}

// Step is one model or test run.
type Step struct {
	Name     string
	File     string
	Rows     int64 // a model's rows; a test's failing rows
	Duration time.Duration
	Mode     string // ModeWhole or ModePeople (see incremental.go)
}

// TestFailure is a data test that returned rows.
type TestFailure struct {
	Test, File string
	Rows       int64
	// Sample holds the first failing rows, formatted.
	Sample []string
}

// ErrTestsFailed is returned (wrapped in *TestsFailedError) when a data test fails:
// nothing is published.
var ErrTestsFailed = errors.New("transform: data tests failed")

// TestsFailedError lists every failing data test.
type TestsFailedError struct{ Failures []TestFailure }

func (e *TestsFailedError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d data test(s) failed, nothing published:", len(e.Failures))
	for _, f := range e.Failures {
		fmt.Fprintf(&b, "\n  %s (%s): %d row(s)", f.Test, f.File, f.Rows)
		for _, s := range f.Sample {
			fmt.Fprintf(&b, "\n    %s", s)
		}
	}
	return b.String()
}

func (e *TestsFailedError) Unwrap() error { return ErrTestsFailed }

// Run loads the configuration tables, runs every model of sqlFS's models folder
// in dependency order and every test of its tests folder, records each step in
// model_runs, and publishes the snapshot at cfg.Paths.Snapshot when all tests
// pass. at is the run's time (recorded, never read from a clock here).
//
// The models are written straight into the new snapshot file (see build), not
// into the pipeline's database: readers read them there, and a run whose tests
// fail leaves the published snapshot as it was. When the published snapshot
// was made from the same configuration and SQL, the run is incremental (see
// incremental.go): it starts from a copy of it and recomputes only what the
// files changed since can change.
func Run(ctx context.Context, db *store.DB, cfg *config.Config, sqlFS fs.FS, at time.Time) (*Result, error) {
	return run(ctx, db, cfg, sqlFS, at, false)
}

// RunFull is Run computing every model whole, whatever the published snapshot.
func RunFull(ctx context.Context, db *store.DB, cfg *config.Config, sqlFS fs.FS, at time.Time) (*Result, error) {
	return run(ctx, db, cfg, sqlFS, at, true)
}

func run(ctx context.Context, db *store.DB, cfg *config.Config, sqlFS fs.FS, at time.Time, full bool) (*Result, error) {
	var kind string
	return runPass(ctx, db, cfg, sqlFS, pass{
		path:        cfg.Paths.Snapshot,
		incremental: !full,
		before: func(_ context.Context, b *build) error {
			b.wardSets, b.wardPath, b.wardFolder = cfg.Server.Auth.WardSets(), cfg.Paths.WardSnapshot, cfg.Paths.WardSnapshots()
			kind = KindFull
			if b.delta {
				kind = KindIncremental
			}
			return nil
		},
		step: func(what string, s Step, err error) error {
			record(ctx, db, at, what, kind, s, err)
			return err
		},
	})
}

// pass is what a build of the models does besides what every build does:
// Run publishes the snapshot with its wards' snapshots and records each step;
// AsOf builds one from the files received before a cut-off.
type pass struct {
	path string // the snapshot written
	// incremental: build on the snapshot published at path when it was made
	// from the same configuration and SQL (Run's); else from nothing.
	incremental bool
	// before prepares the build, made and empty (or, incremental, the
	// published snapshot's copy with its changes found), for the models
	// (nil: nothing).
	before func(context.Context, *build) error
	// step is told of each model and test run ("model" or "test") and returns
	// the error the pass stops with (nil: it goes on).
	step func(kind string, s Step, err error) error
	// after finishes the build once every test passed, before it is
	// published (nil: nothing).
	after func(context.Context, *build) error
}

// runPass loads the configuration tables, runs every model of sqlFS's models
// folder in dependency order and every test of its tests folder into a new
// build at p.path, and publishes it there when all tests pass.
func runPass(ctx context.Context, db *store.DB, cfg *config.Config, sqlFS fs.FS, p pass) (*Result, error) {
	models, err := LoadModels(ctx, db, sqlFS, "models")
	if err != nil {
		return nil, err
	}
	tests, err := LoadModels(ctx, db, sqlFS, "tests")
	if err != nil {
		return nil, err
	}
	res := &Result{Kind: KindFull}
	start := time.Now()
	made := digests{Models: modelsDigest(models, tests)}
	if err := db.InTx(ctx, func(tx *store.Tx) error {
		if err := dropModelTables(ctx, tx, models); err != nil {
			return err
		}
		if err := loadConfig(ctx, tx, cfg); err != nil {
			return err
		}
		if made.Config, err = configDigest(ctx, tx); err != nil {
			return err
		}
		made.Schema, err = schemaDigest(ctx, tx)
		return err
	}); err != nil {
		return nil, err
	}
	res.Config = time.Since(start)
	var b *build
	if p.incremental {
		if b, res.Reason, err = resumeBuild(ctx, db, p.path, made, models); err != nil {
			return res, err
		}
	} else {
		res.Reason = "a full run was asked for"
	}
	if b == nil {
		if b, err = newBuild(ctx, db, p.path); err != nil {
			return res, err
		}
	} else {
		res.Kind, res.People = KindIncremental, b.people
	}
	defer b.close()
	if p.before != nil {
		if err := p.before(ctx, b); err != nil {
			return res, err
		}
	}
	for _, m := range models {
		var step Step
		if b.delta && m.By != "" {
			if err = b.searchPath(ctx, "delta"); err == nil {
				step, err = b.mergeModel(ctx, m)
			}
		} else if b.delta && m.SumsBy != nil {
			step, err = b.sumModel(ctx, m)
		} else {
			if b.delta {
				err = b.searchPath(ctx, "")
			}
			if err == nil {
				step, err = b.runModel(ctx, m)
			}
		}
		if err := p.step("model", step, err); err != nil {
			return res, err
		}
		res.Models = append(res.Models, step)
	}
	for _, t := range tests {
		if b.delta {
			first := ""
			if t.By != "" {
				first = "delta"
			}
			if err := b.searchPath(ctx, first); err != nil {
				return res, err
			}
		}
		step, failure, err := b.runTest(ctx, t)
		step.Mode = ModeWhole
		if b.delta && t.By != "" {
			step.Mode = ModePeople
		}
		if err := p.step("test", step, err); err != nil {
			return res, err
		}
		res.Tests = append(res.Tests, step)
		if failure != nil {
			res.TestsFail = append(res.TestsFail, *failure)
		}
	}
	if len(res.TestsFail) > 0 {
		res.Duration = time.Since(start)
		return res, &TestsFailedError{Failures: res.TestsFail}
	}
	if err := b.endDelta(ctx); err != nil {
		return res, err
	}
	if p.after != nil {
		if err := p.after(ctx, b); err != nil {
			return res, err
		}
	}
	if err := b.writeState(ctx, made, res.Kind); err != nil {
		return res, err
	}
	t0 := time.Now()
	if err := b.publish(ctx); err != nil {
		return res, err
	}
	res.Publish = time.Since(t0)
	res.Snapshot = p.path
	res.Duration = time.Since(start)
	return res, nil
}

// dropModelTables drops the models' tables from the pipeline's database, left
// there by runs that made them in it: the models live in the snapshot now.
func dropModelTables(ctx context.Context, tx *store.Tx, models []Model) error {
	for _, m := range models {
		if _, err := tx.ExecContext(ctx, fmt.Sprintf("DROP TABLE IF EXISTS main.%s", store.Ident(m.Name))); err != nil {
			return fmt.Errorf("model %s: %w", m.File, err)
		}
	}
	return nil
}

func (b *build) runModel(ctx context.Context, m Model) (Step, error) {
	t0 := time.Now()
	step := Step{Name: m.Name, File: m.File, Mode: ModeWhole}
	table := snapshotAlias + "." + store.Ident(m.Name)
	err := b.inTx(ctx, func() error {
		// (an incremental run's copy has the table as it was published)
		if _, err := b.conn.ExecContext(ctx, "DROP TABLE IF EXISTS "+table); err != nil {
			return err
		}
		body := strings.TrimSuffix(strings.TrimSpace(m.SQL), ";")
		wide, err := b.hasWideIntegers(ctx, body)
		if err != nil {
			return err
		}
		if wide {
			// DuckDB 1.5 reads bitpacked 128-bit integers some 30 times slower
			// than plain ones (9M DECIMAL(38,3) totals: 5.5 s against 0.1 s),
			// and every later model, test and reader pays it.
			if _, err := b.conn.ExecContext(ctx, "SET disabled_compression_methods = 'bitpacking'"); err != nil {
				return err
			}
			defer b.conn.ExecContext(context.Background(), "RESET disabled_compression_methods")
		}
		if _, err := b.conn.ExecContext(ctx, fmt.Sprintf("CREATE TABLE %s AS\n%s", table, body)); err != nil {
			return err
		}
		if m.Doc != "" {
			if _, err := b.conn.ExecContext(ctx, fmt.Sprintf("COMMENT ON TABLE %s IS %s", table, store.Literal(m.Doc))); err != nil {
				return err
			}
		}
		for _, c := range m.Columns {
			if _, err := b.conn.ExecContext(ctx, fmt.Sprintf("COMMENT ON COLUMN %s.%s IS %s", table, store.Ident(c.Name), store.Literal(c.Doc))); err != nil {
				return fmt.Errorf("documented column %s: %w", c.Name, err)
			}
		}
		return b.conn.QueryRowContext(ctx, fmt.Sprintf("SELECT count(*) FROM %s", table)).Scan(&step.Rows)
	})
	step.Duration = time.Since(t0)
	if err != nil {
		return step, fmt.Errorf("model %s: %w", m.File, err)
	}
	b.models[m.Name] = true
	return step, nil
}

// wideInteger matches the column types DuckDB stores as 128-bit integers.
var wideInteger = regexp.MustCompile(`\b(U?HUGEINT|DECIMAL\((19|[23][0-9]),)`)

// hasWideIntegers says whether the query's result holds a 128-bit integer
// column (HUGEINT, or a DECIMAL wider than 18 digits, such as a sum of decimals).
func (b *build) hasWideIntegers(ctx context.Context, query string) (bool, error) {
	var cols []struct {
		Type string `db:"column_type"`
	}
	if err := b.conn.SelectContext(ctx, &cols, "SELECT column_type FROM (DESCRIBE "+query+")"); err != nil {
		return false, err
	}
	for _, c := range cols {
		if wideInteger.MatchString(c.Type) {
			return true, nil
		}
	}
	return false, nil
}

const sampleRows = 10

func (b *build) runTest(ctx context.Context, t Model) (Step, *TestFailure, error) {
	t0 := time.Now()
	step := Step{Name: t.Name, File: t.File}
	body := strings.TrimSuffix(strings.TrimSpace(t.SQL), ";")
	rows, err := b.conn.QueryxContext(ctx, body)
	if err != nil {
		return step, nil, fmt.Errorf("test %s: %w", t.File, err)
	}
	defer rows.Close()
	var sample []string
	for rows.Next() {
		step.Rows++
		if len(sample) < sampleRows {
			m := map[string]any{}
			if err := rows.MapScan(m); err != nil {
				return step, nil, fmt.Errorf("test %s: %w", t.File, err)
			}
			sample = append(sample, formatRow(m))
		}
	}
	if err := rows.Err(); err != nil {
		return step, nil, fmt.Errorf("test %s: %w", t.File, err)
	}
	step.Duration = time.Since(t0)
	if step.Rows == 0 {
		return step, nil, nil
	}
	return step, &TestFailure{Test: t.Name, File: t.File, Rows: step.Rows, Sample: sample}, nil
}

func formatRow(m map[string]any) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s=%v", k, m[k])
	}
	return strings.Join(parts, " ")
}

// record writes a step to model_runs; a failure to record does not hide the step's own error.
func record(ctx context.Context, db *store.DB, at time.Time, kind, runKind string, s Step, stepErr error) {
	status, msg := "ok", ""
	if stepErr != nil {
		status, msg = "failed", stepErr.Error()
	} else if kind == "test" && s.Rows > 0 {
		status = "failed"
		msg = fmt.Sprintf("%d row(s)", s.Rows)
	}
	_, _ = db.ExecContext(ctx,
		`INSERT INTO model_runs (model, kind, started_at, duration_ms, rows, status, error, run_kind, mode) VALUES (?, ?, ?, ?, ?, ?, ?, ?, nullif(?, ''))`,
		s.Name, kind, at, s.Duration.Milliseconds(), s.Rows, status, msg, runKind, s.Mode)
}
