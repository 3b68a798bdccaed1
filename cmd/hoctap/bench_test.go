package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/hoctap/hoctap/store"
)

// BenchmarkIngestCommand runs the real `hoctap ingest`, each time in a fresh
// process, on one ward's export of n citizen assessments (a corrected
// re-export each time, so that every run loads and supersedes), and measures
// what an operator sees: the command's time on the clock, its processor time
// and its peak resident memory. Its registrations are loaded first, untimed.
// DuckDB's own read_csv of the same file into a plain table of a new database
// runs in a fresh process too, right after each load (its statement timed):
//
//	go test -run '^$' -bench IngestCommand -benchtime 2x ./cmd/hoctap
//
// Sizes 100,000 and 1,000,000 show how memory grows with the file. This
// process stays small: Linux counts the parent's memory in a child's peak
// until the child's exec.
func BenchmarkIngestCommand(b *testing.B) {
	for _, n := range []int{100_000, 1_000_000} {
		b.Run(fmt.Sprintf("rows=%d", n), func(b *testing.B) { benchIngestCommand(b, n) })
	}
}

func benchIngestCommand(b *testing.B, n int) {
	dir := b.TempDir()
	if r := runHoctap(b, dir, "sample", "--dir", "ws", "--scale", fmt.Sprint(n), "--wards", "1"); r.code != exitOK {
		b.Fatalf("sample: %d\n%s", r.code, r.stderr)
	}
	ws := filepath.Join(dir, "ws")
	inbox, _ := filepath.Glob(filepath.Join(ws, "inbox", "*"))
	if len(inbox) != 1 {
		b.Fatalf("inbox folders: %v", inbox)
	}
	final := filepath.Join(inbox[0], "assessments_final.csv")
	export := filepath.Join(dir, "export.csv")
	if err := os.Rename(final, export); err != nil {
		b.Fatal(err)
	}
	assessments, _ := filepath.Glob(filepath.Join(inbox[0], "assessments_*.csv"))
	for _, a := range assessments {
		os.Remove(a)
	}
	config := filepath.Join(ws, "pipeline.yaml")
	if r := runHoctap(b, dir, "ingest", "--config", config); r.code != exitOK {
		b.Fatalf("ingest registrations: %d\n%s", r.code, r.stderr)
	}

	var own, base time.Duration
	var cpu, peak, basePeak float64
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		if err := reexport(export, final, i+1); err != nil {
			b.Fatal(err)
		}
		cmd := exec.Command(binary, "ingest", "--config", config)
		cmd.Dir = dir
		t0 := time.Now()
		b.StartTimer()
		out, err := cmd.CombinedOutput()
		b.StopTimer()
		own += time.Since(t0)
		if err != nil || !strings.Contains(string(out), fmt.Sprintf("%d rows [citizen_assessments], 0 warnings", n)) {
			b.Fatalf("ingest: %v\n%s", err, out)
		}
		c, rss := usage(cmd.ProcessState)
		cpu += c
		peak = max(peak, rss)

		helper := exec.Command(os.Args[0], "-test.run", "^TestReadCSVHelper$")
		helper.Env = append(os.Environ(), readCSVHelper+"="+export, "HOCTAP_HELPER_DB="+filepath.Join(dir, fmt.Sprintf("plain%d.duckdb", i)))
		out, err = helper.Output()
		if err != nil {
			b.Fatalf("read_csv: %v\n%s", err, out)
		}
		first, _, _ := strings.Cut(string(out), "\n") // then the test's PASS
		d, err := time.ParseDuration(first)
		if err != nil {
			b.Fatalf("read_csv printed %q", out)
		}
		base += d
		_, rss = usage(helper.ProcessState)
		basePeak = max(basePeak, rss)
		b.StartTimer()
	}
	b.ReportMetric(float64(n*b.N)/own.Seconds(), "rows/s")
	b.ReportMetric(base.Seconds()/own.Seconds(), "x-read_csv")
	b.ReportMetric(cpu/float64(b.N), "cpu-s")
	b.ReportMetric(peak, "peak-RSS-MB")
	b.ReportMetric(basePeak, "read_csv-RSS-MB")
}

// reexport writes the export at path with k blank lines more: new bytes, the
// same rows. It is dated a minute back, as a file that finished arriving
// before the run: a file younger than ingest.settle_time (5 s) is watched that
// long before it is taken, a wait that is no part of loading it.
func reexport(export, path string, k int) error {
	body, err := os.ReadFile(export)
	if err != nil {
		return err
	}
	if err := os.WriteFile(path, append(body, strings.Repeat("\n", k)...), 0o644); err != nil {
		return err
	}
	sent := time.Now().Add(-time.Minute)
	return os.Chtimes(path, sent, sent)
}

// usage is a finished process's processor seconds and peak resident MB.
func usage(ps *os.ProcessState) (cpu, rssMB float64) {
	ru, ok := ps.SysUsage().(*syscall.Rusage)
	if !ok {
		return 0, 0
	}
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9, float64(ru.Maxrss) / 1024 // kB on Linux
}

// readCSVHelper names the file TestReadCSVHelper reads, in a helper process.
const readCSVHelper = "HOCTAP_READ_CSV_HELPER"

// TestReadCSVHelper is BenchmarkIngestCommand's baseline in a process of its
// own: DuckDB's read_csv of the file into a plain table of a new database,
// with hoctap's settings; it prints the statement's time. Without its
// environment it does nothing.
func TestReadCSVHelper(t *testing.T) {
	file := os.Getenv(readCSVHelper)
	if file == "" {
		return
	}
	ctx := context.Background()
	db, err := store.Open(ctx, os.Getenv("HOCTAP_HELPER_DB"), store.Options{Threads: 2, MemoryLimit: "4GB", TimeZone: "Asia/Ho_Chi_Minh"})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	t0 := time.Now()
	if _, err := db.ExecContext(ctx, fmt.Sprintf("CREATE TABLE plain AS SELECT * FROM read_csv('%s')", file)); err != nil {
		t.Fatal(err)
	}
	fmt.Println(time.Since(t0))
}

// BenchmarkIngestBatch: a new ward's first delivery — its registrations
// (1,000,000 citizens) and its surveys (3,000,000 assessments, one file) —
// loaded by the real `hoctap ingest` in one run, against the same two files in
// two runs (registrations first), each run a fresh process; the surveys are
// the older file, so that the inbox's own order would take them first. It
// reports both times, their ratio (one run should cost no more than 1.2 times
// the two) and the peak resident memory of each process (DuckDB's memory is
// bounded by database.memory_limit; the rest is Go's, bounded whatever the
// file's size):
//
//	go test -run '^$' -bench IngestBatch -benchtime 1x ./cmd/hoctap
func BenchmarkIngestBatch(b *testing.B) {
	const n = 1_000_000
	dir := b.TempDir()
	if r := runHoctap(b, dir, "sample", "--dir", "base", "--scale", fmt.Sprint(n), "--wards", "1"); r.code != exitOK {
		b.Fatalf("sample: %d\n%s", r.code, r.stderr)
	}
	base := filepath.Join(dir, "base")
	ward, _ := filepath.Glob(filepath.Join(base, "inbox", "*"))
	if len(ward) != 1 {
		b.Fatalf("inbox folders: %v", ward)
	}
	// the three rounds' surveys as one file of 3,000,000 rows
	var surveys []byte
	for i, round := range []string{"baseline", "mid", "final"} {
		p := filepath.Join(ward[0], "assessments_"+round+".csv")
		body, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		if i > 0 { // the header once
			body = body[bytes.IndexByte(body, '\n')+1:]
		}
		surveys = append(surveys, body...)
		os.Remove(p)
	}
	citizens, err := os.ReadFile(filepath.Join(ward[0], "citizens.csv"))
	if err != nil {
		b.Fatal(err)
	}
	os.Remove(filepath.Join(ward[0], "citizens.csv"))
	cfgText, err := os.ReadFile(filepath.Join(base, "pipeline.yaml"))
	if err != nil {
		b.Fatal(err)
	}
	cfgText = []byte(strings.Replace(string(cfgText), "settle_time: 5s", "settle_time: 0s", 1))
	os.WriteFile(filepath.Join(base, "pipeline.yaml"), cfgText, 0o644)
	if r := runHoctap(b, dir, "ingest", "--config", filepath.Join(base, "pipeline.yaml")); r.code != exitOK { // the units, untimed
		b.Fatalf("ingest units: %d\n%s", r.code, r.stderr)
	}

	type run struct {
		wall       time.Duration
		cpu, rssMB float64
	}
	ingest := func(ws string) run {
		cmd := exec.Command(binary, "ingest", "--config", filepath.Join(ws, "pipeline.yaml"))
		t0 := time.Now()
		out, err := cmd.CombinedOutput()
		if err != nil {
			b.Fatalf("ingest: %v\n%s", err, out)
		}
		c, rss := usage(cmd.ProcessState)
		return run{time.Since(t0), c, rss}
	}
	put := func(ws, name string, body []byte, sent time.Time) {
		p := filepath.Join(ws, "inbox", filepath.Base(ward[0]), name)
		if err := os.WriteFile(p, body, 0o644); err != nil {
			b.Fatal(err)
		}
		os.Chtimes(p, sent, sent)
	}
	copyDir := func(name string) string {
		ws := filepath.Join(dir, name)
		if out, err := exec.Command("cp", "-a", base, ws).CombinedOutput(); err != nil {
			b.Fatalf("cp: %v %s", err, out)
		}
		return ws
	}
	surveysSent, citizensSent := time.Date(2020, 12, 1, 0, 0, 0, 0, time.UTC), time.Date(2020, 12, 2, 0, 0, 0, 0, time.UTC)
	var one, two, first, second run
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		ws := copyDir(fmt.Sprintf("one%d", i))
		put(ws, "citizens.csv", citizens, citizensSent)
		put(ws, "assessments.csv", surveys, surveysSent)
		b.StartTimer()
		r := ingest(ws)
		b.StopTimer()
		one.wall += r.wall
		one.cpu += r.cpu
		one.rssMB = max(one.rssMB, r.rssMB)

		ws = copyDir(fmt.Sprintf("two%d", i))
		put(ws, "citizens.csv", citizens, citizensSent)
		r1 := ingest(ws)
		put(ws, "assessments.csv", surveys, surveysSent)
		r2 := ingest(ws)
		first.wall, second.wall = first.wall+r1.wall, second.wall+r2.wall
		first.rssMB, second.rssMB = max(first.rssMB, r1.rssMB), max(second.rssMB, r2.rssMB)
		two.wall += r1.wall + r2.wall
		two.cpu += r1.cpu + r2.cpu
		b.StartTimer()
	}
	k := float64(b.N)
	b.ReportMetric(one.wall.Seconds()/k, "one-run-s")
	b.ReportMetric(two.wall.Seconds()/k, "two-runs-s")
	b.ReportMetric(one.wall.Seconds()/two.wall.Seconds(), "x-two-runs")
	b.ReportMetric(one.cpu/two.cpu, "x-two-runs-cpu")
	b.ReportMetric(one.rssMB, "one-run-peak-MB")
	b.ReportMetric(max(first.rssMB, second.rssMB), "two-runs-peak-MB")
}
