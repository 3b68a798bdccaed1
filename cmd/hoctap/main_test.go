package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/hoctap/hoctap/reports"
	"github.com/hoctap/hoctap/store"
)

var lineNumber = regexp.MustCompile(`^\d+: `)

// The tests run the real binary, built once.
var binary string

func TestMain(m *testing.M) {
	if os.Getenv(readCSVHelper) != "" { // a helper process of BenchmarkIngestCommand
		os.Exit(m.Run())
	}
	dir, err := os.MkdirTemp("", "hoctap-bin")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "hoctap")
	if runtime.GOOS == "windows" {
		binary += ".exe"
	}
	build := exec.Command("go", "build", "-o", binary, ".")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		panic("building hoctap: " + err.Error())
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

type result struct {
	code           int
	stdout, stderr string
}

func runHoctap(t testing.TB, dir string, args ...string) result {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Dir = dir
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		code = exit.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return result{code, out.String(), errb.String()}
}

func TestUsageAndHelp(t *testing.T) {
	dir := t.TempDir()
	wd, _ := os.Getwd()
	repoConfig := filepath.Join(wd, "../../pipeline.yaml")
	cases := []struct {
		name     string
		args     []string
		code     int
		contains string
	}{
		{"no command", nil, exitUsage, "no command given"},
		{"unknown command", []string{"frobnicate"}, exitUsage, `unknown command "frobnicate"`},
		{"help lists every command", []string{"help"}, exitOK, "schedule"},
		{"help of one command", []string{"help", "check"}, exitOK, "file:line: path: message"},
		{"-h of a command", []string{"demo", "-h"}, exitOK, "-seed"},
		{"bad flag", []string{"check", "--nope"}, exitUsage, "flag provided but not defined: -nope"},
		{"serve without a workspace", []string{"serve"}, exitData, "pipeline.yaml not found"},
		{"help of run", []string{"help", "run"}, exitOK, "unless its numbers are unchanged"},
		{"template of an unknown dataset", []string{"template", "people", "-o", "x.xlsx"}, exitUsage, `"people" is not a dataset`},
		{"help of serve", []string{"help", "serve"}, exitOK, "Meanwhile it serves the web app"},
		{"serve off the loopback", []string{"serve", "--config", repoConfig, "--listen", "0.0.0.0:0"}, exitData, "it listens off this machine only with authentication configured"},
		{"serve without the mail server's password", []string{"serve", "--config", filepath.Join(wd, "../../config/testdata/delivery.good.yml")}, exitData, "delivery.smtp.password_file: stat "},
		{"no config here", []string{"check"}, exitData, "pipeline.yaml not found"},
		{"schedule without --simulate", []string{"schedule"}, exitUsage, "--simulate FROM..TO is required"},
		{"version", []string{"version"}, exitOK, "hoctap "},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := runHoctap(t, dir, tc.args...)
			if r.code != tc.code {
				t.Errorf("exit %d, want %d\nstdout: %s\nstderr: %s", r.code, tc.code, r.stdout, r.stderr)
			}
			if !strings.Contains(r.stdout+r.stderr, tc.contains) {
				t.Errorf("output lacks %q\nstdout: %s\nstderr: %s", tc.contains, r.stdout, r.stderr)
			}
		})
	}
}

func TestCheck(t *testing.T) {
	r := runHoctap(t, "../..", "check")
	if r.code != exitOK || !strings.Contains(r.stdout, "pipeline.yaml: ok") || !strings.Contains(r.stdout, "Tân Quy Đông") {
		t.Fatalf("check on the repo's pipeline.yaml: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	bad, _ := filepath.Glob("../../config/testdata/*.bad.yml")
	if len(bad) == 0 {
		t.Fatal("no bad configs found")
	}
	for _, f := range bad {
		t.Run(filepath.Base(f), func(t *testing.T) {
			r := runHoctap(t, ".", "check", "--config", f)
			if r.code != exitData {
				t.Errorf("exit %d, want %d\n%s", r.code, exitData, r.stderr)
			}
			// every problem line names the file and, but for an empty file, its line.
			lines := strings.Split(strings.TrimSpace(r.stderr), "\n")
			if len(lines) < 2 {
				t.Fatalf("no problems listed:\n%s", r.stderr)
			}
			for _, l := range lines[1:] {
				rest, ok := strings.CutPrefix(l, f+":")
				if !ok {
					t.Errorf("problem line %q does not start with the file", l)
					continue
				}
				if !strings.HasSuffix(f, "empty.bad.yml") && !lineNumber.MatchString(rest) {
					t.Errorf("problem line %q has no line number", l)
				}
			}
		})
	}
}

func TestInit(t *testing.T) {
	dir := t.TempDir()
	ws := filepath.Join(dir, "city")
	r := runHoctap(t, dir, "init", ws)
	if r.code != exitOK {
		t.Fatalf("init: exit %d\n%s", r.code, r.stderr)
	}
	for _, p := range []string{"pipeline.yaml", "data/inbox/tan-phu-dong", "data/inbox/tan-quy-tay", "data/inbox/tan-quy-dong", "templates/tan-quy-dong/citizen_assessments.xlsx"} {
		if _, err := os.Stat(filepath.Join(ws, p)); err != nil {
			t.Errorf("init did not make %s: %v", p, err)
		}
	}
	if r := runHoctap(t, ws, "check"); r.code != exitOK {
		t.Errorf("check in the new workspace: exit %d\n%s", r.code, r.stderr)
	}
	r = runHoctap(t, dir, "init", ws)
	if r.code != exitData || !strings.Contains(r.stderr, "already exists") {
		t.Errorf("second init: exit %d, %s", r.code, r.stderr)
	}
	checkRegister(t, ws)
}

// checkRegister: the workspace's register of administrative units follows the
// pilot's wards onto today's map, and a broken register or ward code is
// refused by check, saying where.
func checkRegister(t *testing.T, ws string) {
	r := runHoctap(t, ws, "check")
	for _, want := range []string{
		"xã Tân Quy Tây (29920): xã Tân Quy Tây (cũ), nay thuộc phường Sa Đéc",
		"phường Tân Quy Đông (29917): phường Tân Quy Đông (cũ), nay thuộc phường Sa Đéc",
		"xã Tân Phú Đông (29923): xã Tân Phú Đông (cũ), nay thuộc xã Tân Dương",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("check does not say %q:\n%s", want, r.stdout)
		}
	}
	crosswalk := filepath.Join(ws, "dvhc", "chuyen-doi.csv")
	good, err := os.ReadFile(crosswalk)
	if err != nil {
		t.Fatal(err)
	}
	var kept []string
	for _, l := range strings.Split(string(good), "\n") {
		if !strings.HasPrefix(l, "29920,") {
			kept = append(kept, l)
		}
	}
	if err := os.WriteFile(crosswalk, []byte(strings.Join(kept, "\n")), 0o644); err != nil {
		t.Fatal(err)
	}
	r = runHoctap(t, ws, "check")
	if r.code != exitData || !strings.Contains(r.stderr, "don-vi.csv:15: ") ||
		!strings.Contains(r.stderr, "Xã Tân Quy Tây (code 29920) ended on 30/06/2025 but no crosswalk line says which unit it became part of") {
		t.Errorf("check with a crosswalk missing Tân Quy Tây: exit %d\n%s", r.code, r.stderr)
	}
	if err := os.WriteFile(crosswalk, good, 0o644); err != nil {
		t.Fatal(err)
	}
	cfgPath := filepath.Join(ws, "pipeline.yaml")
	cfg, _ := os.ReadFile(cfgPath)
	bad := strings.Replace(string(cfg), `official_code: "29917"`, `official_code: "29920"`, 1)
	if bad == string(cfg) {
		t.Fatal("pipeline.yaml has no official_code 29917 to change")
	}
	if err := os.WriteFile(cfgPath, []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	r = runHoctap(t, ws, "check")
	if r.code != exitData || !strings.Contains(r.stderr, "wards[2].official_code: 29920 is also the code of wards[1] (tan-quy-tay)") {
		t.Errorf("check with two wards of one code: exit %d\n%s", r.code, r.stderr)
	}
	bad = strings.Replace(string(cfg), `official_code: "29917"`, `official_code: "29905"`, 1)
	os.WriteFile(cfgPath, []byte(bad), 0o644)
	r = runHoctap(t, ws, "check")
	if r.code != exitData || !strings.Contains(r.stderr, "wards[2].official_code: code 29905 is Phường 1, not phường Tân Quy Đông") {
		t.Errorf("check with the code of another ward: exit %d\n%s", r.code, r.stderr)
	}
	os.WriteFile(cfgPath, cfg, 0o644)
}

func TestDemo(t *testing.T) {
	dir := t.TempDir()
	r := runHoctap(t, dir, "demo", "--dir", "ws")
	if r.code != exitOK {
		t.Fatalf("demo: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	if !strings.Contains(r.stdout, "Workspace: ws") {
		t.Errorf("demo does not say where its workspace is:\n%s", r.stdout)
	}
	for _, p := range []string{"ws/pipeline.yaml", "ws/data/hoctap.duckdb"} {
		if _, err := os.Stat(filepath.Join(dir, p)); err != nil {
			t.Errorf("demo did not make %s", p)
		}
	}
	archived, _ := filepath.Glob(filepath.Join(dir, "ws/data/archive/*/*/*.xlsx"))
	if len(archived) < 40 {
		t.Errorf("demo archived %d workbooks, expected the pilot's exports", len(archived))
	}
	for _, want := range []string{"ingest: 54 loaded, 1 refused", "24 models, 12 data tests passed", "xã Tân Phú Đông      11          8"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("demo output lacks %q:\n%s", want, r.stdout)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "ws/data/quarantine/tan-quy-tay/Danh_gia_giua_ky_03-2021.xlsx.receipt.txt")); err != nil {
		t.Errorf("no receipt for the refused file: %v", err)
	}
	queryWhileWriting(t, filepath.Join(dir, "ws"))
	first := readTree(t, filepath.Join(dir, "ws/data/archive"))
	firstReports := readTree(t, filepath.Join(dir, "ws/out/reports"))
	checkReports(t, filepath.Join(dir, "ws"))
	checkWardPacks(t, filepath.Join(dir, "ws"))

	// Again: the same workspace is remade, with the same files.
	r = runHoctap(t, dir, "demo", "--dir", "ws")
	if r.code != exitOK {
		t.Fatalf("second demo: exit %d\n%s", r.code, r.stderr)
	}
	second := readTree(t, filepath.Join(dir, "ws/data/archive"))
	if len(first) != len(second) {
		t.Fatalf("second demo wrote %d files, first %d", len(second), len(first))
	}
	for p, b := range first {
		if !bytes.Equal(b, second[p]) {
			if !strings.HasSuffix(p, ".receipt.txt") { // receipts carry the time of the run
				t.Errorf("%s differs between two demo runs", p)
			}
		}
	}

	// The same data gives the same reports, byte for byte — charts, HTML, PDF
	// and XLSX; only the manifests' stamps differ.
	secondReports := readTree(t, filepath.Join(dir, "ws/out/reports"))
	compared := 0
	for p, b := range secondReports {
		if filepath.Base(p) == "manifest.json" || p == "index.html" {
			continue
		}
		compared++
		if !bytes.Equal(b, firstReports[p]) {
			t.Errorf("report file %s differs between two demo runs", p)
		}
	}
	firstFiles := 0
	for p := range firstReports {
		if filepath.Base(p) != "manifest.json" && p != "index.html" {
			firstFiles++
		}
	}
	// Each month and language: HTML, PDF, XLSX and at least 4 charts.
	if compared != firstFiles || compared < 9*2*(3+4) {
		t.Errorf("compared %d report files of the %d of the first run, want every file of 9 months in 2 languages", compared, firstFiles)
	}

	// A folder the demo did not make is never touched.
	other := filepath.Join(dir, "mine")
	os.MkdirAll(other, 0o755)
	os.WriteFile(filepath.Join(other, "notes.txt"), []byte("keep"), 0o644)
	r = runHoctap(t, dir, "demo", "--dir", "mine")
	if r.code != exitData || !strings.Contains(r.stderr, "not made by hoctap demo") {
		t.Errorf("demo into a foreign folder: exit %d, %s", r.code, r.stderr)
	}
	if b, err := os.ReadFile(filepath.Join(other, "notes.txt")); err != nil || string(b) != "keep" {
		t.Error("demo touched a folder it did not make")
	}
}

func readTree(t *testing.T, root string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(root, p)
		files[rel] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// queryWhileWriting holds the pipeline's database open for writing, as a
// running job would, and checks that hoctap query and status still answer from
// the snapshot, with the pilot's numbers, and that the sandbox refuses writes.
func queryWhileWriting(t *testing.T, ws string) {
	t.Helper()
	db, err := store.Open(context.Background(), filepath.Join(ws, "data/hoctap.duckdb"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	r := runHoctap(t, ws, "query", "--format", "csv",
		"SELECT ward, registered, recognised FROM progress_monthly WHERE level = 'ward' AND month = '2021-07' ORDER BY ward")
	// By the generator's design (sample/pilot.go): 11, 10 and 10 people; 8, 7 and 8 reach the title.
	want := "ward,registered,recognised\ntan-phu-dong,11,8\ntan-quy-dong,10,8\ntan-quy-tay,10,7\n"
	if r.code != exitOK || r.stdout != want {
		t.Errorf("query while the database is held: exit %d\n%s%s\nwant:\n%s", r.code, r.stdout, r.stderr, want)
	}
	r = runHoctap(t, ws, "status", "--month", "2021-03")
	if r.code != exitOK || !regexp.MustCompile(`31/03/2021  xong \(done\) +Đánh giá giữa kỳ xong`).MatchString(r.stdout) || !strings.Contains(r.stdout, "xã Tân Quy Tây") {
		t.Errorf("status: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	for _, q := range []string{"DROP TABLE citizens", "SELECT * FROM read_csv('/etc/passwd')", "DELETE FROM citizens; SELECT 1",
		// Made DuckDB abort the process (SIGABRT) before hoctap asked
		// DuckDB's parser what a query holds.
		"SELECT 1 AS x$y$; CALL enable_logging(storage='file', storage_path='logs'); SELECT 2 AS z$y$",
		"CALL enable_logging(storage='file', storage_path='logs')",
		`SELECT E'\'' AS a; SELECT 42; SELECT 'x'`} {
		r = runHoctap(t, ws, "query", q)
		if r.code != exitData || !strings.Contains(r.stderr, "query refused") {
			t.Errorf("%s: exit %d, %s", q, r.code, r.stderr)
		}
	}
	checkQueryOutput(t, ws)
	// While the pipeline's database is held, a job that needs it says who holds it.
	r = runHoctap(t, ws, "transform")
	if r.code != exitData || !strings.Contains(r.stderr, "is in use by PID") {
		t.Errorf("transform while the database is held: exit %d, %s", r.code, r.stderr)
	}
}

// checkPrivate: the files that hold people's names and scores — the
// database, the published snapshot, the reports and the backups — and their
// folders are their owner's only (0600, 0700).
func checkPrivate(t *testing.T, ws string) {
	t.Helper()
	checked := 0
	for _, root := range []string{"data/hoctap.duckdb", "data/published", "out/reports", "data/backups"} {
		err := filepath.WalkDir(filepath.Join(ws, root), func(path string, d os.DirEntry, err error) error {
			if err != nil {
				return err
			}
			info, err := d.Info()
			if err != nil {
				return err
			}
			if info.Mode().Perm()&0o077 != 0 {
				t.Errorf("%s is %v: others may read it", path, info.Mode().Perm())
			}
			checked++
			return nil
		})
		if err != nil {
			t.Error(err)
		}
	}
	if checked < 300 {
		t.Errorf("checked %d files and folders, want every report's too", checked)
	}
}

// checkQueryOutput: hoctap query shows a TIMESTAMPTZ in the city's zone with
// its offset (midnight too), escapes control characters in the table so a
// value cannot forge a line or recolour the terminal, and neutralises
// formulas in CSV while numbers stay numbers.
func checkQueryOutput(t *testing.T, ws string) {
	t.Helper()
	sql := `SELECT TIMESTAMPTZ '2021-03-01 00:00:00+07' AS at, 'Tân' || chr(10) || 'fake line' || chr(27) || '[2J' AS name,
		'=HYPERLINK("http://evil.example")' AS f, -12.5 AS n, received_at FROM ingest_files ORDER BY file_id LIMIT 1`
	r := runHoctap(t, ws, "query", sql)
	if r.code != exitOK || !strings.Contains(r.stdout, "2021-03-01 00:00:00+07:00") || !strings.Contains(r.stdout, `Tân\nfake line\x1b[2J`) ||
		strings.ContainsAny(r.stdout, "\x1b") || strings.Count(r.stdout, "\n") != 4 || !regexp.MustCompile(`\d\d:\d\d:\d\d\.\d+\+07:00`).MatchString(r.stdout) {
		t.Errorf("query, table: exit %d\n%q\n%s", r.code, r.stdout, r.stderr)
	}
	r = runHoctap(t, ws, "query", "--format", "csv", sql)
	if r.code != exitOK || !strings.Contains(r.stdout, "2021-03-01 00:00:00+07:00,\"Tân\nfake line\\x1b[2J\",\"'=HYPERLINK(\"\"http://evil.example\"\")\",-12.5,") {
		t.Errorf("query, csv: exit %d\n%q\n%s", r.code, r.stdout, r.stderr)
	}
}

// checkReports checks the demo's monthly reports: every month of the pilot in
// both languages and every format, a month rendered again with the same
// numbers left alone, and a month whose data changed rendered as a new version
// beside the old one.
func checkReports(t *testing.T, ws string) {
	t.Helper()
	out := filepath.Join(ws, "out/reports")
	months := []string{"2020-11", "2020-12", "2021-01", "2021-02", "2021-03", "2021-04", "2021-05", "2021-06", "2021-07"}
	for _, m := range months {
		for _, f := range []string{"bao-cao-" + m + ".html", "bao-cao-" + m + ".pdf", "bao-cao-" + m + ".xlsx",
			"report-" + m + ".en.html", "report-" + m + ".en.pdf", "report-" + m + ".en.xlsx", "manifest.json"} {
			if _, err := os.Stat(filepath.Join(out, m, "v1", f)); err != nil {
				t.Errorf("report %s: %v", m, err)
			}
		}
		// November, the first month, has no assessment yet: its score
		// charts are sentences, its goals rows of the goals' table.
		pngs, _ := filepath.Glob(filepath.Join(out, m, "v1/png/vi/*.png"))
		if want := map[bool]int{true: 4, false: 10}[m == "2020-11"]; len(pngs) < want {
			t.Errorf("report %s: %d PNG charts, want at least %d", m, len(pngs), want)
		}
	}
	var man struct {
		Fingerprint string `json:"data_fingerprint"`
		Files       []struct{ Path, SHA256 string }
		Inputs      []struct{ Name, SHA256 string } `json:"input_files"`
	}
	b, err := os.ReadFile(filepath.Join(out, "2021-03/v2/manifest.json"))
	if err == nil {
		err = json.Unmarshal(b, &man)
	}
	if err != nil || len(man.Fingerprint) != 64 || len(man.Inputs) != 53 || len(man.Files) < 20 {
		t.Errorf("manifest: %v: fingerprint %q, %d inputs (want the 53 loaded files: 54 less the one superseded), %d files", err, man.Fingerprint, len(man.Inputs), len(man.Files))
	}
	checkAsOf(t, ws)
	html, _ := os.ReadFile(filepath.Join(out, "2021-03/v2/bao-cao-2021-03.html"))
	for _, want := range []string{"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "<svg", "Đánh giá giữa kỳ xong"} {
		if !bytes.Contains(html, []byte(want)) {
			t.Errorf("March's HTML report lacks %q", want)
		}
	}
	if regexp.MustCompile(`<script|<link|<img|src="|url\(`).Match(html) {
		t.Error("the HTML report is not self-contained")
	}

	reportsAgreeWithSQL(t, ws, html)
	checkPDFLayout(t, out)
	checkGoals(t, ws)

	// The same numbers: nothing is rendered again.
	r := runHoctap(t, ws, "report", "--month", "2021-03")
	if r.code != exitOK || !strings.Contains(r.stdout, "report 2021-03: unchanged since version 2") {
		t.Errorf("report of an unchanged month: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	// After an upgrade that changed the layout, --force makes a new version
	// of the same numbers; the earlier stays.
	r = runHoctap(t, ws, "report", "--month", "2020-11", "--lang", "en", "--force")
	if r.code != exitOK || !strings.Contains(r.stdout, "report 2020-11: version 2") {
		t.Errorf("report --force: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if _, err := os.Stat(filepath.Join(out, "2020-11/v1/report-2020-11.en.pdf")); err != nil {
		t.Errorf("--force lost version 1: %v", err)
	}
	// Tân Quy Đông corrects its March activities: March's numbers change.
	fix := "Ngày,Xã/phường,Loại hoạt động,Nội dung,Số người tham dự,Số giờ\n15/03/2021,P. Tân Qui Đông,tập huấn,Tập huấn bổ sung,40,2\n"
	if err := os.WriteFile(filepath.Join(ws, "data/inbox/tan-quy-dong/Hoat_dong_T03-2021_bo_sung.csv"), []byte(fix), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"ingest"}, {"transform", "--quiet"}, {"backfill", "--from", "2021-02", "--to", "2021-03", "--lang", "vi"}} {
		if r = runHoctap(t, ws, args...); r.code != exitOK {
			t.Fatalf("%v: exit %d\n%s%s", args, r.code, r.stdout, r.stderr)
		}
	}
	if !strings.Contains(r.stdout, "report 2021-02: unchanged since version 2") || !strings.Contains(r.stdout, "report 2021-03: version 3") {
		t.Errorf("backfill after a correction:\n%s", r.stdout)
	}
	old, err := os.ReadFile(filepath.Join(out, "2021-03/v2/bao-cao-2021-03.html"))
	if err != nil || !bytes.Equal(old, html) {
		t.Errorf("version 2 of March was changed or lost: %v", err)
	}
	// One pass of the scheduler's work: nothing new in the inbox; July, the
	// programme's last finished month, gets a version 2 because its table of
	// activities since November shows the corrected March; a second pass
	// leaves it alone.
	r = runHoctap(t, ws, "run")
	if r.code != exitOK || !strings.Contains(r.stdout, "nothing new loaded") || !strings.Contains(r.stdout, "report 2021-07: version 2") {
		t.Errorf("run: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = runHoctap(t, ws, "run")
	if r.code != exitOK || !strings.Contains(r.stdout, "report 2021-07: unchanged since version 2") {
		t.Errorf("run: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	// Each step of each pass is a finished run in job_runs (no transform:
	// nothing was loaded).
	db, err := store.Open(context.Background(), filepath.Join(ws, "data/hoctap.duckdb"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var runs []string
	err = db.Select(&runs, `SELECT job || ':' || status || ':' || (finished_at >= started_at)::VARCHAR FROM job_runs ORDER BY run_id`)
	db.Close()
	if want := "ingest:ok:true report:ok:true ingest:ok:true report:ok:true"; err != nil || strings.Join(runs, " ") != want {
		t.Errorf("job_runs: %v %v, want %s", err, runs, want)
	}
	checkCatchUp(t, ws)
	checkServe(t, ws)
	checkBackup(t, ws)
	checkDelivery(t, ws)
	checkPrivate(t, ws)
	index, _ := os.ReadFile(filepath.Join(out, "index.html"))
	for _, want := range []string{`href="2021-03/v3/bao-cao-2021-03.pdf"`, `href="2021-03/v2/bao-cao-2021-03.pdf"`, `href="2021-03/v1/bao-cao-2021-03.pdf"`, `href="2020-11/v1/report-2020-11.en.html"`} {
		if !bytes.Contains(index, []byte(want)) {
			t.Errorf("index lacks %s", want)
		}
	}
}

// checkPDFLayout reads every PDF of the demo back as text and fonts: the
// closing ("Nơi nhận" and the signer's name) comes before the first annex;
// every citizen code and assessment date of the annex, read from the same
// report's XLSX, appears whole; the serif is embedded.
func checkPDFLayout(t *testing.T, out string) {
	t.Helper()
	pdfs, _ := filepath.Glob(filepath.Join(out, "*/v*/*.pdf"))
	if len(pdfs) < 18 {
		t.Fatalf("%d PDFs, want every month in both languages", len(pdfs))
	}
	for _, pdf := range pdfs {
		en := strings.HasSuffix(pdf, ".en.pdf")
		b, err := exec.Command("pdftotext", pdf, "-").Output()
		if err != nil {
			t.Fatalf("pdftotext %s: %v", pdf, err)
		}
		text := strings.ReplaceAll(string(b), "\u00a0", " ")
		to, annex, sheet := "Nơi nhận:", "PHỤ LỤC", "Phụ lục"
		if en {
			to, annex, sheet = "To:", "ANNEX", "Annex"
		}
		i, j, k := strings.Index(text, to), strings.Index(text, "Nguyễn Văn A"), strings.Index(text, annex)
		if i < 0 || j < i || k < j {
			t.Errorf("%s: %q at %d, the signer at %d, the annex at %d: the closing ends the body, before the annex", pdf, to, i, j, k)
		}
		f, err := excelize.OpenFile(strings.TrimSuffix(pdf, ".pdf") + ".xlsx")
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := f.GetRows(sheet) // none: nobody meets the criteria yet
		f.Close()
		whole := 0
		for _, row := range rows {
			if len(row) < 10 || !regexp.MustCompile(`^[A-Z]{3}-\d+$`).MatchString(row[2]) {
				continue
			}
			day, err := time.Parse("02/01/2006", row[9])
			if err != nil {
				t.Fatalf("%s: annex date %q: %v", pdf, row[9], err)
			}
			lang := map[bool]string{false: "vi", true: "en"}[en]
			for _, s := range []string{row[2], reports.FormatDay(lang, day)} {
				if !strings.Contains(text, s) {
					t.Errorf("%s: %q of the annex is not whole in the PDF", pdf, s)
				}
			}
			whole++
		}
		if strings.Contains(pdf, "2021-07") && whole == 0 {
			t.Errorf("%s: no annex row checked", pdf)
		}
		fonts, err := exec.Command("pdffonts", pdf).Output()
		if err != nil {
			t.Fatalf("pdffonts %s: %v", pdf, err)
		}
		if !regexp.MustCompile(`(?m)^LiberationSerif\s+CID TrueType\s+Identity-H\s+yes`).Match(fonts) {
			t.Errorf("%s: Liberation Serif is not embedded:\n%s", pdf, fonts)
		}
	}
}

// reportsAgreeWithSQL reads March's report back from its three formats and
// compares its figures with SQL on the snapshot: the narrative's count of
// people meeting the title (HTML and PDF text) and each ward's registered,
// assessed and recognised people (the XLSX sheet and the HTML table).
func reportsAgreeWithSQL(t *testing.T, ws string, html []byte) {
	t.Helper()
	r := runHoctap(t, ws, "query", "--format", "csv", `SELECT w.name, p.registered, p.assessed, p.eligible, p.month
		FROM progress_monthly p LEFT JOIN cfg_wards w USING (ward)
		WHERE p.level IN ('ward', 'city') AND p.month IN ('2021-02', '2021-03') ORDER BY p.month, w.ordinal NULLS LAST`)
	if r.code != exitOK {
		t.Fatalf("query: %s", r.stderr)
	}
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")[1:]
	if len(lines) != 8 {
		t.Fatalf("query: %d rows, want 8:\n%s", len(lines), r.stdout)
	}
	field := func(line string, i int) string { return strings.Split(line, ",")[i] }
	// "… tăng 7 người, từ 3 lên 10 (…": February's and March's city rows.
	before, now := field(lines[3], 3), field(lines[7], 3)
	var n0, n1 int
	fmt.Sscan(before, &n0)
	fmt.Sscan(now, &n1)
	sentence := fmt.Sprintf("tăng %d người, từ %d lên %d", n1-n0, n0, n1)
	if !bytes.Contains(html, []byte(sentence)) {
		t.Errorf("the HTML report lacks %q", sentence)
	}
	pdf := filepath.Join(ws, "out/reports/2021-03/v2/bao-cao-2021-03.pdf")
	out, err := exec.Command("pdftotext", pdf, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext %s: %v (install poppler-utils)", pdf, err)
	}
	if text := strings.Join(strings.Fields(string(out)), " "); !strings.Contains(text, sentence) {
		t.Errorf("the PDF report lacks %q", sentence)
	}
	f, err := excelize.OpenFile(filepath.Join(ws, "out/reports/2021-03/v2/bao-cao-2021-03.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("Xã phường", excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range lines[4:7] { // March's wards
		label := "Cộng " + field(line, 0)
		want := []string{field(line, 1), field(line, 2), field(line, 3)}
		found := false
		for _, row := range rows {
			if len(row) > 4 && row[0] == label {
				found = true
				if got := row[2:5]; strings.Join(got, ",") != strings.Join(want, ",") {
					t.Errorf("XLSX %s: %v, SQL says %v", label, got, want)
				}
			}
		}
		if !found {
			t.Errorf("XLSX has no row %q", label)
		}
		cells := regexp.MustCompile(`<td[^>]*>` + regexp.QuoteMeta(label) + `</td><td[^>]*></td><td[^>]*>(\d+)</td><td[^>]*>(\d+)</td><td[^>]*>(\d+)</td>`).FindSubmatch(html)
		if cells == nil || string(cells[1]) != want[0] || string(cells[2]) != want[1] || string(cells[3]) != want[2] {
			t.Errorf("HTML row %s does not show %v", label, want)
		}
	}
}

// TestScheduleSimulate asks the real binary for the report job's instants in
// March and April 2021: day 8 at 07:00 (the day after the data deadline, day 7), Sa Đéc time; and the ingest runs, every
// ten minutes of the 61 days after the start (61 × 144 − 1).
func TestScheduleSimulate(t *testing.T) {
	wd, _ := os.Getwd()
	r := runHoctap(t, t.TempDir(), "schedule", "--simulate", "2021-03..2021-04", "--job", "report", "--config", filepath.Join(wd, "../../pipeline.yaml"))
	want := "2021-03-08 07:00 Mon +07:00  report\n2021-04-08 07:00 Thu +07:00  report\n\n"
	if r.code != exitOK || !strings.Contains(r.stdout, want) || !strings.Contains(r.stdout, "report    2 runs") || !strings.Contains(r.stdout, "ingest    8783 runs") {
		t.Errorf("schedule --simulate: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// checkCatchUp forgets that May's and June's reports were rendered, as if
// nothing had run on 1 June and 1 July 2021: the next pass renders them as
// catch-ups, due at 07:00 on the 8th of the next month, and says so in
// job_runs. Runs left running by killed processes are closed by that pass
// (orphanRuns).
func checkCatchUp(t *testing.T, ws string) {
	t.Helper()
	db, err := store.Open(context.Background(), filepath.Join(ws, "data/hoctap.duckdb"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	gone := orphanRuns(t, db)
	_, err = db.Exec(`DELETE FROM reports WHERE month IN ('2021-05', '2021-06')`)
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	r := runHoctap(t, ws, "run")
	for _, want := range []string{"catch-up report, due 2021-06-08 07:00 of 2021-05", "catch-up report, due 2021-07-08 07:00 of 2021-06", "report 2021-07: unchanged since version 2"} {
		if r.code != exitOK || !strings.Contains(r.stdout, want) {
			t.Errorf("run after two missed months: exit %d, lacks %q\n%s%s", r.code, want, r.stdout, r.stderr)
		}
	}
	db, err = store.Open(context.Background(), filepath.Join(ws, "data/hoctap.duckdb"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	err = db.Get(&n, `SELECT count(*) FROM job_runs WHERE job = 'report' AND catch_up AND status = 'ok'
		AND strftime(scheduled_at AT TIME ZONE 'Asia/Ho_Chi_Minh', '%d %H:%M') = '08 07:00'`)
	if err != nil || n != 2 {
		t.Errorf("job_runs: %d catch-up report runs due on day 8 at 07:00 city time (%v), want 2", n, err)
	}
	checkOrphans(t, db, gone)
}

// syncBuffer is a bytes.Buffer a process writes while the test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// hoctap passwd reads the password from standard input: a last line without
// its newline is the password, and standard input that cannot be read is an
// error saying so, not an empty password.
func TestPasswdStdin(t *testing.T) {
	passwd := func(stdin *os.File, input string) result {
		t.Helper()
		cmd := exec.Command(binary, "passwd", "--user", "lan")
		if stdin != nil {
			cmd.Stdin = stdin
		} else {
			cmd.Stdin = strings.NewReader(input)
		}
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		err := cmd.Run()
		var exit *exec.ExitError
		if err != nil && !errors.As(err, &exit) {
			t.Fatal(err)
		}
		return result{cmd.ProcessState.ExitCode(), out.String(), errb.String()}
	}
	if r := passwd(nil, "mật khẩu không xuống dòng"); r.code != exitOK || !strings.Contains(r.stdout, `password_bcrypt: "$2a$`) {
		t.Errorf("a password without a newline: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	dir, err := os.Open(t.TempDir()) // reading a folder fails
	if err != nil {
		t.Fatal(err)
	}
	defer dir.Close()
	if r := passwd(dir, ""); r.code != exitInternal || !strings.Contains(r.stderr, "passwd: reading standard input:") {
		t.Errorf("unreadable standard input: exit %d, want %d saying so\n%s%s", r.code, exitInternal, r.stdout, r.stderr)
	}
}

// checkAsOf reads March's two versions back from their PDFs in both
// languages: the first holds the files received by the reporting deadline
// (07/04/2021) only, so not Tân Quy Tây's mid-term survey, refused on 29/03
// and sent again fixed after the deadline; the second holds it and opens with
// what changed since the first and why. The count of people meeting the
// criteria that each should show is worked out by SQL on the snapshot.
func checkAsOf(t *testing.T, ws string) {
	t.Helper()
	const late = "Danh_gia_giua_ky_03-2021_da_sua.xlsx"
	r := runHoctap(t, ws, "query", "--format", "csv", `
		SELECT strftime(least(received_at, coalesce(file_modified_at, received_at)) AT TIME ZONE 'Asia/Ho_Chi_Minh', '%d/%m/%Y') AS received,
		       least(received_at, coalesce(file_modified_at, received_at)) >= TIMESTAMPTZ '2021-04-08 00:00:00+07' AS after_deadline
		FROM ingest_files WHERE original_name = '`+late+`'`)
	if r.code != exitOK {
		t.Fatalf("query: %s", r.stderr)
	}
	row := strings.Split(strings.Split(strings.TrimSpace(r.stdout), "\n")[1], ",")
	received := row[0]
	if row[1] != "true" {
		t.Fatalf("%s was received %s, not after March's deadline: the demo does not show a version 2", late, received)
	}
	// February's count, and March's with and without the late file: a
	// person whose March standing comes from it stands, without it, on
	// their baseline survey.
	r = runHoctap(t, ws, "query", "--format", "csv", `
		SELECT (SELECT count(*) FROM citizen_status_monthly WHERE month = '2021-02' AND status = 'eligible') AS feb,
		       count(*) FILTER (WHERE s.status = 'eligible') AS with_late,
		       count(*) FILTER (WHERE (s.status = 'eligible' AND f.original_name <> '`+late+`') OR (f.original_name = '`+late+`' AND b.meets_title)) AS without_late
		FROM citizen_status_monthly s
		JOIN assessments a USING (assessment_id)
		JOIN ingest_files f ON f.file_id = a.file_id
		LEFT JOIN citizen_scores b ON b.citizen_id = s.citizen_id AND b.round = 'baseline'
		WHERE s.month = '2021-03'`)
	if r.code != exitOK {
		t.Fatalf("query: %s", r.stderr)
	}
	n := strings.Split(strings.Split(strings.TrimSpace(r.stdout), "\n")[1], ",")
	if n[1] == n[2] {
		t.Fatalf("the late file changes nothing in March (%v): the demo does not show a version 2", n)
	}
	text := func(v, name string) string {
		t.Helper()
		pdf := filepath.Join(ws, "out/reports/2021-03", v, name)
		out, err := exec.Command("pdftotext", pdf, "-").Output()
		if err != nil {
			t.Fatalf("pdftotext %s: %v (install poppler-utils)", pdf, err)
		}
		return strings.Join(strings.Fields(string(out)), " ")
	}
	v1, v2 := text("v1", "bao-cao-2021-03.pdf"), text("v2", "bao-cao-2021-03.pdf")
	for _, want := range []string{"Sa Đéc, ngày 08 tháng 4 năm 2021", "nhận đến ngày 07/04/2021", "từ " + n[0] + " lên " + n[2]} {
		if !strings.Contains(v1, want) {
			t.Errorf("March v1 lacks %q", want)
		}
	}
	for _, not := range []string{late, "THAY ĐỔI SO VỚI PHIÊN BẢN", "từ " + n[0] + " lên " + n[1]} {
		if strings.Contains(v1, not) {
			t.Errorf("March v1 has %q, received after its deadline", not)
		}
	}
	first := strings.Index(v2, "I. NHỮNG ĐIỂM THAY ĐỔI SO VỚI PHIÊN BẢN 1")
	if first < 0 || strings.Index(v2, "II. SỐ LIỆU CHÍNH") < first {
		t.Errorf("March v2 does not open with what changed since version 1")
	}
	for _, want := range []string{"thay thế phiên bản 1 (số liệu nhận đến ngày 07/04/2021)", late, received,
		"từ " + n[0] + " lên " + n[1], "Người đủ điều kiện đề nghị công nhận Toàn bộ thí điểm " + n[2] + " " + n[1]} {
		if !strings.Contains(v2, want) {
			t.Errorf("March v2 lacks %q:\n%s", want, v2[:min(len(v2), 3000)])
		}
	}
	e1, e2 := text("v1", "report-2021-03.en.pdf"), text("v2", "report-2021-03.en.pdf")
	if !strings.Contains(e1, "as received by 7 Apr 2021") || strings.Contains(e1, late) {
		t.Errorf("March v1 in English does not stand at its deadline")
	}
	if !strings.Contains(e2, "I. CHANGES SINCE VERSION 1") || !strings.Contains(e2, late) {
		t.Errorf("March v2 in English does not say what changed")
	}
}
