package sample

import (
	"math"
	"math/rand/v2"
)

// profile gives a target group's typical score on each indicator (1-based) in
// the final round: officials score highest; farmers are weakest on information
// technology (5) and foreign language (6), as the pilots found.
func profile(group int) [11]float64 {
	switch group {
	case 1: // nông dân
		return [11]float64{0, 8.2, 7.8, 7.6, 8.6, 6.0, 5.2, 8.0, 7.6, 9.0, 8.9}
	case 2: // công nhân
		return [11]float64{0, 8.3, 8.0, 7.8, 8.5, 7.4, 6.3, 8.2, 7.9, 8.9, 8.8}
	default: // cán bộ, công chức, viên chức
		return [11]float64{0, 8.9, 8.7, 8.4, 8.8, 8.6, 7.4, 8.5, 8.6, 9.1, 9.2}
	}
}

// roundHalf rounds to the nearest half point within 0..max.
func roundHalf(x, max float64) float64 {
	return math.Min(max, math.Max(0, math.Round(x*2)/2))
}

func total(s []float64) float64 {
	t := 0.0
	for _, v := range s {
		t += v
	}
	return t
}

// finalScores draws a person's final self-assessment (scores[0] is indicator 1)
// and shapes it to the outcome intended for them.
func finalScores(r *rand.Rand, group int, n int, max float64, want outcome) []float64 {
	prof := profile(group)
	skill := r.NormFloat64() * 0.45
	s := make([]float64, n)
	for i := range s {
		base := 7.5
		if i+1 < len(prof) {
			base = prof[i+1]
		}
		s[i] = roundHalf(base+skill+r.NormFloat64()*0.5, max)
	}
	weak := weakest(s, group)
	switch want {
	case recognised, reviewFlip:
		for i := range s {
			if s[i] < 5.5 {
				s[i] = 5.5
			}
		}
		raiseTo(r, s, 81+float64(r.IntN(8)), max, -1)
	case nearMiss:
		raiseTo(r, s, 81+float64(r.IntN(4)), max, weak)
		s[weak] = 4.5 - float64(r.IntN(2))*0.5
		raiseTo(r, s, 80.5, max, weak)
	case belowTotal:
		for total(s) >= 78 {
			i := r.IntN(n)
			s[i] = roundHalf(s[i]-0.5, max)
		}
	}
	return s
}

// weakest is the indicator a group is weakest on: foreign language for farmers
// and workers, else the lowest score.
func weakest(s []float64, group int) int {
	if group != 3 && len(s) >= 6 {
		return 5 // indicator 6
	}
	w := 0
	for i := range s {
		if s[i] < s[w] {
			w = i
		}
	}
	return w
}

// raiseTo adds half points to random indicators (never skip) until the total reaches t.
func raiseTo(r *rand.Rand, s []float64, t, max float64, skip int) {
	for guard := 0; total(s) < t && guard < 1000; guard++ {
		i := r.IntN(len(s))
		if i != skip && s[i] < max {
			s[i] += 0.5
		}
	}
}

// earlier makes an earlier round's scores from the final ones: lower by about
// gap points, noisily.
func earlier(r *rand.Rand, final []float64, gap, max float64) []float64 {
	s := make([]float64, len(final))
	for i, v := range final {
		s[i] = roundHalf(v-gap+r.NormFloat64()*0.5, max)
	}
	return s
}

// meets says whether scores earn the title.
func meets(s []float64, pass, min float64) bool {
	for _, v := range s {
		if v < min {
			return false
		}
	}
	return total(s) >= pass
}

// reviewed is a reviewer's view of self scores: mostly the same, sometimes half
// a point apart, never changing whether they earn the title — except for a
// review flip, where the weakest indicator is marked down below the minimum.
func reviewed(r *rand.Rand, self []float64, group int, max, pass, min float64, flip bool) []float64 {
	s := make([]float64, len(self))
	for i, v := range self {
		switch r.IntN(6) {
		case 0:
			v -= 0.5
		case 1:
			v += 0.5
		}
		s[i] = roundHalf(v, max)
	}
	if flip {
		s[weakest(self, group)] = min - 0.5
		return s
	}
	if meets(s, pass, min) != meets(self, pass, min) {
		copy(s, self)
	}
	return s
}
