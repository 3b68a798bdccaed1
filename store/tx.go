package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"

	"github.com/duckdb/duckdb-go/v2"
	"github.com/jmoiron/sqlx"
)

// Tx is a transaction on one dedicated connection, in which statements and
// Appenders see and commit the same work. database/sql's own Tx cannot hand its
// connection to DuckDB's Appender, so the transaction is begun and ended with
// explicit statements on a reserved connection.
type Tx struct {
	conn *sqlx.Conn
}

// InTx runs fn in a transaction: it commits when fn returns nil and rolls back
// when fn returns an error or panics (and the panic goes on).
func (db *DB) InTx(ctx context.Context, fn func(tx *Tx) error) (err error) {
	conn, err := db.Connx(ctx)
	if err != nil {
		return fmt.Errorf("store: %w", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "BEGIN TRANSACTION"); err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	committed := false
	defer func() {
		if committed {
			return
		}
		// Roll back on a fresh context: the caller's may be what was cancelled.
		if _, rbErr := conn.ExecContext(context.Background(), "ROLLBACK"); rbErr != nil && err != nil {
			err = errors.Join(err, fmt.Errorf("store: rollback: %w", rbErr))
		}
	}()
	if err := fn(&Tx{conn: conn}); err != nil {
		return err
	}
	if _, err := conn.ExecContext(ctx, "COMMIT"); err != nil {
		return fmt.Errorf("store: commit: %w", err)
	}
	committed = true
	return nil
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

// Appender bulk-loads rows into table within the transaction. Close it (which
// flushes) before the transaction ends.
type Appender struct {
	a     *duckdb.Appender
	table string
	rows  int64
	buf   []driver.Value
}

// Appender opens DuckDB's Appender on table, on the transaction's connection.
func (tx *Tx) Appender(table string) (*Appender, error) {
	var app *duckdb.Appender
	err := tx.conn.Raw(func(dc any) error {
		c, ok := dc.(driver.Conn)
		if !ok {
			return fmt.Errorf("not a driver connection: %T", dc)
		}
		var err error
		app, err = duckdb.NewAppenderFromConn(c, "", table)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("store: appender %s: %w", table, err)
	}
	return &Appender{a: app, table: table}, nil
}

// AppendRow adds one row; values follow the table's columns. nil is NULL.
func (a *Appender) AppendRow(values ...any) error {
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

// Flush writes the buffered rows into the table (still inside the transaction).
func (a *Appender) Flush() error {
	if err := a.a.Flush(); err != nil {
		return fmt.Errorf("store: flush %s: %w", a.table, err)
	}
	return nil
}

// Close flushes and releases the Appender.
func (a *Appender) Close() error {
	if err := a.a.Close(); err != nil {
		return fmt.Errorf("store: close appender %s: %w", a.table, err)
	}
	return nil
}
