package sample

import (
	"fmt"
	"strings"

	"github.com/hoctap/hoctap/config"
)

// The pilot's recognition: in July 2021 the city recognises, by two decisions
// of the same day, the people whose final survey meets the title and the units
// whose final self-assessment reaches the grade the scheme recognises from.
// Each ward's office files the city's list of its own people and units.
var (
	citizenDecision = "125/QĐ-UBND"
	unitDecision    = "126/QĐ-UBND"
	decidedOn       = day(2021, 7, 16)
)

// decisions: each ward sends, on 19/07/2021, the extract of the two decisions
// that names its people (sheet "Cá nhân") and its units (sheet "Đơn vị").
func (p *pilot) decisions() error {
	issuer := p.cfg.Recognition.Issuer
	from := 0.0
	for _, g := range p.cfg.UnitScheme.Grades {
		if g.Code == p.cfg.UnitScheme.RecognisedFrom {
			from = g.Min
		}
	}
	keys := []string{"number", "decided_on", "issuer", "title", "citizen_id", "full_name", "ward"}
	unitKeys := []string{"number", "decided_on", "issuer", "title", "unit_code", "ward"}
	for _, w := range p.wards {
		what := fmt.Sprintf("Danh sách công nhận danh hiệu %s năm 2021 (kèm theo Quyết định số %s ngày %s của %s)",
			p.cfg.Citizen.Name, citizenDecision, decidedOn.Format("02/01/2006"), issuer)
		people := sheet{Name: "Cá nhân", Titles: []string{strings.ToUpper(issuer), strings.ToUpper(what)}, Header: p.header(config.DatasetDecisions, keys...)}
		n := 0
		for _, per := range p.people[w.Code] {
			if !p.score.meets(p.rev["final"][per.ID]) {
				continue
			}
			n++
			people.Rows = append(people.Rows, []any{n, citizenDecision, date(decidedOn), issuer, p.cfg.Citizen.Name, per.ID, per.Name, w.Name, nil})
		}
		what = fmt.Sprintf("Danh sách công nhận danh hiệu %s năm 2021 (kèm theo Quyết định số %s ngày %s của %s)",
			p.cfg.UnitScheme.Name, unitDecision, decidedOn.Format("02/01/2006"), issuer)
		units := sheet{Name: "Đơn vị", Titles: []string{strings.ToUpper(issuer), strings.ToUpper(what)}, Header: p.header(config.DatasetDecisions, unitKeys...)}
		k := 0
		for _, u := range p.unitsOf(w.Code) {
			if t, ok := p.unitFinal[u.Code]; !ok || t < from {
				continue
			}
			k++
			units.Rows = append(units.Rows, []any{k, unitDecision, date(decidedOn), issuer, p.cfg.UnitScheme.Name, u.Code, w.Name, nil})
		}
		sheets := []sheet{people, units}
		note := ""
		if fam, h, ok := p.familySheet(w, issuer); ok {
			sheets = append(sheets, fam)
			note = fmt.Sprintf(" and %s (%d households, sheet \"Hộ gia đình\")", familyDecision, h)
		}
		sent := p.sendTime(day(2021, 7, 19))
		b, err := workbook(sheets, "Văn phòng UBND", sent)
		if err != nil {
			return err
		}
		if err := p.add(File{Path: w.Code + "/Quyet_dinh_cong_nhan_07-2021.xlsx", Ward: w.Code, Dataset: config.DatasetDecisions, Period: "2021-07", SentAt: sent, Kind: KindNormal,
			Note: fmt.Sprintf("the ward's extract of the city's recognition decisions %s (%d people, sheet \"Cá nhân\"), %s (%d units, sheet \"Đơn vị\")%s", citizenDecision, n, unitDecision, k, note)}, b); err != nil {
			return err
		}
	}
	return nil
}
