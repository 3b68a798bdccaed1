// Package query answers ad-hoc SQL on the published snapshot, for `hoctap
// query` and the web app's console. It is read-only and sandboxed by DuckDB
// itself: the snapshot is opened read-only with external access disabled and the
// configuration locked, so writes, file reads and writes, COPY, ATTACH and
// INSTALL all fail inside DuckDB. Here it adds what DuckDB cannot: one statement
// only (checked before anything reaches the driver, because preparing a
// multi-statement string runs all but the last), a time limit and a row cap.
//
// It never opens the pipeline's own database and never writes.
package query

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hoctap/hoctap/store"
)

// ErrRefused marks a query refused before or by the sandbox: the message says why.
var ErrRefused = errors.New("query refused")

// RefusedError is a query the sandbox does not run.
type RefusedError struct{ Reason string }

func (e *RefusedError) Error() string { return "query refused: " + e.Reason }
func (e *RefusedError) Unwrap() error { return ErrRefused }

// Result is a query's columns and rows, at most Limit of them.
type Result struct {
	Columns   []string
	Types     []string
	Rows      [][]any
	Truncated bool // more rows than the cap
	Duration  time.Duration
}

// Options bound one query.
type Options struct {
	MaxRows int
	Timeout time.Duration
}

// Run runs one read-only statement on db (opened with store.Options{ReadOnly: true, Sandbox: true}).
func Run(ctx context.Context, db *store.DB, sql string, opt Options) (*Result, error) {
	stmt, err := Single(sql)
	if err != nil {
		return nil, err
	}
	if opt.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, opt.Timeout)
		defer cancel()
	}
	start := time.Now()
	rows, err := db.QueryContext(ctx, stmt)
	if err != nil {
		return nil, explain(ctx, err, opt)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	types, err := rows.ColumnTypes()
	if err != nil {
		return nil, err
	}
	res := &Result{Columns: cols}
	for _, t := range types {
		res.Types = append(res.Types, t.DatabaseTypeName())
	}
	for rows.Next() {
		if opt.MaxRows > 0 && len(res.Rows) == opt.MaxRows {
			res.Truncated = true
			break
		}
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		res.Rows = append(res.Rows, vals)
	}
	if err := rows.Err(); err != nil {
		return nil, explain(ctx, err, opt)
	}
	res.Duration = time.Since(start)
	return res, nil
}

// explain turns what DuckDB's sandbox says into a message for the person asking.
func explain(ctx context.Context, err error, opt Options) error {
	msg := err.Error()
	switch {
	case errors.Is(ctx.Err(), context.DeadlineExceeded) || strings.Contains(msg, "Interrupted"):
		return &RefusedError{Reason: fmt.Sprintf("stopped after %s, the time limit (database.query_timeout)", opt.Timeout)}
	case strings.Contains(msg, "read-only mode") || strings.Contains(msg, "read only mode"):
		return &RefusedError{Reason: "hoctap query only reads: the snapshot is read-only (" + firstLine(msg) + ")"}
	case strings.Contains(msg, "disabled by configuration") || strings.Contains(msg, "external access") ||
		strings.Contains(msg, "enable_external_access"):
		return &RefusedError{Reason: "files, COPY, ATTACH and extensions are not available to queries (" + firstLine(msg) + ")"}
	case strings.Contains(msg, "lock_configuration") || strings.Contains(msg, "configuration has been locked"):
		return &RefusedError{Reason: "settings cannot be changed in a query (" + firstLine(msg) + ")"}
	}
	return fmt.Errorf("query: %s", firstLine(msg))
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	return s
}

// Single returns the one statement in sql, without a trailing semicolon, or
// refuses input with none or several. It understands quotes, quoted
// identifiers, dollar-quoted strings and comments, so a ';' inside them is not
// a separator.
func Single(sql string) (string, error) {
	var parts []string
	start := 0
	i := 0
	n := len(sql)
	for i < n {
		c := sql[i]
		switch {
		case c == '\'' || c == '"':
			i = skipQuoted(sql, i, c)
			continue
		case c == '-' && i+1 < n && sql[i+1] == '-':
			for i < n && sql[i] != '\n' {
				i++
			}
			continue
		case c == '/' && i+1 < n && sql[i+1] == '*':
			end := strings.Index(sql[i+2:], "*/")
			if end < 0 {
				i = n
			} else {
				i += end + 4
			}
			continue
		case c == '$':
			if tag, ok := dollarTag(sql[i:]); ok {
				end := strings.Index(sql[i+len(tag):], tag)
				if end < 0 {
					i = n
				} else {
					i += len(tag) + end + len(tag)
				}
				continue
			}
		case c == ';':
			parts = append(parts, sql[start:i])
			start = i + 1
		}
		i++
	}
	parts = append(parts, sql[start:])
	var stmts []string
	for _, p := range parts {
		if strings.TrimSpace(stripComments(p)) != "" {
			stmts = append(stmts, strings.TrimSpace(p))
		}
	}
	switch len(stmts) {
	case 0:
		return "", &RefusedError{Reason: "no statement given"}
	case 1:
		return stmts[0], nil
	}
	return "", &RefusedError{Reason: fmt.Sprintf("one statement at a time: found %d separated by ';'", len(stmts))}
}

func skipQuoted(s string, i int, q byte) int {
	i++
	for i < len(s) {
		if s[i] == q {
			if i+1 < len(s) && s[i+1] == q { // doubled quote
				i += 2
				continue
			}
			return i + 1
		}
		i++
	}
	return i
}

// dollarTag reads a $tag$ opening a dollar-quoted string.
func dollarTag(s string) (string, bool) {
	for j := 1; j < len(s); j++ {
		c := s[j]
		if c == '$' {
			return s[:j+1], true
		}
		if !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || j > 1 && c >= '0' && c <= '9') {
			return "", false
		}
	}
	return "", false
}

func stripComments(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '-' && i+1 < len(s) && s[i+1] == '-' {
			for i < len(s) && s[i] != '\n' {
				i++
			}
			continue
		}
		if s[i] == '/' && i+1 < len(s) && s[i+1] == '*' {
			end := strings.Index(s[i+2:], "*/")
			if end < 0 {
				break
			}
			i += end + 3
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
