package query

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hoctap/hoctap/store"
)

func TestSingle(t *testing.T) {
	ok := map[string]string{
		"SELECT 1":                         "SELECT 1",
		"  SELECT 1;  ":                    "SELECT 1",
		"SELECT ';' AS semi":               "SELECT ';' AS semi",
		`SELECT 1 AS "a;b"`:                `SELECT 1 AS "a;b"`,
		"SELECT 'it''s; fine'":             "SELECT 'it''s; fine'",
		"SELECT $$a;b$$":                   "SELECT $$a;b$$",
		"SELECT 1 -- a; comment\n":         "SELECT 1 -- a; comment",
		"/* one; */ SELECT 1; -- trailing": "/* one; */ SELECT 1",
		"SELECT 2;\n-- nothing after\n;":   "SELECT 2",
	}
	for in, want := range ok {
		got, err := Single(in)
		if err != nil || got != want {
			t.Errorf("Single(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"DROP TABLE t; SELECT 1", "SELECT 1; SELECT 2", "", "  ;  ", "-- only a comment"} {
		if _, err := Single(in); !errors.Is(err, ErrRefused) {
			t.Errorf("Single(%q): err = %v, want refused", in, err)
		}
	}
}

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
	r, err := store.Open(ctx, path, store.Options{TimeZone: "Asia/Ho_Chi_Minh", ReadOnly: true, Sandbox: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return r, path
}

func TestRunRefusesWhatIsNotARead(t *testing.T) {
	db, _ := snapshot(t)
	ctx := context.Background()
	opt := Options{MaxRows: 100, Timeout: 5 * time.Second}
	out := filepath.Join(t.TempDir(), "out.csv")
	cases := map[string]string{
		"write":           "INSERT INTO wards VALUES ('x', 'x', 1, 1)",
		"drop":            "DROP TABLE wards",
		"file read":       "SELECT * FROM read_csv('/etc/passwd')",
		"copy to":         "COPY wards TO '" + out + "'",
		"attach":          "ATTACH '" + filepath.Join(t.TempDir(), "x.duckdb") + "' AS x",
		"install":         "INSTALL spatial",
		"setting":         "SET enable_external_access = true",
		"multi-statement": "DROP TABLE wards; SELECT 1",
	}
	for name, q := range cases {
		_, err := Run(ctx, db, q, opt)
		if !errors.Is(err, ErrRefused) {
			t.Errorf("%s: err = %v, want a refusal", name, err)
		}
	}
	// Nothing was dropped by the multi-statement attempt.
	res, err := Run(ctx, db, "SELECT count(*) AS n FROM wards", opt)
	if err != nil || len(res.Rows) != 1 || res.Rows[0][0] != int64(2) {
		t.Fatalf("wards after the refusals: %v, %v", res, err)
	}
}

func TestRunCapsRowsAndTimesOut(t *testing.T) {
	db, _ := snapshot(t)
	ctx := context.Background()
	res, err := Run(ctx, db, "SELECT * FROM range(1000)", Options{MaxRows: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Rows) != 10 || !res.Truncated {
		t.Errorf("%d rows, truncated %v; want 10, true", len(res.Rows), res.Truncated)
	}
	_, err = Run(ctx, db, "SELECT count(*) FROM range(100000000000) a", Options{Timeout: 200 * time.Millisecond})
	var refused *RefusedError
	if !errors.As(err, &refused) || !strings.Contains(refused.Reason, "time limit") {
		t.Errorf("slow query: err = %v, want stopped at the time limit", err)
	}
}

func TestWriteFormats(t *testing.T) {
	db, _ := snapshot(t)
	res, err := Run(context.Background(), db, "SELECT ward, name, registered, rate, DATE '2021-04-01' AS d FROM wards ORDER BY ward", Options{MaxRows: 10})
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string]string{
		FormatCSV:   "ward,name,registered,rate,d\ntan-phu-dong,Tân Phú Đông,11,0.25,2021-04-01\ntan-quy-dong,Tân Quy Đông,10,0.5,2021-04-01\n",
		FormatJSON:  "[\n  {\"ward\": \"tan-phu-dong\", \"name\": \"Tân Phú Đông\", \"registered\": 11, \"rate\": 0.25, \"d\": \"2021-04-01\"},\n  {\"ward\": \"tan-quy-dong\", \"name\": \"Tân Quy Đông\", \"registered\": 10, \"rate\": 0.5, \"d\": \"2021-04-01\"}\n]\n",
		FormatTable: "ward          name          registered  rate  d\n----          ----          ----------  ----  -\ntan-phu-dong  Tân Phú Đông  11          0.25  2021-04-01\ntan-quy-dong  Tân Quy Đông  10          0.5   2021-04-01\n(2 rows)\n",
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
