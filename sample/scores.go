package sample

import (
	"math"
	"math/rand/v2"
	"slices"

	"github.com/hoctap/hoctap/config"
)

// outcome is what a person's final survey is built to show, by the score that
// counts (the reviewed score where there is one).
type outcome int

const (
	recognised outcome = iota // total ≥ pass and no indicator below the minimum
	belowTotal                // total below pass
	nearMiss                  // total ≥ pass, but one indicator below the minimum
	reviewFlip                // the self scores earn the title, the reviewed scores do not
)

// plan is what one registrant's surveys are built to show: their target group,
// the final outcome, and the first round whose scores earn the title ("" when
// none does).
type plan struct {
	group   int
	outcome outcome
	from    string // baseline | mid | final | ""
}

// roundOrder is the order of the survey rounds the simulation knows.
var roundOrder = []string{"baseline", "mid", "final"}

func roundIndex(code string) int {
	if i := slices.Index(roundOrder, code); i >= 0 {
		return i
	}
	return len(roundOrder)
}

// scorer draws scores within a citizen framework's bounds. Scores move in half
// points.
type scorer struct {
	n              int     // indicators
	max, pass, min float64 // indicator max, pass total, minimum per indicator
}

func newScorer(f config.CitizenFramework) scorer {
	return scorer{n: len(f.Indicators), max: f.IndicatorMax, pass: f.PassTotal, min: f.MinPerIndicator}
}

// points scales a number of points on the usual 100-point scale to this framework's.
func (s scorer) points(p float64) float64 { return p * float64(s.n) * s.max / 100 }

// profile is a target group's typical final score on each indicator, on a
// 0–10 scale: officials score highest; farmers are weakest on information
// technology (5) and foreign language (6), as the pilots found, and workers
// on foreign language.
func profile(group int) [10]float64 {
	switch group {
	case 1: // nông dân
		return [10]float64{8.2, 7.8, 7.6, 8.6, 5.6, 4.9, 8.0, 7.6, 9.0, 8.9}
	case 2: // công nhân
		return [10]float64{8.3, 8.0, 7.8, 8.5, 7.3, 6.1, 8.2, 7.9, 8.9, 8.8}
	default: // cán bộ, công chức, viên chức
		return [10]float64{8.9, 8.7, 8.4, 8.8, 8.7, 7.5, 8.5, 8.6, 9.1, 9.2}
	}
}

// draw is a person's natural final scores: their group's profile, their own
// level and some noise.
func (s scorer) draw(r *rand.Rand, group int, spread float64) []float64 {
	x := make([]float64, s.n)
	s.drawInto(r, group, spread, x)
	return x
}

// drawInto is draw into x, which has one place per indicator.
func (s scorer) drawInto(r *rand.Rand, group int, spread float64, x []float64) {
	prof := profile(group)
	skill := r.NormFloat64() * spread
	for i := range x {
		base := 7.5
		if i < len(prof) {
			base = prof[i]
		}
		x[i] = s.half(base*s.max/10 + skill + r.NormFloat64()*0.5)
	}
}

// half rounds to the nearest half point within 0..max.
func (s scorer) half(x float64) float64 {
	return math.Min(s.max, math.Max(0, math.Round(x*2)/2))
}

func total(x []float64) float64 {
	t := 0.0
	for _, v := range x {
		t += v
	}
	return t
}

// meets says whether scores earn the title.
func (s scorer) meets(x []float64) bool {
	for _, v := range x {
		if v < s.min {
			return false
		}
	}
	return total(x) >= s.pass
}

// category is 2 for scores that earn the title, 1 for a total that reaches
// pass with an indicator below the minimum, 0 for a total below pass.
func (s scorer) category(x []float64) int {
	switch {
	case s.meets(x):
		return 2
	case total(x) >= s.pass:
		return 1
	}
	return 0
}

// weak is the indicator (0-based) a person misses the title on in a near miss:
// foreign language (6) for farmers and workers, else their lowest.
func (s scorer) weak(x []float64, group int) int {
	if group != 3 && s.n >= 6 {
		return 5
	}
	w := 0
	for i := range x {
		if x[i] < x[w] {
			w = i
		}
	}
	return w
}

// raise adds half points to random indicators other than skip until the
// total reaches t; lower takes them away, never below floor, until the total
// is at most t.
func (s scorer) raise(r *rand.Rand, x []float64, t float64, skip int) {
	for guard := 0; total(x) < t && guard < 10000; guard++ {
		if i := r.IntN(len(x)); i != skip && x[i] < s.max {
			x[i] += 0.5
		}
	}
}

func (s scorer) lower(r *rand.Rand, x []float64, t, floor float64, skip int) {
	for guard := 0; total(x) > t && guard < 10000; guard++ {
		if i := r.IntN(len(x)); i != skip && x[i]-0.5 >= floor {
			x[i] -= 0.5
		}
	}
}

// final draws a person's final self-assessment shaped to their plan: the
// earlier they first earn the title, the higher they end.
func (s scorer) final(r *rand.Rand, p plan) []float64 {
	x := s.draw(r, p.group, 0.45)
	pass := s.pass
	switch p.outcome {
	case recognised, reviewFlip:
		target := pass + s.points([]float64{9, 5, 1.5}[min(roundIndex(p.from), 2)]+float64(r.IntN(7))/2)
		for i := range x {
			x[i] = math.Max(x[i], s.min+0.5)
		}
		s.lower(r, x, target+0.5, s.min+0.5, -1)
		s.raise(r, x, target, -1)
	case nearMiss:
		w := s.weak(x, p.group)
		for i := range x {
			x[i] = math.Max(x[i], s.min+0.5)
		}
		x[w] = s.min - 0.5 - float64(r.IntN(2))*0.5
		target := pass + s.points(0.5+float64(r.IntN(5))/2)
		s.lower(r, x, target+0.5, s.min+0.5, w)
		s.raise(r, x, target, w)
	case belowTotal:
		s.lower(r, x, pass-s.points(3+float64(r.IntN(16))/2), 0, -1)
	}
	return x
}

// before makes the previous round's scores from the next round's: lower by
// about gap on each indicator, never higher, and earning the title or not as
// asked. The next round's scores must earn it when meet is asked.
func (s scorer) before(r *rand.Rand, next []float64, gap float64, meet bool) []float64 {
	x := make([]float64, len(next))
	for i, v := range next {
		x[i] = math.Min(v, s.half(v-gap+r.NormFloat64()*0.5))
	}
	if meet {
		for i := range x {
			x[i] = math.Max(x[i], math.Min(s.min, next[i]))
		}
		for guard := 0; total(x) < s.pass && guard < 10000; guard++ {
			if i := r.IntN(len(x)); x[i] < next[i] {
				x[i] += 0.5
			}
		}
		return x
	}
	for guard := 0; s.meets(x) && guard < 10000; guard++ {
		if i := r.IntN(len(x)); x[i] >= 0.5 {
			x[i] -= 0.5
		}
	}
	if total(x) >= total(next) { // still improving from one round to the next
		for i := range x {
			if x[i] >= 0.5 {
				x[i] -= 0.5
				break
			}
		}
	}
	return x
}

// review is a reviewer's view of self scores: mostly the same, now and then
// half a point apart, never changing the outcome — except for a review flip,
// where the weakest indicator, its evidence found wanting, is marked below the
// minimum.
func (s scorer) review(r *rand.Rand, self []float64, group int, flip bool) []float64 {
	x := make([]float64, len(self))
	for i, v := range self {
		switch r.IntN(15) {
		case 0, 1, 2:
			v -= 0.5
		case 3:
			v += 0.5
		}
		x[i] = s.half(v)
	}
	if flip {
		x[s.weak(self, group)] = s.min - 0.5
		return x
	}
	if s.category(x) != s.category(self) {
		copy(x, self)
	}
	return x
}
