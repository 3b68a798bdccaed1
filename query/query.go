// Package query answers ad-hoc SQL on the published snapshot, for `hoctap
// query` and the web app's console.
//
// What may run is decided before anything reaches the driver, by DuckDB's own
// parser (Check): one statement, of a SELECT-like kind, calling only functions
// that read. What runs is then sandboxed by DuckDB itself: the snapshot is
// opened read-only with external access disabled and the configuration
// locked, so writes, file reads and writes, COPY, ATTACH and INSTALL fail
// inside DuckDB too. Every query is bounded: a time limit, a cap on rows and
// one on the bytes of the result, DuckDB's memory limit and a cap on its
// spill files.
//
// A query runs in a process of its own (Runner, Work): a statement that makes
// DuckDB abort, or exhaust memory, ends that process and not the server that
// asked; its result is copied out whole, so nothing of the snapshot is held
// while the answer is written to a slow client.
//
// It never opens the pipeline's own database and never writes.
package query

import (
	"context"
	"encoding/json"
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

// Result is a query's columns and rows, within the caps. Each cell is a JSON
// value (see value.go): Text shows it.
type Result struct {
	Columns []string            `json:"columns"`
	Types   []string            `json:"types"` // DuckDB's, as the driver names them
	Rows    [][]json.RawMessage `json:"rows"`
	// Cut says which cap stopped the rows, when one did ("" when every row
	// is here).
	Cut      string        `json:"cut,omitempty"`
	Duration time.Duration `json:"duration"`
	// Memory is the peak resident memory of the process that ran the query,
	// in bytes, when the system tells it (Runner).
	Memory int64 `json:"-"`
}

// Truncated reports whether a cap left rows out.
func (r *Result) Truncated() bool { return r.Cut != "" }

// Options bound one query.
type Options struct {
	MaxRows  int           // 0: no cap
	MaxBytes int64         // the result's encoded cells, at most; 0: no cap
	Timeout  time.Duration // 0: none
	// Zone is the city's time zone, in which TIMESTAMPTZ values are shown
	// (nil: UTC). The database's TimeZone setting should be the same.
	Zone *time.Location
	// Snapshot is the file a Runner's worker reads instead of the Runner's
	// own: a ward login's snapshot (""; the Runner's).
	Snapshot string
}

// Run checks sql (Check) and runs it on db, opened with store.Options{ReadOnly:
// true, Sandbox: true}, in this process. The web app and hoctap query use a
// Runner, which calls it in a process of its own.
func Run(ctx context.Context, db *store.DB, sql string, opt Options) (*Result, error) {
	if opt.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, opt.Timeout)
		defer cancel()
	}
	if err := Check(ctx, db, sql); err != nil {
		return nil, explain(ctx, err, opt)
	}
	start := time.Now()
	rows, err := db.QueryContext(ctx, sql)
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
	res := &Result{Columns: cols, Rows: [][]json.RawMessage{}}
	parsed := make([]*colType, len(types))
	for i, t := range types {
		res.Types = append(res.Types, t.DatabaseTypeName())
		parsed[i] = parseType(t.DatabaseTypeName())
	}
	enc := encoder{loc: opt.Zone}
	if enc.loc == nil {
		enc.loc = time.UTC
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	var size int64
	for rows.Next() {
		if opt.MaxRows > 0 && len(res.Rows) == opt.MaxRows {
			res.Cut = fmt.Sprintf("chỉ lấy %d dòng đầu — the first %d rows only: more were left out", opt.MaxRows, opt.MaxRows)
			break
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		row := make([]json.RawMessage, len(cols))
		rowSize := int64(len(cols) + 2)
		for i, v := range vals {
			if s, ok := v.(string); ok && opt.MaxBytes > 0 && int64(len(s)) > opt.MaxBytes {
				rowSize += int64(len(s)) // too long to encode: it will not be kept
				continue
			}
			row[i] = enc.value(nil, v, parsed[i])
			rowSize += int64(len(row[i]))
		}
		if opt.MaxBytes > 0 && size+rowSize > opt.MaxBytes {
			res.Cut = fmt.Sprintf("kết quả quá lớn, chỉ lấy %d dòng đầu — more rows were cut at the limit of %s of results (database.max_result_size)",
				len(res.Rows), Bytes(opt.MaxBytes))
			break
		}
		size += rowSize
		res.Rows = append(res.Rows, row)
	}
	if err := rows.Err(); err != nil {
		return nil, explain(ctx, err, opt)
	}
	res.Duration = time.Since(start)
	return res, nil
}

// Bytes writes a size for people: 16 MiB, 1.5 GiB, 900 bytes.
func Bytes(n int64) string {
	switch {
	case n >= 1<<30:
		return strings.TrimSuffix(fmt.Sprintf("%.1f", float64(n)/(1<<30)), ".0") + " GiB"
	case n >= 1<<20:
		return strings.TrimSuffix(fmt.Sprintf("%.1f", float64(n)/(1<<20)), ".0") + " MiB"
	case n >= 1<<10:
		return strings.TrimSuffix(fmt.Sprintf("%.1f", float64(n)/(1<<10)), ".0") + " KiB"
	}
	return fmt.Sprintf("%d bytes", n)
}

// explain turns what DuckDB's sandbox says into a message for the person asking.
func explain(ctx context.Context, err error, opt Options) error {
	var refused *RefusedError
	var syntax *SyntaxError
	if errors.As(err, &refused) || errors.As(err, &syntax) {
		return err
	}
	msg := err.Error()
	switch {
	case errors.Is(ctx.Err(), context.DeadlineExceeded) || strings.Contains(msg, "Interrupted"):
		return timeLimit(opt.Timeout)
	case strings.Contains(msg, "read-only mode") || strings.Contains(msg, "read only mode"):
		return &RefusedError{Reason: "hoctap query only reads: the snapshot is read-only (" + firstLine(msg) + ")"}
	case strings.Contains(msg, "disabled by configuration") || strings.Contains(msg, "external access") ||
		strings.Contains(msg, "enable_external_access"):
		return &RefusedError{Reason: "files, COPY, ATTACH and extensions are not available to queries (" + firstLine(msg) + ")"}
	case strings.Contains(msg, "lock_configuration") || strings.Contains(msg, "configuration has been locked"):
		return &RefusedError{Reason: "settings cannot be changed in a query (" + firstLine(msg) + ")"}
	case strings.Contains(msg, "max_temp_directory_size") || strings.Contains(msg, "failed to offload"):
		return &RefusedError{Reason: "truy vấn cần quá nhiều chỗ tạm trên đĩa — the query needs more temporary disk space than database.query_temp_limit allows (" + firstLine(msg) + ")"}
	case strings.Contains(msg, "Out of Memory") || strings.Contains(msg, "could not allocate"):
		return &RefusedError{Reason: "truy vấn cần quá nhiều bộ nhớ — the query needs more memory than database.query_memory_limit allows (" + firstLine(msg) + ")"}
	}
	return fmt.Errorf("query: %s", firstLine(msg))
}

func timeLimit(d time.Duration) error {
	return &RefusedError{Reason: fmt.Sprintf("quá thời gian — stopped after %s, the time limit (database.query_timeout)", d)}
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	return s
}
