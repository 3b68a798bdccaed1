package ingest

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/hoctap/hoctap/exchange"
	"github.com/hoctap/hoctap/geo"
	"github.com/hoctap/hoctap/store"
	"github.com/hoctap/hoctap/wardfile"
)

// PackagesDir is where a receiving level unpacks the packages it accepts:
// "packages" beside the pipeline's database, one folder per package's checksum.
func PackagesDir(dbPath string) string { return filepath.Join(filepath.Dir(dbPath), "packages") }

// isPackage reports whether a file in the inbox is an exchange package: a
// zip, in a workspace that receives them (exchange.trusted).
func (l *Loader) isPackage(name string) bool {
	return l.Cfg.Exchange.Receives() && strings.EqualFold(filepath.Ext(name), ".zip")
}

// loadPackage takes an exchange package: opened and checked (exchange.Open),
// admitted against the register and the packages already held
// (exchange.Admit), unpacked with every checksum checked, then recorded with
// the packages it supersedes, in one transaction. A package that fails is
// refused with a receipt, like any file.
func (l *Loader) loadPackage(ctx context.Context, out Outcome, p pending, stage *staged) (Outcome, error) {
	out.Result = &wardfile.Result{}
	refuse := func(err error) (Outcome, error) {
		var re *exchange.RefusedError
		if !errors.As(err, &re) {
			return out, fmt.Errorf("ingest %s: %w", out.Name, err)
		}
		for _, pr := range re.Problems {
			out.Result.Add(wardfile.Problem{Severity: wardfile.SevError, File: out.Name, Code: "package_" + pr.Code, VI: pr.VI, EN: pr.EN})
		}
		return l.refuse(ctx, out, p, stage)
	}
	trusted, err := exchange.TrustedFrom(l.Cfg)
	if err != nil {
		return out, err
	}
	reg, err := geo.Load(l.Cfg)
	if err != nil {
		return out, err
	}
	lim := exchange.DefaultLimits
	lim.MaxSize = int64(l.Cfg.Exchange.MaxPackageSize)
	pkg, err := exchange.Open(stage.path, trusted, lim, l.Now)
	if err != nil {
		return refuse(err)
	}
	defer pkg.Close()
	m := pkg.Manifest
	var held []struct {
		FileID    int64     `db:"file_id"`
		Area      string    `db:"area"`
		First     string    `db:"first_month"`
		Last      string    `db:"last_month"`
		CreatedAt time.Time `db:"created_at"`
	}
	if err := l.DB.SelectContext(ctx, &held, sqlPackageHeld); err != nil {
		return out, err
	}
	accepted := make([]exchange.Accepted, len(held))
	for i, h := range held {
		accepted[i] = exchange.Accepted{FileID: h.FileID, Area: h.Area, First: h.First, Last: h.Last, CreatedAt: h.CreatedAt}
	}
	supersedes, err := exchange.Admit(m, l.Cfg.City.OfficialCode, reg, accepted)
	if err != nil {
		return refuse(err)
	}
	if l.DryRun {
		out.Status, out.Datasets = StatusLoaded, []string{"package"}
		return out, nil
	}
	root := PackagesDir(l.Cfg.Paths.Database)
	dir := filepath.Join(root, stage.sum)
	if err := os.RemoveAll(dir + ".new"); err != nil {
		return out, err
	}
	if err := pkg.Extract(dir + ".new"); err != nil {
		return refuse(err)
	}
	if err := os.RemoveAll(dir); err != nil {
		return out, err
	}
	if err := os.Rename(dir+".new", dir); err != nil {
		return out, err
	}
	var rows int64
	for _, t := range m.Tables {
		rows += t.Rows
	}
	safe := safeName(filepath.Base(p.path))
	err = l.DB.InTx(ctx, func(tx *store.Tx) error {
		if err := tx.GetContext(ctx, &out.FileID, "SELECT nextval('ingest_file_ids')"); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, sqlPackageFile, out.FileID, stage.sum, out.Name, printable(l.rel(p.path)), archiveRel(stage.sum, safe),
			m.FirstMonth+".."+m.LastMonth, l.Now, p.mod, stage.size, rows, archiveRel(stage.sum, safe)+".receipt.txt"); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, sqlPackageInsert, out.FileID, m.Area, m.AreaName, m.FirstMonth, m.LastMonth, m.CreatedAt, m.Programme, m.SchemaVersion, m.Register,
			pkg.KeyName, m.People, stage.sum, string(pkg.Raw)); err != nil {
			return err
		}
		for _, id := range supersedes {
			if _, err := tx.ExecContext(ctx, sqlPackageSupersede, out.FileID, id); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, sqlPackageSupersededFile, out.FileID, id); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		os.RemoveAll(dir)
		return out, fmt.Errorf("ingest %s: %w", out.Name, err)
	}
	out.Status, out.Datasets, out.Rows, out.Superseded = StatusLoaded, []string{"package"}, int(rows), supersedes
	out.Result.Add(wardfile.Problem{Severity: wardfile.SevNote, Code: "package",
		VI: fmt.Sprintf("Gói số liệu của %s (%s), các tháng %s–%s, lập lúc %s, chữ ký hợp lệ (%s); %d đơn vị, %d tệp đúng mã kiểm tra",
			m.AreaName, m.Area, m.FirstMonth, m.LastMonth, m.CreatedAt.In(l.Cfg.Location).Format("02/01/2006 15:04"), pkg.KeyName, len(m.Units), len(m.Files)),
		EN: fmt.Sprintf("The package of %s (%s), months %s–%s, made at %s, signature valid (%s); %d units, %d files with matching checksums",
			m.AreaName, m.Area, m.FirstMonth, m.LastMonth, m.CreatedAt.In(l.Cfg.Location).Format("02/01/2006 15:04"), pkg.KeyName, len(m.Units), len(m.Files))})
	if len(supersedes) > 0 {
		out.Result.Add(wardfile.Problem{Severity: wardfile.SevNote, Code: "package_supersedes",
			VI: fmt.Sprintf("Gói này thay gói đã nhận trước (tệp số %v) của cùng đơn vị và các tháng", supersedes),
			EN: fmt.Sprintf("This package replaces the one taken before (file %v) for the same area and months", supersedes)})
	}
	return out, l.archive(&out, p, stage, safe)
}

// The statements of a package's admission, in sql/.
var (
	//go:embed sql/package_held.sql
	sqlPackageHeld string
	//go:embed sql/package_file.sql
	sqlPackageFile string
	//go:embed sql/package_insert.sql
	sqlPackageInsert string
	//go:embed sql/package_supersede.sql
	sqlPackageSupersede string
	//go:embed sql/package_superseded_file.sql
	sqlPackageSupersededFile string
)
