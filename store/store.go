// Package store is the one place that opens DuckDB. It owns the connection
// settings pinned on every connection (time zone, threads, memory limit, and the
// sandbox of read-only readers), the pipeline's own bookkeeping and raw tables
// (embedded, numbered migrations, applied idempotently), transactions that mix
// statements with DuckDB's Appender for bulk loads, and the message a user sees
// when another process holds the database.
//
// It holds no business logic: what the numbers mean lives in the SQL models that
// transform runs, and what a ward file means lives in ingest.
//
// DuckDB allows one read-write process or many read-only ones, never both, so the
// pipeline's database has one writer and every reader opens the published
// snapshot read-only. The ICU extension is linked statically into duckdb-go's
// bindings, so TimeZone works without a network.
package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/duckdb/duckdb-go/v2"
	"github.com/jmoiron/sqlx"

	"github.com/hoctap/hoctap/config"
)

// Options are the settings pinned on every connection.
type Options struct {
	Threads     int
	MemoryLimit string // DuckDB syntax: "4GB"
	TimeZone    string // IANA name; TIMESTAMPTZ values are shown and cast in it
	// ReadOnly opens the file read-only: many processes may do so at once.
	ReadOnly bool
	// Sandbox disables every access outside the database (files, COPY, ATTACH,
	// INSTALL, extensions) and locks the configuration, for ad-hoc queries.
	Sandbox bool
}

// OptionsFrom takes the settings of a pipeline configuration.
func OptionsFrom(cfg *config.Config) Options {
	return Options{Threads: cfg.Database.Threads, MemoryLimit: cfg.Database.MemoryLimit, TimeZone: cfg.City.TimeZone}
}

// DB is an open DuckDB database.
type DB struct {
	*sqlx.DB
	Path      string
	connector *duckdb.Connector
}

// ErrLocked is matched by a *LockedError.
var ErrLocked = errors.New("database is locked by another process")

// LockedError says which process holds the database.
type LockedError struct {
	Path    string
	PID     int    // 0 when DuckDB did not say
	Program string // the holding program, when DuckDB said
}

func (e *LockedError) Error() string {
	who := "another process"
	if e.PID > 0 {
		who = fmt.Sprintf("PID %d", e.PID)
		if e.Program != "" {
			who += fmt.Sprintf(" (%s)", filepath.Base(e.Program))
		}
	}
	return fmt.Sprintf("cơ sở dữ liệu đang được dùng — the database %s is in use by %s: is \"hoctap serve\" or another hoctap job running? "+
		"Stop it or wait for its job to finish; readers use the published snapshot instead", e.Path, who)
}

func (e *LockedError) Unwrap() error { return ErrLocked }

var lockHolder = regexp.MustCompile(`Conflicting lock is held in (.*?) \(PID (\d+)\)`)

// Open opens (and for read-write, creates) the database at path with opt pinned
// on every connection of the pool.
func Open(ctx context.Context, path string, opt Options) (*DB, error) {
	if !opt.ReadOnly {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return nil, fmt.Errorf("store: open %s: %w", path, err)
		}
	}
	dsn := path
	if opt.ReadOnly {
		dsn += "?access_mode=READ_ONLY"
	}
	settings := initSettings(opt)
	connector, err := duckdb.NewConnector(dsn, func(execer driver.ExecerContext) error {
		for _, s := range settings {
			if _, err := execer.ExecContext(context.Background(), s, nil); err != nil {
				return fmt.Errorf("%s: %w", s, err)
			}
		}
		return nil
	})
	if err != nil {
		return nil, openError(path, err)
	}
	db := sqlx.NewDb(sql.OpenDB(connector), "duckdb")
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		connector.Close()
		return nil, openError(path, err)
	}
	return &DB{DB: db, Path: path, connector: connector}, nil
}

// initSettings are run on each new connection, in order.
func initSettings(opt Options) []string {
	var s []string
	if opt.TimeZone != "" {
		s = append(s, "SET TimeZone = "+literal(opt.TimeZone))
	}
	if opt.Threads > 0 {
		s = append(s, "SET threads = "+strconv.Itoa(opt.Threads))
	}
	if opt.MemoryLimit != "" {
		s = append(s, "SET memory_limit = "+literal(opt.MemoryLimit))
	}
	s = append(s, "SET enable_progress_bar = false")
	if opt.Sandbox {
		s = append(s,
			"SET enable_external_access = false",
			"SET autoinstall_known_extensions = false",
			"SET autoload_known_extensions = false",
			"SET lock_configuration = true")
	}
	return s
}

func openError(path string, err error) error {
	if m := lockHolder.FindStringSubmatch(err.Error()); m != nil {
		pid, _ := strconv.Atoi(m[2])
		return &LockedError{Path: path, PID: pid, Program: m[1]}
	}
	if strings.Contains(err.Error(), "Could not set lock") {
		return &LockedError{Path: path}
	}
	return fmt.Errorf("store: open %s: %w", path, err)
}

// Close closes the pool and the database.
func (db *DB) Close() error {
	err := db.DB.Close()
	if cerr := db.connector.Close(); err == nil {
		err = cerr
	}
	return err
}

func literal(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }
