package exchange

import (
	"context"
	"fmt"
	"time"

	"github.com/hoctap/hoctap/config"
	"github.com/hoctap/hoctap/geo"
	"github.com/hoctap/hoctap/store"
)

// Options say what a city's package holds.
type Options struct {
	Out         string
	First, Last config.Month // zero: the programme's first and last month
	Now         time.Time
	Producer    string // hoctap's version
}

// PackageSnapshot writes the package of a city's published snapshot: the
// tables of Sources over the snapshot, each ward keyed by its official code,
// signed with the key of exchange.signing_key.
func PackageSnapshot(ctx context.Context, cfg *config.Config, reg *geo.Register, snapshot string, opt Options) (*Manifest, error) {
	if reg == nil {
		return nil, fmt.Errorf("package: no register of administrative units (geography.units): a package names its units by their official codes")
	}
	if cfg.City.OfficialCode == "" {
		return nil, fmt.Errorf("package: city.official_code is not set: a package names the area it covers")
	}
	key, err := LoadKey(cfg.Exchange.SigningKey)
	if err != nil {
		return nil, err
	}
	first, last := opt.First, opt.Last
	if first.IsZero() {
		first = cfg.Programme.Start.Month()
	}
	if last.IsZero() {
		last = cfg.Programme.End.Month()
	}
	if last.Before(first) {
		return nil, fmt.Errorf("package: %s is before %s", last, first)
	}
	area, ok := reg.On(cfg.City.OfficialCode, first.FirstDay())
	if !ok {
		return nil, fmt.Errorf("package: city.official_code %s names no unit of the register in %s", cfg.City.OfficialCode, first.Label())
	}
	for _, w := range cfg.Wards {
		if w.OfficialCode == "" {
			return nil, fmt.Errorf("package: ward %s has no official_code: a package keys its rows by the wards' official codes", w.Code)
		}
	}
	opts := store.OptionsFrom(cfg)
	opts.ReadOnly = false
	db, err := store.Open(ctx, "", opts)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	conn, err := db.Connx(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	for _, q := range []string{
		fmt.Sprintf("ATTACH %s AS snap (READ_ONLY)", store.Literal(snapshot)),
		"CREATE TEMP TABLE exchange_wards (ward VARCHAR, unit_code VARCHAR)",
	} {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			return nil, fmt.Errorf("package: %w", err)
		}
	}
	for _, w := range cfg.Wards {
		if _, err := conn.ExecContext(ctx, "INSERT INTO exchange_wards VALUES (?, ?)", w.Code, w.OfficialCode); err != nil {
			return nil, err
		}
	}
	if _, err := conn.ExecContext(ctx, "USE snap"); err != nil {
		return nil, fmt.Errorf("package: %w", err)
	}
	sources, err := Sources(cfg.Exchange.People)
	if err != nil {
		return nil, err
	}
	m := Manifest{
		Programme: cfg.Programme.Name, Area: area.Code, AreaName: area.Name,
		FirstMonth: first.String(), LastMonth: last.String(),
		Register: reg.Version, People: cfg.Exchange.People,
		CreatedAt: opt.Now.UTC(), Producer: opt.Producer,
	}
	return Write(ctx, conn, opt.Out, m, sources, key)
}
