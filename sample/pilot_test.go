package sample

import (
	"bytes"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/unicode/norm"

	"github.com/hoctap/hoctap"
	"github.com/hoctap/hoctap/config"
)

// The pilot is generated once for the tests that only read it, with the
// default seed or HOCTAP_SAMPLE_SEED: the properties hold for any seed.
var shared struct {
	once sync.Once
	dir  string
	g    generated
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if shared.dir != "" {
		os.RemoveAll(shared.dir)
	}
	os.Exit(code)
}

func sharedPilot(t *testing.T) (*config.Config, generated) {
	t.Helper()
	cfg := pilotConfig(t)
	shared.once.Do(func() {
		shared.dir, shared.err = os.MkdirTemp("", "hoctap-sample-")
		if shared.err != nil {
			return
		}
		seed := int64(DefaultSeed)
		if s := os.Getenv("HOCTAP_SAMPLE_SEED"); s != "" {
			if seed, shared.err = strconv.ParseInt(s, 10, 64); shared.err != nil {
				return
			}
		}
		var files []File
		files, shared.err = Pilot(cfg, shared.dir, seed)
		shared.g = generated{shared.dir, files}
	})
	if shared.err != nil {
		t.Fatal(shared.err)
	}
	return cfg, shared.g
}

func TestPilotReproducesThePilot(t *testing.T) {
	cfg, g := sharedPilot(t)
	d := readPilot(t, cfg, g)

	people, units := map[string]int{}, map[string]int{}
	for _, c := range d.citizens {
		people[c.ward]++
	}
	for _, w := range d.units {
		units[w]++
	}
	for _, tc := range []struct {
		name, ward    string
		people, units int
	}{
		{"xã Tân Phú Đông", "tan-phu-dong", 11, 3},
		{"xã Tân Quy Tây", "tan-quy-tay", 10, 3},
		{"phường Tân Quy Đông", "tan-quy-dong", 10, 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if people[tc.ward] != tc.people || units[tc.ward] != tc.units {
				t.Errorf("%d people and %d units registered, want %d and %d", people[tc.ward], units[tc.ward], tc.people, tc.units)
			}
			if pilotWards[tc.ward].people != tc.people {
				t.Errorf("the facts table says %d people", pilotWards[tc.ward].people)
			}
		})
	}
	if len(people) != 3 || len(d.citizens) != 31 || len(d.units) != 9 {
		t.Errorf("%d wards, %d people, %d units; want 3, 31, 9", len(people), len(d.citizens), len(d.units))
	}
	for code := range d.units {
		if _, ok := cfg.Unit(code); !ok {
			t.Errorf("unit %s is not in the configuration", code)
		}
	}
}

func TestPilotRegistrants(t *testing.T) {
	cfg, g := sharedPilot(t)
	d := readPilot(t, cfg, g)
	idRe := regexp.MustCompile(`^[A-Z]{3}-\d{3}$`)
	from, to := day(2020, 11, 15), day(2020, 12, 10)
	groups := map[int]int{}
	for _, id := range sortedKeys(d.citizens) {
		c := d.citizens[id]
		groups[c.group]++
		words := strings.Fields(c.name)
		switch {
		case !idRe.MatchString(id) || !strings.HasPrefix(id, idPrefix(c.ward)+"-"):
			t.Errorf("%s: not a local code of ward %s", id, c.ward)
		case len(words) != 3 || !slices.Contains(familyNames, words[0]):
			t.Errorf("%s: %q is not họ, tên đệm, tên", id, c.name)
		case words[1] == "Thị" && c.gender != "Nữ", words[1] == "Văn" && c.gender != "Nam", c.gender != "Nam" && c.gender != "Nữ":
			t.Errorf("%s: %q is %s", id, c.name, c.gender)
		case c.birth < 1960 || c.birth > 2000:
			t.Errorf("%s: born %d", id, c.birth)
		case c.registered.Before(from) || c.registered.After(to):
			t.Errorf("%s: registered %s", id, c.registered.Format(time.DateOnly))
		}
		w, _ := cfg.Ward(c.ward)
		if c.group == 3 {
			if u, ok := cfg.Unit(c.unit); !ok || u.Ward != c.ward || c.hamlet != "" {
				t.Errorf("%s: an official with unit %q and hamlet %q", id, c.unit, c.hamlet)
			}
			continue
		}
		prefix := "Ấp "
		if w.Kind == "phường" {
			prefix = "Khóm "
		}
		if c.unit != "" || !strings.HasPrefix(c.hamlet, prefix) {
			t.Errorf("%s: group %d with unit %q and hamlet %q in a %s", id, c.group, c.unit, c.hamlet, w.Kind)
		}
	}
	for _, id := range []int{1, 2, 3} {
		if groups[id] == 0 {
			t.Errorf("no one of target group %d: %v", id, groups)
		}
	}
}

func TestPilotSurveyRounds(t *testing.T) {
	cfg, g := sharedPilot(t)
	d := readPilot(t, cfg, g)
	for _, tc := range []struct {
		round    string
		month    string
		reviewed int // people with reviewed scores
	}{
		{"baseline", "2020-12", 0},
		{"mid", "2021-03", 0},
		{"final", "2021-06", 21}, // Tân Quy Đông's web form has self scores only
	} {
		t.Run(tc.round, func(t *testing.T) {
			got := d.surveys[tc.round]
			reviewed := 0
			for id := range d.citizens {
				s, ok := got[id]
				if !ok {
					t.Errorf("%s has no %s survey", id, tc.round)
					continue
				}
				if m := s.on.Format("2006-01"); m != tc.month {
					t.Errorf("%s surveyed on %s", id, s.on.Format(time.DateOnly))
				}
				if s.rev != nil {
					reviewed++
				}
			}
			for id := range got {
				if _, ok := d.citizens[id]; !ok {
					t.Errorf("%s is surveyed but never registered", id)
				}
			}
			if reviewed != tc.reviewed {
				t.Errorf("%d people with reviewed scores, want %d", reviewed, tc.reviewed)
			}
		})
	}
}

func TestPilotScores(t *testing.T) {
	cfg, g := sharedPilot(t)
	d := readPilot(t, cfg, g)
	s := newScorer(cfg.Citizen)
	final := d.surveys["final"]
	share := func(round string) float64 {
		n := 0
		for _, sv := range d.surveys[round] {
			if s.meets(sv.counted()) {
				n++
			}
		}
		return float64(n) / float64(len(d.citizens))
	}
	mean := func(round string, group int, inds ...int) float64 {
		sum, n := 0.0, 0
		for id, sv := range d.surveys[round] {
			if d.citizens[id].group != group {
				continue
			}
			for _, i := range inds {
				sum += sv.counted()[i-1]
				n++
			}
		}
		return sum / float64(n)
	}
	all := []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	for _, tc := range []struct {
		name  string
		check func() error
	}{
		{"scores are 0 to 10 in half points", func() error {
			for round, svs := range d.surveys {
				for id, sv := range svs {
					for _, v := range append(slices.Clone(sv.self), sv.rev...) {
						if v < 0 || v > s.max || v*2 != float64(int(v*2)) {
							return fmt.Errorf("%s %s: %v", round, id, v)
						}
					}
				}
			}
			return nil
		}},
		{"everyone improves from the baseline to the final survey", func() error {
			for id := range d.citizens {
				b, m, f := total(d.surveys["baseline"][id].self), total(d.surveys["mid"][id].self), total(final[id].self)
				if !(b < f && m <= f) {
					return fmt.Errorf("%s: %v, %v, %v", id, b, m, f)
				}
			}
			return nil
		}},
		{"mean totals rise round by round", func() error {
			var means []float64
			for _, r := range roundOrder {
				sum := 0.0
				for _, sv := range d.surveys[r] {
					sum += total(sv.self)
				}
				means = append(means, sum/float64(len(d.surveys[r])))
			}
			if !(means[0] < means[1] && means[1] < means[2]) || means[2]-means[0] < 8 {
				return fmt.Errorf("means %v", means)
			}
			return nil
		}},
		{"officials score highest", func() error {
			o, f, w := mean("final", 3, all...), mean("final", 1, all...), mean("final", 2, all...)
			if !(o > f && o > w) {
				return fmt.Errorf("officials %.2f, farmers %.2f, workers %.2f", o, f, w)
			}
			return nil
		}},
		{"farmers are weakest on IT (5) and foreign language (6)", func() error {
			f56, fRest, o56 := mean("final", 1, 5, 6), mean("final", 1, 1, 2, 3, 4, 7, 8, 9, 10), mean("final", 3, 5, 6)
			if !(f56 < fRest-1 && f56 < o56-1) {
				return fmt.Errorf("farmers on 5 and 6: %.2f, on the rest %.2f; officials on 5 and 6: %.2f", f56, fRest, o56)
			}
			for i := 1; i <= 10; i++ {
				if i != 5 && i != 6 && mean("final", 1, i) <= mean("final", 1, 5, 6) {
					return fmt.Errorf("farmers score %.2f on %d, no more than on 5 and 6", mean("final", 1, i), i)
				}
			}
			return nil
		}},
		{"a plausible share earns the title, round by round", func() error {
			b, m, f := share("baseline"), share("mid"), share("final")
			if b > 0.15 || m < 0.2 || m > 0.45 || f < 0.70 || f > 0.80 {
				return fmt.Errorf("baseline %.0f%%, mid %.0f%%, final %.0f%%", b*100, m*100, f*100)
			}
			return nil
		}},
		{"at least two reach 80 but miss the title on one indicator below 5", func() error {
			n := 0
			for _, sv := range final {
				c := sv.counted()
				below := 0
				for _, v := range c {
					if v < s.min {
						below++
					}
				}
				if total(c) >= s.pass && below == 1 {
					n++
				}
			}
			if n < 2 {
				return fmt.Errorf("%d such people", n)
			}
			return nil
		}},
		{"a review changes someone's outcome", func() error {
			for _, sv := range final {
				if sv.rev != nil && s.meets(sv.self) != s.meets(sv.rev) {
					return nil
				}
			}
			return fmt.Errorf("no reviewed score changes an outcome")
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.check(); err != nil {
				t.Error(err)
			}
		})
	}
}

func TestPilotUnitAssessments(t *testing.T) {
	cfg, g := sharedPilot(t)
	d := readPilot(t, cfg, g)
	grades := map[string]int{}
	for _, round := range []string{"baseline", "final"} {
		for _, u := range cfg.Units {
			t, ok := d.unitTotals[round][u.Code]
			if !ok {
				continue
			}
			switch {
			case t >= 85:
				grades["Tốt"]++
			case t >= 70:
				grades["Khá"]++
			case t >= 50:
				grades["Trung bình"]++
			}
			if round == "baseline" && t < 70 {
				grades["below 70 at baseline"]++
			}
		}
		if len(d.unitTotals[round]) != len(cfg.Units) {
			t.Errorf("%s: %d units assessed, want %d", round, len(d.unitTotals[round]), len(cfg.Units))
		}
	}
	for _, want := range []string{"Tốt", "Khá", "Trung bình", "below 70 at baseline"} {
		if grades[want] == 0 {
			t.Errorf("no unit graded %s: %v", want, grades)
		}
	}
	for code, t0 := range d.unitTotals["baseline"] {
		if t1 := d.unitTotals["final"][code]; t1 <= t0 {
			t.Errorf("%s: %v at baseline, %v at the end", code, t0, t1)
		}
	}
}

func TestPilotActivities(t *testing.T) {
	cfg, g := sharedPilot(t)
	d := readPilot(t, cfg, g)
	kinds := []string{"tuyên truyền", "tập huấn", "sinh hoạt câu lạc bộ", "lớp học", "đọc sách", "hội thảo", "tổng kết"}
	months := config.Months(cfg.Programme.Start.Month(), cfg.Programme.End.Month())
	for _, w := range sortedKeys(pilotWards) {
		t.Run(w, func(t *testing.T) {
			held := map[string]bool{}
			for _, m := range months {
				tb, ok := d.activities[w][m.String()]
				if !ok {
					t.Errorf("%s: no activities file", m)
					continue
				}
				if n := len(tb.rows); n < 3 || n > 8 {
					t.Errorf("%s: %d activities", m, n)
				}
				sumP, sumH := 0.0, 0.0
				for _, r := range tb.rows {
					on, ok := cellDate(tb.get(r, "Ngày"))
					kind := tb.get(r, "Loại hoạt động")
					p, ok1 := number(tb.get(r, "Số người tham dự"))
					h, ok2 := number(tb.get(r, "Số giờ"))
					if !ok || !ok1 || !ok2 || config.MonthOf(on) != m || !slices.Contains(kinds, kind) || tb.get(r, "Nội dung") == "" || p < 1 || h <= 0 {
						t.Errorf("%s: row %v", m, r)
					}
					sumP += p
					sumH += h
					held[on.Format("2006-01-02")+" "+kind] = true
					if kind == "tập huấn" && on.Before(day(2020, 12, 8)) {
						t.Errorf("a training before the leaders' training: %v", r)
					}
				}
				if len(tb.after) < 2 || tb.after[1] != "Tổng cộng" {
					t.Errorf("%s: no totals row under the activities: %v", m, tb.after)
					continue
				}
				p, _ := number(tb.get(tb.after, "Số người tham dự"))
				h, _ := number(tb.get(tb.after, "Số giờ"))
				if p != sumP || h != sumH {
					t.Errorf("%s: totals %v, %v; rows add up to %v, %v", m, p, h, sumP, sumH)
				}
			}
			if !held["2020-12-08 tập huấn"] {
				t.Error("no training (tập huấn) on 08/12/2020")
			}
			summary := false
			for k := range held {
				on, _ := time.Parse(time.DateOnly, k[:10])
				summary = summary || (strings.HasSuffix(k, "tổng kết") && !on.Before(day(2021, 7, 20)) && !on.After(day(2021, 7, 31)))
			}
			if !summary {
				t.Error("no summary conference (tổng kết) in late July 2021")
			}
		})
	}
}

// due is the day a file is due, by the submission calendar.
func due(t *testing.T, cfg *config.Config, f File) time.Time {
	t.Helper()
	var dues []time.Time
	for _, s := range cfg.Submissions {
		switch {
		case f.Dataset == "" && s.Dataset == config.DatasetUnits,
			s.Dataset == f.Dataset && (f.Dataset != config.DatasetCitizenAssessments || s.Round == f.Period) && !s.Monthly:
			dues = append(dues, s.Due.Time)
		case s.Dataset == f.Dataset && s.Monthly:
			m, err := config.ParseMonth(f.Period)
			if err != nil {
				t.Fatalf("%s: period %q", f.Path, f.Period)
			}
			n := m.Next()
			return time.Date(n.Year(), n.Month(), s.DueDay, 0, 0, 0, 0, time.UTC)
		}
	}
	slices.SortFunc(dues, func(a, b time.Time) int { return a.Compare(b) })
	switch {
	case len(dues) == 0:
		t.Fatalf("%s: no submission is due", f.Path)
	case f.Dataset == config.DatasetUnitAssessments && f.Period == "final":
		return dues[len(dues)-1]
	}
	return dues[0]
}

func TestPilotFiles(t *testing.T) {
	cfg, g := sharedPilot(t)
	kinds := map[string]int{}
	var diacritics []string
	periodRe := regexp.MustCompile(`^\d{4}-\d{2}$`)
	for _, f := range g.files {
		kinds[f.Kind]++
		ward, name := path.Split(f.Path)
		if ward != f.Ward+"/" || name == "" {
			t.Errorf("%s: not <ward>/<name> for ward %s", f.Path, f.Ward)
		}
		for _, r := range name {
			if r >= utf8.RuneSelf {
				diacritics = append(diacritics, name)
				break
			}
		}
		if !norm.NFC.IsNormalString(name) {
			t.Errorf("%s: the name is not NFC", f.Path)
		}
		st, err := os.Stat(filepath.Join(g.dir, filepath.FromSlash(f.Path)))
		if err != nil {
			t.Error(err)
			continue
		}
		if !st.ModTime().Equal(f.SentAt) {
			t.Errorf("%s: modified %s, sent %s", f.Path, st.ModTime(), f.SentAt)
		}
		if f.SentAt.Location().String() != cfg.Location.String() || f.Note == "" {
			t.Errorf("%s: sent %s (%s), note %q", f.Path, f.SentAt, f.SentAt.Location(), f.Note)
		}
		switch f.Dataset {
		case "", config.DatasetUnits, config.DatasetCitizens:
			if f.Period != "" {
				t.Errorf("%s: registrations with period %q", f.Path, f.Period)
			}
		case config.DatasetFamilyAssessments:
			if f.Period != "2021-06" {
				t.Errorf("%s: households assessed in %q, want June 2021", f.Path, f.Period)
			}
		case config.DatasetCitizenAssessments, config.DatasetUnitAssessments:
			if !slices.Contains(roundOrder, f.Period) {
				t.Errorf("%s: period %q is not a round", f.Path, f.Period)
			}
		case config.DatasetActivities, config.DatasetDecisions:
			if !periodRe.MatchString(f.Period) {
				t.Errorf("%s: period %q is not a month", f.Path, f.Period)
			}
		default:
			t.Errorf("%s: dataset %q", f.Path, f.Dataset)
		}
		if f.Dataset == config.DatasetDecisions {
			continue // the city's decisions: no ward owes them
		}
		// On time, but for the late files: a file is on time if sent by the
		// end of its due day, in the city's time.
		d := due(t, cfg, f)
		deadline := time.Date(d.Year(), d.Month(), d.Day()+1, 0, 0, 0, 0, cfg.Location)
		if late := !f.SentAt.Before(deadline); late != (f.Kind == KindLate) {
			t.Errorf("%s (%s): sent %s, due %s", f.Path, f.Kind, f.SentAt.Format("02/01/2006 15:04"), d.Format("02/01/2006"))
		}
	}
	if len(diacritics) != 1 {
		t.Errorf("file names with diacritics: %q, want exactly one", diacritics)
	}
	for kind, want := range map[string]int{KindLate: 2, KindCorrected: 1, KindErrors: 1, KindWebform: 3} {
		if kinds[kind] != want {
			t.Errorf("%d files of kind %s, want %d", kinds[kind], kind, want)
		}
	}
	if len(g.files) != 55 {
		t.Errorf("%d files, want 55: 5 registrations, 11 surveys, 6 unit self-assessments, 27 activity reports, 3 household assessments, 3 extracts of the recognition decisions", len(g.files))
	}
	if !slices.IsSortedFunc(g.files, func(a, b File) int { return a.SentAt.Compare(b.SentAt) }) {
		t.Error("the files are not listed in the order they were sent")
	}
}

func TestPilotFaultyAndCorrectedFiles(t *testing.T) {
	cfg, g := sharedPilot(t)
	d := readPilot(t, cfg, g)
	for _, tc := range []struct {
		kind     string
		laterBy  time.Duration // the next file of the same ward, dataset and period comes this much later, at most
		validate func(t *testing.T, first, next table)
	}{
		{KindErrors, 11 * 24 * time.Hour, func(t *testing.T, bad, fixed table) {
			var over, unregistered, impossible bool
			for _, r := range bad.rows {
				for i := 1; i <= 10; i++ {
					v, _ := number(bad.get(r, "Chỉ số "+strconv.Itoa(i)))
					over = over || v > cfg.Citizen.IndicatorMax
				}
				_, ok := d.citizens[bad.get(r, "Mã công dân")]
				unregistered = unregistered || !ok
				impossible = impossible || bad.get(r, "Ngày đánh giá") == "31/02/2021"
			}
			if !over || !unregistered || !impossible {
				t.Errorf("score over the maximum %v, unregistered code %v, 31/02/2021 %v", over, unregistered, impossible)
			}
			if len(fixed.rows) != len(bad.rows) {
				t.Errorf("the fixed file has %d rows, the faulty %d", len(fixed.rows), len(bad.rows))
			}
		}},
		{KindCorrected, 8 * 24 * time.Hour, func(t *testing.T, first, corrected table) {
			changed := 0
			for i := range first.rows {
				for j := range first.rows[i] {
					if first.rows[i][j] != corrected.rows[i][j] {
						changed++
					}
				}
			}
			if changed < 1 || changed > 5 {
				t.Errorf("%d cells differ, want a few", changed)
			}
		}},
	} {
		t.Run(tc.kind, func(t *testing.T) {
			var pair []File
			for _, f := range g.files {
				if f.Kind == tc.kind {
					pair = append(pair, f)
				}
			}
			if len(pair) != 1 {
				t.Fatalf("%d files of kind %s", len(pair), tc.kind)
			}
			for _, f := range g.files {
				if f.Ward == pair[0].Ward && f.Dataset == pair[0].Dataset && f.Period == pair[0].Period && f.Path != pair[0].Path {
					pair = append(pair, f)
				}
			}
			if len(pair) != 2 {
				t.Fatalf("%d files for %s's %s", len(pair), pair[0].Ward, pair[0].Period)
			}
			slices.SortFunc(pair, func(a, b File) int { return a.SentAt.Compare(b.SentAt) })
			if gap := pair[1].SentAt.Sub(pair[0].SentAt); gap <= 0 || gap > tc.laterBy || path.Base(pair[0].Path) == path.Base(pair[1].Path) {
				t.Errorf("%s then %s, %s later", pair[0].Path, pair[1].Path, gap)
			}
			tc.validate(t, g.read(t, pair[0], "Mã công dân")[0], g.read(t, pair[1], "Mã công dân")[0])
		})
	}
}

func TestPilotHeaders(t *testing.T) {
	cfg, g := sharedPilot(t)
	for _, f := range g.files {
		var datasets []string
		if f.Dataset == "" {
			datasets = []string{config.DatasetUnits, config.DatasetCitizens}
		} else {
			datasets = []string{f.Dataset}
		}
		allowed := map[string]bool{"STT": true, "Ghi chú": true, "Tổng điểm": true}
		var required []string
		for _, name := range datasets {
			ds, _ := cfg.Dataset(name)
			for _, c := range ds.Columns {
				allowed[c.Header] = true
				if c.Required && (c.Key != "assessed_on" && c.Key != "round" || !strings.HasSuffix(f.Path, ".csv")) {
					required = append(required, c.Header)
				}
			}
			for _, syn := range cfg.Ingest.HeaderSynonyms[name] {
				for _, s := range syn {
					allowed[s] = strings.HasSuffix(f.Path, ".csv") // the web form's own headers
				}
			}
			for _, al := range ds.Aliases { // the headers ingest knows besides
				for _, s := range al {
					allowed[s] = allowed[s] || strings.HasSuffix(f.Path, ".csv")
				}
			}
		}
		seen := map[string]bool{}
		marker := map[string]string{config.DatasetActivities: "Loại hoạt động", config.DatasetUnitAssessments: "Mã đơn vị", config.DatasetUnits: "Mã đơn vị",
			config.DatasetFamilyAssessments: "Mã hộ"}[datasets[0]]
		if marker == "" {
			marker = "Mã công dân"
		}
		tables := g.read(t, f, marker)
		if f.Dataset == "" {
			tables = append(tables, g.read(t, f, "Mã công dân")...)
		}
		for _, tb := range tables {
			for _, h := range tb.headers {
				if h != "" && !allowed[h] {
					t.Errorf("%s: header %q is not a configured header", f.Path, h)
				}
				seen[h] = true
			}
		}
		for _, h := range required {
			if !seen[h] {
				t.Errorf("%s: no %q column", f.Path, h)
			}
		}
	}
}

// TestPilotLayouts checks that the ward offices' habits are all there.
func TestPilotLayouts(t *testing.T) {
	cfg, g := sharedPilot(t)
	type cellInfo struct {
		file, sheet, axis, value string
		text                     bool
		style                    string // the number format of a number cell
	}
	var cells []cellInfo
	var merged []string
	sheets := map[string][]string{}
	for _, f := range g.files {
		if !strings.HasSuffix(f.Path, ".xlsx") {
			continue
		}
		x, err := excelize.OpenFile(filepath.Join(g.dir, filepath.FromSlash(f.Path)))
		if err != nil {
			t.Fatal(err)
		}
		sheets[f.Path] = x.GetSheetList()
		for _, sh := range x.GetSheetList() {
			rows, _ := x.GetRows(sh, excelize.Options{RawCellValue: true})
			if len(rows) < 4 || len(rows[0]) == 0 || !strings.HasPrefix(rows[0][0], "UBND ") || len(rows[2]) != 0 {
				t.Errorf("%s %s: no title rows and blank row above the header", f.Path, sh)
			}
			for i, r := range rows {
				for j, v := range r {
					axis, _ := excelize.CoordinatesToCellName(j+1, i+1)
					typ, _ := x.GetCellType(sh, axis)
					ci := cellInfo{file: f.Path, sheet: sh, axis: axis, value: v, text: typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString}
					if !ci.text {
						st, _ := x.GetCellStyle(sh, axis)
						if s, err := x.GetStyle(st); err == nil && s.CustomNumFmt != nil {
							ci.style = *s.CustomNumFmt
						}
					}
					if !norm.NFC.IsNormalString(v) {
						t.Errorf("%s %s!%s: %q is not NFC", f.Path, sh, axis, v)
					}
					cells = append(cells, ci)
				}
			}
			mcs, _ := x.GetMergeCells(sh)
			for _, mc := range mcs {
				merged = append(merged, f.Path+" "+mc.GetStartAxis()+":"+mc.GetEndAxis()+" "+mc.GetCellValue())
			}
		}
		x.Close()
	}
	dateText := regexp.MustCompile(`^\d{2}/\d{2}/\d{4}$`)
	decimalComma := regexp.MustCompile(`^\d+,\d+$`)
	textNumber := regexp.MustCompile(`^\d+(,\d+)?$`)
	count := func(ok func(c cellInfo) bool) int {
		n := 0
		for _, c := range cells {
			if ok(c) {
				n++
			}
		}
		return n
	}
	webform, err := os.ReadFile(filepath.Join(g.dir, "tan-quy-dong", roundFiles["final"].csvName))
	if err != nil {
		t.Fatal(err)
	}
	spellings := map[string]bool{}
	for _, c := range cells {
		if w, ok := cfg.WardByName(c.value); ok && c.value != "" && !strings.HasPrefix(c.value, "UBND") {
			spellings[w.Code+": "+c.value] = true
		}
	}
	for _, tc := range []struct {
		name string
		ok   bool
		got  any
	}{
		{"a workbook with the sheets Đơn vị and Cá nhân", slices.Equal(sheets["tan-phu-dong/DS_dang_ky_CDHT_DVHT_T11-2020.xlsx"], []string{"Đơn vị", "Cá nhân"}), sheets},
		{"a merged super-header above Chỉ số 1 … 10", slices.ContainsFunc(merged, func(m string) bool { return strings.HasSuffix(m, " E4:N4 Điểm tự đánh giá theo chỉ số") }), merged},
		{"dates as Excel dates in most files", count(func(c cellInfo) bool { return c.style == "dd/mm/yyyy" }) > 3*count(func(c cellInfo) bool { return c.text && dateText.MatchString(c.value) }), nil},
		{"dates typed as text in some", count(func(c cellInfo) bool { return c.text && dateText.MatchString(c.value) }) > 20, nil},
		{"numbers stored as text with decimal commas", count(func(c cellInfo) bool { return c.text && textNumber.MatchString(c.value) }) > 100 &&
			count(func(c cellInfo) bool { return c.text && decimalComma.MatchString(c.value) }) > 10, nil},
		{"a Tổng cộng totals row", count(func(c cellInfo) bool { return c.value == "Tổng cộng" }) == 27, nil},
		{"a web-form CSV: BOM, ';', date-times", bytes.HasPrefix(webform, []byte("\ufeffDấu thời gian;Mã công dân;Đợt khảo sát;Chỉ số 1;")) &&
			regexp.MustCompile(`\r\n\d{2}/\d{2}/2021 \d{2}:\d{2}:\d{2};TQD-001;`).Match(webform) && regexp.MustCompile(`;\d+,5[;\r]`).Match(webform), string(webform)},
		{"wards written in varied ways", len(spellings) >= 9 && spellings["tan-quy-dong: TAN QUY DONG"] && spellings["tan-quy-dong: Tân Qui Đông"] && spellings["tan-quy-dong: P. Tân Quy Đông"], sortedKeys(spellings)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if !tc.ok {
				t.Errorf("not found: %v", tc.got)
			}
		})
	}
}

func TestPilotIsDeterministic(t *testing.T) {
	cfg := pilotConfig(t)
	a, b, c := runPilot(t, cfg, DefaultSeed), runPilot(t, cfg, DefaultSeed), runPilot(t, cfg, DefaultSeed+1)
	ta, tb, tc := tree(t, a.dir), tree(t, b.dir), tree(t, c.dir)
	if len(ta) != len(a.files) || len(ta) != len(tb) {
		t.Fatalf("%d, %d files for %d listed", len(ta), len(tb), len(a.files))
	}
	for i := range a.files {
		if a.files[i] != b.files[i] {
			t.Errorf("file %d: %+v, then %+v", i, a.files[i], b.files[i])
		}
	}
	differs := 0
	for p, x := range ta {
		if !bytes.Equal(x, tb[p]) {
			t.Errorf("%s differs between two runs with the same seed", p)
		}
		if !bytes.Equal(x, tc[p]) {
			differs++
		}
	}
	if differs < len(ta)/2 {
		t.Errorf("another seed changes only %d of %d files", differs, len(ta))
	}
}

// tree reads every file under root.
func tree(t testing.TB, root string) map[string][]byte {
	t.Helper()
	m := map[string][]byte{}
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(root, p)
		m[rel] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestPilotRefusesAnotherConfiguration(t *testing.T) {
	other, err := config.Parse(bytes.ReplaceAll(hoctap.DefaultConfig, []byte("tan-quy-dong"), []byte("tan-quy-dong-moi")), "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Pilot(other, t.TempDir(), 1); err == nil || !strings.Contains(err.Error(), "tan-quy-dong is not in the configuration") {
		t.Errorf("err = %v", err)
	}
}
