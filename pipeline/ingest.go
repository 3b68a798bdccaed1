package pipeline

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/hoctap/hoctap/config"
	"github.com/hoctap/hoctap/geo"
	"github.com/hoctap/hoctap/ingest"
	"github.com/hoctap/hoctap/schedule"
	"github.com/hoctap/hoctap/wardfile"
)

// Ingest loads the inbox as the run r, then rebuilds and publishes when a
// file was loaded or refused (the snapshot's data quality and the refused
// files' receipts, which the web app lists from it, change too) or nothing
// was ever published. It returns how many files were refused.
func (p *Pipeline) Ingest(ctx context.Context, r schedule.Run) (refused int, err error) {
	loaded := 0
	err = p.record(ctx, r, func(ctx context.Context) (int64, error) {
		outs, err := p.load(ctx)
		p.logFiles(ctx, outs)
		refused = printOutcomes(p.Out, p.Cfg, outs)
		if p.Outcomes != nil {
			p.Outcomes(outs)
		}
		for _, o := range outs {
			if o.Status == ingest.StatusLoaded {
				loaded++
			}
		}
		return loadedRows(outs), err
	})
	if err != nil {
		return refused, err
	}
	if _, statErr := os.Stat(p.Cfg.Paths.Snapshot); loaded == 0 && refused == 0 && !errors.Is(statErr, os.ErrNotExist) {
		fmt.Fprintln(p.Out, "transform: nothing new loaded, the published snapshot stands")
		return refused, nil
	}
	err = p.record(ctx, schedule.Run{Job: schedule.Transform, Scheduled: r.Scheduled}, func(ctx context.Context) (int64, error) {
		res, err := p.TransformOnce(ctx)
		if err != nil {
			return 0, err
		}
		fmt.Fprintf(p.Out, "transform (%s): %d models, %d data tests passed; published %s\n", runKind(res), len(res.Models), len(res.Tests), res.Snapshot)
		p.logPublished(ctx, res)
		return modelRows(res), nil
	})
	return refused, err
}

// IngestFiles loads every waiting inbox file, a line each printed and
// logged, and the job's line logged (not a run of job_runs: hoctap ingest by
// hand). The error says when a file was refused.
func (p *Pipeline) IngestFiles(ctx context.Context) error {
	started := p.Now()
	outs, err := p.load(ctx)
	p.logFiles(ctx, outs)
	p.logJob(ctx, schedule.Run{Job: schedule.Ingest}, p.Now().Sub(started), loadedRows(outs), err)
	refused := printOutcomes(p.Out, p.Cfg, outs)
	if err != nil {
		return err
	}
	return p.refusedError(refused)
}

// load loads every waiting inbox file.
func (p *Pipeline) load(ctx context.Context) ([]ingest.Outcome, error) {
	db, err := Open(ctx, p.Cfg)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	reg, err := geo.Load(p.Cfg)
	if err != nil {
		return nil, err
	}
	l := &ingest.Loader{DB: db, Cfg: p.Cfg, Register: reg, Now: p.Now()}
	return l.Inbox(ctx)
}

// loadedRows is how many rows the files loaded hold.
func loadedRows(outs []ingest.Outcome) int64 {
	var n int64
	for _, o := range outs {
		if o.Status == ingest.StatusLoaded {
			n += int64(o.Rows)
		}
	}
	return n
}

// printOutcomes prints a line per file and returns how many were refused.
func printOutcomes(w io.Writer, cfg *config.Config, outs []ingest.Outcome) int {
	refused, loaded, dup, other := 0, 0, 0, 0
	for _, o := range outs {
		res := o.Result
		if res == nil {
			res = &wardfile.Result{}
		}
		name := fileName(o) // printable: a name cannot forge a line
		switch o.Status {
		case ingest.StatusLoaded:
			loaded++
			extra := ""
			if len(o.Superseded) > 0 {
				extra = fmt.Sprintf(", replaces file %v", o.Superseded)
			}
			var how []string
			for _, t := range o.Tables {
				how = append(how, fmt.Sprintf("%s %s %s +%d ~%d -%d", t.Dataset, t.Ward, t.Mode, t.Added, t.Replaced, t.Removed))
			}
			fmt.Fprintf(w, "  đã nạp   loaded    %s: %d rows %v, %d warnings%s [%s]\n", name, o.Rows, o.Datasets, res.Warnings(), extra, strings.Join(how, "; "))
		case ingest.StatusRefused:
			refused++
			fmt.Fprintf(w, "  trả lại  REFUSED   %s: %d errors → %s\n", name, res.Errors(), Rel(filepath.Dir(cfg.File), o.Receipt))
		case ingest.StatusDuplicate:
			dup++
			fmt.Fprintf(w, "  trùng    duplicate %s: %s\n", name, o.Earlier)
		case ingest.StatusWaiting:
			other++
			fmt.Fprintf(w, "  chờ      waiting   %s: %s; it stays for the next run\n", name, o.Reason)
		case ingest.StatusSkipped:
			other++
			fmt.Fprintf(w, "  bỏ qua   skipped   %s: %s\n", name, o.Reason)
		case ingest.StatusFailed:
			other++
			fmt.Fprintf(w, "  lỗi      FAILED    %s: %s\n", name, o.Reason)
		}
	}
	fmt.Fprintf(w, "ingest: %d loaded, %d refused, %d already received", loaded, refused, dup)
	if other > 0 {
		fmt.Fprintf(w, ", %d left in the inbox", other)
	}
	fmt.Fprintln(w)
	return refused
}

// fileName is a file as ward/name (a city-level file: its name).
func fileName(o ingest.Outcome) string {
	if o.Ward != "" {
		return o.Ward + "/" + o.Name
	}
	return o.Name
}

// logFiles logs a line per file an ingest took, refused or left.
func (p *Pipeline) logFiles(ctx context.Context, outs []ingest.Outcome) {
	for _, o := range outs {
		args := []any{"job", schedule.Ingest, "file", fileName(o), "ward", o.Ward, "status", string(o.Status)}
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
		p.Log.Log(ctx, level, "file "+string(o.Status), args...)
	}
}
