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
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strings"
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
}

// ColumnDoc describes one output column.
type ColumnDoc struct{ Name, Doc string }

var modelName = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// LoadModels reads every .sql file of dir in fsys and orders the models so that
// each comes after the models it reads. A cycle or a bad name is an error naming the file.
func LoadModels(fsys fs.FS, dir string) ([]Model, error) {
	paths, err := fs.Glob(fsys, path.Join(dir, "*.sql"))
	if err != nil {
		return nil, err
	}
	byName := map[string]*Model{}
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
		if body := stripComments(m.SQL); strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(body), ";")) == "" {
			return nil, fmt.Errorf("%s: no SELECT", p)
		} else if strings.Contains(strings.TrimSuffix(strings.TrimSpace(body), ";"), ";") {
			return nil, fmt.Errorf("%s: one statement per model: found more than one", p)
		}
		byName[name] = m
		names = append(names, name)
	}
	sort.Strings(names)
	for _, n := range names {
		m := byName[n]
		body := stripStrings(stripComments(m.SQL))
		for _, o := range names {
			if o != n && regexp.MustCompile(`\b`+o+`\b`).MatchString(body) {
				m.Deps = append(m.Deps, o)
			}
		}
	}
	return order(byName, names)
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

// stripComments removes -- comments and string literals' contents are kept.
func stripComments(sql string) string {
	var b strings.Builder
	inStr := false
	for i := 0; i < len(sql); i++ {
		c := sql[i]
		switch {
		case c == '\'':
			inStr = !inStr
		case !inStr && c == '-' && i+1 < len(sql) && sql[i+1] == '-':
			for i < len(sql) && sql[i] != '\n' {
				i++
			}
			b.WriteByte('\n')
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// stripStrings blanks the contents of string literals, so that a name inside
// quotes is not taken for a table the model reads.
func stripStrings(sql string) string {
	b := []byte(sql)
	in := false
	for i, c := range b {
		switch {
		case c == '\'':
			in = !in
		case in:
			b[i] = ' '
		}
	}
	return string(b)
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
