package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/duckdb/duckdb-go/v2"
	"github.com/jmoiron/sqlx"
)

// Tx is a transaction on one dedicated connection, in which statements and
// Appenders see and commit the same work. database/sql's own Tx cannot hand its
// connection to DuckDB's Appender, so the transaction is begun and ended with
// explicit statements on a reserved connection. A Tx is for one goroutine.
type Tx struct {
	conn *sqlx.Conn
	apps []*Appender // opened in this transaction, closed at its end at the latest
}

// InTx runs fn in a transaction: it commits when fn returns nil and rolls back
// when fn returns an error or panics (and the panic goes on). Appenders fn left
// open are closed first: flushed into the commit, or dropped with the rollback.
// A connection whose rollback fails is discarded, never reused.
func (db *DB) InTx(ctx context.Context, fn func(tx *Tx) error) (err error) {
	conn, err := db.Connx(ctx)
	if err != nil {
		return fmt.Errorf("store: %w", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "BEGIN TRANSACTION"); err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	tx := &Tx{conn: conn}
	committed := false
	defer func() {
		if committed {
			return
		}
		tx.closeAppenders() // their rows go down with the transaction
		// Roll back on a fresh context: the caller's may be what was cancelled.
		if _, rbErr := conn.ExecContext(context.Background(), "ROLLBACK"); rbErr != nil {
			if err != nil {
				err = errors.Join(err, fmt.Errorf("store: rollback: %w", rbErr))
			}
			// Never hand a connection with an open transaction back to the pool.
			_ = conn.Raw(func(any) error { return driver.ErrBadConn })
		}
	}()
	if err := fn(tx); err != nil {
		return err
	}
	if err := tx.closeAppenders(); err != nil {
		return err
	}
	if _, err := conn.ExecContext(ctx, "COMMIT"); err != nil {
		return fmt.Errorf("store: commit: %w", err)
	}
	committed = true
	return nil
}

// closeAppenders closes the Appenders still open, returning the first error.
func (tx *Tx) closeAppenders() error {
	var first error
	for _, a := range tx.apps {
		if err := a.Close(); err != nil && first == nil {
			first = err
		}
	}
	tx.apps = nil
	return first
}

// ExecContext runs a statement in the transaction.
func (tx *Tx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return tx.conn.ExecContext(ctx, query, args...)
}

// QueryContext runs a query in the transaction.
func (tx *Tx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return tx.conn.QueryContext(ctx, query, args...)
}

// QueryRowContext runs a query for one row in the transaction.
func (tx *Tx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	return tx.conn.QueryRowContext(ctx, query, args...)
}

// GetContext scans one row into dest, as sqlx does.
func (tx *Tx) GetContext(ctx context.Context, dest any, query string, args ...any) error {
	return tx.conn.GetContext(ctx, dest, query, args...)
}

// SelectContext scans every row into dest, as sqlx does.
func (tx *Tx) SelectContext(ctx context.Context, dest any, query string, args ...any) error {
	return tx.conn.SelectContext(ctx, dest, query, args...)
}

// Appender bulk-loads rows into a table within a transaction, through DuckDB's
// Appender: tens of times faster than a prepared INSERT per row (see
// bench_test.go). Rows are buffered and written by Flush or Close; they commit
// or roll back with the transaction. An Appender is for one goroutine.
type Appender struct {
	a      *duckdb.Appender
	table  string
	rows   int64
	buf    []driver.Value
	closed bool
}

// Appender opens DuckDB's Appender on table ("name" or "schema.name"), on the
// transaction's connection. The transaction closes it when it ends, if the
// caller has not.
func (tx *Tx) Appender(table string) (*Appender, error) {
	schema, name, ok := strings.Cut(table, ".")
	if !ok {
		schema, name = "", table
	}
	a, err := tx.open(table, func(c driver.Conn) (*duckdb.Appender, error) { return duckdb.NewAppenderFromConn(c, schema, name) })
	if err != nil {
		return nil, fmt.Errorf("store: appender %s: %w", table, err)
	}
	return a, nil
}

// open opens an Appender named name with fn on the transaction's driver
// connection; the transaction closes it when it ends.
func (tx *Tx) open(name string, fn func(driver.Conn) (*duckdb.Appender, error)) (*Appender, error) {
	var app *duckdb.Appender
	err := tx.conn.Raw(func(dc any) error {
		c, ok := dc.(driver.Conn)
		if !ok {
			return fmt.Errorf("not a driver connection: %T", dc)
		}
		var err error
		app, err = fn(c)
		return err
	})
	if err != nil {
		return nil, err
	}
	a := &Appender{a: app, table: name}
	tx.apps = append(tx.apps, a)
	return a, nil
}

// Column is a column of the rows a query Appender takes: its name and its
// DuckDB type, one of BOOLEAN, INTEGER, BIGINT, DOUBLE, VARCHAR, DATE,
// TIMESTAMP, TIMESTAMPTZ, or such a type followed by [] (a LIST) or [n] (an
// ARRAY of n).
type Column struct{ Name, Type string }

// QueryAppender opens an Appender whose rows, of columns cols, are not
// appended to a table but read by query as the relation appended_data
// (typically INSERT INTO t SELECT … FROM appended_data), each time the rows
// buffered are flushed. So constants and conversions (a file id, an ARRAY cast
// to a LIST) are the query's work, not each row's: an ARRAY of n values is
// much cheaper to append than a LIST, whose size Go must tell DuckDB row by
// row. The query runs in the transaction.
func (tx *Tx) QueryAppender(query string, cols ...Column) (*Appender, error) {
	types := make([]duckdb.TypeInfo, len(cols))
	names := make([]string, len(cols))
	for i, c := range cols {
		t, err := typeInfo(c.Type)
		if err != nil {
			return nil, fmt.Errorf("store: query appender: column %s: %w", c.Name, err)
		}
		types[i], names[i] = t, c.Name
	}
	a, err := tx.open("appended_data", func(c driver.Conn) (*duckdb.Appender, error) {
		return duckdb.NewQueryAppender(c, query, "", types, names)
	})
	if err != nil {
		return nil, fmt.Errorf("store: query appender: %w", err)
	}
	return a, nil
}

var baseTypes = map[string]duckdb.Type{
	"BOOLEAN": duckdb.TYPE_BOOLEAN, "INTEGER": duckdb.TYPE_INTEGER, "BIGINT": duckdb.TYPE_BIGINT, "DOUBLE": duckdb.TYPE_DOUBLE,
	"VARCHAR": duckdb.TYPE_VARCHAR, "DATE": duckdb.TYPE_DATE, "TIMESTAMP": duckdb.TYPE_TIMESTAMP, "TIMESTAMPTZ": duckdb.TYPE_TIMESTAMP_TZ,
}

// typeInfo reads a Column's type.
func typeInfo(t string) (duckdb.TypeInfo, error) {
	if base, ok := strings.CutSuffix(t, "[]"); ok {
		child, err := typeInfo(base)
		if err != nil {
			return nil, err
		}
		return duckdb.NewListInfo(child)
	}
	if i := strings.LastIndexByte(t, '['); i > 0 && strings.HasSuffix(t, "]") {
		n, err := strconv.ParseUint(t[i+1:len(t)-1], 10, 32)
		if err != nil || n == 0 {
			return nil, fmt.Errorf("%q: not an array size", t)
		}
		child, err := typeInfo(t[:i])
		if err != nil {
			return nil, err
		}
		return duckdb.NewArrayInfo(child, n)
	}
	b, ok := baseTypes[t]
	if !ok {
		return nil, fmt.Errorf("%q: not a type a query appender takes", t)
	}
	return duckdb.NewTypeInfo(b)
}

// AppendRow adds one row; values follow the table's columns, in order. nil is
// NULL; time.Time fills DATE and TIMESTAMP columns; a []float64 fills a DOUBLE[],
// and so, much faster, does a []any of float64 (the []float64 is copied into
// one first).
func (a *Appender) AppendRow(values ...any) error {
	if a.closed {
		return fmt.Errorf("store: append to %s: the appender is closed", a.table)
	}
	if cap(a.buf) < len(values) {
		a.buf = make([]driver.Value, len(values))
	}
	buf := a.buf[:len(values)]
	for i, v := range values {
		buf[i] = v
	}
	if err := a.a.AppendRow(buf...); err != nil {
		return fmt.Errorf("store: append to %s: %w", a.table, err)
	}
	a.rows++
	return nil
}

// Rows is how many rows were appended.
func (a *Appender) Rows() int64 { return a.rows }

// Flush writes the buffered rows into the table, still inside the
// transaction: the transaction's queries see them afterwards.
func (a *Appender) Flush() error {
	if a.closed {
		return nil
	}
	if err := a.a.Flush(); err != nil {
		return fmt.Errorf("store: flush %s: %w", a.table, err)
	}
	return nil
}

// Close flushes and releases the Appender. Closing it again does nothing.
func (a *Appender) Close() error {
	if a.closed {
		return nil
	}
	a.closed = true
	if err := a.a.Close(); err != nil {
		return fmt.Errorf("store: close appender %s: %w", a.table, err)
	}
	return nil
}
