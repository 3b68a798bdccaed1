// Package store is the one place that opens DuckDB. It owns:
//
//   - opening a database file with its settings pinned (Open, Options);
//   - the message a user sees when another process holds the file (LockedError);
//   - the pipeline's own bookkeeping and raw tables, as embedded, numbered
//     migrations applied idempotently and recorded in schema_version (Migrate);
//   - transactions that mix statements with DuckDB's Appender for bulk loads on
//     one connection (InTx, Tx, Appender).
//
// It holds no business logic and does not log: what the numbers mean lives in the
// SQL models (sql/*.sql) that transform runs, and what a ward file means lives in
// ingest. It does not publish snapshots either; transform does.
//
// # Pinned settings
//
// Settings that belong to the database as a whole (access_mode, threads,
// memory_limit, autoinstall_known_extensions = false and, for a sandbox,
// enable_external_access = false and autoload_known_extensions = false) are
// passed in the DSN, so DuckDB applies them when it creates the database. The
// city's TimeZone cannot be passed that way (DuckDB refuses it before ICU is
// loaded), so each new connection runs SET GLOBAL TimeZone, SET GLOBAL
// max_temp_directory_size (which DuckDB 1.5 takes from the DSN but does not
// enforce) and SET enable_progress_bar = false before database/sql hands it
// out. A sandbox then runs SET GLOBAL lock_configuration = true once; its
// later connections inherit the global values and run nothing, because a
// locked configuration refuses every SET. Extensions are never downloaded:
// there is no network where the pipeline runs, and a query that needs a
// missing extension fails at once instead of waiting for a download.
//
// # Time zones
//
// The ICU extension is linked statically into duckdb-go's bindings (linux-amd64
// and the other platforms, DuckDB 1.5.6), as are core_functions, json, parquet
// and autocomplete; `SELECT extension_name, install_mode FROM duckdb_extensions()`
// shows STATICALLY_LINKED. So TIMESTAMPTZ, SET TimeZone and AT TIME ZONE work
// without INSTALL: TIMESTAMPTZ values are shown, cast and truncated in the
// city's zone, and reach Go as time.Time instants. The excel, spatial and httpfs
// extensions are not there.
//
// # One writer, many readers
//
// DuckDB allows one read-write process or many read-only ones on a file, never
// both: the pipeline's database has one writer, and every reader opens the
// published snapshot with ReadOnly. DuckDB also keeps one instance per file per
// process: while a handle on a path is open, a new Open of the same path in the
// same process shares it, and sees the file as it was when first opened. A
// reader must close every handle on the snapshot to see a newly published one.
package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/duckdb/duckdb-go/v2"
	"github.com/jmoiron/sqlx"

	"github.com/hoctap/hoctap/config"
)

// Options are the settings pinned on every connection.
type Options struct {
	Threads     int    // 0: DuckDB's default, one per core
	MemoryLimit string // DuckDB syntax: "4GB"; "": DuckDB's default, 80% of RAM
	// MaxTempSize caps the files DuckDB spills to when a query outgrows its
	// memory (max_temp_directory_size, DuckDB syntax); "": DuckDB's default,
	// 90% of the free disk.
	MaxTempSize string
	TimeZone    string // IANA name; TIMESTAMPTZ values are shown and cast in it
	// ReadOnly opens the file read-only: many processes may do so at once.
	ReadOnly bool
	// Sandbox disables every access outside the database (files, COPY, ATTACH,
	// INSTALL, extensions) and locks the configuration, for ad-hoc queries.
	Sandbox bool
}

// OptionsFrom takes the settings of a pipeline configuration (read-write, no
// sandbox).
func OptionsFrom(cfg *config.Config) Options {
	return Options{Threads: cfg.Database.Threads, MemoryLimit: cfg.Database.MemoryLimit, TimeZone: cfg.City.TimeZone}
}

// DB is an open DuckDB database.
type DB struct {
	*sqlx.DB
	Path      string
	connector *duckdb.Connector
	release   func() // after Close, when set (Snapshot.Read)
}

// ErrLocked is matched by a *LockedError.
var ErrLocked = errors.New("store: database is locked by another process")

// LockedError says which process holds the database.
type LockedError struct {
	Path    string
	PID     int    // 0 when DuckDB did not say
	Program string // the holding program's executable, when DuckDB said
	// Command is the holder's command line ("hoctap serve --config …"), when
	// the system shows it (Linux /proc) and it is the program DuckDB named.
	Command string
}

func (e *LockedError) Error() string {
	who := "another process"
	if e.PID > 0 {
		who = fmt.Sprintf("PID %d", e.PID)
		switch {
		case e.Command != "":
			who += fmt.Sprintf(" (%s)", e.Command)
		case e.Program != "":
			who += fmt.Sprintf(" (%s)", filepath.Base(e.Program))
		}
	}
	return fmt.Sprintf("the database %s is in use by %s — is \"hoctap serve\" running? "+
		"Stop it or wait for its job to finish; readers use the published snapshot instead", e.Path, who)
}

func (e *LockedError) Unwrap() error { return ErrLocked }

// DuckDB 1.5: `IO Error: Could not set lock on file "…": Conflicting lock is
// held in /usr/local/bin/hoctap (PID 12345) by user root. See also …`
var lockHolder = regexp.MustCompile(`Conflicting lock is held in (.*?) \(PID (\d+)\)`)

// Open opens (and for read-write, creates, with its folder) the database at
// path with opt pinned on every connection of the pool.
func Open(ctx context.Context, path string, opt Options) (*DB, error) {
	if strings.Contains(path, "?") {
		return nil, fmt.Errorf("store: open %s: a database path cannot hold '?'", path)
	}
	if !opt.ReadOnly {
		// The database holds people's names and scores: its folder and
		// files are its owner's only, also when an older hoctap made them
		// readable to others.
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return nil, fmt.Errorf("store: open %s: %w", path, err)
		}
		for _, f := range []string{path, path + ".wal"} {
			if fi, err := os.Stat(f); err == nil && fi.Mode().Perm()&0o077 != 0 {
				if err := os.Chmod(f, fi.Mode().Perm()&0o700); err != nil {
					return nil, fmt.Errorf("store: open %s: %w", path, err)
				}
			}
		}
	}
	deadline := time.Now().Add(creationWait)
	for wait := 50 * time.Millisecond; ; wait = min(2*wait, time.Second) {
		db, err := openOnce(ctx, path, opt)
		// Another process is creating the file this instant (two hoctap
		// ingest in a new workspace): DuckDB finds it there, without its
		// header yet, and calls it no database. A moment later the creator
		// holds it, and the answer is who does. On a loaded machine the
		// creator's first write can take seconds.
		if err != nil && time.Now().Before(deadline) && strings.Contains(err.Error(), "not a valid DuckDB database file") && justCreated(path) {
			select {
			case <-time.After(wait):
				continue
			case <-ctx.Done():
			}
		}
		return db, err
	}
}

// creationWait is how long Open waits for another process to finish
// creating the database file it finds without a header.
const creationWait = 30 * time.Second

func openOnce(ctx context.Context, path string, opt Options) (*DB, error) {
	connector, err := duckdb.NewConnector(path+"?"+dsnSettings(opt).Encode(), initConn(opt))
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

// justCreated reports whether the file at path was written in the last few
// seconds: a file DuckDB calls no database is being created then, and is a
// damaged one otherwise.
func justCreated(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && time.Since(fi.ModTime()) < 10*time.Second
}

// dsnSettings are the database-wide settings DuckDB takes when it creates the
// database.
func dsnSettings(opt Options) url.Values {
	v := url.Values{}
	if opt.ReadOnly {
		v.Set("access_mode", "READ_ONLY")
	}
	if opt.Threads > 0 {
		v.Set("threads", strconv.Itoa(opt.Threads))
	}
	if opt.MemoryLimit != "" {
		v.Set("memory_limit", opt.MemoryLimit)
	}
	v.Set("autoinstall_known_extensions", "false")
	if opt.Sandbox {
		v.Set("enable_external_access", "false")
		v.Set("autoload_known_extensions", "false")
	}
	return v
}

// connSettings are run on each new connection, in order, until a sandbox's
// configuration is locked.
func connSettings(opt Options) []string {
	var s []string
	if opt.TimeZone != "" {
		s = append(s, "SET GLOBAL TimeZone = "+Literal(opt.TimeZone))
	}
	if opt.MaxTempSize != "" {
		// DuckDB 1.5 shows a max_temp_directory_size given in the DSN
		// but does not enforce it; SET does.
		s = append(s, "SET GLOBAL max_temp_directory_size = "+Literal(opt.MaxTempSize))
	}
	s = append(s, "SET enable_progress_bar = false")
	if opt.Sandbox {
		s = append(s, "SET GLOBAL lock_configuration = true")
	}
	return s
}

// initConn returns the function duckdb-go runs on each new connection.
func initConn(opt Options) func(driver.ExecerContext) error {
	settings := connSettings(opt)
	var locked atomic.Bool
	return func(execer driver.ExecerContext) error {
		if locked.Load() {
			return nil // the global settings are pinned and locked; this connection has them
		}
		for _, s := range settings {
			if _, err := execer.ExecContext(context.Background(), s, nil); err != nil {
				if opt.Sandbox && strings.Contains(err.Error(), "configuration has been locked") {
					// An earlier Open of the same file in this process pinned and
					// locked the shared instance.
					break
				}
				return fmt.Errorf("%s: %w", s, err)
			}
		}
		if opt.Sandbox {
			locked.Store(true)
		}
		return nil
	}
}

func openError(path string, err error) error {
	msg := err.Error()
	if m := lockHolder.FindStringSubmatch(msg); m != nil {
		pid, _ := strconv.Atoi(m[2])
		return &LockedError{Path: path, PID: pid, Program: m[1], Command: commandLine(pid, m[1])}
	}
	if strings.Contains(msg, "Could not set lock") {
		return &LockedError{Path: path}
	}
	return fmt.Errorf("store: open %s: %w", path, err)
}

// commandLine is the command line of process pid, shortened, when the system
// shows it and its executable is program (a PID seen from another PID
// namespace, or reused since, is not named).
func commandLine(pid int, program string) string {
	proc := "/proc/" + strconv.Itoa(pid)
	if exe, err := os.Readlink(proc + "/exe"); err != nil || exe != program {
		return ""
	}
	b, err := os.ReadFile(proc + "/cmdline")
	if err != nil {
		return ""
	}
	args := strings.Split(strings.TrimRight(string(b), "\x00"), "\x00")
	if len(args) == 0 || args[0] == "" {
		return ""
	}
	args[0] = filepath.Base(args[0])
	cmd := strings.Join(args, " ")
	if r := []rune(cmd); len(r) > 80 {
		cmd = string(r[:79]) + "…"
	}
	return cmd
}

// Checkpoint moves what the write-ahead log holds into the database file, so
// that the file alone holds every committed change (before a copy of it).
func (db *DB) Checkpoint(ctx context.Context) error {
	_, err := db.ExecContext(ctx, "CHECKPOINT")
	return err
}

// Close closes the pool and the database.
func (db *DB) Close() error {
	err := db.DB.Close()
	if cerr := db.connector.Close(); err == nil {
		err = cerr
	}
	if db.release != nil {
		db.release()
		db.release = nil
	}
	return err
}
