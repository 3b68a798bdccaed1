package query

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hoctap/hoctap"
	"github.com/hoctap/hoctap/store"
)

// snapshot makes a small database, closes it and opens it as readers do.
func snapshot(t *testing.T) (*store.DB, string) {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "snap.duckdb")
	w, err := store.Open(ctx, path, store.Options{TimeZone: "Asia/Ho_Chi_Minh"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.ExecContext(ctx, `CREATE TABLE wards AS SELECT * FROM (VALUES ('tan-quy-dong', 'Tân Quy Đông', 10, 0.5), ('tan-phu-dong', 'Tân Phú Đông', 11, 0.25)) t(ward, name, registered, rate)`); err != nil {
		t.Fatal(err)
	}
	w.Close()
	r, err := store.Open(ctx, path, sandbox)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return r, path
}

var sandbox = store.Options{TimeZone: "Asia/Ho_Chi_Minh", ReadOnly: true, Sandbox: true, MemoryLimit: "1GB", MaxTempSize: "1GB"}

var zone, _ = time.LoadLocation("Asia/Ho_Chi_Minh")

// TestCheck: what DuckDB's parser reads as one SELECT-like statement calling
// only functions that read passes; a second statement, wherever a ';' hides,
// another kind of statement and a function that changes state are refused
// before the driver sees them.
func TestCheck(t *testing.T) {
	db, _ := snapshot(t)
	ctx := context.Background()
	for _, sql := range []string{
		"SELECT 1", "  SELECT 1;  ", "SELECT ';' AS semi", `SELECT 1 AS "a;b"`, "SELECT 'it''s; fine'", "SELECT $$a;b$$",
		"SELECT 1 -- a; comment\n", "/* one; */ SELECT 1; -- trailing", "SELECT 2;\n-- nothing after\n;", "SELECT 1 AS x$y$",
		`SELECT E'\'' AS a`,
		"FROM wards", "VALUES (1), (2)", "DESCRIBE wards", "SHOW TABLES", "SUMMARIZE wards", "WITH a AS (SELECT 1 AS x) SELECT * FROM a",
		"SELECT unnest([1, 2]) AS n, [x * 2 FOR x IN [1, 2]] AS l, list_transform([1], x -> x + 1), {'a': 1}.a",
		"SELECT ward, count(*) FILTER (WHERE registered > 1), arg_max(name, rate), string_agg(name, ', ' ORDER BY name), " +
			"grouping(ward) FROM wards GROUP BY ROLLUP (ward) HAVING count(*) > 0 ORDER BY ALL",
		"SELECT row_number() OVER (PARTITION BY ward ORDER BY rate DESC) AS r, lag(rate) OVER w FROM wards WINDOW w AS (ORDER BY ward) QUALIFY r = 1",
		"SELECT name ILIKE '%quy%', name SIMILAR TO 'T.*', regexp_matches(name, 'Đ'), coalesce(NULL, 1), nullif(1, 1), CASE WHEN rate > 0.3 THEN 'a' END FROM wards",
		"SELECT now(), today(), current_date, TIMESTAMPTZ '2021-03-01 00:00:00+07' AT TIME ZONE 'UTC', date_trunc('month', DATE '2021-03-05'), " +
			"strftime(DATE '2021-03-05', '%d/%m/%Y'), extract(year FROM DATE '2021-03-05'), INTERVAL 1 MONTH, epoch_ms(0)",
		"SELECT random(), gen_random_uuid(), '{\"a\": 1}'::JSON ->> 'a', format('{}', 1), printf('%d', 1), struct_pack(a := 1)",
		"SELECT * FROM range(3) r, generate_series(1, 2) g, duckdb_tables(), duckdb_columns() LIMIT 1",
		"SELECT * FROM wards USING SAMPLE 1", "SELECT * FROM wards PIVOT (sum(registered) FOR ward IN ('tan-quy-dong'))",
		"SELECT current_setting('TimeZone'), pg_typeof(1), typeof(1)",
		"SELECT TRY(1/0), if(true, 1, 2), count_if(true), histogram(ward), percentile_cont(0.5) WITHIN GROUP (ORDER BY rate) FROM wards",
		"SELECT * FROM wards a ASOF JOIN wards b ON a.registered >= b.registered", "SELECT * FROM (UNPIVOT wards ON registered INTO NAME k VALUE v)",
		"SELECT name FROM wards ORDER BY name COLLATE nocase", "SELECT * REPLACE (1 AS rate) FROM wards", "SELECT COLUMNS('r.*') FROM wards",
	} {
		if err := Check(ctx, db, sql); err != nil {
			t.Errorf("Check(%q): %v", sql, err)
		}
	}
	// Every query hoctap ships — the models, the data tests, the report's
	// and the web pages' — reads only, by the same rule.
	shipped := map[string]fs.FS{"sql": hoctap.SQL, "../reports/sql": os.DirFS("../reports/sql"), "../web/sql": os.DirFS("../web/sql")}
	n := 0
	for root, fsys := range shipped {
		err := fs.WalkDir(fsys, ".", func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".sql") {
				return err
			}
			b, err := fs.ReadFile(fsys, path)
			if err != nil {
				return err
			}
			n++
			if err := Check(ctx, db, string(b)); err != nil {
				t.Errorf("%s/%s: %v", root, path, err)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if n < 40 {
		t.Errorf("checked %d shipped queries, want every one", n)
	}

	refused := map[string]string{
		"":                           "no statement given",
		"  ;  ":                      "no statement given",
		"-- only a comment":          "no statement given",
		"DROP TABLE wards; SELECT 1": "only a SELECT runs here",
		"SELECT 1; SELECT 2":         "one statement at a time: found 2",
		// A '$' in an identifier opens no dollar quote, E'\'' is one escaped
		// quote: the statements after them are seen.
		"SELECT 1 AS x$y$; SELECT 2 AS z$y$":                                                           "one statement at a time: found 2",
		`SELECT E'\'' AS a; SELECT 42; SELECT 'x'`:                                                     "one statement at a time: found 3",
		"SELECT 1 AS x$y$; CALL enable_logging(storage='file', storage_path='logs'); SELECT 2 AS z$y$": "only a SELECT runs here",
		"CALL enable_logging(storage='file', storage_path='logs')":                                     "only a SELECT runs here",
		"PRAGMA version":                  "only a SELECT runs here",
		"SET threads = 1":                 "only a SELECT runs here",
		"SET VARIABLE v = 1":              "only a SELECT runs here",
		"EXPORT DATABASE '/tmp/x'":        "only a SELECT runs here",
		"ATTACH '/tmp/x.duckdb' AS x":     "only a SELECT runs here",
		"COPY wards TO '/tmp/x.csv'":      "only a SELECT runs here",
		"INSTALL spatial":                 "only a SELECT runs here",
		"LOAD spatial":                    "only a SELECT runs here",
		"EXPLAIN ANALYZE SELECT 1":        "only a SELECT runs here",
		"CREATE TEMP TABLE x AS SELECT 1": "only a SELECT runs here",
		// Functions that change state, read files or run another statement.
		"SELECT * FROM enable_logging()":                            "enable_logging",
		"SELECT * FROM disable_logging()":                           "disable_logging",
		"SELECT * FROM truncate_duckdb_logs()":                      "truncate_duckdb_logs",
		"FROM checkpoint()":                                         "checkpoint",
		"SELECT * FROM query('CALL enable_logging()')":              "query",
		"SELECT * FROM query_table('wards')":                        "query_table",
		"SELECT * FROM json_execute_serialized_sql('{}')":           "json_execute_serialized_sql",
		"SELECT * FROM read_csv('/etc/passwd')":                     "read_csv",
		"SELECT * FROM glob('/etc/*')":                              "glob",
		"SELECT * FROM arrow_scan(0, 0, 0)":                         "arrow_scan",
		"SELECT nextval('s')":                                       "nextval",
		"SELECT setseed(0.5)":                                       "setseed",
		"SELECT write_log('x')":                                     "write_log",
		"SELECT sleep_ms(100000)":                                   "sleep_ms",
		"SELECT pg_sleep(100)":                                      "pg_sleep", // a macro over sleep_ms
		"SELECT * FROM duckdb_logs_parsed('QueryLog')":              "duckdb_logs_parsed",
		"SELECT name FROM wards WHERE ward IN (SELECT sleep_ms(1))": "sleep_ms",
		"WITH a AS (SELECT * FROM read_text('/etc/hosts')) FROM a":  "read_text",
		"SELECT other.main.f(1)":                                    "f",
	}
	for sql, want := range refused {
		err := Check(ctx, db, sql)
		if !errors.Is(err, ErrRefused) || !strings.Contains(err.Error(), want) {
			t.Errorf("Check(%q): %v, want refused: %s", sql, err, want)
		}
	}
	var syntax *SyntaxError
	if err := Check(ctx, db, "SELEC 1"); !errors.As(err, &syntax) || !strings.Contains(err.Error(), `syntax error at or near "SELEC"`) {
		t.Errorf("a syntax error: %v", err)
	}
}

// TestRunRefusesWhatIsNotARead: the sandbox's refusals hold, and a refused
// statement ran no part of itself — the driver, preparing a string of
// statements, would run all but the last.
func TestRunRefusesWhatIsNotARead(t *testing.T) {
	db, _ := snapshot(t)
	ctx := context.Background()
	opt := Options{MaxRows: 100, Timeout: 5 * time.Second}
	out := filepath.Join(t.TempDir(), "out.csv")
	cases := map[string]string{
		"write":           "INSERT INTO wards VALUES ('x', 'x', 1, 1)",
		"drop":            "DROP TABLE wards",
		"file read":       "SELECT * FROM read_csv('/etc/passwd')",
		"file scan":       "SELECT * FROM '/etc/passwd'",
		"copy to":         "COPY wards TO '" + out + "'",
		"attach":          "ATTACH '" + filepath.Join(t.TempDir(), "x.duckdb") + "' AS x",
		"install":         "INSTALL spatial",
		"load":            "LOAD spatial",
		"setting":         "SET enable_external_access = true",
		"locked setting":  "SELECT * FROM wards; SET lock_configuration = false",
		"multi-statement": "DROP TABLE wards; SELECT 1",
		"temp table":      "CREATE TEMP TABLE t AS SELECT 1 AS a; SELECT 1",
		"variable":        "SET VARIABLE v = 42; SELECT 1",
	}
	for name, q := range cases {
		_, err := Run(ctx, db, q, opt)
		if !errors.Is(err, ErrRefused) && name != "file scan" {
			t.Errorf("%s: err = %v, want a refusal", name, err)
		}
		if name == "file scan" && err == nil {
			t.Errorf("%s: ran", name)
		}
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("COPY wrote a file")
	}
	// Nothing was dropped, created or set by the multi-statement attempts.
	res, err := Run(ctx, db, "SELECT (SELECT count(*) FROM wards) AS n, getvariable('v') AS v, (SELECT count(*) FROM duckdb_tables() WHERE temporary) AS temp", opt)
	if err != nil || len(res.Rows) != 1 || res.Text(0, 0) != "2" || res.Text(0, 1) != "" || res.Text(0, 2) != "0" {
		t.Fatalf("after the refusals: %+v, %v", res, err)
	}
}

func TestRunCapsRowsBytesAndTime(t *testing.T) {
	db, _ := snapshot(t)
	ctx := context.Background()
	res, err := Run(ctx, db, "SELECT * FROM range(1000)", Options{MaxRows: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Rows) != 10 || !res.Truncated() || !strings.Contains(res.Cut, "the first 10 rows only") {
		t.Errorf("%d rows, cut %q; want 10", len(res.Rows), res.Cut)
	}
	// 100 rows of 10 KiB: a cap of 64 KiB keeps 6 of them.
	res, err = Run(ctx, db, "SELECT repeat('x', 10240) AS s FROM range(100)", Options{MaxBytes: 64 << 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Rows) != 6 || !strings.Contains(res.Cut, "64 KiB") || !strings.Contains(res.Cut, "database.max_result_size") {
		t.Errorf("%d rows, cut %q; want 6, at 64 KiB", len(res.Rows), res.Cut)
	}
	// One cell larger than the cap is not even encoded.
	res, err = Run(ctx, db, "SELECT repeat('x', 1 << 20) AS s", Options{MaxBytes: 64 << 10})
	if err != nil || len(res.Rows) != 0 || !res.Truncated() {
		t.Errorf("a 1 MiB cell under a 64 KiB cap: %d rows, %v", len(res.Rows), err)
	}
	_, err = Run(ctx, db, "SELECT count(*) FROM range(100000000000) a", Options{Timeout: 200 * time.Millisecond})
	var refused *RefusedError
	if !errors.As(err, &refused) || !strings.Contains(refused.Reason, "time limit") {
		t.Errorf("slow query: err = %v, want stopped at the time limit", err)
	}
}

// TestTempLimit: a sort that spills beyond database.query_temp_limit is
// refused, naming the limit, instead of filling the disk.
func TestTempLimit(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "big.duckdb")
	w, err := store.Open(ctx, path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.ExecContext(ctx, "CREATE TABLE t AS SELECT i, md5(i::VARCHAR) || md5((i + 1)::VARCHAR) AS s FROM range(1000000) r(i)"); err != nil {
		t.Fatal(err)
	}
	w.Close()
	opt := sandbox
	opt.MemoryLimit, opt.MaxTempSize, opt.Threads = "32MB", "8MB", 1
	db, err := store.Open(ctx, path, opt)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	_, err = Run(ctx, db, "SELECT s, i FROM t ORDER BY s DESC", Options{MaxRows: 1, Timeout: time.Minute})
	if !errors.Is(err, ErrRefused) || !strings.Contains(err.Error(), "database.query_temp_limit") {
		t.Errorf("a spilling sort over the temp limit: %v", err)
	}
}

func TestWriteFormats(t *testing.T) {
	db, _ := snapshot(t)
	res, err := Run(context.Background(), db, "SELECT ward, name, registered, rate, DATE '2021-04-01' AS d FROM wards ORDER BY ward", Options{MaxRows: 10, Zone: zone})
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string]string{
		FormatCSV:   "ward,name,registered,rate,d\ntan-phu-dong,Tân Phú Đông,11,0.25,2021-04-01\ntan-quy-dong,Tân Quy Đông,10,0.50,2021-04-01\n",
		FormatJSON:  "[\n  {\"ward\": \"tan-phu-dong\", \"name\": \"Tân Phú Đông\", \"registered\": 11, \"rate\": 0.25, \"d\": \"2021-04-01\"},\n  {\"ward\": \"tan-quy-dong\", \"name\": \"Tân Quy Đông\", \"registered\": 10, \"rate\": 0.50, \"d\": \"2021-04-01\"}\n]\n",
		FormatTable: "ward          name          registered  rate  d\n----          ----          ----------  ----  -\ntan-phu-dong  Tân Phú Đông  11          0.25  2021-04-01\ntan-quy-dong  Tân Quy Đông  10          0.50  2021-04-01\n(2 rows)\n",
	}
	for format, want := range cases {
		var b bytes.Buffer
		if err := Write(&b, res, format); err != nil {
			t.Fatal(err)
		}
		if b.String() != want {
			t.Errorf("%s:\n%s\nwant:\n%s", format, b.String(), want)
		}
	}
}

// TestValues: each type is shown as DuckDB shows it — a TIMESTAMPTZ in the
// city's zone with its offset, midnight too; exact decimals and huge
// integers; UUIDs, intervals, blobs, lists and structs — and in JSON typed.
func TestValues(t *testing.T) {
	db, _ := snapshot(t)
	res, err := Run(context.Background(), db, `SELECT TIMESTAMPTZ '2021-03-01 00:00:00+07' AS midnight, TIMESTAMPTZ '2021-03-01 09:30:00.25+07' AS tz,
		TIMESTAMP '2021-03-01 00:00:00' AS ts, DATE '2021-03-01' AS d, TIME '07:00:00' AS t, 1234567.125::DECIMAL(18,3) AS dec, -0.05::DECIMAL(4,2) AS neg,
		170141183460469231731687303715884105727::HUGEINT AS huge, 1/3 AS third, 'a4f3c1d2-0b1e-4c6a-9a8e-111111111111'::UUID AS id, INTERVAL 14 MONTH + INTERVAL 3 DAY + INTERVAL 90 MINUTE AS iv,
		'\x01ab'::BLOB AS b, [TIMESTAMPTZ '2021-03-01 00:00:00+07'] AS l, {'n': 1, 'when': DATE '2021-03-01'} AS s, MAP {'k': 1.5} AS m,
		{'at': TIMESTAMPTZ '2021-03-01 00:00:00+07', 'n': [1.5::DECIMAL(3,1)]} AS st,
		NULL AS nothing, true AS yes, 'nan'::DOUBLE AS nan`, Options{Zone: zone})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"midnight": "2021-03-01 00:00:00+07:00", "tz": "2021-03-01 09:30:00.250000+07:00", "ts": "2021-03-01 00:00:00", "d": "2021-03-01",
		"t": "07:00:00", "dec": "1234567.125", "neg": "-0.05", "huge": "170141183460469231731687303715884105727", "third": "0.3333333333",
		"id": "a4f3c1d2-0b1e-4c6a-9a8e-111111111111", "iv": "1 year 2 months 3 days 01:30:00", "b": `\x01ab`,
		"l": `["2021-03-01 00:00:00+07:00"]`, "s": `{"n":1,"when":"2021-03-01"}`, "m": `{"k":1.5}`, "st": `{"at":"2021-03-01 00:00:00+07:00","n":[1.5]}`, "nothing": "", "yes": "true", "nan": "nan",
	}
	for j, c := range res.Columns {
		if got := res.Text(0, j); got != want[c] {
			t.Errorf("%s (%s): %q, want %q", c, res.Types[j], got, want[c])
		}
	}
	var b bytes.Buffer
	if err := Write(&b, res, FormatJSON); err != nil {
		t.Fatal(err)
	}
	var rows []map[string]any
	dec := json.NewDecoder(&b)
	dec.UseNumber()
	if err := dec.Decode(&rows); err != nil {
		t.Fatalf("JSON output does not decode: %v\n%s", err, b.String())
	}
	if r := rows[0]; r["huge"] != json.Number("170141183460469231731687303715884105727") || r["dec"] != json.Number("1234567.125") ||
		r["yes"] != true || r["nothing"] != nil || r["midnight"] != "2021-03-01 00:00:00+07:00" {
		t.Errorf("JSON: %v", r)
	}
}

// TestWriteNeutralises: a CSV cell a spreadsheet would run as a formula is
// written as text; numbers, and texts that are only a number, stay as they
// are; control characters are escaped in the table and CSV, JSON escapes them
// its own way, and no raw escape character reaches a terminal.
func TestWriteNeutralises(t *testing.T) {
	db, _ := snapshot(t)
	res, err := Run(context.Background(), db, `SELECT * FROM (VALUES
		('=HYPERLINK("http://evil.example","x")', -12.5, '-5'),
		('+84 912 345 678', -3, '-1+1'),
		('@SUM(A1)', 0, chr(9) || '=1'),
		('ok' || chr(27) || '[31mred' || chr(10) || 'line', 1, chr(13) || '=1')) t(text, num, numtext)`, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := Write(&b, res, FormatCSV); err != nil {
		t.Fatal(err)
	}
	want := "text,num,numtext\n\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\",-12.5,-5\n'+84 912 345 678,-3.0,'-1+1\n'@SUM(A1),0.0,'\t=1\n" +
		"\"ok\\x1b[31mred\nline\",1.0,\"'\r=1\"\n"
	if b.String() != want {
		t.Errorf("CSV:\n%q\nwant:\n%q", b.String(), want)
	}
	for _, format := range []string{FormatTable, FormatJSON} {
		b.Reset()
		if err := Write(&b, res, format); err != nil {
			t.Fatal(err)
		}
		if strings.ContainsAny(b.String(), "\x1b\r") || format == FormatTable && !strings.Contains(b.String(), `ok\x1b[31mred\nline`) {
			t.Errorf("%s holds raw control characters:\n%q", format, b.String())
		}
	}
}
