package reports

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hoctap/hoctap/config"
	"github.com/hoctap/hoctap/reports/chart"
	"github.com/hoctap/hoctap/reports/doc"
)

func (c *composer) goals() {
	l, d := c.l, c.d
	c.h1("muc-tieu", "III. TIẾN ĐỘ THỰC HIỆN MỤC TIÊU", "III. PROGRESS TOWARDS THE GOALS")
	c.para(l.vi("Mỗi mục tiêu được so với lộ trình theo tháng từ đầu thí điểm đến hạn; dự báo đến hạn theo xu hướng các tháng gần nhất.",
		"Each goal is compared with its month-by-month path from the pilot's start to its deadline; the projection to the deadline follows the recent trend."))
	t := &doc.Table{ID: l.vi("Mục tiêu", "Goals"), Title: l.vi("Bảng 1. Các mục tiêu", "Table 1. Goals"),
		Columns: []doc.Column{
			col(l.vi("Mục tiêu", "Goal"), doc.Left, 27, ""),
			col(l.vi("Tỷ lệ của", "Rate of"), doc.Left, 12, ""),
			col(l.vi("Chỉ tiêu", "Target"), doc.Right, 8, fmtPct),
			col(l.vi("Hạn", "Deadline"), doc.Center, 10, ""),
			col(l.vi("Thực tế", "Actual"), doc.Right, 9.5, fmtPct),
			col(l.vi("Lộ trình", "Path"), doc.Right, 8, fmtPct),
			col(l.vi("Dự báo đến hạn", "Projected"), doc.Right, 9.5, fmtPct),
			col(l.vi("Đánh giá", "Status"), doc.Left, 12, ""),
		},
		Note: l.vi("Thực tế và lộ trình tính đến cuối tháng báo cáo. Nguồn của từng mục tiêu ghi dưới biểu đồ tương ứng.",
			"Actual and path at the end of the reported month. Each goal's source is under its chart."),
	}
	var refs []Goal
	for _, g := range d.Goals {
		if !g.InForce(d.Month) {
			refs = append(refs, g)
			continue
		}
		m, _ := g.At(d.Month)
		status := doc.Cell{Text: l.status(m.Status), Value: l.status(m.Status)}
		switch m.Status {
		case "behind":
			status.Mark = doc.Bad
		case "on_track", "achieved":
			status.Mark = doc.Good
		}
		projected := c.goalValue(g, m.Projected)
		if m.Projected == nil {
			projected = doc.Cell{Text: l.vi("chưa đủ số liệu", "too few data")}
		}
		row := []doc.Cell{c.txt(l.vi(g.Name, g.NameEn)), c.txt(c.scope(g)), c.goalValue(g, &g.Target),
			c.mo(g.Deadline), c.goalValue(g, m.Actual), c.goalValue(g, m.Path), projected, status}
		t.Rows = append(t.Rows, row)
	}
	t.Note += l.vi(" Dự báo chỉ tính khi có số liệu thực tế của ít nhất 3 tháng; nếu không: chưa đủ số liệu để dự báo.",
		" A projection needs actual values of at least 3 months; otherwise there are too few data to project.")
	c.add(t)
	if len(refs) > 0 {
		rt := &doc.Table{ID: l.vi("Tham khảo", "References"), Title: l.vi("Bảng 1. Các chỉ tiêu tham khảo, theo văn bản ban hành sau tháng báo cáo",
			"Table 1. Reference targets, from documents issued after the reported month"),
			Columns: []doc.Column{
				col(l.vi("Chỉ tiêu", "Target"), doc.Left, 40, ""),
				col(l.vi("Mức", "Level"), doc.Right, 8, fmtPct),
				col(l.vi("Hạn", "Deadline"), doc.Center, 10, ""),
				col(l.vi("Phạm vi", "Scope"), doc.Left, 22, ""),
				col(l.vi("Văn bản", "Document"), doc.Left, 20, ""),
			},
			Note: l.t("Các văn bản này chưa có vào cuối tháng %s nên không phải là chỉ tiêu của báo cáo này; chỉ để tham khảo, không đánh giá tiến độ.",
				"These documents did not exist at the end of %s, so they are no targets of this report: for reference only, with no status.", l.month(d.Month))}
		for _, g := range refs {
			rt.Rows = append(rt.Rows, []doc.Cell{c.txt(l.vi(g.Name, g.NameEn)), c.goalValue(g, &g.Target), c.mo(g.Deadline), c.txt(c.scope(g)), c.txt(l.vi(g.Source, g.SourceEN))})
		}
		c.add(rt)
	}
	if c.overview { // no charts, so no sources under them
		t.Note = l.vi("Thực tế và lộ trình tính đến cuối tháng báo cáo.", "Actual and path at the end of the reported month.")
		return
	}
	for _, g := range d.Goals {
		if !g.InForce(d.Month) {
			continue // a reference only: in its own table, never charted
		}
		if c.goalCharted(g) {
			c.goalChart(g)
			continue
		}
		name := l.t("“%s”", "“%s”", l.vi(g.Name, g.NameEn))
		if g.Source != "" {
			name += l.t(" (%s)", " (%s)", l.vi(g.Source, g.SourceEN))
		}
		if c.goalFar(g) {
			c.note(l.t("Mục tiêu %s có hạn đến tháng %s, còn xa so với thời gian có số liệu, nên chỉ ghi ở bảng các mục tiêu, không vẽ biểu đồ.",
				"The goal %s is due by %s, far beyond the months with data, so it is in the goals' table only, without a chart.", name, l.month(g.Deadline)))
		} else {
			c.note(l.t("Mục tiêu %s chưa có đủ số liệu của hai tháng nên chỉ ghi ở bảng các mục tiêu, chưa vẽ biểu đồ.",
				"The goal %s has fewer than two months of data, so it is in the goals' table only, without a chart yet.", name))
		}
	}
}

// scope names what a goal's rate is of: the goal's own scope when the
// configuration gives one, else its denominator's name.
func (c *composer) scope(g Goal) string {
	if s := c.l.vi(g.Scope, g.ScopeEn); s != "" {
		return s
	}
	return c.l.denominator(g.Denominator)
}

// goalValue is a goal's value: a share for rates, a count otherwise.
func (c *composer) goalValue(g Goal, v *float64) doc.Cell {
	if v == nil {
		return doc.Cell{Text: "–"}
	}
	if g.Denominator == "" {
		return doc.Cell{Text: c.l.num(*v, 0), Value: *v}
	}
	return c.p(*v)
}

func (c *composer) format(g Goal) chart.Format {
	if g.Denominator == "" {
		return func(v float64) string { return c.l.num(v, 0) }
	}
	return func(v float64) string { return c.l.pct(v) }
}

func (c *composer) goalChart(g Goal) {
	l, d := c.l, c.d
	cats := make([]string, len(g.Course))
	actual := make([]float64, len(g.Course))
	path := make([]float64, len(g.Course))
	proj := make([]float64, len(g.Course))
	now, deadline := -1, -1
	for i, m := range g.Course {
		cats[i] = l.month(m.Month)
		actual[i], path[i], proj[i] = val(m.Actual), val(m.Path), math.NaN()
		if m.Month == d.Month {
			now = i
		}
		if m.Month == g.Deadline {
			deadline = i
		}
	}
	cur, _ := g.At(d.Month)
	series := []chart.Series{{Name: l.vi("Thực tế", "Actual"), Values: actual}, {Name: l.vi("Lộ trình", "Path"), Values: path, Dashed: true}}
	if now >= 0 && deadline > now && cur.Actual != nil && cur.Projected != nil {
		for i := now; i <= deadline; i++ {
			f := float64(i-now) / float64(deadline-now)
			proj[i] = *cur.Actual + f*(*cur.Projected-*cur.Actual)
		}
		series = append(series, chart.Series{Name: l.vi("Dự báo", "Projection"), Values: proj, Dashed: true})
	}
	var ref *chart.Ref
	if deadline >= 0 {
		ref = &chart.Ref{Value: g.Target, Label: l.t("Chỉ tiêu %s", "Target %s", c.goalValue(g, &g.Target).Text)}
	}
	caption := l.t("Tỷ lệ tính trên %s. Chỉ tiêu %s đến tháng %s", "Rate of %s. Target %s by %s", c.scope(g), c.goalValue(g, &g.Target).Text, l.month(g.Deadline))
	if g.Denominator == "" {
		caption = l.t("Số lượng. Chỉ tiêu %s đến tháng %s", "A count. Target %s by %s", c.goalValue(g, &g.Target).Text, l.month(g.Deadline))
	}
	if cur.Projected != nil {
		caption += l.t("; dự báo đến hạn %s", "; projected at the deadline %s", c.goalValue(g, cur.Projected).Text)
	}
	caption += l.t(". Đánh giá: %s.", ". Status: %s.", l.status(cur.Status))
	if g.Source != "" {
		caption += l.t(" Nguồn: %s.", " Source: %s.", l.vi(g.Source, g.SourceEN))
	}
	if g.UNESCO != "" {
		var areas []string
		for _, a := range strings.Split(g.UNESCO, ", ") {
			areas = append(areas, l.named(unescoNames, a))
		}
		caption += l.t(" Đặc điểm của thành phố học tập (UNESCO): %s.", " UNESCO key features of learning cities: %s.", l.and(areas))
	}
	c.chart("muc-tieu-"+g.ID, l.vi(g.Name, g.NameEn), caption,
		&chart.Lines{Categories: cats, Series: series, YLabel: pick(g.Denominator == "", l.vi("Số lượng", "Count"), "%"), Label: c.format(g), Ref: ref}, 190)
}

func val(v *float64) float64 {
	if v == nil {
		return math.NaN()
	}
	return *v
}

func pick(cond bool, a, b string) string {
	if cond {
		return a
	}
	return b
}

func (c *composer) wards() {
	l, d := c.l, c.d
	c.h1("xa-phuong", "IV. KẾT QUẢ THEO XÃ, PHƯỜNG VÀ NHÓM ĐỐI TƯỢNG", "IV. BY WARD AND TARGET GROUP")
	t := &doc.Table{ID: l.vi("Xã phường", "Wards"), Title: l.vi("Bảng 2. Đăng ký, đánh giá, đủ điều kiện và được công nhận theo xã, phường và nhóm đối tượng",
		"Table 2. Registered, assessed, eligible and recognised, by ward and target group"),
		Columns: []doc.Column{
			col(l.vi("Xã, phường", "Ward"), doc.Left, 14, ""),
			col(l.vi("Nhóm đối tượng", "Target group"), doc.Left, 24, ""),
			col(l.vi("Đăng ký", "Registered"), doc.Right, 8, fmtInt),
			col(l.vi("Đã đánh giá", "Assessed"), doc.Right, 8, fmtInt),
			col(l.vi("Đủ điều kiện", "Eligible"), doc.Right, 8, fmtInt),
			col(l.vi("Đã công nhận", "Recognised"), doc.Right, 8, fmtInt),
			col(l.vi("Tỷ lệ đủ điều kiện (% đăng ký)", "Eligible (% registered)"), doc.Right, 11, fmtPct),
			col(l.vi("Tỷ lệ công nhận (% dân số từ 15 tuổi)", "Recognised (% population aged 15+)"), doc.Right, 12, "0.000%"),
		},
		Note: l.vi("Đủ điều kiện: có điểm đạt tiêu chí; đã công nhận: có tên trong quyết định công nhận. Tỷ lệ đủ điều kiện = số đủ điều kiện / số người đăng ký. "+
			"Tỷ lệ công nhận = số đã công nhận / dân số từ 15 tuổi trở lên của xã, phường (ước tính), chỉ ở dòng cộng.",
			"Eligible: scores that meet the criteria; recognised: named in a decision of recognition. Eligible (% registered) = eligible / registered. "+
				"Recognised (% population) = recognised / the ward's population aged 15 and over (an estimate), on subtotal rows only."),
	}
	var reg, elig []float64
	var wardNames []string
	rates := make([][]float64, len(d.Groups))
	rateLabels := make([][]string, len(d.Groups))
	minGroup := c.cfg.Report.MinGroupForRate
	for _, w := range d.Wards {
		wardNames = append(wardNames, l.wardName(d, w.Code))
		for gi, g := range d.Groups {
			p, ok := d.progress(d.Month, "ward_group", w.Code, g.ID)
			rate, label := groupRate(p, ok, minGroup, l)
			rates[gi], rateLabels[gi] = append(rates[gi], rate), append(rateLabels[gi], label)
			if !ok {
				continue
			}
			t.Rows = append(t.Rows, []doc.Cell{c.txt(l.wardName(d, w.Code)), c.txt(l.groupName(d, g.ID)), c.n(p.Registered), c.n(p.Assessed), c.n(p.Eligible), c.n(p.Recognised),
				c.p(share(p.Eligible, p.Registered)), {}})
		}
		p, _ := d.progress(d.Month, "ward", w.Code, 0)
		reg, elig = append(reg, float64(p.Registered)), append(elig, float64(p.Eligible))
		sub := []doc.Cell{c.txt(l.t("Cộng %s", "%s total", l.wardName(d, w.Code))), c.txt(""), c.n(p.Registered), c.n(p.Assessed), c.n(p.Eligible), c.n(p.Recognised),
			c.p(share(p.Eligible, p.Registered)), c.p(share(p.Recognised, p.Population))}
		for i := range sub {
			sub[i].Mark = doc.Good
		}
		if t.Subtotal == nil {
			t.Subtotal = map[int]bool{}
		}
		t.Subtotal[len(t.Rows)] = true
		t.Rows = append(t.Rows, sub)
	}
	city, _ := d.progress(d.Month, "city", "", 0)
	t.Total = []doc.Cell{c.txt(l.t("Cộng %s", "Total, %s", c.wardsScope())), c.txt(""), c.n(city.Registered), c.n(city.Assessed), c.n(city.Eligible), c.n(city.Recognised),
		c.p(share(city.Eligible, city.Registered)), c.p(share(city.Recognised, city.Population))}
	c.add(t)
	c.chart("xa-phuong", l.vi("Người đăng ký và người đủ điều kiện đề nghị công nhận theo xã, phường", "Registered and eligible for recognition, by ward"),
		l.t("Số người đến cuối tháng %s.", "People at the end of %s.", l.month(d.Month)),
		&chart.Bars{Categories: wardNames, Series: []chart.Series{{Name: l.vi("Đăng ký", "Registered"), Values: reg}, {Name: l.vi("Đủ điều kiện", "Eligible"), Values: elig}},
			YLabel: l.vi("Người", "People"), Label: func(v float64) string { return l.num(v, 0) }}, 200)
	c.standing()
	var gs []chart.Series
	for gi, g := range d.Groups {
		gs = append(gs, chart.Series{Name: l.groupName(d, g.ID), Values: rates[gi], Labels: rateLabels[gi]})
	}
	c.chart("ty-le-nhom", l.vi("Tỷ lệ đủ điều kiện đề nghị công nhận theo xã, phường và nhóm đối tượng", "Share eligible for recognition, by ward and target group"),
		l.t("Tỷ lệ của số người đăng ký trong nhóm. Nhóm dưới %d người đăng ký: không vẽ cột, ghi số đủ điều kiện/số đăng ký (ví dụ 1/2); “–”: nhóm không có người đăng ký.",
			"Rate of the group's registrants. A group of fewer than %d registrants: no bar, the count eligible/registered (e.g. 1/2); “–”: nobody registered in the group.", minGroup),
		&chart.Bars{Categories: wardNames, Series: gs, YLabel: "%", YMax: 1, Label: func(v float64) string { return l.pct(v) }}, 210)
}

func (c *composer) indicators() {
	l, d := c.l, c.d
	c.h1("chi-so", "V. CÁC CHỈ SỐ: ĐIỂM MẠNH VÀ ĐIỂM YẾU", "V. INDICATORS: STRENGTHS AND WEAKNESSES")
	minS := l.num(d.Programme.MinPerIndicator, 1)
	cols := []doc.Column{
		col("#", doc.Center, 3, "0"),
		col(l.vi("Chỉ số", "Indicator"), doc.Left, 28, ""),
		col(l.vi("Điểm TB", "Mean"), doc.Right, 7, "0.00"),
		col(l.t("Dưới %s (người)", "Below %s (people)", minS), doc.Right, 8, fmtInt),
		col(l.t("Tỷ lệ dưới %s", "Share below %s", minS), doc.Right, 8, fmtPct),
	}
	for _, g := range d.Groups {
		cols = append(cols, col(l.t("Điểm TB nhóm %d", "Mean, group %d", g.ID), doc.Right, 7, "0.00"))
	}
	t := &doc.Table{ID: l.vi("Chỉ số", "Indicators"), Title: l.vi("Bảng 3. Điểm các chỉ số của người đã được đánh giá", "Table 3. Indicator scores of the people assessed"), Columns: cols,
		Note: l.t("Điểm được tính của lần đánh giá gần nhất đến cuối tháng (điểm thẩm định nếu có). Tỷ lệ dưới %s: của số người đã được đánh giá. Nhóm: %s.",
			"The score that counts of each person's latest assessment by the month's end (the reviewed score where given). Share below %s: of the people assessed. Groups: %s.", minS, c.groupLegend())}
	means := make([][]float64, len(d.Groups))
	below := make([][]float64, len(d.Groups))
	var cats []string
	for _, s := range d.Indicators {
		if s.Group != 0 {
			continue
		}
		cats = append(cats, strconv.FormatInt(s.Indicator, 10)+". "+l.vi(s.Name, s.NameEn))
		row := []doc.Cell{c.n(s.Indicator), c.txt(l.vi(s.Name, s.NameEn)), c.f(s.Mean, 2), c.n(s.BelowMin), c.p(s.ShareBelow)}
		if s.ShareBelow > 0 {
			row[4].Mark = doc.Bad
		}
		for gi, g := range d.Groups {
			gs, ok := c.indicator(g.ID, s.Indicator)
			if !ok || gs.People == 0 {
				row = append(row, doc.Cell{Text: "–"})
				means[gi] = append(means[gi], math.NaN())
				below[gi] = append(below[gi], math.NaN())
				continue
			}
			row = append(row, c.f(gs.Mean, 2))
			means[gi] = append(means[gi], gs.Mean)
			below[gi] = append(below[gi], gs.ShareBelow)
		}
		t.Rows = append(t.Rows, row)
	}
	if len(t.Rows) == 0 {
		c.para(l.t("Đến cuối tháng %s chưa có ai được đánh giá nên chưa có điểm các chỉ số.", "Nobody had been assessed by the end of %s, so there are no indicator scores yet.", l.month(d.Month)))
		return
	}
	c.add(t)
	var ms, bs []chart.Series
	for gi, g := range d.Groups {
		ms = append(ms, chart.Series{Name: l.groupName(d, g.ID), Values: means[gi]})
		bs = append(bs, chart.Series{Name: l.groupName(d, g.ID), Values: below[gi]})
	}
	c.chart("diem-chi-so", l.vi("Điểm trung bình từng chỉ số theo nhóm đối tượng", "Mean score per indicator, by target group"),
		l.t("Đường đứt nét: điểm tối thiểu %s của mỗi chỉ số.", "The dashed line: the minimum %s per indicator.", minS),
		&chart.HBars{Categories: cats, Series: ms, XLabel: l.vi("Điểm", "Score"), XMax: d.Programme.IndicatorMax, Label: func(v float64) string { return l.fixed(v, 1) },
			Ref: &chart.Ref{Value: d.Programme.MinPerIndicator, Label: l.t("Tối thiểu %s", "Minimum %s", minS)}}, hbarsHeight(len(cats), len(ms)))
	c.chart("duoi-nguong", l.t("Tỷ lệ người có điểm dưới %s ở từng chỉ số", "Share of people scoring below %s, per indicator", minS),
		l.t("Tỷ lệ của số người đã được đánh giá trong nhóm. Một chỉ số dưới %s làm người đó chưa đạt danh hiệu dù tổng điểm cao.",
			"Of the group's people assessed. One indicator below %s withholds the title whatever the total.", minS),
		&chart.HBars{Categories: cats, Series: bs, XLabel: "%", Label: func(v float64) string { return l.pct(v) }}, hbarsHeight(len(cats), len(bs)))

	maxTotal := d.Programme.IndicatorMax * float64(d.Programme.Indicators)
	lo := 0.0
	var totals []float64
	var people []int64
	var assessed int64
	for _, t := range d.Totals {
		totals, people, assessed = append(totals, t.Total), append(people, t.People), assessed+t.People
	}
	if len(totals) > 0 {
		lo = math.Max(0, math.Floor(math.Min(totals[0], d.Programme.PassTotal-20)/5)*5)
	}
	c.chart("phan-bo-diem", l.vi("Phân bố tổng điểm", "Distribution of total scores"),
		l.t("%s người đã được đánh giá, theo lần đánh giá được tính đến cuối tháng; mỗi cột gồm 5 điểm; ngưỡng công nhận %s điểm (và không chỉ số nào dưới %s điểm).",
			"%s people assessed, by the assessment that counts at the month's end; each bar spans 5 points; the title's threshold %s (and no indicator below %s).",
			l.int(assessed), l.num(d.Programme.PassTotal, 1), minS),
		&chart.Histogram{Values: totals, Weights: people, Min: lo, Max: maxTotal, Width: 5, Threshold: d.Programme.PassTotal,
			ThresholdLabel: l.t("Ngưỡng %s", "Threshold %s", l.num(d.Programme.PassTotal, 1)),
			XLabel:         l.vi("Tổng điểm", "Total score"), YLabel: l.vi("Người", "People"), Label: func(v float64) string { return l.num(v, 0) }}, 200)
}

func (c *composer) indicator(group, ind int64) (IndicatorStat, bool) {
	for _, s := range c.d.Indicators {
		if s.Group == group && s.Indicator == ind {
			return s, true
		}
	}
	return IndicatorStat{}, false
}

func (c *composer) groupLegend() string {
	s := ""
	for i, g := range c.d.Groups {
		if i > 0 {
			s += "; "
		}
		s += strconv.FormatInt(g.ID, 10) + " — " + c.l.groupName(c.d, g.ID)
	}
	return s
}

func (c *composer) timeline() {
	l, d := c.l, c.d
	c.h1("tien-do", "VI. TIẾN ĐỘ THÍ ĐIỂM", "VI. THE PILOT'S TIMELINE")
	month, _ := config.ParseMonth(d.Month) // a month of the programme (Load)
	today := month.LastDay().Time
	var rows []chart.GanttRow
	for _, p := range d.Phases {
		rows = append(rows, chart.GanttRow{Label: l.vi(p.Name, p.NameEn), Start: p.Start, End: p.End})
		for _, m := range d.Milestones {
			if m.Phase == p.ID {
				rows = append(rows, chart.GanttRow{Label: "◆ " + l.vi(m.Name, m.NameEn), Start: m.Due, End: m.Due, Milestone: true, Status: m.Status})
			}
		}
	}
	c.chart("tien-do", l.vi("Các giai đoạn và mốc của thí điểm", "The pilot's phases and milestones"),
		l.t("Thanh: giai đoạn; hình thoi: mốc (tô đậm: đã xong; dấu !: quá hạn); đường dọc: cuối tháng %s.", "Bars: phases; diamonds: milestones (filled: done; !: overdue); the vertical line: end of %s.", l.month(d.Month)),
		&chart.Gantt{Start: d.Programme.Start, End: d.Programme.End, Today: today, TodayLabel: l.date(today), Rows: rows,
			MonthLabel: func(t time.Time) string { return l.month(config.MonthOf(t).String()) }}, 18*float64(len(rows))+60)
	t := &doc.Table{ID: l.vi("Mốc thời gian", "Milestones"), Title: l.vi("Bảng 4. Các mốc của thí điểm", "Table 4. The pilot's milestones"),
		Columns: []doc.Column{
			col(l.vi("Mốc", "Milestone"), doc.Left, 30, ""),
			col(l.vi("Giai đoạn", "Phase"), doc.Left, 20, ""),
			col(l.vi("Hạn", "Due"), doc.Center, 13, fmtDate),
			col(l.vi("Trạng thái", "Status"), doc.Left, 14, ""),
			col(l.vi("Hoàn thành", "Completed"), doc.Center, 10, ""),
		}}
	for _, m := range d.Milestones {
		phase := m.Phase
		for _, p := range d.Phases {
			if p.ID == m.Phase {
				phase = l.vi(p.Name, p.NameEn)
			}
		}
		st := c.txt(l.status(m.Status))
		if m.Status == "late" {
			st.Mark = doc.Bad
		}
		done := ""
		if m.Status == "done" {
			done = m.DoneMonth
		}
		t.Rows = append(t.Rows, []doc.Cell{c.txt(l.vi(m.Name, m.NameEn)), c.txt(phase), c.dt(m.Due), st, c.mo(done)})
	}
	c.add(t)
}

func (c *composer) units() {
	l, d := c.l, c.d
	c.h1("don-vi", "VII. ĐƠN VỊ HỌC TẬP", "VII. LEARNING UNITS")
	var crit []UnitCriterion
	seen := map[string]bool{}
	score := map[[2]string]float64{} // unit, criterion → score
	for _, uc := range d.UnitCriteria {
		score[[2]string{uc.Unit, uc.Criterion}] = uc.Score
		if !seen[uc.Criterion] {
			seen[uc.Criterion] = true
			crit = append(crit, uc)
		}
	}
	cols := []doc.Column{col(l.vi("Đơn vị", "Unit"), doc.Left, 26, ""), col(l.vi("Xã, phường", "Ward"), doc.Left, 11, "")}
	for _, k := range crit {
		cols = append(cols, col(k.Criterion+" ("+l.num(k.Max, 0)+")", doc.Right, 7, "0.0"))
	}
	cols = append(cols, col(l.vi("Tổng điểm", "Total"), doc.Right, 7, "0.0"), col(l.vi("Xếp loại", "Grade"), doc.Left, 9, ""),
		col(l.vi("Xét công nhận", "Recognition"), doc.Left, 12, ""),
		col(l.vi("Thành viên", "Members"), doc.Right, 7, fmtInt), col(l.vi("Đã công nhận CDHT", "Members recognised"), doc.Right, 8, fmtInt),
		col(l.vi("Tỷ lệ thành viên được công nhận", "Share of members recognised"), doc.Right, 8, fmtPct))
	from := ""
	if f := c.cfg.Recognition.UnitAssessedFrom; !f.IsZero() {
		from = l.t(" Chỉ kết quả tự đánh giá từ ngày %s (đợt xét công nhận) mới làm đơn vị đủ điều kiện; kết quả trước đó là khảo sát đầu kỳ.",
			" Only a self-assessment from %s on (the round that counts) makes a unit eligible; earlier ones are the baseline.", l.date(f.Time))
	}
	t := &doc.Table{ID: l.vi("Đơn vị", "Units"), Title: l.vi("Bảng 5. Kết quả tự đánh giá của các đơn vị và tỷ lệ thành viên được công nhận danh hiệu",
		"Table 5. Units' self-assessments and the share of members recognised"),
		Columns: cols,
		Note: l.t("Chấm điểm theo %s; xếp loại theo tổng điểm.%s Đơn vị được công nhận khi có tên trong quyết định công nhận. Tỷ lệ thành viên được công nhận: số thành viên có tên trong quyết định công nhận Công dân học tập / số thành viên của đơn vị (mức %s theo %s).",
			"Scored under %s; graded on the total.%s A unit is recognised when a decision of recognition names it. Share of members recognised: members named in a decision / the unit's members (%s under %s).",
			d.Programme.UnitSource, from, l.pct(d.Programme.MemberTitleShare), c.memberShareSource())}
	series := make([]chart.Series, len(crit))
	for i, k := range crit {
		series[i] = chart.Series{Name: k.Criterion + " — " + l.vi(k.Name, k.NameEn)}
	}
	var cats, decisions []string
	for _, u := range d.Units {
		cats = append(cats, u.Code)
		row := []doc.Cell{c.txt(u.Name + " (" + u.Code + ")"), c.txt(l.wardName(d, u.Ward))}
		for i, k := range crit {
			v, ok := score[[2]string{u.Code, k.Criterion}]
			if !ok {
				v = math.NaN()
			}
			// The chart shows each criterion as a share of its maximum:
			// criteria of 30, 30 and 40 points on one axis.
			series[i].Values = append(series[i].Values, v/k.Max)
			if math.IsNaN(v) {
				row = append(row, doc.Cell{Text: "–"})
			} else {
				row = append(row, c.f(v, 1))
			}
		}
		if u.Total != nil {
			row = append(row, c.f(*u.Total, 1), c.txt(l.vi(u.GradeName, u.GradeNameEn)))
		} else {
			row = append(row, doc.Cell{Text: "–"}, doc.Cell{Text: l.vi("Chưa đánh giá", "Not assessed"), Value: l.vi("Chưa đánh giá", "Not assessed"), Mark: doc.Muted})
		}
		var standing string
		switch {
		case u.Recognised:
			standing = l.vi("Đã công nhận", "Recognised")
			if !slices.Contains(decisions, u.Decision) {
				decisions = append(decisions, u.Decision)
			}
		case u.Eligible:
			standing = l.vi("Đủ điều kiện", "Eligible")
		case u.Total != nil && !u.InRound:
			standing = l.vi("Mới có khảo sát đầu kỳ", "Baseline only")
		case u.Total != nil:
			standing = l.vi("Chưa đủ điều kiện", "Not eligible")
		default:
			standing = "–"
		}
		row = append(row, c.txt(standing))
		holders := doc.Cell{Text: "–"}
		if u.TitleHolders != nil {
			holders = c.n(*u.TitleHolders)
		}
		sh := c.pp(u.TitleShare)
		if u.TitleShare != nil && !u.MeetsMemberShare && c.memberShareInForce() {
			sh.Mark = doc.Bad
		}
		row = append(row, c.n(u.Members), holders, sh)
		t.Rows = append(t.Rows, row)
	}
	if len(decisions) > 0 {
		t.Note += l.t(" Quyết định công nhận đơn vị: số %s.", " Decisions recognising units: %s.", l.and(decisions))
	}
	c.add(t)
	if len(crit) == 0 {
		c.para(l.t("Đến cuối tháng %s chưa có đơn vị nào tự đánh giá nên chưa có biểu đồ điểm theo tiêu chí.", "No unit had self-assessed by the end of %s, so there is no chart of scores per criterion yet.", l.month(d.Month)))
		return
	}
	bands, grades := c.gradeBands()
	c.chart("don-vi", l.vi("Điểm tự đánh giá của các đơn vị theo tiêu chí, theo tỷ lệ điểm tối đa", "Units' self-assessment per criterion, as a share of its maximum"),
		l.t("Mã đơn vị ghi sau tên đơn vị trong bảng kết quả tự đánh giá ở trên; mỗi cột là điểm của tiêu chí chia cho điểm tối đa của tiêu chí đó (ghi ở tiêu đề cột của bảng); các dải nền từ dưới lên, theo tỷ lệ tổng điểm: %s.",
			"Unit codes follow the units' names in the table of self-assessments above; each bar is the criterion's score over its maximum (in the table's column headers); the bands from the bottom, by share of the total: %s.", grades),
		&chart.Bars{Categories: cats, Series: series, YLabel: "%", YMax: 1, Label: func(v float64) string { return l.pct(v) }, Bands: bands}, 210)
}

func (c *composer) activities() {
	l, d := c.l, c.d
	c.h1("hoat-dong", "VIII. HOẠT ĐỘNG", "VIII. ACTIVITIES")
	if len(d.Activities) == 0 { // no ward has reported any: a sentence, not a chart of zeros
		c.para(c.noData("hoat-dong", ""))
		return
	}
	cats := make([]string, len(d.Months))
	idx := map[string]int{}
	for i, m := range d.Months {
		cats[i], idx[m] = l.month(m), i
	}
	var series []chart.Series
	cols := []doc.Column{col(l.vi("Tháng", "Month"), doc.Left, 10, "")}
	for _, w := range d.Wards {
		s := chart.Series{Name: l.wardName(d, w.Code), Values: make([]float64, len(d.Months))}
		for _, a := range d.Activities {
			if a.Ward == w.Code {
				s.Values[idx[a.Month]] = float64(a.Activities)
			}
		}
		series = append(series, s)
		cols = append(cols, col(l.wardName(d, w.Code), doc.Right, 10, fmtInt))
	}
	cols = append(cols, col(l.vi("Cộng", "Total"), doc.Right, 8, fmtInt), col(l.vi("Lượt tham gia", "Participants"), doc.Right, 10, fmtInt), col(l.vi("Số giờ", "Hours"), doc.Right, 8, "0.0"))
	t := &doc.Table{ID: l.vi("Hoạt động", "Activities"), Title: l.vi("Bảng 6. Hoạt động theo tháng và xã, phường", "Table 6. Activities per month and ward"), Columns: cols,
		Note: l.vi("Số hoạt động các xã, phường báo cáo; lượt tham gia và số giờ là tổng của các hoạt động.", "Activities the wards reported; participants and hours are summed over them.")}
	var sumActs, sumPart int64
	var sumHours float64
	for i, m := range d.Months {
		row := []doc.Cell{c.mo(m)}
		var n, part int64
		var hours float64
		for wi := range d.Wards {
			v := int64(series[wi].Values[i])
			row = append(row, c.n(v))
			n += v
		}
		for _, a := range d.Activities {
			if a.Month == m {
				part += a.Participants
				hours += a.Hours
			}
		}
		row = append(row, c.n(n), c.n(part), c.f(hours, 1))
		t.Rows = append(t.Rows, row)
		sumActs, sumPart, sumHours = sumActs+n, sumPart+part, sumHours+hours
	}
	total := []doc.Cell{c.txt(l.vi("Cộng", "Total"))}
	for wi := range d.Wards {
		var n int64
		for _, v := range series[wi].Values {
			n += int64(v)
		}
		total = append(total, c.n(n))
	}
	t.Total = append(total, c.n(sumActs), c.n(sumPart), c.f(sumHours, 1))
	c.chart("hoat-dong", l.vi("Số hoạt động theo tháng và xã, phường", "Activities per month and ward"),
		l.vi("Số hoạt động tuyên truyền, tập huấn, sinh hoạt câu lạc bộ… các xã, phường báo cáo.", "Outreach, training, club meetings and other activities the wards reported."),
		&chart.Bars{Categories: cats, Series: series, YLabel: l.vi("Hoạt động", "Activities"), Label: func(v float64) string { return l.num(v, 0) }}, 200)
	c.add(t)
}

func (c *composer) quality() {
	l, d := c.l, c.d
	c.h1("du-lieu", "IX. TÌNH HÌNH GỬI SỐ LIỆU", "IX. DATA COMPLETENESS AND TIMELINESS")
	rows := make([]string, len(d.Wards))
	cols := make([]string, len(d.Months))
	vals := make([][]float64, len(d.Wards))
	text := make([][]string, len(d.Wards))
	for i, w := range d.Wards {
		rows[i] = l.wardName(d, w.Code)
		vals[i] = make([]float64, len(d.Months))
		text[i] = make([]string, len(d.Months))
		for j, m := range d.Months {
			cols[j] = l.month(m)
			vals[i][j], text[i][j] = math.NaN(), ""
			for _, q := range d.Quality {
				if q.Ward == w.Code && q.Month == m && q.Expected > 0 {
					vals[i][j] = float64(q.OnTime) / float64(q.Expected)
					text[i][j] = l.int(q.OnTime) + "/" + l.int(q.Expected)
				}
			}
		}
	}
	c.chart("du-lieu", l.vi("Báo cáo gửi đúng hạn theo xã, phường và tháng", "Submissions on time, by ward and month"),
		l.vi("Ô: số báo cáo nhận đúng hạn / số báo cáo đến hạn trong tháng; ô trống: không có báo cáo đến hạn. Màu càng đậm, càng đủ.",
			"Cell: submissions accepted by their due day / submissions due that month; blank: none due. Darker is more complete."),
		&chart.Heat{Rows: rows, Cols: cols, Values: vals, Text: text, Label: func(v float64) string { return l.pct(v) }}, 30*float64(len(rows))+70)
	t := &doc.Table{ID: l.vi("Gửi số liệu", "Submissions"), Title: l.t("Bảng 7. Tình hình gửi số liệu trong tháng %s", "Table 7. Submissions in %s", l.month(d.Month)),
		Columns: []doc.Column{
			col(l.vi("Xã, phường", "Ward"), doc.Left, 16, ""),
			col(l.vi("Đến hạn", "Due"), doc.Right, 8, fmtInt),
			col(l.vi("Đúng hạn", "On time"), doc.Right, 8, fmtInt),
			col(l.vi("Trễ hạn", "Late"), doc.Right, 8, fmtInt),
			col(l.vi("Chưa nhận", "Missing"), doc.Right, 8, fmtInt),
			col(l.vi("Còn nợ từ tháng trước", "Overdue from earlier"), doc.Right, 10, fmtInt),
			col(l.vi("Tệp nhận", "Files received"), doc.Right, 8, fmtInt),
			col(l.vi("Tệp bị từ chối", "Files refused"), doc.Right, 8, fmtInt),
			col(l.vi("Số lỗi", "Problems"), doc.Right, 7, fmtInt),
		},
		Note: l.vi("Đúng hạn: nhận và chấp nhận trước ngày hạn theo lịch gửi số liệu; thời điểm gửi lấy theo ngày lưu tệp.",
			"On time: received and accepted by the due day of the submission calendar; when a file was sent is taken from its saved date.")}
	for _, q := range d.Quality {
		if q.Month != d.Month {
			continue
		}
		row := []doc.Cell{c.txt(l.wardName(d, q.Ward)), c.n(q.Expected), c.n(q.OnTime), c.n(q.Late), c.n(q.Missing), c.n(q.OverdueEarlier), c.n(q.FilesReceived), c.n(q.FilesRefused), c.n(q.Problems)}
		if q.Missing > 0 {
			row[4].Mark = doc.Bad
		}
		if q.OverdueEarlier > 0 {
			row[5].Mark = doc.Bad
		}
		t.Rows = append(t.Rows, row)
	}
	c.add(t)
	r := &doc.Table{ID: l.vi("Tệp bị từ chối", "Refused files"), Title: l.vi("Bảng 8. Các tệp bị từ chối từ đầu thí điểm", "Table 8. Files refused since the pilot's start"),
		Columns: []doc.Column{
			col(l.vi("Xã, phường", "Ward"), doc.Left, 14, ""),
			col(l.vi("Tệp", "File"), doc.Left, 30, ""),
			col(l.vi("Ngày gửi", "Sent on"), doc.Center, 13, fmtDate),
			col(l.vi("Số lỗi", "Problems"), doc.Right, 7, fmtInt),
			col(l.vi("Biên nhận", "Receipt"), doc.Left, 30, ""),
		},
		Note: l.vi("Biên nhận (trong thư mục quarantine) liệt kê từng lỗi: trang tính, dòng, cột, giá trị và yêu cầu.", "The receipt (in the quarantine folder) lists each problem: sheet, row, column, value and what was expected.")}
	for _, f := range d.Refused {
		r.Rows = append(r.Rows, []doc.Cell{c.txt(l.wardName(d, f.Ward)), c.txt(f.Name), c.dt(f.SentOn), c.n(f.Problems), c.txt(f.Receipt)})
	}
	if len(r.Rows) == 0 {
		c.para(l.vi("Chưa có tệp nào bị từ chối.", "No file has been refused."))
		return
	}
	c.add(r)
}

func (c *composer) annex() {
	l, d := c.l, c.d
	c.startAnnex("phu-luc", "DANH SÁCH NGƯỜI ĐỦ ĐIỀU KIỆN ĐỀ NGHỊ CÔNG NHẬN DANH HIỆU CÔNG DÂN HỌC TẬP", "PEOPLE ELIGIBLE FOR THE LEARNING-CITIZEN TITLE")
	c.doc.Annexes[len(c.doc.Annexes)-1].Landscape = true // twelve columns: names unbroken
	c.para(l.t("Người có tổng điểm từ %s trở lên và không chỉ số nào dưới %s, theo lần đánh giá được tính đến cuối tháng %s. "+
		"Cột “Căn cứ điểm” cho biết điểm đã được thẩm định hay mới là điểm tự đánh giá; người mới có điểm tự đánh giá cần được thẩm định trước khi đề nghị công nhận. "+
		"Cột “Số QĐ công nhận” ghi quyết định đã công nhận người đó, nếu có.",
		"People with a total of %s or more and no indicator below %s, by the assessment that counts at the end of %s. "+
			"“Scores” says whether they were reviewed (thẩm định) or are self-assessed only; self-assessed scores need a review before a proposal for recognition. "+
			"“Decision” names the decision that recognised the person, if any.",
		l.num(d.Programme.PassTotal, 1), l.num(d.Programme.MinPerIndicator, 1), l.month(d.Month)))
	t := &doc.Table{ID: l.vi("Phụ lục", "Annex"), Title: l.vi("Danh sách theo xã, phường", "By ward"),
		Columns: []doc.Column{
			col(l.vi("STT", "No."), doc.Right, 4, "0"),
			col(l.vi("Họ và tên", "Name"), doc.Left, 18, ""),
			col(l.vi("Mã", "Code"), doc.Left, 8, ""),
			col(l.vi("Xã, phường", "Ward"), doc.Left, 12, ""),
			col(l.vi("Nhóm", "Group"), doc.Center, 5, "0"),
			col(l.vi("Giới tính", "Gender"), doc.Center, 6, ""),
			col(l.vi("Năm sinh", "Born"), doc.Center, 6, "0"),
			col(l.vi("Tổng điểm", "Total"), doc.Right, 7, "0.0"),
			col(l.vi("Điểm thấp nhất", "Lowest"), doc.Right, 7, "0.0"),
			col(l.vi("Ngày đánh giá", "Assessed on"), doc.Center, 11, fmtDate),
			col(l.vi("Căn cứ điểm", "Scores"), doc.Left, 10, ""),
			col(l.vi("Số QĐ công nhận", "Decision"), doc.Left, 11, ""),
		},
		Note: l.t("Nhóm: %s.", "Groups: %s.", c.groupLegend())}
	row := func(i int, h Holder) []doc.Cell {
		born := doc.Cell{Text: ""}
		if h.BirthYear != nil {
			born = doc.Cell{Text: strconv.FormatInt(*h.BirthYear, 10), Value: *h.BirthYear}
		}
		gender := h.Gender
		if l.lang == "en" {
			gender = map[string]string{"Nam": "M", "Nữ": "F"}[h.Gender]
		}
		return []doc.Cell{c.n(int64(i + 1)), c.txt(h.Name), c.txt(h.ID), c.txt(l.wardName(d, h.Ward)), c.n(h.Group), c.txt(gender), born,
			c.f(h.Total, 1), c.f(h.Min, 1), c.dt(h.AssessedOn), c.txt(pick(h.Reviewed, l.vi("Thẩm định", "Reviewed"), l.vi("Tự đánh giá", "Self-assessed"))),
			c.txt(h.Decision)}
	}
	limit := c.cfg.Report.AnnexLimit
	for i, h := range d.Annex {
		if limit > 0 && i == limit {
			break
		}
		t.Rows = append(t.Rows, row(i, h))
	}
	count := max(d.AnnexCount, int64(len(d.Annex)))
	if limit > 0 && count > int64(limit) {
		t.Limit = limit
		t.LimitNote = l.t("Báo cáo này liệt kê %s trong %s người; danh sách đầy đủ ở bảng “%s” của tệp XLSX kèm theo.",
			"This report lists %s of %s people; the full list is in the “%s” sheet of the accompanying XLSX.", l.int(int64(limit)), l.int(count), t.ID)
		t.All = allRows(d.Annex, d.annexAll, row)
	}
	if len(t.Rows) == 0 {
		c.para(l.vi("Chưa có người đủ điều kiện đề nghị công nhận.", "Nobody is eligible yet."))
		return
	}
	c.add(t)
}

func (c *composer) closing() {
	l, r := c.l, c.cfg.Report
	recipients := r.Recipients
	if l.lang == "en" && len(r.RecipientsEN) == len(r.Recipients) {
		recipients = r.RecipientsEN
	}
	c.doc.Closing = doc.Closing{
		RecipientsLabel: l.vi("Nơi nhận:", "To:"),
		Recipients:      recipientLines(recipients),
		SignerRole:      l.vi(r.Signer.Role, r.Signer.RoleEN),
		SignerTitle:     l.vi(r.Signer.Title, r.Signer.TitleEN),
		SignerName:      r.Signer.Name,
	}
}

// memberShareInForce says whether the document asking for the share of a
// unit's members holding the title was issued by the end of the month.
func (c *composer) memberShareInForce() bool {
	d := c.cfg.UnitScheme.MemberTitleShareDate
	t, err := time.Parse("2006-01", c.d.Month)
	return d.IsZero() || err != nil || !d.After(t.AddDate(0, 1, -1))
}

// memberShareSource names that document, marked a reference when the month
// is before it.
func (c *composer) memberShareSource() string {
	s := c.cfg.UnitScheme.MemberTitleShareSource
	if !c.memberShareInForce() {
		s += c.l.t(", ban hành ngày %s, sau kỳ báo cáo: chỉ để tham khảo", ", issued %s, after the reported month: for reference only",
			c.l.date(c.cfg.UnitScheme.MemberTitleShareDate.Time))
	}
	return s
}

// closeAnnex is the annex of the people close to the title, by ward: those
// not yet eligible whose total reaches the pass total though an indicator is
// below the minimum, and those with every indicator at the minimum whose
// total lacks at most report.close_within points; each with what they lack
// and their latest assessment. The PDF and HTML list at most
// report.annex_limit of them, the XLSX all.
func (c *composer) closeAnnex() {
	l, d := c.l, c.d
	if len(d.Close) == 0 {
		return
	}
	c.startAnnex("gan-dat", "DANH SÁCH NGƯỜI GẦN ĐẠT DANH HIỆU CÔNG DÂN HỌC TẬP", "PEOPLE CLOSE TO THE LEARNING-CITIZEN TITLE")
	pass, minS := l.num(d.Programme.PassTotal, 1), l.num(d.Programme.MinPerIndicator, 1)
	c.para(l.t("Người chưa đủ điều kiện đề nghị công nhận đến cuối tháng %s, theo lần đánh giá được tính: có tổng điểm từ %s trở lên nhưng còn chỉ số dưới %s điểm, "+
		"hoặc không chỉ số nào dưới %s điểm và tổng điểm chỉ còn thiếu không quá %s điểm. Cột “Còn thiếu” ghi các chỉ số dưới %s điểm (với điểm hiện có) và số điểm tổng còn thiếu.",
		"People not yet eligible for recognition at the end of %s, by the assessment that counts: a total of %s or more but an indicator below %s, "+
			"or no indicator below %s and a total at most %s points short. “Lacking” names the indicators below %s (with the score) and the points the total lacks.",
		l.month(d.Month), pass, minS, minS, l.num(c.closeWithin(), 1), minS))
	c.doc.Annexes[len(c.doc.Annexes)-1].Landscape = true // its "lacking" column needs the width
	t := &doc.Table{ID: l.vi("Gần đạt", "Close to the title"), Title: l.vi("Danh sách theo xã, phường", "By ward"),
		Columns: []doc.Column{
			col(l.vi("STT", "No."), doc.Right, 4, "0"),
			col(l.vi("Họ và tên", "Name"), doc.Left, 17, ""),
			col(l.vi("Mã", "Code"), doc.Left, 8, ""),
			col(l.vi("Xã, phường", "Ward"), doc.Left, 14, ""),
			col(l.vi("Nhóm", "Group"), doc.Center, 5, "0"),
			col(l.vi("Tổng điểm", "Total"), doc.Right, 7, "0.0"),
			col(l.vi("Còn thiếu", "Lacking"), doc.Left, 34, ""),
			col(l.vi("Đợt đánh giá", "Round"), doc.Left, 12, ""),
			col(l.vi("Ngày đánh giá", "Assessed on"), doc.Center, 11, fmtDate),
			col(l.vi("Căn cứ điểm", "Scores"), doc.Left, 12, ""),
		},
		Note: l.t("Nhóm: %s.", "Groups: %s.", c.groupLegend())}
	row := func(i int, n Near) []doc.Cell {
		return []doc.Cell{c.n(int64(i + 1)), c.txt(n.Name), c.txt(n.ID), c.txt(l.wardName(d, n.Ward)), c.n(n.Group), c.f(n.Total, 1),
			c.txt(c.lacking(n)), c.txt(l.vi(n.RoundName, n.RoundNameEn)), c.dt(n.AssessedOn),
			c.txt(pick(n.Reviewed, l.vi("Thẩm định", "Reviewed"), l.vi("Tự đánh giá", "Self-assessed")))}
	}
	limit := c.cfg.Report.AnnexLimit
	for i, n := range d.Close {
		if limit > 0 && i == limit {
			break
		}
		t.Rows = append(t.Rows, row(i, n))
	}
	count := max(d.CloseCount, int64(len(d.Close)))
	if limit > 0 && count > int64(limit) {
		t.Limit = limit
		t.LimitNote = l.t("Báo cáo này liệt kê %s trong %s người; danh sách đầy đủ ở bảng “%s” của tệp XLSX kèm theo.",
			"This report lists %s of %s people; the full list is in the “%s” sheet of the accompanying XLSX.", l.int(int64(limit)), l.int(count), t.ID)
		t.All = allRows(d.Close, d.closeAll, row)
	}
	c.add(t)
}

// allRows is a capped table's every row, for the XLSX: read from the
// snapshot as it is written (all), or from first when it holds them all.
func allRows[T any](first []T, all func(yield func(T) error) error, row func(int, T) []doc.Cell) func(yield func([]doc.Cell) error) error {
	if all == nil {
		all = func(yield func(T) error) error {
			for _, v := range first {
				if err := yield(v); err != nil {
					return err
				}
			}
			return nil
		}
	}
	return func(yield func([]doc.Cell) error) error {
		i := 0
		return all(func(v T) error {
			i++
			return yield(row(i-1, v))
		})
	}
}

// closeWithin is how many points short of the pass total a person with no
// indicator below the minimum is still close to the title.
func (c *composer) closeWithin() float64 {
	if w := c.cfg.Report.CloseWithin; w > 0 {
		return w
	}
	return c.d.Programme.IndicatorMax
}

// lacking says what a person close to the title lacks: "chỉ số 6 – Sử dụng
// ngoại ngữ (4,5 điểm); tổng còn thiếu 2,5 điểm".
func (c *composer) lacking(n Near) string {
	l := c.l
	var parts []string
	for _, b := range n.Below {
		parts = append(parts, l.t("chỉ số %d – %s (%s điểm)", "indicator %d – %s (%s points)", b.Indicator, c.indicatorName(int(b.Indicator)), l.fixed(b.Score, 1)))
	}
	if n.PointsShort > 0 {
		parts = append(parts, l.t("tổng điểm còn thiếu %s điểm", "the total %s points short", l.num(n.PointsShort, 1)))
	}
	return strings.Join(parts, "; ")
}

// indicatorName is the name of indicator n of the learning-citizen framework.
func (c *composer) indicatorName(n int) string { return indicatorName(c.l, c.cfg, n) }

// indicatorName is the name of indicator n of cfg's learning-citizen
// framework in l's language; its number when it has none.
func indicatorName(l *locale, cfg *config.Config, n int) string {
	for _, ind := range cfg.Citizen.Indicators {
		if ind.Number == n {
			return l.vi(ind.Name, ind.NameEN)
		}
	}
	return strconv.Itoa(n)
}

// standing is the 100% stacked bar of each ward's registrants by where they
// stand: eligible, the total reached but an indicator below the minimum,
// short otherwise, not assessed yet (when anyone is); the pilot's wards
// together last. A ward of fewer than report.min_group_for_rate registrants
// shows its count, k/n, without a bar.
func (c *composer) standing() {
	l, d := c.l, c.d
	if len(d.Standing) == 0 {
		return
	}
	minGroup := c.cfg.Report.MinGroupForRate
	minS, pass := l.num(d.Programme.MinPerIndicator, 1), l.num(d.Programme.PassTotal, 1)
	names := []string{l.vi("Đủ điều kiện", "Eligible"), l.t("Từ %s điểm nhưng có chỉ số dưới %s", "%s or more, an indicator below %s", pass, minS),
		l.t("Chưa đạt (dưới %s điểm)", "Short (below %s)", pass), l.vi("Chưa đánh giá", "Not assessed")}
	series := make([]chart.Series, 4)
	for i := range series {
		series[i].Name = names[i]
	}
	var cats, notes []string
	var sum Standing
	unassessed := false
	add := func(name string, s Standing) {
		cats = append(cats, name)
		for i, v := range []int64{s.Eligible, s.TotalReached, s.Short, s.NotAssessed} {
			series[i].Values = append(series[i].Values, float64(v))
		}
		switch {
		case s.Registered == 0:
			notes = append(notes, l.vi("chưa có người đăng ký", "nobody registered"))
		case s.Registered < int64(minGroup):
			notes = append(notes, l.t("%s/%s người đủ điều kiện", "%s of %s eligible", l.int(s.Eligible), l.int(s.Registered)))
		default:
			notes = append(notes, "")
		}
		unassessed = unassessed || s.NotAssessed > 0
	}
	for _, s := range d.Standing {
		add(l.wardName(d, s.Ward), s)
		sum.Registered, sum.Eligible, sum.TotalReached = sum.Registered+s.Registered, sum.Eligible+s.Eligible, sum.TotalReached+s.TotalReached
		sum.Short, sum.NotAssessed = sum.Short+s.Short, sum.NotAssessed+s.NotAssessed
	}
	if len(d.Standing) > 1 {
		add(l.t("Cộng %s", "Total, %s", c.wardsScope()), sum)
	}
	if sum.Registered > 0 && sum.NotAssessed == sum.Registered { // a bar of "not assessed" each: a sentence says it
		c.para(l.t("Đến cuối tháng %s chưa có người đăng ký nào được đánh giá nên chưa chia được theo kết quả đánh giá.",
			"By the end of %s none of the registrants had been assessed, so there is no split by where they stand yet.", l.month(d.Month)))
		return
	}
	if !unassessed {
		series = series[:3]
	}
	c.chart("ket-qua-xa", l.vi("Người đăng ký theo kết quả đánh giá, theo xã, phường", "Registrants by where they stand, by ward"),
		l.t("Mỗi thanh là toàn bộ người đăng ký của xã, phường (100%%), chia theo kết quả đến cuối tháng %s; số trong thanh là số người. "+
			"Xã, phường dưới %d người đăng ký: không vẽ thanh, ghi số đủ điều kiện/số đăng ký.",
			"Each bar is all of the ward's registrants (100%%), split by where they stood at the end of %s; the numbers are people. "+
				"A ward of fewer than %d registrants: no bar, the count eligible/registered.", l.month(d.Month), minGroup),
		&chart.Stack{Categories: cats, Series: series, Notes: notes, Label: func(v float64) string { return l.num(v, 0) }, Axis: func(v float64) string { return l.pct(v) }},
		float64(60+30*len(cats)))
}
