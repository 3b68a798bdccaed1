package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/hoctap/hoctap/config"
	"github.com/hoctap/hoctap/reports"
	"github.com/hoctap/hoctap/schedule"
	"github.com/hoctap/hoctap/store"
	"github.com/hoctap/hoctap/transform"
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
	log, err := e.logger(cmd, cfg, *logFormat)
	if err != nil {
		return err
	}
	started := e.now()
	queued, err := renderMonths(ctx, e, log, cfg, snapshotOf(cfg), span{*month, *month, *lang, *force})
	logJob(ctx, log, schedule.Run{Job: schedule.Report}, e.now().Sub(started), 0, err, "month", *month)
	hintDeliver(e, queued)
	return err
}

// hintDeliver says how the messages a command queued get sent.
func hintDeliver(e *env, queued int) {
	if queued > 0 {
		fmt.Fprintln(e.stdout, "delivery: \"hoctap deliver\" sends them (hoctap serve sends them by itself)")
	}
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
	log, err := e.logger(cmd, cfg, *logFormat)
	if err != nil {
		return err
	}
	if *from == "" {
		*from = cfg.Programme.Start.Format("2006-01")
	}
	if *to == "" {
		*to = lastFinished(cfg, e.now())
	}
	started := e.now()
	queued, err := renderMonths(ctx, e, log, cfg, snapshotOf(cfg), span{*from, *to, *lang, *force})
	logJob(ctx, log, schedule.Run{Job: schedule.Report}, e.now().Sub(started), 0, err, "from", *from, "to", *to)
	hintDeliver(e, queued)
	return err
}

// lastFinished is the programme's last month that has ended by now, in the
// city's time zone.
func lastFinished(cfg *config.Config, now time.Time) string {
	if loc, err := time.LoadLocation(cfg.City.TimeZone); err == nil {
		now = now.In(loc)
	}
	last := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, -1, 0)
	if end := cfg.Programme.End.Time; last.After(end) {
		last = end
	}
	return last.Format("2006-01")
}

// span is the months to render, From to To, in Lang ("": the configured
// languages); Force renders a new version even of unchanged numbers.
type span struct {
	From, To, Lang string
	Force          bool
}

// renderMonths renders the reports of the months of sp from the snapshot
// snap as it is now, one line each (printed and logged), and queues the
// messages of each new version in the outbox; it says how many it queued.
func renderMonths(ctx context.Context, e *env, log *slog.Logger, cfg *config.Config, snap *store.Snapshot, sp span) (queued int, err error) {
	from, to, lang := sp.From, sp.To, sp.Lang
	first, err1 := time.Parse("2006-01", from)
	last, err2 := time.Parse("2006-01", to)
	if err1 != nil || err2 != nil {
		return 0, dataf("tháng không hợp lệ — a month is YYYY-MM: got %q and %q", from, to)
	}
	start, end := cfg.Programme.Start.Month().Time, cfg.Programme.End.Month().Time
	if first.After(last) {
		return 0, dataf("tháng đầu %s sau tháng cuối %s — the first month %s is after the last, %s", from, to, from, to)
	}
	if first.Before(start) || last.After(end) {
		return 0, dataf("tháng %s – %s ngoài thời gian thí điểm — months %s to %s: expected months of the programme, %s to %s",
			from, to, from, to, start.Format("2006-01"), end.Format("2006-01"))
	}
	var langs []string
	if lang != "" {
		if lang != "vi" && lang != "en" {
			return 0, dataf("--lang %q: expected vi or en", lang)
		}
		langs = []string{lang}
	}
	sdb, err := openFresh(ctx, snap)
	if err != nil {
		return 0, err
	}
	defer sdb.Close()
	db, err := openPipeline(ctx, cfg)
	if err != nil {
		return 0, err
	}
	defer db.Close()
	for m := first; !m.After(last); m = m.AddDate(0, 1, 0) {
		month := m.Format("2006-01")
		// A month's first version holds the files received by its reporting
		// deadline; then the snapshot, with every file received since, makes
		// a new version if it changes the numbers.
		versions, err := reports.Versions(ctx, db.DB, month)
		if err != nil {
			return queued, err
		}
		force := sp.Force
		var first *reports.Result
		if cutoff := cfg.DataCutoff(config.Month{Time: m}); versions == 0 && !e.now().Before(cutoff) {
			if first, err = renderAsOf(ctx, e, cfg, db, sdb, snap, langs, month, cutoff); err != nil {
				return queued, err
			}
			reportDone(ctx, e, log, first)
			force = false
		}
		t0 := time.Now()
		res, err := reports.Render(ctx, cfg, db, sdb.DB, reports.Request{Month: month, Langs: langs, Now: e.now(), Program: programVersion(), Force: force})
		if err != nil {
			return queued, err
		}
		res.Took = time.Since(t0)
		if first == nil || !res.Unchanged {
			reportDone(ctx, e, log, res)
		}
		// Of the versions made now, the latest is sent: a first version
		// that a later file already replaced stays on file only.
		send := res
		if res.Unchanged && first != nil {
			send = first
		}
		if !send.Unchanged {
			n, err := enqueueReport(ctx, e, log, cfg, db, send)
			if err != nil {
				return queued, err
			}
			queued += n
		}
	}
	fmt.Fprintf(e.stdout, "index: %s\n", filepath.Join(cfg.Paths.Reports, "index.html"))
	return queued, nil
}

// renderAsOf renders month's first version from the files received before
// cutoff, the end of its reporting deadline: from the snapshot itself when
// no file came later, else from the models remade on those files only, in a
// file beside the snapshot that is removed afterwards.
func renderAsOf(ctx context.Context, e *env, cfg *config.Config, db *store.DB, sdb *store.DB, snap *store.Snapshot, langs []string, month string, cutoff time.Time) (*reports.Result, error) {
	t0 := time.Now()
	req := reports.Request{Month: month, Langs: langs, Now: e.now(), Program: programVersion(), AsOf: cutoff}
	later, err := reports.FilesSince(ctx, sdb.DB, cutoff)
	if err != nil {
		return nil, err
	}
	src := sdb
	if later > 0 {
		path := filepath.Join(filepath.Dir(snap.Path), ".as-of-"+month+".duckdb")
		defer os.Remove(path)
		defer os.Remove(path + ".wal")
		if _, err := transform.AsOf(ctx, db, cfg, sqlFiles(), cutoff, path); err != nil {
			return nil, fmt.Errorf("report %s as of its deadline: %w", month, err)
		}
		asOf, err := openFresh(ctx, &store.Snapshot{Path: path, Options: snap.Options})
		if err != nil {
			return nil, err
		}
		defer asOf.Close()
		src = asOf
	}
	res, err := reports.Render(ctx, cfg, db, src.DB, req)
	if err != nil {
		return nil, err
	}
	res.Took = time.Since(t0)
	return res, nil
}

// reportDone prints and logs what rendering a month did.
func reportDone(ctx context.Context, e *env, log *slog.Logger, res *reports.Result) {
	if res.Unchanged {
		fmt.Fprintf(e.stdout, "report %s: unchanged since version %d (%s)\n", res.Month, res.Version, res.Dir)
		log.InfoContext(ctx, "report unchanged", "job", schedule.Report, "month", res.Month, "version", res.Version, "dir", res.Dir)
		return
	}
	fmt.Fprintf(e.stdout, "report %s: version %d, %d files in %s (%s)\n", res.Month, res.Version, len(res.Files), res.Dir, res.Took.Round(time.Millisecond))
	log.InfoContext(ctx, "report written", "job", schedule.Report, "month", res.Month, "version", res.Version, "files", len(res.Files), "dir", res.Dir, "duration", res.Took)
}
