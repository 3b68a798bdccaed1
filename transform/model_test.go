package transform

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/hoctap/hoctap/store"
)

var ctx = context.Background()

// parserDB is a database for LoadModels to parse with: DuckDB's parser reads
// no table, so an empty one does.
func parserDB(t testing.TB) *store.DB {
	t.Helper()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "parse.duckdb"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestLoadModelsOrder(t *testing.T) {
	fsys := fstest.MapFS{
		"m/c.sql": {Data: []byte("-- C reads b.\nSELECT * FROM b")},
		"m/a.sql": {Data: []byte("SELECT 1 AS x -- not b_other")},
		"m/b.sql": {Data: []byte("-- B.\n-- columns:\n--   x: a number\n--     that wraps\nSELECT x FROM a WHERE 'c' <> 'a'")},
	}
	ms, err := LoadModels(ctx, parserDB(t), fsys, "m")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, m := range ms {
		names = append(names, m.Name)
	}
	if got := strings.Join(names, ","); got != "a,b,c" {
		t.Errorf("order = %s, want a,b,c", got)
	}
	if ms[1].Doc != "B." || len(ms[1].Columns) != 1 || ms[1].Columns[0].Doc != "a number that wraps" {
		t.Errorf("doc of b = %q %+v", ms[1].Doc, ms[1].Columns)
	}
}

func TestLoadModelsErrors(t *testing.T) {
	cases := map[string]struct {
		fs   fstest.MapFS
		want string
	}{
		"cycle":              {fstest.MapFS{"m/a.sql": {Data: []byte("SELECT * FROM b")}, "m/b.sql": {Data: []byte("SELECT * FROM a")}}, "cycle: a → b → a"},
		"two":                {fstest.MapFS{"m/a.sql": {Data: []byte("DROP TABLE x; SELECT 1")}}, "m/a.sql: one statement per model"},
		"empty":              {fstest.MapFS{"m/a.sql": {Data: []byte("-- nothing\n")}}, "m/a.sql: no SELECT"},
		"bad name":           {fstest.MapFS{"m/A-b.sql": {Data: []byte("SELECT 1")}}, "m/A-b.sql: a model's file name"},
		"two selects":        {fstest.MapFS{"m/a.sql": {Data: []byte("SELECT 1;\nSELECT 2")}}, "m/a.sql: one statement per model: found 2"},
		"syntax":             {fstest.MapFS{"m/a.sql": {Data: []byte("SELECT 1 FROM WHERE")}}, `m/a.sql: syntax error at or near "WHERE"`},
		"block comment only": {fstest.MapFS{"m/a.sql": {Data: []byte("/* SELECT 1 */")}}, "m/a.sql: no SELECT"},
		// a model of sums may read only per-person models and configuration
		"sums of a whole model": {fstest.MapFS{
			"m/p.sql": {Data: []byte("-- incremental by: citizen_id\nSELECT 'a' AS citizen_id")},
			"m/w.sql": {Data: []byte("SELECT 1 AS x")},
			"m/s.sql": {Data: []byte("-- incremental sums by: k\nSELECT 1 AS k, count(*) AS n FROM p JOIN w ON true JOIN cfg_months ON true")},
		}, "m/s.sql: incremental sums by k: it reads w, which is neither a model incremental by citizen_id nor configuration"},
		"sums of a raw table": {fstest.MapFS{
			"m/s.sql": {Data: []byte("-- incremental sums by: k\nSELECT 1 AS k, count(*) AS n FROM raw_citizens")},
		}, "it reads raw_citizens, which is neither"},
		"both kinds": {fstest.MapFS{
			"m/s.sql": {Data: []byte("-- incremental by: citizen_id\n-- incremental sums by: k\nSELECT 1 AS k")},
		}, "m/s.sql: a model is either incremental by citizen_id or incremental sums, not both"},
	}
	for name, c := range cases {
		_, err := LoadModels(ctx, parserDB(t), c.fs, "m")
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err = %v, want %q", name, err, c.want)
		}
	}
}

// The SQL shipped in the binary loads and orders, and produces every metric and
// evaluates every condition the configuration may name.
func TestShippedModels(t *testing.T) {
	ms, err := LoadModels(ctx, parserDB(t), sqlFS(t), "models")
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) < 15 {
		t.Errorf("%d models", len(ms))
	}
	for _, m := range ms {
		if m.Doc == "" || len(m.Columns) == 0 {
			t.Errorf("%s has no documentation comment", m.File)
		}
	}
	all := ""
	for _, m := range ms {
		all += m.SQL
	}
	for _, c := range []string{"all_registrants_assessed", "all_units_assessed", "activity_held", "citizens_registered", "units_registered", "citizens_recognised_share"} {
		if !strings.Contains(all, "'"+c+"'") {
			t.Errorf("no model evaluates the condition %s", c)
		}
	}
	if _, err := LoadModels(ctx, parserDB(t), sqlFS(t), "tests"); err != nil {
		t.Fatal(err)
	}
}

// A model reads the tables DuckDB's parser finds in it: not a name in a
// comment (line or block), a string, a column, an alias or a common table
// expression, even one named like another model; but a model read inside a
// CTE, a subquery, a join or a quoted name is read.
func TestLoadModelsDependencies(t *testing.T) {
	fsys := fstest.MapFS{
		"m/a.sql": {Data: []byte("SELECT 1 AS x")},
		"m/b.sql": {Data: []byte("SELECT 2 AS x")},
		"m/c.sql": {Data: []byte("SELECT 3 AS x")},
		"m/d.sql": {Data: []byte("SELECT 4 AS x")},
		// reads a (in a CTE), c (in a subquery) and d (quoted, in a join);
		// b is a CTE of its own, a column, a comment and a string
		"m/e.sql": {Data: []byte(`-- reads b, not really
/* FROM b */
WITH b AS (SELECT x AS b FROM a)
SELECT b.b, 'b' AS s, (SELECT max(x) FROM c) AS m
FROM b JOIN "d" ON d.x = b.b`)},
		// a recursive CTE named like a model, and a model in a scalar subquery of a WHERE
		"m/f.sql": {Data: []byte(`WITH RECURSIVE a(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM a WHERE n < 3)
SELECT n FROM a WHERE n <= (SELECT count(*) FROM main.b)`)},
	}
	ms, err := LoadModels(ctx, parserDB(t), fsys, "m")
	if err != nil {
		t.Fatal(err)
	}
	deps := map[string]string{}
	for _, m := range ms {
		deps[m.Name] = strings.Join(m.Deps, ",")
	}
	for name, want := range map[string]string{"e": "a,c,d", "f": "b", "a": ""} {
		if deps[name] != want {
			t.Errorf("%s reads %q, want %q", name, deps[name], want)
		}
	}
}
