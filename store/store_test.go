package store

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var ctx = context.Background()

func open(t *testing.T, path string, opt Options) *DB {
	t.Helper()
	db, err := Open(ctx, path, opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

var pinned = Options{Threads: 2, MemoryLimit: "1GB", TimeZone: "Asia/Ho_Chi_Minh"}

func TestPinnedSettingsAndMigrate(t *testing.T) {
	db := open(t, filepath.Join(t.TempDir(), "sub", "p.duckdb"), pinned)
	// Every pooled connection has the settings, not only the first.
	db.SetMaxOpenConns(3)
	conns := make([]interface{ Close() error }, 0, 3)
	for i := 0; i < 3; i++ {
		c, err := db.Connx(ctx)
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, c)
		var tz, threads string
		if err := c.QueryRowxContext(ctx, "SELECT current_setting('TimeZone'), current_setting('threads')").Scan(&tz, &threads); err != nil {
			t.Fatal(err)
		}
		if tz != "Asia/Ho_Chi_Minh" || threads != "2" {
			t.Errorf("connection %d: TimeZone %s, threads %s", i, tz, threads)
		}
	}
	for _, c := range conns {
		c.Close()
	}
	// Timestamps with time zone are shown in the city's zone (ICU is linked in).
	var local string
	if err := db.GetContext(ctx, &local, "SELECT strftime(TIMESTAMPTZ '2021-01-01 00:00:00+00', '%Y-%m-%d %H:%M')"); err != nil {
		t.Fatal(err)
	}
	if local != "2021-01-01 07:00" {
		t.Errorf("UTC midnight shows as %s in Asia/Ho_Chi_Minh, want 07:00", local)
	}

	for i := 0; i < 2; i++ { // the second run does nothing
		if err := db.Migrate(ctx); err != nil {
			t.Fatalf("migrate run %d: %v", i+1, err)
		}
	}
	var versions []int
	if err := db.SelectContext(ctx, &versions, "SELECT version FROM schema_version ORDER BY version"); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(versions) != "[1 2 3]" {
		t.Errorf("schema versions = %v", versions)
	}
	for _, table := range []string{"ingest_files", "ingest_problems", "job_runs", "model_runs", "reports", "raw_citizens", "raw_citizen_assessments", "raw_unit_assessments", "raw_units", "raw_activities", "ingest_file_tables"} {
		var n int
		if err := db.GetContext(ctx, &n, "SELECT count(*) FROM duckdb_tables() WHERE table_name = ?", table); err != nil || n != 1 {
			t.Errorf("table %s: %d, %v", table, n, err)
		}
	}
}

func TestInTxAppenderIsAtomic(t *testing.T) {
	db := open(t, filepath.Join(t.TempDir(), "a.duckdb"), pinned)
	if _, err := db.ExecContext(ctx, `CREATE TABLE t (s VARCHAR, n BIGINT, x DOUBLE, d DATE, ts TIMESTAMP, b BOOLEAN, l DOUBLE[])`); err != nil {
		t.Fatal(err)
	}
	day := time.Date(2020, 12, 8, 0, 0, 0, 0, time.UTC)
	row := []any{"Tân Quy Đông", int64(7), 8.5, day, day.Add(9 * time.Hour), true, []float64{8, 8.5}}

	// An error after appending leaves nothing behind.
	boom := errors.New("boom")
	err := db.InTx(ctx, func(tx *Tx) error {
		app, err := tx.Appender("t")
		if err != nil {
			return err
		}
		for i := 0; i < 1000; i++ {
			if err := app.AppendRow(row...); err != nil {
				return err
			}
		}
		if err := app.Close(); err != nil {
			return err
		}
		var n int
		if err := tx.GetContext(ctx, &n, "SELECT count(*) FROM t"); err != nil || n != 1000 {
			t.Errorf("inside the transaction: %d rows, %v", n, err)
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v", err)
	}
	var n int
	if err := db.GetContext(ctx, &n, "SELECT count(*) FROM t"); err != nil || n != 0 {
		t.Fatalf("after rollback: %d rows, %v", n, err)
	}

	// A panic rolls back too, and goes on.
	func() {
		defer func() {
			if recover() == nil {
				t.Error("panic swallowed")
			}
		}()
		_ = db.InTx(ctx, func(tx *Tx) error {
			if _, err := tx.ExecContext(ctx, "INSERT INTO t (s) VALUES ('x')"); err != nil {
				return err
			}
			panic("mid-load")
		})
	}()

	// Success commits, and values round-trip.
	err = db.InTx(ctx, func(tx *Tx) error {
		app, err := tx.Appender("t")
		if err != nil {
			return err
		}
		if err := app.AppendRow(row...); err != nil {
			return err
		}
		if err := app.AppendRow("NULLs", nil, nil, nil, nil, nil, nil); err != nil {
			return err
		}
		return app.Close()
	})
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		S  string    `db:"s"`
		N  int64     `db:"n"`
		X  float64   `db:"x"`
		D  time.Time `db:"d"`
		TS time.Time `db:"ts"`
		B  bool      `db:"b"`
		L  string    `db:"l"`
	}
	if err := db.GetContext(ctx, &got, "SELECT s, n, x, d, ts, b, CAST(l AS VARCHAR) AS l FROM t WHERE n IS NOT NULL"); err != nil {
		t.Fatal(err)
	}
	if got.S != "Tân Quy Đông" || got.N != 7 || got.X != 8.5 || !got.D.Equal(day) || got.TS.Hour() != 9 || !got.B || got.L != "[8.0, 8.5]" {
		t.Errorf("round trip = %+v", got)
	}
	if err := db.GetContext(ctx, &n, "SELECT count(*) FROM t"); err != nil || n != 2 {
		t.Errorf("after commit: %d rows, %v (want 2: the panicking insert rolled back)", n, err)
	}
}

// TestMain doubles as the lock holder of TestLockedByAnotherProcess: started
// with HOCTAP_HOLD_DB set, the test binary holds that database open read-write
// until it is killed.
func TestMain(m *testing.M) {
	if path := os.Getenv("HOCTAP_HOLD_DB"); path != "" {
		db, err := Open(ctx, path, pinned)
		if err != nil {
			fmt.Println("error:", err)
			os.Exit(1)
		}
		defer db.Close()
		fmt.Println("holding")
		time.Sleep(time.Minute)
		return
	}
	os.Exit(m.Run())
}

func TestLockedByAnotherProcess(t *testing.T) {
	path := filepath.Join(t.TempDir(), "held.duckdb")
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), "HOCTAP_HOLD_DB="+path)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil || strings.TrimSpace(line) != "holding" {
		t.Fatalf("holder said %q, %v", line, err)
	}

	_, err = Open(ctx, path, pinned)
	var locked *LockedError
	if !errors.As(err, &locked) || !errors.Is(err, ErrLocked) {
		t.Fatalf("err = %v, want a LockedError", err)
	}
	if locked.PID != cmd.Process.Pid {
		t.Errorf("PID %d, want the holder's %d", locked.PID, cmd.Process.Pid)
	}
	msg := err.Error()
	if !strings.Contains(msg, fmt.Sprintf("in use by PID %d", cmd.Process.Pid)) || !strings.Contains(msg, `is "hoctap serve"`) {
		t.Errorf("message = %s", msg)
	}

	cmd.Process.Kill()
	cmd.Wait()
	db, err := Open(ctx, path, pinned)
	if err != nil {
		t.Fatalf("after the holder stopped: %v", err)
	}
	db.Close()
}

func TestSandboxRefusesTheOutside(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.duckdb")
	db := open(t, path, pinned)
	if _, err := db.ExecContext(ctx, "CREATE TABLE x AS SELECT 1 AS a"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	ro := pinned
	ro.ReadOnly, ro.Sandbox = true, true
	r := open(t, path, ro)
	var a int
	if err := r.GetContext(ctx, &a, "SELECT a FROM x"); err != nil || a != 1 {
		t.Fatalf("read: %d, %v", a, err)
	}
	for _, q := range []string{
		"INSERT INTO x VALUES (2)",
		"SELECT * FROM read_csv('/etc/passwd')",
		"COPY x TO '" + filepath.Join(t.TempDir(), "out.csv") + "'",
		"ATTACH '" + filepath.Join(t.TempDir(), "other.duckdb") + "' AS o",
		"SET enable_external_access = true",
		"INSTALL spatial",
	} {
		if _, err := r.ExecContext(ctx, q); err == nil {
			t.Errorf("%s: allowed", q)
		}
	}
}

func TestStatements(t *testing.T) {
	got := Statements("-- a comment;\nCREATE TABLE a (x INT); -- trailing\n\nCREATE TABLE b (\n  y INT -- inner;\n);\n-- only a comment\n")
	if len(got) != 2 || !strings.HasPrefix(got[0], "-- a comment;\nCREATE TABLE a") || !strings.HasPrefix(got[1], "CREATE TABLE b") {
		t.Errorf("Statements = %q", got)
	}
}
