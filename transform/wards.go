package transform

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/hoctap/hoctap/store"
)

// A ward snapshot is what the SQL console of a login limited to some wards
// reads (server.auth.users[].wards): a DuckDB file of its own, written at
// each publication beside the published snapshot (config.Paths.WardSnapshot),
// that holds only those wards' rows. It is a copy and not a view: a view
// filtered by a variable or a setting is bypassed by whoever can change it
// (SET VARIABLE still works after lock_configuration), and a file holding
// other wards' rows can be read by anyone who finds a way to read it. What is
// not in the file cannot leak from it.
//
// Which rows a table keeps is decided by the columns that tie a row to a
// ward, the keys:
//
//	ward        the row's ward code
//	citizen_id  a registrant: the ward of their row in citizens
//	unit_code   a unit: the ward of its row in units
//	file_id     a received file: the ward of its row in ingest_files, or,
//	            for a row another key ties to a ward, a ward whose table the
//	            file holds (a city's file holds several wards' tables)
//
// A row is kept when at least one of its keys is set and every key that is
// set belongs to one of the wards: a ward's own people, units, files and
// figures; never a row of another ward, never a city-wide row (progress at
// the city or group level, where ward is empty), never a committee message
// of the outbox. A table with none of these columns is a city-level figure
// or the pipeline's own record (goal_progress, metrics_monthly,
// milestone_status_monthly, indicator_stats_monthly, indicator_sums_monthly,
// job_runs, model_runs, reports): it is left out — a ward's share of a city-wide aggregate is not
// its own, and the runs' errors can name other wards' files — unless it is
// configuration (cfg_*, the programme as pipeline.yaml describes it, which
// names no person). This decides for tables added later too: a new model
// with a ward column is filtered, one without is left out until it has one.
//
// The file's table snapshot_scope says, for each table of the published
// snapshot, whether it was kept, by which keys, and how many rows it kept.
type wardKey struct {
	column string
	// in is the rows of the wards, as a condition on column: {wards} is
	// the list of wards, {full} the full snapshot's catalog.
	in string
	// needs is the table in names, which the full snapshot must have.
	needs string
}

var wardKeys = []wardKey{
	{"ward", "ward IN ({wards})", ""},
	{"citizen_id", "citizen_id IN (SELECT citizen_id FROM temp.main.ward_citizens)", "citizens"},
	{"unit_code", "unit_code IN (SELECT unit_code FROM temp.main.ward_units)", "units"},
	{"file_id", "file_id IN (SELECT file_id FROM temp.main.ward_files)", "ingest_files"},
}

// fileOfWards is the file_id condition of a row that another key already
// ties to a ward: a city's file (ingest_files.ward empty) holds several
// wards' rows, one table per ward (ingest_file_tables), so the row passes
// when its file is one of the wards' or holds one of their tables. A row
// whose only key is its file (a problem found in it) passes only when the
// file is one of the wards' own: a city file's problems quote any ward's rows.
const fileOfWards = "file_id IN (SELECT file_id FROM temp.main.ward_file_tables)"

// wardKeyTables are the keys of a set of wards, found once per set (the
// tables its snapshot's filters read), as temporary tables.
var wardKeyTables = []struct{ name, needs, query string }{
	{"ward_citizens", "citizens", "SELECT DISTINCT citizen_id FROM {full}.main.citizens WHERE ward IN ({wards})"},
	{"ward_units", "units", "SELECT DISTINCT unit_code FROM {full}.main.units WHERE ward IN ({wards})"},
	{"ward_files", "ingest_files", "SELECT DISTINCT file_id FROM {full}.main.ingest_files WHERE ward IN ({wards})"},
	{"ward_file_tables", "ingest_file_tables", "SELECT file_id FROM {full}.main.ingest_files WHERE ward IN ({wards}) " +
		"UNION SELECT file_id FROM {full}.main.ingest_file_tables WHERE ward IN ({wards})"},
}

// The catalogs of the published snapshot and of a ward snapshot being made.
const (
	fullAlias = "published_full"
	wardAlias = "ward_snapshot"
)

// wardFile is a ward snapshot written beside its final path.
type wardFile struct{ tmp, path string }

// writeWardSnapshots writes a snapshot for each set of wards from the
// snapshot file b.tmp (already detached): each to its path plus ".new", for
// publish to rename.
func (b *build) writeWardSnapshots(ctx context.Context) ([]wardFile, error) {
	if len(b.wardSets) == 0 {
		return nil, nil
	}
	if _, err := b.conn.ExecContext(ctx, fmt.Sprintf("ATTACH %s AS %s (READ_ONLY)", store.Literal(b.tmp), fullAlias)); err != nil {
		return nil, fmt.Errorf("ward snapshots: %w", err)
	}
	defer b.conn.ExecContext(context.Background(), "DETACH "+fullAlias)
	tables, err := b.fullTables(ctx)
	if err != nil {
		return nil, fmt.Errorf("ward snapshots: %w", err)
	}
	var files []wardFile
	for _, set := range b.wardSets {
		f := wardFile{path: b.wardPath(set)}
		f.tmp = f.path + ".new"
		files = append(files, f)
		if err := b.writeWardSnapshot(ctx, tables, set, f.tmp); err != nil {
			removeWardFiles(files)
			return nil, fmt.Errorf("ward snapshot %s: %w", strings.Join(set, "+"), err)
		}
	}
	return files, nil
}

// fullTable is a table of the published snapshot, with its columns and comments.
type fullTable struct {
	Name     string
	Comment  string
	Columns  []string
	Comments map[string]string
}

func (b *build) fullTables(ctx context.Context) ([]fullTable, error) {
	var cols []struct {
		Table         string  `db:"table_name"`
		TableComment  *string `db:"table_comment"`
		Column        string  `db:"column_name"`
		ColumnComment *string `db:"column_comment"`
	}
	if err := b.conn.SelectContext(ctx, &cols, `
		SELECT t.table_name, t.comment AS table_comment, c.column_name, c.comment AS column_comment
		FROM duckdb_tables() t JOIN duckdb_columns() c USING (database_name, schema_name, table_name)
		WHERE t.database_name = ? AND t.schema_name = 'main'
		ORDER BY t.table_name, c.column_index`, fullAlias); err != nil {
		return nil, err
	}
	var tables []fullTable
	for _, c := range cols {
		if n := len(tables); n == 0 || tables[n-1].Name != c.Table {
			t := fullTable{Name: c.Table, Comments: map[string]string{}}
			if c.TableComment != nil {
				t.Comment = *c.TableComment
			}
			tables = append(tables, t)
		}
		t := &tables[len(tables)-1]
		t.Columns = append(t.Columns, c.Column)
		if c.ColumnComment != nil && *c.ColumnComment != "" {
			t.Comments[c.Column] = *c.ColumnComment
		}
	}
	return tables, nil
}

// wardFilter is how table t is copied into a ward snapshot: the WHERE
// condition and the keys it uses; keep false when it is left out.
func wardFilter(t fullTable, have map[string]bool, wards string) (cond string, keys []string, keep bool) {
	var set, each []string
	for _, k := range wardKeys {
		if slices.Contains(t.Columns, k.column) {
			keys = append(keys, k.column)
		}
	}
	for _, k := range wardKeys {
		if !slices.Contains(keys, k.column) {
			continue
		}
		col := store.Ident(k.column)
		set = append(set, col+" IS NOT NULL")
		if k.needs != "" && !have[k.needs] {
			// Nothing to tell its ward by: only rows without this key.
			each = append(each, col+" IS NULL")
			continue
		}
		in := k.in
		if k.column == "file_id" && len(keys) > 1 && have["ingest_file_tables"] {
			in = fileOfWards
		}
		each = append(each, fmt.Sprintf("(%s IS NULL OR %s)", col, strings.NewReplacer("{wards}", wards, "{full}", fullAlias).Replace(in)))
	}
	switch {
	case len(keys) > 0:
		return "(" + strings.Join(set, " OR ") + ") AND " + strings.Join(each, " AND "), keys, true
	case strings.HasPrefix(t.Name, "cfg_"):
		return "true", nil, true
	}
	return "", nil, false
}

func (b *build) writeWardSnapshot(ctx context.Context, tables []fullTable, wards []string, tmp string) error {
	if err := os.MkdirAll(filepath.Dir(tmp), 0o700); err != nil {
		return err
	}
	if err := removeFiles(tmp, tmp+".wal"); err != nil {
		return err
	}
	if _, err := b.conn.ExecContext(ctx, fmt.Sprintf("ATTACH %s AS %s (STORAGE_VERSION %s)", store.Literal(tmp), wardAlias, store.Literal(storageVersion))); err != nil {
		return err
	}
	attached := true
	defer func() {
		if attached {
			_, _ = b.conn.ExecContext(context.Background(), "DETACH "+wardAlias)
		}
	}()
	lits := make([]string, len(wards))
	for i, w := range wards {
		lits[i] = store.Literal(w)
	}
	list := strings.Join(lits, ", ")
	have := map[string]bool{}
	for _, t := range tables {
		have[t.Name] = true
	}
	fill := strings.NewReplacer("{wards}", list, "{full}", fullAlias)
	var keyTables []string
	for _, k := range wardKeyTables {
		if have[k.needs] {
			keyTables = append(keyTables, fmt.Sprintf("CREATE OR REPLACE TEMP TABLE %s AS %s", k.name, fill.Replace(k.query)))
		}
	}
	defer func() {
		for _, k := range wardKeyTables {
			_, _ = b.conn.ExecContext(context.Background(), "DROP TABLE IF EXISTS temp.main."+k.name)
		}
	}()
	scope := fmt.Sprintf(`CREATE TABLE %s.snapshot_scope (table_name VARCHAR, kept BOOLEAN, rule VARCHAR, "rows" BIGINT)`, wardAlias)
	stmts := append(keyTables, scope, fmt.Sprintf("COMMENT ON TABLE %s.snapshot_scope IS %s", wardAlias, store.Literal(
		"Bản công bố chỉ gồm dữ liệu của "+strings.Join(wards, ", ")+": mỗi bảng của bản đầy đủ, giữ hay không và theo khoá nào — "+
			"this snapshot holds only the rows of "+strings.Join(wards, ", ")+": one row per table of the full snapshot, whether it was kept and by which keys (ward, citizen_id, unit_code, file_id)")))
	var comments []string
	for _, t := range tables {
		cond, keys, keep := wardFilter(t, have, list)
		name := store.Ident(t.Name)
		if !keep {
			stmts = append(stmts, fmt.Sprintf("INSERT INTO %s.snapshot_scope VALUES (%s, false, 'left out: no ward, citizen, unit or file column (a city-level figure or the pipeline''s record)', 0)", wardAlias, store.Literal(t.Name)))
			continue
		}
		rule := "configuration: every row"
		if len(keys) > 0 {
			rule = "rows of these wards by " + strings.Join(keys, ", ")
		}
		stmts = append(stmts,
			fmt.Sprintf("CREATE TABLE %s.%s AS SELECT * FROM %s.main.%s WHERE %s", wardAlias, name, fullAlias, name, cond),
			fmt.Sprintf("INSERT INTO %s.snapshot_scope SELECT %s, true, %s, count(*) FROM %s.%s", wardAlias, store.Literal(t.Name), store.Literal(rule), wardAlias, name))
		if t.Comment != "" {
			comments = append(comments, fmt.Sprintf("COMMENT ON TABLE %s.%s IS %s", wardAlias, name, store.Literal(t.Comment)))
		}
		for _, c := range t.Columns {
			if doc, ok := t.Comments[c]; ok {
				comments = append(comments, fmt.Sprintf("COMMENT ON COLUMN %s.%s.%s IS %s", wardAlias, name, store.Ident(c), store.Literal(doc)))
			}
		}
	}
	// The comments, hundreds of them, go as one text of statements (the
	// driver runs each; they are this function's own, every value quoted):
	// one at a time they took nearly as long as copying the rows (0.1 to
	// 0.2 s a ward on the demo, against 0.2 s for its tables).
	if len(comments) > 0 {
		stmts = append(stmts, strings.Join(comments, ";\n"))
	}
	if err := b.inTx(ctx, func() error { return b.exec(ctx, stmts...) }); err != nil {
		return err
	}
	if err := b.exec(ctx, "CHECKPOINT "+wardAlias, "DETACH "+wardAlias); err != nil {
		return err
	}
	attached = false
	return syncFile(tmp)
}

// publishWardSnapshots renames the ward snapshots over their published
// files, and removes the published ward snapshots of sets no login has now.
func publishWardSnapshots(files []wardFile, folder string) error {
	keep := map[string]bool{}
	for _, f := range files {
		if err := os.Rename(f.tmp, f.path); err != nil {
			return err
		}
		keep[filepath.Base(f.path)] = true
	}
	old, _ := filepath.Glob(filepath.Join(folder, "*.duckdb"))
	for _, p := range old {
		if !keep[filepath.Base(p)] {
			if err := removeFiles(p, p+".wal"); err != nil {
				return err
			}
		}
	}
	if len(files) > 0 {
		return syncFile(folder)
	}
	return nil
}

func removeWardFiles(files []wardFile) {
	for _, f := range files {
		_ = removeFiles(f.tmp, f.tmp+".wal")
	}
}
