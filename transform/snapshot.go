package transform

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/hoctap/hoctap/store"
)

// Publish writes every table readers need — the models, the configuration
// tables and the pipeline's bookkeeping, with their comments — into a new
// DuckDB file beside path, then renames it over path. A reader that opened the
// old file keeps reading it; the next reader opens the new one; nobody ever sees
// half a refresh. Raw rows stay in the pipeline's own database.
func Publish(ctx context.Context, db *store.DB, path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	tmp := path + ".new"
	for _, p := range []string{tmp, tmp + ".wal"} {
		if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("publish: %w", err)
		}
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, fmt.Sprintf("ATTACH %s AS snapshot", quote(tmp))); err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	attached := true
	defer func() {
		_, _ = conn.ExecContext(context.Background(), "RESET preserve_insertion_order")
		if attached {
			_, _ = conn.ExecContext(context.Background(), "DETACH snapshot")
			_ = os.Remove(tmp)
		}
	}()
	var tables []struct {
		Name    string  `db:"table_name"`
		Comment *string `db:"comment"`
	}
	if err := db.SelectContext(ctx, &tables, `
		SELECT table_name, comment FROM duckdb_tables()
		WHERE database_name = current_database() AND schema_name = 'main'
		  AND table_name NOT LIKE 'raw\_%' ESCAPE '\' AND table_name <> 'schema_version'
		ORDER BY table_name`); err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	var cols []struct {
		Table   string  `db:"table_name"`
		Column  string  `db:"column_name"`
		Comment *string `db:"comment"`
	}
	if err := db.SelectContext(ctx, &cols, `
		SELECT table_name, column_name, comment FROM duckdb_columns()
		WHERE database_name = current_database() AND schema_name = 'main' AND comment IS NOT NULL AND comment <> ''`); err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	// Row order carries no meaning in the snapshot: letting DuckDB copy in
	// parallel without keeping it is faster.
	stmts := []string{"SET preserve_insertion_order = false", "BEGIN TRANSACTION"}
	published := map[string]bool{}
	for _, t := range tables {
		published[t.Name] = true
		stmts = append(stmts, fmt.Sprintf("CREATE TABLE snapshot.%s AS SELECT * FROM main.%s", ident(t.Name), ident(t.Name)))
		if t.Comment != nil && *t.Comment != "" {
			stmts = append(stmts, fmt.Sprintf("COMMENT ON TABLE snapshot.%s IS %s", ident(t.Name), quote(*t.Comment)))
		}
	}
	for _, c := range cols {
		if published[c.Table] {
			stmts = append(stmts, fmt.Sprintf("COMMENT ON COLUMN snapshot.%s.%s IS %s", ident(c.Table), ident(c.Column), quote(*c.Comment)))
		}
	}
	stmts = append(stmts, "COMMIT", "CHECKPOINT snapshot")
	for _, s := range stmts {
		if _, err := conn.ExecContext(ctx, s); err != nil {
			_, _ = conn.ExecContext(context.Background(), "ROLLBACK")
			return fmt.Errorf("publish: %s: %w", s, err)
		}
	}
	if _, err := conn.ExecContext(ctx, "DETACH snapshot"); err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	attached = false
	if err := syncFile(tmp); err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	return syncFile(filepath.Dir(path))
}

func syncFile(p string) error {
	f, err := os.Open(p)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}

// quote makes s a SQL string literal.
func quote(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// ident makes s a SQL identifier.
func ident(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }
