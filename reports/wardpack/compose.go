package wardpack

import (
	"path"
	"slices"
	"strings"
	"time"

	"github.com/hoctap/hoctap/config"
	"github.com/hoctap/hoctap/reports"
	"github.com/hoctap/hoctap/reports/doc"
)

// numberBlank is the room left for the document's number, as in the
// city's report: no-break spaces.
const numberBlank = "\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0"

func (p *pack) add(b ...doc.Block) { p.doc.Blocks = append(p.doc.Blocks, b...) }
func (p *pack) para(s string)      { p.add(&doc.Paragraph{Text: s}) }
func (p *pack) note(s string)      { p.add(&doc.Paragraph{Text: s, Note: true}) }
func (p *pack) bullet(s string)    { p.add(&doc.Paragraph{Text: s, Bullet: true}) }
func (p *pack) h1(vi, en string)   { p.add(&doc.Heading{Level: 1, Text: p.w.Vi(vi, en)}) }
func (p *pack) txt(s string) doc.Cell {
	return doc.Cell{Text: s, Value: s}
}

// wardLabel names the ward as the month's report does, with its kind in
// English too: "phường Tân Quy Đông", "Tân Quy Đông ward", "xã Tân Quy Tây
// (cũ), nay thuộc phường Sa Đéc".
func (p *pack) wardLabel() string {
	w, d := p.w, p.d
	wd, ok := d.Ward(p.ward.Code)
	if !ok || w.Lang() == "vi" || (wd.Label != "" && wd.LabelEn != "" && config.Fold(wd.Label) != config.Fold(strings.TrimSpace(wd.Kind+" "+wd.Name))) {
		return w.WardFull(d, p.ward.Code)
	}
	kind := map[string]string{"xã": "commune", "phường": "ward", "thị trấn": "township"}[config.NFC(wd.Kind)]
	return strings.TrimSpace(w.WardName(d, p.ward.Code) + " " + kind)
}

// wardShort is the ward's kind and name without the note of its change:
// the column head of the figures.
func (p *pack) wardShort() string {
	wd, ok := p.d.Ward(p.ward.Code)
	if !ok {
		return p.ward.Code
	}
	if p.w.Lang() == "en" {
		kind := map[string]string{"xã": "commune", "phường": "ward", "thị trấn": "township"}[config.NFC(wd.Kind)]
		return strings.TrimSpace(p.w.WardName(p.d, p.ward.Code) + " " + kind)
	}
	return strings.TrimSpace(wd.Kind + " " + wd.Name)
}

func (p *pack) compose() {
	p.header()
	p.figures()
	p.people()
	p.units()
	p.submissions()
	p.todo()
	p.closing()
}

func (p *pack) header() {
	w, d, city := p.w, p.d, p.cfg.City
	org, parent := w.Vi(city.Organisation, city.OrganisationEN), city.ParentOrganisation
	if w.Lang() == "en" && city.OrganisationEN != "" {
		parent = ""
	}
	issued := d.Issued(p.cfg.Location)
	p.doc.Header = doc.Header{
		ParentOrg: parent, Org: org,
		Number:    w.T("Số:%s/%s", "No.%s/%s", numberBlank, city.DocumentCode),
		Motto:     w.Vi("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "SOCIALIST REPUBLIC OF VIETNAM"),
		Motto2:    w.Vi("Độc lập - Tự do - Hạnh phúc", "Independence - Freedom - Happiness"),
		PlaceDate: w.PlaceDate(city.Place, issued),
	}
	name := p.cfg.Programme.Name
	if w.Lang() == "en" && p.cfg.Programme.NameEN != "" {
		name = p.cfg.Programme.NameEN
	}
	p.doc.Title = w.Vi("BÁO CÁO NHANH", "BRIEF REPORT")
	p.doc.Subtitle = w.T("Tình hình thực hiện %s %s\ncủa %s", "Progress of the %s, %s:\n%s",
		quoted(lowerFirst(name)), w.MonthLong(d.Month), p.wardLabel())
	m, _ := config.ParseMonth(d.Month)
	p.note(w.T("Số liệu đến hết ngày %s, nhận đến ngày %s, như Báo cáo tháng %s (phiên bản %d) của thành phố; mỗi số của xã, phường đặt cạnh số của toàn thành phố (%d xã, phường thí điểm).",
		"Data to %s, as received by %s, as in the city's report for %s (version %d); each figure of the ward stands beside the whole city's (the %d pilot wards).",
		w.Date(m.LastDay().Time), w.Date(d.ReceivedBy(p.cfg.Location)), w.Month(d.Month), p.version, len(d.Wards)))
	p.doc.Footer = w.T("Báo cáo nhanh tháng %s, %s — phiên bản %d", "Brief report for %s, %s — version %d", w.Month(d.Month), p.wardShort(), p.version)
}

// figures is the ward's figures against the city's.
func (p *pack) figures() {
	w, d := p.w, p.d
	p.h1("1. SỐ LIỆU CỦA XÃ, PHƯỜNG SO VỚI TOÀN THÀNH PHỐ", "1. THE WARD'S FIGURES AGAINST THE CITY'S")
	ward, _ := d.ProgressOf(d.Month, "ward", p.ward.Code)
	city, _ := d.ProgressOf(d.Month, "city", "")
	of := func(n, base int64) string {
		if base == 0 {
			return w.Int(n)
		}
		return w.T("%s (%s)", "%s (%s)", w.Int(n), w.Pct(float64(n)/float64(base)))
	}
	recognised := func(pr reports.Progress) string {
		if pr.Recognised == 0 {
			return w.Vi("0 (chưa có quyết định)", "0 (no decision yet)")
		}
		s := of(pr.Recognised, pr.Registered)
		if pr.Population > 0 {
			s += w.T("; %s dân số", "; %s of the population", w.Pct(pr.RateOfPopulation))
		}
		return s
	}
	units := func(code string) (reg, inRound, elig, rec int64) {
		for _, u := range d.Units {
			if code != "" && u.Ward != code {
				continue
			}
			reg++
			if u.InRound {
				inRound++
			}
			if u.Eligible {
				elig++
			}
			if u.Recognised {
				rec++
			}
		}
		return
	}
	subs := func(code string) (got, due int64) {
		for _, q := range d.Quality {
			if q.Month == d.Month && (code == "" || q.Ward == code) {
				got += q.OnTime + q.Late
				due += q.Expected
			}
		}
		return
	}
	ur, ua, ue, uc := units(p.ward.Code)
	cr, ca, ce, cc := units("")
	sg, sd := subs(p.ward.Code)
	cg, cd := subs("")
	t := &doc.Table{ID: "so-lieu", Columns: []doc.Column{
		{Name: w.Vi("Chỉ tiêu", "Figure"), Width: 40},
		{Name: p.wardShort(), Align: doc.Right, Width: 30},
		{Name: w.Vi("Toàn thành phố", "The city"), Align: doc.Right, Width: 30},
	}}
	row := func(label, a, b string) { t.Rows = append(t.Rows, []doc.Cell{p.txt(label), p.txt(a), p.txt(b)}) }
	row(w.Vi("Người đăng ký phấn đấu", "People registered"), w.Int(ward.Registered), w.Int(city.Registered))
	row(w.Vi("Người đã được đánh giá", "People assessed"), of(ward.Assessed, ward.Registered), of(city.Assessed, city.Registered))
	row(w.Vi("Người đủ điều kiện đề nghị công nhận", "People eligible for recognition"), of(ward.Eligible, ward.Registered), of(city.Eligible, city.Registered))
	row(w.Vi("Người đã được công nhận (có quyết định)", "People recognised (by a decision)"), recognised(ward), recognised(city))
	row(w.Vi("Đơn vị học tập: đăng ký / đã tự đánh giá / đủ điều kiện / được công nhận", "Learning units: registered / self-assessed / eligible / recognised"),
		strings.Join([]string{w.Int(ur), w.Int(ua), w.Int(ue), w.Int(uc)}, " / "), strings.Join([]string{w.Int(cr), w.Int(ca), w.Int(ce), w.Int(cc)}, " / "))
	row(w.T("Số liệu đến hạn trong tháng %s đã nhận", "Submissions due in %s, received", w.Month(d.Month)), w.Int(sg)+"/"+w.Int(sd), w.Int(cg)+"/"+w.Int(cd))
	t.Note = w.T("Tỷ lệ trong ngoặc: trên số người đăng ký phấn đấu của xã, phường (cột giữa) hoặc của toàn thành phố (cột phải); dân số: từ 15 tuổi trở lên, ước tính. "+
		"Đủ điều kiện: tổng từ %s điểm, không chỉ số nào dưới %s điểm; được công nhận: có tên trong quyết định công nhận.",
		"Shares in brackets: of the people registered in the ward (middle column) or in the whole city (right column); population: aged 15 and over, an estimate. "+
			"Eligible: a total of %s or more, no indicator below %s; recognised: named in a decision of recognition.",
		w.Num(d.Programme.PassTotal, 1), w.Num(d.Programme.MinPerIndicator, 1))
	p.add(t)
}

// names lists people as running text, capped: "A, B, C và 4 người khác".
func (p *pack) names(ps []person, all int64, decision bool) string {
	w := p.w
	var items []string
	for _, x := range ps {
		s := x.Name
		if decision && x.Decision != "" {
			s += w.T(" (quyết định số %s)", " (decision No. %s)", x.Decision)
		}
		items = append(items, s)
	}
	if rest := all - int64(len(ps)); rest > 0 {
		items = append(items, w.T("%s người khác", "%s others", w.Int(rest)))
	}
	return w.And(items)
}

func (p *pack) people() {
	w, wk, d := p.w, p.ward, p.d
	p.h1("2. NGƯỜI ĐĂNG KÝ PHẤN ĐẤU CỦA XÃ, PHƯỜNG", "2. THE WARD'S REGISTRANTS")
	if wk.EligibleN == 0 {
		p.para(w.T("Đủ điều kiện đề nghị công nhận: chưa có người nào đến cuối tháng %s.", "Eligible for recognition: nobody yet by the end of %s.", w.Month(d.Month)))
	} else {
		p.para(w.T("Đủ điều kiện đề nghị công nhận (%s người): %s.", "Eligible for recognition (%s): %s.", w.Int(wk.EligibleN), p.names(wk.Eligible, wk.EligibleN, false)))
		switch {
		case wk.Undecided >= wk.EligibleN:
			p.para(w.Vi("Trong số đó chưa người nào có quyết định công nhận.", "None of them is recognised by a decision yet."))
		case wk.Undecided == 0:
			p.para(w.T("Tất cả đã được công nhận theo quyết định số %s.", "All of them are recognised by decision No. %s.", wk.Decisions))
		default:
			p.para(w.T("Trong số đó %s người đã được công nhận theo quyết định số %s.", "Of them, %s are recognised by decision No. %s.", w.Int(wk.EligibleN-wk.Undecided), wk.Decisions))
		}
	}
	if wk.CloseN == 0 {
		p.para(w.Vi("Gần đạt danh hiệu: không có người nào.", "Close to the title: nobody."))
	} else {
		p.para(w.T("Gần đạt danh hiệu (%s người, cùng cách tính của báo cáo thành phố), với phần còn thiếu của từng người:",
			"Close to the title (%s, as the city's report counts them), with what each lacks:", w.Int(wk.CloseN)))
		t := &doc.Table{ID: "gan-dat", Columns: []doc.Column{
			{Name: w.Vi("Họ và tên", "Name"), Width: 32},
			{Name: w.Vi("Mã", "Code"), Width: 8},
			{Name: w.Vi("Còn thiếu", "Lacking"), Width: 60},
		}}
		var used []int64
		for _, n := range wk.Close {
			var below []string
			for i, b := range n.Below {
				if i == 0 {
					below = append(below, w.T("chỉ số %d (%s điểm)", "indicator %d (%s)", b.Indicator, w.Fixed(b.Score, 1)))
				} else {
					below = append(below, w.T("%d (%s)", "%d (%s)", b.Indicator, w.Fixed(b.Score, 1)))
				}
				if !slices.Contains(used, b.Indicator) {
					used = append(used, b.Indicator)
				}
			}
			var parts []string
			if len(below) > 0 {
				parts = append(parts, strings.Join(below, ", "))
			}
			if n.PointsShort > 0 {
				parts = append(parts, w.T("tổng điểm còn thiếu %s điểm", "the total %s points short", w.Num(n.PointsShort, 1)))
			}
			t.Rows = append(t.Rows, []doc.Cell{p.txt(n.Name), p.txt(n.ID), p.txt(strings.Join(parts, "; "))})
		}
		if rest := wk.CloseN - int64(len(wk.Close)); rest > 0 {
			t.Limit = len(wk.Close)
			t.Rows = append(t.Rows, []doc.Cell{{}, {}, {}}) // past the limit: LimitNote stands for the rest
			t.LimitNote = w.T("và %s người khác (danh sách đầy đủ ở Phụ lục II của báo cáo thành phố).", "and %s others (all of them in Annex II of the city's report).", w.Int(rest))
		}
		slices.Sort(used)
		var names []string
		for _, i := range used {
			names = append(names, w.T("chỉ số %d – %s", "indicator %d – %s", i, w.Indicator(p.cfg, int(i))))
		}
		t.Note = w.T("Gần đạt: tổng điểm đã đạt nhưng có chỉ số dưới %s điểm, hoặc không chỉ số nào dưới %s điểm và tổng điểm thiếu không quá %s điểm.",
			"Close: the total reached but an indicator below %s, or no indicator below %s and the total at most %s points short.",
			w.Num(d.Programme.MinPerIndicator, 1), w.Num(d.Programme.MinPerIndicator, 1), w.Num(reports.CloseWithin(p.cfg, d), 1))
		if len(names) > 0 {
			t.Note += w.T(" Các chỉ số còn dưới %s điểm: %s.", " The indicators below %s: %s.", w.Num(d.Programme.MinPerIndicator, 1), strings.Join(names, "; "))
		}
		p.add(t)
	}
	if wk.NotAssN == 0 {
		p.para(w.Vi("Chưa được đánh giá: không còn người nào.", "Not yet assessed: nobody."))
	} else {
		p.para(w.T("Chưa được đánh giá (%s người): %s.", "Not yet assessed (%s): %s.", w.Int(wk.NotAssN), p.names(wk.NotAssessed, wk.NotAssN, false)))
	}
}

func (p *pack) units() {
	w, d := p.w, p.d
	p.h1("3. ĐƠN VỊ HỌC TẬP", "3. LEARNING UNITS")
	t := &doc.Table{ID: "don-vi", Columns: []doc.Column{
		{Name: w.Vi("Đơn vị", "Unit"), Width: 44},
		{Name: w.Vi("Tự đánh giá", "Self-assessed"), Align: doc.Center, Width: 13},
		{Name: w.Vi("Điểm, xếp loại", "Score, grade"), Width: 20},
		{Name: w.Vi("Tình trạng", "Status"), Width: 23},
	}}
	n := 0
	var decisions []string
	for _, u := range d.Units {
		if u.Ward != p.ward.Code {
			continue
		}
		n++
		assessed, score := "–", "–"
		if u.AssessedOn != nil {
			assessed = strings.ReplaceAll(w.Date(*u.AssessedOn), " ", "\u00a0")
		}
		if u.Total != nil {
			score = w.Fixed(*u.Total, 1)
			if g := w.Vi(u.GradeName, u.GradeNameEn); g != "" {
				score += ", " + g
			}
		}
		var status string
		switch {
		case u.Recognised:
			status = w.Vi("Đã được công nhận", "Recognised")
			if u.Decision != "" && !slices.Contains(decisions, u.Decision) {
				decisions = append(decisions, u.Decision)
			}
		case u.Eligible:
			status = w.Vi("Đủ điều kiện", "Eligible")
		case u.InRound:
			status = w.Vi("Chưa đủ điều kiện", "Not eligible yet")
		default:
			status = w.Vi("Chưa đánh giá đợt xét", "Not in the round yet")
		}
		t.Rows = append(t.Rows, []doc.Cell{p.txt(u.Name), p.txt(assessed), p.txt(score), p.txt(status)})
	}
	if n == 0 {
		p.para(w.Vi("Xã, phường chưa có đơn vị nào đăng ký.", "The ward has no unit registered."))
		return
	}
	t.Note = w.Vi("Tự đánh giá: lần gần nhất; tình trạng theo lần tự đánh giá ở đợt xét công nhận và quyết định công nhận", "Self-assessed: the latest; status by the self-assessment of the recognition round and the decisions of recognition")
	if len(decisions) > 0 {
		t.Note += w.T(" (quyết định số %s)", " (decision No. %s)", w.And(decisions))
	}
	t.Note += "."
	if lim := p.cfg.Report.PackLimit; lim > 0 && n > lim {
		t.Limit = lim
		t.LimitNote = w.T("và %s đơn vị khác (danh sách đầy đủ trong tệp Excel của báo cáo thành phố).", "and %s more units (all of them in the city report's Excel file).", w.Int(int64(n-lim)))
	}
	p.add(t)
}

// what names a submission: its dataset, and its survey round or the month
// its data covers; quoted, for running text ("gửi số liệu “…” tháng 04/2021").
func (p *pack) what(dataset, round, period string, quote bool) string {
	w := p.w
	s := dataset
	if ds, ok := p.cfg.Dataset(dataset); ok {
		s = w.Vi(ds.Title, ds.TitleEN)
	}
	if quote {
		s = w.T("số liệu “%s”", "“%s”", s)
	}
	switch {
	case round != "":
		name := round
		for _, r := range p.cfg.Rounds {
			if r.Code == round {
				name = w.Vi(r.Name, r.NameEN)
			}
		}
		return w.T("%s, đợt %s", "%s, %s", s, name)
	case period != "":
		return w.T("%s tháng %s", "%s for %s", s, w.Month(period))
	}
	return s
}

func (p *pack) day(t time.Time) string { return strings.ReplaceAll(p.w.Date(t), " ", "\u00a0") }

func (p *pack) submissions() {
	w, wk, d := p.w, p.ward, p.d
	p.h1("4. SỐ LIỆU GỬI VỀ TRONG THÁNG", "4. SUBMISSIONS OF THE MONTH")
	if len(wk.Submissions) == 0 {
		p.para(w.T("Không có số liệu nào đến hạn gửi trong tháng %s.", "No submission was due in %s.", w.Month(d.Month)))
	} else {
		t := &doc.Table{ID: "gui-so-lieu", Columns: []doc.Column{
			{Name: w.Vi("Số liệu", "Submission"), Width: 50},
			{Name: w.Vi("Hạn gửi", "Due"), Align: doc.Center, Width: 14},
			{Name: w.Vi("Tình trạng", "Status"), Width: 36},
		}}
		for _, s := range wk.Submissions {
			var status string
			switch s.Status {
			case "on_time":
				status = w.Vi("Đã nhận đúng hạn", "Received on time")
			case "late":
				status = w.Vi("Đã nhận, muộn", "Received late")
			case "refused":
				status = w.Vi("Tệp gửi bị từ chối, chưa có tệp hợp lệ", "Refused, no valid file yet")
			default:
				status = w.Vi("Chưa nhận", "Not received")
			}
			if s.Accepted != nil && (s.Status == "on_time" || s.Status == "late") {
				status += w.T(" (ngày %s)", " (%s)", w.Date(s.Accepted.In(p.loc())))
			}
			mark := doc.Plain
			if s.Status != "on_time" && s.Status != "late" {
				mark = doc.Bad
			}
			t.Rows = append(t.Rows, []doc.Cell{p.txt(p.what(s.Dataset, s.Round, s.Period, false)), p.txt(p.day(s.Due)), {Text: status, Value: status, Mark: mark}})
		}
		p.add(t)
	}
	shown := wk.Refused
	if len(shown) > maxRefused {
		shown = shown[:maxRefused]
	}
	for _, f := range shown {
		var rs []string
		for _, r := range f.Reasons[:min(len(f.Reasons), 1)] {
			at := []string{}
			if r.Sheet != "" {
				at = append(at, w.T("trang “%s”", "sheet “%s”", r.Sheet))
			}
			if r.Row > 0 {
				at = append(at, w.T("dòng %d", "row %d", r.Row))
			}
			if r.Col != "" {
				at = append(at, w.T("cột %s", "column %s", r.Col))
			}
			rs = append(rs, strings.Join(at, ", ")+": "+strings.TrimRight(w.Vi(r.Vi, r.En), "."))
		}
		more := ""
		if n := f.Errors - int64(len(f.Reasons)); n > 0 {
			more = w.T("; và %s lỗi khác", "; and %s more", w.Int(n))
		}
		receipt := ""
		if f.Receipt != "" {
			receipt = w.T(" Biên nhận: %s.", " Receipt: %s.", path.Base(strings.ReplaceAll(f.Receipt, "\\", "/")))
		}
		p.bullet(w.T("Tệp “%s” gửi ngày %s bị từ chối (%s lỗi): %s%s.%s", "The file “%s” sent on %s was refused (%s errors): %s%s.%s",
			f.Name, w.Date(f.SentOn), w.Int(f.Errors), strings.Join(rs, "; "), more, receipt))
	}
	if n := len(wk.Refused) - len(shown); n > 0 {
		p.bullet(w.T("và %s tệp khác bị từ chối (xem biên nhận của từng tệp ở trang Chất lượng số liệu).", "and %s more files refused (each receipt is on the Data quality page).", w.Int(int64(n))))
	}
}

// maxRefused caps the refused files a pack describes: the receipts list
// them all.
const maxRefused = 1

// maxSends caps the submissions the list of what to do names.
const maxSends = 4

func (p *pack) loc() *time.Location {
	if p.cfg.Location != nil {
		return p.cfg.Location
	}
	return time.UTC
}

func (p *pack) todo() {
	w, wk, d := p.w, p.ward, p.d
	m, _ := config.ParseMonth(d.Month)
	p.h1("5. VIỆC CẦN LÀM TRƯỚC KỲ BÁO CÁO SAU", "5. TO DO BEFORE THE NEXT REPORT")
	if end := p.cfg.Programme.End.Month().String(); d.Month >= end {
		// No report follows the pilot's last month: a late file makes a
		// new version of this one.
		p.para(w.T("Tháng %s là tháng cuối của thời gian thí điểm; số liệu nhận sau ngày %s làm báo cáo tháng này được lập lại thành phiên bản mới.",
			"%s is the pilot's last month; data received after %s makes a new version of this month's report.",
			w.Month(d.Month), w.Date(d.ReceivedBy(p.cfg.Location))))
	} else {
		p.para(w.T("Báo cáo tháng %s tính số liệu nhận đến hết ngày %s.", "The report for %s counts the data received by the end of %s.",
			w.Month(m.Next().String()), w.Date(p.next)))
	}
	n, sends, more := 0, 0, 0
	said := map[string]bool{}
	send := func(text string) {
		if said[text] {
			return
		}
		said[text] = true
		n++
		if sends++; sends > maxSends {
			more++
			return
		}
		p.bullet(text)
	}
	for _, s := range d.Owed {
		if s.Ward != p.ward.Code {
			continue
		}
		if s.Status == "refused" {
			send(w.T("Sửa theo biên nhận và gửi lại ngay %s (hạn %s, đã quá hạn).", "Correct as the receipt says and send again now %s (due %s, overdue).",
				p.what(s.Dataset, s.Round, s.Period, true), w.Date(s.Due)))
			continue
		}
		send(w.T("Gửi ngay %s (hạn %s, đã quá hạn).", "Send now %s (due %s, overdue).",
			p.what(s.Dataset, s.Round, s.Period, true), w.Date(s.Due)))
	}
	for _, s := range wk.Upcoming {
		send(w.T("Gửi %s trước ngày %s.", "Send %s by %s.", p.what(s.Dataset, s.Round, s.Period, true), w.Date(s.Due)))
	}
	if more > 0 {
		p.bullet(w.T("Gửi %s báo cáo khác đến hạn (trang Chất lượng số liệu liệt kê đủ).", "Send %s more submissions due (the Data quality page lists them all).", w.Int(int64(more))))
	}
	if wk.NotAssN > 0 {
		n++
		p.bullet(w.T("Đánh giá %s người chưa được đánh giá, gửi kết quả theo lịch khảo sát.", "Assess the %s not yet assessed; send the scores as the survey calendar asks.", w.Int(wk.NotAssN)))
	}
	if wk.CloseN > 0 {
		n++
		p.bullet(w.T("Hỗ trợ %s người gần đạt cải thiện phần còn thiếu (mục 2).", "Help those close to the title (%s) with what they lack (section 2).", w.Int(wk.CloseN)))
	}
	if wk.Undecided > 0 {
		n++
		p.bullet(w.T("Đề nghị công nhận %s người đủ điều kiện chưa có quyết định.", "Propose for recognition the eligible without a decision (%s).", w.Int(wk.Undecided)))
	}
	if n == 0 {
		p.para(w.Vi("Không có việc nào còn tồn đọng.", "Nothing outstanding."))
	}
}

func (p *pack) closing() {
	w, r := p.w, p.cfg.Report
	p.doc.Closing = doc.Closing{
		RecipientsLabel: w.Vi("Nơi nhận:", "To:"),
		Recipients:      []string{w.T("UBND %s;", "People's Committee of %s;", p.wardShort()), w.Vi("Lưu: VT.", "Filed: Records.")},
		SignerRole:      w.Vi(r.Signer.Role, r.Signer.RoleEN),
		SignerTitle:     w.Vi(r.Signer.Title, r.Signer.TitleEN),
		SignerName:      r.Signer.Name,
	}
}

// quoted turns straight double quotes into typographic ones.
func quoted(s string) string {
	var b strings.Builder
	open := true
	for _, r := range s {
		if r == '"' {
			if open {
				r = '“'
			} else {
				r = '”'
			}
			open = !open
		}
		b.WriteRune(r)
	}
	return b.String()
}

// lowerFirst lowers the first letter of a name that continues a sentence.
func lowerFirst(s string) string {
	for i, r := range s {
		return strings.ToLower(string(r)) + s[i+len(string(r)):]
	}
	return s
}
