// Package exchange owns the packages that carry a city's published figures up
// to its province and a province's to the nation: one signed zip file of
// Parquet tables partitioned by administrative unit and month, with a
// manifest of what it holds. It writes a package from a published snapshot,
// and opens one received, checking it as hostile until proved otherwise:
// its entries' names, sizes and compression, the Ed25519 signature of its
// manifest against the keys the receiver trusts, every file's checksum, the
// schema version, and whether its area lies inside the receiver's and
// overlaps a package already taken.
//
// Why a zip: its central directory lists every entry with its sizes before a
// byte is read, so a package is checked whole before anything is unpacked;
// any office computer opens one; and the entries are stored, not compressed
// (Parquet is compressed already), so an entry's size on disk is its size —
// no zip bomb can hide in it, and a compressed entry is refused.
package exchange

import (
	"time"
)

// SchemaVersion is the version of the tables a package holds. A receiver
// refuses another version: the roll-up's SQL reads these columns.
// Version 2 added family_monthly (Gia đình học tập).
const SchemaVersion = 2

// Format names the manifest's format.
const Format = "hoctap-package"

// Entry names inside a package.
const (
	ManifestName  = "manifest.json"
	SignatureName = "manifest.sig"
	dataDir       = "data/"
)

// Manifest says what a package holds; its bytes are what the signature signs.
type Manifest struct {
	Format        string `json:"format"`
	SchemaVersion int    `json:"schema_version"`
	// Programme is the programme's name, as its pipeline.yaml writes it.
	Programme string `json:"programme"`
	// Area is the official code of the area the package covers, AreaName its
	// name in the register, Level its place (tỉnh, huyện, xã).
	Area     string `json:"area"`
	AreaName string `json:"area_name"`
	// FirstMonth and LastMonth bound the months it holds (YYYY-MM).
	FirstMonth string `json:"first_month"`
	LastMonth  string `json:"last_month"`
	// Units are the official codes of the communes and wards whose rows it holds.
	Units []string `json:"units"`
	// Register is the version of the register of administrative units and
	// its crosswalk the codes are from (their files' checksum).
	Register string `json:"register_version"`
	// People: it holds the person-level table (exchange.people).
	People    bool      `json:"people"`
	CreatedAt time.Time `json:"created_at"`
	Producer  string    `json:"producer"` // hoctap's version
	Tables    []Table   `json:"tables"`
	Files     []File    `json:"files"`
}

// Table is one table of a package: its rows, in how many files.
type Table struct {
	Name  string `json:"name"`
	Rows  int64  `json:"rows"`
	Files int    `json:"files"`
}

// File is one Parquet file of a package.
type File struct {
	Path   string `json:"path"` // data/<table>/unit_code=<code>/month=<YYYY-MM>/<name>.parquet
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// Covers reports whether the months from..to (YYYY-MM) fall inside m's.
func (m *Manifest) Covers(from, to string) bool { return m.FirstMonth <= from && to <= m.LastMonth }

// Overlaps reports whether m shares a month with from..to.
func (m *Manifest) Overlaps(from, to string) bool { return m.FirstMonth <= to && from <= m.LastMonth }
