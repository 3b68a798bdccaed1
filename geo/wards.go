package geo

import (
	"fmt"
	"io/fs"
	"strings"

	"github.com/hoctap/hoctap/config"
)

// Load reads the register a configuration names (geography.units and
// .crosswalk) and checks the configuration's wards and city against it. It
// returns nil and no error when the configuration names no register.
func Load(cfg *config.Config) (*Register, error) { return LoadFrom(cfg, nil) }

// LoadFrom is Load reading the files from fsys — the register embedded in the
// binary, for its embedded default configuration — or, when fsys is nil, from
// the file system.
func LoadFrom(cfg *config.Config, fsys fs.FS) (*Register, error) {
	if cfg.Geography.Units == "" {
		return nil, nil
	}
	var r *Register
	var err error
	if fsys != nil {
		r, err = LoadFS(fsys, cfg.Geography.Units, cfg.Geography.Crosswalk)
	} else {
		r, err = LoadFiles(cfg.Geography.Units, cfg.Geography.Crosswalk)
	}
	if err != nil {
		return nil, err
	}
	if ps := r.CheckConfig(cfg); len(ps) > 0 {
		return nil, &Error{Problems: ps}
	}
	return r, nil
}

// CheckConfig checks that every ward of the configuration has the official
// code of a commune or ward of the register valid when the programme starts,
// whose name is the ward's, and that the city's code is a unit above them.
func (r *Register) CheckConfig(cfg *config.Config) []Problem {
	var ps []Problem
	bad := func(vi, en string, args ...any) {
		ps = append(ps, Problem{File: cfg.File, VI: fmt.Sprintf(vi, args...), EN: fmt.Sprintf(en, args...)})
	}
	start, end := cfg.Programme.Start, cfg.Programme.End // names are looked for over the whole programme
	for i, w := range cfg.Wards {
		path := fmt.Sprintf("wards[%d].official_code", i)
		if w.OfficialCode == "" {
			var hint []string
			for _, u := range r.Find(w.Name, Commune, start, end, cfg.City.OfficialCode) {
				hint = append(hint, u.Code+" ("+u.Name+")")
			}
			suggest := ""
			if len(hint) > 0 {
				suggest = "; " + strings.Join(hint, ", ")
			}
			bad("%s: %s chưa có mã đơn vị hành chính — cần ghi mã trong danh mục%s", "%s: %s has no official code — give its code in the register%s", path, w.Name, suggest)
			continue
		}
		// A ward is the unit of its code when the programme starts; if the map
		// changes later, the crosswalk (checked with the register) follows it.
		a, ok := r.On(w.OfficialCode, start)
		switch {
		case !ok:
			bad("%s: mã %s không có đơn vị nào có hiệu lực ngày bắt đầu chương trình (%s)", "%s: code %s names no unit valid when the programme starts (%s)",
				path, w.OfficialCode, start.Format("02/01/2006"))
		case a.Level() != Commune:
			bad("%s: mã %s là %s, không phải xã, phường, thị trấn", "%s: code %s is %s, not a commune or ward", path, w.OfficialCode, a.Name)
		case !sameName(a, w.Name) && !sameName(a, w.Kind+" "+w.Name):
			bad("%s: mã %s là %s, không phải %s %s", "%s: code %s is %s, not %s %s", path, w.OfficialCode, a.Name, w.Kind, w.Name)
		case cfg.City.OfficialCode != "" && !r.inside(a, cfg.City.OfficialCode):
			bad("%s: %s không thuộc đơn vị %s (city.official_code)", "%s: %s does not lie within unit %s (city.official_code)", path, a.Name, cfg.City.OfficialCode)
		}
	}
	if c := cfg.City.OfficialCode; c != "" && !(c == Nation && cfg.Exchange.Receives()) {
		if u, ok := r.On(c, start); !ok {
			bad("city.official_code: mã %s không có trong danh mục ngày %s", "city.official_code: code %s is not in the register on %s", c, start.Format("02/01/2006"))
		} else if u.Level() == Commune {
			bad("city.official_code: mã %s là %s, một đơn vị cấp xã", "city.official_code: code %s is %s, a commune", c, u.Name)
		}
	}
	for i, a := range cfg.Geography.LegacyAreas {
		for j, c := range a.Units {
			if len(r.History(c)) == 0 {
				bad("geography.legacy_areas[%d].units[%d]: mã %s không có trong danh mục", "geography.legacy_areas[%d].units[%d]: code %s is not in the register", i, j, c)
			}
		}
	}
	return ps
}
