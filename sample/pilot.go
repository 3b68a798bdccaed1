package sample

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"
	"time"

	"github.com/hoctap/hoctap/config"
)

// pilotWard is what the pilot's records say of one locality: who registered,
// by target group, and what the final survey is built to show for each person.
type pilotWard struct {
	groups   []int
	outcomes []outcome
	// spellings of the ward's name in its files
	spellings []string
}

// The pilot's facts: Tân Phú Đông 11 people, Tân Quy Tây 10, Tân Quy Đông 10.
// Officials (group 3) work in the ward's units; farmers (1) and workers (2) live
// in its hamlets. 23 of 31 reach the title in the final survey; two reach 80
// points but miss on one indicator; one loses it at review.
var pilotWards = map[string]pilotWard{
	"tan-phu-dong": {
		groups:    []int{3, 3, 3, 3, 3, 1, 1, 1, 1, 2, 2},
		outcomes:  []outcome{recognised, recognised, recognised, recognised, recognised, recognised, nearMiss, belowTotal, recognised, recognised, belowTotal},
		spellings: []string{"Tân Phú Đông", "Xã Tân Phú Đông"},
	},
	"tan-quy-tay": {
		groups:    []int{3, 3, 3, 3, 3, 1, 1, 1, 2, 2},
		outcomes:  []outcome{recognised, recognised, recognised, recognised, reviewFlip, recognised, belowTotal, nearMiss, recognised, recognised},
		spellings: []string{"Tân Quy Tây", "Tân Qui Tây", "X. Tân Quy Tây"},
	},
	"tan-quy-dong": {
		groups:    []int{3, 3, 3, 3, 3, 3, 1, 2, 2, 2},
		outcomes:  []outcome{recognised, recognised, recognised, recognised, recognised, recognised, belowTotal, recognised, recognised, belowTotal},
		spellings: []string{"P. Tân Qui Đông", "TAN QUY DONG", "Tân Qui Đông", "Phường Tân Quy Đông"},
	},
}

var (
	activityKinds = []struct{ kind, title string }{
		{"tuyên truyền", "Tuyên truyền mô hình Công dân học tập trên loa truyền thanh"},
		{"sinh hoạt câu lạc bộ", "Sinh hoạt câu lạc bộ đọc sách"},
		{"lớp học", "Lớp tin học cơ bản cho người lớn"},
		{"lớp học", "Lớp tiếng Anh giao tiếp"},
		{"đọc sách", "Ngày hội đọc sách tại nhà văn hóa"},
		{"hội thảo", "Hội thảo chia sẻ kinh nghiệm tự học"},
		{"tuyên truyền", "Tuyên truyền xây dựng gia đình học tập"},
		{"sinh hoạt câu lạc bộ", "Sinh hoạt câu lạc bộ khuyến nông"},
	}
)

// pilot holds the simulated programme while its files are written.
type pilot struct {
	cfg    *config.Config
	inbox  string
	r      *rand.Rand
	people map[string][]*person // by ward code
	files  []File
	// scores[round][citizen id]
	self, rev map[string]map[string][]float64
	assessed  map[string]map[string]time.Time
}

// Pilot writes the Sa Đéc pilot's exports under inbox (inbox/<ward code>/…),
// deterministic from seed, and returns what it wrote in the order it was sent.
func Pilot(cfg *config.Config, inbox string, seed int64) ([]File, error) {
	for code := range pilotWards {
		if _, ok := cfg.Ward(code); !ok {
			return nil, fmt.Errorf("sample: the pilot's ward %s is not in the configuration", code)
		}
	}
	p := &pilot{cfg: cfg, inbox: inbox, r: newRand(seed, 1), people: map[string][]*person{},
		self: map[string]map[string][]float64{}, rev: map[string]map[string][]float64{}, assessed: map[string]map[string]time.Time{}}
	p.register()
	p.score()
	steps := []func() error{p.registrations, p.surveys, p.unitAssessments, p.activities}
	for _, step := range steps {
		if err := step(); err != nil {
			return nil, fmt.Errorf("sample: %w", err)
		}
	}
	sort.SliceStable(p.files, func(i, j int) bool { return p.files[i].SentAt.Before(p.files[j].SentAt) })
	return p.files, nil
}

func (p *pilot) loc() *time.Location {
	if p.cfg.Location != nil {
		return p.cfg.Location
	}
	return time.UTC
}

// day is a date in the programme; at is an instant of it in city time.
func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func (p *pilot) at(d time.Time, hour, minute int) time.Time {
	return time.Date(d.Year(), d.Month(), d.Day(), hour, minute, 0, 0, p.loc())
}

// sendTime is a working hour of day d.
func (p *pilot) sendTime(d time.Time) time.Time { return p.at(d, 8+p.r.IntN(8), p.r.IntN(60)) }

func (p *pilot) wardOrder() []config.Ward {
	var ws []config.Ward
	for _, w := range p.cfg.Wards {
		if _, ok := pilotWards[w.Code]; ok {
			ws = append(ws, w)
		}
	}
	return ws
}

func (p *pilot) unitsOf(ward string) []config.Unit {
	var us []config.Unit
	for _, u := range p.cfg.Units {
		if u.Ward == ward {
			us = append(us, u)
		}
	}
	return us
}

func (p *pilot) register() {
	for _, w := range p.wardOrder() {
		pw := pilotWards[w.Code]
		units := p.unitsOf(w.Code)
		prefix := idPrefix(w.Code)
		for i, g := range pw.groups {
			per := newPerson(p.r, citizenID(prefix, i+1), g)
			per.Ward = w.Code
			per.outcome = pw.outcomes[i]
			per.Registered = day(2020, 11, 16+p.r.IntN(9))
			if g == 3 && len(units) > 0 {
				per.Unit = units[i%len(units)].Code
			} else {
				per.Hamlet = hamlets[p.r.IntN(len(hamlets))]
			}
			p.people[w.Code] = append(p.people[w.Code], &per)
		}
	}
}

// score draws every person's scores for the three rounds, final first.
func (p *pilot) score() {
	f := p.cfg.Citizen
	n := len(f.Indicators)
	for _, round := range []string{"baseline", "mid", "final"} {
		p.self[round] = map[string][]float64{}
		p.rev[round] = map[string][]float64{}
		p.assessed[round] = map[string]time.Time{}
	}
	for _, w := range p.wardOrder() {
		for _, per := range p.people[w.Code] {
			final := finalScores(p.r, per.Group, n, f.IndicatorMax, per.outcome)
			p.self["final"][per.ID] = final
			p.rev["final"][per.ID] = reviewed(p.r, final, per.Group, f.IndicatorMax, f.PassTotal, f.MinPerIndicator, per.outcome == reviewFlip)
			p.self["mid"][per.ID] = earlier(p.r, final, 0.7, f.IndicatorMax)
			p.self["baseline"][per.ID] = earlier(p.r, final, 1.4, f.IndicatorMax)
			p.assessed["baseline"][per.ID] = day(2020, 12, 9+p.r.IntN(10))
			p.assessed["mid"][per.ID] = day(2021, 3, 8+p.r.IntN(10))
			p.assessed["final"][per.ID] = day(2021, 6, 7+p.r.IntN(10))
		}
	}
}

func (p *pilot) add(f File, b []byte) error {
	if err := writeFile(p.inbox, f.Path, b, f.SentAt); err != nil {
		return err
	}
	p.files = append(p.files, f)
	return nil
}

func (p *pilot) dataset(name string) config.Dataset {
	d, _ := p.cfg.Dataset(name)
	return d
}

// header is a dataset's Vietnamese headers between STT and Ghi chú, limited to keys.
func (p *pilot) header(ds string, keys ...string) []string {
	d := p.dataset(ds)
	h := []string{"STT"}
	for _, k := range keys {
		c, ok := d.Column(k)
		if !ok {
			panic("sample: no column " + k + " in " + ds)
		}
		h = append(h, c.Header)
	}
	return append(h, "Ghi chú")
}

func titles(w config.Ward, what string) []string {
	return []string{"UBND " + strings.ToUpper(w.Kind+" "+w.Name), strings.ToUpper(what)}
}

func (p *pilot) spelling(ward string, i int) string {
	s := pilotWards[ward].spellings
	return s[i%len(s)]
}
