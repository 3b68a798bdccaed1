package config

import (
	"fmt"
	"slices"
	"strings"
)

// The titles of the programme besides "Công dân học tập" and "Đơn vị học tập"
// as the configuration describes them (frameworks:). Each title is held by one
// kind of holder, and is assessed against the version of its criteria in force
// on the day of the assessment: a title's criteria change by dated documents
// (QĐ 448/QĐ-KHVN of 2015 for families, clans and communities; Thông tư
// 22/2020 then 24/2023 for units), and an assessment is judged by the one it
// was made under.

// Framework codes (frameworks[].code) and the holder each is held by.
const (
	FrameworkFamily    = "gia_dinh"  // Gia đình học tập: a household
	FrameworkClan      = "dong_ho"   // Dòng họ học tập: a clan
	FrameworkCommunity = "cong_dong" // Cộng đồng học tập: a community (thôn, ấp, tổ dân phố)
	FrameworkUnit      = "don_vi"    // Đơn vị học tập: an organisation
	FrameworkCitizen   = "cong_dan"  // Công dân học tập: a person

	HolderHousehold    = "household"
	HolderClan         = "clan"
	HolderCommunity    = "community"
	HolderOrganisation = "organisation"
	HolderPerson       = "person"

	// Criterion kinds: a yes/no criterion is met or not; a points criterion
	// scores from 0 to its max and is met from its threshold.
	KindYesNo  = "yes_no"
	KindPoints = "points"
)

// frameworkHolders is the holder of each known framework code.
var frameworkHolders = map[string]string{
	FrameworkFamily: HolderHousehold, FrameworkClan: HolderClan, FrameworkCommunity: HolderCommunity,
	FrameworkUnit: HolderOrganisation, FrameworkCitizen: HolderPerson,
}

var frameworkCodes = []string{FrameworkFamily, FrameworkClan, FrameworkCommunity, FrameworkUnit, FrameworkCitizen}

// TitleFramework is one title: who holds it, how many could (the denominator
// of its rate: every holder of the commune, not only those registered), its
// target and its dated versions of criteria.
type TitleFramework struct {
	Code   string `yaml:"code"`
	Name   string `yaml:"name"`
	NameEN string `yaml:"name_en"`
	Holder string `yaml:"holder"`
	// Population is, per ward, how many holders there are (all households of
	// the commune, for families), with its source.
	Population []HolderCount  `yaml:"population"`
	Target     *TitleTarget   `yaml:"target"`
	Versions   []TitleVersion `yaml:"versions"`
}

// HolderCount is a ward's number of holders of a title's kind.
type HolderCount struct {
	Ward   string `yaml:"ward"`
	Count  int    `yaml:"count"`
	Year   int    `yaml:"year"`
	Source string `yaml:"source"`
	// SourceEN names the source in the English report; Source when empty.
	SourceEN string `yaml:"source_en"`
}

// TitleTarget is a national target for a title: a share of all holders.
type TitleTarget struct {
	Share    float64 `yaml:"share"`
	Deadline Month   `yaml:"deadline"`
	Source   string  `yaml:"source"`
	// SourceEN names the source in the English report; Source when empty.
	SourceEN string `yaml:"source_en"`
	// SourceDate is the document's day: a report of a month before it shows
	// the target for reference only.
	SourceDate Date   `yaml:"source_date"`
	Scope      string `yaml:"scope"`
	ScopeEN    string `yaml:"scope_en"`
}

// TitleVersion is a title's criteria as one document sets them, and the days
// it is in force (ValidTo zero: still in force).
type TitleVersion struct {
	Code   string `yaml:"code"`
	Source string `yaml:"source"`
	// SourceEN names the source in the English report; Source when empty.
	SourceEN   string           `yaml:"source_en"`
	SourceDate Date             `yaml:"source_date"`
	ValidFrom  Date             `yaml:"valid_from"`
	ValidTo    Date             `yaml:"valid_to"`
	Criteria   []TitleCriterion `yaml:"criteria"`
	Pass       PassRule         `yaml:"pass"`
}

// TitleCriterion is one criterion of a version. Assumption, when set, says
// why the criterion (or its points) is not from the source text.
type TitleCriterion struct {
	Code       string  `yaml:"code"`
	Name       string  `yaml:"name"`
	NameEN     string  `yaml:"name_en"`
	Kind       string  `yaml:"kind"` // yes_no | points
	Max        float64 `yaml:"max"`
	Threshold  float64 `yaml:"threshold"`
	Assumption string  `yaml:"assumption"`
}

// PassRule is when an assessment makes its holder eligible: the points of
// the points criteria add up to at least MinTotal, and, with AllCriteria,
// every criterion is met (a yes, or points from its threshold).
type PassRule struct {
	MinTotal    float64 `yaml:"min_total"`
	AllCriteria bool    `yaml:"all_criteria"`
	Assumption  string  `yaml:"assumption"`
}

// Framework returns the configured framework of code.
func (c *Config) Framework(code string) (TitleFramework, bool) {
	for _, f := range c.Frameworks {
		if f.Code == code {
			return f, true
		}
	}
	return TitleFramework{}, false
}

// Criteria are the criteria of every version, each code once, in the order
// they first appear (the latest version's name, the largest max): the columns
// of the title's assessment file.
func (f TitleFramework) Criteria() []TitleCriterion {
	var out []TitleCriterion
	for i := len(f.Versions) - 1; i >= 0; i-- {
		for _, cr := range f.Versions[i].Criteria {
			if j := slices.IndexFunc(out, func(o TitleCriterion) bool { return o.Code == cr.Code }); j >= 0 {
				out[j].Max = max(out[j].Max, cr.Max)
				continue
			}
			out = append(out, cr)
		}
	}
	return out
}

// MaxTotal is the points a version's points criteria add up to.
func (v TitleVersion) MaxTotal() float64 {
	t := 0.0
	for _, cr := range v.Criteria {
		if cr.Kind == KindPoints {
			t += cr.Max
		}
	}
	return t
}

func (l *loader) frameworks(c *Config) {
	wards := map[string]bool{}
	for _, w := range c.Wards {
		wards[w.Code] = true
	}
	l.familyDatasetNeedsTitle(c)
	seen := map[string]int{}
	for i, f := range c.Frameworks {
		p := fmt.Sprintf("frameworks[%d]", i)
		if l.required(p+".code", f.Code) {
			if !slices.Contains(frameworkCodes, f.Code) {
				l.add(p+".code", "%q is not a title of the programme: expected one of %s", f.Code, strings.Join(frameworkCodes, ", "))
			} else if h := frameworkHolders[f.Code]; f.Holder != h {
				l.add(p+".holder", "%q: %s is held by a %s", f.Holder, f.Code, h)
			}
			if j, dup := seen[f.Code]; dup {
				l.add(p+".code", "%q is also the code of frameworks[%d]", f.Code, j)
			}
			seen[f.Code] = i
		}
		l.required(p+".name", f.Name)
		l.required(p+".name_en", f.NameEN)
		inPop := map[string]int{}
		for j, h := range f.Population {
			q := fmt.Sprintf("%s.population[%d]", p, j)
			if !wards[h.Ward] {
				l.add(q+".ward", "%q is not a ward code of this file%s", h.Ward, l.wardCodes(c))
			} else if k, dup := inPop[h.Ward]; dup {
				l.add(q+".ward", "%q is also the ward of population[%d]", h.Ward, k)
			}
			inPop[h.Ward] = j
			if h.Count <= 0 {
				l.add(q+".count", "%d: expected the number of all %ss of the ward, above 0", h.Count, f.Holder)
			}
			l.required(q+".source", h.Source)
		}
		if t := f.Target; t != nil {
			if t.Share <= 0 || t.Share > 1 {
				l.add(p+".target.share", "%v: a target is a share above 0 and at most 1", t.Share)
			}
			if t.Deadline.IsZero() {
				l.add(p+".target.deadline", "required: YYYY-MM")
			}
			l.required(p+".target.source", t.Source)
			l.required(p+".target.scope", t.Scope)
		}
		if len(f.Versions) == 0 {
			l.add(p+".versions", "at least one version of the criteria is required")
		}
		kinds := map[string]string{} // a criterion's kind, the same in every version: one column of the file
		for j, v := range f.Versions {
			l.titleVersion(fmt.Sprintf("%s.versions[%d]", p, j), v)
			for k, cr := range v.Criteria {
				if was, ok := kinds[cr.Code]; ok && was != cr.Kind && cr.Kind != "" {
					l.add(fmt.Sprintf("%s.versions[%d].criteria[%d].kind", p, j, k), "%q: criterion %s is %s in an earlier version; a new kind needs a new code", cr.Kind, cr.Code, was)
				} else if !ok {
					kinds[cr.Code] = cr.Kind
				}
			}
		}
		// Versions in force on the same day: an assessment would have two sets of criteria.
		for j, v := range f.Versions {
			for k := j + 1; k < len(f.Versions); k++ {
				w := f.Versions[k]
				if v.ValidFrom.IsZero() || w.ValidFrom.IsZero() {
					continue
				}
				if overlaps(v, w) {
					l.add(fmt.Sprintf("%s.versions[%d].valid_from", p, k), "%s overlaps versions[%d] (%s): two versions in force on the same day; end the earlier one the day before the next starts",
						w.ValidFrom, j, span(v))
				}
			}
		}
	}
}

// familyDatasetNeedsTitle refuses a submission or a replace rule of the
// family file when the family title is not configured: no file can answer it.
func (l *loader) familyDatasetNeedsTitle(c *Config) {
	if _, ok := c.Framework(FrameworkFamily); ok {
		return
	}
	for i, s := range c.Submissions {
		if s.Dataset == DatasetFamilyAssessments {
			l.add(fmt.Sprintf("submissions[%d].dataset", i), "%q needs the family title: add frameworks: with code gia_dinh", s.Dataset)
		}
	}
}

// overlaps reports whether two versions are in force on a common day.
func overlaps(a, b TitleVersion) bool {
	endsBefore := func(x, y TitleVersion) bool { return !x.ValidTo.IsZero() && x.ValidTo.Before(y.ValidFrom.Time) }
	return !endsBefore(a, b) && !endsBefore(b, a)
}

func span(v TitleVersion) string {
	if v.ValidTo.IsZero() {
		return "from " + v.ValidFrom.String()
	}
	return v.ValidFrom.String() + " to " + v.ValidTo.String()
}

func (l *loader) titleVersion(p string, v TitleVersion) {
	l.required(p+".code", v.Code)
	l.required(p+".source", v.Source)
	if v.ValidFrom.IsZero() {
		l.add(p+".valid_from", "required: the first day the version is in force, YYYY-MM-DD")
	}
	if !v.ValidTo.IsZero() && !v.ValidFrom.IsZero() && v.ValidTo.Before(v.ValidFrom.Time) {
		l.add(p+".valid_to", "%s is before valid_from %s", v.ValidTo, v.ValidFrom)
	}
	if len(v.Criteria) == 0 {
		l.add(p+".criteria", "at least one criterion is required")
	}
	codes := map[string]int{}
	for i, cr := range v.Criteria {
		q := fmt.Sprintf("%s.criteria[%d]", p, i)
		if l.required(q+".code", cr.Code) {
			if !unitCodeRe.MatchString(cr.Code) {
				l.add(q+".code", "%q is not a code: expected letters, digits, dots and dashes, such as TC1", cr.Code)
			}
			if j, dup := codes[cr.Code]; dup {
				l.add(q+".code", "%q is also the code of criteria[%d]", cr.Code, j)
			}
			codes[cr.Code] = i
		}
		if strings.TrimSpace(cr.Name) == "" {
			l.add(q+".name", "required: criterion %s has no Vietnamese name", cr.Code)
		}
		if strings.TrimSpace(cr.NameEN) == "" {
			l.add(q+".name_en", "required: criterion %s has no English name", cr.Code)
		}
		switch cr.Kind {
		case KindYesNo:
			if cr.Max != 0 || cr.Threshold != 0 {
				l.add(q+".kind", "a yes_no criterion has no max or threshold (criterion %s)", cr.Code)
			}
		case KindPoints:
			if cr.Max <= 0 {
				l.add(q+".max", "%v: a points criterion's max is above 0 (criterion %s)", cr.Max, cr.Code)
			}
			if cr.Threshold < 0 || cr.Threshold > cr.Max {
				l.add(q+".threshold", "%v is out of range: expected 0 to max %v (criterion %s)", cr.Threshold, cr.Max, cr.Code)
			}
		default:
			l.add(q+".kind", "%q: expected yes_no or points", cr.Kind)
		}
	}
	if t := v.MaxTotal(); v.Pass.MinTotal < 0 || v.Pass.MinTotal > t {
		l.add(p+".pass.min_total", "%v is out of range: expected 0 to %v, what the points criteria add up to", v.Pass.MinTotal, t)
	}
	if v.Pass.MinTotal == 0 && !v.Pass.AllCriteria {
		l.add(p+".pass", "the rule passes every assessment: set min_total, all_criteria or both")
	}
}
