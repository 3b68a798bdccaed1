package ingest

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// copyFile copies src to dst through a temporary name, so that dst is whole or
// absent; dst keeps src's modification time.
func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	var mod time.Time
	if st, err := in.Stat(); err == nil {
		mod = st.ModTime()
	}
	return writeVia(dst, mod, func(w io.Writer) error {
		_, err := io.Copy(w, in)
		return err
	})
}

// writeAtomic writes b to path through a temporary name.
func writeAtomic(path string, b []byte) error {
	return writeVia(path, time.Time{}, func(w io.Writer) error {
		_, err := w.Write(b)
		return err
	})
}

// writeVia writes path with fill through a synced temporary file renamed into
// place, dated mod when mod is set.
func writeVia(path string, mod time.Time, fill func(io.Writer) error) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if err != nil {
		return err
	}
	err = fill(tmp)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil && !mod.IsZero() {
		err = os.Chtimes(tmp.Name(), mod, mod)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// uniquePath returns path, or path with a number before its extension when it exists.
func uniquePath(path string) string {
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return path
	}
	ext := filepath.Ext(path)
	base := strings.TrimSuffix(path, ext)
	for i := 2; ; i++ {
		p := fmt.Sprintf("%s (%d)%s", base, i, ext)
		if _, err := os.Stat(p); errors.Is(err, fs.ErrNotExist) {
			return p
		}
	}
}
