package ingest

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/hoctap/hoctap/config"
)

// A file is read from a private copy, its staged copy: the checksum is taken
// while copying, so that the bytes checked, loaded and archived are the ones
// hashed, whatever happens to the inbox copy meanwhile. The staged copy then
// becomes the archived (or quarantined) one. Files that hold personal data
// are written 0600 in folders 0700.

// staged is a file's private copy.
type staged struct {
	path string
	sum  string
	size int64
	mod  time.Time
	kept bool
}

// stagingDir is where files are copied before they are read: inside the
// archive, so that keeping one is a rename.
func (l *Loader) stagingDir() (string, error) {
	if l.DryRun {
		if l.tmp == "" {
			d, err := os.MkdirTemp("", "hoctap-validate-")
			if err != nil {
				return "", err
			}
			l.tmp = d
		}
		return l.tmp, nil
	}
	dir := filepath.Join(l.Cfg.Paths.Archive, ".staging")
	return dir, os.MkdirAll(dir, 0o700)
}

// stage copies src into the staging folder, hashing it.
func (l *Loader) stage(src string) (*staged, error) {
	in, err := os.Open(src)
	if err != nil {
		return nil, err
	}
	defer in.Close()
	st, err := in.Stat()
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file", printable(src))
	}
	dir, err := l.stagingDir()
	if err != nil {
		return nil, err
	}
	f, err := os.CreateTemp(dir, "stage-*")
	if err != nil {
		return nil, err
	}
	s := &staged{path: f.Name(), mod: st.ModTime()}
	h := sha256.New()
	s.size, err = io.Copy(io.MultiWriter(f, h), in)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(s.path)
		return nil, err
	}
	s.sum = hex.EncodeToString(h.Sum(nil))
	return s, nil
}

// keep moves the staged copy to dst (0600, in folders 0700), dated as the
// file was.
func (s *staged) keep(dst string) error {
	if err := os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
		return err
	}
	if err := os.Chtimes(s.path, s.mod, s.mod); err != nil {
		return err
	}
	if err := os.Rename(s.path, dst); err != nil {
		if err := copyFile(s.path, dst); err != nil {
			return err
		}
	}
	s.kept = true
	return os.Chmod(dst, 0o600)
}

// remove drops the staged copy unless it was kept.
func (s *staged) remove() {
	if !s.kept {
		os.Remove(s.path)
	}
}

// clearStaging removes what a stopped run left in the staging folder.
func (l *Loader) clearStaging() {
	if l.DryRun {
		return
	}
	dir := filepath.Join(l.Cfg.Paths.Archive, ".staging")
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		os.Remove(filepath.Join(dir, e.Name()))
	}
}

// removeInbox removes a file from the inbox once it is kept.
func removeInbox(path string) error {
	if err := os.Remove(path); err != nil {
		return fmt.Errorf("the file is kept, but its inbox copy cannot be removed: %w", err)
	}
	return nil
}

// printable is a name as it can be shown and stored: valid UTF-8 in NFC, with
// invalid bytes written \xNN and control and direction characters \u…, so
// that a name cannot forge a line of output or reorder it.
func printable(name string) string {
	var b strings.Builder
	for i := 0; i < len(name); {
		r, n := utf8.DecodeRuneInString(name[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			fmt.Fprintf(&b, `\x%02x`, name[i])
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case unsafeRune(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(name[i : i+n])
		}
		i += n
	}
	return config.NFC(b.String())
}

// unsafeRune reports control characters and the invisible characters that
// change the direction or the order of text.
func unsafeRune(r rune) bool {
	return unicode.IsControl(r) || (r >= 0x202A && r <= 0x202E) || (r >= 0x2066 && r <= 0x2069) || r == 0x2028 || r == 0x2029 || r == 0x200E || r == 0x200F
}

// maxNameBytes bounds the names ingest gives the files it keeps, so that a
// receipt's name (".receipt.txt" more) and a copy's (" (2)" more) stay within
// the 255 bytes a file system allows.
const maxNameBytes = 200

// safeName is the name under which a received file is kept: its own name,
// but in NFC, without bytes that are not UTF-8, control characters or the
// characters that some systems refuse (/ \ : * ? " < > |), not hidden, and at
// most maxNameBytes long with its extension kept. The name as sent is kept in
// the database (ingest_files.original_name).
func safeName(name string) string {
	var b strings.Builder
	for i := 0; i < len(name); {
		r, n := utf8.DecodeRuneInString(name[i:])
		switch {
		case r == utf8.RuneError && n == 1, unsafeRune(r), strings.ContainsRune(`/\:*?"<>|`, r):
			b.WriteByte('_')
		default:
			b.WriteString(name[i : i+n])
		}
		i += n
	}
	s := strings.TrimLeft(config.NFC(b.String()), ". ")
	s = strings.TrimRight(s, " ")
	if len(s) > maxNameBytes {
		ext := filepath.Ext(s)
		if len(ext) > 16 || !utf8.ValidString(ext) {
			ext = ""
		}
		stem := s[:maxNameBytes-len(ext)]
		for len(stem) > 0 && !utf8.ValidString(stem) {
			stem = stem[:len(stem)-1]
		}
		s = stem + ext
	}
	if s == "" || s == filepath.Ext(s) {
		s = "file" + s
	}
	return s
}
