// Package transform owns the SQL layer between what ingest loaded and what
// readers see: it loads the configuration into cfg_* tables, runs the SQL models
// (one SELECT per file in sql/models, the output table named after the file) in
// dependency order, runs the data tests (sql/tests: a test passes when its query
// returns no rows) and, only when every test passes, publishes a read-only
// snapshot that readers open instead of the pipeline's database.
//
// It must not compute in Go what a model can say in SQL: Go wires, orders,
// records and publishes. It never reads ward files and never reads the clock.
package transform

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/hoctap/hoctap/store"
)

// Model is one SQL file: a SELECT whose result becomes the table Name.
type Model struct {
	Name string
	File string
	SQL  string
	// Deps are the other models the SQL reads.
	Deps []string
	// Doc is the table's description and Columns its columns', both from the
	// file's leading comment (see ParseDoc).
	Doc     string
	Columns []ColumnDoc
	// By is the column a model's rows are per: set by a line
	// "-- incremental by: citizen_id" among its comments, it says that a
	// person's rows depend on nothing but the rows of that person of the raw
	// tables and of the models it reads (and on the configuration), so an
	// incremental run recomputes only the people whose files changed (see
	// incremental.go). "" for a model recomputed whole at every run.
	By string
	// SumsBy are the key columns of a model whose every other column is a
	// sum over people: set by a line "-- incremental sums by: month,
	// indicator" among its comments, it says that each row adds up what each
	// person's rows of the models it reads contribute, so an incremental run
	// takes the changed people's old contributions off the published rows
	// and adds their new ones instead of reading everyone (see
	// incremental.go). Such a model reads only models incremental by
	// citizen_id and configuration (cfg_*), its sums are integers or exact
	// decimals, and one of them counts rows: a key whose sums all come to
	// zero holds nobody and has no row, as in a full run.
	SumsBy []string
}

// incrementalBy finds a model's "-- incremental by: column" line, and
// incrementalSums its "-- incremental sums by: key, key" line.
var (
	incrementalBy   = regexp.MustCompile(`(?m)^--\s*incremental by:\s*([a-z][a-z0-9_]*)`)
	incrementalSums = regexp.MustCompile(`(?m)^--\s*incremental sums by:\s*([a-z][a-z0-9_]*(?:\s*,\s*[a-z][a-z0-9_]*)*)`)
)

// ColumnDoc describes one output column.
type ColumnDoc struct{ Name, Doc string }

var modelName = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// LoadModels reads every .sql file of dir in fsys and orders the models so that
// each comes after the models it reads. Which tables a model reads is what
// DuckDB's own parser finds in it (store.Parse on db, which reads no table and
// runs nothing): a name in a comment, a string, a column or a common table
// expression is not a table read. A text that is not one SELECT, a syntax
// error, a cycle or a bad name is an error naming the file.
func LoadModels(ctx context.Context, db *store.DB, fsys fs.FS, dir string) ([]Model, error) {
	paths, err := fs.Glob(fsys, path.Join(dir, "*.sql"))
	if err != nil {
		return nil, err
	}
	byName := map[string]*Model{}
	reads := map[string][]string{} // the tables each model names
	var names []string
	for _, p := range paths {
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return nil, err
		}
		name := strings.TrimSuffix(path.Base(p), ".sql")
		if !modelName.MatchString(name) {
			return nil, fmt.Errorf("%s: a model's file name is its table name: lower-case letters, digits and _", p)
		}
		m := &Model{Name: name, File: p, SQL: strings.TrimSpace(string(b))}
		m.Doc, m.Columns = ParseDoc(m.SQL)
		if k := incrementalBy.FindStringSubmatch(m.SQL); k != nil {
			if k[1] != personKey {
				return nil, fmt.Errorf("%s: incremental by %s: only by %s is known", p, k[1], personKey)
			}
			m.By = k[1]
		}
		if k := incrementalSums.FindStringSubmatch(m.SQL); k != nil {
			if m.By != "" {
				return nil, fmt.Errorf("%s: a model is either incremental by %s or incremental sums, not both", p, personKey)
			}
			for _, c := range strings.Split(k[1], ",") {
				m.SumsBy = append(m.SumsBy, strings.TrimSpace(c))
			}
		}
		if reads[name], err = tablesRead(ctx, db, p, m.SQL); err != nil {
			return nil, err
		}
		byName[name] = m
		names = append(names, name)
	}
	sort.Strings(names)
	for _, n := range names {
		for _, t := range reads[n] {
			if _, ok := byName[t]; ok && t != n && !slices.Contains(byName[n].Deps, t) {
				byName[n].Deps = append(byName[n].Deps, t)
			}
		}
		sort.Strings(byName[n].Deps)
	}
	for _, n := range names {
		m := byName[n]
		if m.SumsBy == nil {
			continue
		}
		for _, t := range reads[n] {
			if d, ok := byName[t]; (ok && d.By == "") || (!ok && !strings.HasPrefix(t, "cfg_")) {
				return nil, fmt.Errorf("%s: incremental sums by %s: it reads %s, which is neither a model incremental by %s nor configuration (cfg_*): an incremental run could not tell what the changed people add to it",
					m.File, strings.Join(m.SumsBy, ", "), t, personKey)
			}
		}
	}
	return order(byName, names)
}

// tablesRead are the tables (lower case) the model in file reads, as DuckDB
// parses its SQL, which must be one SELECT-like statement. A name qualified
// by a catalog or a schema other than main is not a model's.
func tablesRead(ctx context.Context, db *store.DB, file, sql string) ([]string, error) {
	parsed, err := store.Parse(ctx, db, sql)
	var pe *store.ParseError
	switch {
	case errors.As(err, &pe) && errors.Is(err, store.ErrNotSelect):
		return nil, fmt.Errorf("%s: one statement per model, a SELECT: DuckDB reads another kind of statement in it (%s)", file, pe.Message)
	case errors.As(err, &pe):
		return nil, fmt.Errorf("%s: %s", file, pe.Message)
	case err != nil:
		return nil, fmt.Errorf("%s: %w", file, err)
	case parsed.Statements == 0:
		return nil, fmt.Errorf("%s: no SELECT", file)
	case parsed.Statements > 1:
		return nil, fmt.Errorf("%s: one statement per model: found %d", file, parsed.Statements)
	}
	var out []string
	for _, t := range parsed.Tables {
		if t.Catalog == "" && (t.Schema == "" || strings.EqualFold(t.Schema, "main")) {
			out = append(out, strings.ToLower(t.Name))
		}
	}
	return out, nil
}

// order sorts models topologically, breaking ties by name so the order is stable.
func order(byName map[string]*Model, names []string) ([]Model, error) {
	const (
		unvisited = iota
		visiting
		done
	)
	state := map[string]int{}
	var out []Model
	var visit func(n string, chain []string) error
	visit = func(n string, chain []string) error {
		switch state[n] {
		case done:
			return nil
		case visiting:
			return fmt.Errorf("%s: models read each other in a cycle: %s", byName[n].File, strings.Join(append(chain, n), " → "))
		}
		state[n] = visiting
		for _, d := range byName[n].Deps {
			if err := visit(d, append(chain, n)); err != nil {
				return err
			}
		}
		state[n] = done
		out = append(out, *byName[n])
		return nil
	}
	for _, n := range names {
		if err := visit(n, nil); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// ParseDoc reads a model's leading comment block (up to the first blank or
// code line):
//
//	-- One paragraph describing the table.
//	-- columns:
//	--   name: what the column holds
func ParseDoc(sql string) (doc string, cols []ColumnDoc) {
	sc := bufio.NewScanner(strings.NewReader(sql))
	var para []string
	inCols := false
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if !strings.HasPrefix(line, "--") {
			if line == "" && len(para) == 0 && len(cols) == 0 {
				continue
			}
			break // the documentation is the first block of comments
		}
		text := strings.TrimSpace(strings.TrimPrefix(line, "--"))
		switch {
		case strings.EqualFold(text, "columns:"):
			inCols = true
		case inCols:
			if n, d, ok := strings.Cut(text, ":"); ok && n != "" && !strings.Contains(strings.TrimSpace(n), " ") {
				cols = append(cols, ColumnDoc{Name: strings.TrimSpace(n), Doc: strings.TrimSpace(d)})
			} else if len(cols) > 0 && text != "" {
				cols[len(cols)-1].Doc += " " + text
			}
		case text != "":
			para = append(para, text)
		}
	}
	return strings.Join(para, " "), cols
}
