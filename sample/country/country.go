// Package country writes the national simulation (hoctap sample --country):
// a synthetic country of 34 provinces and about 3,300 communes in a register
// of administrative units, and for each province the signed exchange package
// a province would send the nation, its figures generated per commune and
// month directly (20,000,000 people's raw rows would take hours to write and
// load, and the nation never sees them), with the national workspace that
// receives them: its pipeline.yaml trusting each province's key.
package country

import (
	"context"
	"embed"
	"encoding/csv"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/hoctap/hoctap/config"
	"github.com/hoctap/hoctap/exchange"
	"github.com/hoctap/hoctap/geo"
	"github.com/hoctap/hoctap/sample"
	"github.com/hoctap/hoctap/store"
)

//go:embed sql/*.sql
var tables embed.FS

// Options size the country.
type Options struct {
	Dir       string
	Provinces int   // 34
	Communes  int   // about 3,300
	Citizens  int64 // 20,000,000
	Seed      int64
	Now       time.Time // the packages' time
	Producer  string
}

// Province is one province written.
type Province struct {
	Code, Name string
	Communes   int
	Citizens   int64
	Package    string
}

// Write writes under opt.Dir: dvhc/don-vi.csv (the register), keys/<code>.key
// (each province's signing key), data/inbox/goi-<code>.zip (each province's
// package) and pipeline.yaml, base made the national level (city VN, no
// wards, the 34 keys trusted).
func Write(ctx context.Context, base *config.Config, opt Options) ([]Province, error) {
	if opt.Provinces < 1 || opt.Communes < opt.Provinces || opt.Citizens < int64(opt.Communes) {
		return nil, fmt.Errorf("country: %d provinces, %d communes, %d citizens: expected at least one commune a province and one citizen a commune", opt.Provinces, opt.Communes, opt.Citizens)
	}
	rng := rand.New(rand.NewPCG(uint64(opt.Seed), 0x636f756e747279))
	provs, communes := layout(rng, opt)
	for _, d := range []string{"dvhc", "keys", "data/inbox"} {
		if err := os.MkdirAll(filepath.Join(opt.Dir, d), 0o700); err != nil {
			return nil, err
		}
	}
	unitsPath := filepath.Join(opt.Dir, "dvhc", "don-vi.csv")
	if err := writeRegister(unitsPath, provs, communes); err != nil {
		return nil, err
	}
	reg, err := geo.LoadFiles(unitsPath, "")
	if err != nil {
		return nil, err
	}
	db, err := store.Open(ctx, "", store.Options{Threads: base.Database.Threads, MemoryLimit: base.Database.MemoryLimit})
	if err != nil {
		return nil, err
	}
	defer db.Close()
	conn, err := db.Connx(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	if err := load(ctx, conn, base, communes); err != nil {
		return nil, err
	}
	ents, err := fs.ReadDir(tables, "sql")
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range ents {
		name := strings.TrimSuffix(e.Name(), ".sql")
		b, _ := fs.ReadFile(tables, "sql/"+e.Name())
		if _, err := conn.ExecContext(ctx, "CREATE TABLE "+store.Ident("all_"+name)+" AS "+string(b)); err != nil {
			return nil, fmt.Errorf("country: %s: %w", name, err)
		}
		names = append(names, name)
	}
	months := base.Programme.Months()
	var trusted []config.TrustedKey
	for i := range provs {
		p := &provs[i]
		keyPath := filepath.Join(opt.Dir, "keys", p.Code+".key")
		pub, err := exchange.GenerateKey(keyPath)
		if err != nil {
			return nil, err
		}
		key, err := exchange.LoadKey(keyPath)
		if err != nil {
			return nil, err
		}
		trusted = append(trusted, config.TrustedKey{Area: p.Code, Name: "Hội Khuyến học " + strings.ToLower(p.Name[:1]) + p.Name[1:], PublicKey: pub})
		var sources []exchange.Source
		for _, n := range names {
			sources = append(sources, exchange.Source{Table: n, Query: fmt.Sprintf("SELECT * EXCLUDE (province) FROM %s WHERE province = %s", store.Ident("all_"+n), store.Literal(p.Code))})
		}
		p.Package = filepath.Join(opt.Dir, "data", "inbox", "goi-"+p.Code+".zip")
		if _, err := exchange.Write(ctx, conn, p.Package, exchange.Manifest{
			Programme: base.Programme.Name, Area: p.Code, AreaName: p.Name,
			FirstMonth: months[0].String(), LastMonth: months[len(months)-1].String(),
			Register: reg.Version, CreatedAt: opt.Now.UTC(), Producer: opt.Producer,
		}, sources, key); err != nil {
			return nil, err
		}
	}
	return provs, writeConfig(opt.Dir, base, trusted, opt)
}

type commune struct {
	province, code, name, kind string
	citizens                   int64
	factor                     int
}

// layout spreads the communes over the provinces and the citizens over the
// communes, unevenly (a province of the delta against one of the mountains),
// adding up exactly.
func layout(rng *rand.Rand, opt Options) ([]Province, []commune) {
	provs := make([]Province, opt.Provinces)
	weights := make([]float64, opt.Provinces)
	var total float64
	for i := range provs {
		provs[i] = Province{Code: fmt.Sprintf("%02d", i+1), Name: fmt.Sprintf("Tỉnh Mẫu %02d", i+1)}
		weights[i] = 0.4 + rng.Float64()*1.6
		total += weights[i]
	}
	left := opt.Communes
	for i := range provs {
		n := max(1, int(float64(opt.Communes)*weights[i]/total))
		if i == len(provs)-1 || n > left-(len(provs)-1-i) {
			n = left - (len(provs) - 1 - i)
		}
		provs[i].Communes = n
		left -= n
	}
	var cs []commune
	var sum float64
	cw := []float64{}
	for i, p := range provs {
		for j := range p.Communes {
			kind, name := "Xã", fmt.Sprintf("Xã Mẫu %02d-%03d", i+1, j+1)
			if j%4 == 0 {
				kind, name = "Phường", fmt.Sprintf("Phường Mẫu %02d-%03d", i+1, j+1)
			}
			w := 0.3 + rng.Float64()*1.4
			cw = append(cw, w)
			sum += w
			cs = append(cs, commune{province: p.Code, code: fmt.Sprintf("%05d", 10000+len(cs)+1), name: name, kind: kind, factor: 80 + rng.IntN(41)})
		}
	}
	var given int64
	for i := range cs {
		cs[i].citizens = max(1, int64(float64(opt.Citizens)*cw[i]/sum))
		given += cs[i].citizens
	}
	for i := 0; given < opt.Citizens; i = (i + 1) % len(cs) {
		cs[i].citizens++
		given++
	}
	for i := 0; given > opt.Citizens; i = (i + 1) % len(cs) {
		if cs[i].citizens > 1 {
			cs[i].citizens--
			given--
		}
	}
	for _, c := range cs {
		for i := range provs {
			if provs[i].Code == c.province {
				provs[i].Citizens += c.citizens
			}
		}
	}
	return provs, cs
}

func writeRegister(path string, provs []Province, cs []commune) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := csv.NewWriter(f)
	w.Write([]string{"Mã", "Tên", "Cấp", "Mã cấp trên", "Hiệu lực từ", "Hiệu lực đến", "Căn cứ"})
	for _, p := range provs {
		w.Write([]string{p.Code, p.Name, "Tỉnh", "", "", "", "mô phỏng (hoctap sample --country)"})
	}
	for _, c := range cs {
		w.Write([]string{c.code, c.name, c.kind, c.province, "", "", "mô phỏng (hoctap sample --country)"})
	}
	w.Flush()
	if err := w.Error(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// load writes the communes and the programme's months for the tables' SQL.
func load(ctx context.Context, conn *sqlx.Conn, base *config.Config, cs []commune) error {
	for _, q := range []string{
		"CREATE TABLE communes (province VARCHAR, unit_code VARCHAR, citizens BIGINT, factor INTEGER)",
		"CREATE TABLE months (month VARCHAR, ordinal INTEGER)",
		"BEGIN",
	} {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	for _, c := range cs {
		if _, err := conn.ExecContext(ctx, "INSERT INTO communes VALUES (?, ?, ?, ?)", c.province, c.code, c.citizens, c.factor); err != nil {
			return err
		}
	}
	for i, m := range base.Programme.Months() {
		if _, err := conn.ExecContext(ctx, "INSERT INTO months VALUES (?, ?)", m.String(), i+1); err != nil {
			return err
		}
	}
	_, err := conn.ExecContext(ctx, "COMMIT")
	return err
}

// writeConfig writes the national workspace's pipeline.yaml: base with the
// nation as its city, no wards or units, the register and the trusted keys.
func writeConfig(dir string, base *config.Config, trusted []config.TrustedKey, opt Options) error {
	c := *base
	c.City.Name, c.City.Kind, c.City.Province, c.City.Place = "Việt Nam", "quốc gia", "", "Hà Nội"
	c.City.ParentOrganisation, c.City.Organisation, c.City.OrganisationEN = "", "HỘI KHUYẾN HỌC VIỆT NAM", "Vietnam Association for Promoting Education"
	c.City.OfficialCode = exchange.Nation
	c.Wards, c.Units = nil, nil
	c.Submissions = append([]config.Submission(nil), base.Submissions...)
	for i := range c.Submissions {
		c.Submissions[i].Wards = nil
	}
	c.Paths = sample.ScalePaths(base)
	c.Paths.Inbox = ""
	c.Geography = config.Geography{Units: "dvhc/don-vi.csv"}
	c.Exchange = config.Exchange{Trusted: trusted, MaxPackageSize: base.Exchange.MaxPackageSize}
	header := fmt.Sprintf("# The national level of a synthetic country written by hoctap sample --country: %d provinces,\n# %d communes, %d registered citizens; each province's package is in data/inbox.\n",
		opt.Provinces, opt.Communes, opt.Citizens)
	b, err := sample.EncodeConfig(&c, header)
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "pipeline.yaml"), b, 0o644)
}
