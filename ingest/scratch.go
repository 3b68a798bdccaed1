package ingest

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"

	"github.com/hoctap/hoctap/config"
	"github.com/hoctap/hoctap/store"
)

// Scratch is a database for a dry run (hoctap validate): in memory, holding
// what the pipeline has loaded, so that a file is checked against it — its
// people against the registrations, what it would add or replace — and
// nothing the pipeline holds is touched. Basis says what it holds.
type Scratch struct {
	DB *store.DB
	// Basis: "database" (a copy of the pipeline's database), "snapshot" (the
	// pipeline's database is in use: the registrations of the published
	// snapshot), or "none" (nothing loaded yet).
	Basis string
}

// Scratch bases.
const (
	BasisDatabase = "database"
	BasisSnapshot = "snapshot"
	BasisNone     = "none"
)

// OpenScratch opens a scratch database from the pipeline's database at
// cfg.Paths.Database, read-only; when another process holds it, from the
// published snapshot's registrations.
func OpenScratch(ctx context.Context, cfg *config.Config) (*Scratch, error) {
	opt := store.OptionsFrom(cfg)
	db, err := store.Open(ctx, ":memory:", opt)
	if err != nil {
		return nil, err
	}
	s := &Scratch{DB: db, Basis: BasisNone}
	fail := func(err error) (*Scratch, error) {
		db.Close()
		return nil, err
	}
	if _, err := os.Stat(cfg.Paths.Database); err == nil {
		err := s.copyDatabase(ctx, cfg.Paths.Database)
		switch {
		case err == nil:
			s.Basis = BasisDatabase
		case isLocked(err):
			if _, serr := os.Stat(cfg.Paths.Snapshot); serr == nil {
				if err := s.copySnapshot(ctx, cfg.Paths.Snapshot); err != nil {
					return fail(err)
				}
				s.Basis = BasisSnapshot
			}
		default:
			return fail(err)
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fail(err)
	}
	if err := db.Migrate(ctx); err != nil {
		return fail(err)
	}
	return s, nil
}

func isLocked(err error) bool {
	return strings.Contains(err.Error(), "lock") || errors.Is(err, store.ErrLocked)
}

// copyDatabase copies every table of the database at path.
func (s *Scratch) copyDatabase(ctx context.Context, path string) error {
	conn, err := s.DB.Connx(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	for _, q := range []string{
		fmt.Sprintf("ATTACH %s AS pipeline (READ_ONLY)", store.Literal(path)),
		"COPY FROM DATABASE pipeline TO memory",
		"DETACH pipeline",
	} {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			conn.ExecContext(context.Background(), "DETACH DATABASE IF EXISTS pipeline")
			return fmt.Errorf("validate: %s: %w", q, err)
		}
	}
	return nil
}

// copySnapshot takes the published registrations and bookkeeping: the people
// and units a file may name, and the files loaded.
func (s *Scratch) copySnapshot(ctx context.Context, path string) error {
	if err := s.DB.Migrate(ctx); err != nil {
		return err
	}
	conn, err := s.DB.Connx(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	for _, q := range []string{
		fmt.Sprintf("ATTACH %s AS snap (READ_ONLY)", store.Literal(path)),
		sqlScratchFiles, sqlScratchFileTables, sqlScratchCitizens, sqlScratchUnits,
		"DETACH snap",
	} {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			conn.ExecContext(context.Background(), "DETACH DATABASE IF EXISTS snap")
			return fmt.Errorf("validate: %s: %w", q, err)
		}
	}
	return nil
}
