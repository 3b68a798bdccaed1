package pipeline

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"text/tabwriter"
	"time"

	"github.com/hoctap/hoctap/geo"
	"github.com/hoctap/hoctap/ingest"
	"github.com/hoctap/hoctap/rollup"
	"github.com/hoctap/hoctap/schedule"
	"github.com/hoctap/hoctap/store"
	"github.com/hoctap/hoctap/transform"
)

// Transform runs the models and data tests and publishes the snapshot,
// incrementally unless full (see transform.Run), printing each model's and
// test's line unless quiet, then the summary; the job's line is logged (not a
// run of job_runs: hoctap transform by hand).
func (p *Pipeline) Transform(ctx context.Context, quiet, full bool) error {
	started := p.Now()
	res, err := p.transform(ctx, full)
	if res != nil && !quiet {
		p.printTransform(res)
	}
	var rows int64
	if res != nil {
		rows = modelRows(res)
	}
	var kind []any
	if res != nil {
		kind = []any{"run", res.Kind}
	}
	p.logJob(ctx, schedule.Run{Job: schedule.Transform}, p.Now().Sub(started), rows, err, kind...)
	if err != nil {
		return err
	}
	p.logPublished(ctx, res)
	fmt.Fprintf(p.Out, "transform (%s): %d models, %d data tests passed in %s; published %s\n",
		runKind(res), len(res.Models), len(res.Tests), res.Duration.Round(time.Millisecond), res.Snapshot)
	return nil
}

// runKind says which kind of run a transform was, for a person.
func runKind(res *transform.Result) string {
	if res.Kind == transform.KindIncremental {
		return fmt.Sprintf("incremental: %d people recomputed", res.People)
	}
	return "full: " + res.Reason
}

// TransformOnce runs the models and tests and publishes the snapshot,
// incrementally when it can, and says nothing.
func (p *Pipeline) TransformOnce(ctx context.Context) (*transform.Result, error) {
	return p.transform(ctx, false)
}

func (p *Pipeline) transform(ctx context.Context, full bool) (*transform.Result, error) {
	db, err := Open(ctx, p.Cfg)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	if p.Cfg.Exchange.Receives() {
		return p.rollup(ctx, db)
	}
	if full {
		return transform.RunFull(ctx, db, p.Cfg, SQL(), p.Now())
	}
	return transform.Run(ctx, db, p.Cfg, SQL(), p.Now())
}

// rollup adds up the packages received (a receiving level's transform), and
// says what it built as a transform's result.
func (p *Pipeline) rollup(ctx context.Context, db *store.DB) (*transform.Result, error) {
	reg, err := geo.Load(p.Cfg)
	if err != nil {
		return nil, err
	}
	r, err := rollup.Build(ctx, db, p.Cfg, reg, ingest.PackagesDir(p.Cfg.Paths.Database))
	if errors.Is(err, rollup.ErrNoPackages) {
		return nil, errorf("%v", err)
	}
	if err != nil {
		return nil, err
	}
	res := &transform.Result{Snapshot: r.Snapshot, Duration: r.Duration}
	for _, s := range r.Tables {
		res.Models = append(res.Models, transform.Step{Name: s.Name, File: "rollup/sql", Rows: s.Rows, Duration: s.Duration})
	}
	return res, nil
}

func (p *Pipeline) printTransform(res *transform.Result) {
	tw := tabwriter.NewWriter(p.Out, 0, 0, 2, ' ', tabwriter.AlignRight)
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
		fmt.Fprintf(p.Out, "test %-32s %s\n", t.Name, mark)
	}
}

// logJob logs the line of one run of a job: when it was due (for a scheduled
// run), the rows it reports, how long it took, and its error.
func (p *Pipeline) logJob(ctx context.Context, r schedule.Run, took time.Duration, rows int64, err error, attrs ...any) {
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
	p.Log.Log(ctx, level, "job", args...)
}

// logPublished logs the snapshot a transform published.
func (p *Pipeline) logPublished(ctx context.Context, res *transform.Result) {
	args := []any{"job", schedule.Transform, "run", res.Kind}
	if res.Kind == transform.KindIncremental {
		args = append(args, "people", res.People)
	} else {
		args = append(args, "reason", res.Reason)
	}
	args = append(args, "models", len(res.Models), "tests", len(res.Tests), "rows", modelRows(res), "snapshot", res.Snapshot, "duration", res.Duration)
	p.Log.InfoContext(ctx, "snapshot published", args...)
}

// modelRows is how many rows a transform's models made.
func modelRows(res *transform.Result) int64 {
	var n int64
	for _, m := range res.Models {
		n += m.Rows
	}
	return n
}
