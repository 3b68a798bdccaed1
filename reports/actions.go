package reports

import (
	"time"

	"github.com/hoctap/hoctap/config"
	"github.com/hoctap/hoctap/reports/doc"
)

// actions is the "Tồn tại, hạn chế và đề xuất" section: what the committee
// can act on — the people one indicator short, named with the indicator;
// the indicator that holds each target group back most, with the class that
// would help; the wards that owe submissions and the day to send them by;
// and, in the programme's last month, the survey rounds compared and the
// people eligible whom no decision recognises yet.
func (c *composer) actions() {
	l, d, cfg := c.l, c.d, c.cfg
	c.h1("de-xuat", "X. TỒN TẠI, HẠN CHẾ VÀ ĐỀ XUẤT", "X. SHORTCOMINGS AND PROPOSALS")

	if len(d.Short) > 0 {
		c.para(l.t("%s người có tổng điểm từ %s trở lên nhưng còn một chỉ số dưới %s điểm; chỉ cần cải thiện chỉ số đó là đủ điều kiện đề nghị công nhận:",
			"%s people have a total of %s or more but one indicator below %s; improving that one would make them eligible:",
			l.int(int64(len(d.Short))), l.num(d.Programme.PassTotal, 1), l.num(d.Programme.MinPerIndicator, 1)))
		t := &doc.Table{ID: l.vi("Thiếu một chỉ số", "One short"), Title: l.vi("Bảng 1. Người còn thiếu một chỉ số", "Table 1. People one indicator short"),
			Columns: []doc.Column{
				col(l.vi("Họ và tên", "Name"), doc.Left, 22, ""),
				col(l.vi("Mã", "Code"), doc.Left, 10, ""),
				col(l.vi("Xã, phường", "Ward"), doc.Left, 15, ""),
				col(l.vi("Tổng điểm", "Total"), doc.Right, 9, "0.0"),
				col(l.vi("Chỉ số còn thiếu", "Indicator short"), doc.Left, 34, ""),
				col(l.vi("Điểm", "Score"), doc.Right, 8, "0.0"),
			}}
		for _, s := range d.Short {
			t.Rows = append(t.Rows, []doc.Cell{c.txt(s.Name), c.txt(s.ID), c.txt(l.wardName(d, s.Ward)), c.f(s.Total, 1),
				c.txt(l.t("%d. %s", "%d. %s", s.Indicator, l.vi(s.IndName, s.IndNameEn))), c.f(s.Score, 1)})
		}
		c.add(t)
	}
	if len(d.Close) > 0 {
		c.para(l.t("Danh sách %s người gần đạt danh hiệu, theo xã, phường, với chỉ số và số điểm còn thiếu của từng người, ở Phụ lục II.",
			"The %s people close to the title, by ward, with the indicators and points each lacks, are listed in Annex II.", l.int(max(d.CloseCount, int64(len(d.Close))))))
	}

	// The indicator holding each group back most, and the class proposed.
	var held []string
	for _, g := range d.Groups {
		var worst *IndicatorStat
		for i, s := range d.Indicators {
			if s.Group == g.ID && s.BelowMin > 0 && (worst == nil || s.BelowMin > worst.BelowMin) {
				worst = &d.Indicators[i]
			}
		}
		if worst == nil {
			continue
		}
		name := ""
		for _, s := range d.Indicators {
			if s.Group == 0 && s.Indicator == worst.Indicator {
				name = l.vi(s.Name, s.NameEn)
			}
		}
		held = append(held, l.t("Nhóm %s: chỉ số %d (%s) có %s trong số %s người được đánh giá dưới %s điểm; đề xuất %s.",
			"%s: indicator %d (%s) holds back %s of the %s people assessed (below %s); proposed: %s.",
			l.groupName(d, g.ID), worst.Indicator, name, l.int(worst.BelowMin), l.int(worst.People), l.num(d.Programme.MinPerIndicator, 1),
			c.class(int(worst.Indicator), name)))
	}
	if len(held) > 0 {
		c.para(l.vi("Các chỉ số còn hạn chế nhất theo nhóm đối tượng:", "The indicators holding each target group back most:"))
		for _, s := range held {
			c.add(&doc.Paragraph{Text: s, Bullet: true})
		}
	}

	// What the wards owe, and the day to send it by: the next report's deadline.
	if len(d.Owed) > 0 {
		month, _ := config.ParseMonth(d.Month)
		by := cfg.DataCutoff(month.Next()).Add(-time.Nanosecond).In(cfg.Location)
		c.para(l.t("Các xã, phường cần gửi (hoặc gửi lại) trước hết ngày %s để kịp đưa vào báo cáo tháng %s:",
			"The wards should send (or send again) by the end of %s to be counted in the report for %s:", l.date(by), l.month(month.Next().String())))
		for _, o := range d.Owed {
			what := l.named(datasetNames, o.Dataset)
			if o.Round != "" {
				what += l.t(", đợt %s", ", %s round", c.roundName(o.Round))
			}
			if o.Period != "" {
				what += l.t(" tháng %s", " of %s", l.month(o.Period))
			}
			s := l.t("%s: %s (hạn %s)", "%s: %s (due %s)", l.wardFull(d, o.Ward), what, l.date(o.Due))
			if len(o.Refused) > 0 {
				f := o.Refused[len(o.Refused)-1]
				s += l.t(" — tệp “%s” gửi ngày %s bị trả lại vì %s lỗi, biên nhận ghi rõ từng lỗi", " — the file “%s” sent on %s was refused for %s problems, each listed in its receipt",
					f.Name, l.date(f.SentOn), l.int(f.Problems))
			}
			c.add(&doc.Paragraph{Text: s + ".", Bullet: true})
		}
	}

	if d.Month == cfg.Programme.End.Month().String() {
		c.finalRound()
	}
	if len(d.Short) == 0 && len(held) == 0 && len(d.Owed) == 0 && d.Month != cfg.Programme.End.Month().String() {
		c.para(l.vi("Chưa có tồn tại, hạn chế nào từ số liệu của tháng.", "The month's data show no shortcoming."))
	}
}

// finalRound compares the survey rounds and proposes recognition for the
// people eligible whom no decision names yet: the programme's last month.
func (c *composer) finalRound() {
	l, d := c.l, c.d
	if len(d.Rounds) > 0 {
		t := &doc.Table{ID: l.vi("Các đợt", "Rounds"), Title: l.vi("Bảng 1. Kết quả qua các đợt khảo sát", "Table 1. Results over the survey rounds"),
			Columns: []doc.Column{
				col(l.vi("Đợt", "Round"), doc.Left, 30, ""),
				col(l.vi("Số người được đánh giá", "Assessed"), doc.Right, 18, fmtInt),
				col(l.vi("Đủ điều kiện", "Eligible"), doc.Right, 16, fmtInt),
				col(l.vi("Tỷ lệ đủ điều kiện", "Share eligible"), doc.Right, 18, fmtPct),
				col(l.vi("Điểm trung bình", "Mean total"), doc.Right, 18, "0.0"),
			},
			Note: l.vi("Mỗi đợt tính những người đăng ký có kết quả đánh giá đầy đủ của đợt đó.", "Each round counts the registrants with a complete assessment of it.")}
		for _, r := range d.Rounds {
			t.Rows = append(t.Rows, []doc.Cell{c.txt(l.vi(r.Name, r.NameEn)), c.n(r.Assessed), c.n(r.Eligible), c.p(share(r.Eligible, r.Assessed)), c.f(r.Mean, 1)})
		}
		c.para(l.vi("Kết thúc thí điểm, kết quả qua các đợt khảo sát như sau:", "At the end of the pilot, the survey rounds compare as follows:"))
		c.add(t)
	}
	var pending []string
	for _, h := range d.Annex {
		if h.Decision == "" {
			pending = append(pending, l.t("%s (%s)", "%s (%s)", h.Name, l.wardName(d, h.Ward)))
		}
	}
	issuer := l.vi(c.cfg.Recognition.Issuer, c.cfg.Recognition.IssuerEN)
	cur, _ := d.progress(d.Month, "city", "", 0)
	switch {
	case len(pending) > 0:
		c.para(l.t("Đề nghị %s xem xét, công nhận danh hiệu Công dân học tập cho %s người đủ điều kiện chưa có quyết định công nhận: %s.",
			"Proposed to %s: recognise the %s eligible people no decision names yet: %s.", issuer, l.int(int64(len(pending))), l.and(pending)))
	case cur.Eligible > 0:
		c.para(l.t("Cả %s người đủ điều kiện đều đã được công nhận theo quyết định.", "All %s eligible people are recognised by decisions.", l.int(cur.Eligible)))
	}
	var units []string
	for _, u := range d.Units {
		if u.Eligible && !u.Recognised {
			units = append(units, u.Name)
		}
	}
	if len(units) > 0 {
		c.para(l.t("Đề nghị %s xem xét, công nhận Đơn vị học tập cho: %s.", "Proposed to %s: recognise as learning units %s.", issuer, l.and(units)))
	}
}

// class is what the report proposes for people held back on indicator n.
func (c *composer) class(n int, name string) string {
	for _, ind := range c.cfg.Citizen.Indicators {
		if ind.Number == n {
			if s := c.l.vi(ind.Class, ind.ClassEN); s != "" {
				return s
			}
		}
	}
	return c.l.t("tổ chức bồi dưỡng về %s", "training in %s", name)
}

// roundName is a survey round's name.
func (c *composer) roundName(code string) string {
	for _, r := range c.cfg.Rounds {
		if r.Code == code {
			return c.l.vi(r.Name, r.NameEN)
		}
	}
	return code
}
