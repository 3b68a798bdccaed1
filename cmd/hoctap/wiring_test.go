package main

import (
	"context"
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/hoctap/hoctap/store"
)

// verb is a fmt verb, which a query built with fmt would hold.
var verb = regexp.MustCompile(`%[-+# 0-9.*\[\]]*[a-zA-Z%]`)

// TestNoSQLInCmd holds this package to wiring: no string of its code (tests
// aside) is SQL as DuckDB's own parser reads it, with its fmt verbs taken
// as names (a query built with fmt). Queries live in the .sql files of the package that owns
// their tables.
func TestNoSQLInCmd(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(ctx, "", store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	literals := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			lit, ok := n.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			s, err := strconv.Unquote(lit.Value)
			if err != nil {
				t.Fatalf("%s: %v", fset.Position(lit.Pos()), err)
			}
			literals++
			if isSQL(ctx, t, db, s) {
				t.Errorf("%s: SQL in cmd/hoctap: %.60q — move it to a .sql file of the package that owns the table", fset.Position(lit.Pos()), s)
			}
			return true
		})
	}
	if literals < 100 {
		t.Fatalf("only %d string literals read: the test is not reading this package", literals)
	}
}

// isSQL says whether DuckDB's parser reads s, its fmt verbs taken as names,
// as one or more statements of any kind.
func isSQL(ctx context.Context, t *testing.T, db *store.DB, s string) bool {
	p, err := store.Parse(ctx, db, verb.ReplaceAllString(s, "x"))
	var pe *store.ParseError
	switch {
	case err == nil:
		return p.Statements > 0
	case errors.As(err, &pe):
		return errors.Is(err, store.ErrNotSelect) // a statement, though not a SELECT
	default:
		t.Fatal(err)
		return false
	}
}

// TestIsSQL shows that the check above finds the SQL it is for.
func TestIsSQL(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(ctx, "", store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for s, want := range map[string]bool{
		"SELECT name FROM cfg_phases WHERE ordinal = ?": true,
		"CHECKPOINT": true,
		"select count(*) from ingest_files group by status": true,
		"FROM model_runs": true,
		"\n\t\tSELECT kind FROM model_runs WHERE x = %s":           true,
		"UPDATE outbox SET status = 'queued'":                      true,
		"Runs one SELECT on the published snapshot":                false,
		"hoctap query \"SELECT 1\"":                                false,
		"usage: hoctap status [--month YYYY-MM]":                   false,
		"transform: %d models, %d data tests passed; published %s": false,
		"":                                   false,
		"vi":                                 false,
		"with --scale: how many wards":       false,
		"INSERT INTO outbox VALUES (%d, %q)": true,
	} {
		if got := isSQL(ctx, t, db, s); got != want {
			t.Errorf("isSQL(%q) = %v, want %v", s, got, want)
		}
	}
}
