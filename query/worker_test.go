package query

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hoctap/hoctap/store"
)

// The test binary is its own query worker: HOCTAP_TEST_WORKER=work runs Work
// as hoctap query-worker does; =unchecked runs the statement as a worker
// whose check let it through would (to prove that a DuckDB abort ends only
// the worker); =sleep never answers.
func TestMain(m *testing.M) {
	switch os.Getenv("HOCTAP_TEST_WORKER") {
	case "work":
		if err := Work(context.Background(), os.Stdin, os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(3)
		}
		os.Exit(0)
	case "unchecked":
		var req request
		if err := json.NewDecoder(os.Stdin).Decode(&req); err != nil {
			os.Exit(3)
		}
		db, err := store.Open(context.Background(), req.Snapshot, req.Database)
		if err != nil {
			os.Exit(3)
		}
		if rows, err := db.QueryContext(context.Background(), req.SQL); err == nil {
			rows.Close()
		}
		db.Close()
		os.Exit(0)
	case "sleep":
		time.Sleep(time.Hour)
	}
	os.Exit(m.Run())
}

func runner(t *testing.T, mode, snap string) *Runner {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	return &Runner{Program: exe, Env: []string{"HOCTAP_TEST_WORKER=" + mode}, Snapshot: snap, Database: sandbox, Workers: 2}
}

// TestRunnerAnswers: a worker process answers, refuses and reports a syntax
// error as Run does, and says when nothing is published.
func TestRunnerAnswers(t *testing.T) {
	_, snap := snapshot(t)
	r := runner(t, "work", snap)
	ctx := context.Background()
	opt := Options{MaxRows: 10, MaxBytes: 1 << 20, Timeout: 10 * time.Second, Zone: zone}
	res, err := r.Run(ctx, "SELECT name, registered, TIMESTAMPTZ '2021-03-01 00:00:00+07' AS at FROM wards ORDER BY ward", opt)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Rows) != 2 || res.Text(0, 0) != "Tân Phú Đông" || res.Text(1, 1) != "10" || res.Text(0, 2) != "2021-03-01 00:00:00+07:00" {
		t.Errorf("result: %+v", res)
	}
	if runtime.GOOS == "linux" && res.Memory < 10<<20 {
		t.Errorf("the worker's peak memory: %d bytes, want DuckDB's at least", res.Memory)
	}
	if _, err := r.Run(ctx, "CALL enable_logging(storage='file', storage_path='logs')", opt); !errors.Is(err, ErrRefused) {
		t.Errorf("CALL enable_logging in a worker: %v, want refused", err)
	}
	var syntax *SyntaxError
	if _, err := r.Run(ctx, "SELEC 1", opt); !errors.As(err, &syntax) || syntax.Position != 0 {
		t.Errorf("a syntax error in a worker: %#v", err)
	}
	r.Snapshot = snap + ".none"
	if _, err := r.Run(ctx, "SELECT 1", opt); !errors.Is(err, ErrNotPublished) {
		t.Errorf("no snapshot: %v", err)
	}
}

// TestRunnerSurvivesAbort: a statement that makes DuckDB abort — here the
// crashing query of issue 14, as a worker whose check let it through would
// run it — ends the worker with SIGABRT; Run says so with DuckDB's words, and
// this process and the next query go on. (A checked worker refuses it:
// TestRunnerAnswers.)
func TestRunnerSurvivesAbort(t *testing.T) {
	_, snap := snapshot(t)
	ctx := context.Background()
	opt := Options{MaxRows: 10, MaxBytes: 1 << 20, Timeout: 10 * time.Second}
	sql := "SELECT 1 AS x$y$; CALL enable_logging(storage='file', storage_path='logs'); SELECT 2 AS z$y$"
	_, err := runner(t, "unchecked", snap).Run(ctx, sql, opt)
	var crash *CrashError
	if !errors.As(err, &crash) || !strings.Contains(crash.Status, "SIGABRT") || !strings.Contains(crash.Detail, "file system operations are disabled") {
		t.Errorf("%s: %v, want the worker's abort with DuckDB's message", sql, err)
	}
	res, err := runner(t, "work", snap).Run(ctx, "SELECT count(*) FROM wards", opt)
	if err != nil || res.Text(0, 0) != "2" {
		t.Errorf("the next query: %v, %v", res, err)
	}
}

// TestRunnerLimits: a worker that does not answer is stopped after its time
// limit; one that needs more memory than its process may have ends, and the
// error names the limit; queries beyond Workers wait for a turn, and give up
// at their time limit.
func TestRunnerLimits(t *testing.T) {
	_, snap := snapshot(t)
	ctx := context.Background()
	start := time.Now()
	_, err := runner(t, "sleep", snap).Run(ctx, "SELECT 1", Options{Timeout: time.Second})
	if !errors.Is(err, ErrRefused) || !strings.Contains(err.Error(), "time limit") {
		t.Errorf("a worker that never answers: %v", err)
	}
	if took := time.Since(start); took > time.Minute {
		t.Errorf("the silent worker was stopped after %s", took)
	}

	if runtime.GOOS == "linux" {
		r := runner(t, "work", snap)
		r.ProcessMemory = 512 << 20
		r.Database.MemoryLimit = "4GB" // DuckDB would allow it: the process does not
		_, err := r.Run(ctx, "SELECT max(s) FROM (SELECT repeat(i::VARCHAR, 1 << 20) AS s FROM range(2000) r(i))", Options{Timeout: time.Minute})
		t.Logf("2 GB in a worker capped at 512 MiB: %v", err)
		var crash *CrashError
		if !(errors.As(err, &crash) && strings.Contains(crash.Detail, "memory")) && !(errors.Is(err, ErrRefused) && strings.Contains(err.Error(), "memory")) {
			t.Errorf("2 GB in a worker capped at 512 MiB: %v", err)
		}
	}

	r := runner(t, "work", snap)
	r.Workers = 1
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		r.Run(ctx, "SELECT count(*) FROM range(1000000000000)", Options{Timeout: 4 * time.Second})
	}()
	time.Sleep(500 * time.Millisecond)
	if _, err := r.Run(ctx, "SELECT 1", Options{Timeout: 500 * time.Millisecond}); !errors.Is(err, ErrRefused) || !strings.Contains(err.Error(), "all 1 query workers (database.query_workers) were taken") {
		t.Errorf("a query while the only worker is busy: %v", err)
	}
	wg.Wait()
}
