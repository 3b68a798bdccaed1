package exchange

import (
	"archive/zip"
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// Trusted is a public key a receiver trusts for packages of one area.
type Trusted struct {
	Area, Name string
	Key        ed25519.PublicKey
}

// Limits bound what a package received may hold.
type Limits struct {
	MaxSize     int64 // the file (exchange.max_package_size)
	MaxManifest int64 // the manifest's bytes
	MaxEntries  int   // the zip's entries
}

// DefaultLimits are generous for a province of a few hundred communes over
// years of months and small enough that a hostile file cannot exhaust memory.
var DefaultLimits = Limits{MaxSize: 512 << 20, MaxManifest: 32 << 20, MaxEntries: 200_000}

// Problem is one reason a package is refused, in Vietnamese and English.
type Problem struct {
	Code   string
	VI, EN string
}

// RefusedError lists why a package is refused.
type RefusedError struct{ Problems []Problem }

func (e *RefusedError) Error() string {
	var vi, en []string
	for _, p := range e.Problems {
		vi, en = append(vi, p.VI), append(en, p.EN)
	}
	return "gói số liệu bị từ chối: " + strings.Join(vi, "; ") + " — package refused: " + strings.Join(en, "; ")
}

func refused(code, vi, en string, args ...any) *RefusedError {
	return &RefusedError{Problems: []Problem{{Code: code, VI: fmt.Sprintf(vi, args...), EN: fmt.Sprintf(en, args...)}}}
}

// Package is a package opened and checked: its manifest verified against a
// trusted key. Extract unpacks it, checking every file's checksum.
type Package struct {
	Manifest *Manifest
	Raw      []byte // the manifest's bytes, as signed
	KeyName  string // whose key verified it

	zr    *zip.ReadCloser
	files map[string]*zip.File
}

// Close closes the package's file.
func (p *Package) Close() error { return p.zr.Close() }

// Open opens the package at path and checks it: a zip of stored entries
// whose names are the manifest, its signature and data files of the
// expected shape only, no entry twice, within lim; a signature made by a
// key trusted for the manifest's area; the manifest's format, schema
// version, months, units and tables; its list of files the same as the
// entries. now bounds the manifest's time. A package that fails is refused
// with a *RefusedError saying why.
func Open(path string, trusted []Trusted, lim Limits, now time.Time) (*Package, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if st.Size() > lim.MaxSize {
		return nil, refused("package_too_large", "tệp %d byte, vượt giới hạn %d byte (exchange.max_package_size)",
			"the file is %d bytes, over the limit of %d (exchange.max_package_size)", st.Size(), lim.MaxSize)
	}
	zr, err := zip.OpenReader(path)
	if err != nil {
		return nil, refused("not_a_package", "không phải tệp zip đọc được (%v)", "not a readable zip file (%v)", err)
	}
	p := &Package{zr: zr, files: map[string]*zip.File{}}
	if err := p.check(st.Size(), trusted, lim, now); err != nil {
		zr.Close()
		return nil, err
	}
	return p, nil
}

func (p *Package) check(size int64, trusted []Trusted, lim Limits, now time.Time) error {
	if len(p.zr.File) > lim.MaxEntries {
		return refused("too_many_entries", "gói có %d mục, vượt giới hạn %d", "the package has %d entries, over the limit of %d", len(p.zr.File), lim.MaxEntries)
	}
	var total uint64
	for _, f := range p.zr.File {
		name := f.Name
		if name != ManifestName && name != SignatureName {
			if _, err := parseDataPath(name); err != nil {
				return refused("bad_entry", "mục %q không phải tệp của gói số liệu (chỉ nhận manifest.json, manifest.sig và data/<bảng>/unit_code=…/month=…/….parquet)",
					"the entry %q is not a package file (only manifest.json, manifest.sig and data/<table>/unit_code=…/month=…/….parquet)", printable(name))
			}
		}
		if _, dup := p.files[name]; dup {
			return refused("duplicate_entry", "mục %q có hai lần", "the entry %q appears twice", printable(name))
		}
		if !f.Mode().IsRegular() {
			return refused("bad_entry", "mục %q không phải tệp thường", "the entry %q is not a regular file", printable(name))
		}
		if f.Method != zip.Store || f.CompressedSize64 != f.UncompressedSize64 {
			return refused("compressed_entry", "mục %q bị nén (gói chỉ chứa mục lưu nguyên, không nén)", "the entry %q is compressed (a package holds stored entries only)", printable(name))
		}
		total += f.UncompressedSize64
		p.files[name] = f
	}
	if total > uint64(size) {
		return refused("overlapping_entries", "các mục cộng lại %d byte, lớn hơn cả tệp (%d byte): các mục chồng lên nhau", "the entries add up to %d bytes, more than the file (%d): they overlap", total, size)
	}
	mf, sf := p.files[ManifestName], p.files[SignatureName]
	if mf == nil || sf == nil {
		return refused("no_manifest", "thiếu manifest.json hoặc manifest.sig", "manifest.json or manifest.sig is missing")
	}
	if mf.UncompressedSize64 > uint64(lim.MaxManifest) {
		return refused("manifest_too_large", "manifest.json %d byte, vượt giới hạn %d", "manifest.json is %d bytes, over the limit of %d", mf.UncompressedSize64, lim.MaxManifest)
	}
	raw, err := readEntry(mf, lim.MaxManifest)
	if err != nil {
		return refused("bad_entry", "không đọc được manifest.json (%v)", "cannot read manifest.json (%v)", err)
	}
	sigText, err := readEntry(sf, 1024)
	if err != nil {
		return refused("bad_signature", "không đọc được manifest.sig (%v)", "cannot read manifest.sig (%v)", err)
	}
	sig, err := base64.StdEncoding.DecodeString(strings.TrimSpace(string(sigText)))
	if err != nil || len(sig) != ed25519.SignatureSize {
		return refused("bad_signature", "manifest.sig không phải chữ ký Ed25519", "manifest.sig is not an Ed25519 signature")
	}
	var key *Trusted
	for i := range trusted {
		if ed25519.Verify(trusted[i].Key, raw, sig) {
			key = &trusted[i]
			break
		}
	}
	if key == nil {
		return refused("bad_signature", "chữ ký không khớp với khóa công khai nào được tin cậy (exchange.trusted): gói đã bị sửa sau khi ký, hoặc do nơi chưa được tin cậy gửi",
			"the signature matches no trusted public key (exchange.trusted): the package was changed after it was signed, or comes from a sender not trusted")
	}
	m := &Manifest{}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(m); err != nil {
		return refused("bad_manifest", "manifest.json không đọc được (%v)", "manifest.json cannot be read (%v)", err)
	}
	if key.Area != m.Area {
		return refused("wrong_key", "gói của đơn vị %s nhưng được ký bằng khóa của đơn vị %s (%s)", "the package is for area %s but signed with the key of area %s (%s)",
			printable(m.Area), key.Area, key.Name)
	}
	if err := checkManifest(m, now); err != nil {
		return err
	}
	listed := map[string]File{}
	for _, f := range m.Files {
		if _, dup := listed[f.Path]; dup {
			return refused("bad_manifest", "manifest.json ghi tệp %q hai lần", "manifest.json lists %q twice", printable(f.Path))
		}
		listed[f.Path] = f
		e := p.files[f.Path]
		if e == nil {
			return refused("missing_file", "thiếu tệp %s mà manifest.json ghi", "the file %s that manifest.json lists is missing", printable(f.Path))
		}
		if int64(e.UncompressedSize64) != f.Size {
			return refused("checksum", "tệp %s có %d byte, manifest.json ghi %d: gói đã bị sửa", "the file %s has %d bytes, manifest.json says %d: the package was altered",
				printable(f.Path), e.UncompressedSize64, f.Size)
		}
	}
	for name := range p.files {
		if name != ManifestName && name != SignatureName {
			if _, ok := listed[name]; !ok {
				return refused("extra_file", "tệp %s không có trong manifest.json: gói đã bị sửa", "the file %s is not in manifest.json: the package was altered", printable(name))
			}
		}
	}
	p.Manifest, p.Raw, p.KeyName = m, raw, key.Name
	return nil
}

// checkManifest checks what the manifest says of itself.
func checkManifest(m *Manifest, now time.Time) error {
	switch {
	case m.Format != Format:
		return refused("bad_manifest", "manifest.json không phải của gói hoctap (format %q)", "manifest.json is not a hoctap package's (format %q)", printable(m.Format))
	case m.SchemaVersion != SchemaVersion:
		return refused("schema_version", "gói theo phiên bản cấu trúc %d, nơi nhận đọc phiên bản %d: hai bên cần cùng phiên bản hoctap",
			"the package has schema version %d and this receiver reads version %d: both sides need the same version of hoctap", m.SchemaVersion, SchemaVersion)
	case !isCode(m.Area):
		return refused("bad_manifest", "mã đơn vị %q không hợp lệ", "the area code %q is not a code", printable(m.Area))
	case !isMonth(m.FirstMonth) || !isMonth(m.LastMonth) || m.LastMonth < m.FirstMonth:
		return refused("bad_manifest", "các tháng %q–%q không hợp lệ", "the months %q–%q are not valid", printable(m.FirstMonth), printable(m.LastMonth))
	case m.CreatedAt.IsZero() || m.CreatedAt.After(now.Add(24*time.Hour)):
		return refused("bad_manifest", "thời điểm tạo gói %s không hợp lệ (sau thời điểm hiện tại)", "the package's time %s is not valid (after now)", m.CreatedAt.Format(time.RFC3339))
	}
	known := TableNames()
	for _, t := range m.Tables {
		if !slices.Contains(known, t.Name) {
			return refused("bad_manifest", "bảng %q không thuộc cấu trúc phiên bản %d", "the table %q is not of schema version %d", printable(t.Name), SchemaVersion)
		}
		if t.Name == PeopleTable && !m.People {
			return refused("bad_manifest", "gói có bảng cá nhân nhưng không khai people", "the package holds the person-level table but does not declare people")
		}
	}
	for _, u := range m.Units {
		if !isCode(u) {
			return refused("bad_manifest", "mã đơn vị %q không hợp lệ", "the unit code %q is not a code", printable(u))
		}
	}
	for _, f := range m.Files {
		dp, err := parseDataPath(f.Path)
		if err != nil {
			return refused("bad_manifest", "manifest.json ghi tệp %q không đúng dạng", "manifest.json lists %q, not a data file", printable(f.Path))
		}
		if !slices.ContainsFunc(m.Tables, func(t Table) bool { return t.Name == dp.table }) {
			return refused("bad_manifest", "tệp %s thuộc bảng %s không khai trong manifest.json", "the file %s is of table %s, which manifest.json does not declare", f.Path, dp.table)
		}
		if !slices.Contains(m.Units, dp.unit) {
			return refused("bad_manifest", "tệp %s thuộc đơn vị %s không khai trong manifest.json", "the file %s is of unit %s, which manifest.json does not declare", f.Path, dp.unit)
		}
		if dp.month < m.FirstMonth || dp.month > m.LastMonth {
			return refused("bad_manifest", "tệp %s thuộc tháng %s, ngoài các tháng của gói (%s–%s)", "the file %s is of month %s, outside the package's months (%s–%s)",
				f.Path, dp.month, m.FirstMonth, m.LastMonth)
		}
		if len(f.SHA256) != 64 {
			return refused("bad_manifest", "tệp %s không có mã kiểm tra SHA-256", "the file %s has no SHA-256 checksum", f.Path)
		}
	}
	return nil
}

// readEntry reads a stored entry of at most max bytes.
func readEntry(f *zip.File, max int64) ([]byte, error) {
	r, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	b, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > max {
		return nil, errors.New("too large")
	}
	return b, nil
}

// Extract unpacks the package's data files under dir (made, empty), each
// checked against its SHA-256 in the manifest as it is written: a file that
// differs refuses the package, and dir is removed.
func (p *Package) Extract(dir string) (err error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	defer func() {
		if err != nil {
			os.RemoveAll(dir)
		}
	}()
	for _, f := range p.Manifest.Files {
		e := p.files[f.Path]
		dst := filepath.Join(dir, filepath.FromSlash(f.Path)) // the path's every part was checked: no "..", no root
		if err := os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
			return err
		}
		if err := extractOne(e, dst, f); err != nil {
			return err
		}
	}
	return os.WriteFile(filepath.Join(dir, ManifestName), p.Raw, 0o600)
}

func extractOne(e *zip.File, dst string, f File) error {
	r, err := e.Open()
	if err != nil {
		return err
	}
	defer r.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(out, h), io.LimitReader(r, f.Size+1))
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		if errors.Is(err, zip.ErrChecksum) || errors.Is(err, zip.ErrFormat) || errors.Is(err, io.ErrUnexpectedEOF) {
			return refused("checksum", "tệp %s hỏng (%v): gói đã bị sửa", "the file %s is damaged (%v): the package was altered", f.Path, err)
		}
		return err
	}
	if n != f.Size || hex.EncodeToString(h.Sum(nil)) != f.SHA256 {
		return refused("checksum", "mã kiểm tra SHA-256 của tệp %s không khớp manifest.json: gói đã bị sửa sau khi ký", "the SHA-256 of %s does not match manifest.json: the package was altered after it was signed", f.Path)
	}
	return nil
}

// printable escapes what a hostile name could hide.
func printable(s string) string {
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	q := fmt.Sprintf("%q", s)
	return q[1 : len(q)-1]
}
