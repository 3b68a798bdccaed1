package sample

import (
	"fmt"
	"time"

	"github.com/hoctap/hoctap/config"
)

// roundFiles: what each survey round's files are called, their title, and the
// day the wards start sending them (a few days before the round is due).
var roundFiles = map[string]struct {
	name, title, csvName string
	sent                 time.Time
}{
	"baseline": {"Khao_sat_thuc_trang_12-2020.xlsx", "Kết quả khảo sát thực trạng Công dân học tập", "Phieu_khao_sat_thuc_trang.csv", day(2020, 12, 21)},
	"mid":      {"Danh_gia_giua_ky_03-2021.xlsx", "Kết quả đánh giá giữa kỳ Công dân học tập", "Phieu_danh_gia_giua_ky.csv", day(2021, 3, 24)},
	"final":    {"Danh_gia_cuoi_ky_06-2021.xlsx", "Kết quả khảo sát đánh giá cuối kỳ Công dân học tập", "Phieu_danh_gia_cuoi_ky.csv", day(2021, 6, 23)},
}

// roundLabel is how a ward writes a round in the "Đợt" column: its name, or
// (Tân Quy Tây) its first configured alias.
func (p *pilot) roundLabel(ward, code string) string {
	r, _ := p.round(code)
	if ward == "tan-quy-tay" && len(r.Aliases) > 0 {
		return capitalize(r.Aliases[0])
	}
	return r.Name
}

// surveyLayout says how one survey sheet is written.
type surveyLayout struct {
	merged bool // a two-row header: a merged cell above the score columns
	typed  bool // scores as text with decimal commas, dates typed as text
	// scores, when set, replaces a person's self scores (a first file's typos)
	scores func(id string, s []float64) []float64
	// fix, when set, may change a finished row (a faulty file's mistakes)
	fix func(i int, row []any) []any
}

// surveySheet lays out one round's assessments of a ward: the wide form, one
// row per person; the final round with the reviewed scores and the reviewer.
func (p *pilot) surveySheet(w config.Ward, round string, l surveyLayout) sheet {
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
	if l.merged {
		sh.Super, sh.SuperFrom, sh.SuperTo = "Điểm tự đánh giá theo chỉ số", 4, 3+n
	}
	num := func(v float64) any {
		if l.typed {
			return text(decimalComma(v))
		}
		return v
	}
	dates := dater(excelDate)
	if l.typed {
		dates = typedDate
	}
	for i, per := range p.people[w.Code] {
		row := []any{i + 1, per.ID, p.roundLabel(w.Code, round), dates(p.assessed[round][per.ID])}
		self := p.self[round][per.ID]
		if l.scores != nil {
			self = l.scores(per.ID, self)
		}
		for _, v := range self {
			row = append(row, num(v))
		}
		var note any
		if withReview {
			for _, v := range p.rev[round][per.ID] {
				row = append(row, num(v))
			}
			row = append(row, p.reviewer[w.Code])
			if !p.score.meets(p.rev[round][per.ID]) && p.score.meets(self) {
				note = "Chưa đủ minh chứng" // evidence found wanting at review
			}
		}
		row = append(row, note)
		if l.fix != nil {
			row = l.fix(i, row)
		}
		sh.Rows = append(sh.Rows, row)
	}
	return sh
}

// surveys: every ward sends each round's surveys a little before the round is
// due. Tân Quy Đông sends its web form's CSV export; Tân Phú Đông's mid-term
// file has a two-row header and its baseline is re-sent corrected; Tân Quy
// Tây's baseline has scores as text, and its mid-term file is first sent with
// errors.
func (p *pilot) surveys() error {
	const author = "Cán bộ khuyến học"
	for _, round := range roundOrder {
		rf := roundFiles[round]
		for _, w := range p.wards {
			sent := p.sendTime(rf.sent.AddDate(0, 0, p.send.IntN(4)))
			people := len(p.people[w.Code])
			switch {
			case w.Code == "tan-quy-dong":
				b, err := p.webform(w, round)
				if err != nil {
					return err
				}
				if err := p.add(File{Path: w.Code + "/" + rf.csvName, Ward: w.Code, Dataset: config.DatasetCitizenAssessments, Period: round, SentAt: sent, Kind: KindWebform,
					Note: fmt.Sprintf("web-form export, %d rows: UTF-8 with BOM, ';' separated, date-times dd/mm/yyyy hh:mm:ss, decimal commas, headers \"Dấu thời gian\" and \"Đợt khảo sát\"", people)}, b); err != nil {
					return err
				}
			case w.Code == "tan-quy-tay" && round == "mid":
				if err := p.faultyMid(w, author); err != nil {
					return err
				}
			case w.Code == "tan-phu-dong" && round == "baseline":
				if err := p.correctedBaseline(w, author, sent); err != nil {
					return err
				}
			default:
				l := surveyLayout{merged: w.Code == "tan-phu-dong" && round == "mid", typed: w.Code == "tan-quy-tay" && round == "baseline"}
				note := fmt.Sprintf("%d rows", people)
				switch {
				case l.merged:
					note += "; a two-row header: the merged cell \"Điểm tự đánh giá theo chỉ số\" above \"Chỉ số 1\" … \"Chỉ số 10\""
				case l.typed:
					note += "; scores stored as text with decimal commas (\"8,5\"), dates typed as text"
				}
				if round == "final" {
					note += "; self and reviewed scores (\"Thẩm định 1\" … \"Thẩm định 10\")"
				}
				b, err := workbook([]sheet{p.surveySheet(w, round, l)}, author, sent)
				if err != nil {
					return err
				}
				if err := p.add(File{Path: w.Code + "/" + rf.name, Ward: w.Code, Dataset: config.DatasetCitizenAssessments, Period: round, SentAt: sent, Kind: KindNormal, Note: note}, b); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// correctedBaseline: Tân Phú Đông sends its baseline with three scores typed
// wrong, then a week later re-exports it with them fixed under another name.
// The second file replaces the first; its scores are the true ones.
func (p *pilot) correctedBaseline(w config.Ward, author string, sent time.Time) error {
	people := p.people[w.Code]
	typos := map[string]int{people[2].ID: 2, people[5].ID: 4, people[9].ID: 0} // citizen → indicator typed one point low
	wrong := func(id string, s []float64) []float64 {
		ind, ok := typos[id]
		if !ok {
			return s
		}
		s = append([]float64(nil), s...)
		if s[ind] >= 1 {
			s[ind]--
		} else {
			s[ind]++
		}
		return s
	}
	b, err := workbook([]sheet{p.surveySheet(w, "baseline", surveyLayout{scores: wrong})}, author, sent)
	if err != nil {
		return err
	}
	rf := roundFiles["baseline"]
	if err := p.add(File{Path: w.Code + "/" + rf.name, Ward: w.Code, Dataset: config.DatasetCitizenAssessments, Period: "baseline", SentAt: sent, Kind: KindNormal,
		Note: fmt.Sprintf("%d rows, three scores typed one point low: a corrected file replaces it a week later", len(people))}, b); err != nil {
		return err
	}
	fixed := p.sendTime(sent.AddDate(0, 0, 7))
	b, err = workbook([]sheet{p.surveySheet(w, "baseline", surveyLayout{})}, author, fixed)
	if err != nil {
		return err
	}
	return p.add(File{Path: w.Code + "/Khao_sat_thuc_trang_12-2020_ban_sua.xlsx", Ward: w.Code, Dataset: config.DatasetCitizenAssessments, Period: "baseline",
		SentAt: fixed, Kind: KindCorrected, Note: "corrected re-export of the baseline survey, a week later: three scores fixed; replaces " + rf.name}, b)
}

// faultyMid: Tân Quy Tây's mid-term survey is first sent with a score of 11, a
// citizen code that was never registered and the date 31/02/2021; the fixed
// file follows on 09/04/2021, after the round's due date and after the March
// report's reporting deadline (07/04/2021): March's first version is without
// it, its second with it.
func (p *pilot) faultyMid(w config.Ward, author string) error {
	bad := func(i int, row []any) []any {
		switch i {
		case 1:
			row[4+2] = 11.0 // Chỉ số 3, sheet row 6
		case 3:
			row[3] = text("31/02/2021") // Ngày đánh giá, sheet row 8
		case 6:
			row[1] = "TQT-099" // Mã công dân, sheet row 11
		}
		return row
	}
	sent := p.at(day(2021, 3, 29), 15, 40)
	rf := roundFiles["mid"]
	b, err := workbook([]sheet{p.surveySheet(w, "mid", surveyLayout{fix: bad})}, author, sent)
	if err != nil {
		return err
	}
	if err := p.add(File{Path: w.Code + "/" + rf.name, Ward: w.Code, Dataset: config.DatasetCitizenAssessments, Period: "mid", SentAt: sent, Kind: KindErrors,
		Note: "must be refused: a score of 11 (sheet row 6, Chỉ số 3), the date 31/02/2021 (row 8), a citizen code never registered, TQT-099 (row 11)"}, b); err != nil {
		return err
	}
	fixed := p.at(day(2021, 4, 9), 9, 10)
	b, err = workbook([]sheet{p.surveySheet(w, "mid", surveyLayout{})}, author, fixed)
	if err != nil {
		return err
	}
	return p.add(File{Path: w.Code + "/Danh_gia_giua_ky_03-2021_da_sua.xlsx", Ward: w.Code, Dataset: config.DatasetCitizenAssessments, Period: "mid", SentAt: fixed, Kind: KindLate,
		Note: "the faulty mid-term file fixed and sent again on 09/04/2021, after the round's due date (31/03/2021) and the March report's deadline (07/04/2021)"}, b)
}
