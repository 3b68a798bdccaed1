package sample

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"strconv"
	"time"

	"github.com/hoctap/hoctap/config"
)

// activityKind is a kind of activity with what wards write in "Nội dung" for
// it, how many usually attend and how many hours it takes.
type activityKind struct {
	kind         string
	titles       []string
	people, more int     // participants: people + up to more
	hours        float64 // hours, give or take half an hour
}

var activityKinds = []activityKind{
	{"tuyên truyền", []string{
		"Tuyên truyền mô hình Công dân học tập trên loa truyền thanh",
		"Tuyên truyền lồng ghép trong sinh hoạt tổ nhân dân tự quản",
		"Treo băng rôn, pa-nô hưởng ứng xây dựng xã hội học tập",
	}, 40, 160, 1.5},
	{"sinh hoạt câu lạc bộ", []string{
		"Sinh hoạt câu lạc bộ đọc sách",
		"Sinh hoạt câu lạc bộ tiếng Anh",
		"Sinh hoạt câu lạc bộ khuyến nông",
	}, 12, 25, 2},
	{"lớp học", []string{
		"Lớp tin học cơ bản cho người lớn",
		"Lớp tiếng Anh giao tiếp",
		"Lớp sử dụng điện thoại thông minh",
	}, 15, 20, 3},
	{"đọc sách", []string{
		"Ngày hội đọc sách tại nhà văn hóa",
		"Luân chuyển tủ sách cộng đồng về ấp, khóm",
	}, 30, 90, 2.5},
	{"hội thảo", []string{
		"Hội thảo chia sẻ kinh nghiệm tự học",
		"Tọa đàm xây dựng gia đình học tập",
	}, 20, 40, 3},
}

// Training the wards hold themselves, from January 2021: before then the only
// "tập huấn" is the city's training of ward leaders on 08/12/2020, the
// milestone of that name.
var localTraining = activityKind{"tập huấn", []string{
	"Tập huấn ứng dụng công nghệ thông tin cho cán bộ, công chức",
	"Tập huấn kỹ thuật trồng hoa kiểng",
	"Tập huấn khuyến nông: canh tác lúa an toàn",
}, 20, 30, 4}

type activity struct {
	d            time.Time
	kind, title  string
	participants int
	hours        float64
}

// monthActivities draws a ward's activities of month m: 3 to 8 rows, with the
// training of ward leaders on 08/12/2020 and the summary conference in late
// July 2021.
func monthActivities(r *rand.Rand, m config.Month) []activity {
	var acts []activity
	switch m.String() {
	case "2020-12":
		acts = append(acts, activity{day(2020, 12, 8), "tập huấn", "Tập huấn triển khai thí điểm mô hình \"Công dân học tập\", \"Đơn vị học tập\" cho lãnh đạo xã, phường", 25 + r.IntN(15), 4})
	case "2021-07":
		acts = append(acts, activity{day(2021, 7, 22+r.IntN(7)), "tổng kết", "Hội nghị tổng kết thí điểm mô hình \"Công dân học tập\", \"Đơn vị học tập\"", 60 + r.IntN(40), 3})
	}
	kinds := activityKinds
	if m.String() >= "2021-01" {
		kinds = append(kinds[:len(kinds):len(kinds)], localTraining)
	}
	days := m.LastDay().Day()
	for k := 3 + r.IntN(6) - len(acts); k > 0; k-- {
		ak := kinds[r.IntN(len(kinds))]
		if m.String() == "2020-11" && r.IntN(2) == 0 {
			ak = kinds[0] // outreach first
		}
		h := ak.hours + float64(r.IntN(3)-1)/2
		acts = append(acts, activity{m.AddDate(0, 0, r.IntN(days)), ak.kind, ak.titles[r.IntN(len(ak.titles))], ak.people + r.IntN(ak.more+1), h})
	}
	sort.SliceStable(acts, func(i, j int) bool { return acts[i].d.Before(acts[j].d) })
	return acts
}

// activities: every ward sends a report of its activities each month, by the
// due day of the next month, with a "Tổng cộng" totals row. Tân Quy Tây types
// its dates as text until January 2021 and sends February late; Tân Quy Đông
// stores January's numbers as text and names April's file in Vietnamese.
func (p *pilot) activities() error {
	r := newRand(p.seed, streamActivities)
	dueDay := 5
	for _, s := range p.cfg.Submissions {
		if s.Dataset == config.DatasetActivities && s.Monthly {
			dueDay = s.DueDay
		}
	}
	for _, m := range config.Months(p.cfg.Programme.Start.Month(), p.cfg.Programme.End.Month()) {
		for _, w := range p.wards {
			ym := m.String()
			sh := sheet{Name: "T" + m.Format("01-2006"), Titles: titles(w, "Báo cáo hoạt động học tập, tuyên truyền tháng "+m.Label()),
				Header: p.header(config.DatasetActivities, "date", "ward", "kind", "title", "participants", "hours")}
			numbersAsText := w.Code == "tan-quy-dong" && ym == "2021-01"
			typed := w.Code == "tan-quy-tay" && ym <= "2021-01"
			dates := dater(excelDate)
			if typed {
				dates = typedDate
			}
			acts := monthActivities(r, m)
			sumP, sumH := 0, 0.0
			for i, a := range acts {
				var participants, hours any = a.participants, a.hours
				if numbersAsText {
					participants, hours = text(strconv.Itoa(a.participants)), text(decimalComma(a.hours))
				}
				sh.Rows = append(sh.Rows, []any{i + 1, dates(a.d), p.spelling(w.Code, i), a.kind, a.title, participants, hours, nil})
				sumP += a.participants
				sumH += a.hours
			}
			sh.Totals = []any{nil, "Tổng cộng", nil, nil, nil, sumP, sumH, nil}

			next := m.Next()
			sent := p.sendTime(day(next.Year(), next.Month(), 1+p.send.IntN(dueDay)))
			kind := KindNormal
			note := fmt.Sprintf("%d activities and a \"Tổng cộng\" totals row", len(acts))
			if typed {
				note += "; dates typed as text dd/mm/yyyy"
			}
			if numbersAsText {
				note += "; numbers stored as text, decimal commas"
			}
			name := "Hoat_dong_T" + m.Format("01-2006") + ".xlsx"
			switch {
			case w.Code == "tan-quy-tay" && ym == "2021-02":
				sent, kind = p.at(day(2021, 3, 19), 10, 5), KindLate
				note += fmt.Sprintf("; sent on 19/03/2021, two weeks after its due day (%02d/03/2021)", dueDay)
			case w.Code == "tan-quy-dong" && ym == "2021-04":
				name = "Hoạt động tháng 4-2021.xlsx"
				note += "; a file name with Vietnamese diacritics"
			}
			b, err := workbook([]sheet{sh}, "Văn phòng UBND", sent)
			if err != nil {
				return err
			}
			if err := p.add(File{Path: w.Code + "/" + name, Ward: w.Code, Dataset: config.DatasetActivities, Period: ym, SentAt: sent, Kind: kind, Note: note}, b); err != nil {
				return err
			}
		}
	}
	return nil
}
