package ingest

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// A file still being written when ingest looks is not taken half: it waits
// (its size or time changed over the settle time) and is loaded whole by the
// next run.
func TestGrowingFileWaits(t *testing.T) {
	cfg, db := workspace(t)
	cfg.Ingest.SettleTime.Duration = 300 * time.Millisecond
	ctx := context.Background()
	dir := filepath.Join(cfg.Paths.Inbox, "tan-quy-dong")
	os.MkdirAll(dir, 0o755)
	path := filepath.Join(dir, "dk.csv")
	head, _, _ := strings.Cut(citizensCSV, "\n")
	if err := os.WriteFile(path, []byte(head+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	wg.Add(1)
	const rows = 40
	go func() { // a copy still arriving: a line every 20 ms
		defer wg.Done()
		f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
		if err != nil {
			t.Error(err)
			return
		}
		defer f.Close()
		for i := 0; i < rows; i++ {
			fmt.Fprintf(f, "TQD-%03d,Người %d,Nữ,1980,1,Tân Quy Đông,,,08/12/2020\n", i, i)
			time.Sleep(20 * time.Millisecond)
		}
	}()
	time.Sleep(50 * time.Millisecond)
	outs, err := (&Loader{DB: db, Cfg: cfg, Now: runAt}).Inbox(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(outs) != 1 || outs[0].Status != StatusWaiting {
		t.Fatalf("a growing file: %+v", outs)
	}
	if n := count(t, db, "SELECT count(*) FROM raw_citizens"); n != 0 {
		t.Fatalf("%d rows of a file still being written were loaded", n)
	}
	wg.Wait()
	outs, err = (&Loader{DB: db, Cfg: cfg, Now: runAt}).Inbox(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(outs) != 1 || outs[0].Status != StatusLoaded || outs[0].Rows != rows {
		t.Fatalf("the whole file: %+v", outs)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("the loaded file is still in the inbox: %v", err)
	}
}

// No file name can stop a file, or the files after it: a name as long as the
// file system allows, a name that is not UTF-8, a name with a line break.
// Each is loaded or refused, kept under a safe name with its receipt, its own
// name kept in the database; later files still load; nothing is left in the
// inbox or half-written in the archive.
func TestNamesBlockNothing(t *testing.T) {
	cfg, db := workspace(t)
	ctx := context.Background()
	dir := filepath.Join(cfg.Paths.Inbox, "tan-quy-dong")
	os.MkdirAll(dir, 0o755)
	names := []string{
		strings.Repeat("Danh sách đăng ký ", 12)[:240-len(".csv")] + ".csv", // 240 bytes: its receipt's name would pass 255
		"dk \xff\xfe bad bytes.csv",
		"dk\nđã nạp   loaded    forged.csv",
		"zz later.csv",
	}
	for i, n := range names {
		body := citizensCSV
		if i == 1 {
			body = strings.Replace(citizensCSV, "Nông dân", "Lao động", 1) // ambiguous: refused
		}
		body += strings.Repeat("\n", i) // distinct contents
		p := filepath.Join(dir, n)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatalf("%q: %v", n, err)
		}
		at := runAt.Add(-time.Duration(len(names)-i) * time.Minute)
		os.Chtimes(p, at, at)
	}
	outs, err := (&Loader{DB: db, Cfg: cfg, Now: runAt}).Inbox(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(outs) != len(names) {
		t.Fatalf("%d outcomes for %d files: %+v", len(outs), len(names), outs)
	}
	for i, o := range outs {
		want := StatusLoaded
		if i == 1 {
			want = StatusRefused
		}
		if o.Status != want {
			t.Errorf("%q: %s %s, want %s", o.Name, o.Status, o.Reason, want)
		}
		if strings.ContainsAny(o.Name, "\n\r") || !utf8Valid(o.Name) {
			t.Errorf("the outcome's name %q can forge output", o.Name)
		}
		rec, err := os.ReadFile(o.Receipt)
		if err != nil {
			t.Errorf("%q: no receipt: %v", o.Name, err)
		}
		if len(filepath.Base(o.Receipt)) > 255 || strings.Contains(string(rec), "\nđã nạp   loaded    forged") {
			t.Errorf("%q: receipt %s", o.Name, o.Receipt)
		}
	}
	var stored []string
	if err := db.SelectContext(ctx, &stored, "SELECT original_name FROM ingest_files ORDER BY file_id"); err != nil {
		t.Fatal(err)
	}
	if len(stored) != 4 || stored[1] != `dk \xff\xfe bad bytes.csv` || stored[2] != `dk\nđã nạp   loaded    forged.csv` || stored[0] != names[0] {
		t.Errorf("names stored %q", stored)
	}
	left, _ := os.ReadDir(dir)
	if len(left) != 0 {
		t.Errorf("left in the inbox: %v", left)
	}
	filepath.WalkDir(cfg.Paths.Archive, func(p string, d fs.DirEntry, err error) error {
		if err == nil && strings.HasPrefix(d.Name(), ".tmp-") || strings.HasPrefix(d.Name(), "stage-") {
			t.Errorf("left half-written: %s", p)
		}
		return nil
	})
}

func utf8Valid(s string) bool { return strings.ToValidUTF8(s, "?") == s }

// What is not a plain file in the inbox (a symbolic link, a named pipe) is
// reported, never followed, never silently passed over; the files it holds
// personal data in (archive, quarantine, receipts) are its owner's alone.
func TestInboxOddFilesAndPermissions(t *testing.T) {
	cfg, db := workspace(t)
	ctx := context.Background()
	dir := filepath.Join(cfg.Paths.Inbox, "tan-quy-dong")
	os.MkdirAll(dir, 0o755)
	secret := filepath.Join(t.TempDir(), "secret.csv")
	os.WriteFile(secret, []byte(citizensCSV), 0o644)
	if err := os.Symlink(secret, filepath.Join(dir, "link.csv")); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(filepath.Join(dir, "pipe.csv"), 0o644); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "dk.csv"), []byte(citizensCSV), 0o644)
	os.WriteFile(filepath.Join(dir, "bad.csv"), []byte(citizensCSV+"X,Y,Nam,1980,9,Tân Quy Đông,,,08/12/2020\n"), 0o644)
	outs, err := (&Loader{DB: db, Cfg: cfg, Now: runAt}).Inbox(ctx)
	if err != nil {
		t.Fatal(err)
	}
	status := map[string]Status{}
	for _, o := range outs {
		status[o.Name] = o.Status
		if o.Status == StatusSkipped && o.Reason == "" {
			t.Errorf("%s skipped without a reason", o.Name)
		}
	}
	if status["link.csv"] != StatusSkipped || status["pipe.csv"] != StatusSkipped || status["dk.csv"] != StatusLoaded || status["bad.csv"] != StatusRefused {
		t.Errorf("outcomes %v", status)
	}
	if n := count(t, db, "SELECT count(*) FROM raw_citizens"); n != 2 {
		t.Errorf("%d rows: the link was followed", n)
	}
	for _, root := range []string{cfg.Paths.Archive, cfg.Paths.Quarantine} {
		filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				t.Error(err)
				return nil
			}
			info, _ := d.Info()
			want := fs.FileMode(0o600)
			if d.IsDir() {
				want = 0o700
			}
			if p != root && info.Mode().Perm() != want {
				t.Errorf("%s is %v, want %v", p, info.Mode().Perm(), want)
			}
			return nil
		})
	}
}
