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
		dr, dn := cur.Registered-prev.Registered, cur.Recognised-prev.Recognised
		switch {
		case dn > 0:
			out = append(out, l.t("Số người đạt tiêu chí Công dân học tập tăng %s người, từ %s lên %s (%s số người đăng ký).",
				"People meeting the title's criteria rose by %s, from %s to %s (%s of registrants).",
				l.int(dn), l.int(prev.Recognised), l.int(cur.Recognised), l.pct(cur.RateOfRegistered)))
		case dn < 0:
			out = append(out, l.t("Số người đạt tiêu chí Công dân học tập giảm %s người, từ %s xuống %s (%s số người đăng ký): một số người được đánh giá lại với điểm thấp hơn.",
				"People meeting the title's criteria fell by %s, from %s to %s (%s of registrants): some were reassessed with lower scores.",
				l.int(-dn), l.int(prev.Recognised), l.int(cur.Recognised), l.pct(cur.RateOfRegistered)))
		default:
			out = append(out, l.t("Số người đạt tiêu chí Công dân học tập không đổi: %s người (%s số người đăng ký).",
				"People meeting the title's criteria are unchanged at %s (%s of registrants).",
				l.int(cur.Recognised), l.pct(cur.RateOfRegistered)))
		}
		if dr != 0 {
			out = append(out, l.t("Số người đăng ký phấn đấu thay đổi %s, nay là %s người.", "Registrations changed by %s, now %s people.", l.signed(dr), l.int(cur.Registered)))
		}
		if da := cur.Assessed - prev.Assessed; da > 0 {
			out = append(out, l.t("Thêm %s người được đánh giá; %s/%s người đăng ký đã có kết quả đánh giá.", "%s more people were assessed; %s of %s registrants have a result.",
				l.int(da), l.int(cur.Assessed), l.int(cur.Registered)))
		}
	} else {
		out = append(out, l.t("Tháng đầu thí điểm: %s người đăng ký phấn đấu danh hiệu Công dân học tập, %s người đã được đánh giá.",
			"First month of the pilot: %s people registered for the learning-citizen title, %s assessed.", l.int(cur.Registered), l.int(cur.Assessed)))
	}

	// Wards: highest and lowest rate.
	var wards []Progress
	for _, p := range d.Progress {
		if p.Month == d.Month && p.Level == "ward" && p.Registered > 0 {
			wards = append(wards, p)
		}
	}
	if len(wards) > 1 {
		sort.SliceStable(wards, func(i, j int) bool { return wards[i].RateOfRegistered > wards[j].RateOfRegistered })
		hi, lo := wards[0], wards[len(wards)-1]
		if hi.RateOfRegistered > lo.RateOfRegistered {
			out = append(out, l.t("Tỷ lệ đạt cao nhất ở %s (%s số đăng ký), thấp nhất ở %s (%s).", "The highest rate is in %s (%s of registrants), the lowest in %s (%s).",
				l.wardFull(d, hi.Ward), l.pct(hi.RateOfRegistered), l.wardFull(d, lo.Ward), l.pct(lo.RateOfRegistered)))
		}
	}

	// Not meeting the title although the total passes: held back by one indicator.
	var held int64
	for _, t := range d.Totals {
		if t.Total >= d.Programme.PassTotal {
			held += t.People
		}
	}
	held -= cur.Recognised
	if held > 0 {
		out = append(out, l.t("%s người có tổng điểm từ %s trở lên nhưng chưa đạt vì có chỉ số dưới %s điểm.",
			"%s people have a total of %s or more but do not meet the title because an indicator is below %s.",
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
	for _, g := range d.Goals {
		if m, ok := g.At(d.Month); ok {
			counts[m.Status] = append(counts[m.Status], l.vi(g.Name, g.NameEn))
		}
	}
	if n := len(d.Goals); n > 0 {
		out = append(out, l.t("Mục tiêu: %d/%d đúng tiến độ, %d có nguy cơ chậm, %d chậm tiến độ.", "Goals: %d of %d on track, %d at risk, %d behind.",
			len(counts["on_track"]), n, len(counts["at_risk"]), len(counts["behind"])))
		if b := counts["behind"]; len(b) > 0 {
			out = append(out, l.t("Chậm tiến độ: %s.", "Behind: %s.", strings.Join(b, "; ")))
		}
	}

	// Milestones.
	var late, done []string
	for _, m := range d.Milestones {
		switch {
		case m.Status == "late":
			late = append(late, l.vi(m.Name, m.NameEn)+" ("+l.date(m.Due)+")")
		case m.Status == "done" && m.DoneMonth == d.Month:
			done = append(done, l.vi(m.Name, m.NameEn))
		}
	}
	if len(done) > 0 {
		out = append(out, l.t("Hoàn thành trong tháng: %s.", "Completed this month: %s.", strings.Join(done, "; ")))
	}
	if len(late) > 0 {
		out = append(out, l.t("Quá hạn: %s.", "Overdue: %s.", strings.Join(late, "; ")))
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
		out = append(out, l.t("Chưa gửi đủ báo cáo: %s.", "Submissions still missing: %s.", strings.Join(missing, ", ")))
	} else {
		out = append(out, l.vi("Các xã, phường đã gửi đủ các báo cáo đến hạn.", "Every ward has sent the submissions due."))
	}
	if refused > 0 {
		out = append(out, l.t("%s tệp bị từ chối trong tháng vì có lỗi; biên nhận liệt kê từng lỗi để đơn vị sửa (mục IX).",
			pick(refused == 1, "%s file was refused this month; its receipt lists every problem for the ward to fix (section IX).",
				"%s files were refused this month; their receipts list every problem for the ward to fix (section IX)."), l.int(refused)))
	}
	for _, s := range out {
		c.add(&doc.Paragraph{Text: s, Bullet: true})
	}
}
