// Package hoctap holds what the whole pipeline is built from and ships inside the
// binary: the default configuration (the Sa Đéc pilot's pipeline.yaml) and the
// SQL models. It does no work of its own: cmd/hoctap wires the stages.
package hoctap

import (
	"embed"
	"io/fs"
	"os"
	"path/filepath"
)

// DefaultConfig is the repository's pipeline.yaml: the Sa Đéc pilot, November 2020
// to July 2021. `hoctap demo` and `hoctap init` start from it.
//
//go:embed pipeline.yaml
var DefaultConfig []byte

// Register holds the register of administrative units that pipeline.yaml's
// geography section names: dvhc/don-vi.csv (the units of the pilot's area
// before and after 1 July 2025) and dvhc/chuyen-doi.csv (the crosswalk).
//
//go:embed dvhc/don-vi.csv dvhc/chuyen-doi.csv dvhc/README.md
var Register embed.FS

// WriteRegister writes the register (dvhc/) into dir, where the default
// pipeline.yaml written there looks for it.
func WriteRegister(dir string) error {
	return fs.WalkDir(Register, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := Register.ReadFile(path)
		if err != nil {
			return err
		}
		dst := filepath.Join(dir, filepath.FromSlash(path))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		return os.WriteFile(dst, b, 0o644)
	})
}

// SQL holds the SQL models (sql/models, one SELECT per file, the table named
// after the file) and the data tests (sql/tests, each must return no rows).
//
//go:embed sql/models/*.sql sql/tests/*.sql
var SQL embed.FS
