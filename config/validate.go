package config

import (
	"crypto/ed25519"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"math"
	"net"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"
)

var (
	slugRe        = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	unitCodeRe    = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)
	memoryLimitRe = regexp.MustCompile(`^\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$`)
)

// validate checks every section and the references between them.
func (l *loader) validate(c *Config) {
	if c.Version != 1 {
		l.add("version", "%d is not a known version: expected 1", c.Version)
	}
	l.city(c)
	l.programme(c)
	l.wards(c)
	l.units(c)
	l.groups(c)
	l.rounds(c)
	l.citizenFramework(c)
	l.unitScheme(c)
	l.frameworks(c)
	l.goals(c)
	l.timeline(c)
	l.submissions(c)
	l.ingest(c)
	l.unitTypes(c)
	l.database(c)
	l.report(c)
	l.schedule(c)
	l.server(c)
	l.delivery(c)
	l.geography(c)
	l.exchange(c)
	if len(l.problems) == 0 {
		c.buildIndexes()
	}
}

func (l *loader) required(path, v string) bool {
	if strings.TrimSpace(v) == "" {
		l.add(path, "required")
		return false
	}
	return true
}

func (l *loader) city(c *Config) {
	l.required("city.name", c.City.Name)
	l.required("city.organisation", c.City.Organisation)
	l.required("city.document_code", c.City.DocumentCode)
	loc, err := time.LoadLocation(c.City.TimeZone)
	if err != nil {
		l.add("city.time_zone", "%q is not a time zone: expected an IANA name such as Asia/Ho_Chi_Minh", c.City.TimeZone)
	} else {
		c.Location = loc
	}
	if c.City.Language != "vi" && c.City.Language != "en" {
		l.add("city.language", "%q is not a language of the reports: expected vi or en", c.City.Language)
	}
}

func (l *loader) programme(c *Config) {
	p := c.Programme
	l.required("programme.name", p.Name)
	if p.Start.IsZero() {
		l.add("programme.start", "required: the first day of the programme, YYYY-MM-DD")
	}
	if p.End.IsZero() {
		l.add("programme.end", "required: the last day of the programme, YYYY-MM-DD")
	}
	if !p.Start.IsZero() && !p.End.IsZero() && !p.Start.Before(p.End.Time) {
		l.add("programme.end", "%s is not after programme.start %s", p.End, p.Start)
	}
}

// inProgramme reports whether d falls inside the programme window.
func (c *Config) inProgramme(d Date) bool {
	return !d.Before(c.Programme.Start.Time) && !d.After(c.Programme.End.Time)
}

func (l *loader) wards(c *Config) {
	if len(c.Wards) == 0 && !c.Exchange.Receives() {
		l.add("wards", "at least one ward is required (or exchange.trusted, for a level that receives packages)")
	}
	codes := map[string]int{}
	names := map[string]string{}
	for i, w := range c.Wards {
		p := fmt.Sprintf("wards[%d]", i)
		if l.required(p+".code", w.Code) {
			if !slugRe.MatchString(w.Code) {
				l.add(p+".code", "%q is not a code: expected lower-case letters, digits and dashes, such as tan-quy-dong", w.Code)
			}
			if j, dup := codes[w.Code]; dup {
				l.add(p+".code", "%q is also the code of wards[%d]", w.Code, j)
			}
			codes[w.Code] = i
		}
		l.required(p+".name", w.Name)
		if !slices.Contains([]string{"xã", "phường", "thị trấn"}, NFC(w.Kind)) {
			l.add(p+".kind", "%q is not a kind of ward: expected xã, phường or thị trấn", w.Kind)
		}
		for j, n := range append([]string{w.Name}, w.Variants...) {
			if n == "" {
				continue
			}
			f := FoldPlace(n)
			if other, dup := names[f]; dup && other != w.Code {
				path := p + ".name"
				if j > 0 {
					path = fmt.Sprintf("%s.variants[%d]", p, j-1)
				}
				l.add(path, "%q matches ward %s as well: names and variants must tell wards apart", n, other)
			}
			names[f] = w.Code
		}
		pop := w.Population
		if pop.Total < 0 || pop.Adults < 0 {
			l.add(p+".population", "population cannot be negative")
		}
		if pop.Adults > pop.Total {
			l.add(p+".population.adults", "%d adults is more than the total population %d", pop.Adults, pop.Total)
		}
	}
}

func (l *loader) units(c *Config) {
	codes := map[string]int{}
	for i, u := range c.Units {
		p := fmt.Sprintf("units[%d]", i)
		if l.required(p+".code", u.Code) {
			if !unitCodeRe.MatchString(u.Code) {
				l.add(p+".code", "%q is not a unit code: expected letters, digits, dots and dashes", u.Code)
			}
			f := Fold(u.Code)
			if j, dup := codes[f]; dup {
				l.add(p+".code", "%q is also the code of units[%d]", u.Code, j)
			}
			codes[f] = i
		}
		l.required(p+".name", u.Name)
		if u.Name == "token" {
			l.add(p+".name", `"token" is the name of the bearer token's login: pick another`)
		}
		if _, ok := c.Ward(u.Ward); !ok {
			l.add(p+".ward", "%q is not a ward code of this file%s", u.Ward, l.wardCodes(c))
		}
		if u.Members < 1 {
			l.add(p+".members", "%d members: a unit needs at least 1 (the denominator of its members' title share)", u.Members)
		}
	}
}

func (l *loader) wardCodes(c *Config) string {
	codes := make([]string, len(c.Wards))
	for i, w := range c.Wards {
		codes[i] = w.Code
	}
	return ": expected one of " + strings.Join(codes, ", ")
}

// categories checks a list of categories: codes, names, and no name or alias
// of two of them.
func (l *loader) categories(path string, cs []Category) {
	codes := map[string]bool{}
	names := map[string]string{}
	for i, k := range cs {
		p := fmt.Sprintf("%s[%d]", path, i)
		if l.required(p+".code", k.Code) {
			if !slugRe.MatchString(k.Code) {
				l.add(p+".code", "%q is not a code: expected lower-case letters, digits and dashes", k.Code)
			} else if codes[k.Code] {
				l.add(p+".code", "%q is the code of two entries", k.Code)
			}
			codes[k.Code] = true
		}
		l.required(p+".name", k.Name)
		for j, n := range append([]string{k.Code, k.Name}, k.Aliases...) {
			f := Fold(n)
			if other, dup := names[f]; dup && other != k.Code && f != "" {
				where := p + ".name"
				if j > 1 {
					where = fmt.Sprintf("%s.aliases[%d]", p, j-2)
				}
				l.add(where, "%q also names %s", n, other)
			}
			names[f] = k.Code
		}
	}
}

// unitTypes checks that every configured unit has a type of the list.
func (l *loader) unitTypes(c *Config) {
	l.categories("unit_types", c.UnitTypes)
	l.categories("activity_kinds", c.ActivityKinds)
	for i, u := range c.Units {
		if u.Type == "" {
			continue
		}
		if _, ok := CategoryByName(c.UnitTypes, u.Type); !ok {
			l.add(fmt.Sprintf("units[%d].type", i), "%q is not a unit type of unit_types", u.Type)
		}
	}
}

func (l *loader) groups(c *Config) {
	if len(c.Groups) == 0 {
		l.add("target_groups", "at least one target group is required")
	}
	ids := map[int]bool{}
	names := map[string]int{}
	for i, g := range c.Groups {
		p := fmt.Sprintf("target_groups[%d]", i)
		if g.ID < 1 {
			l.add(p+".id", "%d is not a group number: expected 1, 2, 3, …", g.ID)
		} else if ids[g.ID] {
			l.add(p+".id", "group %d is defined twice", g.ID)
		}
		ids[g.ID] = true
		if l.required(p+".code", g.Code) && !slugRe.MatchString(g.Code) {
			l.add(p+".code", "%q is not a code: expected lower-case letters, digits and dashes", g.Code)
		}
		l.required(p+".name", g.Name)
		for j, n := range append([]string{g.Code, g.Name}, g.Aliases...) {
			f := Fold(n)
			if other, dup := names[f]; dup && other != g.ID && f != "" {
				path := p + ".name"
				if j > 1 {
					path = fmt.Sprintf("%s.aliases[%d]", p, j-2)
				}
				l.add(path, "%q also names group %d", n, other)
			}
			names[f] = g.ID
		}
	}
}

func (l *loader) rounds(c *Config) {
	names := map[string]string{}
	for i, r := range c.Rounds {
		p := fmt.Sprintf("rounds[%d]", i)
		if l.required(p+".code", r.Code) && !slugRe.MatchString(r.Code) {
			l.add(p+".code", "%q is not a code: expected lower-case letters, digits and dashes", r.Code)
		}
		l.required(p+".name", r.Name)
		for _, n := range append([]string{r.Code, r.Name}, r.Aliases...) {
			f := Fold(n)
			if other, dup := names[f]; dup && other != r.Code {
				l.add(p, "%q also names round %s", n, other)
			}
			names[f] = r.Code
		}
	}
}

func (c *Config) round(code string) bool {
	for _, r := range c.Rounds {
		if r.Code == code {
			return true
		}
	}
	return false
}

func (l *loader) citizenFramework(c *Config) {
	f := c.Citizen
	const p = "citizen_framework"
	if f.IndicatorMax <= 0 {
		l.add(p+".indicator_max", "%v: must be above 0", f.IndicatorMax)
	}
	n := float64(len(f.Indicators))
	if f.PassTotal <= 0 || f.PassTotal > n*f.IndicatorMax {
		l.add(p+".pass_total", "%v is out of range: expected above 0 and at most %v (%v indicators × %v)", f.PassTotal, n*f.IndicatorMax, n, f.IndicatorMax)
	}
	if f.MinPerIndicator < 0 || f.MinPerIndicator > f.IndicatorMax {
		l.add(p+".min_per_indicator", "%v is out of range: expected 0 to indicator_max %v", f.MinPerIndicator, f.IndicatorMax)
	}
	if f.ScoreStep < 0 || (f.ScoreStep > 0 && !isMultiple(f.IndicatorMax, f.ScoreStep)) {
		l.add(p+".score_step", "%v: expected 0 (any decimal) or a step that divides indicator_max %v, such as 0.5", f.ScoreStep, f.IndicatorMax)
	}
	if !slices.Contains([]string{BasisSelf, BasisReviewed, BasisReviewedIfPresent}, f.ScoreBasis) {
		l.add(p+".score_basis", "%q: expected self, reviewed or reviewed_if_present", f.ScoreBasis)
	}
	crit := map[string]int{}
	for i, cr := range f.Criteria {
		q := fmt.Sprintf("%s.criteria[%d]", p, i)
		if l.required(q+".code", cr.Code) {
			if _, dup := crit[cr.Code]; dup {
				l.add(q+".code", "criterion %s is defined twice", cr.Code)
			}
			crit[cr.Code] = 0
		}
		l.required(q+".name", cr.Name)
	}
	if len(f.Criteria) == 0 {
		l.add(p+".criteria", "at least one criterion is required")
	}
	if len(f.Indicators) == 0 {
		l.add(p+".indicators", "at least one indicator is required")
	}
	for i, ind := range f.Indicators {
		q := fmt.Sprintf("%s.indicators[%d]", p, i)
		if ind.Number != i+1 {
			l.add(q+".number", "%d: indicators are numbered 1, 2, 3, … in order; expected %d", ind.Number, i+1)
		}
		if _, ok := crit[ind.Criterion]; !ok {
			l.add(q+".criterion", "%q is not a criterion of citizen_framework.criteria", ind.Criterion)
		} else {
			crit[ind.Criterion]++
		}
		l.required(q+".name", ind.Name)
		for _, g := range c.Groups {
			if strings.TrimSpace(ind.Wording[g.ID]) == "" {
				l.add(q+".wording", "no wording for target group %d (%s)", g.ID, g.Name)
			}
		}
		for id := range ind.Wording {
			if !slices.ContainsFunc(c.Groups, func(g TargetGroup) bool { return g.ID == id }) {
				l.add(fmt.Sprintf("%s.wording.%d", q, id), "%d is not a target group of target_groups", id)
			}
		}
	}
	for code, k := range crit {
		if k == 0 && len(f.Indicators) > 0 {
			l.add(p+".criteria", "criterion %s has no indicator", code)
		}
	}
	if minOK := f.MinPerIndicator >= 0 && f.MinPerIndicator <= f.IndicatorMax; minOK && (f.DigitalMin < f.MinPerIndicator || f.DigitalMin > f.IndicatorMax) {
		l.add(p+".digital_min", "%v is out of range: expected min_per_indicator %v to indicator_max %v", f.DigitalMin, f.MinPerIndicator, f.IndicatorMax)
	}
	if f.DigitalIndicator < 1 || f.DigitalIndicator > len(f.Indicators) {
		l.add(p+".digital_indicator", "%d is not an indicator number: expected 1 to %d", f.DigitalIndicator, len(f.Indicators))
	}
}

func isMultiple(x, step float64) bool {
	q := x / step
	return math.Abs(q-math.Round(q)) < 1e-9
}

func (l *loader) unitScheme(c *Config) {
	s := c.UnitScheme
	const p = "unit_framework"
	switch s.Scheme {
	case SchemePoints:
	case SchemeLevels:
		l.add(p+".scheme", "levels (Thông tư 24/2023) is not supported yet: use points")
		return
	default:
		l.add(p+".scheme", "%q: expected points or levels", s.Scheme)
		return
	}
	crit := map[string]float64{}
	total := 0.0
	for i, cr := range s.Criteria {
		q := fmt.Sprintf("%s.criteria[%d]", p, i)
		if l.required(q+".code", cr.Code) {
			if _, dup := crit[cr.Code]; dup {
				l.add(q+".code", "criterion %s is defined twice", cr.Code)
			}
			crit[cr.Code] = 0
		}
		if cr.Max <= 0 {
			l.add(q+".max", "%v: must be above 0", cr.Max)
		}
		total += cr.Max
	}
	if len(s.Items) == 0 {
		l.add(p+".items", "at least one item is required")
	}
	items := map[string]bool{}
	keys := map[string]string{}
	for i, it := range s.Items {
		q := fmt.Sprintf("%s.items[%d]", p, i)
		if l.required(q+".code", it.Code) {
			if items[it.Code] {
				l.add(q+".code", "item %s is defined twice", it.Code)
			}
			items[it.Code] = true
			k := ItemKey(it.Code)
			if other, dup := keys[k]; dup && other != it.Code {
				l.add(q+".code", "%q reads as the same column as %q", it.Code, other)
			}
			keys[k] = it.Code
		}
		l.required(q+".name", it.Name)
		if it.Max <= 0 {
			l.add(q+".max", "%v: must be above 0", it.Max)
		}
		if _, ok := crit[it.Criterion]; !ok {
			l.add(q+".criterion", "%q is not a criterion of unit_framework.criteria", it.Criterion)
			continue
		}
		crit[it.Criterion] += it.Max
	}
	for i, cr := range s.Criteria {
		if sum := crit[cr.Code]; math.Abs(sum-cr.Max) > 1e-9 {
			l.add(fmt.Sprintf("%s.criteria[%d].max", p, i), "criterion %s has max %v but its items add up to %v", cr.Code, cr.Max, sum)
		}
	}
	if len(s.Grades) == 0 {
		l.add(p+".grades", "at least one grade is required")
	}
	grades := map[string]bool{}
	for i, g := range s.Grades {
		q := fmt.Sprintf("%s.grades[%d]", p, i)
		if l.required(q+".code", g.Code) && grades[g.Code] {
			l.add(q+".code", "grade %s is defined twice", g.Code)
		}
		grades[g.Code] = true
		l.required(q+".name", g.Name)
		if g.Min < 0 || g.Min > total {
			l.add(q+".min", "%v is out of range: expected 0 to %v", g.Min, total)
		}
		if i > 0 && g.Min >= s.Grades[i-1].Min {
			l.add(q+".min", "%v: grades are listed from the highest minimum down, and %v comes before it", g.Min, s.Grades[i-1].Min)
		}
	}
	if n := len(s.Grades); n > 0 && s.Grades[n-1].Min != 0 {
		l.add(fmt.Sprintf("%s.grades[%d].min", p, n-1), "the lowest grade must start at 0 so that every total has a grade")
	}
	if !grades[s.RecognisedFrom] {
		l.add(p+".recognised_from", "%q is not a grade code of unit_framework.grades", s.RecognisedFrom)
	}
	if s.MemberTitleShare <= 0 || s.MemberTitleShare > 1 {
		l.add(p+".member_title_share", "%v: expected a share above 0 and at most 1, such as 0.90", s.MemberTitleShare)
	}
}

func (l *loader) goals(c *Config) {
	if c.GoalStatus.AtRiskMargin < 0 {
		l.add("goal_status.at_risk_margin", "%v: cannot be negative", c.GoalStatus.AtRiskMargin)
	}
	if c.GoalStatus.TrendMonths < 1 {
		l.add("goal_status.trend_months", "%d: expected at least 1", c.GoalStatus.TrendMonths)
	}
	ids := map[string]bool{}
	start := c.Programme.Start.Month()
	for i, g := range c.Goals {
		p := fmt.Sprintf("goals[%d]", i)
		if l.required(p+".id", g.ID) {
			if !slugRe.MatchString(g.ID) {
				l.add(p+".id", "%q is not an id: expected lower-case letters, digits and dashes", g.ID)
			}
			if ids[g.ID] {
				l.add(p+".id", "goal %s is defined twice", g.ID)
			}
			ids[g.ID] = true
		}
		l.required(p+".name", g.Name)
		l.required(p+".source", g.Source)
		m, ok := MetricByName(g.Metric)
		if !ok {
			l.add(p+".metric", "%q is not a metric the SQL models produce: expected one of %s", g.Metric, metricNames())
		} else if len(m.Denominators) == 0 && g.Denominator != "" {
			l.add(p+".denominator", "%s is a count and takes no denominator", g.Metric)
		} else if len(m.Denominators) > 0 && !slices.Contains(m.Denominators, g.Denominator) {
			l.add(p+".denominator", "%q: %s is a rate of %s", g.Denominator, g.Metric, strings.Join(m.Denominators, " or "))
		}
		isShare := ok && len(m.Denominators) > 0
		if g.Target < 0 || (isShare && g.Target > 1) {
			l.add(p+".target", "%v: a rate's target is a share from 0 to 1, such as 0.7 for 70%%", g.Target)
		}
		if g.Deadline.IsZero() {
			l.add(p+".deadline", "required: the month the target is due, YYYY-MM")
		} else if !start.IsZero() && g.Deadline.Before(start) {
			l.add(p+".deadline", "%s is before the programme starts (%s)", g.Deadline, start)
		}
		switch g.Path {
		case "linear":
			if len(g.Points) > 0 {
				l.add(p+".points", "points are given but path is linear: set path: points")
			}
		case "points":
			if len(g.Points) == 0 {
				l.add(p+".points", "path is points but no points are given")
			}
			for m, v := range g.Points {
				q := p + ".points." + m.String()
				if m.Before(start) || g.Deadline.Before(m) {
					l.add(q, "%s is outside the goal's path, %s to %s", m, start, g.Deadline)
				}
				if v < 0 || (isShare && v > 1) {
					l.add(q, "%v: expected a share from 0 to 1", v)
				}
			}
		default:
			l.add(p+".path", "%q: expected linear or points", g.Path)
		}
		if g.Baseline < 0 || (isShare && g.Baseline > 1) {
			l.add(p+".baseline", "%v: expected a share from 0 to 1", g.Baseline)
		}
		for j, tag := range g.UNESCO {
			if _, ok := UNESCOAreas[tag]; !ok {
				l.add(fmt.Sprintf("%s.unesco[%d]", p, j), "%q is not an area of UNESCO's Key Features of Learning Cities: expected one of %s", tag, unescoNames())
			}
		}
		if g.Status != nil && g.Status.AtRiskMargin < 0 {
			l.add(p+".status.at_risk_margin", "%v: cannot be negative", g.Status.AtRiskMargin)
		}
	}
}

func metricNames() string {
	n := make([]string, len(Metrics))
	for i, m := range Metrics {
		n[i] = m.Name
	}
	return strings.Join(n, ", ")
}

func unescoNames() string {
	n := make([]string, 0, len(UNESCOAreas))
	for k := range UNESCOAreas {
		n = append(n, k)
	}
	sort.Strings(n)
	return strings.Join(n, ", ")
}

func (l *loader) timeline(c *Config) {
	phases := map[string]bool{}
	for i, ph := range c.Timeline.Phases {
		p := fmt.Sprintf("timeline.phases[%d]", i)
		if l.required(p+".id", ph.ID) && phases[ph.ID] {
			l.add(p+".id", "phase %s is defined twice", ph.ID)
		}
		phases[ph.ID] = true
		l.required(p+".name", ph.Name)
		if ph.Start.IsZero() || ph.End.IsZero() {
			l.add(p, "start and end are required")
			continue
		}
		if ph.End.Before(ph.Start.Time) {
			l.add(p+".end", "%s is before the phase's start %s", ph.End, ph.Start)
		}
		if !c.inProgramme(ph.Start) {
			l.add(p+".start", "%s is outside the programme, %s to %s", ph.Start, c.Programme.Start, c.Programme.End)
		}
		if !c.inProgramme(ph.End) {
			l.add(p+".end", "%s is outside the programme, %s to %s", ph.End, c.Programme.Start, c.Programme.End)
		}
	}
	ids := map[string]bool{}
	for i, m := range c.Timeline.Milestones {
		p := fmt.Sprintf("timeline.milestones[%d]", i)
		if l.required(p+".id", m.ID) && ids[m.ID] {
			l.add(p+".id", "milestone %s is defined twice", m.ID)
		}
		ids[m.ID] = true
		l.required(p+".name", m.Name)
		if m.Phase != "" && !phases[m.Phase] {
			l.add(p+".phase", "%q is not a phase of timeline.phases", m.Phase)
		}
		if m.Due.IsZero() {
			l.add(p+".due", "required: the day it is due, YYYY-MM-DD")
		} else if !c.inProgramme(m.Due) {
			l.add(p+".due", "%s is outside the programme, %s to %s", m.Due, c.Programme.Start, c.Programme.End)
		}
		l.condition(c, p+".done_when", m.DoneWhen)
	}
}

func (l *loader) condition(c *Config, p string, d Condition) {
	switch d.Kind {
	case CondAllAssessed:
		if !c.round(d.Round) {
			l.add(p+".round", "%q is not a round of rounds", d.Round)
		}
	case CondAllUnitsAssessed:
	case CondActivityHeld:
		l.required(p+".activity", d.Activity)
	case CondCitizensReg, CondUnitsReg:
		if d.Count < 1 {
			l.add(p+".count", "%d: expected at least 1", d.Count)
		}
	case CondRecognisedShare:
		if d.Share <= 0 || d.Share > 1 {
			l.add(p+".share", "%v: expected a share above 0 and at most 1", d.Share)
		}
	case "":
		l.add(p+".kind", "required: one of %s", strings.Join(Conditions, ", "))
	default:
		l.add(p+".kind", "%q is not a condition the SQL models evaluate: expected one of %s", d.Kind, strings.Join(Conditions, ", "))
	}
}

func (l *loader) submissions(c *Config) {
	for i, s := range c.Submissions {
		p := fmt.Sprintf("submissions[%d]", i)
		if !slices.Contains(DatasetNames, s.Dataset) {
			l.add(p+".dataset", "%q is not a dataset: expected one of %s", s.Dataset, strings.Join(DatasetNames, ", "))
		}
		for j, w := range s.Wards {
			if _, ok := c.Ward(w); !ok {
				l.add(fmt.Sprintf("%s.wards[%d]", p, j), "%q is not a ward code of this file%s", w, l.wardCodes(c))
			}
		}
		if s.Round != "" {
			if s.Dataset != DatasetCitizenAssessments {
				l.add(p+".round", "only citizen_assessments have rounds")
			} else if !c.round(s.Round) {
				l.add(p+".round", "%q is not a round of rounds", s.Round)
			}
		}
		if s.Monthly {
			if !s.Due.IsZero() {
				l.add(p+".due", "a monthly submission has due_day, not due")
			}
			if s.DueDay < 1 || s.DueDay > 28 {
				l.add(p+".due_day", "%d: expected a day from 1 to 28 of the following month", s.DueDay)
			}
			if s.To.Before(s.From) {
				l.add(p+".to", "%s is before from %s", s.To, s.From)
			}
			continue
		}
		if s.DueDay != 0 {
			l.add(p+".due_day", "due_day is for monthly submissions: set monthly: true, or give due")
		}
		if s.Due.IsZero() {
			l.add(p+".due", "required: the day it is due, YYYY-MM-DD (or monthly: true with due_day)")
		} else if !c.inProgramme(s.Due) {
			l.add(p+".due", "%s is outside the programme, %s to %s", s.Due, c.Programme.Start, c.Programme.End)
		}
	}
}

func (l *loader) ingest(c *Config) {
	for ds, cols := range c.Ingest.HeaderSynonyms {
		p := "ingest.header_synonyms." + ds
		d, ok := c.Dataset(ds)
		if !ok {
			l.add(p, "%q is not a dataset: expected one of %s", ds, strings.Join(DatasetNames, ", "))
			continue
		}
		for key := range cols {
			if _, ok := d.Column(key); !ok {
				l.add(p+"."+key, "%q is not a column of %s", key, ds)
			}
		}
	}
	if c.Ingest.MaxFileBytes < 0 {
		l.add("ingest.max_file_bytes", "cannot be negative")
	}
	in := c.Ingest
	if in.MaxExpandedBytes < 0 {
		l.add("ingest.max_expanded_bytes", "cannot be negative")
	}
	if in.MaxCellBytes < 0 || in.MaxCellBytes > 64<<20 {
		l.add("ingest.max_cell_bytes", "%d: expected 1 to %d", in.MaxCellBytes, 64<<20)
	}
	if in.MaxColumns < 0 || in.MaxColumns > 16384 {
		l.add("ingest.max_columns", "%d: expected 1 to 16384 (Excel's most)", in.MaxColumns)
	}
	if in.MaxRows < 0 {
		l.add("ingest.max_rows", "cannot be negative")
	}
	if in.SettleTime.Duration < 0 {
		l.add("ingest.settle_time", "cannot be negative")
	}
	if in.MaxShrink < 0 || in.MaxShrink > 1 {
		l.add("ingest.max_shrink", "%v: expected a share from 0 to 1", in.MaxShrink)
	}
	for i, ds := range in.Replace {
		if _, ok := c.Dataset(ds); !ok {
			l.add(fmt.Sprintf("ingest.replace[%d]", i), "%q is not a dataset: expected one of %s", ds, strings.Join(DatasetNames, ", "))
		}
	}
}

func (l *loader) database(c *Config) {
	d := c.Database
	if d.Threads < 1 {
		l.add("database.threads", "%d: expected at least 1", d.Threads)
	}
	if !memoryLimitRe.MatchString(d.MemoryLimit) {
		l.add("database.memory_limit", "%q: expected a size such as 4GB or 512MB", d.MemoryLimit)
	}
	if d.QueryTimeout.Duration < time.Second {
		l.add("database.query_timeout", "%s: expected at least 1s", d.QueryTimeout)
	}
	if d.MaxRows < 1 {
		l.add("database.max_rows", "%d: expected at least 1", d.MaxRows)
	}
	if d.MaxResultSize < 1e6 {
		l.add("database.max_result_size", "%s: expected at least 1MB", d.MaxResultSize)
	}
	for key, v := range map[string]string{"query_memory_limit": d.QueryMemoryLimit, "query_temp_limit": d.QueryTempLimit} {
		if n, err := ParseByteSize(v); !memoryLimitRe.MatchString(v) || err != nil || n < 1e6 {
			l.add("database."+key, "%q: expected a size of at least 1MB, such as 512MB or 1GB", v)
		}
	}
	if d.QueryWorkers < 1 {
		l.add("database.query_workers", "%d: expected at least 1", d.QueryWorkers)
	}
}

func (l *loader) report(c *Config) {
	r := c.Report
	for i, lang := range r.Languages {
		if lang != "vi" && lang != "en" {
			l.add(fmt.Sprintf("report.languages[%d]", i), "%q: expected vi or en", lang)
		}
	}
	if r.PackLimit < 0 {
		l.add("report.pack_limit", "cannot be negative")
	}
	if r.AnnexLimit < 0 {
		l.add("report.annex_limit", "cannot be negative")
	}
	if n := len(r.RecipientsEN); n > 0 && n != len(r.Recipients) {
		l.add("report.recipients_en", "%d lines for the %d recipients: give each recipient its English form, in the same order", n, len(r.Recipients))
	}
	if r.CloseWithin < 0 || r.CloseWithin > c.Citizen.PassTotal {
		l.add("report.close_within", "%g: expected 0 to the pass total (%g)", r.CloseWithin, c.Citizen.PassTotal)
	}
	if r.GoalChartHorizonMonths < 1 {
		l.add("report.goal_chart_horizon_months", "%d: expected at least 1", r.GoalChartHorizonMonths)
	}
	if r.MinGroupForRate < 1 {
		l.add("report.min_group_for_rate", "%d: expected at least 1", r.MinGroupForRate)
	}
	if r.ChartDPI < 72 || r.ChartDPI > 600 {
		l.add("report.chart_dpi", "%d: expected 72 to 600", r.ChartDPI)
	}
	if r.DataDeadlineDay < 1 || r.DataDeadlineDay > 27 {
		l.add("report.data_deadline_day", "%d: expected a day of the next month from 1 to 27", r.DataDeadlineDay)
	} else if d := c.Schedule.Report.Day; d >= 1 && d <= r.DataDeadlineDay {
		l.add("schedule.report.day", "%d: the monthly report would run before its data's deadline, day %d (report.data_deadline_day): expected a later day", d, r.DataDeadlineDay)
	}
	for _, s := range c.Submissions {
		if s.Monthly && s.DueDay > r.DataDeadlineDay && r.DataDeadlineDay >= 1 {
			l.add("report.data_deadline_day", "%d: before the due day %d of the monthly %s submissions, which would always miss the report: expected at least %d", r.DataDeadlineDay, s.DueDay, s.Dataset, s.DueDay)
		}
	}
}

func (l *loader) schedule(c *Config) {
	s := c.Schedule
	if s.Ingest.Every.Duration < time.Minute {
		l.add("schedule.ingest.every", "%s: expected at least 1m", s.Ingest.Every)
	}
	for name, day := range map[string]int{"report": s.Report.Day, "reminder": s.Reminder.Day} {
		if day < 1 || day > 28 {
			l.add("schedule."+name+".day", "%d: expected a day of the month from 1 to 28", day)
		}
	}
	if s.Backup.Keep < 1 {
		l.add("schedule.backup.keep", "%d: expected at least 1", s.Backup.Keep)
	}
	if s.Retry.Attempts < 1 {
		l.add("schedule.retry.attempts", "%d: expected at least 1", s.Retry.Attempts)
	}
	if s.Deliver.Every.Duration < time.Second {
		l.add("schedule.deliver.every", "%s: expected at least 1s", s.Deliver.Every)
	}
}

func (l *loader) server(c *Config) {
	s := c.Server
	if _, _, err := net.SplitHostPort(s.Listen); err != nil {
		l.add("server.listen", "%q: expected host:port, such as 127.0.0.1:8080", s.Listen)
	}
	if t := s.Auth.TokenSHA256; t != "" {
		if b, err := hex.DecodeString(t); err != nil || len(b) != 32 {
			l.add("server.auth.token_sha256", "expected the 64 hex digits of a SHA-256 hash, never the token itself")
		}
	}
	for i, u := range s.Auth.Users {
		p := fmt.Sprintf("server.auth.users[%d]", i)
		l.required(p+".name", u.Name)
		if !strings.HasPrefix(u.PasswordHash, "$2") {
			l.add(p+".password_bcrypt", "expected a bcrypt hash ($2a$…), never the password itself")
		}
		if u.Wards != nil && len(u.Wards) == 0 {
			l.add(p+".wards", "an empty list: list the ward codes this login may see, or leave wards out for a committee login that sees every ward")
		}
		seenWard := map[string]bool{}
		for j, w := range u.Wards {
			wp := fmt.Sprintf("%s.wards[%d]", p, j)
			if _, ok := c.Ward(w); !ok {
				l.add(wp, "%q is not a ward code of this file%s", w, l.wardCodes(c))
			} else if seenWard[w] {
				l.add(wp, "%q is listed twice", w)
			}
			seenWard[w] = true
		}
	}
	if s.LoginFailuresPerMinute < 1 {
		l.add("server.login_failures_per_minute", "%d: expected at least 1", s.LoginFailuresPerMinute)
	}
	if s.LogFormat != LogText && s.LogFormat != LogJSON {
		l.add("server.log_format", "%q: expected text or json", s.LogFormat)
	}
	if s.ReadTimeout.Duration < time.Second {
		l.add("server.read_timeout", "%s: expected at least 1s", s.ReadTimeout)
	}
	if q := c.Database.QueryTimeout.Duration; s.WriteTimeout.Duration <= q {
		l.add("server.write_timeout", "%s: expected more than database.query_timeout (%s): a page waits for its query before it is written", s.WriteTimeout, q)
	}
	if s.IdleTimeout.Duration < time.Second {
		l.add("server.idle_timeout", "%s: expected at least 1s", s.IdleTimeout)
	}
	if (s.TLSCert == "") != (s.TLSKey == "") {
		l.add("server.tls_cert", "tls_cert and tls_key go together: both PEM files, or neither")
	}
}

// geography checks what can be checked without reading the register: the
// crosswalk needs a register, official codes are plain codes and unique.
func (l *loader) geography(c *Config) {
	g := c.Geography
	if g.Crosswalk != "" && g.Units == "" {
		l.add("geography.units", "required with geography.crosswalk: the crosswalk links units of the register")
	}
	seen := map[string]int{}
	for i, w := range c.Wards {
		path := fmt.Sprintf("wards[%d].official_code", i)
		if w.OfficialCode == "" {
			continue
		}
		if g.Units == "" {
			l.add(path, "needs geography.units, the register the code is from")
		}
		if strings.ContainsAny(w.OfficialCode, " \t") {
			l.add(path, "%q is not a code: expected the register's code, such as 29917", w.OfficialCode)
		}
		if j, dup := seen[w.OfficialCode]; dup {
			l.add(path, "%s is also the code of wards[%d] (%s)", w.OfficialCode, j, c.Wards[j].Code)
		}
		seen[w.OfficialCode] = i
	}
	if c.City.OfficialCode != "" && g.Units == "" {
		l.add("city.official_code", "needs geography.units, the register the code is from")
	}
	areas := map[string]int{}
	for i, a := range g.LegacyAreas {
		path := fmt.Sprintf("geography.legacy_areas[%d]", i)
		if g.Units == "" {
			l.add(path, "needs geography.units, the register its units are from")
		}
		if !slugRe.MatchString(a.Code) {
			l.add(path+".code", "%q is not a code: expected a lower-case slug such as tp-sa-dec-cu", a.Code)
		}
		if j, dup := areas[a.Code]; dup {
			l.add(path+".code", "%s is also the code of geography.legacy_areas[%d]", a.Code, j)
		}
		areas[a.Code] = i
		if strings.TrimSpace(a.Name) == "" {
			l.add(path+".name", "required: the area's name, as reports write it")
		}
		if len(a.Units) == 0 {
			l.add(path+".units", "required: the register's codes of the units it holds")
		}
	}
}

// exchange checks the package settings: trusted keys are Ed25519 public keys
// in base64, one per area; a receiving level needs the register to know which
// areas lie inside its own.
func (l *loader) exchange(c *Config) {
	e := c.Exchange
	seen := map[string]int{}
	for i, t := range e.Trusted {
		p := fmt.Sprintf("exchange.trusted[%d]", i)
		l.required(p+".area", t.Area)
		if k, err := base64.StdEncoding.DecodeString(t.PublicKey); err != nil || len(k) != ed25519.PublicKeySize {
			l.add(p+".public_key", "expected an Ed25519 public key in base64 (44 characters, as hoctap keygen prints it)")
		}
		if j, dup := seen[t.Area+" "+t.PublicKey]; dup {
			l.add(p, "the same area and key as exchange.trusted[%d]", j)
		}
		seen[t.Area+" "+t.PublicKey] = i
	}
	if e.Receives() && c.Geography.Units == "" {
		l.add("exchange.trusted", "needs geography.units: the register says which areas lie inside this one")
	}
	if e.Receives() && c.City.OfficialCode == "" {
		l.add("city.official_code", "required with exchange.trusted: the code of the area this level covers (VN for the nation)")
	}
	if e.MaxPackageSize < 0 {
		l.add("exchange.max_package_size", "must be positive")
	}
}
