package pipeline

import (
	"context"
	"errors"
	"fmt"
	iofs "io/fs"
	"os"
	"path/filepath"
	"sort"

	"github.com/google/renameio/v2"

	"github.com/hoctap/hoctap/schedule"
)

// Backup copies the pipeline's database, checkpointed and held so that no
// one writes it meanwhile, to backups/hoctap-YYYY-MM-DD.duckdb, and keeps the
// newest schedule.backup.keep copies; then it brings backups/archive/ up to
// date with the archive of received files. Those are kept by checksum and
// never change, so one copy of each is enough: only new ones are copied.
func (p *Pipeline) Backup(ctx context.Context, r schedule.Run) error {
	cfg := p.Cfg
	return p.record(ctx, r, func(ctx context.Context) (int64, error) {
		db, err := Open(ctx, cfg)
		if err != nil {
			return 0, err
		}
		defer db.Close()
		if err := db.Checkpoint(ctx); err != nil {
			return 0, err
		}
		if err := os.MkdirAll(cfg.Paths.Backups, 0o700); err != nil {
			return 0, err
		}
		dst := filepath.Join(cfg.Paths.Backups, "hoctap-"+r.Scheduled.Format("2006-01-02")+".duckdb")
		n, err := copyFile(cfg.Paths.Database, dst)
		if err != nil {
			return 0, err
		}
		keep := max(cfg.Schedule.Backup.Keep, 1)
		old, _ := filepath.Glob(filepath.Join(cfg.Paths.Backups, "hoctap-*.duckdb"))
		sort.Strings(old)
		for ; len(old) > keep; old = old[1:] {
			os.Remove(old[0])
		}
		copied, err := mirror(cfg.Paths.Archive, filepath.Join(cfg.Paths.Backups, "archive"))
		if err != nil {
			return n, fmt.Errorf("backup of the archive: %w", err)
		}
		fmt.Fprintf(p.Out, "backup: %s (%d MB); %d new archived file(s) copied\n", dst, n>>20, copied)
		p.Log.InfoContext(ctx, "backup written", "job", schedule.Backup, "file", dst, "bytes", n, "archived_copied", copied)
		return n, nil
	})
}

// copyFile copies src to dst, written whole or not at all, readable by its
// owner only, and says how many bytes it copied.
func copyFile(src, dst string) (int64, error) {
	in, err := os.Open(src)
	if err != nil {
		return 0, err
	}
	defer in.Close()
	out, err := renameio.NewPendingFile(dst, renameio.WithStaticPermissions(0o600))
	if err != nil {
		return 0, err
	}
	defer out.Cleanup()
	n, err := out.ReadFrom(in)
	if err != nil {
		return 0, err
	}
	return n, out.CloseAtomicallyReplace()
}

// mirror copies every file under src that dst lacks (or holds at another
// size), each written whole or not at all, and says how many it copied.
func mirror(src, dst string) (int, error) {
	copied := 0
	err := filepath.WalkDir(src, func(path string, d iofs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, iofs.ErrNotExist) && path == src {
				return filepath.SkipDir // nothing archived yet
			}
			return err
		}
		if d.IsDir() {
			return nil
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		to := filepath.Join(dst, rel)
		info, err := d.Info()
		if err != nil {
			return err
		}
		if have, err := os.Stat(to); err == nil && have.Size() == info.Size() {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if err := os.MkdirAll(filepath.Dir(to), 0o700); err != nil {
			return err
		}
		if err := renameio.WriteFile(to, b, 0o600); err != nil {
			return err
		}
		copied++
		return nil
	})
	return copied, err
}
