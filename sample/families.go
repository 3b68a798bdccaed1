package sample

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/hoctap/hoctap/config"
)

// The pilot's learning families ("Gia đình học tập"): each ward assesses a
// few households in June 2021 against the version of the family title in
// force then, and the city's decision of 16/07/2021 recognises the eligible
// ones but one per ward, whose file was late: eligible is not recognised.
// Not a fact of the pilot's records (the pilot had no family title): a demo
// of the framework, built to show each case.
var familyDecision = "127/QĐ-UBND"

// familyPlan is what a household's assessment is built to show: a share of
// each criterion's max (the last criteria take the last share when a version
// has more), and whether the decision names it when it is eligible.
type familyPlan struct {
	shares  []float64
	decided bool
}

var familyPlans = []familyPlan{
	{[]float64{0.9, 0.9, 0.85, 0.9}, true},    // eligible, recognised
	{[]float64{1, 0.85, 0.9, 0.8}, true},      // eligible, recognised
	{[]float64{0.95, 1, 0.35, 0.9}, true},     // 86 points but one criterion under its threshold: not eligible
	{[]float64{0.7, 0.7, 0.7, 0.7}, true},     // below the total
	{[]float64{0.9, 0.85, 0.85, 0.85}, false}, // eligible, no decision yet
}

// families writes each ward's household assessments (June 2021).
func (p *pilot) families() error {
	f, ok := p.cfg.Framework(config.FrameworkFamily)
	if !ok {
		return nil
	}
	r := newRand(p.seed, streamFamilies)
	crit := f.Criteria()
	keys := []string{"household_code", "head_name", "ward", "hamlet", "members", "assessed_on"}
	for _, cr := range crit {
		keys = append(keys, config.CriterionKey(cr.Code))
	}
	p.households = map[string][]household{}
	for _, w := range p.wards {
		sh := sheet{Name: "Hộ gia đình", Titles: titles(w, "Kết quả bình xét "+f.Name+" năm 2021"), Header: p.header(config.DatasetFamilyAssessments, keys...)}
		hamlets := hamletsOf(w.Kind)
		for i, pl := range familyPlans {
			head, _ := name(r)
			h := household{code: fmt.Sprintf("%s-H%02d", idPrefix(w.Code), i+1), head: head, on: day(2021, 6, 10+r.IntN(8)), plan: pl}
			row := []any{i + 1, h.code, head, p.spelling(w.Code, i), hamlets[r.IntN(len(hamlets))], 2 + r.IntN(5), date(h.on)}
			v := versionOn(f, h.on)
			for j, cr := range crit {
				if v == nil || !hasCriterion(v, cr.Code) {
					row = append(row, nil)
					continue
				}
				s := pl.shares[min(j, len(pl.shares)-1)]
				if cr.Kind == config.KindYesNo {
					row = append(row, map[bool]string{true: "Đạt", false: "Không đạt"}[s >= 0.5])
					continue
				}
				row = append(row, math.Round(s*cr.Max*2)/2)
			}
			sh.Rows = append(sh.Rows, append(row, nil))
			p.households[w.Code] = append(p.households[w.Code], h)
		}
		sent := p.at(day(2021, 6, 25), 15, 10) // not from p.send: the other files keep their times
		b, err := workbook([]sheet{sh}, "Văn phòng UBND", sent)
		if err != nil {
			return err
		}
		if err := p.add(File{Path: w.Code + "/Gia_dinh_hoc_tap_06-2021.xlsx", Ward: w.Code, Dataset: config.DatasetFamilyAssessments, Period: "2021-06", SentAt: sent, Kind: KindNormal,
			Note: fmt.Sprintf("%d households assessed for %s, one column per criterion", len(familyPlans), f.Name)}, b); err != nil {
			return err
		}
	}
	return nil
}

// household is one household of the demo and what the simulation intends.
type household struct {
	code, head string
	on         time.Time
	plan       familyPlan
}

// familySheet is the decisions workbook's sheet of the households the
// family decision recognises in ward w: those eligible whose plan is decided.
func (p *pilot) familySheet(w config.Ward, issuer string) (sheet, int, bool) {
	f, ok := p.cfg.Framework(config.FrameworkFamily)
	if !ok {
		return sheet{}, 0, false
	}
	what := fmt.Sprintf("Danh sách công nhận danh hiệu %s năm 2021 (kèm theo Quyết định số %s ngày %s của %s)",
		f.Name, familyDecision, decidedOn.Format("02/01/2006"), issuer)
	sh := sheet{Name: "Hộ gia đình", Titles: []string{strings.ToUpper(issuer), strings.ToUpper(what)},
		Header: p.header(config.DatasetDecisions, "number", "decided_on", "issuer", "title", "household_code", "full_name", "ward")}
	n := 0
	for _, h := range p.households[w.Code] {
		if !h.plan.decided || !familyEligible(f, h) {
			continue
		}
		n++
		sh.Rows = append(sh.Rows, []any{n, familyDecision, date(decidedOn), issuer, f.Name, h.code, h.head, w.Name, nil})
	}
	return sh, n, true
}

// familyEligible is whether h's plan meets the version in force on its day.
func familyEligible(f config.TitleFramework, h household) bool {
	v := versionOn(f, h.on)
	if v == nil {
		return false
	}
	total, met := 0.0, 0
	for j, cr := range v.Criteria {
		s := h.plan.shares[min(j, len(h.plan.shares)-1)]
		if cr.Kind == config.KindYesNo {
			if s >= 0.5 {
				met++
			}
			continue
		}
		x := math.Round(s*cr.Max*2) / 2
		total += x
		if x >= cr.Threshold {
			met++
		}
	}
	return total >= v.Pass.MinTotal && (!v.Pass.AllCriteria || met == len(v.Criteria))
}

func versionOn(f config.TitleFramework, d time.Time) *config.TitleVersion {
	for i, v := range f.Versions {
		if !d.Before(v.ValidFrom.Time) && (v.ValidTo.IsZero() || !d.After(v.ValidTo.Time)) {
			return &f.Versions[i]
		}
	}
	return nil
}

func hasCriterion(v *config.TitleVersion, code string) bool {
	for _, cr := range v.Criteria {
		if cr.Code == code {
			return true
		}
	}
	return false
}
