package sample

import (
	"fmt"
	"strings"
	"time"

	"github.com/hoctap/hoctap/config"
)

// The registration forms' columns, in the order the ward forms have them.
var (
	unitKeys    = []string{"unit_code", "unit_name", "unit_type", "ward", "members", "registered_on"}
	citizenKeys = []string{"citizen_id", "full_name", "gender", "birth_year", "target_group", "ward", "hamlet", "unit_code", "registered_on"}
)

// What the notes column says of a registrant: their occupation.
var (
	occupations = map[int][]string{
		1: {"Trồng hoa kiểng", "Trồng lúa", "Nuôi cá", "Trồng cây ăn trái", "Chăn nuôi heo"},
		2: {"Thợ sửa xe", "Công nhân may", "Thợ mộc", "Thợ hồ", "Làm bột, bánh phồng"},
	}
	positions = map[string][]string{
		"trường tiểu học": {"Giáo viên", "Phó hiệu trưởng", "Giáo viên chủ nhiệm", "Nhân viên thư viện"},
		"trường mầm non":  {"Giáo viên", "Hiệu trưởng", "Cô nuôi dạy trẻ"},
		"UBND xã/phường":  {"Công chức Văn phòng - Thống kê", "Công chức Văn hóa - Xã hội", "Công chức Tư pháp - Hộ tịch", "Phó Chủ tịch UBND"},
		"trạm y tế":       {"Y sĩ", "Điều dưỡng", "Trưởng trạm"},
	}
)

// dater writes a date as a cell: an Excel date, or text as typed.
type dater func(time.Time) any

func excelDate(t time.Time) any { return date(t) }
func typedDate(t time.Time) any { return textDate(t) }

func (p *pilot) unitSheet(w config.Ward, dates dater) sheet {
	sh := sheet{Name: "Đơn vị", Titles: titles(w, "Danh sách đơn vị đăng ký xây dựng Đơn vị học tập năm 2020"), Header: p.header(config.DatasetUnits, unitKeys...)}
	for i, u := range p.unitsOf(w.Code) {
		reg := day(2020, 11, 16+i%3)
		sh.Rows = append(sh.Rows, []any{i + 1, u.Code, u.Name, u.Type, p.spelling(w.Code, i), u.Members, dates(reg), nil})
	}
	return sh
}

func (p *pilot) citizenSheet(w config.Ward, dates dater) sheet {
	sh := sheet{Name: "Cá nhân", Titles: titles(w, "Danh sách đăng ký phấn đấu danh hiệu Công dân học tập năm 2020"), Header: p.header(config.DatasetCitizens, citizenKeys...)}
	units := map[string]config.Unit{}
	for _, u := range p.unitsOf(w.Code) {
		units[u.Code] = u
	}
	for i, per := range p.people[w.Code] {
		var hamlet, unit, note any
		if per.Hamlet != "" {
			hamlet = per.Hamlet
			occ := occupations[per.Group]
			note = occ[i%len(occ)]
		}
		if per.Unit != "" {
			unit = per.Unit
			if pos := positions[units[per.Unit].Type]; len(pos) > 0 {
				note = pos[i%len(pos)]
			}
		}
		sh.Rows = append(sh.Rows, []any{i + 1, per.ID, per.Name, per.Gender, per.BirthYear, p.groupCell(per.Group, i),
			p.spelling(w.Code, i+1), hamlet, unit, dates(per.Registered), note})
	}
	return sh
}

// groupCell writes a target group as ward offices do: its number, its name or
// a short alias.
func (p *pilot) groupCell(id, i int) any {
	g, _ := p.group(id)
	switch {
	case i%3 == 0:
		return id
	case i%3 == 2 && len(g.Aliases) > 0:
		return capitalize(g.Aliases[0])
	}
	return g.Name
}

// capitalize upper-cases the first letter: "nông dân" → "Nông dân".
func capitalize(s string) string {
	for i, r := range s {
		if i == 0 {
			return strings.ToUpper(string(r)) + s[len(string(r)):]
		}
	}
	return s
}

// registrations: each ward sends its units and its citizens in late November
// 2020, before the baseline survey. Tân Phú Đông sends one workbook with a
// sheet for each; Tân Quy Tây types its dates as text.
func (p *pilot) registrations() error {
	const author = "Văn phòng UBND"
	for _, w := range p.wards {
		sent := p.sendTime(day(2020, 11, 25+p.send.IntN(4)))
		units, citizens := len(p.unitsOf(w.Code)), len(p.people[w.Code])
		if w.Code == "tan-phu-dong" {
			b, err := workbook([]sheet{p.unitSheet(w, excelDate), p.citizenSheet(w, excelDate)}, author, sent)
			if err != nil {
				return err
			}
			if err := p.add(File{Path: w.Code + "/DS_dang_ky_CDHT_DVHT_T11-2020.xlsx", Ward: w.Code, SentAt: sent, Kind: KindNormal,
				Note: fmt.Sprintf("one workbook, two datasets: units (sheet \"Đơn vị\", %d rows) and citizens (sheet \"Cá nhân\", %d rows)", units, citizens)}, b); err != nil {
				return err
			}
			continue
		}
		dates, how := dater(excelDate), "dates as Excel dates"
		if w.Code == "tan-quy-tay" {
			dates, how = typedDate, "dates typed as text dd/mm/yyyy"
		}
		b, err := workbook([]sheet{p.unitSheet(w, dates)}, author, sent)
		if err != nil {
			return err
		}
		if err := p.add(File{Path: w.Code + "/DS_dang_ky_DVHT_T11-2020.xlsx", Ward: w.Code, Dataset: config.DatasetUnits, SentAt: sent, Kind: KindNormal,
			Note: fmt.Sprintf("%d units registered; %s", units, how)}, b); err != nil {
			return err
		}
		sent = sent.Add(time.Duration(3+p.send.IntN(40)) * time.Minute)
		b, err = workbook([]sheet{p.citizenSheet(w, dates)}, author, sent)
		if err != nil {
			return err
		}
		if err := p.add(File{Path: w.Code + "/DS_dang_ky_CDHT_T11-2020.xlsx", Ward: w.Code, Dataset: config.DatasetCitizens, SentAt: sent, Kind: KindNormal,
			Note: fmt.Sprintf("%d citizens registered; %s; target group as a number, a name or an alias", citizens, how)}, b); err != nil {
			return err
		}
	}
	return nil
}
