package sample

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/hoctap/hoctap/config"
)

var communeNames = []string{"An Hòa", "Tân Khánh", "Phú Long", "Hòa Thành", "Tân Phú", "Mỹ An", "Bình Thạnh", "Long Hưng",
	"Tân Bình", "Phú Hựu", "Hòa Tân", "Tân Dương", "Vĩnh Thới", "Phong Hòa", "Định Yên", "Tân Mỹ"}

// Scale writes a synthetic city or province for benchmarks under dir:
// dir/pipeline.yaml (baseYAML with its wards and units replaced by `wards`
// synthetic wards of three units each) and CSV exports in dir/inbox/<ward>/:
// units, citizens, the three survey rounds (wide rows) and unit self-assessments,
// for `citizens` people in all. Rows are streamed: memory stays flat however many
// citizens there are.
func Scale(baseYAML []byte, dir string, citizens, wards int, seed int64) ([]File, error) {
	if citizens < wards {
		return nil, fmt.Errorf("sample: %d citizens cannot fill %d wards", citizens, wards)
	}
	ws := make([]scaleWard, wards)
	for i := range ws {
		name := communeNames[i%len(communeNames)]
		if i >= len(communeNames) {
			name += " " + strconv.Itoa(i/len(communeNames)+1)
		}
		per := citizens / wards
		if i < citizens%wards {
			per++
		}
		ws[i] = scaleWard{code: fmt.Sprintf("w%04d", i+1), name: name, prefix: fmt.Sprintf("W%04d", i+1), people: per}
	}
	yml, err := scaleConfig(baseYAML, ws, citizens)
	if err != nil {
		return nil, err
	}
	cfgPath := filepath.Join(dir, "pipeline.yaml")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	if err := os.WriteFile(cfgPath, yml, 0o644); err != nil {
		return nil, err
	}
	cfg, err := config.LoadFile(cfgPath)
	if err != nil {
		return nil, fmt.Errorf("sample: the scaled configuration: %w", err)
	}
	var files []File
	r := newRand(seed, 2)
	for _, w := range ws {
		fs, err := writeScaleWard(cfg, filepath.Join(dir, "inbox"), w, r)
		if err != nil {
			return nil, err
		}
		files = append(files, fs...)
	}
	return files, nil
}

type scaleWard struct {
	code, name, prefix string
	people             int
}

var (
	wardsBlock     = regexp.MustCompile(`(?ms)^wards:\n.*?^(# Target groups|target_groups:)`)
	citizensTarget = regexp.MustCompile(`kind: citizens_registered, count: \d+`)
	unitsTarget    = regexp.MustCompile(`kind: units_registered, count: \d+`)
)

func scaleConfig(base []byte, ws []scaleWard, citizens int) ([]byte, error) {
	loc := wardsBlock.FindSubmatchIndex(base)
	if loc == nil {
		return nil, fmt.Errorf("sample: the base configuration has no wards: … target_groups: sections to replace")
	}
	var b bytes.Buffer
	b.WriteString("wards:   # synthetic wards written by hoctap sample --scale\n")
	for _, w := range ws {
		fmt.Fprintf(&b, "  - {code: %s, name: %s, kind: xã, population: {total: %d, adults: %d, year: 2020, source: synthetic}}\n",
			w.code, w.name, w.people*14, w.people*11)
	}
	b.WriteString("units:\n")
	for _, w := range ws {
		for _, u := range scaleUnits(w) {
			fmt.Fprintf(&b, "  - {code: %s, name: %s, type: %s, ward: %s, members: %d}\n", u.Code, u.Name, u.Type, w.code, u.Members)
		}
	}
	b.WriteString("\n")
	out := append(append(append([]byte(nil), base[:loc[0]]...), b.Bytes()...), base[loc[2]:]...)
	out = citizensTarget.ReplaceAll(out, []byte("kind: citizens_registered, count: "+strconv.Itoa(citizens)))
	out = unitsTarget.ReplaceAll(out, []byte("kind: units_registered, count: "+strconv.Itoa(3*len(ws))))
	return out, nil
}

func scaleUnits(w scaleWard) []config.Unit {
	return []config.Unit{
		{Code: w.prefix + "-TH", Name: "Trường Tiểu học " + w.name, Type: "trường tiểu học", Members: 30},
		{Code: w.prefix + "-MN", Name: "Trường Mầm non " + w.name, Type: "trường mầm non", Members: 20},
		{Code: w.prefix + "-UB", Name: "Văn phòng UBND xã " + w.name, Type: "UBND xã/phường", Members: 25},
	}
}

// csvFile is one streamed CSV export.
type csvFile struct {
	f    *os.File
	w    *bufio.Writer
	file File
	path string
	buf  []byte
}

func newCSV(root string, f File, header []string) (*csvFile, error) {
	p := filepath.Join(root, filepath.FromSlash(f.Path))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return nil, err
	}
	h, err := os.Create(p)
	if err != nil {
		return nil, err
	}
	c := &csvFile{f: h, w: bufio.NewWriterSize(h, 1<<16), file: f, path: p}
	c.w.WriteString(strings.Join(header, ",") + "\n")
	return c, nil
}

func (c *csvFile) close() error {
	if err := c.w.Flush(); err != nil {
		c.f.Close()
		return err
	}
	if err := c.f.Close(); err != nil {
		return err
	}
	return os.Chtimes(c.path, c.file.SentAt, c.file.SentAt)
}

func headers(d config.Dataset, keys ...string) []string {
	h := make([]string, len(keys))
	for i, k := range keys {
		c, _ := d.Column(k)
		h[i] = c.Header
	}
	return h
}

func writeScaleWard(cfg *config.Config, inbox string, w scaleWard, r interface {
	IntN(int) int
	NormFloat64() float64
}) ([]File, error) {
	loc := cfg.Location
	sent := func(d time.Time) time.Time { return time.Date(d.Year(), d.Month(), d.Day(), 9, 0, 0, 0, loc) }
	n := len(cfg.Citizen.Indicators)
	max := cfg.Citizen.IndicatorMax
	dsU, _ := cfg.Dataset(config.DatasetUnits)
	dsC, _ := cfg.Dataset(config.DatasetCitizens)
	dsA, _ := cfg.Dataset(config.DatasetCitizenAssessments)
	dsUA, _ := cfg.Dataset(config.DatasetUnitAssessments)
	var files []File
	open := func(name, dataset, period string, d time.Time, keys []string, ds config.Dataset) (*csvFile, error) {
		f := File{Path: w.code + "/" + name, Ward: w.code, Dataset: dataset, Period: period, SentAt: sent(d), Kind: KindNormal}
		return newCSV(inbox, f, headers(ds, keys...))
	}
	units, err := open("units.csv", config.DatasetUnits, "2020-11", day(2020, 11, 27), unitKeys, dsU)
	if err != nil {
		return nil, err
	}
	us := scaleUnits(w)
	for _, u := range us {
		fmt.Fprintf(units.w, "%s,%s,%s,%s,%d,20/11/2020\n", u.Code, u.Name, u.Type, w.name, u.Members)
	}
	if err := units.close(); err != nil {
		return nil, err
	}
	files = append(files, units.file)

	ua, err := open("unit_assessments.csv", config.DatasetUnitAssessments, "2021-06", day(2021, 6, 28), unitAssessmentKeys(cfg), dsUA)
	if err != nil {
		return nil, err
	}
	for _, u := range us {
		ua.buf = append(ua.buf[:0], u.Code...)
		ua.buf = append(ua.buf, ",22/06/2021"...)
		q := 0.6 + float64(r.IntN(35))/100
		for _, it := range cfg.UnitScheme.Items {
			ua.buf = append(ua.buf, ',')
			ua.buf = strconv.AppendFloat(ua.buf, roundHalf(it.Max*q, it.Max), 'f', -1, 64)
		}
		ua.buf = append(ua.buf, '\n')
		ua.w.Write(ua.buf)
	}
	if err := ua.close(); err != nil {
		return nil, err
	}
	files = append(files, ua.file)

	cit, err := open("citizens.csv", config.DatasetCitizens, "2020-11", day(2020, 11, 28), citizenKeys, dsC)
	if err != nil {
		return nil, err
	}
	assessKeys := []string{"citizen_id", "round", "assessed_on"}
	for i := 1; i <= n; i++ {
		assessKeys = append(assessKeys, fmt.Sprintf("i%d", i))
	}
	rounds := []struct {
		code, name string
		d          time.Time
		gap        float64
	}{{"baseline", "baseline", day(2020, 12, 15), 1.4}, {"mid", "mid", day(2021, 3, 15), 0.7}, {"final", "final", day(2021, 6, 15), 0}}
	var rf [3]*csvFile
	for i, rd := range rounds {
		if rf[i], err = open("assessments_"+rd.code+".csv", config.DatasetCitizenAssessments, rd.code, rd.d.AddDate(0, 0, 10), assessKeys, dsA); err != nil {
			return nil, err
		}
	}
	final := make([]float64, n)
	for k := 1; k <= w.people; k++ {
		group := 1 + r.IntN(3)
		id := fmt.Sprintf("%s-%06d", w.prefix, k)
		cit.buf = append(cit.buf[:0], id...)
		cit.buf = append(cit.buf, ",Người "...)
		cit.buf = strconv.AppendInt(cit.buf, int64(k), 10)
		if r.IntN(2) == 0 {
			cit.buf = append(cit.buf, ",Nam,"...)
		} else {
			cit.buf = append(cit.buf, ",Nữ,"...)
		}
		cit.buf = strconv.AppendInt(cit.buf, int64(1960+r.IntN(40)), 10)
		cit.buf = append(cit.buf, ',')
		cit.buf = strconv.AppendInt(cit.buf, int64(group), 10)
		cit.buf = append(cit.buf, ',')
		cit.buf = append(cit.buf, w.name...)
		if group == 3 {
			cit.buf = append(cit.buf, ",,"...)
			cit.buf = append(cit.buf, us[k%len(us)].Code...)
		} else {
			cit.buf = append(cit.buf, ",Ấp "...)
			cit.buf = strconv.AppendInt(cit.buf, int64(1+k%7), 10)
			cit.buf = append(cit.buf, ',')
		}
		cit.buf = append(cit.buf, ",18/11/2020\n"...)
		cit.w.Write(cit.buf)

		prof := profile(group)
		skill := r.NormFloat64() * 0.6
		for i := range final {
			base := 7.5
			if i+1 < len(prof) {
				base = prof[i+1]
			}
			final[i] = base + skill + r.NormFloat64()*0.5
		}
		for j, rd := range rounds {
			c := rf[j]
			c.buf = append(c.buf[:0], id...)
			c.buf = append(c.buf, ',')
			c.buf = append(c.buf, rd.name...)
			c.buf = append(c.buf, ',')
			c.buf = rd.d.AppendFormat(c.buf, "02/01/2006")
			for _, v := range final {
				c.buf = append(c.buf, ',')
				c.buf = strconv.AppendFloat(c.buf, roundHalf(v-rd.gap, max), 'f', -1, 64)
			}
			c.buf = append(c.buf, '\n')
			c.w.Write(c.buf)
		}
	}
	if err := cit.close(); err != nil {
		return nil, err
	}
	files = append(files, cit.file)
	for _, c := range rf {
		if err := c.close(); err != nil {
			return nil, err
		}
		files = append(files, c.file)
	}
	return files, nil
}

func unitAssessmentKeys(cfg *config.Config) []string {
	keys := []string{"unit_code", "assessed_on"}
	for _, it := range cfg.UnitScheme.Items {
		keys = append(keys, config.ItemKey(it.Code))
	}
	return keys
}
