package transform

import (
	"context"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/hoctap/hoctap/store"
)

// An incremental run starts from a copy of the published snapshot instead of
// an empty file, and recomputes in it only what the files loaded, superseded
// or reinstated since that snapshot can change:
//
//   - the people those files name (every citizen_id of their raw rows, in
//     every raw table that has one): the models marked "-- incremental by:
//     citizen_id" (citizens, assessments, citizen_scores,
//     citizen_status_monthly) are computed for those people only, from all
//     their raw rows of every file, and replace those people's rows — all
//     their months: a correction can move a person to another ward, lower a
//     status or remove the person;
//   - the models of sums over people, marked "-- incremental sums by: key,
//     …" (indicator_sums_monthly), by the changed people's shares: their
//     rows of the models such a model reads, as they were before this run
//     (kept in snapshot.old when those models are merged) and as they are
//     now (snapshot.delta), each go through the model's SQL, and the
//     published sums take off the old share and add the new one, key by
//     key; a key whose sums all come to zero holds nobody and goes, as a
//     full run would have no row for it. The sums are integers and exact
//     decimals, so the result is a full run's to the last digit;
//   - every other model whole, as in a full run: the units, the decisions
//     and the aggregates above the people (progress, goals, milestones,
//     submissions, data quality, the indicators' means from their sums)
//     read the people's tables already brought up to date.
//
// The rows an incremental run keeps must be those a full run would make
// again of the same raw rows: no model reads the clock or the run's day, and
// a model breaks every tie by the data, never by the order of the rows it
// reads (the copy's tables hold them in another order than a full run's: of
// two decisions recognising a person the same day, the lower number counts).
//
// The copy is a new file, published like a full run's (a reader sees the old
// snapshot or the new one, never a mix). The data tests marked "incremental
// by: citizen_id" (a person's rows pass or fail on their own: one row per
// person and month, thresholds, registrations) run on the changed people's
// rows, the others' rows being those that passed them before, unchanged; the
// other tests run on all of it.
//
// What the published snapshot was made from is in its table transform_state:
// digests of the configuration tables, of the models' and tests' SQL (with
// this package's own version of how it builds) and of the migrations applied
// to the pipeline's database. When either differs, or
// there is no published snapshot, or one without that table, the run is a full
// one, as it is when asked for (RunFull). Which files changed since is found
// by comparing the snapshot's own ingest_file_tables with the pipeline's.

// personKey is the column incremental models are by.
const personKey = "citizen_id"

// buildVersion changes whenever how a build is made changes in a way that
// makes a snapshot of an earlier hoctap no base for an incremental run.
const buildVersion = "1"

//go:embed incremental.sql
var incrementalSQL string

// The kinds of run (Result.Kind) and of model step (Step.Mode).
const (
	KindFull        = "full"
	KindIncremental = "incremental"
	// ModeWhole: the model's table was computed whole; ModePeople: only the
	// changed people's rows were recomputed and replaced.
	ModeWhole  = "whole"
	ModePeople = "people"
	// ModeSums: a model of sums over people, brought up to date by the
	// changed people's shares.
	ModeSums = "sums"
)

// digests are what a snapshot is made from: the configuration, the SQL, and
// the migrations applied to the pipeline's database (one may change raw rows
// without a file changing).
type digests struct{ Config, Models, Schema string }

// schemaDigest is a digest of the migrations applied to the pipeline's database.
func schemaDigest(ctx context.Context, tx *store.Tx) (string, error) {
	var migrations string
	if err := tx.GetContext(ctx, &migrations, `SELECT coalesce(string_agg(version || ' ' || name, chr(10) ORDER BY version), '') FROM main.schema_version`); err != nil {
		return "", fmt.Errorf("schema digest: %w", err)
	}
	h := sha256.Sum256([]byte(migrations))
	return hex.EncodeToString(h[:]), nil
}

// modelsDigest is a digest of the SQL of every model and test, in order.
func modelsDigest(models, tests []Model) string {
	h := sha256.New()
	fmt.Fprintf(h, "build %s storage %s\n", buildVersion, storageVersion)
	for _, m := range append(append([]Model(nil), models...), tests...) {
		fmt.Fprintf(h, "%s\x00%d\x00%s\x00", m.File, len(m.SQL), m.SQL)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// configDigest is a digest of every cfg_* table of the pipeline's database
// (the configuration as the models read it), row by row.
func configDigest(ctx context.Context, tx *store.Tx) (string, error) {
	h := sha256.New()
	for _, t := range configTables {
		var d struct {
			N   int64  `db:"n"`
			MD5 string `db:"md5"`
		}
		q := fmt.Sprintf(`SELECT count(*) AS n, coalesce(md5(string_agg(CAST(t AS VARCHAR), chr(10) ORDER BY CAST(t AS VARCHAR))), '') AS md5 FROM main.%s AS t`, store.Ident(t.name))
		if err := tx.GetContext(ctx, &d, q); err != nil {
			return "", fmt.Errorf("configuration digest: %s: %w", t.name, err)
		}
		fmt.Fprintf(h, "%s %d %s\n", t.name, d.N, d.MD5)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// resumeBuild copies the published snapshot at path beside it and attaches
// the copy as the build, ready for an incremental run: its configuration and
// bookkeeping tables dropped (the pipeline's are copied at publication), the
// changed files and people found in the schema snapshot.delta. It returns a
// nil build and why when the run must be a full one.
func resumeBuild(ctx context.Context, db *store.DB, path string, want digests, models []Model) (*build, string, error) {
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return nil, "no published snapshot", nil
	} else if err != nil {
		return nil, "", fmt.Errorf("snapshot: %w", err)
	}
	tmp := path + ".new"
	if err := removeFiles(tmp, tmp+".wal"); err != nil {
		return nil, "", fmt.Errorf("snapshot: %w", err)
	}
	if err := copyFile(path, tmp); err != nil {
		_ = removeFiles(tmp)
		return nil, "", fmt.Errorf("snapshot: copying the published one: %w", err)
	}
	b, err := attachBuild(ctx, db, path, false)
	if err != nil {
		// (attachBuild removed the copy: a full run makes a new snapshot)
		return nil, fmt.Sprintf("the published snapshot cannot be opened (%v)", err), nil
	}
	var have []digests
	if err := b.conn.SelectContext(ctx, &have, `SELECT config_digest AS config, models_digest AS models, schema_digest AS schema FROM snapshot.main.transform_state`); err != nil {
		b.close()
		return nil, "the published snapshot does not say what it was made from", nil
	}
	switch {
	case len(have) != 1:
		b.close()
		return nil, "the published snapshot does not say what it was made from", nil
	case have[0].Models != want.Models:
		b.close()
		return nil, "the SQL models or tests changed", nil
	case have[0].Config != want.Config:
		b.close()
		return nil, "the configuration changed", nil
	case have[0].Schema != want.Schema:
		b.close()
		return nil, "the database's migrations changed", nil
	}
	if err := b.startDelta(ctx, models); err != nil {
		b.close()
		return nil, "", fmt.Errorf("snapshot: %w", err)
	}
	return b, "", nil
}

// startDelta keeps the copy's model tables only and finds in snapshot.delta
// what changed: the files (incremental.sql), the people they name (people),
// and each raw table's rows of those people, which the incremental models
// read instead of the pipeline's (the search path reads delta first).
func (b *build) startDelta(ctx context.Context, models []Model) error {
	isModel := map[string]bool{}
	b.keepOld = map[string]bool{}
	for _, m := range models {
		isModel[m.Name] = true
		if m.SumsBy != nil {
			for _, d := range m.Deps {
				b.keepOld[d] = true
			}
		}
	}
	var tables []string
	if err := b.conn.SelectContext(ctx, &tables, `SELECT table_name FROM duckdb_tables() WHERE database_name = ? AND schema_name = 'main' ORDER BY table_name`, snapshotAlias); err != nil {
		return err
	}
	var raw []string
	if err := b.conn.SelectContext(ctx, &raw, `
		SELECT table_name FROM duckdb_columns()
		WHERE database_name = ? AND schema_name = 'main' AND column_name = ?
		  AND table_name LIKE 'raw\_%' ESCAPE '\'
		ORDER BY table_name`, b.main, personKey); err != nil {
		return err
	}
	return b.inTx(ctx, func() error {
		stmts := []string{
			"CREATE SCHEMA " + snapshotAlias + ".delta",
			"CREATE SCHEMA " + snapshotAlias + ".old",
			"CREATE TABLE " + snapshotAlias + ".delta.prev_file_tables AS SELECT file_id, dataset, ward, status FROM " + snapshotAlias + ".main.ingest_file_tables",
		}
		for _, t := range tables {
			if !isModel[t] {
				stmts = append(stmts, fmt.Sprintf("DROP TABLE %s.main.%s", snapshotAlias, store.Ident(t)))
			}
		}
		stmts = append(stmts, store.Statements(incrementalSQL)...)
		var people []string
		for _, t := range raw {
			people = append(people, fmt.Sprintf("SELECT x.%[1]s FROM %[2]s.main.%[3]s x SEMI JOIN %[4]s.delta.changed_files c ON c.file_id = x.file_id WHERE x.%[1]s IS NOT NULL",
				personKey, store.Ident(b.main), store.Ident(t), snapshotAlias))
		}
		if len(people) == 0 {
			people = []string{fmt.Sprintf("SELECT CAST(NULL AS VARCHAR) AS %s WHERE false", personKey)}
		}
		stmts = append(stmts, fmt.Sprintf("CREATE TABLE %s.delta.people AS SELECT DISTINCT %s FROM (%s)", snapshotAlias, personKey, strings.Join(people, "\nUNION ALL\n")))
		for _, t := range raw {
			stmts = append(stmts, fmt.Sprintf("CREATE TABLE %[4]s.delta.%[3]s AS SELECT * FROM %[2]s.main.%[3]s x SEMI JOIN %[4]s.delta.people p ON p.%[1]s = x.%[1]s",
				personKey, store.Ident(b.main), store.Ident(t), snapshotAlias))
		}
		if err := b.exec(ctx, stmts...); err != nil {
			return err
		}
		b.delta = true
		return b.conn.GetContext(ctx, &b.people, "SELECT count(*) FROM "+snapshotAlias+".delta.people")
	})
}

// mergeModel recomputes an incremental model for the changed people only
// (its SQL reads their raw rows and their rows of the models before it, in
// snapshot.delta) and replaces their rows of the model's table with them.
func (b *build) mergeModel(ctx context.Context, m Model) (Step, error) {
	t0 := time.Now()
	step := Step{Name: m.Name, File: m.File, Mode: ModePeople}
	err := b.inTx(ctx, func() error {
		body := strings.TrimSuffix(strings.TrimSpace(m.SQL), ";")
		table := snapshotAlias + ".main." + store.Ident(m.Name)
		if _, err := b.conn.ExecContext(ctx, fmt.Sprintf("CREATE TABLE %s.delta.%s AS\n%s", snapshotAlias, store.Ident(m.Name), body)); err != nil {
			return err
		}
		wide, err := b.hasWideIntegers(ctx, body)
		if err != nil {
			return err
		}
		if wide {
			if _, err := b.conn.ExecContext(ctx, "SET disabled_compression_methods = 'bitpacking'"); err != nil {
				return err
			}
			defer b.conn.ExecContext(context.Background(), "RESET disabled_compression_methods")
		}
		stmts := []string{
			fmt.Sprintf("DELETE FROM %s WHERE %s IN (SELECT %s FROM %s.delta.people)", table, store.Ident(m.By), personKey, snapshotAlias),
			fmt.Sprintf("INSERT INTO %s SELECT * FROM %s.delta.%s", table, snapshotAlias, store.Ident(m.Name)),
		}
		if b.keepOld[m.Name] {
			stmts = append([]string{fmt.Sprintf("CREATE TABLE %s.old.%s AS SELECT * FROM %s WHERE %s IN (SELECT %s FROM %s.delta.people)",
				snapshotAlias, store.Ident(m.Name), table, store.Ident(m.By), personKey, snapshotAlias)}, stmts...)
		}
		if err := b.exec(ctx, stmts...); err != nil {
			return err
		}
		return b.conn.QueryRowContext(ctx, fmt.Sprintf("SELECT count(*) FROM %s", table)).Scan(&step.Rows)
	})
	step.Duration = time.Since(t0)
	if err != nil {
		return step, fmt.Errorf("model %s (changed people only): %w", m.File, err)
	}
	b.models[m.Name] = true
	return step, nil
}

// sumModel brings a model of sums over people up to date by the changed
// people's shares (see the top of this file): their old rows, then their new
// ones, through the model's SQL, taken off and added to the published sums.
func (b *build) sumModel(ctx context.Context, m Model) (Step, error) {
	t0 := time.Now()
	step := Step{Name: m.Name, File: m.File, Mode: ModeSums}
	err := b.inTx(ctx, func() error {
		body := strings.TrimSuffix(strings.TrimSpace(m.SQL), ";")
		table := snapshotAlias + ".main." + store.Ident(m.Name)
		var cols []struct {
			Name string `db:"column_name"`
			Type string `db:"data_type"`
		}
		if err := b.conn.SelectContext(ctx, &cols, `SELECT column_name, data_type FROM duckdb_columns()
			WHERE database_name = ? AND schema_name = 'main' AND table_name = ? ORDER BY column_index`, snapshotAlias, m.Name); err != nil {
			return err
		}
		var keys, sums, negated, zero []string
		for _, c := range cols {
			id := store.Ident(c.Name)
			if slices.Contains(m.SumsBy, c.Name) {
				keys = append(keys, id)
				continue
			}
			if !exactSum.MatchString(c.Type) {
				return fmt.Errorf("column %s is %s: the sums of a model incremental by its sums are integers or exact decimals", c.Name, c.Type)
			}
			sums = append(sums, fmt.Sprintf("sum(%s) AS %s", id, id))
			negated = append(negated, fmt.Sprintf("-%s AS %s", id, id))
			zero = append(zero, fmt.Sprintf("sum(%s) = 0", id))
		}
		if len(keys) != len(m.SumsBy) || len(sums) == 0 {
			return fmt.Errorf("incremental sums by %s: the table's columns are %v", strings.Join(m.SumsBy, ", "), cols)
		}
		// the changed people's shares: their rows as they were, then as they are
		for _, share := range []struct{ schema, table string }{{"old", "sums_old"}, {"delta", "sums_new"}} {
			if err := b.searchPath(ctx, share.schema); err != nil {
				return err
			}
			if _, err := b.conn.ExecContext(ctx, fmt.Sprintf("CREATE OR REPLACE TEMP TABLE %s AS\n%s", share.table, body)); err != nil {
				return err
			}
		}
		k := strings.Join(keys, ", ")
		merged := fmt.Sprintf(`CREATE OR REPLACE TEMP TABLE sums_merged AS
			SELECT %[1]s, %[2]s FROM (
				SELECT * FROM %[3]s
				UNION ALL BY NAME SELECT * FROM temp.main.sums_new
				UNION ALL BY NAME SELECT %[1]s, %[4]s FROM temp.main.sums_old)
			GROUP BY %[1]s
			HAVING NOT (%[5]s)`,
			k, strings.Join(sums, ", "), table, strings.Join(negated, ", "), strings.Join(zero, " AND "))
		if err := b.exec(ctx, merged,
			"DELETE FROM "+table,
			"INSERT INTO "+table+" BY NAME SELECT * FROM temp.main.sums_merged",
			"DROP TABLE temp.main.sums_merged", "DROP TABLE temp.main.sums_old", "DROP TABLE temp.main.sums_new",
		); err != nil {
			return err
		}
		return b.conn.QueryRowContext(ctx, fmt.Sprintf("SELECT count(*) FROM %s", table)).Scan(&step.Rows)
	})
	step.Duration = time.Since(t0)
	if err != nil {
		return step, fmt.Errorf("model %s (the changed people's shares): %w", m.File, err)
	}
	b.models[m.Name] = true
	return step, nil
}

// exactSum matches the types a model of sums may sum: integers and decimals.
var exactSum = regexp.MustCompile(`^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|DECIMAL\(\d+,\d+\))$`)

// searchPath sets the build's search path: the snapshot's and the
// pipeline's tables, after those of the snapshot's schema first when set —
// delta, the changed people's rows (for an incremental model), or old, their
// rows as they were (for a model of sums).
func (b *build) searchPath(ctx context.Context, first string) error {
	path := store.Ident(snapshotAlias) + ".main," + store.Ident(b.main) + ".main"
	if first != "" {
		path = store.Ident(snapshotAlias) + "." + store.Ident(first) + "," + path
	}
	_, err := b.conn.ExecContext(ctx, "SET search_path = "+store.Literal(path))
	return err
}

// endDelta drops the schema of the changed people's tables.
func (b *build) endDelta(ctx context.Context) error {
	if !b.delta {
		return nil
	}
	if err := b.searchPath(ctx, ""); err != nil {
		return err
	}
	if err := b.exec(ctx, "DROP SCHEMA "+snapshotAlias+".delta CASCADE", "DROP SCHEMA "+snapshotAlias+".old CASCADE"); err != nil {
		return fmt.Errorf("snapshot: %w", err)
	}
	b.delta = false
	return nil
}

// writeState records in the build what it was made from (transform_state).
func (b *build) writeState(ctx context.Context, d digests, kind string) error {
	err := b.inTx(ctx, func() error {
		if err := b.exec(ctx,
			"CREATE TABLE "+snapshotAlias+".main.transform_state (config_digest VARCHAR NOT NULL, models_digest VARCHAR NOT NULL, schema_digest VARCHAR NOT NULL, run_kind VARCHAR NOT NULL)",
			"COMMENT ON TABLE "+snapshotAlias+".main.transform_state IS "+store.Literal("What this snapshot was made from: digests of the configuration, of the SQL models and tests and of the pipeline database's migrations, and whether its run was full or incremental. A later transform builds on it incrementally only when all three are the same."),
		); err != nil {
			return err
		}
		_, err := b.conn.ExecContext(ctx, "INSERT INTO "+snapshotAlias+".main.transform_state VALUES (?, ?, ?, ?)", d.Config, d.Models, d.Schema, kind)
		return err
	})
	if err != nil {
		return fmt.Errorf("snapshot: transform_state: %w", err)
	}
	b.models["transform_state"] = true
	return nil
}

// copyFile copies src to dst, created for its owner only, and syncs it.
func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
