package sample

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/hoctap/hoctap/config"
	"github.com/hoctap/hoctap/geo"
)

// Scale writes a synthetic city or province for benchmarks under dir:
// dir/pipeline.yaml, the base configuration with its wards and units replaced
// by `wards` synthetic wards of three units each (the registration milestones
// count them; goals, timeline and submissions stay valid), and CSV exports
// under dir/inbox/<ward>/ for `citizens` citizens: their registrations, three
// survey rounds of citizen assessments in wide rows, and the units with two
// self-assessments each. Rows are streamed, so memory stays flat however many
// citizens there are (a million or more). dir/pipeline.yaml loads with
// config.LoadFile, and its inbox is dir/inbox.
//
// Ward w0001, w0002, … has a primary school, a kindergarten and the commune
// office, and an equal share of the citizens, coded W0001-000001, …: half
// farmers, a third workers and the rest (15%) officials, who work in the
// units. Each ward writes units.csv, citizens.csv, assessments_baseline.csv,
// assessments_mid.csv, assessments_final.csv, unit_assessments_baseline.csv and
// unit_assessments_final.csv: UTF-8, ',' separated, dates dd/mm/yyyy, rounds
// and target groups as codes, the configured Vietnamese headers.
func Scale(base *config.Config, dir string, citizens, wards int, seed int64) ([]File, error) {
	return scale(base, dir, citizens, wards, seed, nil)
}

// ScaleIn is Scale with one ward for each commune and ward of the area of
// code area in reg (valid when the programme starts), each named and coded
// as the register has it, and the city the area itself: a synthetic city
// whose hoctap package names real codes.
func ScaleIn(base *config.Config, dir string, citizens int, seed int64, reg *geo.Register, area string) ([]File, error) {
	a, ok := reg.On(area, base.Programme.Start)
	if !ok {
		return nil, fmt.Errorf("sample: scale: %s names no unit of the register on %s", area, base.Programme.Start)
	}
	in := &placement{area: a}
	for _, u := range reg.Units {
		if u.Level() == geo.Commune && u.ValidOn(base.Programme.Start) && slices.ContainsFunc(reg.Ancestors(u.Code, base.Programme.Start), func(p geo.Unit) bool { return p.Code == area }) {
			in.communes = append(in.communes, u)
		}
	}
	if len(in.communes) == 0 {
		return nil, fmt.Errorf("sample: scale: the register has no commune in %s (%s)", a.Name, area)
	}
	return scale(base, dir, citizens, len(in.communes), seed, in)
}

// placement puts a synthetic city on the register's map.
type placement struct {
	area     geo.Unit
	communes []geo.Unit
}

func scale(base *config.Config, dir string, citizens, wards int, seed int64, in *placement) ([]File, error) {
	switch {
	case base == nil:
		return nil, errors.New("sample: scale: no base configuration")
	case wards < 1:
		return nil, fmt.Errorf("sample: scale: %d wards: expected at least 1", wards)
	case citizens < wards:
		return nil, fmt.Errorf("sample: scale: %d citizens cannot fill %d wards", citizens, wards)
	}
	ws := scaleWards(citizens, wards)
	if in != nil {
		for i := range ws {
			u := in.communes[i]
			ws[i].name, ws[i].kind, ws[i].official = u.ShortName(), strings.ToLower(u.Kind.Name), u.Code
		}
	}
	yml, err := scaleConfig(base, ws, citizens, in)
	if err != nil {
		return nil, fmt.Errorf("sample: scale: %w", err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("sample: scale: %w", err)
	}
	cfgPath := filepath.Join(dir, "pipeline.yaml")
	if err := os.WriteFile(cfgPath, yml, 0o644); err != nil {
		return nil, fmt.Errorf("sample: scale: %w", err)
	}
	cfg, err := config.LoadFile(cfgPath)
	if err != nil {
		return nil, fmt.Errorf("sample: scale: the configuration it wrote does not load: %w", err)
	}
	sw := newScaleWriter(cfg, filepath.Join(dir, "inbox"))
	var files []File
	for i, w := range ws {
		fs, err := sw.ward(w, newRand(seed, streamScale+uint64(i)))
		if err != nil {
			return nil, fmt.Errorf("sample: scale: ward %s: %w", w.code, err)
		}
		files = append(files, fs...)
	}
	sort.SliceStable(files, func(i, j int) bool { return files[i].SentAt.Before(files[j].SentAt) })
	return files, nil
}

// communeNames name the synthetic wards; past the list they are numbered.
var communeNames = []string{"An Hòa", "Tân Khánh", "Phú Long", "Hòa Thành", "Tân Phú", "Mỹ An", "Bình Thạnh", "Long Hưng",
	"Tân Bình", "Phú Hựu", "Hòa Tân", "Tân Dương", "Vĩnh Thới", "Phong Hòa", "Định Yên", "Tân Mỹ"}

type scaleWard struct {
	code, name, prefix string
	kind, official     string // from the register, for ScaleIn
	people             int
	units              []config.Unit
}

// Target groups in a synthetic ward follow the citizen's number: of every 20,
// 3 officials, 10 farmers and 7 workers.
func scaleGroup(k int) int {
	switch m := k % 20; {
	case m < 3:
		return 3
	case m < 13:
		return 1
	}
	return 2
}

// officials counts the officials among citizens 0..n-1.
func officials(n int) int { return n/20*3 + min(n%20, 3) }

func scaleWards(citizens, wards int) []scaleWard {
	ws := make([]scaleWard, wards)
	for i := range ws {
		name := communeNames[i%len(communeNames)]
		if i >= len(communeNames) {
			name += " " + strconv.Itoa(i/len(communeNames)+1)
		}
		w := scaleWard{code: fmt.Sprintf("w%04d", i+1), name: name, prefix: fmt.Sprintf("W%04d", i+1), people: citizens / wards}
		if i < citizens%wards {
			w.people++
		}
		// Officials are spread over the three units in turn; each unit has
		// more members than registrants.
		o := officials(w.people)
		for j, u := range []struct{ suffix, name, kind string }{
			{"TH", "Trường Tiểu học " + name, "trường tiểu học"},
			{"MN", "Trường Mầm non " + name, "trường mầm non"},
			{"UB", "Văn phòng UBND xã " + name, "UBND xã/phường"},
		} {
			staff := o / 3
			if j < o%3 {
				staff++
			}
			w.units = append(w.units, config.Unit{Code: w.prefix + "-" + u.suffix, Name: u.name, Type: u.kind, Ward: w.code, Members: staff + 5 + staff/5})
		}
		ws[i] = w
	}
	return ws
}

// scaleConfig is the base configuration with the synthetic wards and units,
// the registration milestones counting them, every submission due from every
// ward, the paths inside the scaled folder (the inbox: dir/inbox), and no
// register of administrative units (the wards are invented).
func scaleConfig(base *config.Config, ws []scaleWard, citizens int, in *placement) ([]byte, error) {
	c := *base
	c.Wards, c.Units = nil, nil
	for _, w := range ws {
		kind := "xã"
		if w.kind != "" {
			kind = w.kind
		}
		c.Wards = append(c.Wards, config.Ward{Code: w.code, Name: w.name, Kind: kind, OfficialCode: w.official, Variants: []string{},
			Population: config.Population{Total: w.people * 14, Adults: w.people * 11, Year: 2020, Source: "synthetic (hoctap sample --scale)"}})
		c.Units = append(c.Units, w.units...)
	}
	// A title's holders (all households, for families) per synthetic ward:
	// a household of about four of its people.
	c.Frameworks = append([]config.TitleFramework(nil), base.Frameworks...)
	for i := range c.Frameworks {
		f := &c.Frameworks[i]
		if len(f.Population) == 0 {
			continue
		}
		f.Population = nil
		for _, w := range ws {
			f.Population = append(f.Population, config.HolderCount{Ward: w.code, Count: max(1, w.people*14/4), Year: 2020, Source: "synthetic (hoctap sample --scale)"})
		}
	}
	c.Timeline.Milestones = append([]config.Milestone(nil), base.Timeline.Milestones...)
	for i := range c.Timeline.Milestones {
		m := &c.Timeline.Milestones[i]
		switch m.DoneWhen.Kind {
		case config.CondCitizensReg:
			m.DoneWhen.Count = citizens
			m.Name, m.NameEN = fmt.Sprintf("Đủ %d cá nhân đăng ký", citizens), fmt.Sprintf("All %d individuals registered", citizens)
		case config.CondUnitsReg:
			m.DoneWhen.Count = len(c.Units)
			m.Name, m.NameEN = fmt.Sprintf("Đủ %d đơn vị đăng ký", len(c.Units)), fmt.Sprintf("All %d units registered", len(c.Units))
		}
	}
	c.Submissions = append([]config.Submission(nil), base.Submissions...)
	for i := range c.Submissions {
		c.Submissions[i].Wards = nil
	}
	c.Paths = scalePaths(base)
	// The synthetic wards are in no register of administrative units, but
	// with ScaleIn; a synthetic city receives no packages.
	c.Geography, c.City.OfficialCode = config.Geography{}, ""
	c.Exchange = config.Exchange{}
	if in != nil {
		c.Geography, c.City.OfficialCode = base.Geography, in.area.Code
		c.City.Name, c.City.Place, c.City.Kind = in.area.ShortName(), in.area.ShortName(), strings.ToLower(in.area.Kind.Name)
		c.City.ParentOrganisation, c.City.Organisation = base.City.Organisation, "HỘI KHUYẾN HỌC "+strings.ToUpper(in.area.Name)
		c.City.OrganisationEN = ""
	}

	var doc yaml.Node
	if err := doc.Encode(&c); err != nil {
		return nil, err
	}
	prune(&doc)
	var b bytes.Buffer
	fmt.Fprintf(&b, "# A synthetic city written by hoctap sample --scale: %d citizens in %d wards of %d units.\n", citizens, len(ws), len(c.Units))
	fmt.Fprintf(&b, "# Everything but the wards, units, registration milestones and paths is the base configuration")
	if base.File != "" {
		fmt.Fprintf(&b, " (%s)", filepath.Base(base.File))
	}
	b.WriteString(".\n")
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(&doc); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// scalePaths keeps the base's paths relative to its folder, so that the
// scaled city's data stays in the scaled folder; a path elsewhere is left to
// the default. The inbox is where Scale writes the exports.
func scalePaths(base *config.Config) config.Paths {
	p := base.Paths
	root := ""
	if base.File != "" {
		root = filepath.Dir(base.File)
	}
	for _, s := range []*string{&p.Archive, &p.Quarantine, &p.Database, &p.Snapshot, &p.Reports, &p.Backups} {
		if !filepath.IsAbs(*s) {
			continue
		}
		rel, err := filepath.Rel(root, *s)
		if root == "" || err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			*s = "" // the default
			continue
		}
		*s = filepath.ToSlash(rel)
	}
	p.Inbox = "inbox"
	return p
}

// prune drops the keys of unset values (empty strings, nulls) from an encoded
// configuration, so that the strict loader sees only what is set and applies
// its defaults to the rest. It also puts the months of a goal's points in
// order: the encoder leaves a map keyed by a struct in map order.
func prune(n *yaml.Node) {
	if n.Kind == yaml.MappingNode {
		type pair struct{ k, v *yaml.Node }
		var kept []pair
		months := true
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if v.Kind == yaml.ScalarNode && (v.Tag == "!!null" || (v.Tag == "!!str" && v.Value == "")) {
				continue
			}
			_, err := config.ParseMonth(k.Value)
			months = months && err == nil
			kept = append(kept, pair{k, v})
		}
		if months {
			sort.SliceStable(kept, func(i, j int) bool { return kept[i].k.Value < kept[j].k.Value })
		}
		n.Content = n.Content[:0]
		for _, p := range kept {
			n.Content = append(n.Content, p.k, p.v)
		}
	}
	for _, c := range n.Content {
		prune(c)
	}
}

// scaleWriter writes the synthetic wards' exports; what it shares between
// wards is computed once, so that a row costs no more than its citizen code.
type scaleWriter struct {
	cfg                    *config.Config
	inbox                  string
	score                  scorer
	maleNames, femaleNames []string
	years                  map[int]string
	scores                 []string // by half points: scores[2*v]
	regDays                []string
	roundDays              [3][]string
	items                  []config.UnitItem
	heads                  map[string][]string
}

func newScaleWriter(cfg *config.Config, inbox string) *scaleWriter {
	s := &scaleWriter{cfg: cfg, inbox: inbox, score: newScorer(cfg.Citizen), years: map[int]string{}, items: cfg.UnitScheme.Items, heads: map[string][]string{}}
	for _, f := range familyNames {
		for _, m := range maleMiddle {
			for _, g := range maleGiven {
				s.maleNames = append(s.maleNames, f+" "+m+" "+g)
			}
		}
		for _, m := range femaleMid {
			for _, g := range femaleGiven {
				s.femaleNames = append(s.femaleNames, f+" "+m+" "+g)
			}
		}
	}
	for y := 1960; y <= 2000; y++ {
		s.years[y] = strconv.Itoa(y)
	}
	for v := 0.0; v <= s.score.max; v += 0.5 {
		s.scores = append(s.scores, strconv.FormatFloat(v, 'f', -1, 64))
	}
	for d := 0; d < 10; d++ {
		s.regDays = append(s.regDays, day(2020, 11, 15+d).Format("02/01/2006"))
		for i, r := range roundOrder {
			s.roundDays[i] = append(s.roundDays[i], surveyStart[r].AddDate(0, 0, d).Format("02/01/2006"))
		}
	}
	head := func(ds string, keys ...string) []string {
		d, _ := cfg.Dataset(ds)
		h := make([]string, 0, len(keys))
		for _, k := range keys {
			if c, ok := d.Column(k); ok {
				h = append(h, c.Header)
			}
		}
		return h
	}
	s.heads[config.DatasetUnits] = head(config.DatasetUnits, unitKeys...)
	s.heads[config.DatasetCitizens] = head(config.DatasetCitizens, citizenKeys...)
	keys := []string{"citizen_id", "round", "assessed_on"}
	for _, ind := range cfg.Citizen.Indicators {
		keys = append(keys, fmt.Sprintf("i%d", ind.Number))
	}
	s.heads[config.DatasetCitizenAssessments] = head(config.DatasetCitizenAssessments, keys...)
	keys = []string{"unit_code", "assessed_on"}
	for _, it := range cfg.UnitScheme.Items {
		keys = append(keys, config.ItemKey(it.Code))
	}
	s.heads[config.DatasetUnitAssessments] = head(config.DatasetUnitAssessments, keys...)
	return s
}

// scoreText is a score's text: a half point from the table.
func (s *scaleWriter) scoreText(v float64) string {
	i := int(math.Round(v * 2))
	if i >= 0 && i < len(s.scores) {
		return s.scores[i]
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// ward writes one synthetic ward's exports.
func (s *scaleWriter) ward(w scaleWard, r *rand.Rand) ([]File, error) {
	x := &wardExports{s: s, w: w}
	defer x.closeOpen()
	if err := x.units(r); err != nil {
		return nil, err
	}
	if err := x.citizens(r); err != nil {
		return nil, err
	}
	return x.files, nil
}

// wardExports are the files of one synthetic ward as they are written: those
// finished, and those still open.
type wardExports struct {
	s     *scaleWriter
	w     scaleWard
	files []File
	open  []*csvFile
}

// at is hour o'clock of day d, in the city's time.
func (x *wardExports) at(d time.Time, hour int) time.Time {
	return time.Date(d.Year(), d.Month(), d.Day(), hour, 0, 0, 0, x.s.cfg.Location)
}

// create opens the ward's file name of dataset ds, sent at sent.
func (x *wardExports) create(name, ds, period string, sent time.Time) (*csvFile, error) {
	f := File{Path: x.w.code + "/" + name, Ward: x.w.code, Dataset: ds, Period: period, SentAt: sent, Kind: KindNormal}
	c, err := createCSV(x.s.inbox, f, x.s.heads[ds])
	if err == nil {
		x.open = append(x.open, c)
	}
	return c, err
}

// finish closes c and adds it to the ward's files, noting its rows of what.
func (x *wardExports) finish(c *csvFile, what string) error {
	for i, o := range x.open {
		if o == c {
			x.open = append(x.open[:i], x.open[i+1:]...)
			break
		}
	}
	c.file.Note = fmt.Sprintf("synthetic: %d %s", c.rows, what)
	x.files = append(x.files, c.file)
	return c.close()
}

// closeOpen closes the files left open by an error.
func (x *wardExports) closeOpen() {
	for _, c := range x.open {
		c.f.Close()
	}
}

// units writes the ward's units and their two self-assessments.
func (x *wardExports) units(r *rand.Rand) error {
	s, w := x.s, x.w
	units, err := x.create("units.csv", config.DatasetUnits, "", x.at(day(2020, 11, 27), 9))
	if err != nil {
		return err
	}
	for _, u := range w.units {
		if err := units.write([]string{u.Code, u.Name, u.Type, w.name, strconv.Itoa(u.Members), s.regDays[1]}); err != nil {
			return err
		}
	}
	if err := x.finish(units, "units"); err != nil {
		return err
	}
	for k, ua := range []struct {
		round string
		d     time.Time
		sent  time.Time
	}{{"baseline", day(2020, 12, 18), day(2020, 12, 28)}, {"final", day(2021, 6, 18), day(2021, 6, 28)}} {
		c, err := x.create("unit_assessments_"+ua.round+".csv", config.DatasetUnitAssessments, ua.round, x.at(ua.sent, 10))
		if err != nil {
			return err
		}
		for _, u := range w.units {
			t := 55 + float64(r.IntN(60))/2 + float64(10*k) // 55–84.5, ten more at the end
			rec := []string{u.Code, ua.d.AddDate(0, 0, r.IntN(5)).Format("02/01/2006")}
			for _, v := range unitItems(r, s.items, math.Min(t, 100)) {
				rec = append(rec, s.scoreText(v))
			}
			if err := c.write(rec); err != nil {
				return err
			}
		}
		if err := x.finish(c, "unit self-assessments"); err != nil {
			return err
		}
	}
	return nil
}

// citizens writes the ward's citizens and their three surveys, streamed
// together: a person's registration, then their rows of each round.
func (x *wardExports) citizens(r *rand.Rand) error {
	cit, err := x.create("citizens.csv", config.DatasetCitizens, "", x.at(day(2020, 11, 28), 9))
	if err != nil {
		return err
	}
	var rounds [3]*csvFile
	for i, code := range roundOrder {
		sent := roundFiles[code].sent.AddDate(0, 0, 1)
		if rounds[i], err = x.create("assessments_"+code+".csv", config.DatasetCitizenAssessments, code, x.at(sent, 9)); err != nil {
			return err
		}
	}
	p := newPersonWriter(x.s, x.w)
	for k := 0; k < x.w.people; k++ {
		id := p.id(k)
		if err := cit.write(p.registration(k, id, r)); err != nil {
			return err
		}
		for j, rec := range p.surveys(k, id, r) {
			if err := rounds[j].write(rec); err != nil {
				return err
			}
		}
	}
	for i := len(rounds) - 1; i >= 0; i-- {
		if err := x.finish(rounds[i], "wide survey rows, round "+roundOrder[i]); err != nil {
			return err
		}
	}
	return x.finish(cit, "citizens registered")
}

// personWriter makes the rows of one synthetic person after another, reusing
// its buffers: the records it returns are valid until its next call.
type personWriter struct {
	s        *scaleWriter
	w        scaleWard
	citRec   []string
	scoreRec [3][]string
	sc       [3][]float64
	idBuf    []byte
}

func newPersonWriter(s *scaleWriter, w scaleWard) *personWriter {
	p := &personWriter{s: s, w: w, citRec: make([]string, len(citizenKeys))}
	for i := range p.sc {
		p.sc[i] = make([]float64, s.score.n)
		p.scoreRec[i] = make([]string, 3+s.score.n)
	}
	return p
}

// id is the code of the ward's k-th person: PREFIX-000001.
func (p *personWriter) id(k int) string {
	p.idBuf = append(p.idBuf[:0], p.w.prefix...)
	p.idBuf = append(p.idBuf, '-')
	for d := 100000; d > 1 && k+1 < d; d /= 10 {
		p.idBuf = append(p.idBuf, '0')
	}
	p.idBuf = strconv.AppendInt(p.idBuf, int64(k+1), 10)
	return string(p.idBuf)
}

var hamlets = [...]string{"Ấp 1", "Ấp 2", "Ấp 3", "Ấp 4", "Ấp 5", "Ấp 6", "Ấp 7"}

// registration is the k-th person's row of the citizens file.
func (p *personWriter) registration(k int, id string, r *rand.Rand) []string {
	s, w, rec := p.s, p.w, p.citRec
	group := scaleGroup(k)
	rec[0] = id
	if r.IntN(2) == 0 {
		rec[1], rec[2] = s.maleNames[r.IntN(len(s.maleNames))], "Nam"
	} else {
		rec[1], rec[2] = s.femaleNames[r.IntN(len(s.femaleNames))], "Nữ"
	}
	rec[3] = s.years[1960+r.IntN(41)]
	rec[4] = strconv.Itoa(group)
	rec[5] = w.name
	rec[6], rec[7] = "", ""
	if group == 3 {
		rec[7] = w.units[(k/20*3+k%20)%len(w.units)].Code
	} else {
		rec[6] = hamlets[k%len(hamlets)]
	}
	rec[8] = s.regDays[r.IntN(len(s.regDays))]
	return rec
}

// surveys are the k-th person's rows of the three rounds: final scores from
// the group's profile, each earlier round about 0.7 lower on every indicator,
// never higher than the next.
func (p *personWriter) surveys(k int, id string, r *rand.Rand) [3][]string {
	s, sc := p.s, p.sc
	s.score.drawInto(r, scaleGroup(k), 0.6, sc[2])
	for j := 1; j >= 0; j-- {
		for i := range sc[j] {
			sc[j][i] = math.Min(sc[j+1][i], s.score.half(sc[j+1][i]-0.7+r.NormFloat64()*0.5))
		}
	}
	for j, rec := range p.scoreRec {
		rec[0], rec[1], rec[2] = id, roundOrder[j], s.roundDays[j][r.IntN(10)]
		for i, v := range sc[j] {
			rec[3+i] = s.scoreText(v)
		}
	}
	return p.scoreRec
}

// EncodeConfig writes c as pipeline.yaml after the comment lines of header:
// the fields left at their zero value are left out, so that it loads with the
// defaults.
func EncodeConfig(c *config.Config, header string) ([]byte, error) {
	var doc yaml.Node
	if err := doc.Encode(c); err != nil {
		return nil, err
	}
	prune(&doc)
	var b bytes.Buffer
	b.WriteString(header)
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(&doc); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// ScalePaths are the paths of a generated workspace: base's, kept inside
// its folder.
func ScalePaths(base *config.Config) config.Paths { return scalePaths(base) }
