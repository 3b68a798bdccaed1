package transform

import (
	"strings"
	"testing"
	"testing/fstest"
)

func TestLoadModelsOrder(t *testing.T) {
	fsys := fstest.MapFS{
		"m/c.sql": {Data: []byte("-- C reads b.\nSELECT * FROM b")},
		"m/a.sql": {Data: []byte("SELECT 1 AS x -- not b_other")},
		"m/b.sql": {Data: []byte("-- B.\n-- columns:\n--   x: a number\n--     that wraps\nSELECT x FROM a WHERE 'c' <> 'a'")},
	}
	ms, err := LoadModels(fsys, "m")
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
		"cycle":    {fstest.MapFS{"m/a.sql": {Data: []byte("SELECT * FROM b")}, "m/b.sql": {Data: []byte("SELECT * FROM a")}}, "cycle: a → b → a"},
		"two":      {fstest.MapFS{"m/a.sql": {Data: []byte("DROP TABLE x; SELECT 1")}}, "m/a.sql: one statement per model"},
		"empty":    {fstest.MapFS{"m/a.sql": {Data: []byte("-- nothing\n")}}, "m/a.sql: no SELECT"},
		"bad name": {fstest.MapFS{"m/A-b.sql": {Data: []byte("SELECT 1")}}, "m/A-b.sql: a model's file name"},
	}
	for name, c := range cases {
		_, err := LoadModels(c.fs, "m")
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err = %v, want %q", name, err, c.want)
		}
	}
}

// The SQL shipped in the binary loads and orders, and produces every metric and
// evaluates every condition the configuration may name.
func TestShippedModels(t *testing.T) {
	ms, err := LoadModels(sqlFS(t), "models")
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
	if _, err := LoadModels(sqlFS(t), "tests"); err != nil {
		t.Fatal(err)
	}
}
