package pipeline

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/hoctap/hoctap"
	"github.com/hoctap/hoctap/config"
)

func pilot(t *testing.T) *config.Config {
	t.Helper()
	cfg, err := config.Parse(hoctap.DefaultConfig, "")
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// TestLastFinished: the month before now's, in the city's time zone, and
// the programme's last once it is over.
func TestLastFinished(t *testing.T) {
	cfg := pilot(t) // 2020-11-01 → 2021-07-31, Asia/Ho_Chi_Minh (UTC+7)
	for _, c := range []struct {
		now  time.Time
		want string
	}{
		{time.Date(2021, 1, 15, 12, 0, 0, 0, time.UTC), "2020-12"},  // across the year
		{time.Date(2021, 1, 31, 16, 59, 0, 0, time.UTC), "2020-12"}, // 23:59 on 31 January in Sa Đéc
		{time.Date(2021, 1, 31, 17, 0, 0, 0, time.UTC), "2021-01"},  // midnight, 1 February in Sa Đéc
		{time.Date(2021, 8, 1, 0, 0, 0, 0, cfg.Location), "2021-07"},
		{time.Date(2026, 12, 4, 0, 0, 0, 0, time.UTC), "2021-07"},  // long after: the programme's last
		{time.Date(2020, 11, 20, 0, 0, 0, 0, time.UTC), "2020-10"}, // before any month ended: before the start
	} {
		if got := LastFinished(cfg, c.now).String(); got != c.want {
			t.Errorf("LastFinished(%s) = %s, want %s", c.now, got, c.want)
		}
	}
}

// TestMirror: every file is copied once, whole, and a file whose copy
// differs in size is copied again; a missing source is nothing to copy.
func TestMirror(t *testing.T) {
	src, dst := t.TempDir(), filepath.Join(t.TempDir(), "archive")
	if n, err := mirror(filepath.Join(src, "none"), dst); n != 0 || err != nil {
		t.Fatalf("mirror of a missing folder: %d, %v", n, err)
	}
	write := func(dir, name, s string) {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(s), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write(src, "ab/abcd.xlsx", "one")
	write(src, "cd/cdef.csv", "two")
	if n, err := mirror(src, dst); n != 2 || err != nil {
		t.Fatalf("first mirror: %d copied, %v", n, err)
	}
	if n, err := mirror(src, dst); n != 0 || err != nil {
		t.Fatalf("second mirror: %d copied, %v", n, err)
	}
	write(dst, "cd/cdef.csv", "t") // a copy cut short
	if n, err := mirror(src, dst); n != 1 || err != nil {
		t.Fatalf("mirror after a copy was cut short: %d copied, %v", n, err)
	}
	for name, want := range map[string]string{"ab/abcd.xlsx": "one", "cd/cdef.csv": "two"} {
		if b, err := os.ReadFile(filepath.Join(dst, name)); err != nil || string(b) != want {
			t.Errorf("%s: %q, %v; want %q", name, b, err, want)
		}
	}
}
