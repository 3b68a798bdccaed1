package store

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// TestParse: DuckDB's parser counts statements wherever a ';' hides (strings,
// comments, dollar quotes, identifiers holding '$', E” escapes), refuses
// what is not a SELECT and says where a syntax error is, and the tables and
// functions of a statement are found in every corner of it.
func TestParse(t *testing.T) {
	db := open(t, filepath.Join(t.TempDir(), "p.duckdb"), pinned)
	count := map[string]int{
		"SELECT 1":                         1,
		"  SELECT 1;  ":                    1,
		"SELECT ';' AS semi":               1,
		`SELECT 1 AS "a;b"`:                1,
		"SELECT 'it''s; fine'":             1,
		"SELECT $$a;b$$":                   1,
		"SELECT 1 -- a; comment\n":         1,
		"/* one; */ SELECT 1; -- trailing": 1,
		"SELECT 2;\n-- nothing after\n;":   1,
		"":                                 0,
		"  ;  ":                            0,
		"-- only a comment":                0,
		"SELECT 1; SELECT 2":               2,
		// A '$' inside an identifier opens no dollar quote …
		"SELECT 1 AS x$y$; SELECT 2 AS z$y$": 2,
		// … and E'\'' is one quote, escaped.
		`SELECT E'\'' AS a; SELECT 42; SELECT 'x'`: 3,
		"WITH a AS (SELECT 1) SELECT * FROM a":     1,
		"FROM range(3)":                            1,
		"VALUES (1), (2)":                          1,
		"DESCRIBE SELECT 1":                        1,
		"SHOW TABLES":                              1,
		"SUMMARIZE SELECT 1":                       1,
		"SELECT 1 UNION ALL SELECT 2":              1,
	}
	for sql, want := range count {
		p, err := Parse(ctx, db, sql)
		if err != nil || p.Statements != want {
			t.Errorf("Parse(%q): %v statements, %v; want %d", sql, p, err, want)
		}
	}
	for _, sql := range []string{
		"CALL enable_logging(storage='file', storage_path='logs')",
		"SELECT 1 AS x$y$; CALL enable_logging(storage='file', storage_path='logs'); SELECT 2 AS z$y$",
		"PRAGMA version", "SET threads = 1", "RESET threads", "SET VARIABLE x = 1", "INSERT INTO t VALUES (1)",
		"COPY t TO 'x.csv'", "ATTACH 'x.duckdb'", "DETACH x", "EXPORT DATABASE 'x'", "IMPORT DATABASE 'x'",
		"INSTALL spatial", "LOAD spatial", "CREATE TEMP TABLE x AS SELECT 1", "EXPLAIN SELECT 1",
		"CHECKPOINT", "USE memory", "BEGIN", "PIVOT t ON a USING sum(b)", "UPDATE t SET a = 1", "DROP TABLE t",
	} {
		_, err := Parse(ctx, db, sql)
		var pe *ParseError
		if !errors.Is(err, ErrNotSelect) || !errors.As(err, &pe) || pe.Message == "" {
			t.Errorf("Parse(%q): %v, want ErrNotSelect", sql, err)
		}
	}
	_, err := Parse(ctx, db, "SELECT 1 FROM t WHERE")
	var pe *ParseError
	if !errors.Is(err, ErrSyntax) || !errors.As(err, &pe) || !strings.Contains(pe.Message, "syntax error") || pe.Position < 0 {
		t.Errorf("a syntax error: %#v", err)
	}

	p, err := Parse(ctx, db, `WITH a AS (SELECT 1 AS x), r AS (SELECT * FROM r UNION ALL SELECT * FROM a)
		SELECT sum(x) OVER (PARTITION BY lower(y)), 1 + 2 FROM a JOIN main.wards w ON true
		WHERE x IN (SELECT ENABLE_LOGGING() FROM "Other" o, range(3), memory.main.t2)
		AND EXISTS (SELECT * FROM (FROM citizens) c WHERE c.x = nextval('s'))`)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := fmt.Sprint(p.Tables), "[Other citizens main.wards memory.main.t2]"; got != want {
		t.Errorf("tables: %s, want %s", got, want)
	}
	var funcs []string
	for _, f := range p.Functions {
		s := f.String()
		if f.Table {
			s += "(table)"
		}
		funcs = append(funcs, s)
	}
	if got, want := strings.Join(funcs, " "), "+ enable_logging lower nextval range(table) sum"; got != want {
		t.Errorf("functions: %s, want %s", got, want)
	}
}
