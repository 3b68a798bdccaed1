package main

import (
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

// reexport writes the export at path with k blank lines more: new bytes, the same rows.
func reexport(export, path string, k int) error {
	body, err := os.ReadFile(export)
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(body, strings.Repeat("\n", k)...), 0o644)
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
