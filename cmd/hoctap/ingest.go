package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/hoctap/hoctap/config"
	"github.com/hoctap/hoctap/ingest"
	"github.com/hoctap/hoctap/wardfile"
)

func runIngest(ctx context.Context, e *env, cmd *command, args []string) error {
	fs, cfgPath := flags(cmd, e)
	logFormat := logFlag(fs)
	cfg, err := configFor(cmd, fs, cfgPath, args)
	if err != nil {
		return err
	}
	p, err := e.pipeline(cmd, cfg, *logFormat)
	if err != nil {
		return err
	}
	return p.IngestFiles(ctx)
}

func runValidate(ctx context.Context, e *env, cmd *command, args []string) error {
	fs, cfgPath := flags(cmd, e)
	wardFlag := fs.String("ward", "", "the ward the files are from (default: the folder they are in, when it is a ward's; none: the city's)")
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
	wards, err := wardsOf(cfg, pos, *wardFlag)
	if err != nil {
		return usagef(cmd, "%v", err)
	}
	scratch, err := ingest.OpenScratch(ctx, cfg)
	if err != nil {
		return err
	}
	defer scratch.DB.Close()
	reg, err := loadRegister(cfg)
	if err != nil {
		return err
	}
	l := &ingest.Loader{DB: scratch.DB, Cfg: cfg, Register: reg, Now: e.now(), DryRun: true}
	outs, err := l.Check(ctx, pos, wards)
	if err != nil && len(outs) == 0 {
		return err
	}
	bad := 0
	for _, o := range outs {
		if !printValidated(e.stdout, o) {
			bad++
		}
	}
	printBasis(e.stdout, scratch.Basis)
	if bad > 0 {
		return dataf("%d trong %d tệp có lỗi — %d of %d file(s) have errors", bad, len(pos), bad, len(pos))
	}
	return nil
}

// wardsOf is the ward each file is from: the --ward flag's, or the
// folder's when it is a ward's inbox folder, or none (a city-level file).
func wardsOf(cfg *config.Config, paths []string, flag string) ([]string, error) {
	var wards []string
	for _, path := range paths {
		ward := flag
		if ward == "" {
			if w, ok := cfg.Ward(filepath.Base(filepath.Dir(path))); ok {
				ward = w.Code
			}
		} else if w, ok := cfg.WardByName(ward); ok {
			ward = w.Code
		} else {
			return nil, fmt.Errorf("--ward %q is not a ward of the configuration", ward)
		}
		wards = append(wards, ward)
	}
	return wards, nil
}

// modeVI names a file's mode (ingest.ModeSupplement, ingest.ModeReplacement) in Vietnamese.
var modeVI = map[string]string{ingest.ModeSupplement: "bản bổ sung", ingest.ModeReplacement: "bản thay thế"}

// counted is n and noun in English, in the plural unless n is 1.
func counted(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// printValidated prints what a dry run found in one file, and says whether
// the file would load.
func printValidated(w io.Writer, o ingest.Outcome) bool {
	ok := true
	status := "hợp lệ — valid"
	switch o.Status {
	case ingest.StatusRefused:
		n := 0
		if o.Result != nil {
			n = o.Result.Errors()
		}
		status = fmt.Sprintf("%d lỗi — %s", n, counted(n, "error"))
		ok = false
	case ingest.StatusDuplicate:
		status = "đã nhận — already received: " + o.Earlier
	case ingest.StatusFailed, ingest.StatusSkipped:
		status = "không đọc được — cannot be read: " + o.Reason
		ok = false
	}
	rows, warnings := 0, 0
	var ds []string
	if o.Result != nil {
		rows, warnings = o.Result.Rows, o.Result.Warnings()
		for _, t := range o.Result.Tables {
			if !slices.Contains(ds, t.Dataset.Name) {
				ds = append(ds, t.Dataset.Name)
			}
		}
	}
	fmt.Fprintf(w, "%s: %s; %d dòng, %d cảnh báo — %s, %s %v\n", o.Path, status, rows, warnings, counted(rows, "row"), counted(warnings, "warning"), ds)
	for _, t := range o.Tables {
		fmt.Fprintf(w, "  sẽ được nhận là %s %s %s: %d dòng mới, %d dòng thay dòng đã nhận, %d dòng đã nhận thôi được tính — would be taken as a %s of %s %s: new rows %d, replacing earlier rows %d, earlier rows no longer counting %d\n",
			modeVI[t.Mode], t.Dataset, t.Ward, t.Added, t.Replaced, t.Removed, t.Mode, t.Dataset, t.Ward, t.Added, t.Replaced, t.Removed)
	}
	if o.Result != nil {
		for _, p := range o.Result.Problems {
			fmt.Fprintf(w, "  %-7s %s\n", p.Severity, p.String())
		}
	}
	return ok
}

// printBasis says what the files were checked against.
func printBasis(w io.Writer, basis string) {
	switch basis {
	case ingest.BasisDatabase:
		fmt.Fprintln(w, "(Đã đối chiếu với dữ liệu đã nạp và với các tệp khác được nêu ở đây — chưa nạp gì. / Checked against what the pipeline has loaded, and against the other files named here — nothing was loaded.)")
	case ingest.BasisSnapshot:
		fmt.Fprintln(w, "(Cơ sở dữ liệu đang được dùng: mã đã được đối chiếu với danh sách đăng ký của bản công bố và các tệp được nêu ở đây; chưa kiểm tra được tệp bổ sung hay thay thế phiếu khảo sát, hoạt động của xã, phường. / The pipeline's database is in use: the codes were checked against the registrations of the published snapshot and the files named here; whether a file adds to or replaces a ward's surveys and activities could not be checked.)")
	default:
		fmt.Fprintln(w, "(Chưa có dữ liệu đã nạp hoặc không có thư mục làm việc: mã công dân, mã đơn vị chỉ được đối chiếu với các tệp được nêu ở đây và danh sách đơn vị trong pipeline.yaml — chạy trong thư mục làm việc, hoặc dùng --config, để đối chiếu với dữ liệu đã nạp. / No data loaded in this workspace, or no workspace: citizen and unit codes were checked only against the files named here and pipeline.yaml's units — run inside a workspace, or pass --config, to check them against what is loaded.)")
	}
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
