package exchange

import (
	"archive/zip"
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hoctap/hoctap/geo"
	"github.com/hoctap/hoctap/store"
)

var now = time.Date(2021, 8, 2, 9, 0, 0, 0, time.UTC)

// fixture writes a real package of two units and two months with DuckDB
// and returns its path, the key and the trusted list.
func fixture(t *testing.T, area string, first, last string, at time.Time) (string, ed25519.PrivateKey, []Trusted) {
	t.Helper()
	dir := t.TempDir()
	pub, err := GenerateKey(filepath.Join(dir, "k.key"))
	if err != nil {
		t.Fatal(err)
	}
	key, err := LoadKey(filepath.Join(dir, "k.key"))
	if err != nil {
		t.Fatal(err)
	}
	if PublicKey(key) != pub {
		t.Fatalf("public key %s, printed %s", PublicKey(key), pub)
	}
	k, _ := decodeKey(pub)
	db, err := store.Open(context.Background(), "", store.Options{Threads: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	src := []Source{{Table: "progress_monthly", Query: `SELECT * FROM (VALUES
		('2021-06', '29917', 'tan-quy-dong', 'ward', NULL, 10, 9, 8, 7, 6, 1, 100),
		('2021-07', '29917', 'tan-quy-dong', 'ward', NULL, 10, 10, 9, 8, 7, 1, 100),
		('2021-07', '29920', 'tan-quy-tay', 'ward', NULL, 12, 11, 10, 9, 8, 1, 90))
		t(month, unit_code, ward, level, group_id, registered, assessed, eligible, recognised, reviewed, not_yet, population_adults)`}}
	out := filepath.Join(dir, "goi.zip")
	m, err := Write(context.Background(), db, out, Manifest{Programme: "p", Area: area, AreaName: "Thành phố Sa Đéc", FirstMonth: first, LastMonth: last,
		Register: "r", CreatedAt: at}, src, key)
	if err != nil {
		t.Fatal(err)
	}
	if m.Tables[0].Rows != 3 || m.Tables[0].Files != 3 || strings.Join(m.Units, ",") != "29917,29920" {
		t.Fatalf("manifest: %+v", m)
	}
	return out, key, []Trusted{{Area: area, Name: "Sa Đéc", Key: k}}
}

func refusedCode(t *testing.T, err error) string {
	t.Helper()
	var re *RefusedError
	if !errors.As(err, &re) {
		t.Fatalf("want a refusal, got %v", err)
	}
	return re.Problems[0].Code
}

func TestRoundTrip(t *testing.T) {
	path, _, trusted := fixture(t, "867", "2021-06", "2021-07", now)
	p, err := Open(path, trusted, DefaultLimits, now)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	dir := filepath.Join(t.TempDir(), "x")
	if err := p.Extract(dir); err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(context.Background(), "", store.Options{Threads: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var sum int64
	if err := db.Get(&sum, "SELECT sum(registered) FROM read_parquet("+store.Literal(dir+"/data/progress_monthly/*/*/*.parquet")+", hive_partitioning = true) WHERE month = '2021-07'"); err != nil {
		t.Fatal(err)
	}
	if sum != 22 {
		t.Fatalf("July registered %d, want 22", sum)
	}
}

// rewrite copies the zip at path with edit applied to each entry (nil: the
// entry is left out), then extra entries appended.
func rewrite(t *testing.T, path string, edit func(name string, b []byte) []byte, method uint16, extra map[string][]byte) string {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	out := path + ".edited.zip"
	f, _ := os.Create(out)
	zw := zip.NewWriter(f)
	put := func(name string, b []byte) {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: method})
		if err != nil {
			t.Fatal(err)
		}
		w.Write(b)
	}
	for _, e := range zr.File {
		r, _ := e.Open()
		b, _ := io.ReadAll(r)
		r.Close()
		if b = edit(e.Name, b); b != nil {
			put(e.Name, b)
		}
	}
	for n, b := range extra {
		put(n, b)
	}
	zw.Close()
	f.Close()
	return out
}

func keep(_ string, b []byte) []byte { return b }

func TestRefusals(t *testing.T) {
	path, key, trusted := fixture(t, "867", "2021-06", "2021-07", now)
	other, _, _ := ed25519.GenerateKey(nil) // its public key
	cases := []struct {
		name, code string
		file       func() string
		trusted    []Trusted
		lim        Limits
	}{
		{"a parquet byte changed", "checksum", func() string {
			return rewrite(t, path, func(n string, b []byte) []byte {
				if strings.HasSuffix(n, ".parquet") && strings.Contains(n, "29920") {
					b[len(b)/2] ^= 0xff
				}
				return b
			}, zip.Store, nil)
		}, trusted, DefaultLimits},
		{"the manifest changed after signing", "bad_signature", func() string {
			return rewrite(t, path, func(n string, b []byte) []byte {
				if n == ManifestName {
					return []byte(strings.Replace(string(b), `"area": "867"`, `"area": "876"`, 1))
				}
				return b
			}, zip.Store, nil)
		}, trusted, DefaultLimits},
		{"signed by a key not trusted", "bad_signature", func() string { return path }, []Trusted{{Area: "867", Key: other}}, DefaultLimits},
		{"signed by another area's key", "wrong_key", func() string { return path }, []Trusted{{Area: "876", Name: "Lai Vung", Key: key.Public().(ed25519.PublicKey)}}, DefaultLimits},
		{"a path traversal entry", "bad_entry", func() string {
			return rewrite(t, path, keep, zip.Store, map[string][]byte{"../../etc/cron.d/x": []byte("boom")})
		}, trusted, DefaultLimits},
		{"a traversal dressed as data", "bad_entry", func() string {
			return rewrite(t, path, keep, zip.Store, map[string][]byte{"data/progress_monthly/unit_code=1/../../../x.parquet": []byte("boom")})
		}, trusted, DefaultLimits},
		{"an absolute entry", "bad_entry", func() string {
			return rewrite(t, path, keep, zip.Store, map[string][]byte{"/tmp/x.parquet": []byte("boom")})
		}, trusted, DefaultLimits},
		{"a deflated entry (zip bomb)", "compressed_entry", func() string {
			return rewrite(t, path, keep, zip.Deflate, nil)
		}, trusted, DefaultLimits},
		{"an extra data file not in the manifest", "extra_file", func() string {
			return rewrite(t, path, keep, zip.Store, map[string][]byte{"data/progress_monthly/unit_code=29923/month=2021-07/part_0.parquet": []byte("PAR1")})
		}, trusted, DefaultLimits},
		{"a file missing", "missing_file", func() string {
			return rewrite(t, path, func(n string, b []byte) []byte {
				if strings.Contains(n, "29920") {
					return nil
				}
				return b
			}, zip.Store, nil)
		}, trusted, DefaultLimits},
		{"an oversized manifest", "manifest_too_large", func() string { return path }, trusted, Limits{MaxSize: 1 << 30, MaxManifest: 100, MaxEntries: 100}},
		{"an oversized file", "package_too_large", func() string { return path }, trusted, Limits{MaxSize: 100, MaxManifest: 1 << 20, MaxEntries: 100}},
		{"too many entries", "too_many_entries", func() string { return path }, trusted, Limits{MaxSize: 1 << 30, MaxManifest: 1 << 20, MaxEntries: 2}},
		{"not a zip", "not_a_package", func() string {
			p := filepath.Join(t.TempDir(), "x.zip")
			os.WriteFile(p, []byte("hello"), 0o600)
			return p
		}, trusted, DefaultLimits},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, err := Open(c.file(), c.trusted, c.lim, now)
			if err == nil {
				err = p.Extract(filepath.Join(t.TempDir(), "x"))
				p.Close()
			}
			if got := refusedCode(t, err); got != c.code {
				t.Fatalf("refused as %s (%v), want %s", got, err, c.code)
			}
		})
	}
}

// TestSignedButHostile: a manifest signed by a trusted key still may not
// name files outside its own shape, months or units.
func TestSignedButHostile(t *testing.T) {
	path, key, trusted := fixture(t, "867", "2021-06", "2021-07", now)
	for name, edit := range map[string]func(m *Manifest){
		"a month outside":     func(m *Manifest) { m.LastMonth = "2021-06" },
		"a unit not declared": func(m *Manifest) { m.Units = m.Units[:1] },
		"another schema":      func(m *Manifest) { m.SchemaVersion = 99 },
		"from the future":     func(m *Manifest) { m.CreatedAt = now.Add(48 * time.Hour) },
		"people undeclared":   func(m *Manifest) { m.Tables = append(m.Tables, Table{Name: PeopleTable}) },
	} {
		t.Run(name, func(t *testing.T) {
			out := rewrite(t, path, func(n string, b []byte) []byte {
				switch n {
				case ManifestName:
					var m Manifest
					json.Unmarshal(b, &m)
					edit(&m)
					b, _ = json.MarshalIndent(&m, "", "  ")
					return b
				case SignatureName:
					return nil
				}
				return b
			}, zip.Store, nil)
			// sign the edited manifest with the trusted key
			zr, _ := zip.OpenReader(out)
			var mb []byte
			for _, e := range zr.File {
				if e.Name == ManifestName {
					r, _ := e.Open()
					mb, _ = io.ReadAll(r)
				}
			}
			zr.Close()
			signed := rewrite(t, out, keep, zip.Store, map[string][]byte{SignatureName: []byte(base64.StdEncoding.EncodeToString(ed25519.Sign(key, mb)))})
			p, err := Open(signed, trusted, DefaultLimits, now)
			if err == nil {
				p.Close()
			}
			if code := refusedCode(t, err); code != "bad_manifest" && code != "schema_version" {
				t.Fatalf("refused as %s: %v", code, err)
			}
		})
	}
}

func TestAdmit(t *testing.T) {
	reg, err := geo.LoadFiles("../dvhc/don-vi.csv", "../dvhc/chuyen-doi.csv")
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2021, 8, 1, 0, 0, 0, 0, time.UTC)
	m := func(area string, units []string, first, last string, at time.Time) *Manifest {
		return &Manifest{Area: area, Units: units, FirstMonth: first, LastMonth: last, CreatedAt: at}
	}
	sadec := []string{"29917", "29920", "29923"}
	held := []Accepted{{FileID: 1, Area: "867", First: "2020-11", Last: "2021-07", CreatedAt: t0}}
	cases := []struct {
		name  string
		m     *Manifest
		own   string
		held  []Accepted
		code  string
		super []int64
	}{
		{"a city inside its province", m("867", sadec, "2020-11", "2021-07", t0), "87", nil, "", nil},
		{"a district beside it", m("876", []string{"30211"}, "2020-11", "2021-07", t0), "87", held, "", nil},
		{"an area of another province", m("825", []string{"28696"}, "2020-11", "2021-07", t0), "87", nil, "outside_area", nil},
		{"a province into the nation", m("87", sadec, "2020-11", "2021-07", t0), Nation, nil, "", nil},
		{"a unit of another area", m("867", []string{"30211"}, "2020-11", "2021-07", t0), "87", nil, "outside_area", nil},
		{"an unknown area", m("99999", nil, "2020-11", "2021-07", t0), "87", nil, "unknown_area", nil},
		{"an older package of the same area", m("867", sadec, "2021-01", "2021-07", t0.Add(-time.Hour)), "87", held, "older_package", nil},
		{"the same time again", m("867", sadec, "2020-11", "2021-07", t0), "87", held, "older_package", nil},
		{"a newer package covering the months", m("867", sadec, "2020-11", "2021-07", t0.Add(time.Hour)), "87", held, "", []int64{1}},
		{"a newer package covering part", m("867", sadec, "2021-01", "2021-07", t0.Add(time.Hour)), "87", held, "partial_overlap", nil},
		{"later months of the same area", m("867", sadec, "2021-08", "2021-09", t0.Add(time.Hour)), "87", held, "", nil},
		{"a ward of a city already held", m("29917", []string{"29917"}, "2021-07", "2021-07", t0.Add(time.Hour)), "87", held, "overlap", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			super, err := Admit(c.m, c.own, reg, c.held)
			if c.code == "" {
				if err != nil {
					t.Fatal(err)
				}
				if len(super) != len(c.super) || (len(super) > 0 && super[0] != c.super[0]) {
					t.Fatalf("supersedes %v, want %v", super, c.super)
				}
				return
			}
			if got := refusedCode(t, err); got != c.code {
				t.Fatalf("refused as %s (%v), want %s", got, err, c.code)
			}
		})
	}
}

func TestLoadKeyRefusesReadableFile(t *testing.T) {
	p := filepath.Join(t.TempDir(), "k.key")
	if _, err := GenerateKey(p); err != nil {
		t.Fatal(err)
	}
	if _, err := GenerateKey(p); err == nil {
		t.Fatal("overwrote an existing key")
	}
	os.Chmod(p, 0o644)
	if _, err := LoadKey(p); err == nil || !strings.Contains(err.Error(), "chmod 600") {
		t.Fatalf("a key readable by others: %v", err)
	}
}
