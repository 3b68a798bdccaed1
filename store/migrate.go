package store

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
)

//go:embed migrations/*.sql
var migrations embed.FS

// checkpointAfterMigrate is turned off by a test that needs the migrations'
// DDL left in the write-ahead log.
var checkpointAfterMigrate = true

// migration is one embedded migrations/NNN_name.sql file.
type migration struct {
	version int
	name    string // file name, recorded in schema_version
	path    string
}

// migrationFiles lists the embedded migrations in order. Their numbers must be
// unique: two files of one number (a merge of two branches) are refused.
func migrationFiles() ([]migration, error) {
	paths, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	var ms []migration
	seen := map[int]string{}
	for _, p := range paths {
		base := strings.TrimPrefix(p, "migrations/")
		num, _, ok := strings.Cut(base, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("store: migration %s: its name must start with a positive number and _", base)
		}
		if other, dup := seen[v]; dup {
			return nil, fmt.Errorf("store: migrations %s and %s have the same number", other, base)
		}
		seen[v] = base
		ms = append(ms, migration{version: v, name: base, path: p})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	return ms, nil
}

// Migrate applies, in order, every embedded migration not applied yet, each in
// its own transaction with its record in schema_version, then checkpoints.
// Running it again does nothing. A database that a newer hoctap migrated
// further is refused rather than written with an older idea of its tables.
//
// A migration adds a new numbered file and never edits an applied one. Its
// column defaults are constants only (no nextval, no current_timestamp): DuckDB
// 1.5 cannot replay an ALTER of a table whose default calls a function (see
// 004_bookkeeping_comments.sql), and TestMigrationsSurviveACrash checks it.
func (db *DB) Migrate(ctx context.Context) error {
	ms, err := migrationFiles()
	if err != nil {
		return err
	}
	return db.migrate(ctx, ms)
}

// migrate applies ms, the known migrations in order.
func (db *DB) migrate(ctx context.Context, ms []migration) error {
	// No default calls a function: see migrations/004_bookkeeping_comments.sql.
	if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_version (
		version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMPTZ NOT NULL)`); err != nil {
		return fmt.Errorf("store: migrate: %w", err)
	}
	var applied []int
	if err := db.SelectContext(ctx, &applied, "SELECT version FROM schema_version"); err != nil {
		return fmt.Errorf("store: migrate: %w", err)
	}
	done := map[int]bool{}
	for _, v := range applied {
		done[v] = true
	}
	if len(applied) > 0 {
		latest := ms[len(ms)-1].version
		for _, v := range applied {
			if v > latest {
				return fmt.Errorf("store: migrate %s: the database is at schema version %d, this program knows versions up to %d: use a newer hoctap", db.Path, v, latest)
			}
		}
	}
	newly := 0
	for _, m := range ms {
		if done[m.version] {
			continue
		}
		body, err := migrations.ReadFile(m.path)
		if err != nil {
			return err
		}
		err = db.InTx(ctx, func(tx *Tx) error {
			for _, stmt := range Statements(string(body)) {
				if _, err := tx.ExecContext(ctx, stmt); err != nil {
					return fmt.Errorf("%s: %w", firstLine(stmt), err)
				}
			}
			_, err := tx.ExecContext(ctx, "INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, current_timestamp)", m.version, m.name)
			return err
		})
		if err != nil {
			return fmt.Errorf("store: migration %s: %w", m.name, err)
		}
		newly++
	}
	if newly > 0 && checkpointAfterMigrate {
		// Move the new DDL from the write-ahead log into the file at once:
		// DuckDB replays some DDL badly after a crash. Best effort: the
		// migrations are committed whether or not this succeeds.
		_ = db.Checkpoint(ctx)
	}
	return nil
}

// Statements splits a trusted SQL script (the project's own .sql files:
// migrations, the configuration's tables, test fixtures) into statements at
// the semicolons that end a line, dropping comment-only parts. It is not a
// parser and need not be one: those files are written so, and a statement
// that fails is named by its first line. Text that is not the project's own
// is judged by DuckDB's parser (Parse), which serializes SELECT statements
// only, so it cannot split a script of DDL; duckdb-go keeps DuckDB's
// statement extraction to itself.
func Statements(script string) []string {
	var out []string
	var cur strings.Builder
	flush := func() {
		s := strings.TrimSpace(cur.String())
		cur.Reset()
		if s == "" {
			return
		}
		for _, l := range strings.Split(s, "\n") {
			if t := strings.TrimSpace(l); t != "" && !strings.HasPrefix(t, "--") {
				out = append(out, s)
				return
			}
		}
	}
	for _, line := range strings.SplitAfter(script, "\n") {
		code, _, _ := strings.Cut(line, "--")
		if strings.HasSuffix(strings.TrimSpace(code), ";") {
			cur.WriteString(strings.TrimSuffix(strings.TrimRight(code, " \t\r\n"), ";"))
			flush()
			continue
		}
		cur.WriteString(line)
	}
	flush()
	return out
}

func firstLine(s string) string {
	for _, l := range strings.Split(s, "\n") {
		if t := strings.TrimSpace(l); t != "" && !strings.HasPrefix(t, "--") {
			return t
		}
	}
	return s
}
