package store

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"sync"
)

// ErrNotPublished: no snapshot has been published at the path yet.
var ErrNotPublished = errors.New("store: no snapshot published yet")

// Snapshot opens a published snapshot for a process that both reads it
// (pages, queries) and renders from it after publishing a new one (hoctap
// serve). DuckDB shares one instance per path within a process, and an
// instance keeps showing the file as it was when first opened: a handle still
// open on the old file would hand its instance, and its old numbers, to the
// next Open. Fresh therefore waits until no handle from Read is open. Both
// say ErrNotPublished while nothing is published at Path.
type Snapshot struct {
	Path    string
	Options Options // ReadOnly is forced

	mu sync.RWMutex
}

// Read opens the snapshot for a reader that may see the file as another
// handle of this process opened it a moment ago. Close the handle promptly:
// Fresh waits for it.
func (s *Snapshot) Read(ctx context.Context) (*DB, error) {
	s.mu.RLock()
	db, err := s.open(ctx)
	if err != nil {
		s.mu.RUnlock()
		return nil, err
	}
	db.release = s.mu.RUnlock
	return db, nil
}

// Fresh opens the snapshot as the file is now: it waits until every handle
// from Read is closed, so that DuckDB opens the file anew (unless a handle
// from another Fresh is open, which is as fresh).
func (s *Snapshot) Fresh(ctx context.Context) (*DB, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.open(ctx)
}

func (s *Snapshot) open(ctx context.Context) (*DB, error) {
	if _, err := os.Stat(s.Path); errors.Is(err, fs.ErrNotExist) {
		return nil, ErrNotPublished
	}
	opt := s.Options
	opt.ReadOnly = true
	return Open(ctx, s.Path, opt)
}
