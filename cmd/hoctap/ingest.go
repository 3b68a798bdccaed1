package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/hoctap/hoctap/config"
	"github.com/hoctap/hoctap/ingest"
	"github.com/hoctap/hoctap/wardfile"
)

func runIngest(ctx context.Context, e *env, cmd *command, args []string) error {
	fs, cfgPath := flags(cmd, e)
	cfg, err := configFor(cmd, fs, cfgPath, args)
	if err != nil {
		return err
	}
	outs, err := ingestOnce(ctx, e, cfg)
	refused := printOutcomes(e.stdout, cfg, outs)
	if err != nil {
		return err
	}
	if refused > 0 {
		return dataf("%d tệp bị từ chối — %d file(s) refused: see the receipts in %s", refused, refused, cfg.Paths.Quarantine)
	}
	return nil
}

// ingestOnce loads every waiting inbox file.
func ingestOnce(ctx context.Context, e *env, cfg *config.Config) ([]ingest.Outcome, error) {
	db, err := openPipeline(ctx, cfg)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	l := &ingest.Loader{DB: db, Cfg: cfg, Now: e.now()}
	return l.Inbox(ctx)
}

// printOutcomes prints a line per file and returns how many were refused.
func printOutcomes(w io.Writer, cfg *config.Config, outs []ingest.Outcome) int {
	refused, loaded, dup := 0, 0, 0
	for _, o := range outs {
		name := o.Name
		if o.Ward != "" {
			name = o.Ward + "/" + o.Name
		}
		switch o.Status {
		case ingest.StatusLoaded:
			loaded++
			extra := ""
			if len(o.Superseded) > 0 {
				extra = fmt.Sprintf(", replaces file %v", o.Superseded)
			}
			fmt.Fprintf(w, "  đã nạp   loaded    %s: %d rows %v, %d warnings%s\n", name, o.Rows, o.Datasets, o.Result.Warnings(), extra)
		case ingest.StatusRefused:
			refused++
			fmt.Fprintf(w, "  từ chối  REFUSED   %s: %d errors → %s\n", name, o.Result.Errors(), rel(filepath.Dir(cfg.File), o.Receipt))
		case ingest.StatusDuplicate:
			dup++
			fmt.Fprintf(w, "  trùng    duplicate %s: %s\n", name, o.Earlier)
		}
	}
	fmt.Fprintf(w, "ingest: %d loaded, %d refused, %d already received\n", loaded, refused, dup)
	return refused
}

func runValidate(_ context.Context, e *env, cmd *command, args []string) error {
	fs, cfgPath := flags(cmd, e)
	wardFlag := fs.String("ward", "", "the ward the files are from (default: the folder they are in, when it is a ward's)")
	pos, err := parse(fs, cmd, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		return usagef(cmd, "expected one or more files")
	}
	cfg, err := baseConfig(*cfgPath)
	if err != nil {
		return err
	}
	bad := 0
	for _, path := range pos {
		ward := *wardFlag
		if ward == "" {
			if w, ok := cfg.Ward(filepath.Base(filepath.Dir(path))); ok {
				ward = w.Code
			}
		} else if w, ok := cfg.WardByName(ward); ok {
			ward = w.Code
		} else {
			return usagef(cmd, "--ward %q is not a ward of the configuration", ward)
		}
		res, err := wardfile.Read(cfg, path, wardfile.Hint{Ward: ward}, nil)
		if err != nil {
			return err
		}
		var ds []string
		for _, t := range res.Tables {
			ds = append(ds, t.Dataset.Name)
		}
		status := "hợp lệ — valid"
		if res.Errors() > 0 {
			status = fmt.Sprintf("%d lỗi — %d errors", res.Errors(), res.Errors())
			bad++
		}
		fmt.Fprintf(e.stdout, "%s: %s; %d rows %v, %d warnings\n", path, status, res.Rows, ds, res.Warnings())
		for _, p := range res.Problems {
			fmt.Fprintf(e.stdout, "  %-7s %s\n", p.Severity, p.String())
		}
	}
	fmt.Fprintln(e.stdout, "(Mã công dân, mã đơn vị are checked against the registrations when the file is loaded — references to registrations are checked by hoctap ingest.)")
	if bad > 0 {
		return dataf("%d of %d file(s) have errors", bad, len(pos))
	}
	return nil
}

func runTemplate(_ context.Context, e *env, cmd *command, args []string) error {
	fs, cfgPath := flags(cmd, e)
	ward := fs.String("ward", "", "the ward the form is for (its name in the title, its only choice)")
	out := fs.String("o", "", "the file to write (.xlsx)")
	pos, err := parse(fs, cmd, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 || *out == "" {
		return usagef(cmd, "expected a dataset (%s) and -o FILE.xlsx", strings.Join(config.DatasetNames, ", "))
	}
	cfg, err := baseConfig(*cfgPath)
	if err != nil {
		return err
	}
	if _, ok := cfg.Dataset(pos[0]); !ok {
		return usagef(cmd, "%q is not a dataset: expected one of %s", pos[0], strings.Join(config.DatasetNames, ", "))
	}
	if *ward != "" {
		if _, ok := cfg.WardByName(*ward); !ok {
			return usagef(cmd, "--ward %q is not a ward of the configuration", *ward)
		}
	}
	var buf bytes.Buffer
	if err := wardfile.WriteTemplate(cfg, pos[0], *ward, &buf); err != nil {
		return err
	}
	if err := os.WriteFile(*out, buf.Bytes(), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%s: biểu mẫu %s — the form for %s\n", *out, pos[0], pos[0])
	return nil
}

// writeTemplates writes a form per dataset and ward into dir.
func writeTemplates(cfg *config.Config, dir string) error {
	for _, w := range cfg.Wards {
		for _, ds := range config.DatasetNames {
			var buf bytes.Buffer
			if err := wardfile.WriteTemplate(cfg, ds, w.Code, &buf); err != nil {
				return err
			}
			p := filepath.Join(dir, w.Code, ds+".xlsx")
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				return err
			}
			if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
				return err
			}
		}
	}
	return nil
}
