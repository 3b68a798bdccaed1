package reports

import (
	"sort"
	"strings"

	"github.com/hoctap/hoctap/reports/doc"
)

// narrative says in sentences, with numbers, what changed since last month
// and what stands out: it is computed from the data, one sentence a fact.
func (c *composer) narrative() {
	l, d := c.l, c.d
	c.h1("dien-bien", "II. DIỄN BIẾN TRONG THÁNG", "II. WHAT CHANGED THIS MONTH")
	var out []string
	cur, _ := d.progress(d.Month, "city", "", 0)
	prev, hasPrev := d.progress(d.Prev, "city", "", 0)

	// People.
	if hasPrev {
		dr, dn := cur.Registered-prev.Registered, cur.Eligible-prev.Eligible
		since := l.month(d.Prev)
		switch {
		case dn > 0:
			out = append(out, l.t("So với tháng %s, số người đủ điều kiện đề nghị công nhận danh hiệu Công dân học tập tăng %s người, từ %s lên %s (%s số người đăng ký).",
				"Since %s, the people eligible for the learning-citizen title rose by %s, from %s to %s (%s of registrants).",
				since, l.int(dn), l.int(prev.Eligible), l.int(cur.Eligible), l.pct(cur.EligibleRate)))
		case dn < 0:
			out = append(out, l.t("So với tháng %s, số người đủ điều kiện đề nghị công nhận danh hiệu Công dân học tập giảm %s người, từ %s xuống %s (%s số người đăng ký), do một số người được đánh giá lại với điểm thấp hơn.",
				"Since %s, the people eligible for the learning-citizen title fell by %s, from %s to %s (%s of registrants): some were reassessed with lower scores.",
				since, l.int(-dn), l.int(prev.Eligible), l.int(cur.Eligible), l.pct(cur.EligibleRate)))
		default:
			out = append(out, l.t("Số người đủ điều kiện đề nghị công nhận danh hiệu Công dân học tập không đổi so với tháng %s: %s người (%s số người đăng ký).",
				"The people eligible for the learning-citizen title are unchanged since %s: %s (%s of registrants).",
				since, l.int(cur.Eligible), l.pct(cur.EligibleRate)))
		}
		if dr != 0 {
			out = append(out, l.t("Số người đăng ký phấn đấu %s người, nay là %s người.", "Registrations %s, now %s people.",
				pick(dr > 0, l.t("tăng %s", "up %s", l.int(dr)), l.t("giảm %s", "down %s", l.int(-dr))), l.int(cur.Registered)))
		}
		if da := cur.Assessed - prev.Assessed; da > 0 {
			out = append(out, l.t("Thêm %s người được đánh giá; %s/%s người đăng ký đã có kết quả đánh giá.", "%s more people were assessed; %s of %s registrants have a result.",
				l.int(da), l.int(cur.Assessed), l.int(cur.Registered)))
		}
	} else {
		out = append(out, l.t("Tháng đầu thí điểm: %s người đăng ký phấn đấu danh hiệu Công dân học tập, %s người đã được đánh giá.",
			"First month of the pilot: %s people registered for the learning-citizen title, %s assessed.", l.int(cur.Registered), l.int(cur.Assessed)))
	}
	if cur.Eligible > 0 {
		self := cur.Eligible - cur.Reviewed
		switch {
		case self == 0:
			out = append(out, l.t("Điểm của cả %s người đủ điều kiện đã được thẩm định.", "The scores of all %s eligible people were reviewed (thẩm định).", l.int(cur.Eligible)))
		case cur.Reviewed == 0:
			out = append(out, l.t("Điểm của %s người đủ điều kiện mới là điểm tự đánh giá, chưa được thẩm định.",
				"The scores of the %s eligible people are self-assessed only, not yet reviewed.", l.int(cur.Eligible)))
		default:
			out = append(out, l.t("Trong số người đủ điều kiện, %s người có điểm đã được thẩm định, %s người mới có điểm tự đánh giá.",
				"Of the eligible, %s have reviewed scores and %s self-assessed scores only.", l.int(cur.Reviewed), l.int(self)))
		}
	}
	if cur.Recognised == 0 {
		out = append(out, l.t("Chưa có quyết định công nhận nên chưa có người nào được công nhận danh hiệu Công dân học tập; %s người đủ điều kiện đề nghị %s xem xét công nhận.",
			"No decision of recognition yet, so nobody holds the learning-citizen title; %s people are eligible for %s to consider.",
			l.int(cur.Eligible), l.vi(c.cfg.Recognition.Issuer, c.cfg.Recognition.IssuerEN)))
	} else {
		out = append(out, l.t("%s người đã được công nhận danh hiệu Công dân học tập theo quyết định (%s số người đăng ký).",
			"%s people hold the learning-citizen title by a decision of recognition (%s of registrants).", l.int(cur.Recognised), l.pct(cur.RateOfRegistered)))
	}

	// Wards: highest and lowest rate, ties named together.
	var wards []Progress
	for _, p := range d.Progress {
		if p.Month == d.Month && p.Level == "ward" && p.Registered > 0 {
			wards = append(wards, p)
		}
	}
	if len(wards) > 1 {
		sort.SliceStable(wards, func(i, j int) bool { return wards[i].EligibleRate > wards[j].EligibleRate })
		hi, lo := wards[0].EligibleRate, wards[len(wards)-1].EligibleRate
		if hi > lo {
			names := func(rate float64) string {
				var ns []string
				for _, w := range wards {
					if l.pct(w.EligibleRate) == l.pct(rate) {
						ns = append(ns, l.wardFull(d, w.Ward))
					}
				}
				if len(ns) == 1 {
					return l.t("%s (%s)", "%s (%s)", ns[0], l.pct(rate))
				}
				return l.t("%s, cùng %s", "%s, both %s", l.and(ns), l.pct(rate))
			}
			out = append(out, l.t("Tỷ lệ đủ điều kiện trên số đăng ký cao nhất ở %s, thấp nhất ở %s.", "The highest share eligible of registrants is in %s, the lowest in %s.",
				names(hi), names(lo)))
		}
	}

	// Not eligible although the total passes: held back by one indicator.
	var held int64
	for _, t := range d.Totals {
		if t.Total >= d.Programme.PassTotal {
			held += t.People
		}
	}
	held -= cur.Eligible
	if held > 0 {
		out = append(out, l.t("%s người có tổng điểm từ %s trở lên nhưng chưa đủ điều kiện vì có chỉ số dưới %s điểm (xem mục Tồn tại, hạn chế và đề xuất).",
			"%s people have a total of %s or more but are not eligible because an indicator is below %s (see the section on shortcomings and proposals).",
			l.int(held), l.num(d.Programme.PassTotal, 1), l.num(d.Programme.MinPerIndicator, 1)))
	}

	// The indicator that holds most people back.
	var worst *IndicatorStat
	for i, s := range d.Indicators {
		if s.Group == 0 && s.BelowMin > 0 && (worst == nil || s.ShareBelow > worst.ShareBelow) {
			worst = &d.Indicators[i]
		}
	}
	if worst != nil {
		out = append(out, l.t("Chỉ số %[1]d (%[2]s) có nhiều người dưới %[3]s điểm nhất: %[4]s người (%[5]s số người đã đánh giá); điểm trung bình %[6]s.",
			"Indicator %[1]d (%[2]s) holds most people back: %[4]s below %[3]s (%[5]s of those assessed); mean score %[6]s.",
			worst.Indicator, l.vi(worst.Name, worst.NameEn), l.num(d.Programme.MinPerIndicator, 1), l.int(worst.BelowMin), l.pct(worst.ShareBelow), l.fixed(worst.Mean, 1)))
	}

	// Goals.
	counts := map[string][]string{}
	n := 0
	for _, g := range d.Goals {
		if !g.InForce(d.Month) {
			continue
		}
		n++
		if m, ok := g.At(d.Month); ok {
			counts[m.Status] = append(counts[m.Status], l.vi(g.Name, g.NameEn))
		}
	}
	if n > 0 {
		var parts []string
		for _, st := range []string{"achieved", "on_track", "at_risk", "behind", "no_data"} {
			if k := len(counts[st]); k > 0 {
				parts = append(parts, l.int(int64(k))+" "+strings.ToLower(l.status(st)))
			}
		}
		out = append(out, l.t("Các mục tiêu đang áp dụng (%d): %s.", "Goals in force (%d): %s.", n, l.and(parts)))
		for _, st := range []string{"behind", "at_risk"} {
			var named []string
			for _, g := range d.Goals {
				m, ok := g.At(d.Month)
				if !g.InForce(d.Month) || !ok || m.Status != st || m.Actual == nil || m.Path == nil {
					continue
				}
				named = append(named, l.t("%s (thực tế %s, lộ trình %s)", "%s (actual %s, path %s)", l.vi(g.Name, g.NameEn),
					c.goalValue(g, m.Actual).Text, c.goalValue(g, m.Path).Text))
			}
			if len(named) > 0 {
				out = append(out, l.t("%s: %s.", "%s: %s.", l.status(st), strings.Join(named, "; ")))
			}
		}
	}

	// Milestones.
	var late, done []string
	for _, m := range d.Milestones {
		switch {
		case m.Status == "late":
			late = append(late, l.t("“%s” (hạn %s)", "“%s” (due %s)", l.vi(m.Name, m.NameEn), l.date(m.Due)))
		case m.Status == "done" && m.DoneMonth == d.Month:
			done = append(done, l.t("mốc “%s”", "“%s”", l.vi(m.Name, m.NameEn)))
		}
	}
	if len(done) > 0 {
		out = append(out, l.t("Trong tháng đã hoàn thành %s.", "Completed this month: %s.", l.and(done)))
	}
	if len(late) > 0 {
		out = append(out, l.t("Quá hạn mà chưa hoàn thành: %s.", "Overdue and not done: %s.", l.and(late)))
	}

	// Data.
	var missing []string
	var refused int64
	for _, q := range d.Quality {
		if q.Month == d.Month {
			if q.Missing+q.OverdueEarlier > 0 {
				missing = append(missing, l.t("%s (%s)", "%s (%s)", l.wardFull(d, q.Ward), l.int(q.Missing+q.OverdueEarlier)))
			}
			refused += q.FilesRefused
		}
	}
	if len(missing) > 0 {
		out = append(out, l.t("Chưa gửi đủ báo cáo đến hạn: %s.", "Submissions due still missing: %s.", l.and(missing)))
	} else {
		out = append(out, l.vi("Các xã, phường đã gửi đủ các báo cáo đến hạn.", "Every ward has sent the submissions due."))
	}
	if refused > 0 {
		out = append(out, l.t("%s tệp bị trả lại trong tháng vì có lỗi; biên nhận ghi rõ từng lỗi để xã, phường sửa (xem mục Tình hình gửi số liệu).",
			pick(refused == 1, "%s file was refused this month; its receipt lists every problem for the ward to fix (see the section on data completeness).",
				"%s files were refused this month; their receipts list every problem for the ward to fix (see the section on data completeness)."), l.int(refused)))
	}
	for _, s := range out {
		c.add(&doc.Paragraph{Text: s, Bullet: true})
	}
}
