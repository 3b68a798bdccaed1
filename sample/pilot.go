package sample

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"
	"time"

	"github.com/hoctap/hoctap/config"
)

// pilotWard is what the pilot's records say of one locality, and how its
// office writes.
type pilotWard struct {
	// people is the number of individuals who registered: the pilot's fact.
	people int
	// plans says, person by person in registration order, their target group
	// and what their surveys are built to show.
	plans []plan
	// spellings are the ways the office writes its own ward's name: the
	// official name, a configured variant, with or without its kind.
	spellings []string
}

// pilotWards are the Sa Đéc pilot's three localities (November 2020 – July
// 2021), keyed by ward code: 31 individuals, 11 + 10 + 10. The wards and their
// nine units come from the configuration.
//
// Officials (group 3) work in the ward's units; farmers (1) and workers (2)
// live in its hamlets. Built to show, by the scores that count: 3 of 31 earn
// the title at the baseline survey, 10 at mid-term and 23 (74%) at the final;
// two reach 80 points but miss on foreign language; one official earns it on
// self-assessment and loses it at review.
var pilotWards = map[string]pilotWard{
	"tan-phu-dong": {
		people: 11,
		plans: []plan{
			{3, recognised, "baseline"}, {3, recognised, "mid"}, {3, recognised, "mid"}, {3, recognised, "final"}, {3, recognised, "final"},
			{1, recognised, "final"}, {1, nearMiss, ""}, {1, belowTotal, ""}, {1, recognised, "final"},
			{2, recognised, "mid"}, {2, belowTotal, ""},
		},
		spellings: []string{"Tân Phú Đông", "Xã Tân Phú Đông", "X. Tân Phú Đông"},
	},
	"tan-quy-tay": {
		people: 10,
		plans: []plan{
			{3, recognised, "baseline"}, {3, recognised, "mid"}, {3, recognised, "final"}, {3, recognised, "final"}, {3, reviewFlip, "final"},
			{1, recognised, "final"}, {1, belowTotal, ""}, {1, nearMiss, ""},
			{2, recognised, "mid"}, {2, recognised, "final"},
		},
		spellings: []string{"Tân Qui Tây", "Tân Quy Tây", "xã Tân Qui Tây"},
	},
	"tan-quy-dong": {
		people: 10,
		plans: []plan{
			{3, recognised, "baseline"}, {3, recognised, "mid"}, {3, recognised, "mid"}, {3, recognised, "final"}, {3, recognised, "final"}, {3, recognised, "final"},
			{1, belowTotal, ""},
			{2, recognised, "final"}, {2, recognised, "final"}, {2, belowTotal, ""},
		},
		spellings: []string{"P. Tân Quy Đông", "Tân Qui Đông", "TAN QUY DONG", "Phường Tân Quy Đông"},
	},
}

// pilot holds the simulated programme while its files are written.
type pilot struct {
	cfg   *config.Config
	inbox string
	seed  int64
	loc   *time.Location
	score scorer
	send  *rand.Rand // send times
	wards []config.Ward
	// people by ward code, in registration order
	people map[string][]*person
	// reviewer of each ward's final survey
	reviewer map[string]string
	// self and reviewed scores and survey dates: [round][citizen id]
	self, rev map[string]map[string][]float64
	assessed  map[string]map[string]time.Time
	// unitFinal is each unit's total at its final self-assessment.
	unitFinal map[string]float64
	// households by ward code: the demo's learning families (families.go)
	households map[string][]household
	files      []File
}

// Pilot writes the Sa Đéc pilot's exports under inbox (inbox/<ward code>/…),
// deterministic from seed, and returns what it wrote in the order it was sent.
// The wards, units, rounds, indicators and unit items come from cfg; the head
// counts and the people's outcomes are the pilot's own.
func Pilot(cfg *config.Config, inbox string, seed int64) ([]File, error) {
	p := &pilot{cfg: cfg, inbox: inbox, seed: seed, loc: cfg.Location, score: newScorer(cfg.Citizen),
		send: newRand(seed, streamSending), people: map[string][]*person{}, reviewer: map[string]string{},
		self: map[string]map[string][]float64{}, rev: map[string]map[string][]float64{}, assessed: map[string]map[string]time.Time{},
		unitFinal: map[string]float64{}}
	if p.loc == nil {
		p.loc = time.UTC
	}
	for _, w := range cfg.Wards {
		if _, ok := pilotWards[w.Code]; ok {
			p.wards = append(p.wards, w)
		}
	}
	if err := p.check(); err != nil {
		return nil, fmt.Errorf("sample: %w", err)
	}
	p.register()
	p.surveyScores()
	for _, step := range []func() error{p.registrations, p.surveys, p.unitAssessments, p.activities, p.families, p.decisions} {
		if err := step(); err != nil {
			return nil, fmt.Errorf("sample: %w", err)
		}
	}
	sort.SliceStable(p.files, func(i, j int) bool { return p.files[i].SentAt.Before(p.files[j].SentAt) })
	return p.files, nil
}

// check makes sure the configuration describes the pilot.
func (p *pilot) check() error {
	var problems []string
	codes := make([]string, 0, len(pilotWards))
	for code := range pilotWards {
		codes = append(codes, code)
	}
	sort.Strings(codes)
	for _, code := range codes {
		pw := pilotWards[code]
		if _, ok := p.cfg.Ward(code); !ok {
			problems = append(problems, fmt.Sprintf("the pilot's ward %s is not in the configuration", code))
		}
		if len(pw.plans) != pw.people {
			problems = append(problems, fmt.Sprintf("ward %s: %d plans for %d people", code, len(pw.plans), pw.people))
		}
		for _, s := range pw.spellings {
			if w, ok := p.cfg.WardByName(s); !ok || w.Code != code {
				problems = append(problems, fmt.Sprintf("ward %s: the configuration does not read %q as this ward: add it to its variants", code, s))
			}
		}
		for _, pl := range pw.plans {
			if pl.group == 3 && len(p.unitsOf(code)) == 0 {
				problems = append(problems, fmt.Sprintf("ward %s has officials but no unit in the configuration", code))
				break
			}
		}
	}
	for _, g := range []int{1, 2, 3} {
		if _, ok := p.group(g); !ok {
			problems = append(problems, fmt.Sprintf("target group %d is not in the configuration", g))
		}
	}
	for _, r := range roundOrder {
		if _, ok := p.round(r); !ok {
			problems = append(problems, fmt.Sprintf("survey round %s is not in the configuration", r))
		}
	}
	if len(p.cfg.Citizen.Indicators) == 0 || len(p.cfg.UnitScheme.Items) == 0 {
		problems = append(problems, "the configuration has no indicators or no unit items")
	}
	if len(problems) > 0 {
		return fmt.Errorf("the configuration is not the pilot's: %s", strings.Join(problems, "; "))
	}
	return nil
}

// day is a date of the programme; at is an instant of it in the city's time.
func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func (p *pilot) at(d time.Time, hour, minute int) time.Time {
	return time.Date(d.Year(), d.Month(), d.Day(), hour, minute, 0, 0, p.loc)
}

// officeHours are when ward offices send files: mornings and afternoons.
var officeHours = []int{7, 8, 9, 10, 13, 14, 15, 16}

// sendTime is an office hour of day d.
func (p *pilot) sendTime(d time.Time) time.Time {
	return p.at(d, officeHours[p.send.IntN(len(officeHours))], p.send.IntN(60))
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

func (p *pilot) group(id int) (config.TargetGroup, bool) {
	for _, g := range p.cfg.Groups {
		if g.ID == id {
			return g, true
		}
	}
	return config.TargetGroup{}, false
}

func (p *pilot) round(code string) (config.Round, bool) {
	for _, r := range p.cfg.Rounds {
		if r.Code == code {
			return r, true
		}
	}
	return config.Round{}, false
}

// register draws the registrants of every ward.
func (p *pilot) register() {
	r := newRand(p.seed, streamPeople)
	for _, w := range p.wards {
		pw := pilotWards[w.Code]
		units := p.unitsOf(w.Code)
		hamlets := hamletsOf(w.Kind)
		prefix := idPrefix(w.Code)
		taken := map[string]bool{}
		officials := 0
		for i, pl := range pw.plans {
			per := newPerson(r, citizenID(prefix, i+1), pl.group, taken)
			per.Ward, per.plan = w.Code, pl
			per.Registered = day(2020, 11, 15+r.IntN(10))
			if pl.group == 3 {
				per.Unit = units[officials%len(units)].Code
				officials++
			} else {
				per.Hamlet = hamlets[r.IntN(len(hamlets))]
			}
			p.people[w.Code] = append(p.people[w.Code], &per)
		}
		p.reviewer[w.Code], _ = name(r)
	}
}

// Survey dates: each round's people are surveyed over ten days.
var surveyStart = map[string]time.Time{
	"baseline": day(2020, 12, 9),
	"mid":      day(2021, 3, 8),
	"final":    day(2021, 6, 7),
}

// surveyScores draws every person's scores for the three rounds, the final
// round first, each earlier one from the next.
func (p *pilot) surveyScores() {
	r := newRand(p.seed, streamScores)
	for _, round := range roundOrder {
		p.self[round] = map[string][]float64{}
		p.rev[round] = map[string][]float64{}
		p.assessed[round] = map[string]time.Time{}
	}
	s := p.score
	for _, w := range p.wards {
		for _, per := range p.people[w.Code] {
			from := roundIndex(per.plan.from)
			final := s.final(r, per.plan)
			mid := s.before(r, final, 0.7, from <= 1)
			base := s.before(r, mid, 0.7, from <= 0)
			p.self["final"][per.ID], p.self["mid"][per.ID], p.self["baseline"][per.ID] = final, mid, base
			p.rev["final"][per.ID] = s.review(r, final, per.Group, per.plan.outcome == reviewFlip)
			for _, round := range roundOrder {
				p.assessed[round][per.ID] = surveyStart[round].AddDate(0, 0, r.IntN(10))
			}
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

// header is a dataset's Vietnamese headers for keys, between STT (the row
// number) and Ghi chú (notes), as the ward's form has them.
func (p *pilot) header(ds string, keys ...string) []string {
	d, _ := p.cfg.Dataset(ds)
	h := []string{"STT"}
	for _, k := range keys {
		c, ok := d.Column(k)
		if !ok {
			panic("sample: no column " + k + " in dataset " + ds)
		}
		h = append(h, c.Header)
	}
	return append(h, "Ghi chú")
}

// titles are the rows above a sheet's header: the issuing office and the
// document's title, in capitals.
func titles(w config.Ward, what string) []string {
	return []string{"UBND " + strings.ToUpper(w.Kind+" "+w.Name), strings.ToUpper(what)}
}

// spelling is the i-th way the ward's office writes its name.
func (p *pilot) spelling(ward string, i int) string {
	s := pilotWards[ward].spellings
	return s[i%len(s)]
}
