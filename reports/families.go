package reports

import (
	"strings"

	"github.com/hoctap/hoctap/config"
	"github.com/hoctap/hoctap/reports/doc"
)

// families is the section "Gia đình học tập": households assessed, eligible
// and recognised by a decision, per ward, and the rate on ALL the commune's
// households that QĐ 387/QĐ-TTg's goal is about. Only once a household has
// been assessed: before, the report is as it was without the title.
func (c *composer) families() {
	l, d := c.l, c.d
	if len(d.Families) == 0 {
		return
	}
	f := d.Families[0]
	c.h1("gia-dinh", "VIII. "+strings.ToUpper(f.Name), "VIII. LEARNING FAMILIES ("+strings.ToUpper(f.Name)+")")
	rule := l.t("tổng điểm từ %s/%s", "a total of at least %s of %s", l.num(f.MinTotal, 1), l.num(f.MaxTotal, 1))
	if f.AllCriteria {
		rule += l.vi(" và mọi tiêu chí đạt ngưỡng của tiêu chí", " and every criterion at its threshold")
	}
	since := ""
	if f.VersionFrom != nil {
		since = l.t(" (áp dụng từ ngày %s)", " (in force from %s)", l.date(*f.VersionFrom))
	}
	c.para(l.t("Hộ gia đình được bình xét theo bộ tiêu chí của %s%s; hộ đủ điều kiện khi có %s. Hộ chỉ được tính là đã công nhận khi có tên trong quyết định công nhận danh hiệu %s; hộ đủ điều kiện mà chưa có quyết định thì chưa được tính.",
		"Households are assessed under the criteria of %s%s; a household is eligible with %s. A household counts as recognised only when a decision conferring the %s title names it; an eligible household without a decision does not count.",
		l.vi(f.VersionSource, f.VersionSourceEn), since, rule, l.vi(f.Name, f.NameEn)))
	t := &doc.Table{ID: l.vi("Gia đình học tập", "Learning families"), Title: l.t("Bảng 6. %s theo xã, phường", "Table 6. %s by ward", l.vi(f.Name, f.NameEn)),
		Columns: []doc.Column{
			col(l.vi("Xã, phường", "Ward"), doc.Left, 22, ""),
			col(l.vi("Hộ đã bình xét", "Households assessed"), doc.Right, 11, fmtInt),
			col(l.vi("Đủ điều kiện", "Eligible"), doc.Right, 10, fmtInt),
			col(l.vi("Đã công nhận (theo quyết định)", "Recognised (by decision)"), doc.Right, 12, fmtInt),
			col(l.vi("Đủ điều kiện, chưa có quyết định", "Eligible, no decision yet"), doc.Right, 12, fmtInt),
			col(l.vi("Tổng số hộ của xã, phường", "All households of the ward"), doc.Right, 12, fmtInt),
			col(l.vi("Tỷ lệ công nhận (% tổng số hộ)", "Recognised (% of all households)"), doc.Right, 12, fmtPct),
		}}
	row := func(name string, r FamilyRow) []doc.Cell {
		hh, rate := doc.Cell{Text: "–"}, doc.Cell{Text: "–"}
		if r.Households != nil {
			hh = c.n(*r.Households)
			rate = c.p(share(r.Recognised, *r.Households))
		}
		return []doc.Cell{c.txt(name), c.n(r.Registered), c.n(r.Eligible), c.n(r.Recognised), c.n(r.EligibleNotRecognised), hh, rate}
	}
	var city FamilyRow
	for _, r := range d.Families {
		if r.Level == "city" {
			city = r
			continue
		}
		t.Rows = append(t.Rows, row(l.wardName(d, r.Ward), r))
	}
	t.Total = row(l.t("Cộng %s", "Total, %s", c.wardsScope()), city)
	target := ""
	if f.TargetShare > 0 {
		ref := ""
		if m, err := config.ParseMonth(d.Month); f.TargetSourceDate != nil && (err != nil || f.TargetSourceDate.After(m.LastDay().Time)) {
			ref = l.vi(" (văn bản ban hành sau tháng báo cáo: chỉ để tham khảo, không đánh giá tiến độ)", " (issued after the reported month: for reference only, with no status)")
		}
		target = l.t(" Chỉ tiêu: %s đến tháng %s theo %s%s; phạm vi: %s.", " Target: %s by %s under %s%s; scope: %s.",
			l.pct(f.TargetShare), l.month(f.TargetDeadline), l.vi(f.TargetSource, f.TargetSourceEn), ref, l.vi(f.TargetScope, f.TargetScopeEn))
	}
	assumed := ""
	if f.Assumptions > 0 {
		assumed = l.t(" Bộ tiêu chí có %d giả định (điểm tối đa, ngưỡng hoặc mức đạt) vì chưa tìm được nguyên văn hướng dẫn: xem docs/frameworks.md.",
			" The criteria hold %d assumptions (a max, a threshold or the pass mark), the guidance's text not having been found: see docs/frameworks.md.", f.Assumptions)
	}
	t.Note = l.t("Mẫu số của tỷ lệ là tổng số hộ gia đình của xã, phường (%s), không phải số hộ đã đăng ký hay đã bình xét.%s%s",
		"The rate's denominator is all households of the ward (%s), not the households registered or assessed.%s%s",
		l.vi(city.HouseholdsSource, city.HouseholdsSourceEn), target, assumed)
	c.add(t)
}
