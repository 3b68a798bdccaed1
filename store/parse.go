package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Parsed is what DuckDB's own parser makes of a SQL text that holds only
// SELECT-like statements (SELECT, WITH, FROM-first, VALUES, DESCRIBE, SHOW,
// SUMMARIZE, set operations): how many statements, the tables they name and
// the functions they call, found anywhere in them (subqueries, CTEs, joins,
// window clauses). It is read from json_serialize_sql, which parses without
// binding or running anything, so it names what the text says, whether or not
// such tables or functions exist.
type Parsed struct {
	Statements int
	// Tables are the tables (or views) named, once each, sorted; the names
	// of common table expressions in scope are not tables.
	Tables []TableRef
	// Functions are the functions called, once each, sorted: scalar,
	// aggregate and window functions, macros, and table functions (Table).
	// Operators are functions too ("+", "~~").
	Functions []FunctionRef
}

// TableRef is a table as a statement names it: Catalog and Schema are empty
// unless written.
type TableRef struct{ Catalog, Schema, Name string }

func (t TableRef) String() string {
	return strings.Join(nonEmpty(t.Catalog, t.Schema, t.Name), ".")
}

// FunctionRef is a function as a statement calls it, its name in lower case.
type FunctionRef struct {
	Catalog, Schema, Name string
	Table                 bool // in FROM: a table function
}

func (f FunctionRef) String() string {
	return strings.Join(nonEmpty(f.Catalog, f.Schema, f.Name), ".")
}

func nonEmpty(parts ...string) []string {
	var out []string
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return out
}

// ErrNotSelect is matched by a *ParseError for a text DuckDB parses but that
// holds a statement other than a SELECT-like one (CALL, PRAGMA, SET, COPY,
// ATTACH, EXPORT, INSERT, CREATE, EXPLAIN, PIVOT as a statement, …).
var ErrNotSelect = errors.New("store: not a SELECT statement")

// ErrSyntax is matched by a *ParseError for a text DuckDB cannot parse.
var ErrSyntax = errors.New("store: SQL syntax error")

// ParseError is DuckDB's parser refusing a text.
type ParseError struct {
	Kind     error  // ErrNotSelect or ErrSyntax
	Message  string // DuckDB's own words
	Position int    // byte offset of a syntax error in the text, -1 when not given
}

func (e *ParseError) Error() string { return e.Message }
func (e *ParseError) Unwrap() error { return e.Kind }

// Parse asks DuckDB's parser (json_serialize_sql, of the json extension that
// is linked into the bindings) what sql holds, on any connection of db:
// parsing reads no table and runs nothing. A text with no statement (empty,
// or only comments) parses to zero statements.
func Parse(ctx context.Context, db *DB, sql string) (*Parsed, error) {
	var out string
	if err := db.QueryRowContext(ctx, "SELECT json_serialize_sql(?::VARCHAR)::VARCHAR", sql).Scan(&out); err != nil {
		return nil, fmt.Errorf("store: parse: %w", err)
	}
	return parseSerialized([]byte(out))
}

// serialized is json_serialize_sql's answer: the statements, or why not.
type serialized struct {
	Error      bool              `json:"error"`
	Type       string            `json:"error_type"`
	Message    string            `json:"error_message"`
	Position   string            `json:"position"`
	Statements []json.RawMessage `json:"statements"`
}

func parseSerialized(b []byte) (*Parsed, error) {
	var s serialized
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, fmt.Errorf("store: parse: DuckDB's parser answered %.80q: %w", b, err)
	}
	if s.Error {
		pe := &ParseError{Kind: ErrSyntax, Message: s.Message, Position: -1}
		if s.Type == "not implemented" { // "Only SELECT statements can be serialized to json!"
			pe.Kind = ErrNotSelect
		}
		if s.Position != "" {
			fmt.Sscan(s.Position, &pe.Position)
		}
		return nil, pe
	}
	p := &Parsed{Statements: len(s.Statements)}
	w := &walker{tables: map[TableRef]bool{}, funcs: map[FunctionRef]bool{}}
	for _, st := range s.Statements {
		var tree any
		if err := json.Unmarshal(st, &tree); err != nil {
			return nil, fmt.Errorf("store: parse: %w", err)
		}
		w.walk(tree, nil, false)
	}
	for t := range w.tables {
		p.Tables = append(p.Tables, t)
	}
	sort.Slice(p.Tables, func(i, j int) bool { return p.Tables[i].String() < p.Tables[j].String() })
	for f := range w.funcs {
		p.Functions = append(p.Functions, f)
	}
	sort.Slice(p.Functions, func(i, j int) bool {
		if a, b := p.Functions[i].String(), p.Functions[j].String(); a != b {
			return a < b
		}
		return !p.Functions[i].Table && p.Functions[j].Table
	})
	return p, nil
}

// walker collects table and function references from the serialized tree,
// whatever its shape: an object with a "function_name" is a call, one of type
// BASE_TABLE a table, and the keys of a "cte_map" are names in scope for the
// object that holds it (its CTEs, which may be recursive, and its body).
type walker struct {
	tables map[TableRef]bool
	funcs  map[FunctionRef]bool
}

func (w *walker) walk(v any, ctes []string, tableFunc bool) {
	switch x := v.(type) {
	case []any:
		for _, e := range x {
			w.walk(e, ctes, false)
		}
	case map[string]any:
		if m, ok := x["cte_map"].(map[string]any); ok {
			if entries, ok := m["map"].([]any); ok {
				for _, e := range entries {
					if kv, ok := e.(map[string]any); ok {
						if k, ok := kv["key"].(string); ok {
							ctes = append(ctes[:len(ctes):len(ctes)], strings.ToLower(k))
						}
					}
				}
			}
		}
		if name, ok := x["function_name"].(string); ok {
			w.funcs[FunctionRef{Catalog: str(x["catalog"]), Schema: str(x["schema"]), Name: strings.ToLower(name), Table: tableFunc}] = true
		}
		if str(x["type"]) == "BASE_TABLE" {
			t := TableRef{Catalog: str(x["catalog_name"]), Schema: str(x["schema_name"]), Name: str(x["table_name"])}
			if t.Catalog != "" || t.Schema != "" || !contains(ctes, strings.ToLower(t.Name)) {
				w.tables[t] = true
			}
		}
		isTableFunc := str(x["type"]) == "TABLE_FUNCTION"
		for k, e := range x {
			w.walk(e, ctes, isTableFunc && k == "function")
		}
	}
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
