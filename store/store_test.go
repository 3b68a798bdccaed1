package store

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
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
		var got string
		if err := c.QueryRowxContext(ctx, `SELECT concat_ws(' ', current_setting('TimeZone'), current_setting('threads'),
			current_setting('memory_limit'), current_setting('autoinstall_known_extensions'), current_setting('enable_progress_bar'))`).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if want := "Asia/Ho_Chi_Minh 2 953.6 MiB false false"; got != want { // DuckDB shows 1GB as 953.6 MiB
			t.Errorf("connection %d: %s, want %s", i, got, want)
		}
	}
	for _, c := range conns {
		c.Close()
	}
	// ICU is linked into the bindings; nothing is ever downloaded.
	var icu string
	if err := db.GetContext(ctx, &icu, "SELECT install_mode FROM duckdb_extensions() WHERE extension_name = 'icu'"); err != nil || icu != "STATICALLY_LINKED" {
		t.Errorf("icu: %q, %v", icu, err)
	}
	start := time.Now()
	if _, err := db.ExecContext(ctx, "SELECT * FROM read_xlsx('ward.xlsx')"); err == nil || strings.Contains(err.Error(), "download") || time.Since(start) > 2*time.Second {
		t.Errorf("a missing extension: %v after %s, want a quick refusal without a download", err, time.Since(start))
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
	ms, err := migrationFiles()
	if err != nil {
		t.Fatal(err)
	}
	// Numbered in ascending order, each applied once. Numbers may leave gaps:
	// branches merged in another order than they were numbered.
	for i, m := range ms {
		if i >= len(versions) || versions[i] != m.version {
			t.Errorf("migration %s: applied versions %v", m.name, versions)
		}
	}
	if len(versions) != len(ms) {
		t.Errorf("applied versions %v, %d migrations", versions, len(ms))
	}
	for _, table := range []string{"ingest_files", "ingest_problems", "job_runs", "model_runs", "reports", "raw_citizens", "raw_citizen_assessments", "raw_unit_assessments", "raw_units", "raw_activities", "ingest_file_tables", "outbox"} {
		var n int
		if err := db.GetContext(ctx, &n, "SELECT count(*) FROM duckdb_tables() WHERE table_name = ?", table); err != nil || n != 1 {
			t.Errorf("table %s: %d, %v", table, n, err)
		}
	}
	// Readers of the snapshot find every bookkeeping column described.
	var bare []string
	if err := db.SelectContext(ctx, &bare, `SELECT table_name || '.' || column_name FROM duckdb_columns()
		WHERE table_name IN ('ingest_files', 'ingest_problems', 'job_runs', 'model_runs', 'reports', 'schema_version')
		  AND coalesce(comment, '') = '' ORDER BY ALL`); err != nil || len(bare) > 0 {
		t.Errorf("columns without a comment: %v, %v", bare, err)
	}

	// Column defaults are constants: DuckDB 1.5 cannot replay an ALTER of a
	// table whose default calls a function.
	var calls []string
	if err := db.SelectContext(ctx, &calls, `SELECT table_name || '.' || column_name || ' DEFAULT ' || column_default FROM duckdb_columns()
		WHERE column_default IS NOT NULL AND NOT regexp_full_match(column_default, '-?[0-9.]+|true|false|NULL|''[^'']*''(::[A-Z]+)?|CAST\(''[^'']*'' AS [A-Z]+\)')
		ORDER BY ALL`); err != nil || len(calls) > 0 {
		t.Errorf("defaults that call a function: %v, %v", calls, err)
	}

	// A database migrated by a newer program is refused.
	if _, err := db.ExecContext(ctx, "INSERT INTO schema_version VALUES (999, '999_future.sql', current_timestamp)"); err != nil {
		t.Fatal(err)
	}
	if err := db.Migrate(ctx); err == nil || !strings.Contains(err.Error(), "schema version 999") {
		t.Errorf("migrate a newer database: %v", err)
	}
}

func TestInTxAppenderIsAtomic(t *testing.T) {
	db := open(t, filepath.Join(t.TempDir(), "a.duckdb"), pinned)
	if _, err := db.ExecContext(ctx, `CREATE TABLE t (s VARCHAR, n BIGINT, x DOUBLE, d DATE, ts TIMESTAMP, b BOOLEAN, l DOUBLE[], tz TIMESTAMPTZ)`); err != nil {
		t.Fatal(err)
	}
	day := time.Date(2020, 12, 8, 0, 0, 0, 0, time.UTC)
	hcm := time.FixedZone("ICT", 7*3600)
	at := time.Date(2021, 1, 1, 0, 30, 0, 0, hcm) // 2020-12-31 17:30 UTC
	row := []any{"Tân Quy Đông", int64(7), 8.5, day, day.Add(9 * time.Hour), true, []float64{8, 8.5}, at}

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

	// An appender left open is closed by the transaction: dropped with a
	// rollback, flushed into a commit.
	for _, fail := range []bool{true, false} {
		err := db.InTx(ctx, func(tx *Tx) error {
			app, err := tx.Appender("main.t")
			if err != nil {
				return err
			}
			if err := app.AppendRow("left open", int64(fail2int(fail)), nil, nil, nil, nil, nil, nil); err != nil {
				return err
			}
			if fail {
				return boom
			}
			return nil
		})
		if fail != errors.Is(err, boom) || !fail && err != nil {
			t.Fatalf("fail %v: err = %v", fail, err)
		}
	}
	var left []int64
	if err := db.SelectContext(ctx, &left, "SELECT n FROM t WHERE s = 'left open'"); err != nil || fmt.Sprint(left) != "[0]" {
		t.Fatalf("rows of left-open appenders: %v, %v (want only the committed one)", left, err)
	}
	if _, err := db.ExecContext(ctx, "DELETE FROM t"); err != nil {
		t.Fatal(err)
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
		if err := app.AppendRow("NULLs", nil, nil, nil, nil, nil, nil, nil); err != nil {
			return err
		}
		return app.Close()
	})
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		S   string    `db:"s"`
		N   int64     `db:"n"`
		X   float64   `db:"x"`
		D   time.Time `db:"d"`
		TS  time.Time `db:"ts"`
		B   bool      `db:"b"`
		L   string    `db:"l"`
		TZ  time.Time `db:"tz"`
		TZ2 string    `db:"tz_month"`
	}
	if err := db.GetContext(ctx, &got, `SELECT s, n, x, d, ts, b, CAST(l AS VARCHAR) AS l, tz, strftime(tz, '%Y-%m') AS tz_month FROM t WHERE n IS NOT NULL`); err != nil {
		t.Fatal(err)
	}
	if got.S != "Tân Quy Đông" || got.N != 7 || got.X != 8.5 || !got.D.Equal(day) || got.TS.Hour() != 9 || !got.B || got.L != "[8.0, 8.5]" ||
		!got.TZ.Equal(at) || got.TZ2 != "2021-01" { // the month in the city's zone, not UTC's December
		t.Errorf("round trip = %+v", got)
	}
	if err := db.GetContext(ctx, &n, "SELECT count(*) FROM t"); err != nil || n != 2 {
		t.Errorf("after commit: %d rows, %v (want 2: the panicking insert rolled back)", n, err)
	}
}

// TestHelperProcess is not a test: other tests run the test binary again with
// only this function and HOCTAP_HELPER set, to act as another process on the
// database HOCTAP_DB.
//
//   - hold: open it read-write, say "holding", and keep it until stdin closes.
//   - migrate-and-die: open it, migrate it, and exit at once, without closing
//     (so without a checkpoint), as a killed process would.
func TestHelperProcess(t *testing.T) {
	mode, path := os.Getenv("HOCTAP_HELPER"), os.Getenv("HOCTAP_DB")
	if mode == "" {
		t.Skip("a helper process of other tests")
	}
	db, err := Open(ctx, path, pinned)
	if err != nil {
		fmt.Println("error:", err)
		os.Exit(1)
	}
	switch mode {
	case "open":
		fmt.Println("opened")
		time.Sleep(100 * time.Millisecond)
		db.Close()
	case "hold":
		fmt.Println("holding")
		io.Copy(io.Discard, os.Stdin) // until the parent closes it, or dies
		db.Close()
	case "migrate-and-die":
		checkpointAfterMigrate = false
		if _, err := db.ExecContext(ctx, "SET checkpoint_threshold = '1TB'"); err != nil { // no automatic checkpoint either
			fmt.Println("error:", err)
			os.Exit(1)
		}
		if err := db.Migrate(ctx); err != nil {
			fmt.Println("error:", err)
			os.Exit(1)
		}
	}
	os.Exit(0)
}

// helper starts the test binary as TestHelperProcess in mode on path.
func helper(t *testing.T, mode, path string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$")
	cmd.Env = append(os.Environ(), "HOCTAP_HELPER="+mode, "HOCTAP_DB="+path)
	return cmd
}

// TestCreatedByTwoAtOnce: two processes that open a database file that does
// not exist yet, at once, as two hoctap ingest in a new workspace do: one
// creates it, the other opens it after or is told who holds it, never that
// the file (still being written) is not a database.
func TestCreatedByTwoAtOnce(t *testing.T) {
	for round := 0; round < 12; round++ {
		path := filepath.Join(t.TempDir(), "new.duckdb")
		a, b := helper(t, "open", path), helper(t, "open", path)
		outs := make(chan string, 2)
		for _, cmd := range []*exec.Cmd{a, b} {
			go func(cmd *exec.Cmd) {
				out, _ := cmd.Output()
				outs <- strings.TrimSpace(string(out))
			}(cmd)
		}
		for i := 0; i < 2; i++ {
			out := <-outs
			if out != "opened" && !strings.Contains(out, "is in use by PID") {
				t.Errorf("round %d: %s", round, out)
			}
		}
	}
}

func TestLockedByAnotherProcess(t *testing.T) {
	path := filepath.Join(t.TempDir(), "held.duckdb")
	cmd := helper(t, "hold", path)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		stdin.Close()
		cmd.Process.Kill()
		cmd.Wait()
	}()
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil || strings.TrimSpace(line) != "holding" {
		t.Fatalf("holder said %q, %v", line, err)
	}

	ro := pinned
	ro.ReadOnly = true
	for _, opt := range []Options{pinned, ro} { // a reader is locked out too: hence the snapshot
		_, err = Open(ctx, path, opt)
		var locked *LockedError
		if !errors.As(err, &locked) || !errors.Is(err, ErrLocked) {
			t.Fatalf("read-only %v: err = %v, want a LockedError", opt.ReadOnly, err)
		}
		if locked.PID != cmd.Process.Pid || locked.Path != path {
			t.Errorf("PID %d, path %s; want the holder's %d, %s", locked.PID, locked.Path, cmd.Process.Pid, path)
		}
		if filepath.Base(locked.Program) != filepath.Base(os.Args[0]) {
			t.Errorf("program %q, want %s", locked.Program, os.Args[0])
		}
		msg := err.Error()
		want := fmt.Sprintf("the database %s is in use by PID %d (%s -test.run=^TestHelperProcess$) — is \"hoctap serve\" running? "+
			"Stop it or wait for its job to finish; readers use the published snapshot instead", path, cmd.Process.Pid, filepath.Base(os.Args[0]))
		t.Log(msg)
		if runtime.GOOS == "linux" && msg != want {
			t.Errorf("message:\n%s\nwant:\n%s", msg, want)
		}
	}

	stdin.Close() // the holder closes the database and exits
	if err := cmd.Wait(); err != nil {
		t.Fatalf("holder: %v", err)
	}
	db, err := Open(ctx, path, pinned)
	if err != nil {
		t.Fatalf("after the holder stopped: %v", err)
	}
	db.Close()
}

// A process stopped right after migrating a new database, before any
// checkpoint, leaves the migrations in the write-ahead log: the database must
// still open (DuckDB 1.5 cannot replay some DDL; see 004_bookkeeping_comments.sql).
func TestMigrationsSurviveACrash(t *testing.T) {
	path := filepath.Join(t.TempDir(), "crash.duckdb")
	if out, err := helper(t, "migrate-and-die", path).CombinedOutput(); err != nil {
		t.Fatalf("helper: %v\n%s", err, out)
	}
	if st, err := os.Stat(path + ".wal"); err != nil || st.Size() == 0 {
		t.Fatalf("no write-ahead log left to replay: %v", err)
	}
	db := open(t, path, pinned)
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	ms, _ := migrationFiles()
	var n int
	if err := db.GetContext(ctx, &n, "SELECT count(*) FROM schema_version"); err != nil || n != len(ms) {
		t.Errorf("%d migrations recorded, want %d (%v)", n, len(ms), err)
	}
}

// A database of an earlier version, with rows, takes the later migrations.
func TestMigrateFromAnEarlierVersion(t *testing.T) {
	db := open(t, filepath.Join(t.TempDir(), "old.duckdb"), pinned)
	ms, err := migrationFiles()
	if err != nil {
		t.Fatal(err)
	}
	if err := db.migrate(ctx, ms[:3]); err != nil { // as hoctap wrote it before 004
		t.Fatal(err)
	}
	for _, q := range []string{
		`INSERT INTO ingest_files (sha256, original_name, received_at, size_bytes, status) VALUES ('ab', 'a.xlsx', now(), 10, 'loaded')`,
		`INSERT INTO job_runs (job, started_at, status) VALUES ('ingest', now(), 'ok')`,
		`INSERT INTO model_runs VALUES ('scores', 'model', now(), 12, 100, 'ok', NULL)`,
		"CHECKPOINT",
	} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	var got string
	if err := db.GetContext(ctx, &got, `SELECT concat_ws(' ', (SELECT file_id FROM ingest_files), (SELECT run_id FROM job_runs),
		(SELECT coalesce(run_id, -1) FROM model_runs), (SELECT max(version) FROM schema_version))`); err != nil {
		t.Fatal(err)
	}
	if want := fmt.Sprintf("1 1 -1 %d", ms[len(ms)-1].version); got != want {
		t.Errorf("after migrating: %s, want %s", got, want)
	}
	// Ids now come from nextval in the INSERT.
	if _, err := db.ExecContext(ctx, `INSERT INTO job_runs (run_id, job, started_at, status) VALUES (nextval('job_run_ids'), 'transform', now(), 'running')`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, `INSERT INTO job_runs (job, started_at, status) VALUES ('report', now(), 'running')`); err == nil {
		t.Error("job_runs took a row without run_id")
	}
}

func TestLockedErrorWithoutDetails(t *testing.T) {
	err := openError("data/hoctap.duckdb", errors.New(`IO Error: Could not set lock on file "data/hoctap.duckdb": Resource temporarily unavailable`))
	want := `the database data/hoctap.duckdb is in use by another process — is "hoctap serve" running? Stop it or wait for its job to finish; readers use the published snapshot instead`
	if !errors.Is(err, ErrLocked) || err.Error() != want {
		t.Errorf("got %v", err)
	}
	err = openError("data/hoctap.duckdb", errors.New(`IO Error: Could not set lock on file "data/hoctap.duckdb": Conflicting lock is held in /usr/local/bin/hoctap (PID 4194303) by user root. See also https://duckdb.org/docs/stable/connect/concurrency`))
	want = `the database data/hoctap.duckdb is in use by PID 4194303 (hoctap) — is "hoctap serve" running? Stop it or wait for its job to finish; readers use the published snapshot instead`
	if err.Error() != want {
		t.Errorf("got  %v\nwant %s", err, want)
	}
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
	// The configuration is locked after the first connection; later ones
	// inherit the pinned zone (a web app serves several queries at once).
	var conns []*sqlx.Conn
	for i := 0; i < 3; i++ {
		c, err := r.Connx(ctx)
		if err != nil {
			t.Fatalf("connection %d: %v", i, err)
		}
		conns = append(conns, c)
		var tz string
		if err := c.GetContext(ctx, &tz, "SELECT current_setting('TimeZone')"); err != nil || tz != "Asia/Ho_Chi_Minh" {
			t.Errorf("connection %d: TimeZone %s, %v", i, tz, err)
		}
	}
	for _, c := range conns {
		c.Close()
	}
	// A second Open of the same file in this process shares DuckDB's instance.
	r2 := open(t, path, ro)
	if err := r2.GetContext(ctx, &a, "SELECT a FROM x"); err != nil || a != 1 {
		t.Errorf("second reader: %d, %v", a, err)
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

func fail2int(b bool) int {
	if b {
		return 1
	}
	return 0
}

func TestQueryAppender(t *testing.T) {
	db := open(t, filepath.Join(t.TempDir(), "q.duckdb"), pinned)
	if _, err := db.ExecContext(ctx, `CREATE TABLE t (f BIGINT, s VARCHAR, n INTEGER, d DATE, l DOUBLE[], m DOUBLE[])`); err != nil {
		t.Fatal(err)
	}
	cols := []Column{{"s", "VARCHAR"}, {"n", "INTEGER"}, {"d", "DATE"}, {"l", "DOUBLE[3]"}, {"m", "DOUBLE[]"}}
	const query = `INSERT INTO t (f, s, n, d, l, m) SELECT 42, s, n, d, l::DOUBLE[], m FROM appended_data`
	day := time.Date(2021, 6, 30, 0, 0, 0, 0, time.UTC)
	boom := errors.New("boom")
	for _, fail := range []bool{true, false} {
		err := db.InTx(ctx, func(tx *Tx) error {
			app, err := tx.QueryAppender(query, cols...)
			if err != nil {
				return err
			}
			for i := 0; i < 5000; i++ { // more than a chunk
				if err := app.AppendRow("Tân Quy Đông", int32(i), day, []any{8.5, 9.0, 10.0}, []any{1.0}); err != nil {
					return err
				}
			}
			if err := app.AppendRow(nil, int32(-1), nil, nil, nil); err != nil {
				return err
			}
			if fail {
				if err := app.Flush(); err != nil {
					return err
				}
				var n int
				if err := tx.GetContext(ctx, &n, "SELECT count(*) FROM t"); err != nil || n != 5001 {
					t.Errorf("inside the transaction: %d rows, %v", n, err)
				}
				return boom
			}
			return nil // the transaction closes the appender
		})
		if fail != errors.Is(err, boom) || !fail && err != nil {
			t.Fatalf("fail %v: err = %v", fail, err)
		}
	}
	var got []string
	if err := db.SelectContext(ctx, &got, `SELECT concat_ws(' ', f, s, count(*), min(n), max(n), d, l, m) AS r FROM t GROUP BY f, s, d, l, m ORDER BY r`); err != nil {
		t.Fatal(err)
	}
	if want := "[42 1 -1 -1 42 Tân Quy Đông 5000 0 4999 2021-06-30 [8.5, 9.0, 10.0] [1.0]]"; fmt.Sprint(got) != want {
		t.Errorf("got  %v\nwant %s", got, want)
	}
	err := db.InTx(ctx, func(tx *Tx) error {
		_, err := tx.QueryAppender(query, Column{"s", "TEXT[x]"})
		return err
	})
	if err == nil || !strings.Contains(err.Error(), `"TEXT[x]": not an array size`) {
		t.Errorf("a bad type: %v", err)
	}
}
