package query

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"sync"

	"github.com/hoctap/hoctap/store"
)

// Check refuses sql unless it is one read-only statement, as DuckDB's own
// parser reads it (store.Parse): exactly one statement, of a SELECT-like kind
// (SELECT, WITH, FROM-first, VALUES, DESCRIBE, SHOW, SUMMARIZE), calling only
// functions that read. Nothing of sql runs: a CALL, PRAGMA, SET, COPY,
// ATTACH, EXPORT or INSERT, a second statement hidden after a ';' that a
// quote, comment or '$' seemed to hide, or a call of a function that changes
// DuckDB's state is refused before the driver sees it. (The driver would run
// every statement of a string but the last while preparing it, and a
// function such as enable_logging passes the locked configuration and can
// make DuckDB abort the process.)
//
// The functions allowed are an allowlist: scalar and aggregate functions
// DuckDB itself marks as free of side effects (duckdb_functions()), a few
// volatile ones that change nothing (random, uuid, error, current_query),
// DuckDB's macros whose definition calls none of the others, and the table
// functions of tableFunctions. Everything else — nextval, setseed, sleep_ms,
// write_log; the table functions that read files (read_csv, read_parquet,
// glob, …), run a SQL text (query, query_table, json_execute_serialized_sql),
// switch logging or profiling, checkpoint, or scan memory (arrow_scan) — is
// refused by name, and so is any function DuckDB does not list.
func Check(ctx context.Context, db *store.DB, sql string) error {
	p, err := store.Parse(ctx, db, sql)
	if err != nil {
		var pe *store.ParseError
		switch {
		case errors.Is(err, store.ErrNotSelect):
			return &RefusedError{Reason: "chỉ chạy câu lệnh đọc — only a SELECT runs here (or WITH, FROM, VALUES, DESCRIBE, SHOW, SUMMARIZE): " +
				"CALL, PRAGMA, SET, COPY, ATTACH, EXPORT, INSTALL, LOAD, EXPLAIN and statements that write are refused"}
		case errors.As(err, &pe):
			return &SyntaxError{Message: pe.Message, Position: pe.Position}
		}
		return err
	}
	switch p.Statements {
	case 0:
		return &RefusedError{Reason: "chưa có câu lệnh — no statement given"}
	case 1:
	default:
		return &RefusedError{Reason: fmt.Sprintf("mỗi lần một câu lệnh — one statement at a time: found %d", p.Statements)}
	}
	allow, err := allowed(ctx, db)
	if err != nil {
		return err
	}
	var refused []string
	for _, f := range p.Functions {
		if !allow.call(f) {
			refused = append(refused, f.Name)
		}
	}
	if len(refused) > 0 {
		return &RefusedError{Reason: fmt.Sprintf("hàm không được dùng trong truy vấn — not available in queries, as they read files, "+
			"run other statements or change the database's state: %s", strings.Join(refused, ", "))}
	}
	return nil
}

// SyntaxError is SQL DuckDB's parser could not read.
type SyntaxError struct {
	Message  string
	Position int // byte offset, -1 when DuckDB did not say
}

func (e *SyntaxError) Error() string {
	if e.Position >= 0 {
		return fmt.Sprintf("query: %s (at character %d)", e.Message, e.Position+1)
	}
	return "query: " + e.Message
}

// tableFunctions are the table functions a query may call: they make rows
// or read the snapshot's own catalog and settings, and nothing else.
var tableFunctions = words(`range generate_series unnest repeat repeat_row json_each json_tree summary
	duckdb_columns duckdb_constraints duckdb_databases duckdb_dependencies duckdb_extensions duckdb_functions
	duckdb_indexes duckdb_keywords duckdb_memory duckdb_optimizers duckdb_schemas duckdb_sequences
	duckdb_settings duckdb_tables duckdb_temporary_files duckdb_types duckdb_views
	pragma_collations pragma_database_size pragma_metadata_info pragma_platform pragma_show
	pragma_storage_info pragma_table_info pragma_user_agent pragma_version
	icu_calendar_names pg_timezone_names test_all_types sql_auto_complete`)

// volatile are functions DuckDB marks as having side effects that change
// nothing a later query sees.
var volatile = words(`random gen_random_uuid uuid uuidv4 uuidv7 error current_query current_query_id
	current_connection_id current_transaction_id`)

// special are names the binder handles itself rather than as catalog
// functions.
var special = words(`unnest unlist grouping grouping_id`)

func words(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

// allowlist says which functions a query may call.
type allowlist struct {
	scalar map[string]bool // scalar, aggregate, window functions and macros
	table  map[string]bool // table functions and table macros
}

func (a *allowlist) call(f store.FunctionRef) bool {
	switch f.Catalog {
	case "", "system", "temp":
	default:
		return false
	}
	if f.Table {
		return a.table[f.Name]
	}
	return a.scalar[f.Name] || special[f.Name]
}

var (
	allowMu    sync.Mutex
	allowCache *allowlist // DuckDB's functions are those of the linked library: one list per process
)

// allowed reads DuckDB's functions once per process and decides which a
// query may call.
func allowed(ctx context.Context, db *store.DB) (*allowlist, error) {
	allowMu.Lock()
	defer allowMu.Unlock()
	if allowCache != nil {
		return allowCache, nil
	}
	var fns []catalogFunction
	if err := db.SelectContext(ctx, &fns, `SELECT DISTINCT lower(function_name) AS name, function_type AS kind,
		coalesce(has_side_effects, false) AS side_effects, coalesce(macro_definition, '') AS definition
		FROM duckdb_functions() WHERE function_type IN ('scalar', 'aggregate', 'macro', 'table', 'table_macro')`); err != nil {
		return nil, fmt.Errorf("query: list DuckDB's functions: %w", err)
	}
	allowCache = decide(fns)
	return allowCache, nil
}

type catalogFunction struct {
	Name        string `db:"name"`
	Kind        string `db:"kind"`
	SideEffects bool   `db:"side_effects"`
	Definition  string `db:"definition"`
}

// decide makes the allowlist of a catalog's functions. A name is allowed
// where it is called — in FROM (a table function or table macro) or in an
// expression (a scalar or aggregate function or a macro) — only when every
// entry of that name and kind is: a macro named like a scalar function may
// be the one bound.
func decide(fns []catalogFunction) *allowlist {
	deniedScalar, deniedTable := map[string]bool{}, map[string]bool{}
	for _, f := range fns {
		switch f.Kind {
		case "scalar", "aggregate":
			if f.SideEffects && !volatile[f.Name] {
				deniedScalar[f.Name] = true
			}
		case "table":
			if !tableFunctions[f.Name] {
				deniedTable[f.Name] = true
			}
		}
	}
	// A macro is denied when its definition names a denied function or
	// macro, of either kind (a conservative reading of its text): repeat
	// until no more are found.
	for changed := true; changed; {
		changed = false
		re := deniedPattern(deniedScalar, deniedTable)
		for _, f := range fns {
			denied := deniedScalar
			if f.Kind == "table_macro" {
				denied = deniedTable
			} else if f.Kind != "macro" {
				continue
			}
			if !denied[f.Name] && re != nil && re.MatchString(strings.ToLower(f.Definition)) {
				denied[f.Name] = true
				changed = true
			}
		}
	}
	a := &allowlist{scalar: map[string]bool{}, table: map[string]bool{}}
	for _, f := range fns {
		switch f.Kind {
		case "scalar", "aggregate", "macro":
			a.scalar[f.Name] = !deniedScalar[f.Name]
		case "table", "table_macro":
			a.table[f.Name] = !deniedTable[f.Name]
		}
	}
	return a
}

func deniedPattern(sets ...map[string]bool) *regexp.Regexp {
	var names []string
	for _, denied := range sets {
		for n := range denied {
			names = append(names, regexp.QuoteMeta(n))
		}
	}
	if len(names) == 0 {
		return nil
	}
	sort.Strings(names)
	return regexp.MustCompile(`(^|[^a-z0-9_])(` + strings.Join(names, "|") + `)([^a-z0-9_]|$)`)
}
