package pipeline

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/hoctap/hoctap/config"
	"github.com/hoctap/hoctap/reports"
	"github.com/hoctap/hoctap/reports/wardpack"
	"github.com/hoctap/hoctap/rollup"
	"github.com/hoctap/hoctap/schedule"
	"github.com/hoctap/hoctap/store"
	"github.com/hoctap/hoctap/transform"
)

// Span is the months to render, From to To, in Lang ("": the configured
// languages); Force renders a new version even of unchanged numbers.
type Span struct {
	From, To config.Month
	Lang     string
	Force    bool
}

// Reports renders the reports of the months of sp (hoctap report and
// backfill), logs the job's line with attrs, and says how the messages it
// queued get sent.
func (p *Pipeline) Reports(ctx context.Context, sp Span, attrs ...any) error {
	started := p.Now()
	queued, err := p.render(ctx, sp)
	p.logJob(ctx, schedule.Run{Job: schedule.Report}, p.Now().Sub(started), 0, err, attrs...)
	if queued > 0 {
		fmt.Fprintln(p.Out, "delivery: \"hoctap deliver\" sends them (hoctap serve sends them by itself)")
	}
	return err
}

// report renders the report of month for the run r.
func (p *Pipeline) report(ctx context.Context, r schedule.Run, month config.Month) error {
	return p.record(ctx, r, func(ctx context.Context) (int64, error) {
		_, err := p.render(ctx, Span{From: month, To: month})
		return 0, err
	}, "month", month.String())
}

// ReportsDue renders the report of every finished month of the programme that
// has none (catch-ups, for months missed while nothing ran) and that of the
// last finished month, which gets a new version when its numbers changed.
func (p *Pipeline) ReportsDue(ctx context.Context) error {
	cfg := p.Cfg
	db, err := Open(ctx, cfg)
	if err != nil {
		return err
	}
	entries, err := reports.Entries(ctx, db)
	db.Close()
	if err != nil {
		return err
	}
	rendered := map[config.Month]bool{}
	for _, en := range entries {
		m, err := config.ParseMonth(en.Month)
		if err != nil {
			return fmt.Errorf("report of %s: %w", en.Dir(), err)
		}
		rendered[m] = true
	}
	due := schedule.ReportsDue(cfg, p.Now(), rendered)
	last := LastFinished(cfg, p.Now())
	if last.Before(cfg.Programme.Start.Month()) {
		fmt.Fprintf(p.Out, "report: no month of the programme has ended yet (it starts %s)\n", cfg.Programme.Start.Month().Label())
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
		fmt.Fprintf(p.Out, "%s of %s:\n", what, d.Month)
		if err := p.report(ctx, schedule.Run{Job: schedule.Report, Scheduled: d.Due, CatchUp: d.CatchUp}, d.Month); err != nil {
			return err
		}
	}
	return nil
}

// LastFinished is the programme's last month that has ended by now, in the
// city's time zone.
func LastFinished(cfg *config.Config, now time.Time) config.Month {
	last := config.MonthOf(now.In(cfg.Location)).Prev()
	if end := cfg.Programme.End.Month(); end.Before(last) {
		return end
	}
	return last
}

// render renders the reports of the months of sp from the snapshot as it is
// now, one line each (printed and logged), and queues the messages of each
// new version in the outbox; it says how many it queued.
func (p *Pipeline) render(ctx context.Context, sp Span) (queued int, err error) {
	cfg := p.Cfg
	first, last := sp.From, sp.To
	start, end := cfg.Programme.Start.Month(), cfg.Programme.End.Month()
	if last.Before(first) {
		return 0, errorf("tháng đầu %s sau tháng cuối %s — the first month %s is after the last, %s", first, last, first, last)
	}
	if !cfg.Programme.Holds(first) || !cfg.Programme.Holds(last) {
		return 0, errorf("tháng %s – %s ngoài thời gian thí điểm — months %s to %s: expected months of the programme, %s to %s",
			first, last, first, last, start, end)
	}
	var langs []string
	if sp.Lang != "" {
		if sp.Lang != "vi" && sp.Lang != "en" {
			return 0, errorf("--lang %q: expected vi or en", sp.Lang)
		}
		langs = []string{sp.Lang}
	}
	sdb, err := Fresh(ctx, p.Snap)
	if err != nil {
		return 0, err
	}
	defer sdb.Close()
	if cfg.Exchange.Receives() {
		return 0, p.renderRollup(ctx, sdb, langs, first, last)
	}
	db, err := Open(ctx, cfg)
	if err != nil {
		return 0, err
	}
	defer db.Close()
	for _, m := range config.Months(first, last) {
		month := m.String()
		// A month's first version holds the files received by its reporting
		// deadline; then the snapshot, with every file received since, makes
		// a new version if it changes the numbers.
		versions, err := reports.Versions(ctx, db.DB, month)
		if err != nil {
			return queued, err
		}
		force := sp.Force
		var first *reports.Result
		var same *reports.Data // what the first version read, when it read sdb itself
		if cutoff := cfg.DataCutoff(m); versions == 0 && !p.Now().Before(cutoff) {
			var ownSnapshot bool
			if first, ownSnapshot, err = p.renderAsOf(ctx, db, sdb, langs, m, cutoff); err != nil {
				return queued, err
			}
			p.reportDone(ctx, first)
			force = false
			if ownSnapshot {
				same = first.Data
			}
		}
		t0 := time.Now()
		res, err := reports.Render(ctx, cfg, db, sdb, reports.Request{Month: m, Langs: langs, Now: p.Now(), Program: p.Program, Force: force, Beside: wardpack.Beside(cfg), Data: same})
		if err != nil {
			return queued, err
		}
		res.Took = time.Since(t0)
		if first == nil || !res.Unchanged {
			p.reportDone(ctx, res)
		}
		// Of the versions made now, the latest is sent: a first version
		// that a later file already replaced stays on file only.
		send := res
		if res.Unchanged && first != nil {
			send = first
		}
		if !send.Unchanged {
			n, err := p.enqueueReport(ctx, db, send)
			if err != nil {
				return queued, err
			}
			queued += n
		}
	}
	fmt.Fprintf(p.Out, "index: %s\n", filepath.Join(cfg.Paths.Reports, "index.html"))
	return queued, nil
}

// renderAsOf renders month's first version from the files received before
// cutoff, the end of its reporting deadline: from the snapshot itself when
// no file came later (ownSnapshot), else from the models remade on those
// files only, in a file beside the snapshot that is removed afterwards.
func (p *Pipeline) renderAsOf(ctx context.Context, db, sdb *store.DB, langs []string, m config.Month, cutoff time.Time) (res *reports.Result, ownSnapshot bool, err error) {
	month := m.String()
	t0 := time.Now()
	req := reports.Request{Month: m, Langs: langs, Now: p.Now(), Program: p.Program, AsOf: cutoff, Beside: wardpack.Beside(p.Cfg)}
	later, err := reports.FilesSince(ctx, sdb.DB, cutoff)
	if err != nil {
		return nil, false, err
	}
	src := sdb
	if later > 0 {
		path := filepath.Join(filepath.Dir(p.Snap.Path), ".as-of-"+month+".duckdb")
		defer os.Remove(path)
		defer os.Remove(path + ".wal")
		if _, err := transform.AsOf(ctx, db, p.Cfg, SQL(), cutoff, path); err != nil {
			return nil, false, fmt.Errorf("report %s as of its deadline: %w", month, err)
		}
		asOf, err := Fresh(ctx, &store.Snapshot{Path: path, Options: p.Snap.Options})
		if err != nil {
			return nil, false, err
		}
		defer asOf.Close()
		src = asOf
	}
	if res, err = reports.Render(ctx, p.Cfg, db, src, req); err != nil {
		return nil, false, err
	}
	res.Took = time.Since(t0)
	return res, src == sdb, nil
}

// reportDone prints and logs what rendering a month did.
func (p *Pipeline) reportDone(ctx context.Context, res *reports.Result) {
	if res.Unchanged {
		fmt.Fprintf(p.Out, "report %s: unchanged since version %d (%s)\n", res.Month, res.Version, res.Dir)
		p.Log.InfoContext(ctx, "report unchanged", "job", schedule.Report, "month", res.Month, "version", res.Version, "dir", res.Dir)
		return
	}
	fmt.Fprintf(p.Out, "report %s: version %d, %d files in %s (%s)\n", res.Month, res.Version, len(res.Files), res.Dir, res.Took.Round(time.Millisecond))
	p.Log.InfoContext(ctx, "report written", "job", schedule.Report, "month", res.Month, "version", res.Version, "files", len(res.Files), "dir", res.Dir, "duration", res.Took)
}

// renderRollup renders a receiving level's report of each month from first
// to last (package rollup): one version a month, written again each time.
func (p *Pipeline) renderRollup(ctx context.Context, sdb *store.DB, langs []string, first, last config.Month) error {
	if len(langs) == 0 {
		langs = p.Cfg.Report.Languages
	}
	for _, m := range config.Months(first, last) {
		files, err := rollup.Report(ctx, sdb, p.Cfg, m, langs, p.Now())
		if err != nil {
			return errorf("%v", err)
		}
		fmt.Fprintf(p.Out, "report %s: %s (%d files)\n", m, Rel(filepath.Dir(p.Cfg.File), files.Dir), len(files.Written))
		p.Log.LogAttrs(ctx, slog.LevelInfo, "report written", slog.String("month", m.String()), slog.String("dir", files.Dir))
	}
	return nil
}
