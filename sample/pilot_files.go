package sample

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/hoctap/hoctap/config"
)

var (
	unitKeys    = []string{"unit_code", "unit_name", "unit_type", "ward", "members", "registered_on"}
	citizenKeys = []string{"citizen_id", "full_name", "gender", "birth_year", "target_group", "ward", "hamlet", "unit_code", "registered_on"}
)

func (p *pilot) unitSheet(w config.Ward, dates func(time.Time) any) sheet {
	sh := sheet{Name: "Đơn vị", Titles: titles(w, "Danh sách đơn vị đăng ký xây dựng Đơn vị học tập năm 2020"), Header: p.header(config.DatasetUnits, unitKeys...)}
	for i, u := range p.unitsOf(w.Code) {
		reg := day(2020, 11, 16+i)
		sh.Rows = append(sh.Rows, []any{i + 1, u.Code, u.Name, u.Type, p.spelling(w.Code, i), u.Members, dates(reg), nil})
	}
	return sh
}

func (p *pilot) citizenSheet(w config.Ward, dates func(time.Time) any) sheet {
	sh := sheet{Name: "Cá nhân", Titles: titles(w, "Danh sách đăng ký phấn đấu danh hiệu Công dân học tập năm 2020"), Header: p.header(config.DatasetCitizens, citizenKeys...)}
	for i, per := range p.people[w.Code] {
		g, _ := p.groupName(per.Group, i)
		var hamlet, unit any
		if per.Hamlet != "" {
			hamlet = per.Hamlet
		}
		if per.Unit != "" {
			unit = per.Unit
		}
		sh.Rows = append(sh.Rows, []any{i + 1, per.ID, per.Name, per.Gender, per.BirthYear, g, p.spelling(w.Code, i+1), hamlet, unit, dates(per.Registered), nil})
	}
	return sh
}

// groupName writes a target group as wards do: sometimes its number, sometimes its name.
func (p *pilot) groupName(id, i int) (any, bool) {
	for _, g := range p.cfg.Groups {
		if g.ID == id {
			if i%3 == 0 {
				return id, true
			}
			return g.Name, true
		}
	}
	return id, false
}

func excelDate(t time.Time) any { return date(t) }
func typedDate(t time.Time) any { return textDate(t) }

func (p *pilot) registrations() error {
	author := "Văn phòng UBND"
	for _, w := range p.wardOrder() {
		sent := p.sendTime(day(2020, 11, 25+p.r.IntN(4)))
		switch w.Code {
		case "tan-phu-dong": // one workbook, two sheets
			b, err := workbook([]sheet{p.unitSheet(w, excelDate), p.citizenSheet(w, excelDate)}, author, sent)
			if err != nil {
				return err
			}
			if err := p.add(File{Path: w.Code + "/DS_dang_ky_CDHT_DVHT_T11-2020.xlsx", Ward: w.Code, SentAt: sent, Kind: KindNormal,
				Note: "one workbook with two sheets: units (Đơn vị) and citizens (Cá nhân)"}, b); err != nil {
				return err
			}
		default:
			dates := excelDate
			note := ""
			if w.Code == "tan-quy-tay" {
				dates, note = typedDate, "dates typed as text dd/mm/yyyy"
			}
			b, err := workbook([]sheet{p.unitSheet(w, dates)}, author, sent)
			if err != nil {
				return err
			}
			if err := p.add(File{Path: w.Code + "/DS_don_vi_dang_ky.xlsx", Ward: w.Code, Dataset: config.DatasetUnits, SentAt: sent, Kind: KindNormal, Note: note}, b); err != nil {
				return err
			}
			b, err = workbook([]sheet{p.citizenSheet(w, dates)}, author, sent)
			if err != nil {
				return err
			}
			if err := p.add(File{Path: w.Code + "/DS_ca_nhan_dang_ky.xlsx", Ward: w.Code, Dataset: config.DatasetCitizens, SentAt: sent.Add(3 * time.Minute), Kind: KindNormal, Note: note}, b); err != nil {
				return err
			}
		}
	}
	return nil
}

var roundFiles = map[string]struct {
	name, title, csvName string
	sent                 time.Time
}{
	"baseline": {"Khao_sat_thuc_trang_12-2020.xlsx", "Kết quả khảo sát thực trạng Công dân học tập", "Phieu_khao_sat_thuc_trang.csv", day(2020, 12, 21)},
	"mid":      {"Danh_gia_giua_ky_03-2021.xlsx", "Kết quả đánh giá giữa kỳ Công dân học tập", "Phieu_danh_gia_giua_ky.csv", day(2021, 3, 24)},
	"final":    {"Danh_gia_cuoi_ky_06-2021.xlsx", "Kết quả khảo sát đánh giá cuối kỳ Công dân học tập", "Phieu_danh_gia_cuoi_ky.csv", day(2021, 6, 23)},
}

func (p *pilot) roundName(code string) string {
	for _, r := range p.cfg.Rounds {
		if r.Code == code {
			return r.Name
		}
	}
	return code
}

// surveySheet lays out one round's assessments of a ward. fix may change a row.
func (p *pilot) surveySheet(w config.Ward, round string, merged bool, fix func(i int, row []any) []any) sheet {
	n := len(p.cfg.Citizen.Indicators)
	keys := []string{"citizen_id", "round", "assessed_on"}
	for i := 1; i <= n; i++ {
		keys = append(keys, fmt.Sprintf("i%d", i))
	}
	withReview := round == "final"
	if withReview {
		for i := 1; i <= n; i++ {
			keys = append(keys, fmt.Sprintf("r%d", i))
		}
		keys = append(keys, "reviewer")
	}
	sh := sheet{Name: "Khảo sát", Titles: titles(w, roundFiles[round].title), Header: p.header(config.DatasetCitizenAssessments, keys...)}
	if merged {
		sh.Super, sh.SuperFrom, sh.SuperTo = "Điểm tự đánh giá theo chỉ số", 4, 3+n
	}
	for i, per := range p.people[w.Code] {
		row := []any{i + 1, per.ID, p.roundName(round), date(p.assessed[round][per.ID])}
		for _, v := range p.self[round][per.ID] {
			row = append(row, v)
		}
		if withReview {
			for _, v := range p.rev[round][per.ID] {
				row = append(row, v)
			}
			row = append(row, "Hội đồng thẩm định "+w.Kind)
		}
		row = append(row, nil)
		if fix != nil {
			row = fix(i, row)
		}
		sh.Rows = append(sh.Rows, row)
	}
	return sh
}

func (p *pilot) surveys() error {
	author := "Cán bộ khuyến học"
	for _, round := range []string{"baseline", "mid", "final"} {
		rf := roundFiles[round]
		for _, w := range p.wardOrder() {
			sent := p.sendTime(rf.sent.AddDate(0, 0, p.r.IntN(4)))
			if w.Code == "tan-quy-dong" {
				b := p.webform(w, round)
				if err := p.add(File{Path: w.Code + "/" + rf.csvName, Ward: w.Code, Dataset: config.DatasetCitizenAssessments, Period: round, SentAt: sent, Kind: KindWebform,
					Note: "web-form export: UTF-8 with BOM, ';' separated, date-times, decimal commas"}, b); err != nil {
					return err
				}
				continue
			}
			merged := w.Code == "tan-phu-dong" && round == "mid"
			note := ""
			if merged {
				note = "two-row header: a merged cell above the score columns"
			}
			if w.Code == "tan-quy-tay" && round == "mid" {
				if err := p.faultyMid(w, sent); err != nil {
					return err
				}
				continue
			}
			b, err := workbook([]sheet{p.surveySheet(w, round, merged, nil)}, author, sent)
			if err != nil {
				return err
			}
			if err := p.add(File{Path: w.Code + "/" + rf.name, Ward: w.Code, Dataset: config.DatasetCitizenAssessments, Period: round, SentAt: sent, Kind: KindNormal, Note: note}, b); err != nil {
				return err
			}
			if w.Code == "tan-phu-dong" && round == "baseline" {
				if err := p.correctedBaseline(w, sent); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// correctedBaseline re-sends Tân Phú Đông's baseline a week later with three
// scores fixed: it supersedes the first file.
func (p *pilot) correctedBaseline(w config.Ward, first time.Time) error {
	people := p.people[w.Code]
	fixes := map[string]int{people[0].ID: 2, people[5].ID: 4, people[9].ID: 0} // citizen → indicator index
	for id, ind := range fixes {
		s := append([]float64(nil), p.self["baseline"][id]...)
		s[ind] = roundHalf(s[ind]+1, p.cfg.Citizen.IndicatorMax)
		p.self["baseline"][id] = s
	}
	sent := first.AddDate(0, 0, 6)
	b, err := workbook([]sheet{p.surveySheet(w, "baseline", false, nil)}, "Cán bộ khuyến học", sent)
	if err != nil {
		return err
	}
	return p.add(File{Path: w.Code + "/Khao_sat_thuc_trang_12-2020_ban_sua.xlsx", Ward: w.Code, Dataset: config.DatasetCitizenAssessments, Period: "baseline",
		SentAt: sent, Kind: KindCorrected, Note: "corrected re-export of the baseline survey: three scores fixed; supersedes the first file"}, b)
}

// faultyMid sends Tân Quy Tây's mid-term survey first with errors — a score of
// 11, a person who never registered, an impossible date — then fixed, late.
func (p *pilot) faultyMid(w config.Ward, sent time.Time) error {
	bad := func(i int, row []any) []any {
		switch i {
		case 1:
			row[4+2] = 11.0 // Chỉ số 3
		case 3:
			row[3] = text("31/02/2021")
		case 6:
			row[1] = "TQT-099"
		}
		return row
	}
	sent = p.at(day(2021, 3, 29), 15, 40)
	b, err := workbook([]sheet{p.surveySheet(w, "mid", false, bad)}, "Cán bộ khuyến học", sent)
	if err != nil {
		return err
	}
	if err := p.add(File{Path: w.Code + "/Danh_gia_giua_ky_03-2021.xlsx", Ward: w.Code, Dataset: config.DatasetCitizenAssessments, Period: "mid", SentAt: sent, Kind: KindErrors,
		Note: "refused: a score of 11 (sheet row 6, Chỉ số 3), the date 31/02/2021 (row 8), a citizen code never registered, TQT-099 (row 11)"}, b); err != nil {
		return err
	}
	fixed := p.at(day(2021, 4, 2), 9, 10)
	b, err = workbook([]sheet{p.surveySheet(w, "mid", false, nil)}, "Cán bộ khuyến học", fixed)
	if err != nil {
		return err
	}
	return p.add(File{Path: w.Code + "/Danh_gia_giua_ky_03-2021_da_sua.xlsx", Ward: w.Code, Dataset: config.DatasetCitizenAssessments, Period: "mid", SentAt: fixed, Kind: KindLate,
		Note: "the faulty mid-term file fixed and sent again, after the due date (31/03/2021)"}, b)
}

// webform writes a round of Tân Quy Đông's surveys as its web form exports them.
func (p *pilot) webform(w config.Ward, round string) []byte {
	var b strings.Builder
	b.WriteString("\ufeff")
	head := []string{"Dấu thời gian", "Mã công dân", "Đợt khảo sát"}
	for i := range p.cfg.Citizen.Indicators {
		head = append(head, fmt.Sprintf("Chỉ số %d", i+1))
	}
	b.WriteString(strings.Join(head, ";") + "\r\n")
	for _, per := range p.people[w.Code] {
		d := p.assessed[round][per.ID]
		stamp := time.Date(d.Year(), d.Month(), d.Day(), 8+p.r.IntN(10), p.r.IntN(60), p.r.IntN(60), 0, time.UTC)
		rec := []string{stamp.Format("02/01/2006 15:04:05"), per.ID, p.roundName(round)}
		for _, v := range p.self[round][per.ID] {
			rec = append(rec, decimalComma(v))
		}
		b.WriteString(strings.Join(rec, ";") + "\r\n")
	}
	return []byte(b.String())
}

func decimalComma(v float64) string {
	return strings.Replace(strconv.FormatFloat(v, 'f', -1, 64), ".", ",", 1)
}

// unitQuality is how well each pilot unit does, at baseline: the final is better.
var unitQuality = map[string]float64{
	"TPD-TH": 0.86, "TPD-MN": 0.74, "TPD-UB": 0.80,
	"TQT-TH": 0.72, "TQT-MN": 0.62, "TQT-UB": 0.68,
	"TQD-TH": 0.88, "TQD-YT": 0.56, "TQD-UB": 0.77,
}

func (p *pilot) unitAssessments() error {
	items := p.cfg.UnitScheme.Items
	for _, when := range []struct {
		d     time.Time
		gain  float64
		name  string
		title string
	}{
		{day(2020, 12, 21), 0, "Tu_danh_gia_DVHT_12-2020.xlsx", "Kết quả tự đánh giá Đơn vị học tập (khảo sát thực trạng)"},
		{day(2021, 6, 21), 0.07, "Tu_danh_gia_DVHT_06-2021.xlsx", "Kết quả tự đánh giá Đơn vị học tập năm 2021"},
	} {
		for _, w := range p.wardOrder() {
			head := []string{"STT", "Mã đơn vị", "Ngày đánh giá"}
			for _, it := range items {
				head = append(head, it.Code)
			}
			head = append(head, "Tổng điểm", "Ghi chú")
			sh := sheet{Name: "Tự đánh giá", Titles: titles(w, when.title), Header: head}
			for i, u := range p.unitsOf(w.Code) {
				q, ok := unitQuality[u.Code]
				if !ok {
					q = 0.75
				}
				q += when.gain
				row := []any{i + 1, u.Code, date(when.d.AddDate(0, 0, p.r.IntN(4)))}
				sum := 0.0
				for _, it := range items {
					v := roundHalf(it.Max*q+p.r.NormFloat64()*0.4, it.Max)
					sum += v
					row = append(row, v)
				}
				sh.Rows = append(sh.Rows, append(row, sum, nil))
			}
			sent := p.sendTime(when.d.AddDate(0, 0, 6+p.r.IntN(3)))
			b, err := workbook([]sheet{sh}, "Thủ trưởng đơn vị", sent)
			if err != nil {
				return err
			}
			if err := p.add(File{Path: w.Code + "/" + when.name, Ward: w.Code, Dataset: config.DatasetUnitAssessments, Period: config.MonthOf(when.d).String(), SentAt: sent, Kind: KindNormal,
				Note: "a \"Tổng điểm\" (total) column the dataset does not have"}, b); err != nil {
				return err
			}
		}
	}
	return nil
}

func (p *pilot) activities() error {
	months := config.Months(p.cfg.Programme.Start.Month(), p.cfg.Programme.End.Month())
	for _, m := range months {
		for _, w := range p.wardOrder() {
			sh := sheet{Name: "T" + m.Format("01-2006"), Titles: titles(w, "Báo cáo hoạt động học tập, tuyên truyền tháng "+m.Format("01/2006")),
				Header: p.header(config.DatasetActivities, "date", "ward", "kind", "title", "participants", "hours")}
			asText := w.Code == "tan-quy-dong" && m.Format("2006-01") == "2021-01"
			type act struct {
				d            time.Time
				kind, title  string
				participants int
				hours        float64
			}
			var acts []act
			if m.Format("2006-01") == "2020-12" {
				acts = append(acts, act{day(2020, 12, 8), "tập huấn", "Tập huấn triển khai thí điểm mô hình Công dân học tập, Đơn vị học tập", 25 + p.r.IntN(15), 4})
			}
			if m.Format("2006-01") == "2021-07" {
				acts = append(acts, act{day(2021, 7, 23), "tổng kết", "Hội nghị tổng kết thí điểm mô hình Công dân học tập, Đơn vị học tập", 60 + p.r.IntN(40), 3})
			}
			for k := 3 + p.r.IntN(4); k > 0; k-- {
				a := activityKinds[p.r.IntN(len(activityKinds))]
				acts = append(acts, act{m.AddDate(0, 0, p.r.IntN(m.LastDay().Day())), a.kind, a.title, 15 + p.r.IntN(100), float64(2+p.r.IntN(5)) / 2})
			}
			sort.SliceStable(acts, func(i, j int) bool { return acts[i].d.Before(acts[j].d) })
			sumP, sumH := 0, 0.0
			for i, a := range acts {
				var participants, hours any = a.participants, a.hours
				if asText {
					participants, hours = text(strconv.Itoa(a.participants)), text(decimalComma(a.hours))
				}
				sh.Rows = append(sh.Rows, []any{i + 1, date(a.d), p.spelling(w.Code, i), a.kind, a.title, participants, hours, nil})
				sumP += a.participants
				sumH += a.hours
			}
			sh.Totals = []any{nil, "Tổng cộng", nil, nil, nil, sumP, sumH, nil}

			next := m.Next()
			sent := p.sendTime(day(next.Year(), next.Month(), 2+p.r.IntN(3)))
			kind, note := KindNormal, ""
			if w.Code == "tan-quy-tay" && m.Format("2006-01") == "2021-02" {
				sent, kind, note = p.at(day(2021, 3, 19), 10, 5), KindLate, "sent on 19/03/2021, two weeks after its due day (05/03)"
			}
			if asText {
				note = "numbers stored as text, decimal commas"
			}
			name := "Hoat_dong_T" + m.Format("01-2006") + ".xlsx"
			if w.Code == "tan-quy-dong" && m.Format("2006-01") == "2021-04" {
				name, note = "Hoạt động tháng 4-2021.xlsx", "a file name with Vietnamese diacritics"
			}
			b, err := workbook([]sheet{sh}, "Văn phòng UBND", sent)
			if err != nil {
				return err
			}
			if err := p.add(File{Path: w.Code + "/" + name, Ward: w.Code, Dataset: config.DatasetActivities, Period: m.String(), SentAt: sent, Kind: kind, Note: note}, b); err != nil {
				return err
			}
		}
	}
	return nil
}
