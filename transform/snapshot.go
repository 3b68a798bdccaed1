package transform

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/jmoiron/sqlx"

	"github.com/hoctap/hoctap/store"
)

// build is the snapshot being made: a new DuckDB file beside the published
// one, attached to the pipeline's database as snapshotAlias on one dedicated
// connection. The models are written straight into it (each table is written
// once, compressed once: copying finished tables into a new file cost as much
// as computing them), and the connection's search path reads the snapshot
// first, then the pipeline's database, so a model's unqualified names find the
// models made before it and the raw, configuration and bookkeeping tables.
// Publish adds the configuration and bookkeeping tables and renames the file
// over the published one; close drops an unpublished file.
type build struct {
	conn      *sqlx.Conn
	path, tmp string
	main      string // the pipeline's database, as a catalog
	attached  bool
	// models are the tables written into the snapshot so far.
	models map[string]bool
	// wardSets are the sets of wards that logins are limited to, each
	// published in a snapshot of its own at wardPath(set) (see wards.go),
	// in the folder wardFolder.
	wardSets   [][]string
	wardPath   func([]string) string
	wardFolder string
	// delta: the build is an incremental run's, with the changed people's
	// tables in the schema snapshot.delta; people is how many they are.
	delta  bool
	people int64
	// keepOld are the models incremental by citizen_id that a model of
	// sums reads: merging them keeps the changed people's rows as they were
	// in the schema snapshot.old, where the sums find what to take off.
	keepOld map[string]bool
}

// snapshotAlias names the snapshot being built within the pipeline's database.
const snapshotAlias = "snapshot"

// storageVersion is the storage format of the snapshot: DuckDB 1.5's own, which
// any DuckDB 1.5 client reads, instead of the default that DuckDB 0.10 can still
// read. Its string compression (DICT_FSST) writes a third faster: at a
// million citizens, citizen_status_monthly's 9M rows take 12.4 s of CPU
// instead of 18.5 s.
const storageVersion = "v1.5.0"

// newBuild attaches a new, empty snapshot file beside path.
func newBuild(ctx context.Context, db *store.DB, path string) (*build, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("snapshot: %w", err)
	}
	if err := removeFiles(path+".new", path+".new.wal"); err != nil {
		return nil, fmt.Errorf("snapshot: %w", err)
	}
	return attachBuild(ctx, db, path, true)
}

// attachBuild attaches the file beside path as the build: new and empty
// (fresh), or a copy of the published snapshot already there (see
// resumeBuild), which is removed when it cannot be attached.
func attachBuild(ctx context.Context, db *store.DB, path string, fresh bool) (*build, error) {
	b := &build{path: path, tmp: path + ".new", models: map[string]bool{}}
	fail := func(err error) (*build, error) {
		b.close()
		if !fresh {
			_ = removeFiles(b.tmp, b.tmp+".wal")
		}
		return nil, fmt.Errorf("snapshot: %w", err)
	}
	conn, err := db.Connx(ctx)
	if err != nil {
		if !fresh {
			_ = removeFiles(b.tmp, b.tmp+".wal")
		}
		return nil, fmt.Errorf("snapshot: %w", err)
	}
	b.conn = conn
	if err := conn.GetContext(ctx, &b.main, "SELECT current_database()"); err != nil {
		return fail(err)
	}
	attach := fmt.Sprintf("ATTACH %s AS %s", store.Literal(b.tmp), snapshotAlias)
	if fresh {
		attach += fmt.Sprintf(" (STORAGE_VERSION %s)", store.Literal(storageVersion))
	}
	if _, err := conn.ExecContext(ctx, attach); err != nil {
		return fail(err)
	}
	b.attached = true
	// Row order carries no meaning in a model's table: letting DuckDB write
	// in parallel without keeping it is faster.
	for _, s := range []string{
		fmt.Sprintf("SET search_path = %s", store.Literal(store.Ident(snapshotAlias)+".main,"+store.Ident(b.main)+".main")),
		"SET preserve_insertion_order = false",
	} {
		if _, err := conn.ExecContext(ctx, s); err != nil {
			return fail(fmt.Errorf("%s: %w", s, err))
		}
	}
	return b, nil
}

// inTx runs fn in one transaction on the build's connection.
func (b *build) inTx(ctx context.Context, fn func() error) error {
	if _, err := b.conn.ExecContext(ctx, "BEGIN TRANSACTION"); err != nil {
		return err
	}
	if err := fn(); err != nil {
		_, _ = b.conn.ExecContext(context.Background(), "ROLLBACK")
		return err
	}
	_, err := b.conn.ExecContext(ctx, "COMMIT")
	return err
}

// exec runs stmts one after the other on the build's connection; an error
// names the statement that failed.
func (b *build) exec(ctx context.Context, stmts ...string) error {
	for _, s := range stmts {
		if _, err := b.conn.ExecContext(ctx, s); err != nil {
			return fmt.Errorf("%s: %w", s, err)
		}
	}
	return nil
}

// publish copies into the snapshot every table of the pipeline's database that
// readers need and no model wrote — the configuration tables and the
// pipeline's bookkeeping, with their comments; raw rows stay behind — then
// checkpoints it, detaches it and renames it over the published file. A reader
// that opened the old file keeps reading it; the next reader opens the new
// one; nobody ever sees half a refresh.
func (b *build) publish(ctx context.Context) error {
	var tables []struct {
		Name    string  `db:"table_name"`
		Comment *string `db:"comment"`
	}
	if err := b.conn.SelectContext(ctx, &tables, `
		SELECT table_name, comment FROM duckdb_tables()
		WHERE database_name = ? AND schema_name = 'main'
		  AND table_name NOT LIKE 'raw\_%' ESCAPE '\' AND table_name <> 'schema_version'
		ORDER BY table_name`, b.main); err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	var cols []struct {
		Table   string  `db:"table_name"`
		Column  string  `db:"column_name"`
		Comment *string `db:"comment"`
	}
	if err := b.conn.SelectContext(ctx, &cols, `
		SELECT table_name, column_name, comment FROM duckdb_columns()
		WHERE database_name = ? AND schema_name = 'main' AND comment IS NOT NULL AND comment <> ''`, b.main); err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	var stmts []string
	copied := map[string]bool{}
	for _, t := range tables {
		if b.models[t.Name] {
			continue
		}
		copied[t.Name] = true
		stmts = append(stmts, fmt.Sprintf("CREATE TABLE %s.%s AS SELECT * FROM %s.main.%s", snapshotAlias, store.Ident(t.Name), store.Ident(b.main), store.Ident(t.Name)))
		if t.Comment != nil && *t.Comment != "" {
			stmts = append(stmts, fmt.Sprintf("COMMENT ON TABLE %s.%s IS %s", snapshotAlias, store.Ident(t.Name), store.Literal(*t.Comment)))
		}
	}
	for _, c := range cols {
		if copied[c.Table] {
			stmts = append(stmts, fmt.Sprintf("COMMENT ON COLUMN %s.%s.%s IS %s", snapshotAlias, store.Ident(c.Table), store.Ident(c.Column), store.Literal(*c.Comment)))
		}
	}
	if err := b.inTx(ctx, func() error { return b.exec(ctx, stmts...) }); err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	if err := b.exec(ctx, "CHECKPOINT "+snapshotAlias, "RESET search_path", "DETACH "+snapshotAlias); err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	b.attached = false
	if err := syncFile(b.tmp); err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	// The ward snapshots are made from the new snapshot and published just
	// before it.
	wards, err := b.writeWardSnapshots(ctx)
	if err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	if err := publishWardSnapshots(wards, b.wardFolder); err != nil {
		removeWardFiles(wards)
		return fmt.Errorf("publish: ward snapshots: %w", err)
	}
	if err := os.Rename(b.tmp, b.path); err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	return syncFile(filepath.Dir(b.path))
}

// close detaches the snapshot and removes its file if it was not published,
// and hands the connection back with its settings reset.
func (b *build) close() {
	ctx := context.Background()
	_, _ = b.conn.ExecContext(ctx, "RESET search_path")
	_, _ = b.conn.ExecContext(ctx, "RESET preserve_insertion_order")
	if b.attached {
		_, _ = b.conn.ExecContext(ctx, "DETACH "+snapshotAlias)
		b.attached = false
		_ = removeFiles(b.tmp, b.tmp+".wal")
	}
	_ = b.conn.Close()
}

func removeFiles(paths ...string) error {
	for _, p := range paths {
		if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	return nil
}

func syncFile(p string) error {
	f, err := os.Open(p)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}
