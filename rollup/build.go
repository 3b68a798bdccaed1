// Package rollup is a receiving level's transform and report: a province's or
// the nation's hoctap, whose figures are the exchange packages its areas sent
// (accepted by ingest), adds them up with its SQL models (rollup/sql) into the
// same marts at its level — per commune, per area that sent a package, and in
// all — publishes them as its snapshot, and renders the monthly report that
// lists its areas and communes.
package rollup

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/hoctap/hoctap/config"
	"github.com/hoctap/hoctap/exchange"
	"github.com/hoctap/hoctap/geo"
	"github.com/hoctap/hoctap/store"
)

//go:embed sql/*.sql
var models embed.FS

// ErrNoPackages: no package has been accepted yet.
var ErrNoPackages = errors.New("rollup: no package accepted yet: drop the areas' packages in the inbox and run hoctap ingest")

// filesPerRead bounds the Parquet files one statement reads: DuckDB holds a
// reader and its buffers per file, and a province's package has thousands of
// small files per table (one per commune and month).
const filesPerRead = 256

// Result says what a roll-up built.
type Result struct {
	Packages int
	Tables   []Step
	Snapshot string
	Duration time.Duration
}

// Step is one table built.
type Step struct {
	Name     string
	Rows     int64
	Duration time.Duration
}

// Package is one package the roll-up reads.
type Package struct {
	FileID    int64     `db:"file_id"`
	Area      string    `db:"area"`
	AreaName  string    `db:"area_name"`
	First     string    `db:"first_month"`
	Last      string    `db:"last_month"`
	CreatedAt time.Time `db:"created_at"`
	KeyName   string    `db:"key_name"`
	People    bool      `db:"people"`
	Dir       string    `db:"dir"`
}

// Build adds up the packages accepted and not superseded (exchange_packages
// in db) into a new snapshot and publishes it at cfg.Paths.Snapshot: the
// packages' tables as pkg_<table> (with package_id), packages, geo_units (the
// register) and the models of rollup/sql.
func Build(ctx context.Context, db *store.DB, cfg *config.Config, reg *geo.Register, dir string) (*Result, error) {
	start := time.Now()
	var pkgs []Package
	if err := db.SelectContext(ctx, &pkgs, `SELECT file_id, area, area_name, first_month, last_month, created_at, coalesce(key_name, '') AS key_name, people, dir
		FROM exchange_packages WHERE superseded_by IS NULL ORDER BY area, first_month`); err != nil {
		return nil, err
	}
	if len(pkgs) == 0 {
		return nil, ErrNoPackages
	}
	path := cfg.Paths.Snapshot
	tmp := path + ".new"
	for _, f := range []string{tmp, tmp + ".wal"} {
		if err := os.Remove(f); err != nil && !os.IsNotExist(err) {
			return nil, err
		}
	}
	opt := store.OptionsFrom(cfg)
	opt.ReadOnly = false
	out, err := store.Open(ctx, tmp, opt)
	if err != nil {
		return nil, err
	}
	published := false
	defer func() {
		out.Close()
		if !published {
			os.Remove(tmp)
			os.Remove(tmp + ".wal")
		}
	}()
	res := &Result{Packages: len(pkgs)}
	step := func(name string, q string) error {
		t0 := time.Now()
		if _, err := out.ExecContext(ctx, "CREATE TABLE "+store.Ident(name)+" AS\n"+q); err != nil {
			return fmt.Errorf("rollup: %s: %w", name, err)
		}
		s := Step{Name: name, Duration: time.Since(t0)}
		if err := out.GetContext(ctx, &s.Rows, "SELECT count(*) FROM "+store.Ident(name)); err != nil {
			return err
		}
		res.Tables = append(res.Tables, s)
		return nil
	}
	if err := writePackages(ctx, out, pkgs); err != nil {
		return nil, err
	}
	if err := writeUnits(ctx, out, reg); err != nil {
		return nil, err
	}
	// Each package's files are read by a statement of their own, appended to
	// the table: one read_parquet over every package at once holds a reader
	// per file, and 34 provinces' 30,000 files of a table outgrew 4 GB.
	if _, err := out.ExecContext(ctx, "SET preserve_insertion_order = false; SET enable_external_file_cache = false"); err != nil {
		return nil, err
	}
	for _, t := range exchange.TableNames() {
		t0 := time.Now()
		table := store.Ident("pkg_" + t)
		made := false
		for _, p := range pkgs {
			files, err := filepath.Glob(filepath.Join(dir, p.Dir, "data", t, "*", "*", "*.parquet"))
			if err != nil {
				return nil, err
			}
			if len(files) == 0 {
				continue
			}
			for batch := range slices.Chunk(files, filesPerRead) {
				lits := make([]string, len(batch))
				for i, f := range batch {
					lits[i] = store.Literal(f)
				}
				read := fmt.Sprintf("SELECT %d::BIGINT AS package_id, * FROM read_parquet([%s], hive_partitioning = true, hive_types = {'unit_code': VARCHAR, 'month': VARCHAR})",
					p.FileID, strings.Join(lits, ", "))
				q := "INSERT INTO " + table + " BY NAME " + read
				if !made {
					q = "CREATE TABLE " + table + " AS " + read
				}
				if _, err := out.ExecContext(ctx, q); err != nil {
					return nil, fmt.Errorf("rollup: package %d (%s), table %s: %w", p.FileID, p.Area, t, err)
				}
				made = true
			}
		}
		if !made {
			if t == exchange.PeopleTable {
				continue // person-level rows came in no package
			}
			if t == exchange.FamilyTable {
				// no city counts learning families (frameworks: gia_dinh): an empty table
				if _, err := out.ExecContext(ctx, "CREATE TABLE "+table+" (package_id BIGINT, month VARCHAR, unit_code VARCHAR, ward VARCHAR, registered BIGINT, eligible BIGINT, recognised BIGINT, households BIGINT)"); err != nil {
					return nil, err
				}
				continue
			}
			return nil, fmt.Errorf("rollup: no package holds the table %s", t)
		}
		s := Step{Name: "pkg_" + t, Duration: time.Since(t0)}
		if err := out.GetContext(ctx, &s.Rows, "SELECT count(*) FROM "+table); err != nil {
			return nil, err
		}
		res.Tables = append(res.Tables, s)
	}
	ents, err := fs.ReadDir(models, "sql")
	if err != nil {
		return nil, err
	}
	for _, e := range ents {
		b, err := fs.ReadFile(models, "sql/"+e.Name())
		if err != nil {
			return nil, err
		}
		_, name, _ := strings.Cut(strings.TrimSuffix(e.Name(), ".sql"), "_")
		if err := step(name, strings.TrimSuffix(strings.TrimSpace(string(b)), ";")); err != nil {
			return nil, err
		}
		if doc := tableDoc(string(b)); doc != "" {
			if _, err := out.ExecContext(ctx, "COMMENT ON TABLE "+store.Ident(name)+" IS "+store.Literal(doc)); err != nil {
				return nil, err
			}
		}
	}
	if err := out.Checkpoint(ctx); err != nil {
		return nil, err
	}
	if err := out.Close(); err != nil {
		return nil, err
	}
	if err := os.Rename(tmp, path); err != nil {
		return nil, err
	}
	published = true
	res.Snapshot, res.Duration = path, time.Since(start)
	return res, nil
}

// writePackages writes the packages read, for the models and for readers.
func writePackages(ctx context.Context, db *store.DB, pkgs []Package) error {
	if _, err := db.ExecContext(ctx, `CREATE TABLE packages (file_id BIGINT, area VARCHAR, area_name VARCHAR, first_month VARCHAR, last_month VARCHAR,
		created_at TIMESTAMPTZ, key_name VARCHAR, people BOOLEAN)`); err != nil {
		return err
	}
	for _, p := range pkgs {
		if _, err := db.ExecContext(ctx, "INSERT INTO packages VALUES (?, ?, ?, ?, ?, ?, ?, ?)", p.FileID, p.Area, p.AreaName, p.First, p.Last, p.CreatedAt, p.KeyName, p.People); err != nil {
			return err
		}
	}
	return nil
}

// writeUnits writes the register as geo_units.
func writeUnits(ctx context.Context, db *store.DB, reg *geo.Register) error {
	if _, err := db.ExecContext(ctx, `CREATE TABLE geo_units (code VARCHAR, name VARCHAR, kind VARCHAR, level INTEGER, parent VARCHAR, valid_from DATE, valid_to DATE)`); err != nil {
		return err
	}
	return db.InTx(ctx, func(tx *store.Tx) error {
		a, err := tx.Appender("geo_units")
		if err != nil {
			return err
		}
		for _, u := range reg.Units {
			var from, to any
			if !u.From.IsZero() {
				from = u.From.Time
			}
			if !u.To.IsZero() {
				to = u.To.Time
			}
			if err := a.AppendRow(u.Code, u.Name, u.Kind.Code, int32(u.Level()), u.Parent, from, to); err != nil {
				return err
			}
		}
		return a.Close()
	})
}

// tableDoc is a model's first comment paragraph.
func tableDoc(sql string) string {
	var lines []string
	for _, l := range strings.Split(sql, "\n") {
		l = strings.TrimSpace(l)
		if !strings.HasPrefix(l, "--") || strings.HasPrefix(l, "-- columns:") {
			break
		}
		lines = append(lines, strings.TrimSpace(strings.TrimPrefix(l, "--")))
	}
	return strings.Join(slices.DeleteFunc(lines, func(s string) bool { return s == "" }), " ")
}
