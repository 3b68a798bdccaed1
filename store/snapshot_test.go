package store

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestSnapshotFresh: a handle open on a snapshot hands DuckDB's instance, and
// the file as it was, to the next Open of the path in this process; Fresh
// waits until the readers' handles are closed and then sees the file
// published since.
func TestSnapshotFresh(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "snap.duckdb")
	publish := func(v int) {
		tmp := path + ".new"
		db, err := Open(ctx, tmp, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec("CREATE TABLE t AS SELECT ? AS v", v); err != nil {
			t.Fatal(err)
		}
		db.Close()
		if err := os.Rename(tmp, path); err != nil {
			t.Fatal(err)
		}
	}
	value := func(db *DB) (v int) {
		if err := db.Get(&v, "SELECT v FROM t"); err != nil {
			t.Fatal(err)
		}
		return v
	}
	s := &Snapshot{Path: path}
	if _, err := s.Read(ctx); !errors.Is(err, ErrNotPublished) {
		t.Errorf("Read before anything is published: %v, want ErrNotPublished", err)
	}
	if _, err := s.Fresh(ctx); !errors.Is(err, ErrNotPublished) {
		t.Errorf("Fresh before anything is published: %v, want ErrNotPublished", err)
	}
	publish(1)
	r1, err := s.Read(ctx)
	if err != nil {
		t.Fatal(err)
	}
	publish(2)
	r2, err := s.Read(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if v := value(r2); v != 1 {
		t.Fatalf("a second handle while the first is open sees %d: DuckDB no longer shares instances, and Snapshot is not needed", v)
	}
	got := make(chan *DB)
	go func() {
		db, err := s.Fresh(ctx)
		if err != nil {
			t.Error(err)
		}
		got <- db
	}()
	select {
	case <-got:
		t.Fatal("Fresh did not wait for the readers")
	case <-time.After(200 * time.Millisecond):
	}
	r1.Close()
	r2.Close()
	fresh := <-got
	defer fresh.Close()
	if v := value(fresh); v != 2 {
		t.Errorf("Fresh sees %d, want the published 2", v)
	}
	r3, err := s.Read(ctx) // shares the fresh instance
	if err != nil {
		t.Fatal(err)
	}
	defer r3.Close()
	if v := value(r3); v != 2 {
		t.Errorf("a reader after Fresh sees %d, want 2", v)
	}
}
