package transform

import (
	"context"
	_ "embed"
	"fmt"
	"io/fs"
	"time"

	"github.com/hoctap/hoctap/config"
	"github.com/hoctap/hoctap/store"
)

//go:embed asof.sql
var asofSQL string

// AsOf builds at path a snapshot of the models as they were at cutoff: from
// the files received before it only, each with the status it had then (a
// file superseded by a later one still counts), so that a month's report
// states only what was known by its reporting deadline. It is what Run
// publishes, but for the files received since; the data tests run on it too.
// The file at path is replaced; nothing of the pipeline's database changes
// but its configuration tables, remade from cfg.
func AsOf(ctx context.Context, db *store.DB, cfg *config.Config, sqlFS fs.FS, cutoff time.Time, path string) (*Result, error) {
	asOf := func(err error) error { return fmt.Errorf("as of %s: %w", cutoff.Format(time.RFC3339), err) }
	return runPass(ctx, db, cfg, sqlFS, pass{
		path: path,
		before: func(ctx context.Context, b *build) error {
			if err := b.filesAsOf(ctx, cutoff); err != nil {
				return asOf(err)
			}
			return nil
		},
		step: func(kind string, _ Step, err error) error {
			if err != nil && kind == "model" {
				return asOf(err)
			}
			return err
		},
		after: func(ctx context.Context, b *build) error { return b.dropRaw(ctx) },
	})
}

// filesAsOf writes into the build the bookkeeping of files as it stood at
// cutoff (asof.sql) and, of every raw table and every other table of the
// files' rows, the rows of those files only: the models then read these
// instead of the pipeline's own (the build's search path reads it first).
func (b *build) filesAsOf(ctx context.Context, cutoff time.Time) error {
	var tables []string
	if err := b.conn.SelectContext(ctx, &tables, `
		SELECT table_name FROM duckdb_columns()
		WHERE database_name = ? AND schema_name = 'main' AND column_name = 'file_id'
		  AND table_name NOT IN ('ingest_files', 'ingest_file_tables')
		  AND (table_name LIKE 'raw\_%' ESCAPE '\' OR table_name LIKE 'ingest\_%' ESCAPE '\')
		ORDER BY table_name`, b.main); err != nil {
		return err
	}
	return b.inTx(ctx, func() error {
		if _, err := b.conn.ExecContext(ctx, "CREATE TABLE "+snapshotAlias+".asof_cutoff (cutoff TIMESTAMPTZ NOT NULL)"); err != nil {
			return err
		}
		if _, err := b.conn.ExecContext(ctx, "INSERT INTO "+snapshotAlias+".asof_cutoff VALUES (?)", cutoff); err != nil {
			return err
		}
		b.models["asof_cutoff"] = true
		for _, stmt := range store.Statements(asofSQL) {
			if _, err := b.conn.ExecContext(ctx, stmt); err != nil {
				return fmt.Errorf("asof.sql: %w", err)
			}
		}
		b.models["ingest_files"], b.models["ingest_file_tables"] = true, true
		for _, t := range tables {
			q := fmt.Sprintf("CREATE TABLE %s.%s AS SELECT * FROM %s.main.%s x SEMI JOIN %s.ingest_files f ON f.file_id = x.file_id",
				snapshotAlias, store.Ident(t), store.Ident(b.main), store.Ident(t), snapshotAlias)
			if _, err := b.conn.ExecContext(ctx, q); err != nil {
				return fmt.Errorf("%s: %w", t, err)
			}
			b.models[t] = true
		}
		return nil
	})
}

// dropRaw drops the raw tables' copies once the models are made: readers
// of a snapshot never read raw rows.
func (b *build) dropRaw(ctx context.Context) error {
	var tables []string
	if err := b.conn.SelectContext(ctx, &tables, `
		SELECT table_name FROM duckdb_tables()
		WHERE database_name = ? AND schema_name = 'main' AND table_name LIKE 'raw\_%' ESCAPE '\'`, snapshotAlias); err != nil {
		return err
	}
	for _, t := range tables {
		if _, err := b.conn.ExecContext(ctx, fmt.Sprintf("DROP TABLE %s.%s", snapshotAlias, store.Ident(t))); err != nil {
			return err
		}
	}
	return nil
}
