package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"text/tabwriter"

	"github.com/hoctap/hoctap/config"
	"github.com/hoctap/hoctap/pipeline"
	"github.com/hoctap/hoctap/sample"
)

// demoMarker marks a folder that hoctap demo made and may therefore remake.
const demoMarker = ".hoctap-demo"

func runDemo(ctx context.Context, e *env, cmd *command, args []string) error {
	fs, _ := flags(cmd, e)
	dir := fs.String("dir", "demo", "the workspace to (re)create")
	seed := fs.Int64("seed", sample.DefaultSeed, "the sample data's seed: the same seed gives the same files")
	pos, err := parse(fs, cmd, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef(cmd, "unexpected argument %q", pos[0])
	}
	if err := clearDemo(*dir); err != nil {
		return err
	}
	cfg, err := initWorkspace(*dir)
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(*dir, demoMarker), []byte("made by hoctap demo: the folder is remade on each run\n"), 0o644); err != nil {
		return err
	}
	if err := writeTemplates(cfg, filepath.Join(*dir, "templates")); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "hoctap demo — %s, %s → %s\n\n", cfg.Programme.Name, cfg.Programme.Start, cfg.Programme.End)

	files, err := sample.Pilot(cfg, cfg.Paths.Inbox, *seed)
	if err != nil {
		return fmt.Errorf("demo: sample data: %w", err)
	}
	fmt.Fprintf(e.stdout, "1. Dữ liệu mẫu — sample ward exports (seed %d): %d files in %s\n", *seed, len(files), pipeline.Rel(*dir, cfg.Paths.Inbox))
	printFiles(e.stdout, cfg, files)

	fmt.Fprintf(e.stdout, "\n2. Nạp dữ liệu — ingest (the faulty file is refused with a receipt; the corrected one replaces the first):\n")
	p := pipeline.New(cfg, e.stdout, slog.New(slog.DiscardHandler), e.now, programVersion())
	if err := p.IngestFiles(ctx); err != nil && !errors.As(err, new(*pipeline.Error)) { // the faulty file is refused on purpose
		return err
	}

	fmt.Fprintf(e.stdout, "\n3. Tính toán — transform:\n")
	res, err := p.TransformOnce(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "   %d models, %d data tests passed; snapshot %s\n", len(res.Models), len(res.Tests), pipeline.Rel(*dir, res.Snapshot))

	fmt.Fprintf(e.stdout, "\n4. Tình hình cuối thí điểm — where the pilot stood at its end:\n\n")
	snap, err := pipeline.Fresh(ctx, p.Snap)
	if err != nil {
		return err
	}
	defer snap.Close()
	if err := printStatus(ctx, e.stdout, snap, cfg, cfg.Programme.End.Month()); err != nil {
		return err
	}

	fmt.Fprintf(e.stdout, "\n5. Báo cáo tháng — the monthly reports, %s to %s:\n", cfg.Programme.Start.Month().Label(), cfg.Programme.End.Month().Label())
	if err := p.Reports(ctx, pipeline.Span{From: cfg.Programme.Start.Month(), To: cfg.Programme.End.Month()}); err != nil {
		return err
	}

	fmt.Fprintf(e.stdout, "\nThe scheduler and its web app: hoctap serve --config %s, then open http://%s/\n", filepath.Join(*dir, "pipeline.yaml"), cfg.Server.Listen)
	fmt.Fprintf(e.stdout, "Try: hoctap query --config %s \"SELECT * FROM progress_monthly WHERE level = 'ward' AND month = '2021-07'\"\n",
		filepath.Join(*dir, "pipeline.yaml"))
	fmt.Fprintf(e.stdout, "\nWorkspace: %s\n", *dir)
	return nil
}

// clearDemo empties a folder that an earlier demo made, and refuses any other
// folder that is not empty.
func clearDemo(dir string) error {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) || (err == nil && len(entries) == 0) {
		return nil
	}
	if err != nil {
		return err
	}
	if _, err := os.Stat(filepath.Join(dir, demoMarker)); err != nil {
		return dataf("%s exists and was not made by hoctap demo: not touched; choose another --dir", dir)
	}
	return os.RemoveAll(dir)
}

func printFiles(w io.Writer, cfg *config.Config, files []sample.File) {
	sorted := append([]sample.File(nil), files...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].SentAt.Before(sorted[j].SentAt) })
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "   sent\tfile\tdataset\tperiod\tnote")
	for _, f := range sorted {
		note := ""
		if f.Kind != "normal" {
			note = f.Kind + ": " + f.Note
		}
		ds := f.Dataset
		if ds == "" {
			ds = "(several)"
		}
		fmt.Fprintf(tw, "   %s\t%s\t%s\t%s\t%s\n", f.SentAt.In(cfg.Location).Format("02/01/2006"), f.Path, ds, f.Period, note)
	}
	tw.Flush()
}
