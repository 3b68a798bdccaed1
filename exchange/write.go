package exchange

import (
	"archive/zip"
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/hoctap/hoctap/store"
)

// Write writes the package of m's area and months to out: each source's rows
// of those months as Parquet, partitioned by unit and month by DuckDB's COPY,
// then the manifest (m, with the tables, units and files filled in) and its
// signature by key, all in one zip written beside out and renamed onto it.
// db runs the sources' queries. It returns the manifest written.
func Write(ctx context.Context, db Execer, out string, m Manifest, sources []Source, key ed25519.PrivateKey) (*Manifest, error) {
	m.Format, m.SchemaVersion = Format, SchemaVersion
	m.Tables, m.Files, m.Units = nil, nil, nil
	tmp, err := os.MkdirTemp(filepath.Dir(out), ".package-")
	if err != nil {
		return nil, fmt.Errorf("package: %w", err)
	}
	defer os.RemoveAll(tmp)
	if err := os.Mkdir(filepath.Join(tmp, "data"), 0o700); err != nil {
		return nil, fmt.Errorf("package: %w", err)
	}
	for _, s := range sources {
		q := fmt.Sprintf("SELECT * FROM (\n%s\n) WHERE month BETWEEN %s AND %s", strings.TrimSuffix(strings.TrimSpace(s.Query), ";"),
			store.Literal(m.FirstMonth), store.Literal(m.LastMonth))
		dir := filepath.Join(tmp, "data", s.Table)
		res, err := db.ExecContext(ctx, fmt.Sprintf("COPY (%s) TO %s (FORMAT parquet, PARTITION_BY (unit_code, month), FILENAME_PATTERN 'part_{i}', COMPRESSION zstd)",
			q, store.Literal(dir)))
		if err != nil {
			return nil, fmt.Errorf("package: table %s: %w", s.Table, err)
		}
		rows, err := res.RowsAffected()
		if err != nil {
			return nil, fmt.Errorf("package: table %s: %w", s.Table, err)
		}
		m.Tables = append(m.Tables, Table{Name: s.Table, Rows: rows})
	}
	var paths []string
	if err := filepath.WalkDir(filepath.Join(tmp, "data"), func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if os.IsNotExist(err) {
				return nil
			}
			return err
		}
		if d.Type().IsRegular() {
			rel, _ := filepath.Rel(tmp, p)
			paths = append(paths, filepath.ToSlash(rel))
		}
		return nil
	}); err != nil {
		return nil, fmt.Errorf("package: %w", err)
	}
	slices.Sort(paths)
	units := map[string]bool{}
	for _, p := range paths {
		dp, err := parseDataPath(p)
		if err != nil {
			return nil, fmt.Errorf("package: %w", err)
		}
		units[dp.unit] = true
		for i := range m.Tables {
			if m.Tables[i].Name == dp.table {
				m.Tables[i].Files++
			}
		}
	}
	for u := range units {
		m.Units = append(m.Units, u)
	}
	slices.Sort(m.Units)

	partial := out + ".new"
	f, err := os.OpenFile(partial, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return nil, fmt.Errorf("package: %w", err)
	}
	defer os.Remove(partial)
	zw := zip.NewWriter(f)
	add := func(name string, r io.Reader) (int64, string, error) {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Store, Modified: m.CreatedAt})
		if err != nil {
			return 0, "", err
		}
		h := sha256.New()
		n, err := io.Copy(io.MultiWriter(w, h), r)
		return n, hex.EncodeToString(h.Sum(nil)), err
	}
	for _, p := range paths {
		src, err := os.Open(filepath.Join(tmp, filepath.FromSlash(p)))
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("package: %w", err)
		}
		n, sum, err := add(p, src)
		src.Close()
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("package: %w", err)
		}
		m.Files = append(m.Files, File{Path: p, Size: n, SHA256: sum})
	}
	mb, err := json.MarshalIndent(&m, "", "  ")
	if err != nil {
		f.Close()
		return nil, err
	}
	sig := base64.StdEncoding.EncodeToString(ed25519.Sign(key, mb))
	for _, e := range []struct {
		name string
		b    []byte
	}{{ManifestName, mb}, {SignatureName, []byte(sig + "\n")}} {
		if _, _, err := add(e.name, strings.NewReader(string(e.b))); err != nil {
			f.Close()
			return nil, fmt.Errorf("package: %w", err)
		}
	}
	if err := zw.Close(); err != nil {
		f.Close()
		return nil, fmt.Errorf("package: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return nil, fmt.Errorf("package: %w", err)
	}
	if err := f.Close(); err != nil {
		return nil, fmt.Errorf("package: %w", err)
	}
	if err := os.Rename(partial, out); err != nil {
		return nil, fmt.Errorf("package: %w", err)
	}
	return &m, nil
}

// Execer runs a statement: a database, or one connection of it (whose temporary
// tables and search path the sources may need).
type Execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// dataPath is a data file's place: data/<table>/unit_code=<u>/month=<m>/<file>.parquet.
type dataPath struct{ table, unit, month string }

// parseDataPath reads a data entry's name, refusing any other shape.
func parseDataPath(p string) (dataPath, error) {
	parts := strings.Split(p, "/")
	if len(parts) != 5 || parts[0] != "data" || !strings.HasSuffix(parts[4], ".parquet") {
		return dataPath{}, fmt.Errorf("%q is not data/<table>/unit_code=…/month=…/….parquet", p)
	}
	u, ok1 := strings.CutPrefix(parts[2], "unit_code=")
	mo, ok2 := strings.CutPrefix(parts[3], "month=")
	if !ok1 || !ok2 || !isCode(u) || !isMonth(mo) || !isName(parts[1]) || !isName(strings.TrimSuffix(parts[4], ".parquet")) {
		return dataPath{}, fmt.Errorf("%q is not data/<table>/unit_code=…/month=…/….parquet", p)
	}
	return dataPath{table: parts[1], unit: u, month: mo}, nil
}

// isCode: an official code is digits (or the letters of a code like VN).
func isCode(s string) bool {
	if s == "" || len(s) > 16 {
		return false
	}
	for _, r := range s {
		if !(r >= '0' && r <= '9' || r >= 'A' && r <= 'Z') {
			return false
		}
	}
	return true
}

func isMonth(s string) bool {
	return len(s) == 7 && s[4] == '-' && strings.Trim(s[:4]+s[5:], "0123456789") == "" && s[5:] >= "01" && s[5:] <= "12"
}

// isName: a table or file name is lower-case letters, digits and _.
func isName(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_') {
			return false
		}
	}
	return true
}
