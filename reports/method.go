package reports

import (
	"strings"

	"github.com/hoctap/hoctap/config"
	"github.com/hoctap/hoctap/reports/doc"
)

// method is the "Ghi chú phương pháp" section: every rule and assumption of
// pipeline.yaml that the report's numbers rest on, in words, so that a reader
// can tell a fact from a setting.
func (c *composer) method() {
	l, cfg := c.l, c.cfg
	c.h1("phuong-phap", "XI. GHI CHÚ PHƯƠNG PHÁP", "XI. METHODOLOGY NOTES")
	fw, us := cfg.Citizen, cfg.UnitScheme
	var out []string
	out = append(out, l.t("Số liệu: báo cáo tháng tính các tệp nhận được đến hết ngày %d của tháng sau (hạn chốt số liệu); ngày nhận một tệp là ngày tệp đến hộp thư, hoặc ngày lưu của chính tệp nếu sớm hơn. Tệp nhận sau hạn làm phát sinh phiên bản mới của báo cáo.",
		"Data: a month's report counts the files received by the end of day %d of the next month (the reporting deadline); a file's received day is when it reached the inbox, or its own saved date when earlier. A file received later makes a new version of the report.",
		cfg.Report.DataDeadlineDay))
	out = append(out, l.t("Tiêu chí Công dân học tập: %s. Đủ điều kiện khi tổng điểm từ %s trở lên và không chỉ số nào dưới %s điểm (cả hai ngưỡng đều tính bằng).",
		"Learning-citizen criteria: %s. Eligible with a total of %s or more and no indicator below %s (both bounds inclusive).",
		l.vi(fw.Source, fw.SourceEN), l.num(fw.PassTotal, 1), l.num(fw.MinPerIndicator, 1)))
	out = append(out, l.t("Người gần đạt danh hiệu (phụ lục): chưa đủ điều kiện, theo lần đánh giá được tính, và hoặc có tổng điểm từ %s trở lên nhưng còn chỉ số dưới %s điểm, hoặc không chỉ số nào dưới %s điểm và tổng điểm còn thiếu không quá %s điểm (report.close_within).",
		"Close to the title (the annex): not yet eligible by the assessment that counts, and either a total of %s or more with an indicator below %s, or no indicator below %s and a total at most %s points short (report.close_within).",
		l.num(fw.PassTotal, 1), l.num(fw.MinPerIndicator, 1), l.num(fw.MinPerIndicator, 1), l.num(c.closeWithin(), 1)))
	basis := map[string][2]string{
		config.BasisSelf:              {"điểm tự đánh giá", "the self-assessed scores"},
		config.BasisReviewed:          {"điểm thẩm định (người chưa được thẩm định chưa có kết quả)", "the reviewed scores (people not reviewed have no result)"},
		config.BasisReviewedIfPresent: {"điểm thẩm định khi đã thẩm định, nếu chưa thì điểm tự đánh giá", "the reviewed scores where a review exists, else the self-assessed ones"},
	}
	out = append(out, l.t("Điểm được tính: %s. Bảng phụ lục ghi rõ căn cứ điểm của từng người.", "Scores that count: %s. The annex says which for each person.",
		l.named(basis, fw.ScoreBasis)))
	out = append(out, l.t("Đủ điều kiện chưa phải là được công nhận: chỉ người, đơn vị có tên trong quyết định công nhận (do %s ban hành) mới được tính là đã công nhận.",
		"Eligible is not recognised: only people and units named in a decision of recognition (issued by %s) count as recognised.",
		l.vi(cfg.Recognition.Issuer, cfg.Recognition.IssuerEN)))
	if fw.DigitalIndicator > 0 {
		name := ""
		for _, ind := range fw.Indicators {
			if ind.Number == fw.DigitalIndicator {
				name = l.vi(ind.Name, ind.NameEN)
			}
		}
		out = append(out, l.t("Giả định: “có kỹ năng số đáp ứng công việc” là đạt từ %s điểm ở chỉ số %d (%s); chưa có ngưỡng chính thức.",
			"Assumption: “digital skills the job needs” means %s or more on indicator %d (%s); no official threshold is known.",
			l.num(fw.DigitalMin, 1), fw.DigitalIndicator, name))
	}
	var grades []string
	from := ""
	for _, g := range us.Grades {
		grades = append(grades, l.t("%s từ %s", "%s from %s", l.vi(g.Name, g.NameEN), l.num(g.Min, 1)))
		if g.Code == us.RecognisedFrom {
			from = l.vi(g.Name, g.NameEN)
		}
	}
	out = append(out, l.t("Đơn vị học tập: chấm điểm theo %s (%s). Giả định: đơn vị xếp loại %s trở lên là đủ điều kiện đề nghị công nhận.",
		"Learning units: scored under %s (%s). Assumption: a unit graded %s or better is eligible for recognition.",
		us.Source, strings.Join(grades, "; "), from))
	if f := cfg.Recognition.UnitAssessedFrom; !f.IsZero() {
		out = append(out, l.t("Chỉ kết quả tự đánh giá của đơn vị từ ngày %s (đợt xét công nhận) mới được dùng để xét đủ điều kiện; kết quả trước đó là khảo sát đầu kỳ.",
			"Only a unit's self-assessment from %s on (the round that counts) decides whether it is eligible; earlier ones are the baseline.", l.date(f.Time)))
	}
	if us.MemberTitleShare > 0 {
		out = append(out, l.t("Tỷ lệ thành viên đơn vị được công nhận Công dân học tập được so với mức %s (%s).",
			"The share of a unit's members recognised is compared with %s (%s).", l.pct(us.MemberTitleShare), c.memberShareSource()))
	}
	var pops []string
	for _, w := range cfg.Wards {
		pops = append(pops, l.t("%s %s người (năm %d, %s)", "%s %s (%d, %s)", l.vi(strings.TrimSpace(w.Kind+" "+w.Name), w.NameEN),
			l.int(int64(w.Population.Adults)), w.Population.Year, l.vi(w.Population.Source, w.Population.SourceEN)))
	}
	out = append(out, l.t("Dân số từ 15 tuổi trở lên dùng làm mẫu số tỷ lệ theo dân số: %s.", "Population aged 15 and over, the denominator of rates of population: %s.",
		strings.Join(pops, "; ")))
	out = append(out, l.t("Dự báo đến hạn: tiếp nối xu hướng %d tháng gần nhất, chỉ khi có số liệu thực tế của ít nhất 3 tháng, và không vượt ra ngoài 0–100%%; nếu không: “chưa đủ số liệu”.",
		"Projection to the deadline: the last %d months' trend continued, only from actual values of at least 3 months, and never outside 0–100%%; otherwise “too few data”.",
		cfg.GoalStatus.TrendMonths))
	out = append(out, l.t("Đánh giá tiến độ mục tiêu, không bao giờ trái với dự báo: “đã đạt” khi số thực tế đạt chỉ tiêu; “đúng tiến độ” khi số thực tế đạt lộ trình của tháng và dự báo (nếu có) không thấp hơn chỉ tiêu; "+
		"“chậm tiến độ” khi số thực tế thấp hơn lộ trình quá %s giá trị lộ trình và dự báo (nếu có) cũng không đạt chỉ tiêu; còn lại là “có nguy cơ chậm” (thấp hơn lộ trình không quá mức đó, hoặc đạt lộ trình nhưng dự báo không đạt chỉ tiêu, hoặc chậm so với lộ trình nhưng dự báo vẫn đạt chỉ tiêu). "+
		"Một mục tiêu chỉ được đánh giá từ tháng văn bản đặt ra nó đã ban hành; trước đó chỉ để tham khảo. Tỷ lệ của mỗi mục tiêu ghi rõ phạm vi mẫu số.",
		"Goal status, never at odds with the projection: “achieved” when the actual reaches the target; “on track” when it reaches the month's path and the projection, if any, is not below the target; "+
			"“behind” when it is below the path by more than %s of the path's value and the projection, if any, does not reach the target either; otherwise “at risk” (below the path by at most that, or on the path with a projection short of the target, or behind the path with a projection that reaches it). "+
			"A goal is assessed only from the month its document was issued; before, it is for reference only. Each goal's rate names the scope of its denominator.",
		l.pct(cfg.GoalStatus.AtRiskMargin)))
	for _, s := range out {
		c.add(&doc.Paragraph{Text: s, Bullet: true})
	}
}
